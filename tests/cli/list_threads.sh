#!/bin/sh
# list_threads.sh: --threads lists every thread of a process under its
# tgid; --tree puts a child under its parent; CPU% of a busy process is
# measured over --interval and a sleeping one shows 0.0.
. "$SRCDIR/tests/lib.sh"

t_start "$TARGETS/proc_target" -t 3 -f >"$T_TMP/out"
pid=$T_PID
t_wait_for 10 grep -q ready "$T_TMP/out" || t_fail "target did not start"
child=$(cat "/proc/$pid/task/$pid/children" | tr -d ' ')
[ -n "$child" ] || t_fail "target has no child"

"$WHYTOP" list -i 0 -H -p "$pid" --json -c pid,state,threads,command >"$T_TMP/thr" ||
	t_fail "list --threads failed"
python3 -c 'import json,sys
pid = int(sys.argv[1])
tasks = json.load(sys.stdin)["tasks"]
assert len(tasks) == 4, tasks
assert all(t["tgid"] == pid for t in tasks), tasks
assert sorted(t["pid"] for t in tasks)[0] == pid, tasks
assert sum(1 for t in tasks if t["pid"] != pid) == 3, tasks
assert all(t["threads"] == 4 for t in tasks), tasks' "$pid" <"$T_TMP/thr" ||
	t_fail "threads view is wrong: $(cat "$T_TMP/thr")"
# Without --threads the same process is one row.
[ "$("$WHYTOP" list -i 0 -p "$pid" -c pid | wc -l)" -eq 2 ] || t_fail "process view shows threads"

"$WHYTOP" list -i 0 --tree -p "$pid,$child" -c pid,command >"$T_TMP/tree" || t_fail "list --tree failed"
cat "$T_TMP/tree"
awk -v p="$pid" -v c="$child" '
	$1 == p { pl = NR }
	$1 == c { cl = NR; tree = ($0 ~ /`- /) }
	END { exit !(pl && cl == pl + 1 && tree) }' "$T_TMP/tree" ||
	t_fail "child $child is not drawn under $pid"
"$WHYTOP" list -i 0 --tree --json -p "$pid,$child" | python3 -c 'import json,sys
d = {t["pid"]: t["depth"] for t in json.load(sys.stdin)["tasks"]}
assert d[int(sys.argv[1])] == 0 and d[int(sys.argv[2])] == 1, d' "$pid" "$child" ||
	t_fail "tree depths are wrong"

t_start "$TARGETS/proc_target" -b >"$T_TMP/busy"
busy=$T_PID
t_wait_for 10 grep -q ready "$T_TMP/busy" || t_fail "busy target did not start"
"$WHYTOP" list -i 500 -p "$busy,$pid" --json -c pid,cpu,time >"$T_TMP/cpu" || t_fail "list -i 500"
python3 -c 'import json,sys,os
d = {t["pid"]: t for t in json.load(sys.stdin)["tasks"]}
busy, idle = d[int(sys.argv[1])], d[int(sys.argv[2])]
# Spinning: clearly above zero however busy the machine is (a broken rate gives 0).
assert 2.0 < busy["cpu"] <= 100.0 * os.cpu_count() + 10, busy
assert idle["cpu"] == 0.0, idle' "$busy" "$pid" <"$T_TMP/cpu" || t_fail "CPU% is wrong: $(cat "$T_TMP/cpu")"
exit 0
