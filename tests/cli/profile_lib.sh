# profile_lib.sh: helpers for the profile_*.sh tests (sourced after lib.sh).

PROF_SRC="$SRCDIR/tests/targets/prof_split.c"

# prof_need_perf: skip unless this kernel lets us open a cpu-clock perf event.
prof_need_perf() {
	[ -r /proc/sys/kernel/perf_event_paranoid ] ||
		t_skip "no perf events on this kernel (/proc/sys/kernel/perf_event_paranoid missing)"
}

# prof_watch PID: in the background until prof_watch_end, look at every
# thread of PID again and again; a tracer or a stopped state (t, T) is
# written to $T_TMP/watch.bad. The profile must never stop or trace it.
prof_watch() {
	rm -f "$T_TMP/watch.bad" "$T_TMP/watch.end" "$T_TMP/watch.n"
	(
		n=0
		while [ ! -e "$T_TMP/watch.end" ]; do
			for task in /proc/"$1"/task/*; do
				tp=$(sed -n 's/^TracerPid:[[:space:]]*//p' "$task/status" 2>/dev/null)
				st=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "$task/status" 2>/dev/null)
				[ -z "$tp" ] || [ "$tp" = 0 ] || echo "thread ${task##*/} traced by $tp" >>"$T_TMP/watch.bad"
				case $st in t | T) echo "thread ${task##*/} in state $st" >>"$T_TMP/watch.bad" ;; esac
			done
			n=$((n + 1))
			echo "$n" >"$T_TMP/watch.n"
		done
	) &
	PROF_WATCH=$!
	T_PIDS="$T_PIDS $PROF_WATCH"
	t_wait_for 10 test -s "$T_TMP/watch.n" || t_fail "the watcher of process $1 did not start"
}

# prof_watch_end PID WHAT: stop the watcher; fail if it ever saw PID traced
# or stopped, or never looked.
prof_watch_end() {
	touch "$T_TMP/watch.end"
	wait "$PROF_WATCH"
	[ ! -s "$T_TMP/watch.bad" ] ||
		t_fail "$2: process $1 was traced or stopped while profiled: $(sort -u "$T_TMP/watch.bad" | head -3 | tr '\n' ' ')"
	[ "$(cat "$T_TMP/watch.n")" -ge 2 ] || t_fail "$2: the watcher looked at process $1 fewer than twice"
	t_threads_left_running "$1" "$2"
}

# prof_line MARKER: the line of a marker comment in prof_split.c.
prof_line() {
	local n
	n=$(grep -n "$1" "$PROF_SRC" | head -1 | cut -d: -f1)
	[ -n "$n" ] || t_fail "marker $1 not found in prof_split.c"
	echo "$n"
}
