#!/bin/sh
# Hundreds of attach/walk/detach cycles on a running nine-thread target
# that checks its own progress: no error, no stray signal or EINTR, every
# thread still working.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/stack_lib.sh"
t_need_root

stk_start stk_threads
pid=$STK_PID
w=$T_TMP/end.txt
# 300 walks in one process (the TUI's case: debug info kept), then 30 cold ones.
"$WHYTOP" stack "$pid" --repeat 300 >"$w" 2>"$w.err" || t_fail "a walk failed: $(cat "$w.err")"
grep -q '^whytop stack: walks 300 ' "$w.err" || t_fail "no timing line: $(cat "$w.err")"
stk_expect "$w" "^process $pid: 9 threads," "the last walk saw nine threads"
for i in $(seq 1 30); do
	"$WHYTOP" stack "$pid" >"$w" 2>&1 || t_fail "cold walk $i failed: $(cat "$w")"
done
grep -q '(the stack could not be unwound' "$w" && t_fail "a thread could not be unwound"
before=$(tail -1 "$STK_OUT")
stk_runs_on "$STK_OUT"
after=$(tail -1 "$STK_OUT")
# Each counter (clock, sleep, poll) moved on.
for k in clock sleep poll; do
	a=$(echo "$before" | sed -n "s/.* $k \([0-9]*\).*/\1/p")
	b=$(echo "$after" | sed -n "s/.* $k \([0-9]*\).*/\1/p")
	[ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt "$a" ] || t_fail "the $k thread stopped progressing ($a -> $b)"
done
grep -q STRAY "$STK_OUT" && t_fail "stray EINTR: $(grep STRAY "$STK_OUT")"
grep -q '^signal' "$STK_OUT" && t_fail "a stray signal: $(grep '^signal' "$STK_OUT")"
t_threads_left_running "$pid" "stk_threads after 330 walks"
exit 0
