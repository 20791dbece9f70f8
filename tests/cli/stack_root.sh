#!/bin/sh
# A process in another root directory (a chroot, as in a container): its
# binary's path exists only under /proc/PID/root. whytop must open it from
# there and still name the frames with file and line.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/stack_lib.sh"
t_need_root
command -v chroot >/dev/null || t_skip "no chroot"

root=$T_TMP/root
mkdir -p "$root/bin"
cp "$TARGETS/stk_static" "$root/bin/stk_in_root"
[ ! -e /bin/stk_in_root ] || t_skip "/bin/stk_in_root exists on the host"
out=$T_TMP/root.out
t_start chroot "$root" /bin/stk_in_root >"$out"
pid=$T_PID
t_wait_for 10 grep -q '^ready' "$out" || t_fail "the chrooted target did not start"
# chroot execs the target: same pid. Its root is not ours.
[ "$(readlink "/proc/$pid/root")" != / ] || t_fail "the target is not in another root"
line=$(stk_line stk_static.c STK_STATIC_LINE)
w=$T_TMP/root.txt
stk_walk "$w" "$pid"
stk_expect "$w" " stk_static_wait\+0x[0-9a-f]+ \(stk_in_root\) at .*stk_static\.c:$line( \[fallback\])?$" \
	"the function, named from the file under /proc/PID/root"
stk_expect "$w" " main\+0x[0-9a-f]+ \(stk_in_root\)" "main"
grep -q '??' "$w" && t_fail "an unnamed frame"
out2=$T_TMP/root2.out
cp "$out" "$out2"
t_wait_for 5 sh -c "[ \$(grep -c '^beat' '$out') -gt \$(grep -c '^beat' '$out2') ]" ||
	t_fail "the target stopped making progress"
exit 0
