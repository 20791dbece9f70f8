#!/bin/sh
# inject_launch.sh: whytop inject ... -- CMD starts the program under a
# seccomp filter that stops it only at the calls of the set (its
# /proc/PID/status says "Seccomp: 2"), injects from its execve on (the
# dynamic loader's own openat calls do not match --path and are not
# counted), and exits with its status: with --when 2 only the second open
# of the file fails. The program cannot run without its tracer under that
# filter (each watched call would fail with ENOSYS), so it ends with
# whytop: after SIGTERM, and after SIGKILL (PTRACE_O_EXITKILL), it is gone.
# whytop run --inject takes strace's -e inject= rules (and path=), each
# rule counting its own calls.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/inject_lib.sh"

F="$T_TMP/file"
: >"$F"
timeout 60 "$WHYTOP" inject -e trace=openat --path '*/file' --error ENOENT --when 2 -- \
	"$TARGETS/inj_opener" -n 4 "$F" >"$T_TMP/out" 2>"$T_TMP/log"
st=$?
[ "$st" = 0 ] || t_fail "whytop inject -- inj_opener -n 4: exit $st, want the program's 0: $(cat "$T_TMP/log")"
grep "^open " "$T_TMP/out" | awk '{ print $2, $5 }' >"$T_TMP/res"
printf '1 ok\n2 ENOENT\n3 ok\n4 ok\n' >"$T_TMP/want"
cmp -s "$T_TMP/res" "$T_TMP/want" ||
	t_fail "whytop inject --when 2 -- inj_opener: want only the 2nd open to fail: $(cat "$T_TMP/out")"
[ "$(inj_lines "$T_TMP/log" "^openat\(AT_FDCWD, \"$F\", O_RDONLY\) += -1 ENOENT \(No such file or directory\) \(INJECTED\)$")" = 1 ] ||
	t_fail "whytop's log does not show one injected open: $(cat "$T_TMP/log")"
grep -q "seccomp filter" "$T_TMP/log" || t_fail "the header does not name the seccomp filter: $(head -n 1 "$T_TMP/log")"

# whytop run --inject, strace's spelling (and whytop's path=), two rules each counting its own calls
timeout 60 "$WHYTOP" run --inject 'openat:error=ENOENT:when=2:path=*/file' \
	--inject 'openat:retval=42:when=1:path=*/other' -- "$TARGETS/inj_opener" -n 3 "$F" "$T_TMP/other" \
	>"$T_TMP/out.run" 2>"$T_TMP/log.run"
st=$?
[ "$st" = 0 ] || t_fail "whytop run --inject -- inj_opener: exit $st, want 0: $(cat "$T_TMP/log.run")"
grep "^open " "$T_TMP/out.run" | awk '{ r = $5; if ($4 == "fd=42") r = "42"; print $2, $3, r }' >"$T_TMP/res"
printf '1 0 ok\n1 1 42\n2 0 ENOENT\n2 1 ENOENT\n3 0 ok\n3 1 ENOENT\n' >"$T_TMP/want"
cmp -s "$T_TMP/res" "$T_TMP/want" ||
	t_fail "whytop run --inject: want $(cat "$T_TMP/want"), got: $(cat "$T_TMP/out.run")"

for sig in TERM KILL; do
	t_start "$WHYTOP" inject -e trace=openat --path "*/file" --error EACCES -- "$TARGETS/inj_opener" "$F" \
		>"$T_TMP/out.$sig" 2>"$T_TMP/log.$sig"
	WT=$T_PID
	t_wait_for 20 grep -q "^ready" "$T_TMP/out.$sig" ||
		t_fail "inj_opener under whytop inject did not start: $(cat "$T_TMP/log.$sig")"
	prog=$(sed -n 's/^ready //p' "$T_TMP/out.$sig")
	T_PIDS="$T_PIDS $prog"
	grep -q "^Seccomp:[[:space:]]*2" "/proc/$prog/status" ||
		t_fail "the program has no seccomp filter: $(grep Seccomp "/proc/$prog/status")"
	inj_wait "$T_TMP/out.$sig" " EACCES " 2 30 "inj_opener under whytop inject --error EACCES"
	kill "-$sig" "$WT"
	t_reaped "$WT" 20 || t_fail "whytop did not end within 20 s of SIG$sig"
	t_wait_gone "$prog" 20 "the program started by whytop inject after SIG$sig of whytop"
done
exit 0
