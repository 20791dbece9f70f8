#!/bin/sh
# list_hostile.sh: process names and command lines chosen to attack a
# terminal (an OSC title sequence, a screen clear, newlines, invalid UTF-8)
# come out of `whytop list` as visible escapes: no raw control byte, one
# line per process, and JSON that still parses.
. "$SRCDIR/tests/lib.sh"

ESC=$(printf '\033')
BEL=$(printf '\007')

# Hostile command line (newline, invalid UTF-8, CSI) with a hostile name.
t_start "$TARGETS/proc_target" -n "$(printf '\033]0;pwned\007')" \
	"$(printf 'line1\nline2')" "$(printf '\377\376')" "$(printf '\033[2J')" >"$T_TMP/out1"
p1=$T_PID
# Wiped command line: the hostile name itself is what gets shown.
t_start "$TARGETS/proc_target" -w -n "$(printf '\033]0;pwned\007')" >"$T_TMP/out2"
p2=$T_PID
# A name that looks like the end of the stat comm field: a) S 1 (
t_start "$TARGETS/proc_target" -n "$(printf 'a) Z 1 (\nb')" >"$T_TMP/out3"
p3=$T_PID
for f in out1 out2 out3; do
	t_wait_for 10 grep -q ready "$T_TMP/$f" || t_fail "target $f did not start"
done

"$WHYTOP" list -i 0 -p "$p1,$p2,$p3" -s pid -c pid,ppid,state,command >"$T_TMP/text" ||
	t_fail "list failed"
cat -v "$T_TMP/text"
if grep -q "$ESC" "$T_TMP/text" || grep -q "$BEL" "$T_TMP/text"; then
	t_fail "a raw ESC or BEL reached the output"
fi
LC_ALL=C grep -q "$(printf '\377')" "$T_TMP/text" && t_fail "a raw invalid UTF-8 byte reached the output"
[ "$(wc -l <"$T_TMP/text")" -eq 4 ] || t_fail "want a header and three rows, one line each"
grep -F -q 'line1\nline2 \xff\xfe \e[2J' "$T_TMP/text" || t_fail "command line not escaped as expected"
grep -F -q '\e]0;pwned\x07' "$T_TMP/text" || t_fail "wiped cmdline should show the escaped name"
# Parsed from the last ')': the name's fake ") Z 1 (" does not fool state or ppid.
set -- $(awk -v p="$p3" '$1 == p' "$T_TMP/text")
[ "$2" = "$$" ] && [ "$3" = S ] || t_fail "stat of 'a) Z 1 (' misparsed: $*"

"$WHYTOP" list -i 0 -H -p "$p1,$p2,$p3" --json >"$T_TMP/json" || t_fail "list --json failed"
grep -q "$ESC" "$T_TMP/json" && t_fail "a raw ESC reached the JSON"
t_json_check "$T_TMP/json" "JSON commands are not the escaped text" '
assert tasks[a[0]]["command"].endswith("line1\\nline2 \\xff\\xfe \\e[2J"), tasks[a[0]]["command"]
assert tasks[a[1]]["command"] == "\\e]0;pwned\\x07", tasks[a[1]]["command"]' "$p1" "$p2"
exit 0
