#!/bin/sh
# A stopped process stays stopped: count a SIGSTOPped target with each
# backend; afterwards it is still stopped (state T), untraced, and once
# continued it does its work correctly.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/syscalls_lib.sh"
t_need_root
CASES="kernel ptrace"
kernel_backend_ok || CASES=ptrace

D=$T_TMP/d
mkdir "$D"
t_start "$TARGETS/sc_work" "$D" 0 >"$D/out"
P=$T_PID
t_wait_for 10 test -d "$D/ready" || t_fail "target did not start"
stopped() { [ "$(t_state "$P")" = T ]; }
kill -STOP "$P"
t_wait_for 5 sh -c "[ \"\$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' /proc/$P/status)\" = T ]" ||
	t_fail "target did not stop"

for B in $CASES; do
	"$WHYTOP" syscalls "$P" --backend "$B" --duration 0.5 >"$D/$B.txt" 2>"$D/$B.err" ||
		t_fail "$B: whytop failed: $(cat "$D/$B.err")"
	# On detach the kernel wakes a task in group-stop, which stops again at
	# once (no user code runs): wait for that, briefly.
	t_wait_for 3 stopped || t_fail "$B: target no longer stopped: state $(t_state "$P")"
	grep -q '^TracerPid:[[:space:]]*0$' "/proc/$P/status" || t_fail "$B: target still traced"
	grep -q "^lost events: 0" "$D/$B.txt" || t_fail "$B: $(cat "$D/$B.txt")"
done

# Stopped while counted: ptrace must let the stop happen and keep it.
kill -CONT "$P"
t_start "$WHYTOP" syscalls "$P" --backend ptrace >"$D/p2.txt" 2>"$D/p2.err"
W=$T_PID
t_wait_for 10 grep -q counting "$D/p2.err" || t_fail "whytop did not start"
kill -STOP "$P"
t_wait_for 5 sh -c "[ \"\$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' /proc/$P/status)\" = t ] || [ \"\$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' /proc/$P/status)\" = T ]" ||
	t_fail "target did not stop under ptrace"
kill -TERM "$W"
t_reap "$W" 10 >"$T_TMP/st"; st=$(cat "$T_TMP/st")
[ "$st" = 0 ] || t_fail "whytop exited with $st: $(cat "$D/p2.err")"
t_wait_for 3 stopped || t_fail "target stopped under ptrace is not stopped after detach: $(t_state "$P")"

kill -CONT "$P"
mkdir "$D/go"
t_wait_for 30 test -d "$D/worked" || t_fail "target did not work after SIGCONT"
mkdir "$D/finish"
t_reap "$P" 20 >"$T_TMP/st"; st=$(cat "$T_TMP/st")
[ "$st" = 0 ] || t_fail "target harmed (status $st): $(cat "$D/out")"
grep -q 'sc_work: ok' "$D/out" || t_fail "target output: $(cat "$D/out")"
exit 0
