# bench_lib.sh: what the overhead benchmarks share (sourced by
# syscalls_overhead.sh, trace_overhead.sh, trace_stack.sh). The caller
# sets PIDS (processes it started), TMP (its directory) and C (the logger
# or counter running now, if any) before anything can fail.

bench_cleanup() {
	[ -n "${C:-}" ] && kill -KILL "$C" 2>/dev/null
	for p in $PIDS; do kill -KILL "$p" 2>/dev/null; done
	rm -rf "$TMP"
}
trap bench_cleanup EXIT
trap "exit 130" INT TERM # (cleanup alone would let the rounds go on)

# median: the median of the numbers on standard input, one a line (0 if none).
median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print 0; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# window FILE: the lines FILE gets during the next SECS seconds.
window() {
	n0=$(wc -l <"$1")
	sleep "$SECS"
	tail -n +"$((n0 + 1))" "$1"
}

# bench_rounds START STOP WAY...: ROUNDS rounds; in each, for each WAY:
# "START WAY $T" starts the watcher on the running target $T (or does
# nothing for "none"), SETTLE seconds pass (default 1.2), the target's own
# rates ("WALL CPU" a line, in $TMP/target) are read for SECS seconds, and
# STOP ends the watcher. The medians of each window go to $TMP/WAY.wall and
# $TMP/WAY.cpu, one line a round.
bench_rounds() {
	_start=$1 _stop=$2
	shift 2
	for _r in $(seq "$ROUNDS"); do
		for _how in "$@"; do
			"$_start" "$_how" "$T"
			sleep "${SETTLE:-1.2}"
			window "$TMP/target" >"$TMP/t"
			"$_stop"
			awk '{print $1}' "$TMP/t" | median >>"$TMP/$_how.wall"
			awk '{print $2}' "$TMP/t" | median >>"$TMP/$_how.cpu"
			sleep 0.3
		done
	done
}

# bench_table TITLE WAY...: the medians over the rounds and the slowdown
# against "none" (higher = slower), wall and cpu; then the rounds are cleared.
bench_table() {
	echo
	echo "$1"
	shift
	printf '%-10s %12s %8s %12s %8s\n' way wall x cpu x
	_bw=$(median <"$TMP/none.wall")
	_bc=$(median <"$TMP/none.cpu")
	for _how in "$@"; do
		awk -v l="$_how" -v w="$(median <"$TMP/$_how.wall")" -v c="$(median <"$TMP/$_how.cpu")" \
			-v bw="$_bw" -v bc="$_bc" 'BEGIN {
			printf "%-10s %12.0f %7.2fx %12.0f %7.2fx\n", l, w, (w > 0 ? bw / w : 0), c, (c > 0 ? bc / c : 0) }'
	done
	rm -f "$TMP"/*.wall "$TMP"/*.cpu
}
