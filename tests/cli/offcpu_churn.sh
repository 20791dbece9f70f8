#!/bin/sh
# offcpu_churn.sh: threads that exit are not counted as waiting ever after
# (their last switch-out, TASK_DEAD, starts no wait): on stk_churn, whose
# threads live about a millisecond, every thread that 'whytop offcpu'
# reports waited far less than the window, except the process's own
# long-lived ones.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/offcpu_lib.sh"
oc_need_bpf

OUT=$T_TMP/out
t_start_ready "$OUT" '^beat ' "$TARGETS/stk_churn"
P=$T_PID
"$WHYTOP" offcpu "$P" --duration 2 --json >"$T_TMP/j" || t_fail "offcpu exited $?"
t_json_check "$T_TMP/j" "offcpu --json on stk_churn" '
w = d["window_s"]
gone = [t for t in d["threads"] if not os.path.exists("/proc/%d/task/%d" % (a[0], t["tid"]))]
assert len(gone) > 10, "only %d short-lived threads seen" % len(gone)
for t in gone:
    tot = t["S_s"] + t["D_s"] + t["R_s"] + t["T_s"]
    assert tot < 0.5 * w, "thread %d, gone, waited %.3fs of %.3fs: %s" % (t["tid"], tot, w, t)
' "$P"
exit 0
