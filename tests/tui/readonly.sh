#!/bin/sh
# readonly.sh: with --readonly the keys that change a process are refused,
# each with a sentence on the status line: k and F9 (signals), F7 and F8
# (nice), a (CPU affinity) on the list; e and u (poke) on the Locals tab;
# i (inject) in the Syscalls tab's log. The target lives on, its nice and
# affinity unchanged; looking (the Locals tab reads) still works.
. "$SRCDIR/tests/tui/tui_lib.sh"
t_need_root

t_start_ready "$T_TMP/out" "^ready" "$TARGETS/loc_types"
pid=$T_PID
nice_of() {
	sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f17
}
cpus_of() {
	sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "/proc/$pid/status"
}
nice0=$(nice_of)
cpus0=$(cpus_of)

tui_start -- -d 5 -p "$pid" --readonly
tui_ready
tui_wait_row "$pid"
refused() {
	tui_keys "$1"
	tui_wait "whytop runs with --readonly: $2 is off"
	tui_lacks "Send signal to" || t_fail "$1 opened the signal menu under --readonly"
	tui_lacks "CPUs of" || t_fail "$1 opened the affinity editor under --readonly"
	tui_keys Escape
	tui_wait_gone "whytop runs with --readonly"
}
refused k "sending signals"
refused F9 "sending signals"
refused F7 "changing priorities"
refused F8 "changing priorities"
refused ']' "changing priorities"
refused a "changing CPU affinity"
[ "$(nice_of)" = "$nice0" ] || t_fail "the nice value of $pid changed under --readonly: $(nice_of), was $nice0"
[ "$(cpus_of)" = "$cpus0" ] || t_fail "the affinity of $pid changed under --readonly: $(cpus_of), was $cpus0"
tui_quit

# The process screen: poke and inject are refused, reading is not.
tm kill-session -t t
tui_start -- -d 5 -p "$pid" --open --readonly
tui_wait "PID $pid"
tui_tab Locals
tui_wait "frame 0: show_types"
tui_wait "i = -123456"
tui_keys e
tui_wait "whytop runs with --readonly: poking variables is off"
tui_lacks "New value for" || t_fail "e opened the poke dialog under --readonly"
tui_keys u
tui_wait "whytop runs with --readonly: poking variables is off"
tui_tab Syscalls
tui_keys l
tui_wait "Log: "
tui_keys i
tui_wait "whytop runs with --readonly: injecting faults is off"
tui_lacks "fail with" || t_fail "i opened the injection menu under --readonly"
tui_keys q
tui_quit
t_alive "$pid" || t_fail "the target $pid died under --readonly"
[ "$(t_state "$pid")" != t ] && [ "$(t_state "$pid")" != T ] || t_fail "the target $pid is left stopped ($(t_seen_state "$pid"))"
exit 0
