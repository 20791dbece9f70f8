#!/bin/sh
# syscalls_log.sh: the Syscalls tab's live log. On a target that fails an
# openat of a path holding an escape sequence every 20 ms and calls
# getppid: the calls appear as strace prints them, the failed one in full
# with its errno and its path escaped (the ESC never reaches the terminal);
# the filter applies as it is typed (a name, "!" for failed calls); pause
# freezes the view; Enter shows a call whole; `l` goes back to the rates
# and stops the log (no eBPF program held, or the target detached); `s` on
# the process list opens the log directly; both backends where they run.
. "$SRCDIR/tests/tui/tui_lib.sh"

t_start "$TARGETS/tr_tick"
P=$T_PID

# progs: how many eBPF programs the whytop in the pane holds.
progs() {
	grep -l '^prog_id:' /proc/"$WT"/fdinfo/* 2>/dev/null | wc -l
}
nprogs() { [ "$(progs)" = "$1" ]; }

tui_start -- -d 5 -p "$P" --open
tui_wait "1:Overview"
tui_whytop_pid
WT=$TUI_WHYTOP_PID
tui_tab Syscalls
tui_keys l
tui_wait "Log: "
# (the line is cut at the pane's width: match its start up to the errno)
tui_wait_re 'openat\(AT_FDCWD, "/nonexistent/whytop-\\33\[31m-tick", O_RDONLY\) = -1 ENOENT' \
	"no decoded, escaped openat line"
tui_wait_re 'getppid\(\) += [0-9]+' "no getppid line"
backend=$(tui_screen | sed -n 's/^Log: \(.*\)   Lines:.*/\1/p' | head -n 1)
echo "backend: $backend"

# the filter, as it is typed: a name
tui_keys /
tui_type getppid
tui_wait "Filter: getppid"
t_wait_for "$TUI_TIMEOUT" tui_lacks ENOENT || t_fail "the filter getppid still shows openat lines"
tui_has_re 'getppid\(\) += [0-9]+' || t_fail "the filter getppid hides getppid"
# "!": failed calls only
tui_keys Escape
tui_wait_gone "Filter: getppid"
tui_keys /
tui_type '!'
tui_keys Enter
no_ok() { ! tui_has_re 'getppid\(\)'; }
t_wait_for "$TUI_TIMEOUT" no_ok || t_fail "the filter ! still shows a call that succeeded"
tui_wait "ENOENT"

# pause: the view stays; Enter shows the selected call whole
tui_keys p
tui_wait "[PAUSED]"
tui_keys Enter
tui_wait "took 0."
tui_wait "thread $P of process $P"
tui_keys Escape
tui_keys End
tui_wait_gone "[PAUSED]"

# k: each call's user stack (copied at ptrace stops); Enter shows it
tui_keys k
tui_wait "Stacks: on"
tui_keys /
tui_keys Escape
tui_wait "Filter: none"
tui_keys /
tui_type openat
tui_keys Enter
tui_wait_re 'openat\(AT_FDCWD, "/nonexistent' "no openat line with stacks on"
tui_keys p
tui_wait "[PAUSED]"
tui_keys Enter
tui_wait "Its user stack when it was made:"
tui_wait "tr_tick(main+0x"
tui_keys Escape
tui_keys End
tui_keys k
tui_wait_gone "Stacks: on"

# another tab: the log stops (the in-kernel log's programs go; under
# ptrace the target is let go); back, it logs again; l: the rates
n=$TUI_TAB_KEY
tui_keys /
tui_keys Escape
tui_wait "Filter: none"
tui_keys 1
case $backend in
*ptrace*) t_untraced "$P" "the log under ptrace, with another tab shown" 5 ;;
*) t_wait_for 5 nprogs 0 || t_fail "eBPF programs held with another tab shown ($(progs))" ;;
esac
tui_keys "$n"
tui_wait "Log: "
tui_keys c
tui_wait_re 'getppid\(\) += [0-9]+' "no getppid line after coming back to the tab"
tui_keys l
tui_wait "Backend: "

# the other backend, where both run here
if [ "$(id -u)" = 0 ] && case $backend in *kernel*) true ;; *) false ;; esac; then
	tui_keys l
	tui_wait "Log: "
	nprogs 0 && t_fail "the in-kernel log holds no eBPF program"
	tui_keys b
	tui_wait "Log: ptrace"
	tui_wait_re 'openat\(AT_FDCWD, "/nonexistent/whytop-\\33\[31m-tick", O_RDONLY\) = -1 ENOENT' \
		"no openat line under ptrace"
	t_wait_for 5 nprogs 0 || t_fail "eBPF programs left after switching the log to ptrace"
	tp=$(t_tracer "$P")
	[ "${tp:-0}" != 0 ] || t_fail "the log under ptrace: $P is not traced"
	tui_keys l
	tui_wait "Backend: "
	t_untraced "$P" "after leaving the ptrace log" 5
fi
tui_keys q
tui_wait "whytop exited with 0"
t_untraced "$P" "after whytop quit" 5

# `s` on the list opens the log of the selected process
tm kill-session -t t
tui_start -- -d 5 -p "$P"
tui_ready
tui_wait_row "$P"
tui_keys s
tui_wait "Log: "
tui_wait_re 'getppid\(\) += [0-9]+' "no getppid line after s on the list"
tui_keys q q
tui_wait "whytop exited with 0"
t_untraced "$P" "after the log opened by s" 5
t_expect_state "$P" RS "the target after whytop quit"
exit 0
