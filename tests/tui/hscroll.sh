#!/bin/sh
# hscroll.sh: Right scrolls the process list's columns sideways (a step
# at a time, the column header with them), so the tail of a command line
# longer than the screen comes into view; Left scrolls back.
. "$SRCDIR/tests/tui/tui_lib.sh"

# 300 columns of arguments, then a word of this run's own at the end.
pad=$(printf 'x%.0s' $(seq 1 60))
tail="wtTAIL$TAG"
t_start_ready "$T_TMP/out" ready "$TARGETS/proc_target" $pad $pad $pad $pad $pad "$tail"
target=$T_PID

tui_start -- -d 5 -p "$target"
tui_ready
tui_wait_row "$target"
tui_lacks "$tail" || t_fail "the whole command line fits on the screen: the test proves nothing"
tui_line "Command" | grep -q "^ *PID " || t_fail "the header does not start with PID: $(tui_line Command)"

i=0
until tui_has "$tail"; do
	i=$((i + 1))
	# A deep build path makes the line longer: allow for it.
	[ $i -le 200 ] || t_fail "the end of the command line ($tail) never came into view after 200 Right"
	tui_keys Right
	# The screen is redrawn at once: wait for the header to move, then look.
	t_wait_for "$TUI_TIMEOUT" sh -c "! tmux -L '$TUI_SOCK' -f /dev/null capture-pane -p -t t | grep -q '^ *PID '" ||
		t_fail "Right did not scroll the header: $(tui_line Command)"
done
# Left all the way back: the header starts with PID again.
j=0
while [ $j -le $i ]; do
	tui_keys Left
	j=$((j + 1))
done
tui_wait_re "^ *PID +USER" "Left did not scroll back to the first column"
tui_wait_gone "$tail"
tui_quit
