#!/bin/sh
# syscalls_overhead.sh: how much each way of counting syscalls slows the
# counted process, and an unrelated one, against strace -c -f -p in the
# same run. Run as root from the build tree:
#     sh tests/bench/syscalls_overhead.sh [ROUNDS] [SECONDS]
#
# Two sc_loop programs run the whole time: the target (a tight getppid
# loop, then an open/read/close loop on /proc/self/stat) and an unrelated
# getppid loop that nobody counts. For each round and each way of counting
# (none, whytop kernel, whytop ptrace, strace -c -f -p) we start the
# counter, let one second pass, then read the per-second rates both
# programs print for SECONDS seconds, and stop the counter. A round's
# figure is the median of its seconds; the table shows the median over the
# rounds and the slowdown against "none" (higher = slower).
#
# With a whytop that takes them, two more kernel rows: kern-set counts
# with -e trace=openat (no call of the loop is in the set: each costs the
# set lookup), kern-2p counts the target and this shell (two processes:
# the tgid hash instead of the immediate compare).
#
# Then launch mode: a fresh getppid loop started plain, under
# "whytop run --trace openat" (a seccomp filter; getppid is not watched),
# under "whytop run" (every call stops) and under "strace -f -c".
#
# Two rates per program: per wall-clock second (what a user sees; depends
# on whatever else runs on this shared machine) and per second of the
# program's own CPU time (user + system: the syscall's own cost, robust to
# other load, but blind to time spent stopped -- so for ptrace and strace
# read the wall column).
set -u
B=${BUILDDIR:-$(pwd)}
WHYTOP=${WHYTOP:-$B/whytop}
TARGETS=${TARGETS:-$B/tests/targets}
ROUNDS=${1:-5}
SECS=${2:-3}
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 77; }
command -v strace >/dev/null || { echo "strace missing: apt-get install strace" >&2; exit 77; }
TMP=$(mktemp -d)
PIDS=""
C=""
. "$(dirname "$0")/bench_lib.sh"

start_counter() { # how pid
	case $1 in
	none) C="" ;;
	kernel) "$WHYTOP" syscalls "$2" --backend kernel >/dev/null 2>&1 & C=$! ;;
	ptrace) "$WHYTOP" syscalls "$2" --backend ptrace >/dev/null 2>&1 & C=$! ;;
	strace) strace -c -f -p "$2" -o /dev/null 2>/dev/null & C=$! ;;
	kern-set) "$WHYTOP" syscalls "$2" --backend kernel -e trace=openat >/dev/null 2>&1 & C=$! ;;
	kern-2p) "$WHYTOP" syscalls "$2,$$" --backend kernel >/dev/null 2>&1 & C=$! ;;
	esac
}
stop_counter() {
	[ -n "$C" ] || return 0
	kill -TERM "$C" 2>/dev/null
	wait "$C" 2>/dev/null
}

"$TARGETS/sc_loop" getppid >"$TMP/other" &
OTHER=$!
PIDS="$PIDS $OTHER"
HOWS="none kernel ptrace strace"
"$WHYTOP" syscalls --help 2>&1 | grep -q -- '--expr' && HOWS="$HOWS kern-set kern-2p"
printf 'syscalls_overhead: %s rounds of %s s, %s CPUs, %s\n' "$ROUNDS" "$SECS" "$(nproc)" "$(uname -r)"
for work in getppid proc; do
	"$TARGETS/sc_loop" "$work" >"$TMP/target" &
	T=$!
	PIDS="$PIDS $T"
	sleep 1.5
	for r in $(seq "$ROUNDS"); do
		for how in $HOWS; do
			start_counter "$how" "$T"
			sleep 1.2
			(window "$TMP/target" >"$TMP/t.$how.$r") &
			window "$TMP/other" >"$TMP/o.$how.$r"
			wait $! 2>/dev/null
			stop_counter
			for f in t o; do
				awk '{print $1}' "$TMP/$f.$how.$r" | median >>"$TMP/$f.$how.wall"
				awk '{print $2}' "$TMP/$f.$how.$r" | median >>"$TMP/$f.$how.cpu"
			done
			sleep 0.3
		done
	done
	kill -KILL "$T"
	wait "$T" 2>/dev/null
	echo
	echo "target: $work loop (iterations/s, median of $ROUNDS)"
	printf '%-8s %12s %8s %12s %8s   %12s %8s %12s %8s\n' counter target/wall x target/cpu x \
		other/wall x other/cpu x
	for f in t o; do for k in wall cpu; do
		eval "base_${f}_$k=\$(median <\"$TMP/$f.none.$k\")"
	done; done
	for how in $HOWS; do
		line=$(printf '%-8s' "$how")
		for f in t o; do for k in wall cpu; do
			v=$(median <"$TMP/$f.$how.$k")
			eval "b=\$base_${f}_$k"
			line="$line $(awk -v v="$v" -v b="$b" 'BEGIN {printf "%12.0f %7.2fx", v, (v > 0 ? b / v : 0)}')"
		done; [ $f = t ] && line="$line  "; done
		echo "$line"
	done
	rm -f "$TMP"/t.* "$TMP"/o.*
done

echo
echo "launch: a new getppid loop (iterations/s, median of $ROUNDS runs of $SECS s)"
printf '%-22s %12s %8s %12s %8s\n' started-by wall x cpu x
for r in $(seq "$ROUNDS"); do
	for how in plain filter all strace; do
		L="$TARGETS/sc_loop getppid $((SECS + 1))"
		case $how in
		plain) $L >"$TMP/l" ;;
		filter) "$WHYTOP" run -o /dev/null --trace openat -- $L >"$TMP/l" ;;
		all) "$WHYTOP" run -o /dev/null -- $L >"$TMP/l" ;;
		strace) strace -f -c -o /dev/null $L >"$TMP/l" ;;
		esac
		# the first second includes start-up
		tail -n +2 "$TMP/l" | awk '{print $1}' | median >>"$TMP/l.$how.wall"
		tail -n +2 "$TMP/l" | awk '{print $2}' | median >>"$TMP/l.$how.cpu"
	done
done
bw=$(median <"$TMP/l.plain.wall")
bc=$(median <"$TMP/l.plain.cpu")
for how in plain filter all strace; do
	case $how in
	plain) label="plain" ;;
	filter) label="whytop run --trace" ;;
	all) label="whytop run" ;;
	strace) label="strace -f -c" ;;
	esac
	w=$(median <"$TMP/l.$how.wall")
	c=$(median <"$TMP/l.$how.cpu")
	awk -v l="$label" -v w="$w" -v c="$c" -v bw="$bw" -v bc="$bc" 'BEGIN {
		printf "%-22s %12.0f %7.2fx %12.0f %7.2fx\n", l, w, (w > 0 ? bw / w : 0), c, (c > 0 ? bc / c : 0) }'
done
