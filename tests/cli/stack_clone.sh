#!/bin/sh
# Threads caught just after they were born, still in glibc's clone3 (before
# their first instruction: glibc gives that code no unwind information and
# marks the child's return address undefined) are one-frame stacks, never
# "the stack could not be unwound". Walks of a process that makes threads
# all the time meet such threads; none of them may carry an error.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/stack_lib.sh"
t_need_root

stk_start stk_churn
pid=$STK_PID
t_wait_for 5 grep -q '^beat' "$STK_OUT" || t_fail "stk_churn never beat"
w=$T_TMP/walk.txt
all=$T_TMP/all.txt
: >"$all"
# Up to 400 cold walks, until 100 are done and 3 newborn threads were seen
# (on this machine about one walk in two meets one).
walks=0
newborn=0
while [ "$walks" -lt 400 ]; do
	stk_walk "$w" "$pid"
	walks=$((walks + 1))
	cat "$w" >>"$all"
	# A thread whose frame #0 is in clone3/clone at the instruction after
	# the syscall, and which has no frame #1. (Without libc's debug file
	# __clone3 has no symbol: frame 0 is then an unnamed libc frame.)
	n=$(awk '/^thread /{if (c && !f1) k++; c = 0; f1 = 0; next}
		/^  #0 .* ((__)?clone3?\+0x|\?\? \(libc\.so\.6\)$)/{c = 1}
		/^  #1 /{f1 = 1}
		END{if (c && !f1) k++; print k + 0}' "$w")
	newborn=$((newborn + n))
	[ "$walks" -ge 100 ] && [ "$newborn" -ge 3 ] && break
done
if grep -n "could not be unwound" "$all" >"$T_TMP/bad"; then
	grep -B3 "could not be unwound" "$all" | head -20 >&2
	t_fail "$(wc -l <"$T_TMP/bad") threads over $walks walks could not be unwound"
fi
[ "$newborn" -ge 1 ] || t_fail "no walk of $walks met a thread still in clone3 (the test saw nothing)"
echo "walks $walks, threads caught in clone3 with a one-frame stack: $newborn"
stk_runs_on "$STK_OUT"
t_threads_left_running "$pid" "stk_churn after $walks walks"
exit 0
