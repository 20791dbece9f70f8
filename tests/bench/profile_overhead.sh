#!/bin/sh
# profile_overhead.sh: how much whytop profile slows the profiled program,
# against perf record -F 99 --call-graph dwarf in the same run, and how
# close its self shares come to a known split. Run as root from the build
# tree:
#     sh tests/bench/profile_overhead.sh [ROUNDS] [SECONDS]
#
# The target is tests/targets/prof_split (-O2, no frame pointers): each
# round of its loop spends 2/3 of its instructions in prof_work_a and 1/3
# in prof_work_b. Each round, for each way (none, whytop profile at its
# default rate, perf record), a fresh target runs SECONDS and reports its
# rounds and its CPU seconds; the profiler is started as soon as the target
# says ready and covers the whole run (its start-up included). Two
# throughputs: rounds per wall second (what a user sees; depends on the
# rest of this shared machine) and rounds per CPU second of the target
# (the cost of sampling charged to the target itself, robust to load). The
# table shows medians over the rounds and the ratio to "none". Last, the
# share of prof_work_a among a and b in whytop's samples, pooled over the
# rounds, against 2/3. "its CPU s": the profiler's own user + system
# seconds per run (median), taken from the other CPUs.
set -u
B=${BUILDDIR:-$(pwd)}
WHYTOP=${WHYTOP:-$B/whytop}
TARGETS=${TARGETS:-$B/tests/targets}
ROUNDS=${1:-5}
SECS=${2:-4}
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 77; }
command -v perf >/dev/null || { echo "perf missing: apt-get install linux-perf" >&2; exit 77; }
TMP=$(mktemp -d)
PIDS=""
C=""
. "$(dirname "$0")/bench_lib.sh"

# run WAY N: one run of the target under WAY; appends "wall cpu" rates to $TMP/WAY.
run() {
	out=$TMP/t.out
	"$TARGETS/prof_split" "$SECS" >"$out" &
	t=$!
	PIDS="$PIDS $t"
	until grep -q '^ready' "$out"; do sleep 0.01; done
	t0=$(date +%s.%N)
	case $1 in
	whytop) /usr/bin/time -f "%U %S" -o "$TMP/cpu.$1.$2" "$WHYTOP" profile "$t" --duration $((SECS + 5)) --folded >"$TMP/folded.$2" 2>/dev/null & C=$! ;;
	perf) /usr/bin/time -f "%U %S" -o "$TMP/cpu.$1.$2" perf record -q -F 99 --call-graph dwarf -p "$t" -o "$TMP/perf.data" >/dev/null 2>&1 & C=$! ;;
	none) C="" ;;
	esac
	wait "$t"
	t1=$(date +%s.%N)
	[ -n "$C" ] && wait "$C"
	C=""
	awk -v w0="$t0" -v w1="$t1" '/^rounds/ { printf "%.1f %.1f\n", $2 / (w1 - w0), $2 / $4 }' "$out" >>"$TMP/$1"
}

for r in $(seq "$ROUNDS"); do
	# the order turns each round, so that a drift of the machine's load
	# does not fall on one way
	case $((r % 3)) in
	0) ways="none whytop perf" ;;
	1) ways="whytop perf none" ;;
	2) ways="perf none whytop" ;;
	esac
	for way in $ways; do
		run "$way" "$r"
	done
	echo "round $r done" >&2
done

base_w=$(cut -d' ' -f1 "$TMP/none" | median)
base_c=$(cut -d' ' -f2 "$TMP/none" | median)
printf '%-28s %14s %8s %14s %8s %12s\n' way "rounds/wall s" ratio "rounds/CPU s" ratio "its CPU s"
for way in none whytop perf; do
	w=$(cut -d' ' -f1 "$TMP/$way" | median)
	c=$(cut -d' ' -f2 "$TMP/$way" | median)
	case $way in
	none) label="alone" ;;
	whytop) label="whytop profile (99 Hz)" ;;
	perf) label="perf record -F 99 dwarf" ;;
	esac
	own=$(cat "$TMP"/cpu."$way".* 2>/dev/null | grep -E '^[0-9.]+ [0-9.]+$' | awk '{print $1 + $2}' | median)
	printf '%-28s %14.1f %8.3f %14.1f %8.3f %12s\n' "$label" "$w" "$(echo "$w $base_w" | awk '{print $1/$2}')" \
		"$c" "$(echo "$c $base_c" | awk '{print $1/$2}')" "$own"
done
cat "$TMP"/folded.* | awk '
	{ n = $NF; sub(/ [0-9]+$/, ""); k = split($0, f, ";"); all += n }
	f[k] == "prof_work_a" { a += n }
	f[k] == "prof_work_b" { b += n }
	END { printf "whytop samples: %d, in prof_work_a %d, prof_work_b %d: a share of a+b %.3f (known 0.667), a+b of all %.3f\n", all, a, b, a / (a + b), (a + b) / all }'
