#!/bin/sh
# The headline: crazy spins on a local flag nothing clears; 'whytop poke
# PID flag=0' (no frame given: the innermost frame where flag is visible)
# makes it print its completion line and exit 0.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/locals_lib.sh"
t_need_root

out=$T_TMP/crazy.out
t_start_ready "$out" spinning "$TARGETS/crazy"
pid=$T_PID

"$WHYTOP" locals "$pid" >"$T_TMP/locals" || t_fail "whytop locals failed"
grep -q "frame 0: spin_until_cleared at .*crazy.c" "$T_TMP/locals" ||
	t_fail "frame 0 is not spin_until_cleared: $(head -1 "$T_TMP/locals")"
[ "$(lx_val "$T_TMP/locals" flag)" = 1 ] || t_fail "flag reads '$(lx_val "$T_TMP/locals" flag)', not 1"
lx_info "$T_TMP/locals" flag | grep -q "^int; local; stack 0x" || t_fail "flag is not a stack int"
t_threads_left_running "$pid" "the target after locals and poke"

"$WHYTOP" poke "$pid" flag=0 >"$T_TMP/poke" || t_fail "whytop poke failed: $(cat "$T_TMP/poke")"
grep -q "^flag: 1 -> 0 (int, stack 0x" "$T_TMP/poke" || t_fail "poke said: $(cat "$T_TMP/poke")"
grep -q "^after: the process exited" "$T_TMP/poke" || t_fail "poke did not see the exit: $(cat "$T_TMP/poke")"
t_reaped "$pid" 10
status=$T_STATUS
[ "$status" = 0 ] || t_fail "crazy exit status $status"
grep -q "crazy: flag cleared after [0-9]* spins, finishing normally" "$out" ||
	t_fail "no completion line: $(cat "$out")"

# A stopped crazy stays stopped through locals and poke, and finishes when continued.
out2=$T_TMP/crazy2.out
t_start_ready "$out2" spinning "$TARGETS/crazy"
pid=$T_PID
t_stop "$pid" "second crazy"
"$WHYTOP" locals "$pid" >"$T_TMP/locals2" || t_fail "locals of a stopped process"
[ "$(lx_val "$T_TMP/locals2" flag)" = 1 ] || t_fail "stopped: flag reads $(lx_val "$T_TMP/locals2" flag)"
"$WHYTOP" poke "$pid" flag=0 >"$T_TMP/poke2" || t_fail "poke of a stopped process: $(cat "$T_TMP/poke2")"
grep -q "^after: the process is stopped (T) and stays so" "$T_TMP/poke2" || t_fail "poke2 said: $(cat "$T_TMP/poke2")"
sleep 0.3
t_expect_state "$pid" T "the stopped crazy after locals and poke"
grep -q "finishing normally" "$out2" && t_fail "a stopped process ran"
kill -CONT "$pid"
# The shell saw this child stop and continue; its `wait` status is not
# reliable then (dash), so judge by the completion line and the exit.
t_wait_gone "$pid" 10 "crazy after SIGCONT"
grep -q "crazy: flag cleared after [0-9]* spins, finishing normally" "$out2" || t_fail "no completion line after SIGCONT"
echo "ok: crazy rescued, running and stopped"
