#!/bin/sh
# keys.sh: help (F1 h ?), threads (H), hide kernel threads (K), user
# filter (u), pause (Z), renice (F7 F8) on a process the test started.
. "$SRCDIR/tests/tui/tui_lib.sh"

tui_sleeper "wtni$TAG" 300
target=$T_PID

tui_start -- -d 5 -s pid
tui_ready

for k in F1 h '?'; do
	tui_keys "$k"
	tui_wait "whytop keys"
	tui_wait "filter by command"
	tui_keys Escape
	tui_wait_gone "whytop keys"
done

# K hides kernel threads (kthreadd is pid 2), K again shows them.
tui_wait "[kthreadd]"
tui_keys K
tui_wait "Hiding kernel threads"
tui_wait_gone "[kthreadd]"
tui_keys K
tui_wait "[kthreadd]"

# u: only root's processes, then everyone again.
tui_keys u
tui_wait "Show processes of"
tui_wait "All users"
tui_keys Escape
tui_wait_gone "Show processes of"

# Z pauses; Z resumes.
tui_keys Z
tui_wait "Paused"
tui_keys Z
tui_wait "Resumed"

# Renice the target: F8 raises its nice value, F7 lowers it back.
tui_keys '\'
tui_type wtni$TAG
tui_keys Enter
tui_wait "[filter: wtni"
# Only the target left (the test's own grep may pass by): it is selected,
# and the selection then stays on it.
only_target() {
	[ "$(tui_screen | sed -n '/ PID[v^]* *USER/,$p' | awk '$1 ~ /^[0-9]+$/ {print $1}')" = "$target" ]
}
t_wait_for 5 only_target || { tui_screen >&2; t_fail "the filter does not leave only pid $target"; }
nice_of() {
	ps -o ni= -p "$target" | tr -d ' '
}
[ "$(nice_of)" = 0 ] || t_skip "the target does not start at nice 0"
tui_keys F8
tui_wait "Nice of $target is now 1"
[ "$(nice_of)" = 1 ] || t_fail "F8 did not renice the target to 1 (it is $(nice_of))"
tui_keys F8
tui_wait "is now 2"
tui_keys F7
tui_wait "Nice of $target is now 1"
[ "$(nice_of)" = 1 ] || t_fail "F7 did not renice the target back to 1"

# H: threads view lists every thread; the status says so.
tui_keys Escape
tui_keys H
tui_wait "Showing threads"
tui_keys H
tui_wait "Hiding threads"
tui_quit
