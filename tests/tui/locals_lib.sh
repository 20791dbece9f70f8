# locals_lib.sh: helpers for the Locals tab tests (sourced after tui_lib.sh).

# lt_open PID [DELAY]: whytop on PID's process screen (-d DELAY, 5 by
# default), then its Locals tab.
lt_open() {
	tui_start -- -d "${2:-5}" -p "$1" --open
	tui_wait "PID $1"
	tui_tab Locals
}

# lt_selected: the path of the selected variable (the tab's last line but one).
lt_selected() {
	tui_screen | grep -E '^ [^ ]+: (stack|static|register|constant|computed|optimized out|not live here|unavailable|memory);' |
		tail -n 1 | sed 's/^ \([^ :]*\):.*/\1/'
}

# lt_select PATH: move the selection down from the top until PATH is selected.
lt_select() {
	local i=0
	tui_keys Home
	while [ "$(lt_selected)" != "$1" ]; do
		i=$((i + 1))
		[ $i -le 80 ] || t_fail "could not select $1 (selected: $(lt_selected))"
		tui_keys Down
		sleep 0.05
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
