#!/bin/sh
# -e trace=SET (strace's syntax) restricts what is counted: on an attached
# sc_work (every backend) and under whytop run (the set feeds the seccomp
# filter), the calls in the set are counted exactly and the others not at
# all. Classes (%file) once the decoder knows them: skipped, said why,
# until then.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/syscalls_lib.sh"
t_need_root

CLASSES=1
if [ "$("$TARGETS/sc_classes")" = 0 ]; then
	CLASSES=
	echo "NOTE: the decoder knows no classes yet (sysdecode_classes is 0): %file not checked" >&2
fi

sc_cases "kernel kernel-nobtf ptrace"
for B in $CASES; do
	BACKEND=${B%-nobtf}
	NOBTF=
	[ "$B" = kernel-nobtf ] && NOBTF=1
	for E in names ${CLASSES:+class}; do
		C="$B $E"
		SET=getppid,chdir
		[ $E = class ] && SET=%file
		D=$T_TMP/$B.$E
		sc_work_start "$D" 0 "$C"
		t_start env WHYTOP_NO_BTF=$NOBTF "$WHYTOP" syscalls "$P" -e "trace=$SET" \
			--backend "$BACKEND" --json >"$D/json" 2>"$D/err"
		W=$T_PID
		t_wait_for 10 grep -q counting "$D/err" || t_fail "$C: whytop did not start: $(cat "$D/err")"
		mkdir "$D/go"
		t_wait_for 30 test -d "$D/worked" || t_fail "$C: the target's work did not finish"
		kill -TERM "$W"
		t_reaped "$W" 10
		[ "$T_STATUS" = 0 ] || t_fail "$C: whytop exited with $T_STATUS: $(cat "$D/err")"
		grep -q '"lost":0,' "$D/json" || t_fail "$C: lost events: $(cat "$D/json")"
		expect "$D/json" chdir x86_64 '125 125 "ENOENT"'
		expect "$D/json" close x86_64 none
		if [ $E = names ]; then
			expect "$D/json" getppid x86_64 '1000 0 null'
			expect "$D/json" getcwd x86_64 none
			# the main thread's polling, not in the set
			expect "$D/json" nanosleep x86_64 none
			expect "$D/json" clock_nanosleep x86_64 none
		else
			expect "$D/json" getppid x86_64 none
		fi
		t_untraced "$P" "$C: the target after counting"
		sc_work_finish "$D" "$C"
	done
done

# whytop run -e trace=: only the set stops (seccomp) and is counted. The
# work runs twice (a thread, then the main thread); the program calls
# getppid once itself at its start.
for E in names ${CLASSES:+class}; do
	SET=getppid,chdir
	[ $E = class ] && SET=%file
	D=$T_TMP/run.$E
	mkdir -p "$D/go" "$D/finish"
	"$WHYTOP" run --json -o "$D/json" -e "trace=$SET" -- "$TARGETS/sc_work" "$D" 0 >"$D/out"
	st=$?
	[ "$st" = 0 ] || t_fail "run $E: whytop run exited with $st: $(cat "$D/out")"
	grep -q 'sc_work: ok' "$D/out" || t_fail "run $E: target output: $(cat "$D/out")"
	grep -q '"backend_name":"ptrace + seccomp filter"' "$D/json" || t_fail "run $E: $(cat "$D/json")"
	expect "$D/json" chdir x86_64 '250 250 "ENOENT"'
	expect "$D/json" close x86_64 none
	if [ $E = names ]; then
		expect "$D/json" getppid x86_64 '2001 0 null'
		expect "$D/json" getcwd x86_64 none
	fi
done

# strace's syntax only: a bad set is an error that says what was wrong.
"$WHYTOP" syscalls $$ -e trace=opne --duration 0 2>"$T_TMP/e1" && t_fail "trace=opne accepted"
grep -q "no syscall named 'opne'" "$T_TMP/e1" || t_fail "$(cat "$T_TMP/e1")"
"$WHYTOP" syscalls $$ -e signal=all --duration 0 2>"$T_TMP/e2" && t_fail "-e signal= accepted"
grep -q "takes trace=SET" "$T_TMP/e2" || t_fail "$(cat "$T_TMP/e2")"
# run: the same parser, before anything starts.
"$WHYTOP" run -e trace=opne -- true 2>"$T_TMP/e3" && t_fail "run -e trace=opne accepted"
grep -q "no syscall named 'opne'" "$T_TMP/e3" || t_fail "$(cat "$T_TMP/e3")"
exit 0
