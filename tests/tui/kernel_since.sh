#!/bin/sh
# kernel_since.sh: the Kernel tab's "blocked" time of a thread that began
# waiting before whytop started (cat blocked in read on an empty pipe for
# 3 s first) is the whole wait, from its first reading: at least the 3 s
# the test waited, at most the time since cat started. Without the
# kernel's times (a build without eBPF) it is marked as at least and "as
# observed".
. "$SRCDIR/tests/tui/tui_lib.sh"
t_need_root

now() { date +%s.%N; }
mkfifo "$T_TMP/fifo"
r0=$(now)
# read-write on the FIFO: the open does not wait for a writer, the read does
t_start sh -c "exec cat <>'$T_TMP/fifo'"
R=$T_PID
t_wait_for 10 sh -c "grep -Eq '^(anon_)?pipe_read$' /proc/$R/wchan" ||
	t_fail "cat never blocked in the pipe read (wchan $(cat /proc/$R/wchan))"
# the wait grows older than whytop's first look (what is measured)
sleep 3

tui_start -- -d 3 -p "$R" --open
tui_wait "1:Overview"
tui_tab Kernel
tui_wait_re "Thread $R cat .*blocked " "the reader's blocked time" 15
line=$(tui_line "Thread $R cat")
t1=$(now)
if msg=$("$WHYTOP" offcpu "$$" --duration 0 2>&1 >/dev/null); then :; else
	case $msg in
	*"built without them"*)
		echo "$line" | grep -Eq "blocked (≥|>= )[0-9.]+s \(as observed since [0-9:]+\)" ||
			t_fail "the observed time is not marked as at least: $line"
		tui_quit
		exit 0
		;;
	esac
fi
secs=$(echo "$line" | sed -n 's/.*blocked \([0-9]*\.[0-9]\)s (since [0-9:]*).*/\1/p')
[ -n "$secs" ] || t_fail "no blocked time from the kernel: $line"
awk -v s="$secs" -v r0="$r0" -v t1="$t1" 'BEGIN { exit !(s >= 3 && s <= t1 - r0 + 0.1) }' ||
	t_fail "blocked ${secs}s at the first reading; the read began 3 to $(awk -v a="$r0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s before"
t_expect_state "$R" S "cat under whytop" 1
tui_quit
exit 0
