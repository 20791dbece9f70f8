#!/bin/sh
# dstate.sh: a task in uninterruptible sleep (a vfork parent, state D)
# stands out: its row and the header's D count carry the theme's state_d
# attribute, in a colour theme and without colours (NO_COLOR).
. "$SRCDIR/tests/tui/tui_lib.sh"

[ -x "$TARGETS/kern_vfork" ] || t_skip "tests/targets/kern_vfork is not built"
t_start_vfork 60
parent=$VF_PID
child=$VF_CHILD

ESC=$(printf '\033')
# The row / header text carries SGR 4 (underline on, not 24 = off).
underlined() {
	tui_screen -e | grep -F -- "$1" | grep -qE "$ESC\\[([0-9]*;)*4[;m]"
}

# A theme where only D-state tasks are underlined.
mkdir -p "$TUI_HOME/.config/whytop/themes"
echo "state_d = underline" >"$TUI_HOME/.config/whytop/themes/wtd"
# Sorted by state the child (S) comes after the parent (D), whatever their
# pids: Down selects the child (a selected row has its own attribute).
tui_start -- --theme wtd -d 5 -s state -p "$parent,$child"
tui_ready
tui_wait_row "$parent"
line=$(tui_row "$parent")
echo "$line" | grep -q " D " || t_fail "the parent's row does not show state D: $line"
tui_keys Down                 # select the child: the parent's row is drawn as D
row=""
d_row_marked() {
	row=$(tui_screen -e | grep -E "^($ESC\\[[0-9;]*m)* *$parent ")
	echo "$row" | grep -qE "$ESC\\[([0-9]*;)*4[;m]"
}
t_wait_for 5 d_row_marked || t_fail "the D row is not highlighted: $(echo "$row" | cat -v)"
# The header's count: "D 1" (or more: other tasks may be in D too).
hdr=$(tui_screen -e | grep -F "States:")
echo "$hdr" | grep -qE "$ESC\\[([0-9]*;)*4[;m]D [1-9]" || t_fail "the header's D count is not highlighted: $(echo "$hdr" | cat -v)"
tui_quit

# Without colours the mono theme underlines and emboldens D rows.
tm kill-session -t t
tui_start NO_COLOR=1 -- -d 5 -s state -p "$parent,$child"
tui_ready
tui_keys Down
t_wait_for 5 d_row_marked || t_fail "NO_COLOR: the D row is not marked: $(echo "$row" | cat -v)"
tui_quit
