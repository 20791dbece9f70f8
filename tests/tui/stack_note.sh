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
tui_tab Stack
tui_wait "Thread $P stk_splitz (S)"
tui_wait_re "^ *Note: debug info of .*stk_splitz\.debug skipped: its compressed" "no note about the skipped debug info" 10
tui_wait_re "stk_split_wait\+0x[0-9a-f]+ \(stk_splitz\) *$" "stk_split_wait not named from symbols alone" 10
stk_runs_on "$STK_OUT"
exit 0
