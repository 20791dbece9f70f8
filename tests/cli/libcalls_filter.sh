#!/bin/sh
# Which functions whytop libcalls counts: -e keeps only the names that
# match (getpid alone: its 35 calls, no rand); --lib libc with -e counts
# the library's own functions, called from inside it too (rand calls
# random); an unknown --lib is refused with a sentence naming the
# libraries the process has; -e matching nothing says so; a user who is
# not root is told to be (when setpriv and the user nobody exist).
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/libcalls_lib.sh"
t_need_root

lc_target a
A=$LC_PID
lc_need_bpf "$A"

J=$T_TMP/e.json
lc_count_start "$J" "$A" -e 'getp*'
grep -q "counting 1 function " "$J.err" || t_fail "-e getp*: want 1 function: $(cat "$J.err")"
lc_signal a "$A" 5
lc_count_end "$J"
t_json_check "$J" "-e getp*" '
f = {x["function"]: x["calls"] for x in d["functions"]}
assert f == {"getpid": 35}, f
'

J=$T_TMP/lib.json
lc_count_start "$J" "$A" --lib libc -e rand -e 'random,getpid'
lc_signal a "$A" 3
lc_count_end "$J"
t_json_check "$J" "--lib libc" '
f = {x["function"]: x["calls"] for x in d["functions"]}
assert f.get("rand") == 300, f
assert f.get("getpid") == 21, f
assert f.get("random") == 300, ("rand calls random inside libc", f)
assert set(f) == {"rand", "random", "getpid"}, f
'

"$WHYTOP" libcalls "$A" --lib libnosuch --duration 0 >"$T_TMP/o" 2>"$T_TMP/e"
st=$?
[ $st = 1 ] || t_fail "--lib libnosuch: exit $st, want 1"
grep -q "maps no library named 'libnosuch'.*libc.so.6" "$T_TMP/e" ||
	t_fail "--lib libnosuch: want a sentence naming libc.so.6: $(cat "$T_TMP/e")"
"$WHYTOP" libcalls "$A" -e 'zz_no_such*' --duration 0 >"$T_TMP/o" 2>"$T_TMP/e"
st=$?
[ $st = 1 ] || t_fail "-e zz_no_such*: exit $st, want 1"
grep -q "no function to count" "$T_TMP/e" || t_fail "-e zz_no_such*: $(cat "$T_TMP/e")"
if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
	setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups \
		"$WHYTOP" libcalls "$A" --duration 0 >"$T_TMP/o" 2>"$T_TMP/e"
	st=$?
	[ $st = 1 ] || t_fail "as nobody: exit $st, want 1: $(cat "$T_TMP/e")"
	grep -q "run as root" "$T_TMP/e" || t_fail "as nobody: not told to run as root: $(cat "$T_TMP/e")"
fi
t_left_running "$A" "the target at the end"
exit 0
