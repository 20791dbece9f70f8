#!/bin/sh
# dumb_term.sh: a terminal type that cannot move the cursor (TERM=dumb)
# or that the terminfo database does not know: whytop says what is wrong
# and what to do (a terminal with cursor addressing, or 'whytop list'),
# and exits 1, instead of a blank screen (and, in the sanitizer build,
# without a leak report).
. "$SRCDIR/tests/tui/tui_lib.sh"

# The message as one text: tmux wraps it at the pane's width.
said() {
	tui_screen -J | grep -qF -- "$1"
}

for term in dumb nosuchterm-$TAG; do
	tui_start TERM="$term" -- -d 5
	tui_wait "whytop exited with"
	tui_has "whytop exited with 1" || { tui_screen >&2; t_fail "TERM=$term: not exit status 1"; }
	said "'$term'" || { tui_screen >&2; t_fail "TERM=$term: the message does not name it"; }
	said "or use 'whytop list'" || { tui_screen >&2; t_fail "TERM=$term: no hint to use 'whytop list'"; }
	# The sanitizer build: nothing leaked but what tests/lsan.supp names.
	tui_lacks "Sanitizer" || { tui_screen >&2; t_fail "TERM=$term: a sanitizer report"; }
	tui_lacks "F10Quit" || { tui_screen >&2; t_fail "TERM=$term: a key bar was drawn"; }
	tm kill-session -t t
done
exit 0
