#!/bin/sh
# kernel_vfork.sh: a parent held in D by vfork. 'whytop kstack' must show
# state D, the syscall vfork, and the kernel frame it waits in; 'whytop
# blocked' must list it in a group named by that frame. Everything started
# is gone at the end.
. "$SRCDIR/tests/lib.sh"
t_need_root

t_start_vfork 60
P=$VF_PID
CHILD=$VF_CHILD

out=$("$WHYTOP" kstack "$P") || t_fail "kstack exited $?"
echo "$out"
echo "$out" | grep -q "^thread $P (kern_vfork): D, disk sleep" || t_fail "state D not shown"
echo "$out" | grep -q "^  syscall: vfork()$" || t_fail "syscall vfork not decoded"
echo "$out" | grep -Eq "^  wchan: +(kernel_clone|wait_for_vfork_done)" || t_fail "wchan not shown"
echo "$out" | grep -Eq "^    (kernel_clone|wait_for_vfork_done|__do_sys_vfork)\+0x" ||
	t_fail "no vfork kernel frame in the stack"

json=$("$WHYTOP" kstack "$P" --json) || t_fail "kstack --json exited $?"
echo "$json" | grep -q "\"tid\":$P,\"comm\":\"kern_vfork\",\"state\":\"D\"" || t_fail "json state"
echo "$json" | grep -q '"name":"vfork","args":\[\]' || t_fail "json syscall name"
echo "$json" | grep -Eq '"func":"(kernel_clone|wait_for_vfork_done)"' || t_fail "json frame"

# The child (in S, sleeping) is not in D: not blocked, and its syscall is decoded too.
cout=$("$WHYTOP" kstack "$CHILD") || t_fail "kstack child exited $?"
echo "$cout" | grep -Eq "syscall: (clock_nanosleep|nanosleep)\(" || t_fail "child's sleep not decoded"

bl=$("$WHYTOP" blocked --observe 1) || t_fail "blocked exited $?"
echo "$bl"
# The group header names the frame; our task is listed under it, with how long it was observed.
echo "$bl" | awk -v p="$P" '
	/^[0-9]+ blocked in / { grp = $0 }
	$0 ~ "^  process " p " \\(kern_vfork\\)" { print grp; exit }' |
	grep -Eq "blocked in (kernel_clone|wait_for_vfork_done)$" ||
	t_fail "kern_vfork not grouped under its vfork frame"
echo "$bl" | grep -Eq "thread $P \(kern_vfork\): D, .*blocked for (>= )?[0-9.]+s" ||
	t_fail "blocked-for not shown after --observe"
ko=$("$WHYTOP" kstack "$P" --observe 1) || t_fail "kstack --observe exited $?"
echo "$ko" | grep -Eq "^thread $P \(kern_vfork\): D, disk sleep \(uninterruptible\), blocked for ([1-9][0-9]*\.[0-9]s \(since [0-9:]+\)|>= [1-9]\.[0-9]s \(as observed since [0-9:]+\))$" ||
	t_fail "kstack --observe: no blocked-for: $ko"
"$WHYTOP" kstack "$P" --observe 1 --json | grep -Eq '"blocked_for_s":[1-9][0-9]*\.[0-9]+,"blocked_since":"[0-9-]+T[0-9:]+Z"' ||
	t_fail "json blocked_for_s"
bj=$("$WHYTOP" blocked --json) || t_fail "blocked --json exited $?"
echo "$bj" | grep -Eq "\"key\":\"(kernel_clone|wait_for_vfork_done)\",\"from\":\"stack\"" ||
	t_fail "json group key"
echo "$bj" | grep -q "\"pid\":$P,\"process\":\"kern_vfork\"" || t_fail "json group member"

# A task spinning in user space is never shown as in a syscall: on a CPU it is
# "running"; preempted, it entered the kernel by an interrupt: "not in a syscall".
t_start sh -c 'while :; do :; done'
SPIN=$T_PID
for i in 1 2 3; do
	"$WHYTOP" kstack "$SPIN" | grep -Eq "^  syscall: (running|not in a syscall)$" ||
		t_fail "spinning task shown in a syscall: $("$WHYTOP" kstack "$SPIN")"
done
kill -KILL "$SPIN"

# A zombie makes no more syscalls and has no kernel stack: said so.
t_start sh -c 'sleep 0.1 & exec sleep 60'
ZP=$T_PID
t_wait_for 5 sh -c "[ -n \"\$(pgrep -P $ZP)\" ]" || t_fail "no child to become a zombie"
Z=$(pgrep -P "$ZP")
t_expect_state "$Z" Z "the child of $ZP after its exit" 5
zo=$("$WHYTOP" kstack "$Z") || t_fail "kstack of a zombie exited $?"
echo "$zo" | grep -q "^  syscall: exited: a zombie makes no more syscalls$" || t_fail "zombie syscall: $zo"
echo "$zo" | grep -q "^  kernel stack: unavailable: no kernel stack: thread $Z is a zombie" ||
	t_fail "zombie stack: $zo"
kill -KILL "$ZP"

# End the child: the parent leaves D and exits 0; nothing is left behind.
kill -KILL "$CHILD"
t_reaped "$P" 10; st=$T_STATUS
[ "$st" = 0 ] || t_fail "kern_vfork ended with $st"
t_alive "$CHILD" && t_fail "vfork child $CHILD still there"
"$WHYTOP" kstack "$P" 2>/dev/null && t_fail "kstack of a reaped process succeeded"
exit 0
