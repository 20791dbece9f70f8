#!/bin/sh
# profile_tab.sh: the Profile tab of a process splitting its CPU 2:1
# between prof_work_a and prof_work_b (tests/targets/prof_split, -O2 without
# frame pointers) lists prof_work_a first, above prof_work_b, live; p pauses
# (the sample count stays) and resumes; Enter on prof_work_a shows its lines
# by self share with their source text. The target is never traced or
# stopped while the tab samples it.
. "$SRCDIR/tests/tui/tui_lib.sh"
. "$SRCDIR/tests/cli/profile_lib.sh"
t_need_root
prof_need_perf

t_start_ready "$T_TMP/t.out" '^ready' "$TARGETS/prof_split" 120
P=$T_PID
prof_watch "$P"

tui_start -- -d 3 -p "$P" --open
tui_wait "1:Overview"
tui_tab Profile
tui_wait "CPU profile, last 5 s: "
tui_wait_re "^ +[0-9.]+ +[0-9.]+  prof_work_a \(prof_split\)  .*prof_split\.c:[0-9]+" "prof_work_a row"
# prof_work_a, with two thirds of the CPU, is the first row (above prof_work_b).
a_first() {
	tui_screen | grep -E '^ +[0-9.]+ +[0-9.]+  ' | head -n 1 | grep -q ' prof_work_a (prof_split)'
}
t_wait_for 20 a_first || { tui_screen >&2; t_fail "prof_work_a is not the first row"; }
tui_screen | grep -q '  prof_work_b (prof_split)' || { tui_screen >&2; t_fail "no prof_work_b row"; }

# p: the picture stays (the sample count does not move across several
# timer ticks of the tab), p again: it moves on.
# (the paused mark taken out: it has a ')' and would hide the count)
header() { tui_screen | sed 's/ (paused: p resumes)//' | grep -o 'CPU profile[^)]*samples in [0-9.]* s'; }
tui_keys p
tui_wait "(paused: p resumes)"
h1=$(header)
moved=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	sleep 0.2
	[ "$(header)" = "$h1" ] || moved=1
done
[ -n "$h1" ] || { tui_screen >&2; t_fail "no sample count in the paused title"; }
[ $moved = 0 ] || t_fail "paused, the profile still changed: '$h1' then '$(header)'"
tui_keys p
tui_wait_gone "(paused: p resumes)"
changed() { [ "$(header)" != "$h1" ]; }
t_wait_for 20 changed || t_fail "resumed, the profile stayed at '$h1'"

# Enter on the first row (prof_work_a): its lines with their source text.
t_wait_for 20 a_first || t_fail "prof_work_a is no longer the first row"
tui_keys Enter
tui_wait "lines of prof_work_a by self share (Esc: back)"
tui_wait_re "^ +[0-9.]+  prof_split\.c:[0-9]+  .*(PROF_BODY\(x\)|for \(long i = 0; i < n; i\+\+\))" \
	"a line of prof_work_a with its source text"
tui_keys Escape
tui_wait "function (module)  hottest line"

prof_watch_end "$P" "Profile tab"
tui_keys q q
tui_wait "whytop exited with 0"
