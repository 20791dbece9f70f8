#!/bin/sh
# trace_stack.sh: what `whytop trace -k` (a user stack per logged call)
# costs the traced process, side by side with strace -k in the same run.
# Run as root from the build tree:
#     sh tests/bench/trace_stack.sh [ROUNDS] [SECONDS]
#
# An open/read/close loop on /proc/self/stat (tests/targets/sc_loop proc),
# while nothing traces it, while `whytop trace --backend ptrace -e
# trace=openat` logs its openat calls to a file, the same with -k, and
# while `strace -e trace=openat` and `strace -k -e trace=openat` do. For
# each round and each way, the tracer starts, 1.2 s pass, then the target's
# own per-second rates are read for SECONDS seconds; a round's figure is the
# median of its seconds. The table: the median over the rounds and the
# slowdown against "none" (higher = slower), per wall-clock second and per
# second of the target's CPU time, and how many stack lines each logger
# wrote per second (whytop -k names every frame off the stop; a reader that
# falls behind shows as fewer lines, not as a slower target, until exit).
set -u
B=${BUILDDIR:-$(pwd)}
WHYTOP=${WHYTOP:-$B/whytop}
TARGETS=${TARGETS:-$B/tests/targets}
ROUNDS=${1:-5}
SECS=${2:-3}
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 77; }
command -v strace >/dev/null || { echo "strace missing: apt-get install strace" >&2; exit 77; }
strace -k -e trace=none true 2>/dev/null || { echo "this strace has no -k" >&2; exit 77; }
[ -x "$TARGETS/sc_loop" ] || make -s -C "$B" tests/targets/sc_loop >/dev/null || exit 1
TMP=$(mktemp -d)
PIDS=""
C=""
. "$(dirname "$0")/bench_lib.sh"

start_logger() { # how pid
	case $1 in
	none) C="" ;;
	whytop) "$WHYTOP" trace --backend ptrace -e trace=openat -o "$TMP/log" "$2" 2>/dev/null & C=$! ;;
	whytop-k) "$WHYTOP" trace -k --backend ptrace -e trace=openat -o "$TMP/log" "$2" 2>/dev/null & C=$! ;;
	strace) strace -e trace=openat -o "$TMP/log" -p "$2" 2>/dev/null & C=$! ;;
	strace-k) strace -k -e trace=openat -o "$TMP/log" -p "$2" 2>/dev/null & C=$! ;;
	esac
}
stop_logger() {
	[ -n "$C" ] || return 0
	kill -INT "$C" 2>/dev/null
	wait "$C" 2>/dev/null
	C=""
}

printf 'trace_stack: %s rounds of %s s, %s CPUs, %s\n' "$ROUNDS" "$SECS" "$(nproc)" "$(uname -r)"
WAYS="none whytop whytop-k strace strace-k"
"$TARGETS/sc_loop" proc >"$TMP/target" &
T=$!
PIDS="$PIDS $T"
sleep 1.5
for r in $(seq "$ROUNDS"); do
	for how in $WAYS; do
		rm -f "$TMP/log"
		start_logger "$how" "$T"
		sleep 1.2
		s0=$(grep -c '^ > ' "$TMP/log" 2>/dev/null)
		window "$TMP/target" >"$TMP/t.$how.$r"
		s1=$(grep -c '^ > ' "$TMP/log" 2>/dev/null)
		stop_logger
		awk '{print $1}' "$TMP/t.$how.$r" | median >>"$TMP/$how.wall"
		awk '{print $2}' "$TMP/t.$how.$r" | median >>"$TMP/$how.cpu"
		echo $(( (${s1:-0} - ${s0:-0}) / SECS )) >>"$TMP/$how.frames"
		sleep 0.3
	done
done
kill -KILL "$T"
wait "$T" 2>/dev/null
echo
echo "open/read/close loop on /proc/self/stat, openat logged (iterations/s, median of $ROUNDS)"
printf '%-10s %12s %8s %12s %8s %14s\n' tracer wall x cpu x "stack lines/s"
bw=$(median <"$TMP/none.wall")
bc=$(median <"$TMP/none.cpu")
for how in $WAYS; do
	w=$(median <"$TMP/$how.wall")
	c=$(median <"$TMP/$how.cpu")
	f=$(median <"$TMP/$how.frames")
	awk -v l="$how" -v w="$w" -v c="$c" -v bw="$bw" -v bc="$bc" -v f="$f" 'BEGIN {
		printf "%-10s %12.0f %7.2fx %12.0f %7.2fx %14s\n", l, w, (w > 0 ? bw / w : 0), c, (c > 0 ? bc / c : 0), f }'
done
