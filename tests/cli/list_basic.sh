#!/bin/sh
# list_basic.sh: `whytop list` shows a process the test started with its
# pid, parent, state (S, then T after SIGSTOP), thread count, user and
# command line, as text and as JSON; --sort, --limit and --filter work.
. "$SRCDIR/tests/lib.sh"

tag="wt_basic_$$"
t_start_ready "$T_TMP/out" ready "$TARGETS/proc_target" -t 2 "$tag" beta
pid=$T_PID

out=$("$WHYTOP" list -p "$pid" -i 0 -c pid,ppid,state,threads,user,command) ||
	t_fail "list -p $pid failed"
echo "$out"
[ "$(echo "$out" | wc -l)" -eq 2 ] || t_fail "want a header and one row"
echo "$out" | head -1 | grep -q '^ *PID  *PPID S THR USER  *Command$' || t_fail "header: $out"
set -- $(echo "$out" | awk -v p="$pid" '$1 == p')
[ "$1" = "$pid" ] || t_fail "pid $pid not listed"
[ "$2" = "$$" ] || t_fail "ppid $2, want $$"
[ "$3" = S ] || t_fail "state $3, want S"
[ "$4" = 3 ] || t_fail "threads $4, want 3"
[ "$5" = "$(id -un)" ] || t_fail "user $5, want $(id -un)"
echo "$out" | grep -q "proc_target -t 2 $tag beta\$" || t_fail "command line missing"

t_stop "$pid" "proc_target"
"$WHYTOP" list -i 0 --json -c pid,user,state,threads,cpu,command >"$T_TMP/all.json" || t_fail "list --json failed"
t_json_check "$T_TMP/all.json" "list --json, the target stopped" '
t = tasks[a[0]]
assert t["state"] == "T", t
assert t["threads"] == 3, t
assert a[1] in t["command"], t
s = d["system"]
assert s["ncpu"] == os.sysconf("SC_NPROCESSORS_ONLN"), s
assert s["mem_total_kb"] > 0 and s["processes"] > 1 and s["stopped"] >= 1, s' "$pid" "$tag"
kill -CONT "$pid"

# Sorting by pid ascending, a limit, and a filter on the command line.
"$WHYTOP" list -i 0 -s pid -c pid -n 5 >"$T_TMP/sorted" || t_fail "list -s pid"
[ "$(wc -l <"$T_TMP/sorted")" -eq 6 ] || t_fail "--limit 5 printed $(wc -l <"$T_TMP/sorted") lines"
tail -n +2 "$T_TMP/sorted" | sort -n -c || t_fail "not sorted by pid"
"$WHYTOP" list -i 0 -s pid -r -c pid -n 5 | tail -n +2 | sort -n -r -c || t_fail "--reverse"
# whytop's own command line holds the filter text too, so it may match itself.
"$WHYTOP" list -i 0 --filter "$(echo "$tag" | tr a-z A-Z)" -c pid,command | tail -n +2 >"$T_TMP/f"
cat "$T_TMP/f"
awk -v p="$pid" '$1 == p' "$T_TMP/f" | grep -q . || t_fail "--filter lost the target"
[ "$(grep -c -i "$tag" "$T_TMP/f")" = "$(wc -l <"$T_TMP/f")" ] || t_fail "--filter let others through"
[ "$(wc -l <"$T_TMP/f")" -le 2 ] || t_fail "--filter matched too much"
exit 0
