#!/bin/sh
# sort.sh: sorting by the htop shortcuts (N P M T), inverting (I), the F6
# menu, and < >: the marked column and the order of the rows change.
. "$SRCDIR/tests/tui/tui_lib.sh"

# The pid column of the first process row (the line after the titles).
first_pid() {
	tui_screen | sed -n '/ PID[v^]* *USER/{n;p;q}' | awk '{print $1}'
}
first_is() {
	[ "$(first_pid)" = "$1" ]
}
first_is_not() {
	p=$(first_pid)
	[ -n "$p" ] && [ "$p" != "$1" ]
}

tui_start -- -d 5
tui_ready
tui_wait "CPU%v"                 # the default sort, descending

tui_keys N
tui_wait "PID^"
t_wait_for 5 first_is 1 || t_fail "sorted by PID, first row is $(first_pid), not 1"

tui_keys I
tui_wait "PIDv"
t_wait_for 5 first_is_not 1 || t_fail "inverted PID sort still starts with pid 1"
# Descending: the first pid is the largest one on the screen.
top=$(first_pid)
max=$(tui_screen | sed -n '/ PID[v^]* *USER/,$p' | awk '$1 ~ /^[0-9]+$/ {print $1}' | sort -n | tail -n 1)
[ "$top" = "$max" ] || t_fail "descending PID sort starts with $top, but $max is on the screen"

tui_keys M
tui_wait "MEM%v"
tui_keys T
tui_wait "TIME+v"
tui_keys P
tui_wait "CPU%v"

# F6: the menu lists the columns; choose PPID.
tui_keys F6
tui_wait "Sort by"
tui_keys Home Down Enter      # PID, then PPID
tui_wait_gone "Sort by"
tui_keys Escape
# PPID is not a shown column: the sort still applies (no marker), and < > step
# through the shown columns.
tui_keys N '>'
tui_wait "USER^"
tui_keys '<'
tui_wait "PID^"
tui_quit
