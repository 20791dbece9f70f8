#!/bin/sh
# The binary of a running process is replaced (mv over it) or removed, or
# its path holds a newline: maps says "PATH (deleted)" or escapes the
# newline as \012. whytop opens the mapped file itself (/proc/PID/map_files):
# names, lines and variables are the process's own, never the new file's.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/stack_lib.sh"
. "$SRCDIR/tests/cli/locals_lib.sh"
t_need_root

# 1. Replaced by mv: the path now names stk_loop.
out=$T_TMP/mv.out
stk_start_replaced "$out"
pid=$STK_PID
grep -q "/bin/prog (deleted)$" "/proc/$pid/maps" || t_fail "maps does not say (deleted)"
w=$T_TMP/mv.txt
stk_walk "$w" "$pid"
stk_expect "$w" "#0 .* spin_until_cleared\+0x[0-9a-f]+ \(prog \(deleted\)\) at .*crazy\.c:[0-9]+" \
	"frame 0 of the replaced binary"
stk_expect "$w" " main\+0x[0-9a-f]+ \(prog \(deleted\)\) at .*crazy\.c:" "main of the replaced binary"
# (libc's own frames may be unnamed: without its debug file its local
# symbols, such as __libc_start_call_main, are not in the dynamic table.)
grep -Eq 'stk_loop|\?\? \(prog' "$w" && t_fail "a wrong or missing name: $(cat "$w")"
"$WHYTOP" locals "$pid" >"$T_TMP/locals" 2>&1 || t_fail "whytop locals failed: $(cat "$T_TMP/locals")"
[ "$(lx_val "$T_TMP/locals" flag)" = 1 ] || t_fail "flag reads '$(lx_val "$T_TMP/locals" flag)', not 1"
"$WHYTOP" poke "$pid" flag=0 >"$T_TMP/poke" 2>&1 || t_fail "whytop poke failed: $(cat "$T_TMP/poke")"
t_reaped "$pid" 10 || t_fail "the target did not finish after the poke"
grep -q "finishing normally" "$out" || t_fail "no completion line: $(cat "$out")"

# 2. Removed: nothing at the path at all.
cp "$TARGETS/stk_loop" "$T_TMP/bin/gone"
stk_start_at() {
	STK_OUT=$2
	t_start_ready "$STK_OUT" '^ready' "$1"
	STK_PID=$T_PID
}
stk_start_at "$T_TMP/bin/gone" "$T_TMP/gone.out"
rm "$T_TMP/bin/gone"
w=$T_TMP/rm.txt
stk_walk "$w" "$STK_PID"
line=$(stk_line stk_loop.c STK_SPIN_LINE)
# (The loop's frame, frame 0 unless the walk caught it reading the clock
# every 4096 turns: then stk_ms, clock_gettime and the vDSO are above it.)
stk_expect "$w" "#[0-9] .* stk_loop_spin\+0x[0-9a-f]+ \(gone \(deleted\)\) at .*stk_loop\.c:$line" \
	"the loop's frame of the removed binary"
stk_expect "$w" " stk_loop_outer\+0x[0-9a-f]+ \(gone \(deleted\)\)" "its caller"
stk_runs_on "$T_TMP/gone.out"

# 3. A newline in the directory and in the file name.
nl='
'
dir="$T_TMP/new${nl}line"
mkdir "$dir"
cp "$TARGETS/stk_loop" "$dir/stk${nl}loop"
stk_start_at "$dir/stk${nl}loop" "$T_TMP/nl.out"
grep -q 'new\\012line/stk\\012loop$' "/proc/$STK_PID/maps" || t_fail "maps does not escape the newline"
w=$T_TMP/nl.txt
stk_walk "$w" "$STK_PID"
stk_expect "$w" "#[0-9] .* stk_loop_spin\+0x[0-9a-f]+ \(stk\\\\012loop\) at .*stk_loop\.c:$line" \
	"the loop's frame named, its module's name escaped"
stk_expect "$w" " stk_loop_outer\+0x[0-9a-f]+ \(stk\\\\012loop\)" "its caller"
grep -q '^loop' "$w" && t_fail "a raw newline in the output: $(cat "$w")"
"$WHYTOP" locals "$STK_PID" --function stk_loop_spin >"$T_TMP/nl.locals" 2>&1 ||
	t_fail "locals failed: $(cat "$T_TMP/nl.locals")"
grep -q "^  beat = " "$T_TMP/nl.locals" || t_fail "no variable beat: $(cat "$T_TMP/nl.locals")"
stk_runs_on "$T_TMP/nl.out"
echo "ok: replaced, removed, newline"
