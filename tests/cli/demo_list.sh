#!/bin/sh
# demo_list.sh: 'whytop demo' lists every demo with its line, and each is
# an executable in the directory it names (this build tree's src/demos
# under make check); an unknown name is refused in one line naming the
# demos (exit 2); a demo missing from the directory says where it looked
# and what to do (exit 1).
. "$SRCDIR/tests/lib.sh"

"$WHYTOP" demo >"$T_TMP/list" 2>"$T_TMP/err" || t_fail "whytop demo failed: $(cat "$T_TMP/err")"
[ ! -s "$T_TMP/err" ] || t_fail "whytop demo wrote on stderr: $(cat "$T_TMP/err")"
dir=$(sed -n "s/.*(they are in \(.*\))\.$/\1/p" "$T_TMP/list")
[ -n "$dir" ] || t_fail "whytop demo does not say where the demos are: $(cat "$T_TMP/list")"
for d in loop dstate storm crash opener; do
	line=$(grep "^$d  *[a-z]" "$T_TMP/list") || t_fail "whytop demo does not list $d: $(cat "$T_TMP/list")"
	[ "$(echo "$line" | wc -w)" -ge 5 ] || t_fail "demo $d has no description: '$line'"
	[ -x "$dir/$d" ] || t_fail "demo $d is listed but $dir/$d is not an executable"
done
[ "$(grep -c '^[a-z][a-z]*  ' "$T_TMP/list")" = 5 ] || t_fail "want 5 demos listed: $(cat "$T_TMP/list")"

st=0
"$WHYTOP" demo no-such-demo >"$T_TMP/out" 2>"$T_TMP/err" || st=$?
[ "$st" = 2 ] || t_fail "whytop demo no-such-demo: exit $st, want 2"
grep -qF "whytop demo: there is no demo named 'no-such-demo'; 'whytop demo' lists them (loop," "$T_TMP/err" ||
	t_fail "unknown demo: $(cat "$T_TMP/err")"
[ "$(wc -l <"$T_TMP/err")" = 1 ] || t_fail "unknown demo: want one line: $(cat "$T_TMP/err")"
[ ! -s "$T_TMP/out" ] || t_fail "unknown demo printed on stdout"

st=0
WHYTOP_DEMO_DIR=$T_TMP/nowhere "$WHYTOP" demo loop >"$T_TMP/out" 2>"$T_TMP/err" || st=$?
[ "$st" = 1 ] || t_fail "a demo missing from its directory: exit $st, want 1"
grep -qF "whytop demo: demo 'loop' is not installed: $T_TMP/nowhere/loop does not exist" "$T_TMP/err" ||
	t_fail "a missing demo: $(cat "$T_TMP/err")"
echo "ok: demos listed, unknown and missing ones refused"
