#!/bin/sh
# A looping program, a deep recursion and an inlined loop: exact functions,
# files and lines, and each target runs on after the walk.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/stack_lib.sh"
t_need_root

# The loop: stk_loop_spin <- stk_loop_outer <- main, lines from the markers.
stk_start stk_loop
spin=$(stk_line stk_loop.c STK_SPIN_LINE)
outer=$(stk_line stk_loop.c STK_OUTER_LINE)
mainl=$(stk_line stk_loop.c STK_MAIN_LINE)
w=$T_TMP/loop.txt
stk_walk "$w" "$STK_PID"
stk_expect "$w" "^process $STK_PID: 1 thread," "one thread"
stk_expect "$w" "^thread $STK_PID \"stk_loop\" \(R\)" "the thread, running"
stk_expect "$w" " stk_loop_spin\+0x[0-9a-f]+ \(stk_loop\) at .*tests/targets/stk_loop\.c:$spin$" \
	"the spinning frame"
stk_expect "$w" " stk_loop_outer\+0x[0-9a-f]+ \(stk_loop\) at .*stk_loop\.c:$outer$" "its caller"
stk_expect "$w" " main\+0x[0-9a-f]+ \(stk_loop\) at .*stk_loop\.c:$mainl$" "main"
# Callers appear in order: spin before outer before main.
order=$(grep -nE " (stk_loop_spin|stk_loop_outer|main)\+" "$w" | sed 's/.* \([a-z_]*\)+0x.*/\1/' | tr '\n' ' ')
[ "$order" = "stk_loop_spin stk_loop_outer main " ] || t_fail "frames out of order: $order"
# (Caught in the vDSO, about one walk in 60 on a quiet machine and more
# often on a loaded one, the frames found from a vDSO frame come from the
# fallback by design, up to the first frame outside the vDSO; nothing else
# may. The vDSO may hold two frames: a helper without a symbol, then
# __vdso_clock_gettime.)
fb=$(grep '\[fallback\]' "$w")
nv=$(grep -cE '^ *#[0-9]+ .*\(\[vdso\]\)( \[fallback\])?$' "$w")
if grep -q '^ *#0 .*(\[vdso\])$' "$w"; then
	fb=$(printf '%s\n' "$fb" | awk -v nv="$nv" '{ n = $1; sub("#", "", n); if (n + 0 > nv) print }')
fi
[ -z "$fb" ] || t_fail "libunwind should walk stk_loop without a fallback: $fb"
stk_runs_on "$STK_OUT"

# --source prints the line itself, found from any working directory.
(cd / && stk_walk "$w" "$STK_PID" --source)
stk_expect "$w" "^ +$spin \| for \(;;\) \{ stk_count\+\+;" "the source line"

# --json: the same frame, as data.
stk_walk "$w" "$STK_PID" --json
stk_expect "$w" "\"function\":\"stk_loop_outer\",\"offset\":[0-9]+,\"file\":\"[^\"]*stk_loop\.c\",\"src_path\":\"/[^\"]*/tests/targets/stk_loop\.c\",\"line\":$outer," \
	"the JSON frame"
t_expect_state "$STK_PID" RS "stk_loop after the walks"

# The recursion: 100 stk_recurse frames at the recursive call line, the bottom below.
stk_start stk_recurse 100
rec=$(stk_line stk_recurse.c STK_RECURSE_LINE)
bottom=$(stk_line stk_recurse.c STK_BOTTOM_LINE)
w=$T_TMP/rec.txt
stk_walk "$w" "$STK_PID"
stk_expect "$w" " stk_recurse_bottom\+0x[0-9a-f]+ \(stk_recurse\) at .*stk_recurse\.c:$bottom$" "the bottom"
n=$(grep -cE " stk_recurse\+0x[0-9a-f]+ \(stk_recurse\) at .*stk_recurse\.c:$rec$" "$w")
[ "$n" = 99 ] || t_fail "expected 99 recursive frames at line $rec, found $n"
n=$(grep -cE " stk_recurse\+0x" "$w")
[ "$n" = 100 ] || t_fail "expected 100 stk_recurse frames, found $n"
stk_expect "$w" " main\+0x" "main below the recursion"
stk_runs_on "$STK_OUT"

# The inlined loop (-O2): the inline frame, then its caller at the call site.
stk_start stk_inline
body=$(stk_line stk_inline.c STK_BODY_LINE)
call=$(stk_line stk_inline.c STK_CALL_LINE)
w=$T_TMP/inl.txt
stk_walk "$w" "$STK_PID"
stk_expect "$w" "#0 .* stk_inline_body\+0x[0-9a-f]+ \(stk_inline\) at .*stk_inline\.c:$body \[inline\]$" \
	"the inlined body as frame 0"
stk_expect "$w" "#1 .* stk_inline_outer\+0x[0-9a-f]+ \(stk_inline\) at .*stk_inline\.c:$call$" \
	"its physical caller at the call line"
stk_walk "$w" "$STK_PID" --json
stk_expect "$w" "\"function\":\"stk_inline_body\".*\"inline\":true,\"inline_depth\":1" "inline in JSON"
exit 0
