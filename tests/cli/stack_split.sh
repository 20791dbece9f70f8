#!/bin/sh
# Debug info in a separate file: stk_split has neither DWARF nor a symbol
# table; stk_split.debug next to it (through .gnu_debuglink) has both. Names,
# files and lines must come from it.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/stack_lib.sh"
t_need_root

bin=$TARGETS/stk_split
[ -f "$TARGETS/stk_split.debug" ] || t_fail "stk_split.debug was not built"
if command -v readelf >/dev/null; then
	readelf -S "$bin" | grep -q '\.debug_info' && t_fail "stk_split still has .debug_info"
	readelf -S "$bin" | grep -q '\.symtab' && t_fail "stk_split still has .symtab"
	readelf -S "$bin" | grep -q '\.gnu_debuglink' || t_fail "stk_split has no .gnu_debuglink"
fi
stk_start stk_split
line=$(stk_line stk_split.c STK_SPLIT_LINE)
w=$T_TMP/split.txt
stk_walk "$w" "$STK_PID"
stk_expect "$w" " stk_split_wait\+0x[0-9a-f]+ \(stk_split\) at .*tests/targets/stk_split\.c:$line$" \
	"the static function, named from the separate debug file"
stk_expect "$w" " main\+0x[0-9a-f]+ \(stk_split\) at .*stk_split\.c:" "main with its line"
stk_runs_on "$STK_OUT"
exit 0
