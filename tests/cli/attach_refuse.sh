#!/bin/sh
# attach_refuse.sh: every command that attaches (stack, locals, poke,
# syscalls --backend ptrace) gives the real reason when it cannot:
#  - a zombie is a zombie (not "a kernel thread"), naming its parent;
#  - whytop's own pid: whytop cannot trace itself (not "run as root");
#  - a process another tool traces: traced by PID (name), detach it first,
#    without "or run as root";
#  - pid 1 as root: it works, or the kernel's refusal with why root does
#    not help -- never "run as root" to root.
. "$SRCDIR/tests/lib.sh"
t_need_root

# check WHAT EXPECTED_SUBSTRING FORBIDDEN_REGEX CMD...: CMD fails with
# exit status 1 and a message holding EXPECTED_SUBSTRING, matching none of
# FORBIDDEN_REGEX.
check() {
	local what=$1 want=$2 bad=$3
	shift 3
	"$@" >"$T_TMP/out" 2>"$T_TMP/err"
	local rc=$?
	local msg
	msg=$(cat "$T_TMP/err")
	echo "$what: rc $rc: $msg"
	[ "$rc" = 1 ] || t_fail "$what: exit status $rc, expected 1 ($msg)"
	case $msg in *"$want"*) ;; *) t_fail "$what: expected '$want' in: $msg" ;; esac
	if echo "$msg" | grep -Eq "$bad"; then
		t_fail "$what: wrong reason in: $msg"
	fi
}

# Every attaching command on PID (extra words after it for poke).
each_cmd() {
	echo "stack $1"
	echo "locals $1"
	echo "poke $1 x=1"
	echo "syscalls $1 --backend ptrace --duration 0.2"
}

# A zombie.
t_start_ready "$T_TMP/zombie.out" '^ready' "$TARGETS/att_target" zombie
ZP=$T_PID
Z=$(sed -n 's/^ready //p' "$T_TMP/zombie.out")
t_expect_state "$Z" Z "att_target zombie's child"
each_cmd "$Z" | while read -r c; do
	# shellcheck disable=SC2086
	check "zombie: $c" "process $Z is a zombie (it has exited; its parent $ZP (att_target) has not reaped it)" \
		"kernel thread|run as root|run whytop as root" "$WHYTOP" $c
done || exit 1

# whytop's own pid: sh -c 'exec whytop ... $$' runs whytop as the pid it names.
each_cmd '$$' | while read -r c; do
	check "itself: $c" "whytop cannot trace itself" "run as root|run whytop as root|Operation not permitted" \
		sh -c "exec \"\$0\" $c" "$WHYTOP"
done || exit 1

# A process traced by another tool (att_target trace holds every thread).
t_start "$TARGETS/kern_vfork" 600
# kern_vfork's child sleeps in S: a plain process to hold.
V=$T_PID
t_wait_for 10 sh -c "pgrep -P $V >/dev/null" || t_fail "no vfork child"
S=$(pgrep -P "$V")
T_PIDS="$T_PIDS $S"
t_start_ready "$T_TMP/trace.out" '^ready' "$TARGETS/att_target" trace "$S"
H=$T_PID
[ "$(t_tracer "$S")" = "$H" ] || t_fail "$S is not traced by $H (TracerPid '$(t_tracer "$S")')"
each_cmd "$S" | while read -r c; do
	# shellcheck disable=SC2086
	check "traced: $c" "is already traced by $H (att_target); detach it first" \
		"run as root|run whytop as root" "$WHYTOP" $c
done || exit 1
[ "$(t_tracer "$S")" = "$H" ] || t_fail "the other tracer $H lost $S (TracerPid '$(t_tracer "$S")')"

# pid 1, as root: either it works, or the reason is not "run as root".
each_cmd 1 | while read -r c; do
	# shellcheck disable=SC2086
	if "$WHYTOP" $c >"$T_TMP/out" 2>"$T_TMP/err"; then
		echo "pid 1: $c: works"
		continue
	fi
	msg=$(cat "$T_TMP/err")
	echo "pid 1: $c: $msg"
	echo "$msg" | grep -Eq "run as root|run whytop as root" && t_fail "pid 1: $c: told root to run as root: $msg"
	echo "$msg" | grep -q "whytop has CAP_SYS_PTRACE" || t_fail "pid 1: $c: no reason given: $msg"
done || exit 1
t_untraced 1 "pid 1 after every command"
exit 0
