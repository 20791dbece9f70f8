#!/bin/sh
# Signals that arrive while whytop counts reach the target, each exactly
# once (ptrace re-injects them at the signal-delivery stop; the kernel
# backend never sees them), and each handler's return is counted.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/syscalls_lib.sh"
t_need_root
sc_cases "kernel ptrace"

for B in $CASES; do
	D=$T_TMP/$B
	mkdir "$D"
	t_start "$TARGETS/sc_work" "$D" 0 >"$D/out"
	P=$T_PID
	t_wait_for 10 test -d "$D/ready" || t_fail "$B: target did not start"
	t_start "$WHYTOP" syscalls "$P" --backend "$B" --json >"$D/json" 2>"$D/err"
	W=$T_PID
	t_wait_for 10 grep -q counting "$D/err" || t_fail "$B: whytop did not start: $(cat "$D/err")"
	for n in 1 2 3; do
		kill -USR1 "$P"
		# the target says it got signal n (and no more) before the next is sent
		t_wait_for 10 test -d "$D/sig$n" || t_fail "$B: signal $n never arrived"
	done
	sleep 0.1
	[ ! -d "$D/sig4" ] || t_fail "$B: a signal was delivered twice"
	kill -TERM "$W"
	t_reap "$W" 10 >"$T_TMP/st"
	[ "$(cat "$T_TMP/st")" = 0 ] || t_fail "$B: whytop failed: $(cat "$D/err")"
	expect "$D/json" rt_sigreturn x86_64 '3 0 null'
	mkdir "$D/go"
	t_wait_for 30 test -d "$D/worked" || t_fail "$B: work did not finish"
	mkdir "$D/finish"
	t_reap "$P" 20 >"$T_TMP/st"
	[ "$(cat "$T_TMP/st")" = 0 ] || t_fail "$B: target harmed: $(cat "$D/out")"
	grep -q 'sc_work: ok, 3 signals' "$D/out" || t_fail "$B: target output: $(cat "$D/out")"
done
exit 0
