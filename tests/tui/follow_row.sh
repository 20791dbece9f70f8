#!/bin/sh
# follow_row.sh: F switches what the selection follows. By default it
# follows its process (the bottom bar says "F: follows the process"), and
# when that process exits the status line says so. After F it stays on its
# row as processes move (htop's default; the bar says "F: stays on the
# row"): processes that start later sort above the target (by command),
# and Enter opens the one now in the selected row, not the target.
. "$SRCDIR/tests/tui/tui_lib.sh"

tui_sleeper "wtfr$TAG" 300
target=$T_PID

tui_start -- -d 2 -s command
tui_ready
tui_wait "[F: follows the process]"
# Only this test's processes (their paths hold $TAG).
tui_keys '\'
tui_wait "Filter:"
tui_type "$TAG"
tui_keys Enter
tui_wait "[filter: $TAG]"
tui_wait "wtfr$TAG 300"
select_target() {
	tui_keys /
	tui_type "wtfr$TAG"
	tui_keys Enter
}
select_target

tui_keys F
tui_wait "The selection stays on its row"
tui_keys C-l   # any key clears the message (Esc would clear the filter)
tui_wait "[F: stays on the row]"
row_of_target() {
	tui_screen | grep -n "wtfr$TAG 300" | head -n 1 | cut -d: -f1
}
before=$(row_of_target)
cp /bin/sleep "$T_TMP/wtaa$TAG"
newer=""
for i in 1 2 3; do
	t_start "$T_TMP/wtaa$TAG" 30$i
	newer="$newer $T_PID"
done
moved_down() {
	r=$(row_of_target)
	[ -n "$r" ] && [ "$r" -gt "$before" ]
}
t_wait_for 10 moved_down || t_fail "the target's row did not move (was line $before)"
# The selection stayed on the row: Enter opens whatever is in it now.
tui_keys Enter
tui_wait_re " PID [0-9]+ " "Enter opened no process screen"
tui_lacks "PID $target " || t_fail "the selection followed the target although F said it stays on the row"
tui_keys Escape
tui_wait "[F: stays on the row]"

# F again: the selection follows the target, and says when it exits.
select_target
tui_keys F
tui_wait "The selection follows process $target"
tui_keys C-l
tui_wait "[F: follows the process]"
kill "$target"
t_reaped "$target" 10 || t_fail "the target did not end"
tui_wait "The followed process $target has exited"
tui_quit
