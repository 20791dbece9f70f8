#!/bin/sh
# kernel_nonroot.sh: as user nobody, whytop cannot read a root task's
# kernel side nor any kernel stack. It must say so -- which file the kernel
# refused and what would allow it -- never print a blank field. Its own
# task's syscall and wchan stay readable without CAP_SYS_ADMIN.
. "$SRCDIR/tests/lib.sh"
t_need_root
command -v setpriv >/dev/null || t_skip "no setpriv"
AS_NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
$AS_NOBODY "$WHYTOP" --version >/dev/null 2>&1 || t_skip "user nobody cannot run $WHYTOP"

kill_vfork() {
	for c in $(pgrep -P "$1"); do kill -KILL "$c"; done
}

t_start "$TARGETS/kern_vfork" 60
ROOTP=$T_PID
t_start $AS_NOBODY "$TARGETS/kern_vfork" 60
MYP=$T_PID # setpriv execs the target: same pid
t_expect_state "$ROOTP" D "root's kern_vfork" 5
t_expect_state "$MYP" D "nobody's kern_vfork" 5
T_PIDS="$T_PIDS $(pgrep -P "$ROOTP") $(pgrep -P "$MYP")"

# No field may be empty: every one is a value or a reason.
no_blanks() {
	echo "$1" | grep -Eq "^ *(wchan|syscall|kernel stack):? *$" && t_fail "a blank field: $1"
	return 0
}

out=$($AS_NOBODY "$WHYTOP" kstack "$ROOTP") || t_fail "kstack as nobody exited $?"
echo "$out"
no_blanks "$out"
echo "$out" | grep -q "^thread $ROOTP (kern_vfork): D" || t_fail "state must stay visible"
echo "$out" | grep -q "syscall: unknown: thread $ROOTP belongs to user root: .*ptrace.*root" ||
	t_fail "no clear syscall refusal"
echo "$out" | grep -q "wchan: *hidden: .*ptrace" || t_fail "no clear wchan refusal"
echo "$out" | grep -q "kernel stack: unavailable: .*CAP_SYS_ADMIN.*run whytop as root" ||
	t_fail "no clear stack refusal"

out=$($AS_NOBODY "$WHYTOP" kstack "$MYP") || t_fail "kstack own as nobody exited $?"
echo "$out"
no_blanks "$out"
echo "$out" | grep -q "^  syscall: vfork()$" || t_fail "own task's syscall should be readable"
echo "$out" | grep -Eq "^  wchan: +(kernel_clone|wait_for_vfork_done)$" ||
	t_fail "own task's wchan should be readable"
echo "$out" | grep -q "kernel stack: unavailable: .*CAP_SYS_ADMIN" || t_fail "stack refusal"

js=$($AS_NOBODY "$WHYTOP" kstack "$ROOTP" --json) || t_fail "json as nobody exited $?"
echo "$js" | grep -q '"stack":null,"stack_error":"the kernel shows kernel stacks only to CAP_SYS_ADMIN' ||
	t_fail "json stack_error"
echo "$js" | grep -q '"syscall":{"state":"unknown"' || t_fail "json unknown syscall"

bl=$($AS_NOBODY "$WHYTOP" blocked) || t_fail "blocked as nobody exited $?"
echo "$bl"
echo "$bl" | grep -q "^note: .*CAP_SYS_ADMIN.*grouped by wchan instead" || t_fail "blocked note"
echo "$bl" | awk -v p="$MYP" '
	/^[0-9]+ blocked in / { grp = $0 }
	$0 ~ "^  process " p " " { print grp; exit }' |
	grep -Eq "blocked in wchan (kernel_clone|wait_for_vfork_done) \(from wchan" ||
	t_fail "own task not grouped by its wchan"

# /proc mounted with hidepid (in a private mount namespace): another user's
# process is not "gone", it is hidden, and the blocked view says what it misses.
if command -v unshare >/dev/null &&
	unshare -m sh -c 'mount -t proc -o hidepid=invisible proc /proc' 2>/dev/null; then
	hp=$(unshare -m sh -c "mount -t proc -o hidepid=invisible proc /proc &&
		$AS_NOBODY '$WHYTOP' kstack $ROOTP 2>&1; $AS_NOBODY '$WHYTOP' blocked")
	echo "$hp"
	echo "$hp" | grep -q "kstack: process $ROOTP exists but /proc hides it (mounted with hidepid=invisible); run whytop as root" ||
		t_fail "hidepid: kstack says the process is gone"
	echo "$hp" | grep -q "^note: /proc is mounted with hidepid=invisible: other users' processes are hidden" ||
		t_fail "hidepid: no note in blocked"
else
	echo "(no private mount namespace here: hidepid not checked)"
fi

# A kernel thread makes no system calls: said so, not "read(0, ...)".
if [ "$(cat /proc/2/comm 2>/dev/null)" = kthreadd ]; then
	kt=$("$WHYTOP" kstack 2) || t_fail "kstack 2 exited $?"
	echo "$kt" | grep -q "a kernel thread" || t_fail "kthreadd not recognised as a kernel thread"
	echo "$kt" | grep -q "syscall: kernel thread: makes no syscalls" || t_fail "kthread syscall"
fi

kill_vfork "$ROOTP"
kill_vfork "$MYP"
t_reaped "$ROOTP" 10; [ "$T_STATUS" = 0 ] || t_fail "root target did not exit cleanly"
t_reaped "$MYP" 10; [ "$T_STATUS" = 0 ] || t_fail "nobody's target did not exit cleanly"
exit 0
