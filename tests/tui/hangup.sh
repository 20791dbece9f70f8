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

# whytop's pid: the child of the pane's shell.
whytop_pid() {
	local pane
	pane=$(tm display-message -p -t t '#{pane_pid}')
	ps -o pid= --ppid "$pane" | tr -d ' '
}

gone() {
	! t_alive "$1" || [ "$(t_state "$1")" = Z ]
}

tracer() {
	sed -n 's/^TracerPid:[[:space:]]*//p' "/proc/$1/status"
}

# hangup WHAT: kill the terminal, then whytop must be gone within 10 s.
hangup() {
	local w
	w=$(whytop_pid)
	[ -n "$w" ] && [ "$(cat "/proc/$w/comm" 2>/dev/null)" = whytop ] ||
		t_fail "cannot find whytop's pid ($w) under the pane"
	T_PIDS="$T_PIDS $w" # ended by the EXIT trap if it outlives its terminal
	tm kill-server
	t_wait_for 10 gone "$w" || t_fail "whytop ($w) still runs 10 s after its terminal went away with $1 open (state $(t_state "$w"))"
	t_alive "$pid" || t_fail "the target died when whytop lost its terminal ($1)"
	case $(t_state "$pid") in
	S | R) ;;
	*) t_fail "the target is left in state $(t_state "$pid") ($1)" ;;
	esac
	[ "$(tracer "$pid")" = 0 ] || t_fail "the target is still traced by $(tracer "$pid") ($1)"
}

# The signal menu (F9) on the list.
tui_start -- -d 5 -p "$pid"
tui_ready
# Its row, by pid (a long build path cuts the Command column short).
row_shown() { tui_screen | grep -q "^ *$pid "; }
t_wait_for 10 row_shown || t_fail "no row for $pid: $(tui_screen)"
tui_keys F9
tui_wait "Send signal to $pid"
hangup "the signal menu"

# The Locals tab's value input: the target's thread is held while it is open.
tui_start -- -d 5 -p "$pid" --open
tui_wait "PID $pid"
lt_tab Locals
tui_wait "i = -123456"
lt_select i
tui_keys e
tui_wait "New value for i"
hangup "the poke value input"

# The confirmation after it.
tui_start -- -d 5 -p "$pid" --open
tui_wait "PID $pid"
lt_tab Locals
tui_wait "i = -123456"
lt_select i
tui_keys e
tui_wait "New value for i"
tui_type 5
tui_keys Enter
tui_wait "Write 5 into i"
hangup "the poke confirmation"
exit 0
