#!/bin/sh
# list_cmdline.sh: a command line longer than the 4096 bytes whytop keeps is
# marked as cut, in text ("[cut at 4096 bytes]") and in JSON
# ("command_truncated": true, the kept part whole); a shorter one is not.
# Before, a 200 KB command line was cut at 4095 bytes without a word.
. "$SRCDIR/tests/lib.sh"

# 200 KB of argv in 50 arguments, the last bytes recognisable.
long=$(awk 'BEGIN { s = sprintf("%4000s", ""); gsub(/ /, "x", s); for (i = 0; i < 50; i++) printf "%s ", s; print "THE-END" }')
# shellcheck disable=SC2086 # split into arguments on purpose
t_start "$TARGETS/proc_target" $long >"$T_TMP/long.out"
lpid=$T_PID
t_start "$TARGETS/proc_target" short-args >"$T_TMP/short.out"
spid=$T_PID
t_wait_for 10 grep -q "^ready" "$T_TMP/long.out" || t_fail "long proc_target did not start"
t_wait_for 10 grep -q "^ready" "$T_TMP/short.out" || t_fail "short proc_target did not start"
[ "$(wc -c <"/proc/$lpid/cmdline")" -gt 200000 ] || t_fail "the long command line is not that long"

"$WHYTOP" list --json --interval 0 -p "$lpid,$spid" --columns pid,command >"$T_TMP/json" ||
	t_fail "list --json failed"
t_json_check "$T_TMP/json" "list --json of a long and a short command line" '
lt, st = tasks[a[0]], tasks[a[1]]
assert lt["command_truncated"] is True, lt["command_truncated"]
# the 4096 bytes kept, whole: NULs read as spaces
assert len(lt["command"]) == 4096, len(lt["command"])
assert "THE-END" not in lt["command"]
assert st["command_truncated"] is False
assert st["command"].endswith("proc_target short-args"), st["command"]' "$lpid" "$spid"

"$WHYTOP" list --interval 0 -p "$lpid,$spid" --columns pid,command >"$T_TMP/text" ||
	t_fail "list failed"
grep -q "^ *$lpid .*xxxx \[cut at 4096 bytes\]$" "$T_TMP/text" ||
	t_fail "the long command line is not marked as cut: $(cut -c1-100 "$T_TMP/text")"
grep -q "^ *$spid .*proc_target short-args$" "$T_TMP/text" ||
	t_fail "the short command line: $(grep "^ *$spid " "$T_TMP/text")"
! grep -q "^ *$spid .*cut at" "$T_TMP/text" || t_fail "a short command line was marked as cut"
echo "ok: a command line cut at 4096 bytes says so"
