#!/bin/sh
# profile_slide.sh: the Profile tab's window slides. A target spins in
# prof_phase_a, then (SIGUSR1) in prof_phase_b (tests/targets/prof_phase).
# Once the window is full, at every reading after the switch: the window
# still spans 5 s and its sample count never collapses from one reading to
# the next (a window that restarts shows a fresh second or so of samples:
# a fifth of the count); b's share rises over several readings while a is
# still shown; a leaves the table in the end. The target is never traced
# or stopped. w lengthens the window to 10 s.
. "$SRCDIR/tests/tui/tui_lib.sh"
. "$SRCDIR/tests/cli/profile_lib.sh"
t_need_root
prof_need_perf

t_start_ready "$T_TMP/t.out" '^ready' "$TARGETS/prof_phase" 120
P=$T_PID
prof_watch "$P"

tui_start -- -d 3 -p "$P" --open
tui_wait "1:Overview"
tui_tab Profile
tui_wait "last 5 s"

# reading: "SAMPLES SPAN A_SELF B_SELF" from the screen ("-" for a row not shown).
reading() {
	tui_screen | awk '
		/CPU profile/ && match($0, /[0-9]+ samples in [0-9.]+ s/) {
			split(substr($0, RSTART, RLENGTH), h, " "); n = h[1]; span = h[4] }
		/^ +[0-9.]+ +[0-9.]+  prof_phase_a \(/ { a = $1 }
		/^ +[0-9.]+ +[0-9.]+  prof_phase_b \(/ { b = $1 }
		END { printf "%s %s %s %s\n", n == "" ? "-" : n, span == "" ? "-" : span,
			a == "" ? "-" : a, b == "" ? "-" : b }'
}
# the window is full (5 s) and shows prof_phase_a
full_a() {
	set -- $(reading)
	[ "$2" = 5.0 ] && [ "$3" != - ]
}
t_wait_for 30 full_a || { tui_screen >&2; t_fail "no full 5 s window showing prof_phase_a"; }

kill -USR1 "$P"
t_wait_for 10 grep -q '^phase b' "$T_TMP/t.out" || t_fail "the target did not switch to prof_phase_b"
t_sw=$(date +%s%N)

# Read until a has left (40 s at most); each reading checked against the previous.
log="$T_TMP/readings"
: >"$log"
prev_n="" prev_t="" both_max="" rises=0 a_gone=""
end=$(($(date +%s) + 40))
while [ "$(date +%s)" -lt "$end" ]; do
	now=$(date +%s%N)
	set -- $(reading)
	n=$1 span=$2 a=$3 b=$4
	echo "t+$(((now - t_sw) / 1000000))ms samples=$n span=$span a=$a b=$b" >>"$log"
	[ "$n" != - ] || { tui_screen >&2; t_fail "no profile header on the screen"; }
	awk -v s="$span" 'BEGIN { exit !(s >= 4.5) }' ||
		{ cat "$log" >&2; t_fail "the window shrank to $span s: it restarted instead of sliding"; }
	if [ -n "$prev_n" ] && [ $((now - prev_t)) -lt 1500000000 ]; then
		awk -v n="$n" -v p="$prev_n" 'BEGIN { exit !(n * 10 >= p * 4) }' ||
			{ cat "$log" >&2; t_fail "the sample count fell from $prev_n to $n within a reading: the window restarted"; }
	fi
	prev_n=$n prev_t=$now
	if [ "$a" != - ] && [ "$b" != - ]; then
		# b's share, both shown: count the readings where it set a new high
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
[ -n "$a_gone" ] || { cat "$log" >&2; t_fail "prof_phase_a was still shown 40 s after the switch"; }
[ "$rises" -ge 2 ] ||
	{ cat "$log" >&2; t_fail "b's share did not rise over several readings while a was shown ($rises rises)"; }
echo "prof_phase_a left the window ${a_gone} ms after the switch; the readings:"
cat "$log"

# w: a longer window, over what the buckets already hold (up to 30 s)
tui_keys w
tui_wait "CPU profile, last 10 s: "
prof_watch_end "$P" "Profile tab"
tui_keys q q
tui_wait "whytop exited with 0"
