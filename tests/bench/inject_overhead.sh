#!/bin/sh
# inject_overhead.sh: what fault injection costs the process it watches,
# side by side with strace's --inject in the same run. Run as root from the
# build tree:
#     sh tests/bench/inject_overhead.sh [ROUNDS] [SECONDS]
#
# The target is tests/targets/sc_loop proc (open, read and close
# /proc/self/stat in a loop; it prints its own iterations per second, wall
# and per second of its CPU time). The rule injects ENOENT into chdir,
# which the loop never calls: what is measured is the watching alone, the
# price every call of the process pays while a fault waits for its call.
#
# 1. Attached (`whytop inject PID -e trace=chdir --error ENOENT` against
#    `strace -e trace=chdir -e inject=chdir:error=ENOENT -p PID`): a
#    process running before the tool cannot be given a seccomp filter, so
#    both stop it at every call's entry and exit.
# 2. Launched (`whytop run --inject chdir:error=ENOENT -- sc_loop proc`
#    against `strace -f --seccomp-bpf -e trace=chdir -e
#    inject=chdir:error=ENOENT sc_loop proc`): both put a seccomp filter in
#    the program, which stops only at chdir.
#
# For each round and each way, the target runs one second, then its own
# per-second rates are read for SECONDS seconds; a round's figure is the
# median of its seconds, the tables the median over the rounds, and the
# slowdown against "none" (higher = slower).
set -u
B=${BUILDDIR:-$(pwd)}
WHYTOP=${WHYTOP:-$B/whytop}
TARGETS=${TARGETS:-$B/tests/targets}
ROUNDS=${1:-5}
SECS=${2:-3}
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 77; }
command -v strace >/dev/null || { echo "strace missing: apt-get install strace" >&2; exit 77; }
[ -x "$TARGETS/sc_loop" ] || make -s -C "$B" tests/targets/sc_loop >/dev/null || exit 1
TMP=$(mktemp -d)
PIDS=""
C=""
. "$(dirname "$0")/bench_lib.sh"

LOOP="$TARGETS/sc_loop proc"
# attach WAY PID: start the tool on the running target (C: the tool's pid)
attach() {
	case $1 in
	none) C="" ;;
	whytop) "$WHYTOP" inject "$2" -e trace=chdir --error ENOENT 2>/dev/null & C=$! ;;
	strace) strace -o /dev/null -e trace=chdir -e inject=chdir:error=ENOENT -p "$2" 2>/dev/null & C=$! ;;
	esac
}
# launch WAY: start the target under the tool, its rates in $TMP/target (C: the
# tool; it is ended by ending the program, its child: strace, sent SIGTERM
# with a launched child, signals this script too)
launch() {
	case $1 in
	none) $LOOP >"$TMP/target" & C=$! ;;
	whytop) "$WHYTOP" run --inject chdir:error=ENOENT -- $LOOP >"$TMP/target" 2>/dev/null & C=$! ;;
	strace) strace -o /dev/null -f --seccomp-bpf -e trace=chdir -e inject=chdir:error=ENOENT \
		$LOOP >"$TMP/target" 2>/dev/null & C=$! ;;
	esac
}
stop() {
	[ -n "$C" ] || return 0
	kill -TERM "$C" 2>/dev/null
	wait "$C" 2>/dev/null
	C=""
}
printf 'inject_overhead: %s rounds of %s s, %s CPUs, %s\n' "$ROUNDS" "$SECS" "$(nproc)" "$(uname -r)"
WAYS="none whytop strace"

$LOOP >"$TMP/target" &
T=$!
PIDS="$PIDS $T"
sleep 1.5
bench_rounds attach stop $WAYS
kill -KILL "$T"
wait "$T" 2>/dev/null
bench_table "attached: open/read/close loop, a fault waiting for chdir (iterations/s, median of $ROUNDS)" $WAYS

for r in $(seq "$ROUNDS"); do
	for how in $WAYS; do
		: >"$TMP/target"
		launch "$how"
		sleep 1.2
		window "$TMP/target" >"$TMP/t"
		if [ "$how" = none ]; then
			stop
		else
			for p in $(ps -o pid= --ppid "$C"); do kill -KILL "$p"; done
			wait "$C" 2>/dev/null
			C=""
		fi
		awk '{print $1}' "$TMP/t" | median >>"$TMP/$how.wall"
		awk '{print $2}' "$TMP/t" | median >>"$TMP/$how.cpu"
		sleep 0.3
	done
done
bench_table "launched: the same loop started under the tool, a seccomp filter for chdir (iterations/s, median of $ROUNDS)" $WAYS
