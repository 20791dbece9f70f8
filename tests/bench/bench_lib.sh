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
