#!/bin/sh
# A stopped (SIGSTOP) process is walked and stays stopped; after SIGCONT it
# runs on. A process that exits is reported as gone.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/stack_lib.sh"
t_need_root

stk_start stk_threads
pid=$STK_PID
# Stop it only once every thread has run (a thread stopped on its way out of
# clone has no stack to speak of yet).
t_wait_for 5 grep -q ' sleep [1-9][0-9]* poll [1-9]' "$STK_OUT" || t_fail "threads did not start"
t_stop "$pid" "the target before the walk"
beats=$(stk_beats "$STK_OUT")
w=$T_TMP/stopped.txt
for i in 1 2 3; do
	stk_walk "$w" "$pid"
done
stk_expect "$w" "^process $pid: 9 threads, .*\(stopped, left stopped\)$" "the walk says it was stopped"
stk_expect "$w" " stk_t_sleep\+0x[0-9a-f]+ \(stk_threads\) at .*stk_threads\.c:$(stk_line stk_threads.c STK_SLEEP_LINE)$" \
	"a stopped thread's frames"
sleep 0.3
t_expect_state "$pid" T "the stopped target after the walks"
for tid in $(ls "/proc/$pid/task"); do
	s=$(t_state "$pid/task/$tid")
	[ "$s" = T ] || t_fail "thread $tid is in state $s, not stopped"
done
[ "$(stk_beats "$STK_OUT")" = "$beats" ] || t_fail "the stopped target printed beats"
kill -CONT "$pid"
stk_runs_on "$STK_OUT"
grep -q STRAY "$STK_OUT" && t_fail "stray EINTR: $(grep STRAY "$STK_OUT")"

# A process that is gone: a clear error, exit status 1.
kill -KILL "$pid"
wait "$pid" 2>/dev/null
"$WHYTOP" stack "$pid" >"$w" 2>&1 && t_fail "walking a dead process succeeded"
grep -q "no process $pid\|is gone" "$w" || t_fail "unclear error for a dead process: $(cat "$w")"

# A kernel thread (kthreadd is pid 2) has no user stack: said so, status 1.
"$WHYTOP" stack 2 >"$w" 2>&1
[ $? = 1 ] || t_fail "walking a kernel thread did not fail with status 1"
grep -q "kernel thread: it has no user stack" "$w" || t_fail "unclear error for a kernel thread: $(cat "$w")"
# A thread that is not the process's: said so, and the process runs on.
stk_start stk_loop
"$WHYTOP" stack "$STK_PID" --thread 1 >"$w" 2>&1 && t_fail "--thread 1 of another process succeeded"
grep -q "thread 1 is not a live thread of process $STK_PID" "$w" || t_fail "unclear --thread error: $(cat "$w")"
"$WHYTOP" stack "$STK_PID" --thread abc >"$w" 2>&1
[ $? = 2 ] || t_fail "a bad --thread is not a usage error"
stk_runs_on "$STK_OUT"
exit 0
