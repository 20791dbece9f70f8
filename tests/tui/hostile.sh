#!/bin/sh
# hostile.sh: a process named with a terminal escape sequence (OSC "set
# title") and one with a newline in its name are shown as visible escapes:
# the terminal title does not change and the layout does not break.
. "$SRCDIR/tests/tui/tui_lib.sh"

osc=$(printf '\033]0;pwned\007')
nl=$(printf 'wt\nnewline')
cp /bin/sleep "$T_TMP/$osc"
cp /bin/sleep "$T_TMP/$nl"
t_start "$T_TMP/$osc" 300
evil=$T_PID
t_start "$T_TMP/$nl" 301
evil2=$T_PID

before=$(tm display-message -p '#{pane_title}' 2>/dev/null)
tui_start -- -d 5 -p "$evil,$evil2"
tui_ready
tui_wait '\e]0;pwned\x07 300'
tui_wait 'wt\nnewline 301'
# Each on its own row, starting with its pid.
tui_line 'pwned' | grep -q "^ *$evil " || t_fail "the escaped name is not on the row of pid $evil"
tui_line 'newline' | grep -q "^ *$evil2 " || t_fail "the newline name broke its row"
title=$(tm display-message -p -t t '#{pane_title}')
[ "$title" != pwned ] || t_fail "the process name changed the terminal title"

# Its own screen too.
tui_keys /
tui_type pwned
tui_keys Enter Enter
tui_wait "PID $evil "
tui_wait '\e]0;pwned\x07'
title=$(tm display-message -p -t t '#{pane_title}')
[ "$title" != pwned ] || t_fail "the process screen let the name change the title"
tui_keys Escape
tui_quit
: "$before"
