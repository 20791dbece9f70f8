#!/bin/sh
# offcpu_dstate.sh: a process that enters a D wait (a vfork parent) while
# 'whytop offcpu' counts: the time is D, in the vfork wait's kernel stack,
# with main of kern_vfork.c in its user stack. A process already in D when
# the count starts is counted D from then, with /proc's kernel stack. The
# target is never stopped: it stays in D, and leaves it when its child ends.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/offcpu_lib.sh"
oc_need_bpf

mkfifo "$T_TMP/go"
t_start sh -c "read x <'$T_TMP/go'; exec '$TARGETS/kern_vfork' 60"
S=$T_PID
t_start sh -c "exec '$WHYTOP' offcpu $S --duration 4 --json >'$T_TMP/j'"
W=$T_PID
# counting once its program is attached (a bpf_link among its fds)
t_wait_for 30 sh -c "ls -l /proc/$W/fd 2>/dev/null | grep -q 'bpf.link'" ||
	t_fail "whytop offcpu never attached its program"
echo go >"$T_TMP/go"
t_expect_state "$S" D "kern_vfork after exec" 10
CHILD=$(pgrep -P "$S")
T_PIDS="$T_PIDS $CHILD"
t_reaped "$W" 30
[ "$T_STATUS" = 0 ] || t_fail "whytop offcpu exited $T_STATUS: $(cat "$T_TMP/j")"
t_json_check "$T_TMP/j" "offcpu --json (D during the count)" '
pid = a[0]
th = [t for t in d["threads"] if t["tid"] == pid]
assert th, "no thread %d" % pid
assert th[0]["D_s"] >= 1.0, "D time %s" % th[0]["D_s"]
ds = [s for s in d["stacks"] if s["tid"] == pid and s["state"] == "D"]
top = max(ds, key=lambda s: s["seconds"])
k = [f["func"] for f in top["kernel"]]
assert any(f in ("wait_for_vfork_done", "kernel_clone", "__do_sys_vfork") for f in k), "kernel %s" % k
assert any(u["func"] == "main" and (u["file"] or "").endswith("kern_vfork.c") for u in top["user"]), "user %s" % top["user"]
assert top["waits"] == 0, "the wait is still in progress: %s" % top["waits"]
' "$S"
t_expect_state "$S" D "kern_vfork after the count" 1

# Already in D when the count starts: D from the start, /proc's kernel stack.
"$WHYTOP" offcpu "$S" --duration 1 --json >"$T_TMP/j2" || t_fail "offcpu exited $?"
t_json_check "$T_TMP/j2" "offcpu --json (D before the count)" '
pid = a[0]
th = [t for t in d["threads"] if t["tid"] == pid][0]
assert th["D_s"] >= 0.9 * d["window_s"], "D %s of %s" % (th["D_s"], d["window_s"])
top = [s for s in d["stacks"] if s["tid"] == pid][0]
assert top["state"] == "D", top["state"]
k = [f["func"] for f in top["kernel"]]
assert any(f in ("wait_for_vfork_done", "kernel_clone", "__do_sys_vfork") for f in k), "kernel %s" % k
assert "before whytop looked" in top["note"], top["note"]
' "$S"
t_expect_state "$S" D "kern_vfork after the second count" 1

kill -KILL "$CHILD"
t_reaped "$S" 10
[ "$T_STATUS" = 0 ] || t_fail "kern_vfork ended with $T_STATUS"
exit 0
