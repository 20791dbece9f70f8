#!/bin/sh
# environ.sh: `e` on the process list shows the selected process's
# environment: a known variable; one holding an escape sequence, shown
# escaped (never sent raw to the terminal); `/` finds a variable that is
# not on the first page. The Overview tab has the environment too, and the
# whole of a 300-character command line, wrapped (it used to be cut at the
# screen's edge).
. "$SRCDIR/tests/tui/tui_lib.sh"

fill=""
i=0
while [ $i -lt 60 ]; do
	fill="$fill WTFILL$i=x"
	i=$((i + 1))
done
evil=$(printf 'a\033[31mred')
# shellcheck disable=SC2086 # fill is a list of words
t_start_ready "$T_TMP/out" '^ready' env $fill "WT_KNOWN=hello$TAG" "WT_EVIL=$evil" \
	"WT_LAST$TAG=found" "$TARGETS/files_target" "$T_TMP/f" "$T_TMP/u.sock"
target=$T_PID

tui_start -- -d 5 -p "$target"
tui_ready
tui_wait_row "$target"
tui_keys e
tui_wait "Environment of process $target"
tui_wait "variables"
# More than 60 variables come before it: not on the first page.
tui_lacks "WT_LAST$TAG=found" || t_fail "WT_LAST$TAG is on the first page: the search proves nothing"
tui_keys /
tui_wait "Find:"
tui_type "WT_LAST$TAG"
tui_keys Enter
tui_wait "WT_LAST$TAG=found"
tui_keys /
tui_wait "Find:"
tui_keys C-u
tui_type "WT_EVIL"
tui_keys Enter
tui_wait 'WT_EVIL=a\e[31mred'
tui_wait "WT_KNOWN=hello$TAG"
tui_keys Escape
tui_wait "Load average:"
tui_quit

# The Overview: a small environment and a 300-character command line, in a
# window tall enough for the whole tab.
long=$(i=0; while [ $i -lt 30 ]; do printf 'arg%03d-xyz' $i; i=$((i + 1)); done)
[ ${#long} -eq 300 ] || t_fail "the long argument has ${#long} characters, not 300"
t_start_ready "$T_TMP/out2" '^ready' env -i "WT_KNOWN=hello$TAG" "WT_EVIL=$evil" \
	"$TARGETS/files_target" "$T_TMP/f2" "$T_TMP/u2.sock" "$long"
target=$T_PID
tm kill-server
TUI_H=100
tui_start -- -d 5 -p "$target" --open
tui_wait "1:Overview"
tui_wait "Environment (2 variables"
tui_wait "WT_KNOWN=hello$TAG"
tui_wait 'WT_EVIL=a\e[31mred'
tui_wait "Executable"
# The Command rows, from the value column (ui_put at x = 30) on, joined.
shown=$(tui_screen | awk '/^  Command /{on=1} /^  Executable /{on=0} on' | cut -c31- | tr -d ' \n')
want=$(printf '%s' "$TARGETS/files_target$T_TMP/f2$T_TMP/u2.sock$long" | tr -d ' ')
[ "$shown" = "$want" ] || {
	tui_screen >&2
	t_fail "the command line is not shown whole: '$shown', not '$want'"
}
tui_keys q
tui_wait "whytop exited with 0"
exit 0
