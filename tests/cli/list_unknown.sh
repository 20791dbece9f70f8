#!/bin/sh
# list_unknown.sh: a field whose /proc file is refused (EACCES) shows as
# "?" (null in JSON), never as a number or an empty string.
. "$SRCDIR/tests/lib.sh"
t_need_root
command -v setpriv >/dev/null || t_skip "setpriv (util-linux) is not installed"

t_start_ready "$T_TMP/out" ready "$TARGETS/proc_target"
pid=$T_PID

# As root the syscall is known: the target waits in pause.
"$WHYTOP" list -i 0 -p "$pid" -c pid,syscall >"$T_TMP/root"
grep -q " pause\$" "$T_TMP/root" || t_fail "root should see the syscall: $(cat "$T_TMP/root")"

# As nobody, /proc/PID/syscall of a root process is mode 0400: refused.
setpriv --reuid=65534 --regid=65534 --clear-groups "$WHYTOP" list -i 0 -p "$pid" \
	-c pid,user,syscall,command >"$T_TMP/nobody" || t_fail "list as nobody failed"
cat "$T_TMP/nobody"
set -- $(awk -v p="$pid" '$1 == p' "$T_TMP/nobody")
[ "$2" = root ] || t_fail "user should still be known: $*"
[ "$3" = "?" ] || t_fail "refused syscall shows '$3', want ?"
setpriv --reuid=65534 --regid=65534 --clear-groups "$WHYTOP" list -i 0 -p "$pid" --json \
	-c pid,syscall,wchan >"$T_TMP/nobody.json" || t_fail "list --json as nobody failed"
# The kernel answers "0" to a reader without ptrace rights: unknown, not "not waiting".
t_json_check "$T_TMP/nobody.json" "refused syscall or wchan is not null in JSON" '
t = d["tasks"][0]
assert t["syscall"] is None, t
assert t["wchan"] is None, t'
# Root sees the wchan of the same task.
"$WHYTOP" list -i 0 -p "$pid" --json -c pid,wchan >"$T_TMP/root.json" || t_fail "list --json as root failed"
t_json_check "$T_TMP/root.json" "root does not see the wchan" '
t = d["tasks"][0]
assert t["wchan"] not in (None, "", "-"), t'
exit 0
