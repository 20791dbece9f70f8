#!/bin/sh
# whytop libcalls counts exactly, without stopping the target: lib_calls
# calls rand 100 times and getpid 7 times per SIGUSR1; after 5 signals the
# count (the executable's imports, by default) is 500 and 35, with
# uprobe_multi and with one uprobe per function. A second lib_calls,
# signalled as often meanwhile, calls the same libc functions and must not
# be counted. The target is never traced nor stopped, runs on afterwards,
# and whytop leaves no uprobe behind: the code of each function counted is,
# in the target's memory, that of its file again (no int3 left).
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/libcalls_lib.sh"
t_need_root

lc_target a
A=$LC_PID
lc_target b
B=$LC_PID
lc_need_bpf "$A"

for MODE in multi each; do
	NO_MULTI=
	[ $MODE = each ] && NO_MULTI=1
	J=$T_TMP/$MODE.json
	WHYTOP_NO_UPROBE_MULTI=$NO_MULTI lc_count_start "$J" "$A"
	case $MODE in
	multi) ! lc_has_multi || grep -q "uprobe_multi" "$J.err" ||
		t_fail "multi: Linux $(uname -r) has uprobe_multi, but whytop did not use it: $(cat "$J.err")" ;;
	each) grep -q "one uprobe per function" "$J.err" || t_fail "each: $(cat "$J.err")" ;;
	esac
	lc_signal a "$A" 5
	lc_signal b "$B" 5
	t_untraced "$A" "$MODE: the target while counted"
	lc_count_end "$J"
	t_json_check "$J" "$MODE" '
f = {x["function"]: x for x in d["functions"]}
assert d["pid"] == a[0], d["pid"]
assert "rand" in f and "getpid" in f, sorted(f)
assert f["rand"]["calls"] == 500, ("rand", f["rand"]["calls"])
assert f["getpid"]["calls"] == 35, ("getpid", f["getpid"]["calls"])
assert f["rand"]["library"].endswith("/libc.so.6"), f["rand"]["library"]
assert "random" not in f, "random is not an import of lib_calls"
assert d["functions"][0]["function"] == "rand", "not sorted by calls"
' "$A"
	t_left_running "$A" "$MODE: the target after counting"
	lc_code_intact "$J" "$A" "$MODE: after counting"
done
# alive and unharmed: it still handles signals, and nothing counts them
lc_signal a "$A" 1
t_left_running "$A" "the target at the end"
exit 0
