#!/bin/sh
# A loop that is nearly always inside clock_gettime (the vDSO): its frame is
# reached through the fallback unwinder, and its flag is still read and
# poked at the right address.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/locals_lib.sh"
t_need_root

out=$T_TMP/clock.out
t_start_ready "$out" ready "$TARGETS/loc_clock"
pid=$T_PID

"$WHYTOP" locals "$pid" --function spin_on_clock >"$T_TMP/l" || t_fail "locals: $(cat "$T_TMP/l")"
grep -q "frame [0-9]*: spin_on_clock at .*loc_clock.c" "$T_TMP/l" || t_fail "frame: $(head -1 "$T_TMP/l")"
[ "$(lx_val "$T_TMP/l" flag)" = 1 ] || t_fail "flag reads $(lx_val "$T_TMP/l" flag)"
t1=$(lx_val "$T_TMP/l" turns)
sleep 0.2
"$WHYTOP" locals "$pid" --function spin_on_clock >"$T_TMP/l" || t_fail "locals (2)"
t2=$(lx_val "$T_TMP/l" turns)
[ "$t2" -gt "$t1" ] || t_fail "turns did not grow ($t1, then $t2): not the loop's counter"
t_threads_left_running "$pid" "the target after locals and poke"
"$WHYTOP" poke "$pid" flag=0 >"$T_TMP/p" || t_fail "poke: $(cat "$T_TMP/p")"
grep -q "^flag: 1 -> 0 (int, stack 0x.*spin_on_clock" "$T_TMP/p" || t_fail "poke said: $(cat "$T_TMP/p")"
t_reaped "$pid" 10; [ "$T_STATUS" = 0 ] || t_fail "loc_clock did not exit 0"
grep -q "^loc_clock: done after [0-9]* turns" "$out" || t_fail "no completion line: $(cat "$out")"
echo "ok: a frame past the vDSO read and poked"
