#!/bin/sh
# affinity.sh: a opens the CPU affinity editor of the selected process (a
# tick box per CPU); n clears every box, Space on CPU 0 ticks it, Enter
# applies it to every thread (/proc/PID/task/*: Cpus_allowed_list 0).
# Esc cancels and says so, leaving the affinity alone. Needs two CPUs.
. "$SRCDIR/tests/tui/tui_lib.sh"

ncpu=$(getconf _NPROCESSORS_ONLN)
[ "$ncpu" -ge 2 ] || t_skip "one CPU online: no affinity to change"
# The CPUs this test may use (a container or taskset may allow fewer).
allowed=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status)
case ",$allowed," in
*,0,* | *,0-*) ;;
*) t_skip "CPU 0 is not in this test's affinity ($allowed)" ;;
esac

t_start_ready "$T_TMP/out" ready "$TARGETS/proc_target" -t 3 wtaf$TAG
target=$T_PID
ntask=$(ls /proc/$target/task | wc -l)
[ "$ntask" = 4 ] || t_fail "proc_target -t 3 has $ntask threads, not 4"

cpus_of_threads() {
	for f in /proc/$target/task/*/status; do
		sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "$f"
	done | sort -u | tr '\n' ' '
}
before=$(cpus_of_threads)
[ "$before" = "0 " ] && t_skip "this test may run on CPU 0 only ($allowed): no affinity to narrow"

tui_start -- -d 5 -p "$target"
tui_ready
tui_wait_row "$target"

# Esc: nothing changes, and the status line says so.
tui_keys a
tui_wait "CPUs of $target"
tui_wait "[x] CPU 0"
tui_keys Escape
tui_wait "Cancelled: the CPU affinity of $target is unchanged"
[ "$(cpus_of_threads)" = "$before" ] || t_fail "Esc changed the affinity: $(cpus_of_threads), was $before"

# None, then CPU 0 alone (the first row), applied.
tui_keys a
tui_wait "CPUs of $target"
tui_keys n
tui_wait "[ ] CPU 0"
tui_keys Home Space
tui_wait "[x] CPU 0"
tui_keys Enter
tui_wait "CPU affinity of $target set on every thread (1 CPU)"
after=$(cpus_of_threads)
[ "$after" = "0 " ] || t_fail "after the editor the threads of $target may run on '$after', not on CPU 0 only"
t_alive "$target" || t_fail "the target died"

# No CPU at all is refused with a sentence, not applied.
tui_keys a
tui_wait "CPUs of $target"
tui_keys n Enter
tui_wait "No CPU chosen"
[ "$(cpus_of_threads)" = "0 " ] || t_fail "an empty choice changed the affinity to $(cpus_of_threads)"
tui_quit
