#!/bin/sh
# poke_watch_held.sh: after a poke, whytop watches the thread to say whether
# it left the frame. When it cannot (here poke_held, freed by the poke, has
# its own child PTRACE_SEIZE it while it stays in the frame), it says why,
# in text and in JSON, instead of saying nothing.
. "$SRCDIR/tests/lib.sh"
t_need_root

out=$T_TMP/held.out
t_start_ready "$out" spinning "$TARGETS/poke_held"
pid=$T_PID

# A long watch: the child's seize comes within it even on a loaded machine.
"$WHYTOP" poke --watch 8000 "$pid" flag=0 >"$T_TMP/poke" 2>&1 ||
	t_fail "whytop poke failed: $(cat "$T_TMP/poke")"
t_wait_for 10 grep -q "^held by" "$out" || t_fail "poke_held did not report its tracer: $(cat "$out")"
grep -q "^held by c" "$out" || t_skip "poke_held's child could not PTRACE_SEIZE it here ($(cat "$out"))"
grep -q "^flag: 1 -> 0 (int, stack 0x" "$T_TMP/poke" || t_fail "poke said: $(cat "$T_TMP/poke")"
grep -q "^after: thread $pid could not be watched: .*already traced by [0-9]* (poke_held)" "$T_TMP/poke" ||
	t_fail "the watch did not say why it failed: $(cat "$T_TMP/poke")"
grep "^after:" "$T_TMP/poke"
t_alive "$pid" || t_fail "poke_held is gone"
kill "$pid"
t_reap "$pid" >/dev/null

# The same in JSON: "after" is null, "watch_error" says why.
t_start_ready "$out" spinning "$TARGETS/poke_held"
pid=$T_PID
"$WHYTOP" poke --json --watch 8000 "$pid" flag=0 >"$T_TMP/poke.json" 2>&1 ||
	t_fail "whytop poke --json failed: $(cat "$T_TMP/poke.json")"
t_json_check "$T_TMP/poke.json" "poke --json after a held thread" '
assert d["path"] == "flag" and d["new"] == "0", d
assert d["after"] is None, d["after"]
assert "already traced by" in d["watch_error"], d["watch_error"]' 
kill "$pid"
t_reap "$pid" >/dev/null
echo "ok: a watch that cannot follow the thread says why"
