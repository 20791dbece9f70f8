#!/bin/sh
# kernel_offcpu_slide.sh: the Kernel tab's off-CPU view (o) slides. A
# target waits in poll from off_phase_a, then (SIGUSR1) in nanosleep from
# off_phase_b (tests/targets/off_phase). Once the window is full, at every
# reading after the switch the window still spans 5 s (a window that
# restarts shows less) and no wait is longer than it; b's share rises over
# several readings while a is still shown; a leaves the view in the end;
# w makes the window 10 s.
# The target never stops.
. "$SRCDIR/tests/tui/tui_lib.sh"
. "$SRCDIR/tests/cli/offcpu_lib.sh"
oc_need_bpf

OUT=$T_TMP/out
t_start_ready "$OUT" '^ready ' "$TARGETS/off_phase" 120
P=$T_PID

# tall enough for both waits' kernel and user frames
TUI_H=100 tui_start -- -d 3 -p "$P" --open
tui_wait "1:Overview"
tui_tab Kernel
tui_wait "o: where it waits"
tui_keys o
tui_wait "Where it waits: off-CPU time"

# reading: "SPAN A_SHARE B_SHARE" ("-" for a wait not shown): each wait's
# share of the window, given to a or b by the user frame it holds.
reading() {
	tui_screen | awk '
		match($0, /over the last [0-9.]+ s/) { split(substr($0, RSTART, RLENGTH), h, " "); span = h[4] }
		/^ +[0-9.]+s +[0-9.]+%  [SDRT]  thread / { share = $2; sub(/%/, "", share); done = 0; next }
		/^ +off_phase_a \(/ && !done { a += share; sa = 1; done = 1 }
		/^ +off_phase_b \(/ && !done { b += share; sb = 1; done = 1 }
		/[0-9.]+s +[0-9.]+%  [SDRT]  thread / { if ($2 + 0 > 100.5) long = 1 }
		END { printf "%s %s %s %s\n", span == "" ? "-" : span, sa ? a : "-", sb ? b : "-", long ? "long" : "ok" }'
}
full_a() {
	set -- $(reading)
	[ "$1" = 5.0 ] && [ "$2" != - ]
}
t_wait_for 30 full_a || { tui_screen >&2; t_fail "no full 5 s window showing off_phase_a's wait"; }

kill -USR1 "$P"
t_wait_for 10 grep -q '^phase b' "$OUT" || t_fail "the target did not switch to off_phase_b"
t_sw=$(date +%s%N)

log="$T_TMP/readings"
: >"$log"
both_max="" rises=0 a_gone=""
end=$(($(date +%s) + 40))
while [ "$(date +%s)" -lt "$end" ]; do
	now=$(date +%s%N)
	set -- $(reading)
	span=$1 a=$2 b=$3 long=$4
	echo "t+$(((now - t_sw) / 1000000))ms span=$span a=$a b=$b" >>"$log"
	awk -v s="$span" 'BEGIN { exit !(s >= 4.5) }' ||
		{ cat "$log" >&2; tui_screen >&2; t_fail "the window shrank to $span s: it restarted instead of sliding"; }
	[ "$long" = ok ] || { tui_screen >&2; t_fail "a wait longer than its window"; }
	if [ "$a" != - ] && [ "$b" != - ]; then
		if [ -z "$both_max" ] || awk -v b="$b" -v m="$both_max" 'BEGIN { exit !(b > m) }'; then
			[ -z "$both_max" ] || rises=$((rises + 1))
			both_max=$b
		fi
	fi
	if [ "$a" = - ] && [ "$b" != - ]; then
		a_gone=$(((now - t_sw) / 1000000))
		break
	fi
	sleep 0.1
done
[ -n "$a_gone" ] || { cat "$log" >&2; t_fail "off_phase_a's wait was still shown 40 s after the switch"; }
[ "$rises" -ge 2 ] ||
	{ cat "$log" >&2; t_fail "b's share did not rise over several readings while a was shown ($rises rises)"; }
echo "off_phase_a's wait left the window ${a_gone} ms after the switch; the readings:"
cat "$log"
# w: a 10 s window, over what the buckets already hold (o was pressed over 10 s ago)
tui_keys w
tui_wait_re "over the last 10\.0 s" "a 10 s window after w" 10
t_left_running "$P" "the off-CPU view"
tui_quit
