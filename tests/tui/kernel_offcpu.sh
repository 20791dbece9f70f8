#!/bin/sh
# kernel_offcpu.sh: o on the Kernel tab shows where the process waits: a
# reader thread blocked in read on a pipe about 60% of its time (off_pipe
# 100 40, which measures its own time in read) has its S total, and its
# heaviest wait is that read, with pipe_read in the kernel stack and
# off_pipe_wait at the read's file:line in the user stack, for about the
# share the thread measured; p pauses the picture and resumes it, Down
# selects the next wait, o goes back to the threads. The target never
# stops. A build without eBPF says why in the view instead.
. "$SRCDIR/tests/tui/tui_lib.sh"
. "$SRCDIR/tests/cli/offcpu_lib.sh"

OUT=$T_TMP/out
t_start_ready "$OUT" '^ready ' "$TARGETS/off_pipe" 100 40
P=$T_PID
TID=$(sed -n 's/^ready //p' "$OUT")
READ_LINE=$(oc_line "$SRCDIR/tests/targets/off_pipe.c" OFF_PIPE_READ)
t_wait_for 20 sh -c "[ \$(grep -c '^tick' '$OUT') -ge 2 ]" || t_fail "off_pipe does not tick"

tui_start -- -d 3 -p "$P" --open
tui_wait "1:Overview"
tui_tab Kernel
tui_wait "Kernel view:"
tui_wait "o: where it waits"
tui_keys o
tui_wait "Where it waits: off-CPU time"

if msg=$("$WHYTOP" offcpu "$$" --duration 0 2>&1 >/dev/null); then :; else
	case $msg in
	*"built without them"*)
		tui_wait "built without them"
		tui_wait "./configure again"
		tui_keys o
		tui_wait "Kernel view:"
		tui_quit
		exit 0
		;;
	esac
fi

# the reader's totals: asleep (S) nearly all the window, never D
tui_wait_re "^ thread $TID \(reader\): S [0-9.]+s \([0-9]+%\)  D 0\.000s \(0%\)  R " "the reader's S/D/R line" 15
s_share=$(tui_line "thread $TID (reader): S" | sed -n 's/.*: S [0-9.]*s (\([0-9]*\)%).*/\1/p')
[ "${s_share:-0}" -ge 70 ] || t_fail "the reader is S ${s_share}% of the window: $(tui_line "thread $TID (reader)")"

# The heaviest wait of the reader (its first entry) is the read: its lines
# up to the next blank one hold pipe_read and off_pipe_wait at the read.
# Paused (the picture stays), Down selects wait after wait, each scrolled
# into view whole, until that one shows.
entry() {
	tui_screen | awk -v t="S  thread $TID (reader)," '
		index($0, t) && !seen { seen = 1; on = 1 }
		on && /^ *$/ { exit }
		on { print }'
}
read_entry() {
	entry >"$T_TMP/entry"
	grep -Eq "^ +\[k\] (anon_)?pipe_read\+0x[0-9a-f]+$" "$T_TMP/entry" &&
		grep -Eq "^ +off_pipe_wait \(off_pipe\.c:$READ_LINE\)$" "$T_TMP/entry"
}
# a full window (5 s) before pausing
tui_wait_re "over the last (4\.[5-9]|[5-9]\.[0-9]|[1-9][0-9]+\.[0-9]) s" "a full window" 20
tui_keys p
tui_wait "(paused: p resumes)"
# the thread's own measure over the 5 s (50 ticks) up to the pause
grep '^tick' "$OUT" | tail -n 51 >"$T_TMP/ticks"
n=0
until read_entry; do
	n=$((n + 1))
	[ $n -le 8 ] || { tui_screen >&2; t_fail "the reader's heaviest wait is not the read in pipe_read from off_pipe_wait at line $READ_LINE"; }
	before=$(tui_screen -e)
	tui_keys Down
	t_wait_for 5 eval '[ "$(tui_screen -e)" != "$before" ]' || t_fail "Down changed nothing on the screen"
done

# Its share against the thread's own over those 5 s: 20 points either way.
share=$(head -n 1 "$T_TMP/entry" | sed -n 's/^ *[0-9.]*s *\([0-9.]*\)%.*/\1/p')
own=$(awk 'NR == 1 { r = $3; w = $4 } END { printf "%d", 100 * ($3 - r) / ($4 - w) }' "$T_TMP/ticks")
[ -n "$share" ] || t_fail "no share on the read's line: $(head -n 1 "$T_TMP/entry")"
awk -v s="$share" -v o="$own" 'BEGIN { exit !(s - o <= 20 && o - s <= 20) }' ||
	t_fail "the read is ${share}% of the window, the thread measured ${own}%"

# Paused, the picture stays over several reads (one a second).
# (the window's length, the reader's totals and the waits' times, without
# the paused mark: a sliding window's length stays 5 s, its times move)
pic() { tui_screen | grep -E "over the last|^ thread $TID |^ +[0-9.]+s +[0-9.]+%  [SDRT]  thread " | sed 's/ (paused: p resumes)//'; }
p1=$(pic)
n0=$(grep -c '^tick' "$OUT")
t_wait_for 20 sh -c "[ \$(grep -c '^tick' '$OUT') -ge $((n0 + 25)) ]" || t_fail "off_pipe stopped ticking"
[ "$(pic)" = "$p1" ] || t_fail "paused, the view changed: '$p1' then '$(pic)'"
tui_keys p
tui_wait_gone "(paused: p resumes)"
t_wait_for 10 eval '[ "$(pic)" != "$p1" ]' || t_fail "resumed, the view stayed at '$p1'"
# The window slides (the last 5 s, not totals since o, and never restarted):
# over 8 s (more than a window) every reading spans 5 s, and no wait (one
# in progress counts its part inside the window) is longer than the window.
end=$(($(date +%s) + 8))
while [ "$(date +%s)" -lt "$end" ]; do
	tui_screen >"$T_TMP/scr"
	span=$(sed -n 's/.*over the last \([0-9.]*\) s.*/\1/p' "$T_TMP/scr" | head -n 1)
	awk -v s="${span:-0}" 'BEGIN { exit !(s >= 4.5) }' ||
		{ cat "$T_TMP/scr" >&2; t_fail "the window is ${span:-not shown} s: it restarted instead of sliding"; }
	awk '/^ +[0-9.]+s +[0-9.]+%  [SDRT]  thread / { if ($2 + 0 > 100.5) bad = $0 } END { if (bad) { print bad; exit 1 } }' "$T_TMP/scr" ||
		t_fail "a wait longer than its window"
	sleep 0.3
done

# back to the threads
tui_keys o
tui_wait "Kernel view:"
tui_wait "Thread $TID reader"
n=$TUI_TAB_KEY
tui_quit

# As user nobody the view says why there is nothing and what to do.
if command -v setpriv >/dev/null; then
	tm new-session -d -s nobody -x 120 -y 40 \
		"env LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME=/nonexistent setpriv --reuid=65534 --regid=65534 --clear-groups '$WHYTOP' -d 3 -p $P --open; exec sleep 600" ||
		t_fail "cannot start tmux as nobody"
	nb() { tm capture-pane -p -t nobody; }
	nb_has() { nb | grep -Fq -- "$1"; }
	t_wait_for 10 nb_has ":Kernel" || t_fail "no tab bar as nobody: $(nb)"
	tm send-keys -t nobody "$n"
	t_wait_for 10 nb_has "Kernel view:" || { nb >&2; t_fail "no Kernel tab as nobody"; }
	tm send-keys -t nobody o
	t_wait_for 10 nb_has "run as root" || { nb >&2; t_fail "as nobody, the view does not say to run as root"; }
	tm send-keys -t nobody F10
fi
# the target went on the whole time and goes on after
n1=$(grep -c '^tick' "$OUT")
t_wait_for 10 sh -c "[ \$(grep -c '^tick' '$OUT') -gt $n1 ]" || t_fail "off_pipe stopped ticking after whytop"
exit 0
