#!/bin/sh
# Not root: whytop falls back to ptrace by itself, says why, and still
# counts exactly (the target runs as the same unprivileged user).
. "$SRCDIR/tests/lib.sh"
t_need_root
command -v setpriv >/dev/null || t_skip "setpriv (util-linux) missing"
id nobody >/dev/null 2>&1 || t_skip "no user nobody"
NOBODY="setpriv --reuid=$(id -u nobody) --regid=$(id -g nobody) --clear-groups"
# (a function would put a shell between t_start and the program: the pid
# recorded must be the program's, so the command is spelled out)
as_nobody() { $NOBODY "$@"; }

D=$T_TMP/d
mkdir "$D"
chmod 755 "$T_TMP"
chown nobody "$D"
# the binaries must be reachable by nobody
as_nobody test -x "$WHYTOP" || t_skip "the build tree is not readable by nobody"
as_nobody test -x "$TARGETS/sc_work" || t_skip "the build tree is not readable by nobody"

cd "$D" || exit 99
t_start $NOBODY "$TARGETS/sc_work" "$D" 0 >"$T_TMP/out"
P=$T_PID
t_wait_for 10 test -d "$D/ready" || t_fail "target did not start"
# t_start recorded the setpriv pid, which exec'd into sc_work: the same process
t_start $NOBODY "$WHYTOP" syscalls "$P" --json >"$T_TMP/json" 2>"$T_TMP/err"
W=$T_PID
t_wait_for 10 grep -q counting "$T_TMP/err" || t_fail "whytop did not start: $(cat "$T_TMP/err")"
grep -q "with ptrace" "$T_TMP/err" || t_fail "not the ptrace fallback: $(cat "$T_TMP/err")"
as_nobody mkdir "$D/go"
t_wait_for 30 test -d "$D/worked" || t_fail "work did not finish"
kill -TERM "$W"
t_reap "$W" 10 >"$T_TMP/st"
[ "$(cat "$T_TMP/st")" = 0 ] || t_fail "whytop failed: $(cat "$T_TMP/err")"
grep -q '"backend":"ptrace"' "$T_TMP/json" || t_fail "$(cat "$T_TMP/json")"
grep -q 'not in-kernel: in-kernel counting needs root' "$T_TMP/json" || t_fail "no reason given: $(cat "$T_TMP/json")"
grep -q '"name":"getppid","abi":"x86_64","nr":110,"calls":1000,"errors":0' "$T_TMP/json" ||
	t_fail "getppid: $(cat "$T_TMP/json")"
grep -q '"name":"close","abi":"x86_64","nr":3,"calls":300,"errors":300,"errno":"EBADF"' "$T_TMP/json" ||
	t_fail "close: $(cat "$T_TMP/json")"
as_nobody mkdir "$D/finish"
t_reap "$P" 20 >"$T_TMP/st"
[ "$(cat "$T_TMP/st")" = 0 ] || t_fail "target harmed: $(cat "$T_TMP/out")"
grep -q 'sc_work: ok' "$T_TMP/out" || t_fail "target output: $(cat "$T_TMP/out")"
exit 0
