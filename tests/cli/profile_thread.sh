#!/bin/sh
# Threads: with --thread, only that thread's samples (prof_work_c, never
# the main thread's prof_work_a or prof_work_b); a thread born while the
# profile runs (prof_split late, started on SIGUSR1 once whytop has its
# events open) is picked up and its samples counted; a thread id not of
# the process is refused with a sentence. No thread is traced or stopped.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/profile_lib.sh"
t_need_root
prof_need_perf

t_start_ready "$T_TMP/thr.out" '^ready' "$TARGETS/prof_split" 120 threads
pid=$T_PID
other=$(sed -n 's/^ready [0-9]* other \([0-9]*\)$/\1/p' "$T_TMP/thr.out")
[ -n "$other" ] || t_fail "prof_split threads printed no thread id: $(cat "$T_TMP/thr.out")"
prof_watch "$pid"
# Samples count CPU time: on a loaded machine 2 s may give few, so each
# check runs again (up to 10 times) until it has enough to judge; what
# must never be seen (the main thread's functions) is checked every time.
enough() { # enough FILE MIN NAME...: each NAME has at least MIN self samples
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
fns = {f["name"]: f["self"] for f in d["functions"]}
sys.exit(0 if all(fns.get(n, 0) >= int(sys.argv[2]) for n in sys.argv[3:]) else 1)
' "$@"
}
n=0
while :; do
	"$WHYTOP" profile "$pid" --thread "$other" --duration 2 --hz 999 --json >"$T_TMP/thr.json" ||
		t_fail "whytop profile --thread exited $?"
	t_json_check "$T_TMP/thr.json" "profile --thread $other" '
fns = {f["name"]: f for f in d["functions"]}
assert d["thread"] == a[0], "thread %r" % d.get("thread")
assert d["threads"] == 1, "%d threads profiled, expected 1" % d["threads"]
for n in ("prof_work_a", "prof_work_b", "main"):
    assert n not in fns, "%s (the main thread) in a profile of thread %d" % (n, a[0])
assert all("prof_other" in p["folded"] or p["folded"].endswith("_[k]") for p in d["paths"]), d["paths"][:3]
' "$other"
	enough "$T_TMP/thr.json" 10 prof_work_c && break
	n=$((n + 1))
	[ $n -lt 10 ] || t_fail "profile --thread $other: prof_work_c under 10 samples in 10 runs of 2 s: $(head -c 600 "$T_TMP/thr.json")"
done
# The whole process: both threads.
n=0
while :; do
	"$WHYTOP" profile "$pid" --duration 2 --hz 999 --json >"$T_TMP/all.json" ||
		t_fail "whytop profile exited $?"
	t_json_check "$T_TMP/all.json" "profile of both threads" '
assert d["threads"] == 2, "%d threads profiled, expected 2" % d["threads"]
'
	enough "$T_TMP/all.json" 5 prof_work_a prof_work_c && break
	n=$((n + 1))
	[ $n -lt 10 ] || t_fail "profile of both threads: under 5 samples in a or c in 10 runs of 2 s: $(head -c 600 "$T_TMP/all.json")"
done
prof_watch_end "$pid" "profile of threads"

# Not a thread of the process: refused, exit 1, a sentence.
"$WHYTOP" profile "$pid" --thread "$$" --duration 1 >"$T_TMP/o" 2>"$T_TMP/e" && t_fail "--thread $$ (not of $pid) accepted"
grep -q "is not a thread of process $pid" "$T_TMP/e" || t_fail "--thread $$: $(cat "$T_TMP/e")"

# A thread born during the profile.
t_start_ready "$T_TMP/late.out" '^ready' "$TARGETS/prof_split" 120 late
lpid=$T_PID
prof_watch "$lpid"
"$WHYTOP" profile "$lpid" --duration 4 --hz 999 --json >"$T_TMP/late.json" &
wpid=$!
T_PIDS="$T_PIDS $wpid"
has_events() {
	ls -l /proc/"$wpid"/fd 2>/dev/null | grep -q 'perf_event'
}
t_wait_for 20 has_events || t_fail "whytop profile (pid $wpid) opened no perf event within 20 s"
kill -USR1 "$lpid"
t_wait_for 20 grep -q '^other ' "$T_TMP/late.out" || t_fail "prof_split late started no thread"
t_reaped "$wpid" 30 || t_fail "whytop profile did not end"
[ "$T_STATUS" = 0 ] || t_fail "whytop profile exited $T_STATUS"
t_json_check "$T_TMP/late.json" "profile with a late thread" '
fns = {f["name"]: f for f in d["functions"]}
assert d["threads"] == 2, "%d threads profiled, expected 2 (the late one missed)" % d["threads"]
# one sample shows it was picked up (a loaded machine may give it few)
assert "prof_work_c" in fns and fns["prof_work_c"]["self"] >= 1, "the late thread: %r" % fns.get("prof_work_c")
'
prof_watch_end "$lpid" "profile with a late thread"
exit 0
