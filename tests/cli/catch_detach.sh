#!/bin/sh
# whytop catch ended before any crash (SIGTERM, SIGHUP, SIGKILL of whytop;
# SIGINT is ignored by a background job of a script)
# leaves the process running and untraced, every thread; the crash that
# comes later is the program's own (same wait status as alone).
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/catch_lib.sh"
t_need_root

c_plain crash_null
for sig in TERM HUP KILL; do
	C_OUT=$T_TMP/crash_null
	rm -f "$T_TMP/go" "$C_OUT".caught.* "$C_OUT.tout"
	(cd "$T_TMP" && { ulimit -c unlimited 2>/dev/null || true; } &&
		c_parent "$C_OUT.caught" "$TARGETS/crash_null" "$T_TMP/go" >"$C_OUT.tout" 2>&1) &
	T_PIDS="$T_PIDS $!"
	t_wait_for 20 test -s "$C_OUT.caught.pid" || t_fail "crash_null did not start"
	C_PID=$(cat "$C_OUT.caught.pid")
	T_PIDS="$T_PIDS $C_PID"
	t_wait_for 20 grep -q ready "$C_OUT.tout" || t_fail "crash_null did not say ready"
	"$WHYTOP" catch "$C_PID" >"$C_OUT.out" 2>"$C_OUT.err" &
	w=$!
	T_PIDS="$T_PIDS $w"
	t_wait_for 30 grep -q "watching process $C_PID" "$C_OUT.err" ||
		t_fail "whytop catch $C_PID did not start watching: $(cat "$C_OUT.err")"
	[ "$(t_tracer "$C_PID")" != 0 ] || t_fail "whytop catch does not trace $C_PID"
	kill -"$sig" "$w"
	t_reaped "$w" 30 || t_fail "whytop catch did not end on SIG$sig"
	t_threads_left_running "$C_PID" "after SIG$sig to whytop catch"
	touch "$T_TMP/go"
	c_catch_end
	[ "$C_CAUGHT" = "$C_PLAIN" ] ||
		t_fail "after SIG$sig to whytop catch: wait status $C_CAUGHT, alone $C_PLAIN"
done
echo "ok: whytop catch gone, the process runs untraced and dies as its own"
