#!/bin/sh
# demo_crash.sh: 'whytop demo crash 0' dies of SIGSEGV (wait status 139)
# without printing the id it would have got; 'whytop demo crash 600' waits
# first, in main, with lookup_user (the function that crashes) in its binary.
. "$SRCDIR/tests/lib.sh"

t_start "$WHYTOP" demo crash 0 >"$T_TMP/out" 2>&1
t_reaped "$T_PID" 10 || t_fail "crash 0 did not end"
[ "$T_STATUS" = 139 ] || t_fail "crash 0 ended with status $T_STATUS, want 139 (SIGSEGV)"
grep -q "^crash: pid [0-9]* will dereference NULL in lookup_user() in 0 s" "$T_TMP/out" ||
	t_fail "no announcement: $(cat "$T_TMP/out")"
grep -q "user id" "$T_TMP/out" && t_fail "crash printed an id: $(cat "$T_TMP/out")"

if [ "$(id -u)" = 0 ]; then
	t_start_ready "$T_TMP/out2" "in 600 s" "$WHYTOP" demo crash 600
	"$WHYTOP" stack "$T_PID" >"$T_TMP/stack" 2>&1 || t_fail "whytop stack: $(cat "$T_TMP/stack")"
	grep -q " main+0x[0-9a-f]* (crash) at .*crash.c:" "$T_TMP/stack" ||
		t_fail "crash 600 is not waiting in main with debug info: $(cat "$T_TMP/stack")"
	t_left_running "$T_PID" "crash 600 after whytop stack"
fi
echo "ok: the crash demo dies of SIGSEGV"
