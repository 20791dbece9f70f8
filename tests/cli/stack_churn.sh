#!/bin/sh
# Threads born and exiting during the walk, a process exiting in the middle
# of repeated walks, and a thread in uninterruptible sleep (vfork): each
# walk ends cleanly with what it gathered, nothing stays traced or stopped.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/stack_lib.sh"
t_need_root

# Churn: 100 walks while threads come and go.
stk_start stk_churn
pid=$STK_PID
# A first beat, so there is a count to compare with even when the walks are quick.
t_wait_for 5 grep -q '^beat' "$STK_OUT" || t_fail "stk_churn never beat"
w=$T_TMP/churn.txt
"$WHYTOP" stack "$pid" --repeat 100 >"$w" 2>"$w.err" || t_fail "a walk failed: $(cat "$w.err")"
stk_expect "$w" "^process $pid: [0-9]+ threads?," "the last walk"
stk_expect "$w" " stk_churn_maker\+0x" "the thread making threads"
# The newest complete beat: the last line may still be half written.
made() { grep '^beat [0-9]* made [0-9]*$' "$STK_OUT" | tail -2 | head -1 | sed 's/.* made //'; }
before=$(made)
stk_runs_on "$STK_OUT"
stk_runs_on "$STK_OUT"
after=$(made)
[ "$after" -gt "$before" ] || t_fail "no more threads made after the walks ($before -> $after)"
t_threads_left_running "$pid" "stk_churn after 100 walks"

# The process exits while walks repeat: a clear end, no hang, no crash.
stk_start stk_churn 400
pid=$STK_PID
timeout 20 "$WHYTOP" stack "$pid" --repeat 100000 >"$w" 2>"$w.err"
rc=$?
[ "$rc" = 1 ] || t_fail "expected exit status 1 when the process goes away, got $rc: $(cat "$w.err")"
grep -q "is gone\|no process" "$w.err" || t_fail "unclear error: $(cat "$w.err")"

# A thread in D (vfork): reported, the other thread walked, within a second.
stk_start stk_vfork 600
pid=$STK_PID
other=$(stk_line stk_vfork.c STK_OTHER_LINE)
t_expect_state "$pid" D "stk_vfork's main thread" 5
start=$(date +%s%N)
stk_walk "$w" "$pid"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 3000 ] || t_fail "the walk waited $ms ms for a D thread"
stk_expect "$w" "^thread $pid \"stk_vfork\" \(D\)$" "the D thread is listed"
stk_expect "$w" "did not stop in time" "the D thread's reason"
stk_expect "$w" " stk_vfork_other\+0x[0-9a-f]+ \(stk_vfork\) at .*stk_vfork\.c:$other$" "the other thread"
# When the child ends, the parent goes on, untraced and running.
# Its vfork child (sleeping 600 s) ends now: the parent goes on.
kill -KILL $(cat "/proc/$pid/task/$pid/children") 2>/dev/null
t_wait_for 10 grep -q '^resumed' "$STK_OUT" || t_fail "the parent never resumed after vfork"
stk_runs_on "$STK_OUT"
t_untraced "$pid" "stk_vfork after its vfork child ended"
exit 0
