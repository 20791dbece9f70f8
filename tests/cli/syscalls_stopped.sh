#!/bin/sh
# A stopped process stays stopped: count a SIGSTOPped target with each
# backend; afterwards it is still stopped (state T), untraced, and once
# continued it does its work correctly.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/syscalls_lib.sh"
t_need_root
sc_cases "kernel ptrace"

D=$T_TMP/d
sc_work_start "$D"
t_stop "$P" "target before counting"

for B in $CASES; do
	"$WHYTOP" syscalls "$P" --backend "$B" --duration 0.5 >"$D/$B.txt" 2>"$D/$B.err" ||
		t_fail "$B: whytop failed: $(cat "$D/$B.err")"
	# On detach the kernel wakes a task in group-stop, which stops again at
	# once (no user code runs): wait for that, briefly.
	t_expect_state "$P" T "$B: the stopped target after counting" 3
	t_untraced "$P" "$B: the stopped target after counting"
	grep -q "^lost events: 0" "$D/$B.txt" || t_fail "$B: $(cat "$D/$B.txt")"
done

# Stopped while counted: ptrace must let the stop happen and keep it.
kill -CONT "$P"
t_start "$WHYTOP" syscalls "$P" --backend ptrace >"$D/p2.txt" 2>"$D/p2.err"
W=$T_PID
t_wait_for 10 grep -q counting "$D/p2.err" || t_fail "whytop did not start"
kill -STOP "$P"
t_expect_state "$P" tT "SIGSTOP under ptrace" 5
kill -TERM "$W"
t_reaped "$W" 10; st=$T_STATUS
[ "$st" = 0 ] || t_fail "whytop exited with $st: $(cat "$D/p2.err")"
t_expect_state "$P" T "the target stopped under ptrace, after detach" 3

kill -CONT "$P"
mkdir "$D/go"
t_wait_for 30 test -d "$D/worked" || t_fail "target did not work after SIGCONT"
sc_work_finish "$D"
exit 0
