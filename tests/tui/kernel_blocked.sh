#!/bin/sh
# kernel_blocked.sh: the blocked view in the terminal UI, reached with
# --blocked and with B from the process list. A vfork parent held in D is
# listed under its kernel frame, its blocked time grows live, and Enter
# opens a task's process screen on the Kernel tab. -p keeps the view to our
# process: other tests' tasks come and go through D meanwhile.
. "$SRCDIR/tests/tui/tui_lib.sh"
t_need_root

t_start_vfork 120
P=$VF_PID

# A second session keeps the tmux server up when the first one is killed below.
tm new-session -d -s keep "exec sleep 600" || t_fail "cannot start tmux"
tui_start -- -d 3 --blocked -p "$P"
tui_wait "Blocked tasks: every task in D state"
tui_wait "process $P kern_vfork"
tui_wait_re "^ [0-9]+ blocked in (kernel_clone|wait_for_vfork_done)$" "no group named by the vfork frame" 5
secs() { tui_line "Thread $P kern_vfork" | sed -n 's/.*blocked [^0-9 ]*\([0-9]*\)\.\([0-9]\)s.*/\1\2/p'; }
first=$(secs)
[ -n "$first" ] || t_fail "no blocked time: $(tui_line "Thread $P")"
grows() { s=$(secs); [ -n "$s" ] && [ "$s" -ge $((first + 10)) ]; }
t_wait_for 10 grows || t_fail "blocked time did not grow from $first tenths"

tui_wait "of the -p processes"
# Enter on our task (the first line is its group's title): its Kernel tab.
tui_keys Down Enter
tui_wait "Kernel view:"
tui_wait " PID $P  kern_vfork"
tui_wait "disk sleep (uninterruptible)"
tui_keys F10
tui_wait "whytop exited with 0"

# B from the process list.
tm kill-session -t t
tui_start -- -d 3 -p "$P"
tui_ready
tui_keys B
tui_wait "Blocked tasks: every task in D state"
tui_wait "process $P kern_vfork"
# Esc goes back to the list.
tui_keys Escape
tui_wait_gone "Blocked tasks: every task in D state"
tui_wait "Load average:"
tui_keys F10
tui_wait "whytop exited with 0"
exit 0
