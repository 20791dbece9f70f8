#!/bin/sh
# demo_opener.sh: 'whytop demo opener PATH COUNT' opens PATH COUNT times,
# printing each result: ENOENT while PATH is missing, an fd once it exists;
# then exits 0. Its default path opens.
. "$SRCDIR/tests/lib.sh"

f=$T_TMP/file
t_start_ready "$T_TMP/out" "failed: ENOENT (No such file or directory)" "$WHYTOP" demo opener "$f" 0
pid=$T_PID
: >"$f"
t_wait_for 20 grep -q "^opener: #[0-9]* open(\"$f\") = [0-9]" "$T_TMP/out" ||
	t_fail "opener does not open $f once it exists: $(tail -3 "$T_TMP/out")"
t_alive "$pid" || t_fail "opener with COUNT 0 ended"

t_start "$WHYTOP" demo opener /etc/passwd 3 >"$T_TMP/out3"
t_reaped "$T_PID" 20 || t_fail "opener with COUNT 3 did not end"
[ "$T_STATUS" = 0 ] || t_fail "opener /etc/passwd 3 exited with $T_STATUS"
[ "$(grep -c '^opener: #[1-3] open("/etc/passwd") = [0-9]' "$T_TMP/out3")" = 3 ] ||
	t_fail "want 3 successful opens: $(cat "$T_TMP/out3")"
echo "ok: the opener demo prints each open's result"
