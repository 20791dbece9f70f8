#!/bin/sh
# --thread TID counts that thread only, with both backends at once (the
# kernel counter and a ptrace tracer can watch the same thread): the work a
# second thread does is not counted, what the main thread does is.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/syscalls_lib.sh"
t_need_root
sc_cases "kernel ptrace"

D=$T_TMP/d
sc_work_start "$D"

"$WHYTOP" syscalls "$P" --thread 1 --duration 0.1 2>"$D/bad.err" && t_fail "a foreign tid was accepted"
grep -q "not a thread of process" "$D/bad.err" || t_fail "$(cat "$D/bad.err")"
# a thread id given as the process: said, not silently counted as nothing
t_start "$TARGETS/sc_work" --idle-thread
I=$T_PID
two() { [ "$(ls "/proc/$I/task" | wc -l)" = 2 ]; }
t_wait_for 5 two || t_fail "the idle thread did not start"
T2=$(ls "/proc/$I/task" | grep -vx "$I")
"$WHYTOP" syscalls "$T2" --duration 0.1 2>"$D/tid.err" && t_fail "a tid was taken for a process"
grep -q "is a thread of process $I" "$D/tid.err" || t_fail "$(cat "$D/tid.err")"

for B in $CASES; do
	t_start "$WHYTOP" syscalls "$P" --thread "$P" --backend "$B" --json >"$D/$B.json" 2>"$D/$B.err"
	eval "W_$B=\$T_PID"
	t_wait_for 10 grep -q counting "$D/$B.err" || t_fail "$B: whytop did not start: $(cat "$D/$B.err")"
done
mkdir "$D/go"
t_wait_for 30 test -d "$D/worked" || t_fail "work did not finish"
for B in $CASES; do
	eval "W=\$W_$B"
	kill -TERM "$W"
	t_reaped "$W" 10
	[ "$T_STATUS" = 0 ] || t_fail "$B: whytop failed: $(cat "$D/$B.err")"
	grep -q "\"tid\":$P," "$D/$B.json" || t_fail "$B: $(cat "$D/$B.json")"
	# the worker thread's calls are not counted; the main thread's mkdir is
	expect "$D/$B.json" getppid x86_64 none
	expect "$D/$B.json" close x86_64 none
	expect "$D/$B.json" mkdir x86_64 '1 0 null'
done
sc_work_finish "$D"
exit 0
