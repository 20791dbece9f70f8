#!/bin/sh
# proc_refresh.sh: the CPU cost of one process-table refresh per task, for
# whytop's core, htop and top, in the same run and at the same interval.
#
#   tests/bench/proc_refresh.sh [NPROCS] [WINDOWS] [WINDOW_SECONDS]
#
# Starts NPROCS (default 3000) sleeping processes, then runs side by side,
# each refreshing once a second: whytop's core (tests/bench/proc_bench loop,
# refresh + sort with the default columns), htop -d 10 in a private tmux
# server, and top -b -d 1. Their utime+stime are read from /proc over
# WINDOWS (default 5) windows of WINDOW_SECONDS (default 4) and the median
# per refresh is printed with ratios; then the floor (open+read+close of
# /proc/PID/stat per task, and pread on a kept fd) and whytop's core back to
# back with and without kept fds. A figure, not a test: run it by hand on
# an otherwise idle machine, from the build directory.
set -u
NPROCS=${1:-3000}
WINDOWS=${2:-5}
WIN=${3:-4}
BUILDDIR=${BUILDDIR:-$(pwd)}
BENCH="$BUILDDIR/tests/bench/proc_bench"
[ -x "$BENCH" ] || { echo "build it first: make tests/bench/proc_bench" >&2; exit 1; }
command -v htop >/dev/null || { echo "htop is not installed (apt-get install htop)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "tmux is not installed" >&2; exit 1; }
HZ=$(getconf CLK_TCK)
TMP=$(mktemp -d /tmp/whytop-bench.XXXXXX)
SOCK=bench$$
PIDS=""

cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	for p in $PIDS; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ticks PID: utime+stime in clock ticks (fields 14 and 15, after the last ')').
ticks() {
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }'
}
ntasks() {
	ls /proc | grep -c '^[0-9]'
}
median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "starting $NPROCS sleeping processes..."
"$BENCH" spawn "$NPROCS" >"$TMP/spawn" &
PIDS="$PIDS $!"
i=0
until grep -q ready "$TMP/spawn" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 600 ] || { echo "spawner did not get ready" >&2; exit 1; }
	sleep 0.1
done

"$BENCH" loop 1000 &
WT=$!
PIDS="$PIDS $WT"
top -b -d 1 -w 512 >/dev/null &
TOP=$!
PIDS="$PIDS $TOP"
mkdir -p "$TMP/home"
tmux -L "$SOCK" -f /dev/null new-session -d -x 200 -y 50 \
	"exec env HOME=$TMP/home XDG_CONFIG_HOME=$TMP/home TERM=xterm htop -d 10"
HTOP=$(tmux -L "$SOCK" list-panes -F '#{pane_pid}')
sleep 3 # warm-up: first refreshes fill caches

TASKS=$(ntasks)
echo "tasks: $TASKS, refresh interval 1 s, $WINDOWS windows of $WIN s, CLK_TCK $HZ"
: >"$TMP/wt"
: >"$TMP/htop"
: >"$TMP/top"
w=0
while [ $w -lt "$WINDOWS" ]; do
	a1=$(ticks "$WT"); b1=$(ticks "$HTOP"); c1=$(ticks "$TOP")
	sleep "$WIN"
	a2=$(ticks "$WT"); b2=$(ticks "$HTOP"); c2=$(ticks "$TOP")
	# ms of CPU per refresh: ticks * 1000 / HZ over WIN refreshes.
	echo "$a1 $a2" | awk -v hz="$HZ" -v n="$WIN" '{ print ($2 - $1) * 1000 / hz / n }' >>"$TMP/wt"
	echo "$b1 $b2" | awk -v hz="$HZ" -v n="$WIN" '{ print ($2 - $1) * 1000 / hz / n }' >>"$TMP/htop"
	echo "$c1 $c2" | awk -v hz="$HZ" -v n="$WIN" '{ print ($2 - $1) * 1000 / hz / n }' >>"$TMP/top"
	w=$((w + 1))
done
MW=$(median <"$TMP/wt")
MH=$(median <"$TMP/htop")
MT=$(median <"$TMP/top")
tmux -L "$SOCK" kill-server 2>/dev/null
kill -TERM "$WT" "$TOP" 2>/dev/null
wait "$WT" "$TOP" 2>/dev/null

set -- $("$BENCH" floor 5)
FLOOR_OPEN=$3
FLOOR_KEPT=$4
set -- $("$BENCH" core 20)
CORE_KEPT=$4
set -- $(WHYTOP_PROC_NO_KEEP_FDS=1 "$BENCH" core 20)
CORE_OPEN=$4

echo
printf '%-34s %14s %10s %8s %8s\n' "steady state, 1 refresh/s" "ms CPU/refresh" "us/task" "vs htop" "vs top"
for row in "whytop core (proc_bench loop):$MW" "htop -d 10:$MH" "top -b -d 1:$MT"; do
	name=${row%:*}
	v=${row##*:}
	echo "$v $MH $MT $TASKS" | awk -v name="$name" '{
		printf "%-34s %14.2f %10.2f %7.2fx %7.2fx\n", name, $1, $1 * 1000 / $4,
			($2 > 0 ? $1 / $2 : 0), ($3 > 0 ? $1 / $3 : 0) }'
done
echo "(per-window values, ms/refresh: whytop $(tr '\n' ' ' <"$TMP/wt")| htop $(tr '\n' ' ' <"$TMP/htop")| top $(tr '\n' ' ' <"$TMP/top"))"
echo
printf '%-52s %10s\n' "back to back (getrusage)" "us/task"
printf '%-52s %10.2f\n' "floor: open+read+close /proc/PID/stat" "$FLOOR_OPEN"
printf '%-52s %10.2f\n' "floor: pread /proc/PID/stat on a kept fd" "$FLOOR_KEPT"
printf '%-52s %10.2f\n' "whytop core, kept fds (default)" "$CORE_KEPT"
printf '%-52s %10.2f\n' "whytop core, open+read+close" "$CORE_OPEN"
