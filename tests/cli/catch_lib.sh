# catch_lib.sh: shared steps of the tests/cli/catch_*.sh tests (sourced
# after tests/lib.sh). A crash target (tests/targets/crash_*.c) runs as the
# child of a python3 parent that records its raw wait status (a shell only
# gives 128+N, without the core-dump bit), once alone and once caught by
# whytop, so that each test can check the process died exactly as it would
# have. Cores, when the limits allow them, go to the test's directory.

command -v python3 >/dev/null || t_skip "needs python3 (to see the raw wait status)"

# c_parent OUT CMD ARGS...: run CMD as the child of a python3 parent; the
# child's pid goes to OUT.pid, its raw wait status to OUT.status.
c_parent() {
	local out=$1
	shift
	exec python3 -c '
import os, sys
out = sys.argv[1]
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
with open(out + ".pid.tmp", "w") as f:
    f.write(str(pid))
os.rename(out + ".pid.tmp", out + ".pid")
_, st = os.waitpid(pid, 0)
with open(out + ".status.tmp", "w") as f:
    f.write(str(st))
os.rename(out + ".status.tmp", out + ".status")
' "$out" "$@"
}

# c_plain NAME: run target NAME alone (it crashes at once); its raw wait
# status in C_PLAIN.
c_plain() {
	(cd "$T_TMP" && { ulimit -c unlimited 2>/dev/null || true; } &&
		c_parent "$T_TMP/$1.plain" "$TARGETS/$1" >/dev/null 2>&1)
	[ -s "$T_TMP/$1.plain.status" ] || t_fail "$1 run alone: no wait status recorded"
	C_PLAIN=$(cat "$T_TMP/$1.plain.status")
}

# c_catch NAME [WHYTOP CATCH OPTIONS...]: start target NAME (it waits for
# a file), run whytop catch on it (output in C_OUT.out, stderr in
# C_OUT.err), let it crash, and wait for both. Sets C_PID (the target),
# C_WHYTOP (whytop's exit status), C_CAUGHT (the target's raw wait status).
c_catch() {
	c_catch_begin "$@"
	c_catch_end
}

# c_catch_begin NAME [OPTIONS...]: c_catch until whytop has ended.
# c_catch_end: the rest, the target's end (C_CAUGHT).
c_catch_begin() {
	local name=$1 w
	shift
	C_OUT=$T_TMP/$name
	rm -f "$T_TMP/go" "$C_OUT".caught.* "$C_OUT.tout"
	(cd "$T_TMP" && { ulimit -c unlimited 2>/dev/null || true; } &&
		c_parent "$C_OUT.caught" "$TARGETS/$name" "$T_TMP/go" >"$C_OUT.tout" 2>&1) &
	T_PIDS="$T_PIDS $!"
	t_wait_for 20 test -s "$C_OUT.caught.pid" || t_fail "$name did not start"
	C_PID=$(cat "$C_OUT.caught.pid")
	T_PIDS="$T_PIDS $C_PID"
	t_wait_for 20 grep -q ready "$C_OUT.tout" ||
		t_fail "$name (pid $C_PID) did not say ready: $(cat "$C_OUT.tout")"
	"$WHYTOP" catch "$@" "$C_PID" >"$C_OUT.out" 2>"$C_OUT.err" &
	w=$!
	T_PIDS="$T_PIDS $w"
	t_wait_for 30 grep -q "watching process $C_PID" "$C_OUT.err" ||
		t_fail "whytop catch $* $C_PID did not start watching: $(cat "$C_OUT.err")"
	touch "$T_TMP/go"
	t_reaped "$w" 120 || t_fail "whytop catch $* $C_PID did not end: $(cat "$C_OUT.err")"
	C_WHYTOP=$T_STATUS
}

c_catch_end() {
	t_wait_for 30 test -s "$C_OUT.caught.status" ||
		t_fail "pid $C_PID did not end after whytop catch: $(t_seen_state "$C_PID")"
	C_CAUGHT=$(cat "$C_OUT.caught.status")
}

# c_json EXPR: a python expression on the JSON document d that whytop
# printed (C_OUT.out), printed.
c_json() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8", errors="strict"))
c = d.get("crash") or {}
print(eval(sys.argv[2]))
' "$C_OUT.out" "$1" || t_fail "whytop's JSON does not parse or has no $1: $(head -c 600 "$C_OUT.out")"
}

# c_is WHAT EXPR WANT: c_json EXPR is WANT, else fail naming WHAT.
c_is() {
	local got
	got=$(c_json "$2")
	[ "$got" = "$3" ] || t_fail "$1: $2 is '$got', want '$3' ($(head -c 400 "$C_OUT.out"))"
}

# c_line NAME: the line of the target's source marked CRASH_LINE.
c_line() {
	grep -n CRASH_LINE "$SRCDIR/tests/targets/$1.c" | cut -d: -f1
}

# c_same_death NAME SIG: the caught process died as the one run alone,
# whytop said the same wait status and exited with 128+SIG.
c_same_death() {
	[ "$C_CAUGHT" = "$C_PLAIN" ] ||
		t_fail "$1: wait status $C_CAUGHT under whytop catch, $C_PLAIN alone"
	echo "$1: wait status $C_CAUGHT under whytop catch and alone"
	c_is "$1" "d['wait_status']" "$C_CAUGHT"
	[ "$C_WHYTOP" = $((128 + $2)) ] ||
		t_fail "$1: whytop catch exited with $C_WHYTOP, want $((128 + $2))"
}
