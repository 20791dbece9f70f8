#!/bin/sh
# demo_dstate.sh: 'whytop demo dstate' sleeps in state D (no privilege
# needed: a vfork parent) while its child lives; 'whytop kstack' shows the
# vfork wait; when the child ends the parent says so and exits 0.
. "$SRCDIR/tests/lib.sh"

t_start_ready "$T_TMP/out" "will sleep in state D" "$WHYTOP" demo dstate 600
pid=$T_PID
t_expect_state "$pid" D "the dstate demo" 10
child=$(pgrep -P "$pid")
[ -n "$child" ] || t_fail "the dstate demo (pid $pid) in D has no vfork child"
T_PIDS="$T_PIDS $child"
if [ "$(id -u)" = 0 ]; then
	"$WHYTOP" kstack "$pid" >"$T_TMP/k" 2>&1 || t_fail "whytop kstack: $(cat "$T_TMP/k")"
	grep -q "vfork\|clone" "$T_TMP/k" || t_fail "kstack does not show the vfork wait: $(cat "$T_TMP/k")"
fi
sleep 0.2
t_expect_state "$pid" D "the dstate demo while its child lives"
kill -KILL "$child"
t_reaped "$pid" 10 || t_fail "the dstate demo did not go on when its child ended"
[ "$T_STATUS" = 0 ] || t_fail "the dstate demo exited with $T_STATUS, want 0"
grep -q "^dstate: the vfork child $child ended; no longer in D, exiting" "$T_TMP/out" ||
	t_fail "no end line: $(cat "$T_TMP/out")"
echo "ok: the dstate demo sleeps in D until its child ends"
