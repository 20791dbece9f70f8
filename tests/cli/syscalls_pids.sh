#!/bin/sh
# Several processes at once (whytop syscalls P1,P2): two sc_work targets,
# each making its known numbers of calls from a thread born after whytop
# attached, are counted together, exactly (the sum of both), by every
# backend; both run on unharmed and nothing is left in the kernel.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/syscalls_lib.sh"
t_need_root

sc_cases "kernel kernel-nobtf ptrace"
for B in $CASES; do
	BACKEND=${B%-nobtf}
	NOBTF=
	[ "$B" = kernel-nobtf ] && NOBTF=1
	sc_work_start "$T_TMP/$B.1" 0 "$B"
	P1=$P
	sc_work_start "$T_TMP/$B.2" 0 "$B"
	P2=$P

	t_start env WHYTOP_NO_BTF=$NOBTF "$WHYTOP" syscalls "$P1,$P2" --backend "$BACKEND" \
		--json >"$T_TMP/$B.json" 2>"$T_TMP/$B.err"
	W=$T_PID
	t_wait_for 10 grep -q counting "$T_TMP/$B.err" || t_fail "$B: whytop did not start: $(cat "$T_TMP/$B.err")"
	IDS=$(prog_ids "$W")
	mkdir "$T_TMP/$B.1/go" "$T_TMP/$B.2/go"
	t_wait_for 30 test -d "$T_TMP/$B.1/worked" || t_fail "$B: the first target's work did not finish"
	t_wait_for 30 test -d "$T_TMP/$B.2/worked" || t_fail "$B: the second target's work did not finish"
	kill -TERM "$W"
	t_reaped "$W" 10
	[ "$T_STATUS" = 0 ] || t_fail "$B: whytop exited with $T_STATUS: $(cat "$T_TMP/$B.err")"

	J=$T_TMP/$B.json
	grep -q "\"backend\":\"$BACKEND\"" "$J" || t_fail "$B: wrong backend: $(cat "$J")"
	grep -q "\"pids\":\[$P1,$P2\],\"follow\":false" "$J" || t_fail "$B: what is counted: $(cat "$J")"
	grep -q '"lost":0,' "$J" || t_fail "$B: lost events: $(cat "$J")"
	expect "$J" getppid x86_64 '2000 0 null'
	expect "$J" close x86_64 '600 600 "EBADF"'
	expect "$J" getcwd x86_64 '500 0 null'
	expect "$J" chdir x86_64 '250 250 "ENOENT"'

	t_wait_for 5 gone "$IDS" || t_fail "$B: whytop left counting state in the kernel ($IDS)"
	for p in "$P1" "$P2"; do
		t_untraced "$p" "$B: target $p after counting"
	done
	P=$P1 sc_work_finish "$T_TMP/$B.1" "$B"
	P=$P2 sc_work_finish "$T_TMP/$B.2" "$B"
done

# A list is checked whole: a bad or repeated entry is an error, said so.
sleep 30 &
S=$!
T_PIDS="$T_PIDS $S"
"$WHYTOP" syscalls "$S,x" --duration 0 2>"$T_TMP/e1" && t_fail "'$S,x' accepted"
grep -q "'x' is not a process id" "$T_TMP/e1" || t_fail "$(cat "$T_TMP/e1")"
"$WHYTOP" syscalls "$S,$S" --duration 0 2>"$T_TMP/e2" && t_fail "'$S,$S' accepted"
grep -q "process $S is given twice" "$T_TMP/e2" || t_fail "$(cat "$T_TMP/e2")"
exit 0
