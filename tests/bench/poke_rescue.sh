#!/bin/bash
# poke_rescue.sh: how long it takes to read a frame's locals and to rescue
# crazy (set its loop flag to 0) with whytop and with gdb, in the same run.
#
#   tests/bench/poke_rescue.sh [BUILDDIR] [RUNS]
#
# For each run a fresh tests/targets/crazy is started. Figures (medians over
# RUNS, default 7), in milliseconds:
#   locals   wall time of one listing of frame 0's variables
#            (whytop locals PID  |  gdb -batch -p PID -ex 'info locals')
#   poke     wall time of the tool that sets flag=0
#            (whytop poke --watch 0 PID flag=0  |  gdb -batch -p PID -ex 'set var flag=0')
#   rescue   from starting the tool until crazy has exited (reaped)
# gdb is skipped when it is not installed.
set -u
B=${1:-${BUILDDIR:-$(cd "$(dirname "$0")/../.." && pwd)}}
RUNS=${2:-7}
WHYTOP=$B/whytop
CRAZY=$B/tests/targets/crazy
[ -x "$WHYTOP" ] && [ -x "$CRAZY" ] || { echo "build first (make check builds the targets)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "needs root (ptrace)" >&2; exit 77; }
TMP=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill -KILL $PID 2>/dev/null; rm -rf "$TMP"' EXIT

now_ns() { date +%s%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f\n", (b - a) / 1e6 }'; }
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.1f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

start_crazy() {
	"$CRAZY" >"$TMP/crazy.out" &
	PID=$!
	for _ in $(seq 100); do grep -q spinning "$TMP/crazy.out" && break; sleep 0.02; done
	sleep 0.2
}

# run NAME LOCALS-CMD POKE-CMD (commands get the pid appended by eval of $PID)
run() {
	local name=$1 lcmd=$2 pcmd=$3 t0 t1 t2
	: >"$TMP/$name.locals"
	: >"$TMP/$name.poke"
	: >"$TMP/$name.rescue"
	for _ in $(seq "$RUNS"); do
		start_crazy
		t0=$(now_ns)
		eval "$lcmd" >"$TMP/$name.lout" 2>&1 </dev/null
		t1=$(now_ns)
		ms "$t0" "$t1" >>"$TMP/$name.locals"
		grep -q "flag = 1" "$TMP/$name.lout" || { echo "$name: locals did not show flag = 1:" >&2; cat "$TMP/$name.lout" >&2; }
		t0=$(now_ns)
		eval "$pcmd" >"$TMP/$name.pout" 2>&1 </dev/null
		t1=$(now_ns)
		wait "$PID"
		st=$?
		t2=$(now_ns)
		PID=
		[ "$st" = 0 ] || echo "$name: crazy exited $st" >&2
		ms "$t0" "$t1" >>"$TMP/$name.poke"
		ms "$t0" "$t2" >>"$TMP/$name.rescue"
	done
}

echo "poke_rescue: $RUNS runs each, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
run whytop '"$WHYTOP" locals $PID' '"$WHYTOP" poke --watch 0 $PID flag=0'
have_gdb=no
if command -v gdb >/dev/null 2>&1; then
	have_gdb=yes
	run gdb 'gdb -batch -nx -p $PID -ex "info locals"' 'gdb -batch -nx -p $PID -ex "set var flag = 0"'
fi
printf '%-8s %12s %12s %8s\n' "ms" whytop gdb "gdb/why"
for k in locals poke rescue; do
	w=$(median <"$TMP/whytop.$k")
	g=-
	[ $have_gdb = yes ] && g=$(median <"$TMP/gdb.$k")
	r=$(awk -v w="$w" -v g="$g" 'BEGIN { if (g == "-" || w == 0) print "-"; else printf "%.1f", g / w }')
	printf '%-8s %12s %12s %8s\n' "$k" "$w" "$g" "$r"
done
