#!/bin/sh
# blocked_since.sh: "blocked for" counts from when the wait began, also when
# it began before whytop looked. A vfork parent (D) and a reader blocked on
# an empty pipe (S) wait some seconds before whytop starts; 'whytop blocked'
# and 'whytop kstack' (with and without --observe) must show a time between what the test saw
# (the wait had begun by t1, not before t0) and the moment of the scan.
# Without the kernel's times (a build without eBPF) the time is as
# observed and marked as at least (">= "), and a note says why.
. "$SRCDIR/tests/lib.sh"
t_need_root

now() { date +%s.%N; }
WAIT=3

t0=$(now)
t_start_vfork 120
t1=$(now)
mkfifo "$T_TMP/fifo"
r0=$(now)
# read-write on the FIFO: the open does not wait for a writer, the read does
t_start sh -c "exec cat <>'$T_TMP/fifo'"
R=$T_PID
t_wait_for 10 sh -c "[ \"\$(cat /proc/$R/wchan 2>/dev/null)\" = pipe_read ] || [ \"\$(cat /proc/$R/wchan 2>/dev/null)\" = anon_pipe_read ]" ||
	t_fail "cat never blocked in the pipe read (wchan $(cat /proc/$R/wchan))"
r1=$(now)
# time for the waits to grow older than whytop's first look (what is measured)
sleep $WAIT

bpf=yes
msg=$("$WHYTOP" offcpu "$$" --duration 0 2>&1 >/dev/null) || case $msg in
*"built without them"*) bpf=no ;;
esac

s0=$(now)
"$WHYTOP" blocked --json >"$T_TMP/j" || t_fail "whytop blocked --json exited $?"
s1=$(now)
"$WHYTOP" blocked >"$T_TMP/txt" || t_fail "whytop blocked exited $?"
if [ $bpf = yes ]; then
	t_json_check "$T_TMP/j" "blocked --json (D since before whytop)" '
pid = a[0]
t0, t1, s0, s1 = (float(x) for x in a[1:5])
ts = [t for g in d["groups"] for t in g["tasks"] if t["pid"] == pid]
assert ts, "process %d not listed" % pid
th = ts[0]["thread"] if "thread" in ts[0] else ts[0]
assert "blocked_for_s" in th, "no blocked_for_s: %s" % th
assert th["blocked_exact"] is True, "blocked_exact %s" % th["blocked_exact"]
lo, hi = s0 - t1 - 0.05, s1 - t0 + 0.05
assert lo <= th["blocked_for_s"] <= hi, "blocked for %.3f s, the wait is %.3f to %.3f s old" % (th["blocked_for_s"], lo, hi)
' "$VF_PID" "$t0" "$t1" "$s0" "$s1"
	grep -Eq "^    thread $VF_PID \(kern_vfork\): D, disk sleep \(uninterruptible\), blocked for [0-9.]+s \(since [0-9:]+\)$" "$T_TMP/txt" ||
		t_fail "no blocked time in the text: $(cat "$T_TMP/txt")"
	secs=$(sed -n "s/^    thread $VF_PID .*blocked for \([0-9]*\)\.[0-9]s .*/\1/p" "$T_TMP/txt")
	[ "${secs:-0}" -ge $WAIT ] || t_fail "blocked for ${secs}s in the text, the wait is older than ${WAIT}s"
else
	grep -q "^note: .*blocked times count from when whytop first saw the wait" "$T_TMP/txt" ||
		t_fail "no note on the blocked times: $(cat "$T_TMP/txt")"
	"$WHYTOP" blocked --observe 1 >"$T_TMP/txt2" || t_fail "whytop blocked --observe exited $?"
	grep -Eq "^    thread $VF_PID .*, blocked for >= [0-9.]+s \(as observed since [0-9:]+\)$" "$T_TMP/txt2" ||
		t_fail "the observed time is not marked as at least: $(cat "$T_TMP/txt2")"
fi

# S on a pipe read, per process (the Kernel tab's reading)
s0=$(now)
"$WHYTOP" kstack "$R" --observe 1 --json >"$T_TMP/k" || t_fail "whytop kstack exited $?"
s1=$(now)
if [ $bpf = yes ]; then
	t_json_check "$T_TMP/k" "kstack --json (S since before whytop)" '
tid = a[0]
r0, r1, s0, s1 = (float(x) for x in a[1:5])
th = [t for t in d["threads"] if t["tid"] == tid]
assert th, "no thread %d" % tid
th = th[0]
assert th["state"] == "S", th["state"]
assert th.get("blocked_exact") is True, "blocked_exact %s" % th.get("blocked_exact")
lo, hi = s0 - r1 - 0.05, s1 - r0 + 0.05
assert lo <= th["blocked_for_s"] <= hi, "blocked for %.3f s, the read is %.3f to %.3f s old" % (th["blocked_for_s"], lo, hi)
' "$R" "$r0" "$r1" "$s0" "$s1"
fi
# kstack without --observe: the kernel's time at once
if [ $bpf = yes ]; then
	s0=$(now)
	"$WHYTOP" kstack "$R" --json >"$T_TMP/k2" || t_fail "whytop kstack (no --observe) exited $?"
	s1=$(now)
	t_json_check "$T_TMP/k2" "kstack --json without --observe" '
tid = a[0]
r0, r1, s0, s1 = (float(x) for x in a[1:5])
th = [t for t in d["threads"] if t["tid"] == tid][0]
assert th.get("blocked_exact") is True, "blocked_exact %s" % th.get("blocked_exact")
lo, hi = s0 - r1 - 0.05, s1 - r0 + 0.05
assert lo <= th["blocked_for_s"] <= hi, "blocked for %.3f s, the read is %.3f to %.3f s old" % (th["blocked_for_s"], lo, hi)
' "$R" "$r0" "$r1" "$s0" "$s1"
fi
t_expect_state "$VF_PID" D "kern_vfork after whytop" 1
t_expect_state "$R" S "cat after whytop" 1
exit 0
