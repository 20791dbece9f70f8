#!/bin/sh
# columns_refresh.sh: what each group of the columns of issue 15 adds to one
# process-table refresh, at about NPROCS tasks, beside htop with the same
# columns; and that the default columns cost what they did before.
#
#   tests/bench/columns_refresh.sh [NPROCS] [ROUNDS] [WINDOWS] [WINDOW_SECONDS]
#
# Starts NPROCS (default 3000) sleeping processes (tests/bench/proc_bench
# spawn; ended with SIGTERM, which kills and reaps each by pid). Then:
#  1. back to back: ROUNDS (default 7) rounds, in each `proc_bench core 10
#     COLS` for every group (the default columns, then the default plus
#     io, cgroup, sched, exe, and all of them), CPU time by getrusage; the
#     median per refresh. With BASE_BENCH=path to a proc_bench built from
#     main before these columns, the default columns of both builds too,
#     interleaved in the same rounds.
#  2. steady state, 1 refresh a second, per group: whytop's core
#     (proc_bench loop 1000 COLS) and htop -d 10 with the same columns (a
#     private tmux server, its own htoprc), their utime+stime read from
#     /proc over WINDOWS (default 3) windows of WINDOW_SECONDS (default 5);
#     the median ms of CPU per refresh and the ratio. htop 3.2.2 has no
#     affinity or container column: its sched group is CTXT OOM, its cgroup
#     group CGROUP CCGROUP. htop also draws; the core does not.
# A figure, not a test: run it by hand from the build directory.
set -u
NPROCS=${1:-3000}
ROUNDS=${2:-7}
WINDOWS=${3:-3}
WIN=${4:-5}
BUILDDIR=${BUILDDIR:-$(pwd)}
BENCH="$BUILDDIR/tests/bench/proc_bench"
BASE_BENCH=${BASE_BENCH:-}
[ -x "$BENCH" ] || { echo "build it first: make tests/bench/proc_bench" >&2; exit 1; }
HAVE_HTOP=1
command -v htop >/dev/null && command -v tmux >/dev/null || HAVE_HTOP=0
HZ=$(getconf CLK_TCK)
TMP=$(mktemp -d /tmp/whytop-bench.XXXXXX)
SOCK=colbench$$
PIDS=""
SPAWNER=""
. "$(dirname "$0")/bench_lib.sh" # median

cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	for p in $PIDS; do kill -TERM "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	# the spawner kills its sleepers by pid and reaps them on SIGTERM
	[ -n "$SPAWNER" ] && kill -TERM "$SPAWNER" 2>/dev/null && wait "$SPAWNER" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ticks() {
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }'
}

DEF=pid,user,priority,nice,virt,rss,state,cpu,mem,time
HDEF="PID USER PRIORITY NICE M_VIRT M_RESIDENT STATE PERCENT_CPU PERCENT_MEM TIME"
GROUPS="default io cgroup sched exe all"
cols_of() {
	case $1 in
	default) echo "$DEF,command" ;;
	io) echo "$DEF,io_read_rate,io_write_rate,io_rate,io_priority,command" ;;
	cgroup) echo "$DEF,cgroup,ccgroup,container,command" ;;
	sched) echo "$DEF,affinity,vctxt,nvctxt,oom,command" ;;
	exe) echo "$DEF,exe,exe_state,command" ;;
	all) echo "$DEF,io_read_rate,io_write_rate,io_rate,io_priority,cgroup,ccgroup,container,affinity,vctxt,nvctxt,oom,elapsed,exe,exe_state,command" ;;
	esac
}
htop_of() {
	case $1 in
	default) echo "$HDEF Command" ;;
	io) echo "$HDEF IO_READ_RATE IO_WRITE_RATE IO_RATE IO_PRIORITY Command" ;;
	cgroup) echo "$HDEF CGROUP CCGROUP Command" ;;
	sched) echo "$HDEF CTXT OOM Command" ;;
	exe) echo "$HDEF EXE Command" ;;
	all) echo "$HDEF IO_READ_RATE IO_WRITE_RATE IO_RATE IO_PRIORITY CGROUP CCGROUP CTXT OOM ELAPSED EXE Command" ;;
	esac
}

echo "starting $NPROCS sleeping processes..."
"$BENCH" spawn "$NPROCS" >"$TMP/spawn" &
SPAWNER=$!
i=0
until grep -q ready "$TMP/spawn" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 600 ] || { echo "spawner did not get ready" >&2; exit 1; }
	sleep 0.1
done
TASKS=$(ls /proc | grep -c '^[0-9]')
echo "tasks: $TASKS, CLK_TCK $HZ, $(nproc) CPUs, $(uname -r)"

# 1. back to back
for r in $(seq "$ROUNDS"); do
	for g in $GROUPS; do
		set -- $("$BENCH" core 10 "$(cols_of $g)")
		echo "$3" >>"$TMP/core.$g"
	done
	if [ -n "$BASE_BENCH" ]; then
		set -- $("$BASE_BENCH" core 10)
		echo "$3" >>"$TMP/core.base"
		set -- $("$BENCH" core 10)
		echo "$3" >>"$TMP/core.new"
	fi
done
echo
echo "back to back, $ROUNDS rounds of 10 refreshes, median (getrusage: user+system)"
printf '%-28s %12s %10s %10s\n' "columns" "ms/refresh" "us/task" "x default"
D=$(median <"$TMP/core.default")
for g in $GROUPS; do
	m=$(median <"$TMP/core.$g")
	echo "$m $D $TASKS" | awk -v g="$g" '{ printf "%-28s %12.2f %10.2f %9.2fx\n", g, $1 / 1000, $1 / $3, $1 / $2 }'
done
if [ -n "$BASE_BENCH" ]; then
	B=$(median <"$TMP/core.base")
	N=$(median <"$TMP/core.new")
	echo "$B $N $TASKS" | awk '{
		printf "%-28s %12.2f %10.2f\n", "default, main before", $1 / 1000, $1 / $3
		printf "%-28s %12.2f %10.2f %9.2fx (new / main)\n", "default, this branch", $2 / 1000, $2 / $3, $2 / $1 }'
	echo "(rounds, us/refresh: main $(tr '\n' ' ' <"$TMP/core.base")| branch $(tr '\n' ' ' <"$TMP/core.new"))"
fi

# 2. steady state beside htop
[ "$HAVE_HTOP" = 1 ] || { echo "htop or tmux is not installed: no comparison with htop"; exit 0; }
echo
echo "steady state, 1 refresh/s, median of $WINDOWS windows of $WIN s (utime+stime from /proc)"
printf '%-10s %16s %16s %10s\n' "columns" "whytop ms/refr" "htop ms/refr" "vs htop"
for g in $GROUPS; do
	mkdir -p "$TMP/home.$g/htop"
	cat >"$TMP/home.$g/htop/htoprc" <<RC
htop_version=3.2.2
config_reader_min_version=3
hide_kernel_threads=0
tree_view=0
screen:Main=$(htop_of $g)
.sort_key=PERCENT_CPU
.sort_direction=-1
RC
	"$BENCH" loop 1000 "$(cols_of $g)" &
	WT=$!
	PIDS="$WT"
	tmux -L "$SOCK" -f /dev/null new-session -d -x 400 -y 50 \
		"exec env HOME=$TMP/home.$g XDG_CONFIG_HOME=$TMP/home.$g TERM=xterm htop -d 10"
	HTOP=$(tmux -L "$SOCK" list-panes -F '#{pane_pid}')
	sleep 3 # the first refreshes fill caches
	: >"$TMP/w.$g"
	: >"$TMP/h.$g"
	for w in $(seq "$WINDOWS"); do
		a1=$(ticks "$WT"); b1=$(ticks "$HTOP")
		sleep "$WIN"
		a2=$(ticks "$WT"); b2=$(ticks "$HTOP")
		echo "$a1 $a2" | awk -v hz="$HZ" -v n="$WIN" '{ print ($2 - $1) * 1000 / hz / n }' >>"$TMP/w.$g"
		echo "$b1 $b2" | awk -v hz="$HZ" -v n="$WIN" '{ print ($2 - $1) * 1000 / hz / n }' >>"$TMP/h.$g"
	done
	# the header htop drew, to show which columns it really had
	tmux -L "$SOCK" capture-pane -p | grep -m1 ' PID ' | sed 's/  */ /g' >"$TMP/hdr.$g"
	tmux -L "$SOCK" kill-server 2>/dev/null
	kill -TERM "$WT" 2>/dev/null
	wait "$WT" 2>/dev/null
	PIDS=""
	mw=$(median <"$TMP/w.$g")
	mh=$(median <"$TMP/h.$g")
	echo "$mw $mh" | awk -v g="$g" '{ printf "%-10s %16.2f %16.2f %9.2fx\n", g, $1, $2, ($2 > 0 ? $1 / $2 : 0) }'
done
echo
for g in $GROUPS; do
	echo "htop $g:$(cat "$TMP/hdr.$g")"
done
