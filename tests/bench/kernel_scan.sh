#!/bin/sh
# kernel_scan.sh: what the kernel view costs, side by side with ps in the same run.
#   blocked:  'whytop blocked --json' (every task's stat; stack, wchan, syscall of D tasks)
#   anchor:   'ps -eLo pid,tid,stat,wchan' (every task's stat and wchan)
#   kstack:   'whytop kstack PID --json' on a 1-thread D task (vfork parent)
#   anchor:   'cat' of the same thread's stat, wchan, syscall and stack
# Prints medians of N runs (default 31) and the ratio. Run as root from the build tree:
#   sh tests/bench/kernel_scan.sh [N]
set -eu
N=${1:-31}
W=${WHYTOP:-./whytop}
T=${TARGETS:-./tests/targets}

median_ms() { # runs "$@" N times, prints the median wall time in ms
	i=0
	: >"$tmp/t"
	while [ "$i" -lt "$N" ]; do
		s=$(date +%s%N)
		"$@" >/dev/null 2>&1
		e=$(date +%s%N)
		echo $(((e - s) / 1000)) >>"$tmp/t"
		i=$((i + 1))
	done
	sort -n "$tmp/t" | awk '{ a[NR] = $1 } END { printf "%.2f", a[int((NR + 1) / 2)] / 1000 }'
}

tmp=$(mktemp -d)
"$T/kern_vfork" 600 &
P=$!
trap 'kill $(pgrep -P $P) 2>/dev/null; wait $P 2>/dev/null; rm -rf "$tmp"' EXIT
sleep 0.3

catall() { cat /proc/$P/task/$P/stat /proc/$P/task/$P/wchan /proc/$P/task/$P/syscall /proc/$P/task/$P/stack; }
ntasks=$(ls -d /proc/[0-9]*/task/[0-9]* | wc -l)
b=$(median_ms "$W" blocked --json)
p=$(median_ms ps -eLo pid,tid,stat,wchan)
k=$(median_ms "$W" kstack "$P" --json)
c=$(median_ms catall)
echo "tasks on the system: $ntasks; $N runs each; median wall time (ms), process start included"
printf '%-34s %8s   %-30s %8s   ratio\n' "whytop" "ms" "anchor" "ms"
printf '%-34s %8s   %-30s %8s   %.2f\n' "whytop blocked --json" "$b" "ps -eLo pid,tid,stat,wchan" "$p" \
	"$(echo "$b $p" | awk '{ print $1 / $2 }')"
printf '%-34s %8s   %-30s %8s   %.2f\n' "whytop kstack PID --json" "$k" "cat stat wchan syscall stack" "$c" \
	"$(echo "$k $c" | awk '{ print $1 / $2 }')"
