#!/bin/sh
# cli_json.sh: every subcommand that has --json (list, kstack, blocked,
# stack, locals, poke, syscalls, run), run on real targets whose names hold
# a quote, a backslash, a terminal escape and a byte that is not UTF-8,
# prints one document that python3's json module accepts: strict UTF-8,
# no raw control character, no NaN or Infinity, nothing after it. Each
# document must also be about the target (its pid, its name as whytop
# escapes it), so that an empty or wrong document does not pass.
. "$SRCDIR/tests/lib.sh"
t_need_root
command -v python3 >/dev/null || t_skip "needs python3 to parse the JSON"

# check FILE 'PYTHON CONDITION on d' [WHAT]: FILE is one JSON document (and a
# newline) and the condition holds. $HOSTILE_SAFE is what whytop shows of
# the hostile name: wt_escape's text, \e for ESC and \xff for the stray byte.
check() {
	python3 - "$1" "$2" <<'EOF' || t_fail "${3:-$1}: not the JSON document wanted (above)"
import json, os, sys
path, cond = sys.argv[1], sys.argv[2]
raw = open(path, "rb").read()
def refuse(name):
    raise ValueError("%s is not JSON" % name)
try:
    text = raw.decode("utf-8")  # strict: invalid UTF-8 fails here
    d = json.loads(text, parse_constant=refuse)  # strict: raw control characters fail
except ValueError as e:
    sys.stderr.write("%s: %s\n%r\n" % (path, e, raw[:2000]))
    sys.exit(1)
if not text.endswith("}\n"):
    sys.stderr.write("%s: not one object ending in a newline: %r\n" % (path, text[-40:]))
    sys.exit(1)
safe = os.environ["HOSTILE_SAFE"]
if not eval(cond):
    sys.stderr.write("%s: condition failed: %s\n%s\n" % (path, cond, text[:3000]))
    sys.exit(1)
EOF
}

# The hostile name (comm keeps its first 15 bytes: all of these).
ESC=$(printf '\033')
BAD=$(printf '\377')
NAME="q\"b\\${ESC}[2J${BAD}"
export HOSTILE_SAFE='q"b\\e[2J\xff'
ln -s "$TARGETS/loc_types" "$T_TMP/$NAME" || t_fail "symlink"
mkdir "$T_TMP/v" && ln -s "$TARGETS/kern_vfork" "$T_TMP/v/$NAME" || t_fail "symlink"
# A FIFO with the hostile name: kern_fuse_reader blocks opening it, a path
# argument read from its memory.
mkfifo "$T_TMP/f$NAME" || t_fail "mkfifo"

out=$T_TMP/types.out
t_start "$T_TMP/$NAME" >"$out"
pid=$T_PID
t_wait_for 20 grep -q "^ready" "$out" || t_fail "loc_types did not start"
t_start "$T_TMP/v/$NAME" 60
vpid=$T_PID
t_start "$TARGETS/kern_fuse_reader" "$T_TMP/f$NAME"
opid=$T_PID
is_d() { [ "$(t_state "$vpid")" = D ]; }
t_wait_for 10 is_d || t_fail "kern_vfork $vpid never entered D"
vchild=$(pgrep -P "$vpid")
T_PIDS="$T_PIDS $vchild"
in_open() { [ "$(t_state "$opid")" = S ] && [ "$(cat "/proc/$opid/wchan" 2>/dev/null)" != 0 ]; }
t_wait_for 10 in_open || t_fail "kern_fuse_reader $opid not blocked opening the FIFO"

# list: every column, processes, threads and tree.
cols=$("$WHYTOP" list --help | sed -n 's/^Columns: //p' | tr ' ' ,)
[ -n "$cols" ] || t_fail "no column list in 'whytop list --help'"
"$WHYTOP" list -i 0 --json -c "$cols" >"$T_TMP/list.json" || t_fail "list --json exited $?"
check "$T_TMP/list.json" 'any(t["pid"] == '"$pid"' and safe in t["command"] for t in d["tasks"]) and len(d["tasks"]) > 3' list
"$WHYTOP" list -i 100 -H --tree --json -c "$cols" -p "$pid,$vpid" >"$T_TMP/tree.json" ||
	t_fail "list --tree --json exited $?"
check "$T_TMP/tree.json" '{t["pid"] for t in d["tasks"]} >= {'"$pid,$vpid"'} and all("depth" in t for t in d["tasks"])' "list -H --tree"

# kstack: a process blocked in openat(2) of the hostile path; one in vfork.
"$WHYTOP" kstack "$opid" --json >"$T_TMP/kstack.json" || t_fail "kstack --json exited $?"
check "$T_TMP/kstack.json" 'd["pid"] == '"$opid"' and any(safe in (a.get("path") or "") for a in d["threads"][0]["syscall"]["args"])' kstack
"$WHYTOP" kstack "$vpid" --observe 1 --json >"$T_TMP/kstack_v.json" || t_fail "kstack --observe exited $?"
check "$T_TMP/kstack_v.json" 'd["comm"] == safe and d["threads"][0]["state"] == "D" and d["threads"][0]["blocked_for_s"] >= 0' "kstack --observe"

# blocked: the whole system; the vfork parent is in it under its name.
"$WHYTOP" blocked --json >"$T_TMP/blocked.json" || t_fail "blocked --json exited $?"
check "$T_TMP/blocked.json" 'any(t["pid"] == '"$vpid"' and t["process"] == safe for g in d["groups"] for t in g["tasks"])' blocked

# stack, locals, poke: the hostile-named loc_types.
"$WHYTOP" stack "$pid" --source --json >"$T_TMP/stack.json" || t_fail "stack --json exited $?"
check "$T_TMP/stack.json" 'd["pid"] == '"$pid"' and d["threads"][0]["name"] == safe and any(f["function"] == "show_types" for f in d["threads"][0]["frames"])' stack
"$WHYTOP" locals "$pid" --function show_types --json >"$T_TMP/locals.json" ||
	t_fail "locals --json exited $?"
check "$T_TMP/locals.json" 'd["function"] == "show_types" and any(v["path"] == "cfg" for v in d["vars"])' locals
"$WHYTOP" poke "$pid" --function show_types --watch 100 --json cfg.limit=9 >"$T_TMP/poke.json" ||
	t_fail "poke --json exited $?"
check "$T_TMP/poke.json" 'd["path"] == "cfg.limit" and d["old"] == "7" and d["new"] == "9" and d["took"] is True' poke

# syscalls: a target making system calls, counted for a moment.
t_start "$TARGETS/sc_loop" getppid >/dev/null
spid=$T_PID
"$WHYTOP" syscalls "$spid" --duration 0.3 --json >"$T_TMP/syscalls.json" 2>"$T_TMP/syscalls.err" ||
	t_fail "syscalls --json exited $?: $(cat "$T_TMP/syscalls.err")"
check "$T_TMP/syscalls.json" 'd["pid"] == '"$spid"' and any(r["name"] == "getppid" and r["calls"] > 0 for r in d["syscalls"])' syscalls

# run: the summary goes to -o FILE; whytop exits with the program's status.
"$WHYTOP" run --json -o "$T_TMP/run.json" -- sh -c 'exit 3'
rc=$?
[ "$rc" = 3 ] || t_fail "run exited $rc, not the program's 3"
check "$T_TMP/run.json" 'd["exit_status"] == 3 and d["ended"] is True and d["total"]["calls"] > 0' run
exit 0
