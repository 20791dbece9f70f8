#!/bin/sh
# Four threads spin on their own local `running`: poking it in one thread
# (--thread TID) ends that thread only.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/locals_lib.sh"
t_need_root

out=$T_TMP/threads.out
t_start "$TARGETS/loc_threads" >"$out"
pid=$T_PID
four_started() { [ "$(grep -c "tid" "$out")" = 4 ]; }
t_wait_for 5 four_started || t_fail "workers did not start"
tid=$(sed -n 's/^worker 2 tid //p' "$out")
[ -n "$tid" ] || t_fail "no tid for worker 2"

"$WHYTOP" locals "$pid" --thread "$tid" >"$T_TMP/l" || t_fail "locals --thread"
grep -q "thread $tid, frame 0: worker at" "$T_TMP/l" || t_fail "frame: $(head -1 "$T_TMP/l")"
[ "$(lx_val "$T_TMP/l" id)" = 2 ] || t_fail "id of thread $tid reads $(lx_val "$T_TMP/l" id)"
"$WHYTOP" poke "$pid" --thread "$tid" running=0 >"$T_TMP/p" || t_fail "poke: $(cat "$T_TMP/p")"
grep -q "^running: 1 -> 0 (int, stack 0x.*thread $tid)" "$T_TMP/p" || t_fail "poke said: $(cat "$T_TMP/p")"
grep -q "^after: the thread exited" "$T_TMP/p" || t_fail "poke did not see the thread end: $(cat "$T_TMP/p")"
t_wait_for 5 grep -q "^worker 2 done" "$out" || t_fail "worker 2 did not finish"
sleep 0.3
[ "$(grep -c done "$out")" = 1 ] || t_fail "other workers finished too: $(grep done "$out")"
for w in 0 1 3; do
	t=$(sed -n "s/^worker $w tid //p" "$out")
	[ -d "/proc/$pid/task/$t" ] || t_fail "worker $w (thread $t) is gone"
	"$WHYTOP" locals "$pid" --thread "$t" >"$T_TMP/l$w" || t_fail "locals of worker $w"
	[ "$(lx_val "$T_TMP/l$w" running)" = 1 ] || t_fail "worker $w's running changed"
done
t_threads_left_running "$pid" "the target after locals and poke"
echo "ok: only the chosen thread's variable changed"
