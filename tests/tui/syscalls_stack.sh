#!/bin/sh
# syscalls_stack.sh: the Syscalls tab counting by ptrace and the Stack tab
# walking are two views of one target (target.h): switching between them
# again and again, each walk and each start of counting works at once (no
# "holding it" refusal while the other's job is in flight), the one thread
# that traces the process is whytop's one tracer thread, and nothing is
# left attached when whytop quits.
. "$SRCDIR/tests/tui/tui_lib.sh"
t_need_root

t_start "$TARGETS/sc_loop" getppid >"$T_TMP/loop.out"
P=$T_PID

tui_start -- -d 5 -p "$P" --open
tui_wait "1:Overview"
SH=$(tm display -p -t t '#{pane_pid}')
WT=$(ps -o pid= --ppid "$SH" | tr -d ' ' | head -n 1)
[ -n "$WT" ] || t_fail "cannot find whytop's pid"
bar=$(tui_line ":Overview")
sc=$(printf '%s\n' "$bar" | sed -n "s/.*\([0-9]\):Syscalls.*/\1/p")
sk=$(printf '%s\n' "$bar" | sed -n "s/.*\([0-9]\):Stack.*/\1/p")
[ -n "$sc" ] && [ -n "$sk" ] || t_fail "no Syscalls or Stack tab on the tab bar: $bar"
screen_has() { tui_screen | grep -Eq -- "$1"; }
wait_re() { t_wait_for 10 screen_has "$1" || { tui_screen >&2; t_fail "$2"; }; }

# The Syscalls tab on ptrace (the default without eBPF; 'b' switches to it).
tui_keys "$sc"
wait_re "Backend: (in-kernel|ptrace)" "the Syscalls tab shows no backend"
screen_has "Backend: ptrace" || tui_keys b
wait_re "Backend: ptrace" "the Syscalls tab did not switch to ptrace"
wait_re "^getppid +[0-9.]+[kM]? " "no getppid row under ptrace"

# Whytop's threads that trace the process: exactly its one tracer thread.
tracers() {
	for tid in $(ls "/proc/$P/task"); do
		sed -n 's/^TracerPid:[[:space:]]*//p' "/proc/$P/task/$tid/status"
	done | sort -u
}
tr=$(tracers)
[ "$(printf '%s\n' "$tr" | wc -l)" = 1 ] || t_fail "traced by several threads: $tr"
comm=$(cat "/proc/$WT/task/$tr/comm" 2>/dev/null)
[ "$comm" = whytop-tracer ] ||
	t_fail "process $P is traced by thread $tr ($comm) of whytop, not by its tracer thread"

# Back and forth without waiting: a walk may be in flight when counting
# starts again, and the other way round. Neither refuses.
for i in 1 2 3 4 5; do
	tui_keys "$sk"
	wait_re "main" "round $i: the Stack tab shows no frame of main"
	tui_keys "$sc"
	wait_re "^getppid +[0-9.]+[kM]? " "round $i: no getppid row under ptrace"
	tui_lacks "holding it" || t_fail "round $i: refused: $(tui_screen | grep 'holding it')"
	tui_lacks "annot attach" || t_fail "round $i: $(tui_screen | grep 'annot attach')"
done
[ "$(tracers)" = "$tr" ] || t_fail "the tracing thread changed: $(tracers), was $tr"
ntr=$(cat /proc/"$WT"/task/*/comm 2>/dev/null | grep -c '^whytop-tracer$')
[ "$ntr" = 1 ] || t_fail "whytop runs $ntr tracer threads, not one"

tui_keys F10
tui_wait "whytop exited with 0"
for tid in $(ls "/proc/$P/task"); do
	tp=$(sed -n 's/^TracerPid:[[:space:]]*//p' "/proc/$P/task/$tid/status")
	[ "$tp" = 0 ] || t_fail "thread $tid is still traced by $tp"
	case $(t_state "$P") in t | T) t_fail "process $P is left stopped" ;; esac
done
exit 0
