#!/bin/sh
# A process in another mount namespace with the same root: in its
# namespace its path names another file (a bind mount) than in ours.
# whytop must read the file the process mapped, not the one at that path
# here: its functions, its variables, and a poke into its real stack slot
# (the target's own exit proves the write landed).
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/stack_lib.sh"
. "$SRCDIR/tests/cli/locals_lib.sh"
t_need_root
command -v unshare >/dev/null || t_skip "no unshare"
unshare -m --propagation private true 2>/dev/null || t_skip "cannot make a mount namespace here"

# Here: $T_TMP/prog is stk_loop. In the target's namespace: crazy.
cp "$TARGETS/stk_loop" "$T_TMP/prog"
cp "$TARGETS/crazy" "$T_TMP/real"
out=$T_TMP/ns.out
# unshare and sh exec: the pid is the target's.
t_start unshare -m --propagation private sh -c \
	'mount --bind "$1" "$2" && exec "$2"' sh "$T_TMP/real" "$T_TMP/prog" >"$out" 2>&1
pid=$T_PID
t_wait_for 10 grep -q spinning "$out" || t_fail "the target did not start: $(cat "$out")"
mapped=$(awk -v p="$T_TMP/prog" '$6 == p { print $5; exit }' "/proc/$pid/maps")
[ -n "$mapped" ] || t_fail "the target does not map $T_TMP/prog"
[ "$mapped" != "$(stat -c %i "$T_TMP/prog")" ] ||
	t_fail "the bind mount did not hide our $T_TMP/prog from the target"

w=$T_TMP/stack.txt
stk_walk "$w" "$pid"
stk_expect "$w" "#0 .* spin_until_cleared\+0x[0-9a-f]+ \(prog\) at .*crazy\.c:[0-9]+" \
	"frame 0 named from the file the process mapped"
stk_expect "$w" " main\+0x[0-9a-f]+ \(prog\) at .*crazy\.c:" "main, from crazy.c"
grep -q 'stk_loop' "$w" && t_fail "a name from the other file at that path: $(cat "$w")"

"$WHYTOP" locals "$pid" >"$T_TMP/locals" 2>&1 || t_fail "whytop locals failed: $(cat "$T_TMP/locals")"
grep -q "frame 0: spin_until_cleared at .*crazy.c" "$T_TMP/locals" ||
	t_fail "locals of another frame: $(head -1 "$T_TMP/locals")"
[ "$(lx_val "$T_TMP/locals" flag)" = 1 ] || t_fail "flag reads '$(lx_val "$T_TMP/locals" flag)', not 1"

"$WHYTOP" poke "$pid" flag=0 >"$T_TMP/poke" 2>&1 || t_fail "whytop poke failed: $(cat "$T_TMP/poke")"
grep -q "^flag: 1 -> 0 (int, stack 0x" "$T_TMP/poke" || t_fail "poke said: $(cat "$T_TMP/poke")"
t_reaped "$pid" 10 || t_fail "the target did not finish after the poke"
[ "$T_STATUS" = 0 ] || t_fail "the target exited $T_STATUS"
grep -q "flag cleared after [0-9]* spins, finishing normally" "$out" ||
	t_fail "no completion line: $(cat "$out")"
echo "ok: another mount namespace"
