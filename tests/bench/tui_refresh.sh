#!/bin/sh
# tui_refresh.sh: the CPU cost of one refresh of the whole terminal UI
# (read /proc, sort, draw, send to the terminal), whytop against htop, in
# the same run, both in 120x40 panes of a private tmux server, refreshing
# once a second.
#
#   tests/bench/tui_refresh.sh [NPROCS] [WINDOWS] [WINDOW_SECONDS]
#
# Starts NPROCS (default 1000) sleeping processes so the table is not
# trivial, lets both programs settle, then reads their utime+stime from
# /proc over WINDOWS (default 5) windows of WINDOW_SECONDS (default 4) and
# prints the median milliseconds of CPU per refresh and the ratio. A figure,
# not a test: run it by hand from the build directory.
set -u
NPROCS=${1:-1000}
WINDOWS=${2:-5}
WIN=${3:-4}
WHYTOP=${WHYTOP:-$(pwd)/whytop}
[ -x "$WHYTOP" ] || { echo "build whytop first (run from the build directory)" >&2; exit 1; }
command -v htop >/dev/null || { echo "htop is not installed (apt-get install htop)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "tmux is not installed" >&2; exit 1; }
HZ=$(getconf CLK_TCK)
TMP=$(mktemp -d /tmp/whytop-bench.XXXXXX)
SOCK=tuibench$$
PIDS=""
export TMUX_TMPDIR="$TMP"

cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

i=0
while [ $i -lt "$NPROCS" ]; do
	sleep 600 &
	PIDS="$PIDS $!"
	i=$((i + 1))
done

tmux -L "$SOCK" -f /dev/null new-session -d -s w -x 120 -y 40 \
	"env HOME=$TMP XDG_CONFIG_HOME=$TMP LANG=C.UTF-8 '$WHYTOP' -d 10"
tmux -L "$SOCK" -f /dev/null new-session -d -s h -x 120 -y 40 "env HOME=$TMP htop -d 10"
sleep 3
wpid=$(tmux -L "$SOCK" display-message -p -t w '#{pane_pid}')
hpid=$(tmux -L "$SOCK" display-message -p -t h '#{pane_pid}')
# The pane runs env, which execs the program: same pid.

ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}
median() {
	sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

: >"$TMP/w"
: >"$TMP/h"
n=0
while [ $n -lt "$WINDOWS" ]; do
	w0=$(ticks "$wpid")
	h0=$(ticks "$hpid")
	sleep "$WIN"
	w1=$(ticks "$wpid")
	h1=$(ticks "$hpid")
	# milliseconds of CPU per refresh (one refresh a second)
	echo "$w0 $w1" | awk -v hz="$HZ" -v win="$WIN" '{ print ($2 - $1) * 1000 / hz / win }' >>"$TMP/w"
	echo "$h0 $h1" | awk -v hz="$HZ" -v win="$WIN" '{ print ($2 - $1) * 1000 / hz / win }' >>"$TMP/h"
	n=$((n + 1))
done
wm=$(median <"$TMP/w")
hm=$(median <"$TMP/h")
tasks=$(ls /proc | grep -c '^[0-9]')
echo "tasks on the machine: $tasks; refresh every second; ${WINDOWS}x${WIN}s windows; medians"
printf 'whytop TUI  %8.2f ms CPU per refresh\n' "$wm"
printf 'htop        %8.2f ms CPU per refresh\n' "$hm"
echo "$wm $hm" | awk '$2 > 0 { printf "whytop / htop = %.2f\n", $1 / $2 }'
