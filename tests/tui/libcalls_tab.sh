#!/bin/sh
# libcalls_tab.sh: 'L' on the Syscalls tab shows the library calls of the
# program's imports, counted live by uprobes: lib_calls makes 100 rand and
# 7 getpid calls per SIGUSR1, so after 4 signals the rows say 400 and 28.
# The target is never stopped nor traced; 'L' again goes back to the
# syscall rates, and no uprobe of ours is left (a signal after the view
# closed is not counted when the view comes back: it counts from zero).
. "$SRCDIR/tests/tui/tui_lib.sh"
. "$SRCDIR/tests/cli/libcalls_lib.sh"
t_need_root

lc_target a
A=$LC_PID
lc_need_bpf "$A"
BACKEND="one uprobe per function"
lc_has_multi && BACKEND=uprobe_multi

tui_start -- -d 1 -p "$A" --open
tui_wait "1:Overview"
tui_tab Syscalls
tui_wait "Backend:"
tui_keys L
tui_wait "Library calls: $BACKEND"
tui_wait "No library calls counted yet."
lc_signal a "$A" 4
tui_wait_re "^rand +[0-9.]+ +400 " "no rand row with 400 calls"
tui_wait_re "^getpid +[0-9.]+ +28 " "no getpid row with 28 calls"
t_left_running "$A" "the target under the library calls view"
tui_keys L
tui_wait "Backend:"
tui_wait_gone "Library calls:"
lc_signal a "$A" 1
tui_keys L
tui_wait "Library calls: $BACKEND"
tui_wait "No library calls counted yet."
lc_signal a "$A" 1
tui_wait_re "^rand +[0-9.]+ +100 " "no rand row with 100 calls after coming back"
tui_quit
t_left_running "$A" "the target after whytop quit"
exit 0
