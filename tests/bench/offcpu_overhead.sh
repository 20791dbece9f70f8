#!/bin/sh
# offcpu_overhead.sh: what counting off-CPU time costs the process it
# watches, side by side with perf's sched_switch call chains in the same run. Run as root
# from the build tree:
#     sh tests/bench/offcpu_overhead.sh [ROUNDS] [SECONDS]
#
# The target is tests/targets/off_pingpong: two threads pass a byte back
# and forth over two pipes, so every round trip puts each thread to sleep
# once (the worst case for a sched_switch program: the target switches as
# often as it can). It prints its round trips per wall second and per
# second of its CPU time. Ways: nothing watching; `whytop offcpu PID`;
# `perf record -e sched:sched_switch -g -p PID`, perf's own way to see
# where a process blocks (a sample with its call chain at every switch;
# apt-get install linux-perf; skipped when missing). bcc's offcputime would
# be the closer peer, but it compiles against kernel headers, which this
# kind of machine lacks ("Unable to find kernel headers"). For each round
# and way the watcher starts, 1.5 s pass, and the target's rates are read for
# SECONDS seconds; medians of the seconds, then of the rounds, and the
# slowdown against "none" (higher = slower).
set -u
B=${BUILDDIR:-$(pwd)}
WHYTOP=${WHYTOP:-$B/whytop}
TARGETS=${TARGETS:-$B/tests/targets}
ROUNDS=${1:-5}
SECS=${2:-3}
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 77; }
[ -x "$TARGETS/off_pingpong" ] || make -s -C "$B" tests/targets/off_pingpong >/dev/null || exit 1
TMP=$(mktemp -d)
PIDS=""
C=""
. "$(dirname "$0")/bench_lib.sh"

WAYS="none whytop"
command -v perf >/dev/null && WAYS="$WAYS perf" || echo "perf missing (apt-get install linux-perf): perf row skipped"

start() { # way pid
	case $1 in
	none) C="" ;;
	whytop) "$WHYTOP" offcpu "$2" --duration 3600 >/dev/null 2>&1 & C=$! ;;
	perf) perf record -q -e sched:sched_switch -g -p "$2" -o "$TMP/perf.data" >/dev/null 2>&1 & C=$! ;;
	esac
}
stop() {
	[ -n "$C" ] || return 0
	kill -INT "$C" 2>/dev/null
	wait "$C" 2>/dev/null
	C=""
	rm -f "$TMP/perf.data"
}

printf 'offcpu_overhead: %s rounds of %s s, %s CPUs, %s\n' "$ROUNDS" "$SECS" "$(nproc)" "$(uname -r)"
"$TARGETS/off_pingpong" >"$TMP/target" &
T=$!
PIDS="$PIDS $T"
sleep 1.5
SETTLE=1.5
bench_rounds start stop $WAYS
kill -KILL "$T"
wait "$T" 2>/dev/null
bench_table "off_pingpong round trips (two context switches each), per second, median of $ROUNDS" $WAYS
