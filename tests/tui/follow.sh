#!/bin/sh
# follow.sh: the selection follows its process, not its row: processes
# that start later land above it (sorted by command, theirs sort first;
# filtered to the test's own processes, so the target never sits on the
# screen's last row, where the list would scroll instead of the row moving),
# and Enter still opens the one that was selected. -u shows one user's processes only.
. "$SRCDIR/tests/tui/tui_lib.sh"

tui_sleeper "wtfo$TAG" 300
target=$T_PID

tui_start -- -d 2 -s command
tui_ready
tui_wait "Command^"
# Only this test's processes (their paths hold $TAG): the target's row does
# not depend on what else runs, and there is room for rows above it.
tui_keys '\'
tui_wait "Filter:"
tui_type "$TAG"
tui_keys Enter
tui_wait "[filter: $TAG]"
tui_wait "wtfo$TAG 300"
# The filter keeps tmux's server too (its command line holds the test's
# paths), and the selection may have been left on it: select the target.
tui_keys /
tui_type "wtfo$TAG"
tui_keys Enter
row_of_target() {
	tui_screen | grep -n "wtfo$TAG 300" | head -n 1 | cut -d: -f1
}
before=$(row_of_target)
# Newer processes whose commands sort first push the target down.
cp /bin/sleep "$T_TMP/wtaa$TAG"
for i in 1 2 3; do
	t_start "$T_TMP/wtaa$TAG" 30$i
done
moved_down() {
	r=$(row_of_target)
	[ -n "$r" ] && [ "$r" -gt "$before" ]
}
t_wait_for 10 moved_down || t_fail "the target's row did not move (was line $before)"
tui_keys Enter
tui_wait "PID $target "
tui_keys Escape
tui_quit

# -u: only that user's processes (kernel threads belong to root).
id nobody >/dev/null 2>&1 || exit 0
cp /bin/sleep "$T_TMP/wtnb$TAG"
chmod 755 "$T_TMP" "$T_TMP/wtnb$TAG"
t_start setpriv --reuid=nobody --regid=nogroup --clear-groups "$T_TMP/wtnb$TAG" 300
tm kill-session -t t
tui_start -- -d 5 -u nobody
tui_ready
tui_wait "wtnb$TAG 300"
tui_lacks "[kthreadd]" || t_fail "-u nobody still lists root's kernel threads"
tui_lacks "wtfo$TAG" || t_fail "-u nobody still lists root's processes"
tui_quit
