#!/bin/sh
# hangup.sh: the terminal goes away (tmux's server is killed, as when an
# ssh connection drops) while a dialog is open: the signal menu, the poke
# value input, the poke confirmation. whytop must end (not spin on a
# terminal that returns nothing) and leave the process it was inspecting
# running and untraced.
. "$SRCDIR/tests/tui/tui_lib.sh"
. "$SRCDIR/tests/tui/locals_lib.sh"
. "$SRCDIR/tests/cli/locals_lib.sh"
t_need_root

lx_start_types

# hangup WHAT: kill the terminal, then whytop must be gone within 10 s.
hangup() {
	local w
	tui_whytop_pid
	w=$TUI_WHYTOP_PID
	T_PIDS="$T_PIDS $w" # ended by the EXIT trap if it outlives its terminal
	tm kill-server
	t_wait_gone "$w" 10 "whytop after its terminal went away with $1 open"
	t_left_running "$pid" "the target after whytop lost its terminal with $1 open"
}

# The signal menu (F9) on the list.
tui_start -- -d 5 -p "$pid"
tui_ready
tui_wait_row "$pid"
tui_keys F9
tui_wait "Send signal to $pid"
hangup "the signal menu"

# The Locals tab's value input: the target's thread is held while it is open.
lt_open "$pid"
tui_wait "i = -123456"
lt_edit i
hangup "the poke value input"

# The confirmation after it.
lt_open "$pid"
tui_wait "i = -123456"
lt_edit i
tui_type 5
tui_keys Enter
tui_wait "Write 5 into i"
hangup "the poke confirmation"
exit 0
