#!/bin/sh
# files_env.sh: 'whytop files PID' and 'whytop env PID' on a target holding
# one fd of each kind: the file at its offset with its flags, the listening
# and connected TCP sockets with their ports and states, the unix socket,
# the eventfd, in text and in JSON; --maps has the stack with its RSS; env
# shows a known variable and one with an escape sequence, escaped; a
# process that does not exist, or (as root, through setpriv) one another
# user may not read, is one sentence saying what to do, exit 1.
. "$SRCDIR/tests/lib.sh"

evil=$(printf 'a\033[31mred')
t_start_ready "$T_TMP/out" '^ready' env "WT_KNOWN=hello" "WT_EVIL=$evil" \
	"$TARGETS/files_target" "$T_TMP/held.txt" "$T_TMP/u.sock"
pid=$T_PID
read -r _ lport cport <"$T_TMP/out"

"$WHYTOP" files "$pid" >"$T_TMP/f.txt" 2>"$T_TMP/e" || t_fail "whytop files: $(cat "$T_TMP/e")"
for re in "file +4242 +O_RDWR\|O_APPEND +$T_TMP/held\.txt$" \
	"socket +0 +O_RDWR +tcp 127\.0\.0\.1:$lport LISTEN$" \
	"tcp 127\.0\.0\.1:$cport -> 127\.0\.0\.1:$lport ESTABLISHED$" \
	"unix $T_TMP/u\.sock LISTEN$" "eventfd +0 +O_RDWR\|O_NONBLOCK +anon_inode:\[eventfd\]$"; do
	grep -Eq -- "$re" "$T_TMP/f.txt" || t_fail "whytop files: no line matching '$re' in: $(cat "$T_TMP/f.txt")"
done

"$WHYTOP" files "$pid" --json >"$T_TMP/f.json" || t_fail "whytop files --json failed"
t_json_check "$T_TMP/f.json" "files --json" '
fds = d["fds"]
assert d["pid"] == a[0]
assert any(f["type"] == "file" and f["pos"] == 4242 and "O_APPEND" in f["flags"] for f in fds), fds
assert any(f.get("proto") == "tcp" and f["local"] == "127.0.0.1:%d" % a[1] and f["state"] == "LISTEN" for f in fds), fds
assert any(f.get("proto") == "tcp" and f["remote"] == "127.0.0.1:%d" % a[1] and f["state"] == "ESTABLISHED" for f in fds), fds
assert any(f.get("proto") == "unix" and f["local"].endswith("/u.sock") for f in fds), fds
assert any(f["type"] == "pipe" for f in fds) and any(f["type"] == "eventfd" for f in fds), fds
' "$pid" "$lport"

"$WHYTOP" files --maps "$pid" >"$T_TMP/m.txt" || t_fail "whytop files --maps failed"
grep -Eq "rw-p +[0-9]+K +\[stack\]$" "$T_TMP/m.txt" || t_fail "no stack with its RSS in: $(cat "$T_TMP/m.txt")"
grep -q "kB resident" "$T_TMP/m.txt" || t_fail "no total RSS in: $(head -n 1 "$T_TMP/m.txt")"

"$WHYTOP" env "$pid" >"$T_TMP/env.txt" || t_fail "whytop env failed"
grep -qx "WT_KNOWN=hello" "$T_TMP/env.txt" || t_fail "no WT_KNOWN in: $(cat "$T_TMP/env.txt")"
grep -qxF 'WT_EVIL=a\e[31mred' "$T_TMP/env.txt" || t_fail "WT_EVIL not escaped: $(grep WT_EVIL "$T_TMP/env.txt" | od -c | head)"
"$WHYTOP" env --json "$pid" >"$T_TMP/env.json" || t_fail "whytop env --json failed"
t_json_check "$T_TMP/env.json" "env --json" 'assert "WT_KNOWN=hello" in d["environ"] and not d["cut"]'

st=0
"$WHYTOP" files 999999999 >/dev/null 2>"$T_TMP/e" || st=$?
[ "$st" = 1 ] || t_fail "whytop files on a missing pid: exit $st, want 1"
grep -q "no process 999999999" "$T_TMP/e" || t_fail "whytop files on a missing pid: $(cat "$T_TMP/e")"

# Not ours: run as nobody against the (root's) target.
# (Only where nobody can run the binary at all: a build directory may be private.)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
	setpriv --reuid=65534 --regid=65534 --clear-groups "$WHYTOP" --help >/dev/null 2>&1; then
	for args in "files $pid" "files --maps $pid" "env $pid"; do
		st=0
		# shellcheck disable=SC2086 # args is a list of words
		setpriv --reuid=65534 --regid=65534 --clear-groups "$WHYTOP" $args >/dev/null 2>"$T_TMP/e" || st=$?
		[ "$st" = 1 ] || t_fail "whytop $args as nobody: exit $st, want 1"
		grep -q "permission denied): run whytop as root or as the process's owner" "$T_TMP/e" ||
			t_fail "whytop $args as nobody: $(cat "$T_TMP/e")"
	done
fi
exit 0
