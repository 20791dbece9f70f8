#!/bin/sh
# trace_overhead.sh: how much the in-kernel syscall log slows the logged
# process, side by side with strace in the same run. Run as root from the
# build tree:
#     sh tests/bench/trace_overhead.sh [ROUNDS] [SECONDS]
#
# 1. An open/read/close loop on /proc/self/stat (sc_loop proc) while
#    nothing logs it, while `whytop trace --backend kernel -o FILE PID`
#    logs every call to a file (trace), while the backend alone does
#    (tests/bench/trace_drain, which formats each record with the decoder
#    but has no writer: bpf), the same waking the reader at every record
#    (bpf-each: WHYTOP_TRACE_WAKE_EACH=1, what batching saves), and while
#    `strace -o FILE -p` does.
# 2. A getppid loop while logging only openat (nothing is logged: the cost
#    of the filter), against the in-kernel counter (`whytop syscalls
#    --backend kernel`) and `strace -e trace=openat`.
# 3. The same getppid loop with every call logged by `whytop trace`: the
#    lines per second the log sustains and the events it reports lost
#    (the most a loop of the cheapest call can make on this machine).
#
# For each round and each way, the logger starts, one second passes, then
# the target's own per-second rates are read for SECONDS seconds. A round's
# figure is the median of its seconds; the tables show the median over the
# rounds and the slowdown against "none" (higher = slower), per wall-clock
# second (what a user sees; depends on the machine's other load, and the
# logger's own CPU competes with the target on a small machine) and per
# second of the target's CPU time (the cost the programs add to each call).
# trace_drain's records per second and lost events are shown too.
set -u
B=${BUILDDIR:-$(pwd)}
WHYTOP=${WHYTOP:-$B/whytop}
TARGETS=${TARGETS:-$B/tests/targets}
DRAIN=${DRAIN:-$B/tests/bench/trace_drain}
ROUNDS=${1:-5}
SECS=${2:-3}
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 77; }
command -v strace >/dev/null || { echo "strace missing: apt-get install strace" >&2; exit 77; }
[ -x "$DRAIN" ] || make -s -C "$B" tests/bench/trace_drain >/dev/null || exit 1
[ -x "$TARGETS/sc_loop" ] || make -s -C "$B" tests/targets/sc_loop >/dev/null || exit 1
TMP=$(mktemp -d)
PIDS=""
C=""
. "$(dirname "$0")/bench_lib.sh"

start_logger() { # how pid
	case $1 in
	none) C="" ;;
	trace|trace-all) "$WHYTOP" trace --backend kernel -o "$TMP/log" "$2" 2>/dev/null & C=$! ;;
	bpf) "$DRAIN" -o "$TMP/log" "$2" 2>"$TMP/drain" & C=$! ;;
	bpf-each) WHYTOP_TRACE_WAKE_EACH=1 "$DRAIN" -o "$TMP/log" "$2" 2>"$TMP/drain" & C=$! ;;
	bpf-openat) "$DRAIN" -e openat -o "$TMP/log" "$2" 2>"$TMP/drain" & C=$! ;;
	counter) "$WHYTOP" syscalls "$2" --backend kernel >/dev/null 2>&1 & C=$! ;;
	strace) strace -o "$TMP/log" -p "$2" 2>/dev/null & C=$! ;;
	strace-openat) strace -e trace=openat -o "$TMP/log" -p "$2" 2>/dev/null & C=$! ;;
	esac
}
stop_logger() {
	[ -n "$C" ] || return 0
	kill -TERM "$C" 2>/dev/null
	wait "$C" 2>/dev/null
	rm -f "$TMP/log"
}

printf 'trace_overhead: %s rounds of %s s, %s CPUs, %s\n' "$ROUNDS" "$SECS" "$(nproc)" "$(uname -r)"
for set in proc getppid all; do
	case $set in
	proc) work=proc WAYS="none trace bpf bpf-each strace" ;;
	getppid) work=getppid WAYS="none bpf-openat counter strace-openat" ;;
	all) work=getppid WAYS="none trace-all strace" ;;
	esac
	"$TARGETS/sc_loop" "$work" >"$TMP/target" &
	T=$!
	PIDS="$PIDS $T"
	sleep 1.5
	for r in $(seq "$ROUNDS"); do
		for how in $WAYS; do
			start_logger "$how" "$T"
			sleep 1.2
			l0=$(cat "$TMP/log" 2>/dev/null | wc -l)
			window "$TMP/target" >"$TMP/t.$how.$r"
			case $how in
			trace*)	# whytop trace's lines in the window (one a call), and its lost lines
				l1=$(wc -l <"$TMP/log")
				echo $(((l1 - l0) / SECS)) >>"$TMP/$how.rps"
				sed -n 's/^--- lost \([0-9]*\) events.*/\1/p' "$TMP/log" |
					awk '{s += $1} END {print s + 0}' >>"$TMP/$how.lost" ;;
			esac
			stop_logger
			awk '{print $1}' "$TMP/t.$how.$r" | median >>"$TMP/$how.wall"
			awk '{print $2}' "$TMP/t.$how.$r" | median >>"$TMP/$how.cpu"
			if [ -s "$TMP/drain" ]; then
				# records N lost M seconds S
				awk '{printf "%.0f\n", $2 / $6}' "$TMP/drain" >>"$TMP/$how.rps"
				awk '{print $4}' "$TMP/drain" >>"$TMP/$how.lost"
				rm -f "$TMP/drain"
			fi
			sleep 0.3
		done
	done
	kill -KILL "$T"
	wait "$T" 2>/dev/null
	echo
	case $set in
	proc) echo "open/read/close loop on /proc/self/stat, every call logged (iterations/s, median of $ROUNDS)" ;;
	getppid) echo "getppid loop, only openat logged (iterations/s, median of $ROUNDS)" ;;
	all) echo "getppid loop, every call logged: the lines/s the log sustains (records/s = lines/s), median of $ROUNDS" ;;
	esac
	printf '%-14s %12s %8s %12s %8s %12s %10s\n' logger wall x cpu x records/s lost
	bw=$(median <"$TMP/none.wall")
	bc=$(median <"$TMP/none.cpu")
	for how in $WAYS; do
		w=$(median <"$TMP/$how.wall")
		c=$(median <"$TMP/$how.cpu")
		rps=-
		lost=-
		[ -s "$TMP/$how.rps" ] && rps=$(median <"$TMP/$how.rps")
		[ -s "$TMP/$how.lost" ] && lost=$(awk '{s += $1} END {print s}' "$TMP/$how.lost")
		awk -v l="$how" -v w="$w" -v c="$c" -v bw="$bw" -v bc="$bc" -v rps="$rps" -v lost="$lost" 'BEGIN {
			printf "%-14s %12.0f %7.2fx %12.0f %7.2fx %12s %10s\n", l, w, (w > 0 ? bw / w : 0), c, (c > 0 ? bc / c : 0), rps, lost }'
	done
	rm -f "$TMP"/t.* "$TMP"/*.wall "$TMP"/*.cpu "$TMP"/*.rps "$TMP"/*.lost
done
