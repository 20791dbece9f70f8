#!/bin/sh
# dialog_enter.sh: in the poke confirmation Enter activates the highlighted
# button, and the dialog says which: No at first (Enter cancels, and the
# status line says "Cancelled: ..."; the program keeps its value), Tab
# moves to Yes and Enter then writes. Esc in the signal menu is a
# cancelled action too.
. "$SRCDIR/tests/tui/tui_lib.sh"
. "$SRCDIR/tests/tui/locals_lib.sh"
. "$SRCDIR/tests/cli/locals_lib.sh"
t_need_root

lx_start_types
usr1_i() {
	: >"$out"
	kill -USR1 "$pid"
	t_wait_for 5 grep -q "^usr1 i=" "$out" || t_fail "no usr1 dump ($1)"
	lx_own "$out" usr1 i
}

lt_open "$pid"
tui_wait "frame 0: show_types"
tui_wait "i = -123456"

# Enter on the first highlight (No): cancelled, and said so.
lt_edit i
tui_type 99
tui_keys Enter
tui_wait "Write 99 into i"
tui_wait "Enter: no"
tui_keys Enter
tui_wait "Cancelled: i was not poked"
[ "$(usr1_i "after Enter on No")" = -123456 ] || t_fail "Enter on No changed i to $(lx_own "$out" usr1 i)"

# Tab to Yes: Enter writes.
lt_edit i
tui_type 99
tui_keys Enter
tui_wait "Write 99 into i"
tui_keys Tab
tui_wait "Enter: yes"
tui_keys Enter
tui_wait "Poked i: -123456 -> 99"
[ "$(usr1_i "after Enter on Yes")" = 99 ] || t_fail "Enter on Yes did not write 99 into i: the program has $(lx_own "$out" usr1 i)"

# Esc in the list's signal menu: cancelled, said so, nothing sent.
tui_keys Escape
tui_wait "Load average:"
tui_keys /
tui_type "$pid"
tui_keys Enter
tui_keys k
tui_wait "Send signal to"
tui_keys Escape
tui_wait "Cancelled: no signal sent to"
t_alive "$pid" || t_fail "Esc in the signal menu killed $pid"
tui_quit
