#!/bin/sh
# whytop killed with SIGKILL while counting: the target goes on running,
# untraced and unstopped; nothing keeps counting in the kernel; the next
# start works normally.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/syscalls_lib.sh"
t_need_root
sc_cases "kernel ptrace"

t_start "$TARGETS/sc_loop" getppid >"$T_TMP/loop.out"
P=$T_PID
t_wait_for 10 test -s "$T_TMP/loop.out" || t_fail "target did not start"

lines() { wc -l <"$T_TMP/loop.out"; }

for B in $CASES; do
	t_start "$WHYTOP" syscalls "$P" --backend "$B" >"$T_TMP/$B.out" 2>"$T_TMP/$B.err"
	W=$T_PID
	t_wait_for 30 grep -q counting "$T_TMP/$B.err" || t_fail "$B: whytop did not start"
	IDS=$(prog_ids "$W")
	if [ "$B" = kernel ] && ! no_libbpf; then
		[ "$(echo $IDS | wc -w)" = 2 ] || t_fail "kernel: expected our 2 programs, got '$IDS'"
	fi
	sleep 0.3
	kill -KILL "$W"
	t_reap "$W" 10 >/dev/null
	t_wait_for 5 gone "$IDS" || t_fail "$B: counting state left after SIGKILL ($IDS)"
	t_untraced "$P" "$B: the target after whytop was killed" 5
	t_expect_state "$P" RS "$B: the target after whytop was killed"
	# The target keeps making progress (it prints a line a second).
	n=$(lines)
	t_wait_for 5 sh -c "[ \$(wc -l <'$T_TMP/loop.out') -gt $n ]" || t_fail "$B: target stalled"
done

# The next start finds nothing in its way and counts normally.
"$WHYTOP" syscalls "$P" --duration 0.3 --json >"$T_TMP/next.json" 2>"$T_TMP/next.err" ||
	t_fail "next start failed: $(cat "$T_TMP/next.err")"
grep -q '"name":"getppid"' "$T_TMP/next.json" || t_fail "next start: $(cat "$T_TMP/next.json")"
# The counted process ends: whytop ends too (no --duration), and says so.
# It ends once whytop counts (not after a fixed time, which a loaded
# machine's slow start could outlast).
for B in $CASES; do
	t_start sleep 600
	S=$T_PID
	"$WHYTOP" syscalls "$S" --backend "$B" --json >"$T_TMP/end.$B.json" 2>"$T_TMP/end.$B.err" &
	E=$!
	T_PIDS="$T_PIDS $E"
	t_wait_for 20 grep -q counting "$T_TMP/end.$B.err" || t_fail "$B: whytop did not start: $(cat "$T_TMP/end.$B.err")"
	kill -TERM "$S"
	t_reaped "$E" 10 || t_fail "$B: whytop did not end with the process"
	[ "$T_STATUS" = 0 ] || t_fail "$B: $(cat "$T_TMP/end.$B.err")"
	grep -q '"ended":true' "$T_TMP/end.$B.json" || t_fail "$B: $(cat "$T_TMP/end.$B.json")"
done
exit 0
