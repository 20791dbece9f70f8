#!/bin/sh
# mouse.sh: a click on a column title sorts by it (again: inverts), a
# click on a row selects it (Enter then opens that process), the wheel
# scrolls. Mouse reports are typed into the pane as the terminal would
# send them (X10 encoding, which TERM=screen announces).
. "$SRCDIR/tests/tui/tui_lib.sh"

ESC=$(printf '\033')
# chr N: the character with code N.
chr() {
	printf "\\$(printf %o "$1")"
}
# click X Y (1-based column and line): press and release button 1.
click() {
	tui_raw "$ESC[M $(chr $((32 + $1)))$(chr $((32 + $2)))"
	tui_raw "$ESC[M#$(chr $((32 + $1)))$(chr $((32 + $2)))"
}
wheel_down() {
	tui_raw "${ESC}[Ma$(chr 33)$(chr 40)"
}
# The screen line (1-based) holding TEXT, and the column where TEXT starts.
line_of() {
	tui_screen | grep -nF -- "$1" | head -n 1 | cut -d: -f1
}
col_of() {
	tui_line "$1" | awk -v t="$1" '{ print index($0, t) }'
}

tui_sleeper "wtmouse" 300
a=$T_PID
t_start "$T_TMP/wtmouse" 301
b=$T_PID

# A theme where only the selected row is underlined, so the captured
# attributes say which row is selected.
mkdir -p "$TUI_HOME/.config/whytop/themes"
echo "selected = underline" >"$TUI_HOME/.config/whytop/themes/wtsel"
tui_start TERM=screen -- --theme wtsel -d 5 -s pid -p "$a,$b"
tui_ready
tui_wait "wtmouse 301"

hdr=$(line_of "PID^")
click "$(col_of "MEM%")" "$hdr"
tui_wait "MEM%v"
click "$(col_of "MEM%v")" "$hdr"
tui_wait "MEM%^"
click "$(col_of "PID")" "$hdr"
tui_wait "PID^"

selected() {
	# SGR 4 (underline on), not 24 (off); tmux carries attributes over lines.
	tui_screen -e | grep -F -- "$1" | grep -qE "$ESC\\[([0-9]*;)*4[;m]"
}
# select_by_click TEXT: click the row, until it shows selected (a report the
# terminal split under load may be lost; a person would click again).
select_by_click() {
	n=0
	until selected "$1"; do
		[ $n -lt 5 ] || t_fail "clicking the row of '$1' does not select it"
		click 10 "$(line_of "$1")"
		n=$((n + 1))
		t_wait_for 2 selected "$1" && break
	done
}

# Click the second process, open it: it is b.
select_by_click "wtmouse 301"
tui_keys Enter
tui_wait "PID $b "
tui_keys Escape
tui_wait "Load average:"
select_by_click "wtmouse 300"
tui_keys Enter
tui_wait "PID $a "
tui_keys Escape
tui_quit

# The wheel scrolls a long list: the first row changes.
tm kill-session -t t
tui_start TERM=screen -- -d 5 -s pid
tui_ready
tui_wait "PID^"
first() {
	tui_screen | sed -n '/ PID[v^]* *USER/{n;p;q}' | awk '{print $1}'
}
top=$(first)
i=0
while [ $i -lt 20 ]; do
	wheel_down
	i=$((i + 1))
done
moved() {
	[ "$(first)" != "$top" ]
}
t_wait_for 5 moved || t_fail "the wheel did not scroll the list"
tui_quit
