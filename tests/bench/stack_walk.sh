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
# over RUNS runs (default 9), the tools taking turns within each run so
# that a noisy moment of this shared machine falls on all of them. whytop is
# measured cold (a fresh process per walk: load debug info, walk) and warm
# (walks repeated in one process with debug info kept, as the TUI does).
# Cold comes four ways. With the cache filled: the uncompressed copies of
# compressed debug files (libc6-dbg's) and the names of frames already
# named (namecache.c), as every walk of the same code after the first on a
# machine. With the copies only (the names files removed before each walk:
# frames never named before, libdw reads the DWARF). With the cache empty
# (the first walk ever: it writes both), and with the cache off. Wall time
# is taken by spawn_ms.c around the command alone. Tools that are missing
# are skipped.
#
# Then busy threads: tests/targets/stk_spin, main asleep and 8 threads
# spinning in a CPU loop (never in a system call), started once the first
# target is gone. RUNS cold walks by whytop (cache filled) and by eu-stack -p,
# taking turns; median, min and max wall time, the ratio of the medians, and
# the pause and hold whytop reports for each walk (its first line). That
# target has no clock thread: no gap is measured there. whytop walks it
# with the cache filled and with the copies only, as above, and with
# --consistent (every thread held until all are copied: a longer pause,
# and fewer threads competing for the CPU while the others stop). The
# busy target is walked twice: started in the script's own session, then
# in a session of its own (setsid), as a service is; with the scheduler's
# autogroups the two differ in how much CPU the tool gets beside 8
# spinning threads.
set -u
B=${1:-${BUILDDIR:-$(cd "$(dirname "$0")/../.." && pwd)}}
RUNS=${2:-9}
WHYTOP=$B/whytop
TARGET=$B/tests/targets/stk_threads
SPIN_TARGET=$B/tests/targets/stk_spin
[ -x "$WHYTOP" ] && [ -x "$TARGET" ] && [ -x "$SPIN_TARGET" ] || { echo "build first (make check builds the targets)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "needs root (ptrace)" >&2; exit 77; }

TMP=$(mktemp -d)
OUT=$TMP/target.out
"$TARGET" >"$OUT" &
PID=$!
SPID=
trap 'kill -CONT $PID $SPID 2>/dev/null; kill -KILL $PID $SPID 2>/dev/null; wait $PID $SPID 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 100); do grep -q ' sleep [1-9].* poll [1-9]' "$OUT" 2>/dev/null && break; sleep 0.05; done

now_us() { echo "${EPOCHREALTIME/./}"; }
beats() { grep -c '^beat' "$OUT"; }
# max_gap_ms FROM_BEAT: the longest gap in beats after FROM_BEAT, once two
# more beats came after the tool ended (called then). A pause is reported
# by the first beat after it: waiting for two beats counted from FROM_BEAT
# instead took beats printed while a slow tool (gdb) was still loading,
# and its pause went to the next tool's row.
max_gap_ms() {
	local from=$1 end
	end=$(beats)
	while [ "$(beats)" -lt $((end + 2)) ]; do sleep 0.02; done
	grep '^beat' "$OUT" | tail -n +$((from + 1)) | awk '{ if ($4 > m) m = $4 } END { printf "%.3f", m / 1000 }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
maxof() { sort -n | tail -1; }

# The clock: spawn_ms (tests/bench/spawn_ms.c, compiled here) times just the
# command; without a compiler, bash's EPOCHREALTIME around it.
SPAWN=
if command -v cc >/dev/null && cc -O2 -o "$TMP/spawn_ms" "$(dirname "$0")/spawn_ms.c" 2>/dev/null; then
	SPAWN=$TMP/spawn_ms
fi

# time_one NAME CMD...: run CMD in its own process, its wall time appended
# to $TMP/NAME.wall (spawn_ms times the command alone, else bash's clock);
# a run that failed (exit status) is counted and its output kept.
time_one() {
	local name=$1 st=0 t0 t1
	shift
	if [ -n "$SPAWN" ]; then
		"$SPAWN" "$TMP/$name.last" "$@" >>"$TMP/$name.wall" || st=$?
	else
		t0=$(now_us)
		"$@" >"$TMP/$name.last" 2>&1 </dev/null || st=$?
		t1=$(now_us)
		awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) / 1e3 }' >>"$TMP/$name.wall"
	fi
	if [ "$st" != 0 ]; then
		echo "$st" >>"$TMP/$name.failed"
		cp "$TMP/$name.last" "$TMP/$name.failed.last"
	fi
	return 0
}

# run_one NAME CACHE CMD...: one walk in its own process, WHYTOP_DEBUG_CACHE
# set to CACHE (- : left as it is); its wall time and gap.
run_one() {
	local name=$1 b
	[ "$2" = - ] || local -x WHYTOP_DEBUG_CACHE="$2"
	shift 2
	b=$(beats)
	time_one "$name" "$@"
	max_gap_ms "$b" >>"$TMP/$name.gap"
	echo >>"$TMP/$name.gap"
}

# Baseline: the gaps the spinning thread sees with no tool at all.
b=$(beats)
sleep 1
base=$(grep '^beat' "$OUT" | tail -n +$((b + 1)) | awk '{ print $4 / 1000 }' | median)
basemax=$(grep '^beat' "$OUT" | tail -n +$((b + 1)) | awk '{ print $4 / 1000 }' | maxof)

# Which debug file libc has here (compressed ones are where the cache matters).
libc=$(awk '$6 ~ /\/libc\.so/ { print $6; exit }' /proc/$PID/maps)
libc_id=$(readelf -n "$libc" 2>/dev/null | sed -n 's/.*Build ID: *//p')
libc_dbg=/usr/lib/debug/.build-id/${libc_id:0:2}/${libc_id:2}.debug
if [ -n "$libc_id" ] && [ -f "$libc_dbg" ]; then
	if readelf -SW "$libc_dbg" 2>/dev/null | grep '\.debug_info' | grep -q ' C '; then
		echo "libc's debug file: $libc_dbg (compressed)"
	else
		echo "libc's debug file: $libc_dbg (not compressed)"
	fi
else
	echo "libc's debug file: none (libc6-dbg is not installed)"
fi

# The cache of uncompressed debug files, filled once before timing.
CACHE=$TMP/dcache
mkdir -m 700 "$CACHE"
WHYTOP_DEBUG_CACHE=$CACHE "$WHYTOP" stack "$PID" >/dev/null 2>&1
# The same copies, the names they led to removed before each walk.
COPIES=$TMP/dcache-copies
mkdir -m 700 "$COPIES"
cp -p "$CACHE"/*.debug "$COPIES"/ 2>/dev/null
have_eu=; have_gdb=
command -v eu-stack >/dev/null && have_eu=1
command -v gdb >/dev/null && have_gdb=1
for _ in $(seq "$RUNS"); do
	run_one whytop "$CACHE" "$WHYTOP" stack "$PID"
	grep -q '^thread' "$TMP/whytop.last" || { echo "whytop failed: $(cat "$TMP/whytop.last")" >&2; exit 1; }
	rm -f "$COPIES"/*.names
	run_one whytop-copies "$COPIES" "$WHYTOP" stack "$PID"
	rm -rf "$TMP/dcache-empty"
	mkdir -m 700 "$TMP/dcache-empty"
	run_one whytop-empty "$TMP/dcache-empty" "$WHYTOP" stack "$PID"
	run_one whytop-off 0 "$WHYTOP" stack "$PID"
	if [ -n "$have_eu" ]; then
		run_one eu-stack - eu-stack -p "$PID"
		# The same information whytop prints: source lines and inlined frames.
		run_one eu-stack-si - eu-stack -s -i -p "$PID"
	fi
	[ -n "$have_gdb" ] && run_one gdb - gdb -nx -batch -ex 'thread apply all bt' -p "$PID"
done

# Warm: one process, debug info kept; whytop reports its own walk times.
b=$(beats)
WHYTOP_DEBUG_CACHE=$CACHE "$WHYTOP" stack "$PID" --repeat $((RUNS * 10)) >/dev/null 2>"$TMP/warm.err"
warm_gap=$(max_gap_ms "$b")
warm=$(sed -n 's/.* warm_median_ms \([0-9.]*\).*/\1/p' "$TMP/warm.err")
pause_med=$(sed -n 's/.* pause_median_ms \([0-9.]*\).*/\1/p' "$TMP/warm.err")
pause_max=$(sed -n 's/.* pause_max_ms \([0-9.]*\).*/\1/p' "$TMP/warm.err")
hold_med=$(sed -n 's/.* hold_median_ms \([0-9.]*\).*/\1/p' "$TMP/warm.err")
hold_max=$(sed -n 's/.* hold_max_ms \([0-9.]*\).*/\1/p' "$TMP/warm.err")

wall() { median <"$TMP/$1.wall"; }
gapmed() { grep . "$TMP/$1.gap" | median; }
gapmax() { grep . "$TMP/$1.gap" | maxof; }
eu=$( [ -n "$have_eu" ] && wall eu-stack || echo -)
ratio() { [ "$eu" = - ] && echo - || awk -v a="$1" -v b="$eu" 'BEGIN { printf "%.2f", a / b }'; }

printf '\n%-34s %12s %10s %16s %14s\n' "tool" "walk_ms" "vs_eu" "target_gap_ms" "gap_max_ms"
printf '%-34s %12s %10s %16s %14s\n' "(no tool: baseline)" - - "$base" "$basemax"
row() { printf '%-34s %12s %10s %16s %14s\n' "$1" "$(wall "$2")" "$(ratio "$(wall "$2")")" "$(gapmed "$2")" "$(gapmax "$2")"; }
row "whytop stack (cold)" whytop
row "whytop stack (cold, copies only)" whytop-copies
row "whytop stack (cold, cache empty)" whytop-empty
row "whytop stack (cold, cache off)" whytop-off
printf '%-34s %12s %10s %16s %14s\n' "whytop stack (warm, median)" "$warm" "$(ratio "$warm")" "$warm_gap*" "-"
[ -n "$have_eu" ] && row "eu-stack -p" eu-stack
[ -n "$have_eu" ] && row "eu-stack -s -i -p (lines)" eu-stack-si
[ -n "$have_gdb" ] && row "gdb thread apply all bt" gdb
for f in "$TMP"/*.failed; do
	[ -e "$f" ] || continue
	n=$(basename "$f" .failed)
	echo "$n: $(wc -l <"$f") of $RUNS runs failed (their times are in the median); the last said:"
	head -5 "$TMP/$n.failed.last" | sed 's/^/    /'
done
echo
echo "* warm: the longest gap over all $((RUNS * 10)) repeated walks. whytop's own figures per walk:"
echo "  pause (a thread seen stopped until let go) median $pause_med ms, max $pause_max ms;"
echo "  hold (interrupt to detach, includes waiting for the thread to reach the stop)"
echo "  median $hold_med ms, max $hold_max ms"
echo "walk_ms is wall time of the whole command (process start and exit included, timed by $( [ -n "$SPAWN" ] && echo spawn_ms || echo bash)) except warm,"
echo "which is whytop's own measure of one walk. Targets: cold <= 0.5 x eu-stack, warm < 20 ms, gap < 5 ms."
echo "whytop prints file:line and inline frames for every module with debug info; eu-stack does"
echo "only with -s -i. cold: names kept from an earlier walk (no symbol table, no DWARF read);"
echo "'copies only': frames named anew from the DWARF. 'cache empty' and 'cache off' differ from"
echo "'copies only' only with a compressed debug file (libc6-dbg's): inflating it is then most of"
echo "the walk. The baseline row is the scheduling noise of this machine."

# Busy threads: the first target ends so that its threads do not compete.
# (one group, so that bash's "Killed" notice goes to /dev/null too)
{ kill -KILL $PID; wait $PID; } 2>/dev/null
minof() { sort -n | head -1; }
# run_spin NAME CACHE CMD...: one cold walk of stk_spin in its own process,
# WHYTOP_DEBUG_CACHE set to CACHE (- : left as it is).
run_spin() {
	local name=spin-$1
	[ "$2" = - ] || local -x WHYTOP_DEBUG_CACHE="$2"
	shift 2
	time_one "$name" "$@"
}
sw() { median <"$TMP/spin-$1.wall"; }
swmin() { minof <"$TMP/spin-$1.wall"; }
swmax() { maxof <"$TMP/spin-$1.wall"; }
sratio() { [ "$seu" = - ] && echo - || awk -v a="$1" -v b="$seu" 'BEGIN { printf "%.2f", a / b }'; }
srow() { printf '%-34s %12s %10s %10s %10s\n' "$1" "$(sw "$2")" "$(swmin "$2")" "$(swmax "$2")" "$(sratio "$(sw "$2")")"; }

# busy_case WHERE [setsid]: start stk_spin (in a session of its own with
# setsid), walk it RUNS times with each tool taking turns, print the table.
busy_case() {
	local where=$1
	shift
	rm -f "$TMP"/spin-*
	"$@" "$SPIN_TARGET" 600 >"$TMP/spin.out" &
	SPID=$!
	for _ in $(seq 200); do grep -q '^ready' "$TMP/spin.out" 2>/dev/null && break; sleep 0.05; done
	grep -q '^ready' "$TMP/spin.out" || { echo "stk_spin did not start" >&2; exit 1; }
	SPID=$(sed -n 's/^ready \([0-9]*\).*/\1/p' "$TMP/spin.out" | head -1)
	WHYTOP_DEBUG_CACHE=$CACHE "$WHYTOP" stack "$SPID" >/dev/null 2>&1
	for _ in $(seq "$RUNS"); do
		run_spin whytop "$CACHE" "$WHYTOP" stack "$SPID"
		grep -q '^thread' "$TMP/spin-whytop.last" || { echo "whytop failed on stk_spin: $(cat "$TMP/spin-whytop.last")" >&2; exit 1; }
		# "process PID: 9 threads, paused P ms (held <= H ms), walk W ms"
		sed -n '1s/.* paused \([0-9.]*\) ms.*/\1/p' "$TMP/spin-whytop.last" >>"$TMP/spin-whytop.pause"
		sed -n '1s/.*(held <= \([0-9.]*\) ms).*/\1/p' "$TMP/spin-whytop.last" >>"$TMP/spin-whytop.hold"
		head -1 "$TMP/spin-whytop.last" | grep -q ': 9 threads,' ||
			echo "whytop on stk_spin: not 9 threads: $(head -1 "$TMP/spin-whytop.last")" >&2
		rm -f "$COPIES"/*.names
		run_spin whytop-copies "$COPIES" "$WHYTOP" stack "$SPID"
		# --consistent: every thread held until all are copied (one instant).
		run_spin whytop-c "$CACHE" "$WHYTOP" stack -c "$SPID"
		sed -n '1s/.* paused \([0-9.]*\) ms.*/\1/p' "$TMP/spin-whytop-c.last" >>"$TMP/spin-whytop-c.pause"
		[ -n "$have_eu" ] && run_spin eu-stack - eu-stack -p "$SPID"
		# The floor: starting and ending each program, walking nothing, among
		# the same busy threads (a process start needs the same CPU turns).
		run_spin whytop-start - "$WHYTOP" --version
		[ -n "$have_eu" ] && run_spin eu-stack-start - eu-stack --version
	done
	kill -KILL $SPID 2>/dev/null
	wait $SPID 2>/dev/null
	wait 2>/dev/null
	SPID=
	seu=$( [ -n "$have_eu" ] && sw eu-stack || echo -)
	echo
	echo "busy threads: stk_spin (main asleep, 8 threads in a CPU loop) $where, $RUNS cold walks each, taking turns"
	printf '%-34s %12s %10s %10s %10s\n' "tool" "walk_ms" "min_ms" "max_ms" "vs_eu"
	srow "whytop stack (cold)" whytop
	srow "whytop stack (cold, copies only)" whytop-copies
	srow "whytop stack -c (cold, one instant)" whytop-c
	[ -n "$have_eu" ] && srow "eu-stack -p" eu-stack
	srow "whytop --version (start only)" whytop-start
	[ -n "$have_eu" ] && srow "eu-stack --version (start only)" eu-stack-start
	for f in "$TMP"/spin-*.failed; do
		[ -e "$f" ] || continue
		n=$(basename "$f" .failed)
		echo "$n: $(wc -l <"$f") of $RUNS runs failed (their times are in the median); the last said:"
		head -5 "$TMP/$n.failed.last" | sed 's/^/    /'
	done
	echo "whytop's own figures per cold walk of stk_spin (each the longest of its 9 threads):"
	echo "  pause median $(median <"$TMP/spin-whytop.pause") ms, max $(maxof <"$TMP/spin-whytop.pause") ms;"
	echo "  hold median $(median <"$TMP/spin-whytop.hold") ms, max $(maxof <"$TMP/spin-whytop.hold") ms"
	echo "  with -c (all held until all are copied): pause median $(median <"$TMP/spin-whytop-c.pause") ms, max $(maxof <"$TMP/spin-whytop-c.pause") ms"
}
# In the tools' own session: with the scheduler's autogroups (on where
# /proc/sys/kernel/sched_autogroup_enabled is 1) the 8 threads and the tool
# then share one group and each thread gets as much CPU as the tool.
busy_case "in the tools' session"
# In a session of its own, as a service or another terminal's program is:
# with autogroups, its threads and the tool are two groups with half the
# CPU each; without them, the same as above.
command -v setsid >/dev/null && busy_case "in its own session (setsid)" setsid
echo "walk_ms is the median wall time of the whole command, as above; vs_eu the ratio of the medians."
echo "The --version rows walk nothing: what starting a program costs among 8 busy threads."
echo "sched_autogroup_enabled: $(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null || echo -)"
