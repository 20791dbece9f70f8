#!/bin/sh
# list_basic.sh: `whytop list` shows a process the test started with its
# pid, parent, state (S, then T after SIGSTOP), thread count, user and
# command line, as text and as JSON; --sort, --limit and --filter work.
. "$SRCDIR/tests/lib.sh"

is_state() { [ "$(t_state "$1")" = "$2" ]; }
# json_get PID KEY < json: the value of KEY for task PID ("MISSING" if absent).
json_get() {
	python3 -c 'import json,sys
d = json.load(sys.stdin)
t = [x for x in d["tasks"] if x["pid"] == int(sys.argv[1])]
print(t[0].get(sys.argv[2], "MISSING") if t else "MISSING")' "$1" "$2"
}

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

kill -STOP "$pid"
t_wait_for 5 is_state "$pid" T || t_fail "target did not stop"
"$WHYTOP" list -i 0 --json -c pid,user,state,threads,cpu,command >"$T_TMP/all.json" || t_fail "list --json failed"
python3 -c 'import json,sys; json.load(sys.stdin)' <"$T_TMP/all.json" || t_fail "JSON does not parse"
[ "$(json_get "$pid" state <"$T_TMP/all.json")" = T ] || t_fail "state after SIGSTOP is not T"
[ "$(json_get "$pid" threads <"$T_TMP/all.json")" = 3 ] || t_fail "JSON threads"
json_get "$pid" command <"$T_TMP/all.json" | grep -q "$tag" || t_fail "JSON command"
python3 -c 'import json,sys,os
d = json.load(sys.stdin)["system"]
assert d["ncpu"] == os.sysconf("SC_NPROCESSORS_ONLN"), d
assert d["mem_total_kb"] > 0 and d["processes"] > 1 and d["stopped"] >= 1, d' <"$T_TMP/all.json" ||
	t_fail "system section is wrong"
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
