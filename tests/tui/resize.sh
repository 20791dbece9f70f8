#!/bin/sh
# resize.sh: a terminal smaller than the layout needs shows a clear
# message; growing it back brings the full layout back at once.
. "$SRCDIR/tests/tui/tui_lib.sh"

tui_start -- -d 5
tui_ready

tm resize-window -t t -x 30 -y 8
tui_wait "Terminal too small"
tui_wait "30x8, needs"
tui_lacks "Load average:" || t_fail "the header is still drawn in a too-small terminal"

tm resize-window -t t -x 120 -y 40
tui_wait "Load average:"
tui_wait_gone "Terminal too small"
tui_wait "F10Quit"

# Narrow but usable: the header drops to one column, everything still fits.
tm resize-window -t t -x 79 -y 30
tui_wait "Load average:"
tui_wait "Command"
width=$(tui_screen | awk '{ if (length($0) > m) m = length($0) } END { print m }')
[ "$width" -le 79 ] || t_fail "a line is $width columns wide in a 79-column terminal"

# The process screen too.
tm resize-window -t t -x 120 -y 40
tui_keys Enter
tui_wait "Overview"
tm resize-window -t t -x 20 -y 5
tui_wait "Terminal too small"
tui_wait "20x5, needs 40x8"
tm resize-window -t t -x 100 -y 30
tui_wait "Overview"
tui_keys Escape
tui_wait "Load average:"
tui_quit
