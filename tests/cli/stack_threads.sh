#!/bin/sh
# Nine threads, each in its own function: every one found, named and placed
# at its exact line; the thread spinning on clock_gettime (the vDSO, which
# libunwind cannot unwind remotely) shows its real callers through the
# fallback; --thread walks one thread; the target runs on.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/stack_lib.sh"
t_need_root

stk_start stk_threads
pid=$STK_PID
# "ready" comes once the threads are created, not once each sits in its wait:
# on a busy machine a thread can still be leaving clone3. Wait until the seven
# waiting threads are asleep (the clock thread spins, main beats).
asleep() {
	[ "$(cat /proc/$pid/task/*/stat 2>/dev/null | grep -v '(stk-clock)\|(stk_threads)' |
		sed 's/.*) //' | grep -c '^S')" -ge 7 ]
}
t_wait_for 10 asleep || t_fail "the waiting threads never went to sleep"
w=$T_TMP/thr.txt
stk_walk "$w" "$pid"
stk_expect "$w" "^process $pid: 9 threads," "nine threads"
n=$(grep -c '^thread ' "$w")
[ "$n" = 9 ] || t_fail "expected 9 thread sections, found $n"
ntask=$(ls "/proc/$pid/task" | wc -l)
[ "$ntask" = 9 ] || t_fail "the target has $ntask threads, expected 9"

# name  function  marker: one row per blocked thread.
check_thread() {
	local name=$1 fn=$2 marker=$3 line block
	line=$(stk_line stk_threads.c "$marker")
	block=$T_TMP/$name.txt
	stk_thread_block "$w" "$name" >"$block"
	[ -s "$block" ] || t_fail "thread $name missing"
	stk_expect "$block" " $fn\+0x[0-9a-f]+ \(stk_threads\) at .*tests/targets/stk_threads\.c:$line$" \
		"thread $name in $fn at line $line"
	grep -q '\[fallback\]' "$block" && t_fail "thread $name needed a fallback unwinder"
	return 0
}
check_thread stk-sleep stk_t_sleep STK_SLEEP_LINE
check_thread stk-cond stk_t_cond STK_COND_LINE
check_thread stk-pipe stk_t_pipe STK_PIPE_LINE
check_thread stk-poll stk_t_poll STK_POLL_LINE
check_thread stk-mutex stk_t_mutex STK_MUTEX_LINE
check_thread stk-deep stk_t_deep_rec STK_DEEP_LINE
check_thread stk-sigwait stk_t_sigwait STK_SIGWAIT_LINE
check_thread stk_threads main STK_MAIN_LINE
# stk-deep: the bottom frame, then 20 recursive calls, then its thread function.
rec=$(stk_line stk_threads.c STK_DEEP_REC_LINE)
n=$(grep -cE " stk_t_deep_rec\+0x[0-9a-f]+ \(stk_threads\) at .*stk_threads\.c:$rec$" "$T_TMP/stk-deep.txt")
[ "$n" = 20 ] || t_fail "stk-deep: expected 20 recursive frames at line $rec, found $n"
stk_expect "$T_TMP/stk-deep.txt" " stk_t_deep\+0x" "stk-deep's thread function"

# --consistent: all threads held together, the same frames.
stk_walk "$T_TMP/cons.txt" "$pid" --consistent
stk_expect "$T_TMP/cons.txt" "^process $pid: 9 threads," "nine threads, held together"
stk_expect "$T_TMP/cons.txt" " stk_t_sleep\+0x[0-9a-f]+ \(stk_threads\) at .*stk_threads\.c:$(stk_line stk_threads.c STK_SLEEP_LINE)$" \
	"stk-sleep with --consistent"

# The clock thread: walk until it is caught inside the vDSO, then its
# callers must be the real ones (libunwind cannot unwind the vDSO remotely).
clk=$(stk_line stk_threads.c STK_CLOCK_LINE)
call=$(stk_line stk_threads.c STK_CLOCK_CALL_LINE)
clock_tid=$(awk '/"stk-clock"/{print $2}' "$w")
[ -n "$clock_tid" ] || t_fail "no stk-clock thread"
caught=
for i in $(seq 1 40); do
	stk_walk "$w" "$pid" --thread "$clock_tid"
	if grep -q '^  #0 .*(\[vdso\])' "$w"; then
		caught=1
		break
	fi
done 2>/dev/null
[ -n "$caught" ] || t_fail "the clock thread was never caught in the vDSO in 40 walks"
stk_expect "$w" "^process $pid: 1 thread," "--thread walks one thread"
# Frame 0 is in the vDSO: in __vdso_clock_gettime, or in one of its helpers
# that has no symbol (the clock read on some hypervisors). Every caller
# found from a vDSO frame comes from libdwfl and is marked; from the first
# frame outside the vDSO on, libunwind takes over again.
nv=$(grep -cE '^  #[0-9]+ .*\(\[vdso\]\)( \[fallback\])?$' "$w")
[ "$nv" -ge 1 ] && [ "$nv" -le 3 ] || t_fail "expected 1 to 3 vDSO frames, found $nv"
grep -E '^  #[0-9]+ .*\(\[vdso\]\)' "$w" | grep -Eq '#0 .* \?\? |__vdso_clock_gettime\+0x' ||
	t_fail "the vDSO frames are neither __vdso_clock_gettime nor an unnamed helper"
stk_expect "$w" "^  #$nv .* \[fallback\]$" "the vDSO's caller, marked as a fallback frame"
stk_expect "$w" "^  #$((nv + 1)) .* stk_now_ns\+0x[0-9a-f]+ \(stk_threads\) at .*stk_threads\.c:$clk$" \
	"the caller's caller, back from libunwind"
stk_expect "$w" " stk_t_clock_loop\+0x[0-9a-f]+ \(stk_threads\) at .*stk_threads\.c:$call$" \
	"the loop above it"
n=$(grep -c '\[fallback\]' "$w")
[ "$n" = "$nv" ] || t_fail "expected $nv fallback frames (one per vDSO frame), found $n"
stk_expect "$w" " stk_t_clock\+0x" "the thread function"
grep -Eq '\?\? \(stk_threads\)' "$w" && t_fail "an unnamed frame of the program in the clock thread's stack"
grep -Eq '^  #[1-9][0-9]* .*\?\? \(\[vdso\]\)' "$w" && t_fail "an unnamed vDSO frame above frame 0"

# It runs on: beats continue, and the clock and sleep counters move.
stk_runs_on "$STK_OUT"
grep -q STRAY "$STK_OUT" && t_fail "the target saw a stray EINTR: $(grep STRAY "$STK_OUT")"
grep -q '^signal' "$STK_OUT" && t_fail "the target got a signal: $(grep '^signal' "$STK_OUT")"
exit 0
