#!/bin/sh
# list_threads.sh: --threads lists every thread of a process under its
# tgid; --tree puts a child under its parent; CPU% of a busy process agrees
# with the CPU time it used around --interval, and a sleeping one shows 0.0.
. "$SRCDIR/tests/lib.sh"

t_start_ready "$T_TMP/out" ready "$TARGETS/proc_target" -t 3 -f
pid=$T_PID
child=$(cat "/proc/$pid/task/$pid/children" | tr -d ' ')
[ -n "$child" ] || t_fail "target has no child"

"$WHYTOP" list -i 0 -H -p "$pid" --json -c pid,state,threads,command >"$T_TMP/thr" ||
	t_fail "list --threads failed"
t_json_check "$T_TMP/thr" "threads view" '
pid, tasks = a[0], d["tasks"]
assert len(tasks) == 4, tasks
assert all(t["tgid"] == pid for t in tasks), tasks
assert sorted(t["pid"] for t in tasks)[0] == pid, tasks
assert sum(1 for t in tasks if t["pid"] != pid) == 3, tasks
assert all(t["threads"] == 4 for t in tasks), tasks' "$pid"
# Without --threads the same process is one row.
[ "$("$WHYTOP" list -i 0 -p "$pid" -c pid | wc -l)" -eq 2 ] || t_fail "process view shows threads"

"$WHYTOP" list -i 0 --tree -p "$pid,$child" -c pid,command >"$T_TMP/tree" || t_fail "list --tree failed"
cat "$T_TMP/tree"
awk -v p="$pid" -v c="$child" '
	$1 == p { pl = NR }
	$1 == c { cl = NR; tree = ($0 ~ /`- /) }
	END { exit !(pl && cl == pl + 1 && tree) }' "$T_TMP/tree" ||
	t_fail "child $child is not drawn under $pid"
"$WHYTOP" list -i 0 --tree --json -p "$pid,$child" >"$T_TMP/tree.json" || t_fail "list --tree --json failed"
t_json_check "$T_TMP/tree.json" "tree depths" '
assert tasks[a[0]]["depth"] == 0 and tasks[a[1]]["depth"] == 1, tasks' "$pid" "$child"

t_start_ready "$T_TMP/busy" ready "$TARGETS/proc_target" -b
busy=$T_PID
# The busy target (one thread) used U ticks while whytop ran W seconds; the
# two samples are 0.5 s or more apart inside that time. So CPU% is at most
# U ticks over 0.5 s, and at least what U leaves after the target ran flat
# out for all the rest of W, over W; two ticks of slack (a running task's
# time is accounted at the next tick). A rate that is broken (0, or wall time
# for CPU time) fails one bound or the other unless the machine starved the
# target completely.
python3 - "$WHYTOP" "$busy" "$pid" >"$T_TMP/cpu" 2>&1 <<'EOF' || t_fail "CPU% is wrong: $(cat "$T_TMP/cpu")"
import json, os, subprocess, sys, time
whytop, busy, idle = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
hz = os.sysconf("SC_CLK_TCK")
def ticks(pid):
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])
u0, w0 = ticks(busy), time.monotonic()
out = subprocess.run([whytop, "list", "-i", "500", "-p", "%d,%d" % (busy, idle), "--json",
                      "-c", "pid,cpu,time"], check=True, capture_output=True).stdout
u1, w1 = ticks(busy), time.monotonic()
d = {t["pid"]: t for t in json.loads(out)["tasks"]}
used, wall = (u1 - u0) / hz, w1 - w0
hi = 100.0 * (used + 2.0 / hz) / 0.5
lo = 100.0 * max(0.0, used - (wall - 0.5) - 2.0 / hz) / wall
print("busy used %.2f s of CPU in %.2f s: CPU%% %.1f, want %.1f..%.1f" % (used, wall, d[busy]["cpu"], lo, hi))
assert lo <= d[busy]["cpu"] <= hi, d[busy]
assert d[idle]["cpu"] == 0.0, d[idle]
EOF
cat "$T_TMP/cpu"
exit 0
