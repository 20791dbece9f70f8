#!/bin/sh
# demo_storm.sh: 'whytop demo storm' makes write(2) calls without end:
# 'whytop syscalls' over a second counts write as its most frequent call,
# thousands of them, to /dev/null.
. "$SRCDIR/tests/lib.sh"
t_need_root

t_start_ready "$T_TMP/out" "one byte per write" "$WHYTOP" demo storm
pid=$T_PID
"$WHYTOP" syscalls "$pid" --duration 1 --json >"$T_TMP/sc.json" 2>"$T_TMP/err" ||
	t_fail "whytop syscalls: $(cat "$T_TMP/err")"
t_json_check "$T_TMP/sc.json" "syscalls of the storm" '
rows = sorted(d["syscalls"], key=lambda r: -r["calls"])
assert rows and rows[0]["name"] == "write", "the most frequent call is %s, not write" % (rows[0]["name"] if rows else None)
assert rows[0]["calls"] >= 1000, "only %d writes in a second" % rows[0]["calls"]
'
[ "$(readlink "/proc/$pid/fd/3")" = /dev/null ] || t_fail "the storm's fd 3 is not /dev/null"
t_left_running "$pid" "the storm after whytop syscalls"
echo "ok: the storm demo makes one-byte writes without end"
