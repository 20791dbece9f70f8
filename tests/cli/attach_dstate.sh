#!/bin/sh
# attach_dstate.sh: a single-threaded process asleep in D (a vfork parent)
# cannot be stopped. stack, locals and poke must say so at once -- that it
# sleeps uninterruptibly, and where to look (kstack) -- not "another part of
# whytop is holding it; try again" after seconds of retries. Afterwards the
# parent and its child are untraced, and the parent goes on when the child
# ends. A multi-threaded walk repeated on the same D thread keeps working.
. "$SRCDIR/tests/lib.sh"
t_need_root

t_start_vfork 600
P=$VF_PID
CHILD=$VF_CHILD

for cmd in "stack $P" "locals $P" "poke $P x=1" "stack $P --consistent" "locals $P --thread $P"; do
	start=$(date +%s%N)
	# shellcheck disable=SC2086
	"$WHYTOP" $cmd >"$T_TMP/out" 2>"$T_TMP/err"
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	msg=$(cat "$T_TMP/err")
	echo "whytop $cmd: rc $rc, $ms ms: $msg"
	[ "$rc" = 1 ] || t_fail "whytop $cmd: exit status $rc, expected 1"
	case $msg in
	*"process $P did not stop: it sleeps uninterruptibly in the kernel (state D"*"'whytop kstack $P' shows where"*) ;;
	*) t_fail "whytop $cmd: wrong reason: $msg" ;;
	esac
	case $msg in *"another part of whytop"* | *"try again"*) t_fail "whytop $cmd: $msg" ;; esac
	# Seconds of retries were the bug; a cold start on a loaded machine is well under this.
	[ "$ms" -lt 5000 ] || t_fail "whytop $cmd took $ms ms to give up"
	t_untraced "$P" "the vfork parent after whytop $cmd"
	t_untraced "$CHILD" "the vfork child after whytop $cmd"
	t_expect_state "$P" D "the vfork parent (its child lives) after whytop $cmd"
done

# The child ends: the vfork is done, the parent (which waits for the child
# and exits 0) goes on, without a stop or a signal left over from us.
kill -KILL "$CHILD"
t_reaped "$P" 10 || t_fail "the parent did not go on after its vfork child ended"
[ "$T_STATUS" = 0 ] || t_fail "the parent exited with $T_STATUS after its vfork child ended"

# Several threads, one in D (stk_vfork): repeated walks, as the Stack tab
# makes them, each report the D thread and walk the other; none is refused
# as held by whytop.
. "$SRCDIR/tests/cli/stack_lib.sh"
stk_start stk_vfork 600
pid=$STK_PID
t_expect_state "$pid" D "stk_vfork's main thread" 5
w=$T_TMP/walk.txt
"$WHYTOP" stack "$pid" --repeat 3 >"$w" 2>"$w.err" || t_fail "repeated walks failed: $(cat "$w.err")"
stk_expect "$w" "^thread $pid \"stk_vfork\" \(D\)$" "the D thread is listed"
stk_expect "$w" "did not stop in time" "the D thread's reason in the third walk"
stk_expect "$w" " stk_vfork_other\+0x" "the other thread in the third walk"
# While the walk waits out the D thread's grace, the other thread, copied
# and let go, is unwound already (attach_opts.on_idle): its frames are the
# same as when it is unwound after the hold.
"$WHYTOP" stack "$pid" --json >"$T_TMP/j" 2>"$T_TMP/j.err" || t_fail "JSON walk failed: $(cat "$T_TMP/j.err")"
grep -q '"unwound_early":1,' "$T_TMP/j" ||
	t_fail "the other thread was not unwound while the D thread was waited for: $(head -c 300 "$T_TMP/j")"
grep -q '"function":"stk_vfork_other"' "$T_TMP/j" || t_fail "the thread unwound early lost its frames: $(cat "$T_TMP/j")"
# Its vfork child (sleeping 600 s) ends now: the parent goes on.
kill -KILL $(cat "/proc/$pid/task/$pid/children") 2>/dev/null
t_wait_for 10 grep -q '^resumed' "$STK_OUT" || t_fail "stk_vfork never resumed after vfork"
stk_runs_on "$STK_OUT"
t_untraced "$pid" "stk_vfork after the walks"
exit 0
