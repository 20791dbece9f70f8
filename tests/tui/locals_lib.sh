# locals_lib.sh: helpers for the Locals tab tests (sourced after tui_lib.sh).

# lt_open PID [DELAY]: whytop on PID's process screen (-d DELAY, 5 by
# default), then its Locals tab.
lt_open() {
	tui_start -- -d "${2:-5}" -p "$1" --open
	tui_wait "PID $1"
	tui_tab Locals
}

# lt_detail: the selected variable's line (the tab's last line but one):
# "PATH: storage; where".
lt_detail() {
	tui_screen | grep -E '^ [^ ]+: (stack|static|register|constant|computed|optimized out|not live here|unavailable|memory);' |
		tail -n 1
}

# lt_selected: the path of the selected variable.
lt_selected() {
	lt_detail | sed 's/^ \([^ :]*\):.*/\1/'
}

# lt_first_row: the name on the list's first row (below the frame's title).
lt_first_row() {
	tui_screen | awk '/^ Thread [0-9]+, frame /{ t = 1; next }
		t && /^ [ +-] [^ ]+ = / { sub(/^ [ +-] /, ""); sub(/ = .*/, ""); print; exit }'
}

# lt_select PATH: move the selection down from the top until PATH is
# selected. Every key is followed by a wait for its effect on the screen,
# so that a slow redraw (a sanitizer build on a loaded machine) never
# makes the loop press on past PATH.
lt_select() {
	local i=0 cur
	tui_keys Home
	t_wait_for "$TUI_TIMEOUT" eval '[ -n "$(lt_selected)" ] && [ "$(lt_selected)" = "$(lt_first_row)" ]' ||
		t_fail "Home did not select the first variable (selected: $(lt_selected), first row: $(lt_first_row))"
	# Two variables may share a name (an inner block's): the whole line
	# (with where each lives) tells that the selection moved.
	while cur=$(lt_detail); [ "$(lt_selected)" != "$1" ]; do
		i=$((i + 1))
		[ $i -le 80 ] || t_fail "could not select $1 (selected: $(lt_selected))"
		tui_keys Down
		t_wait_for "$TUI_TIMEOUT" eval '[ "$(lt_detail)" != "$cur" ]' ||
			t_fail "could not select $1: Down moved nothing from $cur"
	done
}

# lt_edit PATH: select PATH, press e, wait for the input of its new value.
lt_edit() {
	lt_select "$1"
	tui_keys e
	tui_wait "New value for $1"
}

# lt_poke PATH VALUE: lt_edit PATH, type VALUE, Enter, check the
# confirmation, y.
lt_poke() {
	lt_edit "$1"
	tui_type "$2"
	tui_keys Enter
	tui_wait "Write $2 into $1"
	tui_has "old value:" || t_fail "the confirmation shows no old value"
	tui_has "where: " || t_fail "the confirmation does not say where the write goes"
	tui_keys y
}
