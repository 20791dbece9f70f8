#!/bin/sh
# stack_note.sh: the Stack tab says when a module's debug info was skipped
# (its compressed sections would inflate beyond WHYTOP_DEBUG_INFLATE_MAX):
# the note on the line above the threads, frames named without lines.
. "$SRCDIR/tests/tui/tui_lib.sh"
. "$SRCDIR/tests/cli/stack_lib.sh"
t_need_root

stk_start stk_splitz
P=$STK_PID
tui_start WHYTOP_DEBUG_INFLATE_MAX=1000 -- -d 5 -p "$P" --open
tui_wait "1:Overview"
n=$(tui_line ":Overview" | sed -n "s/.*\([0-9]\):Stack.*/\1/p")
[ -n "$n" ] || t_fail "no Stack tab on the tab bar: $(tui_line Overview)"
tui_keys "$n"
tui_wait "Thread $P stk_splitz (S)"
screen_has() { tui_screen | grep -Eq -- "$1"; }
t_wait_for 10 screen_has "^ *Note: debug info of .*stk_splitz\.debug skipped: its compressed" ||
	{ tui_screen >&2; t_fail "no note about the skipped debug info"; }
t_wait_for 10 screen_has "stk_split_wait\+0x[0-9a-f]+ \(stk_splitz\) *$" ||
	{ tui_screen >&2; t_fail "stk_split_wait not named from symbols alone"; }
stk_runs_on "$STK_OUT"
exit 0
