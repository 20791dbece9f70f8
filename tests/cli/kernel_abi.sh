#!/bin/sh
# kernel_abi.sh: an i386 task on x86_64 gets i386 syscall names. Its vfork
# is number 190 (fsetxattr on x86_64), its child's nanosleep 162 (sync).
. "$SRCDIR/tests/lib.sh"
t_need_root
t_need_i386
[ -x "$TARGETS/kern_vfork32" ] || t_skip "no 32-bit toolchain: kern_vfork32 not built"
"$TARGETS/kern_vfork32" &
P=$!
T_PIDS="$T_PIDS $P"
is_d() { [ "$(t_state "$P")" = D ]; }
t_wait_for 5 is_d || t_skip "i386 binaries do not run here (no IA32 emulation?)"
CHILD=$(pgrep -P "$P")
T_PIDS="$T_PIDS $CHILD"

out=$("$WHYTOP" kstack "$P") || t_fail "kstack exited $?"
echo "$out"
echo "$out" | grep -q "^process $P (kern_vfork32), i386 ABI" || t_fail "ABI not i386"
echo "$out" | grep -q "^  syscall: vfork()$" || t_fail "190 not named vfork for i386"
"$WHYTOP" kstack "$P" --json | grep -q '"nr":190,"abi":"i386","name":"vfork"' || t_fail "json"
c=$("$WHYTOP" kstack "$CHILD") || t_fail "kstack child exited $?"
echo "$c"
echo "$c" | grep -q "^  syscall: nanosleep(0x[0-9a-f]*, 0x0)$" || t_fail "162 not named nanosleep for i386"

kill -KILL "$CHILD"
t_reaped "$P" 10
[ "$T_STATUS" = 0 ] || t_fail "kern_vfork32 ended with $T_STATUS"
exit 0
