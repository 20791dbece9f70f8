#!/bin/sh
# syscalls_tab.sh: the Syscalls tab counts a getppid loop live (in the
# kernel as root), with rates, sort, window, pause and reset on keys; it
# counts only while it is the active tab (no program of ours is loaded in
# the kernel otherwise), switches to ptrace on 'b', and leaves nothing
# behind when whytop quits.
. "$SRCDIR/tests/tui/tui_lib.sh"
. "$SRCDIR/tests/cli/syscalls_lib.sh"
t_need_root
no_libbpf && t_skip "built without libbpf"
kernel_backend_ok || t_skip "in-kernel counting unavailable here"

t_start "$TARGETS/sc_loop" getppid >"$T_TMP/loop.out"
P=$T_PID

tui_start -- -d 5 -p "$P" --open
tui_wait "1:Overview"
# whytop is the child of the pane's shell; count only the programs it holds
# (other whytops may count on this machine at the same time)
tui_whytop_pid
WT=$TUI_WHYTOP_PID
progs() { prog_ids "$WT" | wc -w; }
nprogs() { [ "$(progs)" = "$1" ]; }
t_wait_for 5 nprogs 0 || t_fail "counting before the tab was opened"

tui_tab Syscalls
n=$TUI_TAB_KEY
tui_wait "Backend: in-kernel"
tui_wait "Window: 5 s   Sort: rate"
tui_wait_re "^getppid +[0-9.]+[kM]? +[0-9.]+[kM]? +0 " "no live getppid row"
tui_wait_re "Total: [0-9.]+[kM]?/s now" "no total rate"
tui_wait_re "Last minute: .+max [0-9.]+[kM]?/s" "no sparkline"
IDS=$(prog_ids "$WT")
nprogs 2 || t_fail "expected our 2 eBPF programs while the tab is open, found $(progs)"

# Another tab takes over: counting stops; back: it starts again.
tui_keys 1
t_wait_for 5 nprogs 0 || t_fail "still counting with the tab in the background ($(progs))"
tui_keys "$n"
t_wait_for 5 nprogs 2 || t_fail "not counting again after coming back ($(progs))"

tui_keys w
tui_wait "Window: 10 s"
tui_keys s
tui_wait "Sort: calls"
tui_keys p
tui_wait "[PAUSED]"
tui_keys p
tui_wait_gone "[PAUSED]"
tui_keys r
tui_wait "Syscall counters reset"

# One thread: a menu of all threads; pick the (only) thread of the loop.
tui_keys t
tui_wait "Count which thread?"
tui_wait "All threads"
tui_keys Down Enter
tui_wait "Thread: $P "
tui_wait_re "^getppid +[0-9.]+[kM]? " "no getppid row for thread $P"
tui_keys t
tui_wait "Count which thread?"
tui_keys Up Enter
tui_wait "Thread: all "

# ptrace on request: the target is traced by us, then detached on the way back.
tui_keys b
tui_wait "Backend: ptrace"
tui_wait_re "^getppid +[0-9.]+[kM]? " "no getppid row under ptrace"
t_wait_for 5 nprogs 0 || t_fail "eBPF programs left after switching to ptrace"
tp=$(t_tracer "$P")
[ "${tp:-0}" != 0 ] && [ -d "/proc/$WT/task/$tp" ] ||
	t_fail "ptrace backend: process $P is traced by '$tp', expected a thread of whytop $WT"
tui_keys b
tui_wait "Backend: in-kernel"
t_untraced "$P" "back to the in-kernel backend" 5

# Leaving the process's screen (opened with --open: whytop ends) closes the
# tab, and counting with it.
tui_keys q
tui_wait "whytop exited with 0"
t_wait_for 5 gone "$IDS" || t_fail "eBPF programs left after quitting"
t_expect_state "$P" RS "the target after whytop quit"
exit 0
