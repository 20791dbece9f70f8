#!/bin/sh
# A 32-bit (i386) program: libunwind cannot walk it, libdwfl's unwinder does.
# Exact functions and lines of both threads (one in the i386 vDSO), every
# frame marked [fallback], the target runs on (or stays stopped), and
# locals/poke refuse it with a sentence.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/stack_lib.sh"
t_need_root
t_need_i386
[ -x "$TARGETS/stk_i386" ] || t_skip "no 32-bit toolchain (gcc-multilib): stk_i386 not built"

stk_start stk_i386
pid=$STK_PID
inner=$(stk_line stk_i386.c STK32_INNER_LINE)
outer=$(stk_line stk_i386.c STK32_OUTER_LINE)
mainl=$(stk_line stk_i386.c STK32_MAIN_LINE)
sleepl=$(stk_line stk_i386.c STK32_SLEEP_LINE)
w=$T_TMP/i386.txt
stk_walk "$w" "$pid"
stk_expect "$w" "^process $pid: 2 threads," "two threads"
main=$T_TMP/main.txt
stk_thread_block "$w" stk_i386 >"$main"
stk_expect "$main" " stk32_inner\+0x[0-9a-f]+ \(stk_i386\) at .*tests/targets/stk_i386\.c:$inner \[fallback\]$" \
	"the spinning frame"
stk_expect "$main" " stk32_outer\+0x[0-9a-f]+ \(stk_i386\) at .*stk_i386\.c:$outer \[fallback\]$" "its caller"
stk_expect "$main" " main\+0x[0-9a-f]+ \(stk_i386\) at .*stk_i386\.c:$mainl \[fallback\]$" "main"
order=$(grep -E " (stk32_inner|stk32_outer|main)\+" "$main" | sed 's/.* \([a-z0-9_]*\)+0x.*/\1/' | tr '\n' ' ')
[ "$order" = "stk32_inner stk32_outer main " ] || t_fail "frames out of order: $order"
# Addresses are 32-bit ones.
grep -E '^ +#[0-9]+ +0x' "$w" | grep -vqE '0x0{8}[0-9a-f]{8} ' && t_fail "a pc above 4 GiB in a 32-bit process"
# The sleeping thread: in the i386 vDSO, its callers found through the vDSO's CFI.
sl=$T_TMP/sleep.txt
stk_thread_block "$w" stk32_sleep >"$sl"
stk_expect "$sl" "#0 .*\(\[vdso\]\) \[fallback\]$" "the sleeper's frame 0 in the vDSO"
stk_expect "$sl" " stk32_sleeper\+0x[0-9a-f]+ \(stk_i386\) at .*stk_i386\.c:$sleepl \[fallback\]$" \
	"the sleeper's own frame"
stk_expect "$sl" " stk32_thread\+0x" "the thread function below it"
# Every frame of every thread came from the fallback.
n=$(grep -cE '^ +#[0-9]+ ' "$w")
f=$(grep -cE '^ +#[0-9]+ .*\[fallback\]$' "$w")
[ "$n" -ge 8 ] && [ "$n" = "$f" ] || t_fail "$f of $n frames marked [fallback]"
grep -q 'could not be unwound' "$w" && t_fail "a thread could not be unwound: $(cat "$w")"
stk_walk "$w" "$pid" --json
stk_expect "$w" "\"function\":\"stk32_outer\",.*\"line\":$outer,.*\"fallback\":true" "the JSON frame"
stk_runs_on "$STK_OUT"

# locals and poke: refused with a sentence, and the target runs on.
for cmd in "locals $pid" "poke $pid stk32_count=1"; do
	# shellcheck disable=SC2086
	"$WHYTOP" $cmd >"$w" 2>&1 && t_fail "whytop $cmd succeeded on a 32-bit program"
	grep -q "process $pid runs a 32-bit (i386) program: whytop shows its stack" "$w" ||
		t_fail "unclear refusal of whytop $cmd: $(cat "$w")"
done
stk_runs_on "$STK_OUT"

# Stopped: walked, left stopped, runs on after SIGCONT.
t_stop "$pid" "the target before the walk"
beats=$(stk_beats "$STK_OUT")
stk_walk "$w" "$pid"
stk_expect "$w" "^process $pid: 2 threads, .*\(stopped, left stopped\)$" "the walk says it was stopped"
stk_expect "$w" " stk32_outer\+0x[0-9a-f]+ \(stk_i386\) at .*stk_i386\.c:$outer \[fallback\]$" \
	"a stopped thread's frames"
sleep 0.3
t_expect_state "$pid" T "the stopped target after the walk"
[ "$(stk_beats "$STK_OUT")" = "$beats" ] || t_fail "the stopped target printed beats"
kill -CONT "$pid"
stk_runs_on "$STK_OUT"
exit 0
