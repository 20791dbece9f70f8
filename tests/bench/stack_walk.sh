#!/bin/bash
# stack_walk.sh: how long a full user-stack walk of a 9-thread process takes
# (attach, unwind every thread, symbolize, detach) and the longest pause its
# spinning thread observes, for whytop, eu-stack and gdb, in the same run.
#
#   tests/bench/stack_walk.sh [BUILDDIR] [RUNS]
#
# Target: tests/targets/stk_threads; its stk-clock thread reads the clock in
# a tight loop and reports, every 100 ms, the longest gap between two
# readings ("gap_us"): that is the pause a tool imposed (plus scheduling
# noise, measured first with no tool as the baseline). Figures are medians
# over RUNS runs (default 9). whytop is measured cold (a fresh process per
# walk: load debug info, walk) and warm (walks repeated in one process with
# debug info kept, as the TUI does). Tools that are missing are skipped.
set -u
B=${1:-${BUILDDIR:-$(cd "$(dirname "$0")/../.." && pwd)}}
RUNS=${2:-9}
WHYTOP=$B/whytop
TARGET=$B/tests/targets/stk_threads
[ -x "$WHYTOP" ] && [ -x "$TARGET" ] || { echo "build first (make check builds the targets)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "needs root (ptrace)" >&2; exit 77; }

TMP=$(mktemp -d)
OUT=$TMP/target.out
"$TARGET" >"$OUT" &
PID=$!
trap 'kill -CONT $PID 2>/dev/null; kill -KILL $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 100); do grep -q ' sleep [1-9].* poll [1-9]' "$OUT" 2>/dev/null && break; sleep 0.05; done

now_ns() { date +%s%N; }
beats() { grep -c '^beat' "$OUT"; }
# max_gap_ms FROM_BEAT: the longest gap in beats after FROM_BEAT (waits for 2 more).
max_gap_ms() {
	local from=$1
	while [ "$(beats)" -lt $((from + 2)) ]; do sleep 0.02; done
	grep '^beat' "$OUT" | tail -n +$((from + 1)) | awk '{ if ($4 > m) m = $4 } END { printf "%.3f", m / 1000 }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
maxof() { sort -n | tail -1; }

# run_tool NAME CMD...: RUNS walks, one process each; wall and gap per run.
run_tool() {
	local name=$1
	shift
	: >"$TMP/$name.wall"
	: >"$TMP/$name.gap"
	for _ in $(seq "$RUNS"); do
		local b t0 t1
		b=$(beats)
		t0=$(now_ns)
		"$@" >"$TMP/$name.last" 2>&1 </dev/null
		t1=$(now_ns)
		awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) / 1e6 }' >>"$TMP/$name.wall"
		max_gap_ms "$b" >>"$TMP/$name.gap"
		echo >>"$TMP/$name.gap"
	done
}

echo "stack_walk: target $TARGET pid $PID ($(ls /proc/$PID/task | wc -l) threads), $RUNS runs each, $(nproc) CPUs"

# Baseline: the gaps the spinning thread sees with no tool at all.
b=$(beats)
sleep 1
base=$(grep '^beat' "$OUT" | tail -n +$((b + 1)) | awk '{ print $4 / 1000 }' | median)
basemax=$(grep '^beat' "$OUT" | tail -n +$((b + 1)) | awk '{ print $4 / 1000 }' | maxof)

run_tool whytop "$WHYTOP" stack "$PID"
grep -q '^thread' "$TMP/whytop.last" || { echo "whytop failed: $(cat "$TMP/whytop.last")" >&2; exit 1; }

# Warm: one process, debug info kept; whytop reports its own walk times.
b=$(beats)
"$WHYTOP" stack "$PID" --repeat $((RUNS * 10)) >/dev/null 2>"$TMP/warm.err"
warm_gap=$(max_gap_ms "$b")
warm=$(sed -n 's/.* warm_median_ms \([0-9.]*\).*/\1/p' "$TMP/warm.err")
pause_med=$(sed -n 's/.* pause_median_ms \([0-9.]*\).*/\1/p' "$TMP/warm.err")
pause_max=$(sed -n 's/.* pause_max_ms \([0-9.]*\).*/\1/p' "$TMP/warm.err")
hold_med=$(sed -n 's/.* hold_median_ms \([0-9.]*\).*/\1/p' "$TMP/warm.err")
hold_max=$(sed -n 's/.* hold_max_ms \([0-9.]*\).*/\1/p' "$TMP/warm.err")

have_eu=; have_gdb=
if command -v eu-stack >/dev/null; then
	have_eu=1
	run_tool eu-stack eu-stack -p "$PID"
	# The same information whytop prints: source lines and inlined frames.
	run_tool eu-stack-si eu-stack -s -i -p "$PID"
fi
if command -v gdb >/dev/null; then
	have_gdb=1
	run_tool gdb gdb -nx -batch -ex 'thread apply all bt' -p "$PID"
fi

wall() { median <"$TMP/$1.wall"; }
gapmed() { grep . "$TMP/$1.gap" | median; }
gapmax() { grep . "$TMP/$1.gap" | maxof; }
eu=$( [ -n "$have_eu" ] && wall eu-stack || echo -)
ratio() { [ "$eu" = - ] && echo - || awk -v a="$1" -v b="$eu" 'BEGIN { printf "%.2f", a / b }'; }

printf '\n%-28s %12s %10s %16s %14s\n' "tool" "walk_ms" "vs_eu" "target_gap_ms" "gap_max_ms"
printf '%-28s %12s %10s %16s %14s\n' "(no tool: baseline)" - - "$base" "$basemax"
printf '%-28s %12s %10s %16s %14s\n' "whytop stack (cold)" "$(wall whytop)" "$(ratio "$(wall whytop)")" "$(gapmed whytop)" "$(gapmax whytop)"
printf '%-28s %12s %10s %16s %14s\n' "whytop stack (warm, median)" "$warm" "$(ratio "$warm")" "$warm_gap*" "-"
[ -n "$have_eu" ] && printf '%-28s %12s %10s %16s %14s\n' "eu-stack -p" "$eu" 1.00 "$(gapmed eu-stack)" "$(gapmax eu-stack)"
[ -n "$have_eu" ] && printf '%-28s %12s %10s %16s %14s\n' "eu-stack -s -i -p (lines)" "$(wall eu-stack-si)" "$(ratio "$(wall eu-stack-si)")" "$(gapmed eu-stack-si)" "$(gapmax eu-stack-si)"
[ -n "$have_gdb" ] && printf '%-28s %12s %10s %16s %14s\n' "gdb thread apply all bt" "$(wall gdb)" "$(ratio "$(wall gdb)")" "$(gapmed gdb)" "$(gapmax gdb)"
echo
echo "* warm: the longest gap over all $((RUNS * 10)) repeated walks. whytop's own figures per walk:"
echo "  pause (a thread seen stopped until let go) median $pause_med ms, max $pause_max ms;"
echo "  hold (interrupt to detach, includes waiting for the thread to reach the stop)"
echo "  median $hold_med ms, max $hold_max ms"
echo "walk_ms is wall time of the whole command (process start included) except warm,"
echo "which is whytop's own measure of one walk. Targets: cold <= 0.5 x eu-stack, warm < 20 ms, gap < 5 ms."
echo "whytop prints file:line and inline frames for every module with debug info; eu-stack does"
echo "only with -s -i. A first walk's cost is mostly opening DWARF (libc6-dbg's compressed"
echo "sections when installed); the baseline row is the scheduling noise of this machine."
