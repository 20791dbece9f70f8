#!/bin/sh
# libcalls_overhead.sh: what counting library calls costs the counted
# process: whytop libcalls against ltrace -c -p, in the same run. Run as
# root from the build tree:
#     sh tests/bench/libcalls_overhead.sh [ROUNDS] [SECONDS]
#
# One "lib_calls --loop" runs the whole time: rand in a tight loop (a cheap
# libc function, called through the PLT), printing each second its calls
# in that second (wall) and per second of its own CPU time (cpu: user +
# system, where the uprobe traps are charged; robust to other load, blind
# to time stopped -- so for ltrace read the wall column). For each round
# and each way of counting (none; whytop libcalls -e rand with uprobe_multi;
# the same with one uprobe per function; whytop libcalls counting every
# import; ltrace -c -p) we start the counter, let 1.2 s pass, read SECONDS
# seconds of rates, and stop it. A round's figure is the median of its
# seconds; the table shows the median over the rounds, the slowdown
# against none, and the cost per call in ns (1/rate - 1/rate_none).
set -u
B=${BUILDDIR:-$(pwd)}
WHYTOP=${WHYTOP:-$B/whytop}
TARGETS=${TARGETS:-$B/tests/targets}
ROUNDS=${1:-5}
SECS=${2:-3}
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 77; }
command -v ltrace >/dev/null || { echo "ltrace missing: apt-get install ltrace" >&2; exit 77; }
TMP=$(mktemp -d)
PIDS=""
C=""
. "$(dirname "$0")/bench_lib.sh"

start_counter() { # how pid
	case $1 in
	none) C="" ;;
	multi) "$WHYTOP" libcalls "$2" -e rand >/dev/null 2>&1 & C=$! ;;
	each) WHYTOP_NO_UPROBE_MULTI=1 "$WHYTOP" libcalls "$2" -e rand >/dev/null 2>&1 & C=$! ;;
	imports) "$WHYTOP" libcalls "$2" >/dev/null 2>&1 & C=$! ;;
	ltrace) ltrace -c -p "$2" -o /dev/null 2>/dev/null & C=$! ;;
	esac
}
stop_counter() {
	[ -n "$C" ] || return 0
	# ltrace detaches on SIGINT (SIGTERM too); whytop prints and exits on either
	kill -INT "$C" 2>/dev/null
	wait "$C" 2>/dev/null
	C=""
}

HOWS="none multi each imports ltrace"
printf 'libcalls_overhead: %s rounds of %s s, %s CPUs, %s, %s\n' "$ROUNDS" "$SECS" "$(nproc)" \
	"$(uname -r)" "$(ltrace -V | head -n 1)"
"$TARGETS/lib_calls" --loop >"$TMP/target" &
T=$!
PIDS="$PIDS $T"
sleep 1.5
bench_rounds start_counter stop_counter $HOWS
echo
echo "target: rand loop (calls/s, median of $ROUNDS; ns: added cost per call)"
printf '%-8s %12s %8s %8s   %12s %8s %8s\n' counter wall x ns cpu x ns
bw=$(median <"$TMP/none.wall")
bc=$(median <"$TMP/none.cpu")
for how in $HOWS; do
	w=$(median <"$TMP/$how.wall")
	c=$(median <"$TMP/$how.cpu")
	awk -v l="$how" -v w="$w" -v c="$c" -v bw="$bw" -v bc="$bc" 'BEGIN {
		printf "%-8s %12.0f %7.2fx %8.0f   %12.0f %7.2fx %8.0f\n", l,
			w, (w > 0 ? bw / w : 0), (w > 0 ? 1e9 / w - 1e9 / bw : 0),
			c, (c > 0 ? bc / c : 0), (c > 0 ? 1e9 / c - 1e9 / bc : 0) }'
done
