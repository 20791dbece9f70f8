#!/bin/sh
# demo_loop.sh: 'whytop demo loop' spins (same pid as the whytop started)
# in wait_for_done on a local done = 0 and keeps spinning; 'whytop poke PID
# done=1' makes it print its line and exit 0.
. "$SRCDIR/tests/lib.sh"
t_need_root

t_start_ready "$T_TMP/out" "spinning until done is set" "$WHYTOP" demo loop
pid=$T_PID
grep -q "^loop: pid $pid " "$T_TMP/out" || t_fail "the demo does not run as the pid started: $(cat "$T_TMP/out")"
"$WHYTOP" locals "$pid" >"$T_TMP/locals" 2>&1 || t_fail "whytop locals: $(cat "$T_TMP/locals")"
grep -q "frame 0: wait_for_done at .*loop.c:" "$T_TMP/locals" || t_fail "not in wait_for_done: $(head -1 "$T_TMP/locals")"
grep -q "^  done = 0	int; local" "$T_TMP/locals" || t_fail "done is not a local 0: $(cat "$T_TMP/locals")"
# It loops: the turns counter goes on growing, and it is still there.
t1=$(sed -n 's/^  turns = \([0-9]*\).*/\1/p' "$T_TMP/locals")
t_wait_for 20 sh -c "'$WHYTOP' locals $pid | sed -n 's/^  turns = \([0-9]*\).*/\1/p' | { read -r t; [ \"\$t\" -gt $t1 ]; }" ||
	t_fail "turns did not grow from $t1: the loop does not loop"
t_alive "$pid" || t_fail "loop exited without being poked: $(cat "$T_TMP/out")"
grep -q "done was set" "$T_TMP/out" && t_fail "loop finished without being poked"

"$WHYTOP" poke "$pid" done=1 >"$T_TMP/poke" 2>&1 || t_fail "whytop poke: $(cat "$T_TMP/poke")"
t_reaped "$pid" 10 || t_fail "loop did not exit after done=1"
[ "$T_STATUS" = 0 ] || t_fail "loop exited with $T_STATUS after done=1, want 0"
grep -q "^loop: done was set after [0-9]* turns, exiting normally" "$T_TMP/out" ||
	t_fail "no completion line: $(cat "$T_TMP/out")"
echo "ok: the loop demo loops until poked, then exits 0"
