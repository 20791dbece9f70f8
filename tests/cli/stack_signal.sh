#!/bin/sh
# Signals sent while a process is held arrive after the detach, not before
# and not never: once sent during the hold, once just before the attach (it
# may surface as a signal-delivery-stop and must be handed back).
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/stack_lib.sh"
t_need_root

stk_start stk_loop
"$TARGETS/stk_holder" "$STK_PID" 10 "$STK_OUT" >"$T_TMP/hold1.txt" ||
	t_fail "SIGUSR1 during the hold: $(cat "$T_TMP/hold1.txt")"
grep -q '^held 1 of 1 threads' "$T_TMP/hold1.txt" || t_fail "not held: $(cat "$T_TMP/hold1.txt")"
grep -q '^delivered after detach' "$T_TMP/hold1.txt" || t_fail "$(cat "$T_TMP/hold1.txt")"
stk_runs_on "$STK_OUT"

stk_start stk_threads
"$TARGETS/stk_holder" "$STK_PID" 12 "$STK_OUT" before >"$T_TMP/hold2.txt" ||
	t_fail "SIGUSR2 at the attach: $(cat "$T_TMP/hold2.txt")"
grep -q '^held 9 of 9 threads' "$T_TMP/hold2.txt" || t_fail "not all held: $(cat "$T_TMP/hold2.txt")"
n=$(grep -c '^signal 12$' "$STK_OUT")
[ "$n" = 1 ] || t_fail "SIGUSR2 arrived $n times, expected once"
stk_runs_on "$STK_OUT"
exit 0
