#!/bin/sh
# Every backend counts exactly: a target makes known numbers of syscalls
# (some failing) from a thread it creates after whytop attached; whytop
# must report those counts, errors and errnos exactly, and the i386 calls
# (int $0x80) under i386 names. Afterwards the target runs on unharmed and
# nothing of whytop is left in the kernel.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/syscalls_lib.sh"
t_need_root

INT80=0
"$TARGETS/sc_work" --int80-probe && INT80=50

# kernel-nobtf: the raw_tp programs used on kernels without BTF
sc_cases "kernel kernel-nobtf ptrace"
for B in $CASES; do
	D=$T_TMP/$B
	BACKEND=${B%-nobtf}
	NOBTF=
	[ "$B" = kernel-nobtf ] && NOBTF=1
	sc_work_start "$D" "$INT80" "$B"

	t_start env WHYTOP_NO_BTF=$NOBTF "$WHYTOP" syscalls "$P" --backend "$BACKEND" --json \
		>"$D/json" 2>"$D/err"
	W=$T_PID
	t_wait_for 10 grep -q counting "$D/err" || t_fail "$B: whytop did not start: $(cat "$D/err")"
	IDS=$(prog_ids "$W")
	if [ $BACKEND = kernel ] && ! no_libbpf; then
		[ "$(echo $IDS | wc -w)" = 2 ] || t_fail "kernel: expected 2 programs of ours, got '$IDS'"
	fi
	mkdir "$D/go"
	t_wait_for 30 test -d "$D/worked" || t_fail "$B: the target's work did not finish"
	kill -TERM "$W"
	t_reaped "$W" 10; st=$T_STATUS
	[ "$st" = 0 ] || t_fail "$B: whytop exited with $st: $(cat "$D/err")"

	grep -q "\"backend\":\"$BACKEND\"" "$D/json" || t_fail "$B: wrong backend: $(cat "$D/json")"
	if [ "$B" = kernel-nobtf ]; then
		grep -q '"backend_name":"in-kernel (eBPF raw_tp' "$D/json" || t_fail "$B: $(cat "$D/json")"
	fi
	grep -q '"lost":0,' "$D/json" || t_fail "$B: lost events: $(cat "$D/json")"
	expect "$D/json" getppid x86_64 '1000 0 null'
	expect "$D/json" close x86_64 '300 300 "EBADF"'
	expect "$D/json" getcwd x86_64 '250 0 null'
	expect "$D/json" chdir x86_64 '125 125 "ENOENT"'
	if [ "$INT80" -gt 0 ]; then
		expect "$D/json" getpid i386 "$INT80 0 null"
		# i386 getpid is 20, which is writev on x86_64: must not show up
		expect "$D/json" writev x86_64 none
	fi

	t_wait_for 5 gone "$IDS" || t_fail "$B: whytop left counting state in the kernel ($IDS)"
	t_untraced "$P" "$B: the target after counting"
	sc_work_finish "$D" "$B"
done
exit 0
