#!/bin/sh
# offcpu_stopped.sh: a stopped process stays stopped while 'whytop offcpu'
# counts it, and its threads' time is counted as stopped (T) from the
# start; --thread counts one thread only. After SIGCONT it runs on.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/offcpu_lib.sh"
oc_need_bpf

OUT=$T_TMP/out
t_start_ready "$OUT" '^ready ' "$TARGETS/off_pipe" 100 40
P=$T_PID
TID=$(sed -n 's/^ready //p' "$OUT")
t_stop "$P" off_pipe
"$WHYTOP" offcpu "$P" --duration 1 --json >"$T_TMP/j" || t_fail "offcpu exited $?"
t_expect_state "$P" T "off_pipe after offcpu" 0
t_json_check "$T_TMP/j" "offcpu --json of a stopped process" '
assert len(d["threads"]) == 3, "threads %s" % d["threads"]
for t in d["threads"]:
    assert t["T_s"] >= 0.9 * d["window_s"], "thread %s: T %s of %s" % (t["tid"], t["T_s"], d["window_s"])
    assert t["S_s"] + t["D_s"] + t["R_s"] < 0.05, "thread %s ran: %s" % (t["tid"], t)
'
txt=$("$WHYTOP" offcpu "$P" --duration 0.5) || t_fail "offcpu exited $?"
echo "$txt" | grep -Eq "^  thread $TID \(reader\): S 0\.000s  D 0\.000s  R 0\.000s  T 0\.[0-9]+s$" ||
	t_fail "no T time for the stopped reader: $txt"
t_expect_state "$P" T "off_pipe after the second offcpu" 0

kill -CONT "$P"
n1=$(grep -c '^tick' "$OUT")
t_wait_for 10 sh -c "[ \$(grep -c '^tick' '$OUT') -gt $n1 ]" || t_fail "off_pipe does not run on after SIGCONT"

"$WHYTOP" offcpu "$P" --thread "$TID" --duration 1 --json >"$T_TMP/j2" || t_fail "offcpu --thread exited $?"
t_json_check "$T_TMP/j2" "offcpu --thread" '
assert [t["tid"] for t in d["threads"]] == [a[0]], "threads %s" % d["threads"]
assert all(s["tid"] == a[0] for s in d["stacks"]), "stacks of other threads"
assert d["threads"][0]["S_s"] > 0.2, "reader S %s" % d["threads"][0]["S_s"]
' "$TID"
# the same count, asked for as the profile's other half
"$WHYTOP" profile --off-cpu "$P" --thread "$TID" --duration 1 --json >"$T_TMP/j3" ||
	t_fail "profile --off-cpu exited $?"
t_json_check "$T_TMP/j3" "profile --off-cpu --thread" '
assert [t["tid"] for t in d["threads"]] == [a[0]], "threads %s" % d["threads"]
assert d["threads"][0]["S_s"] > 0.2, "reader S %s" % d["threads"][0]["S_s"]
' "$TID"
"$WHYTOP" profile --off-cpu --hz 99 "$P" 2>"$T_TMP/e" && t_fail "profile --off-cpu --hz accepted"
grep -q "leave out --hz" "$T_TMP/e" || t_fail "--off-cpu --hz: $(cat "$T_TMP/e")"
"$WHYTOP" offcpu "$P" --thread 1 --duration 0 2>"$T_TMP/e" && t_fail "--thread of another process accepted"
grep -q "process $P has no thread 1" "$T_TMP/e" || t_fail "--thread 1: $(cat "$T_TMP/e")"
exit 0
