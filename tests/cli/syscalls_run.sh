#!/bin/sh
# whytop run: counts a program from its start, threads included, and
# exits with the program's status; with --trace only the watched calls are
# seen (the seccomp filter lets the rest run untouched).
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/syscalls_lib.sh"
t_need_root

INT80=0
"$TARGETS/sc_work" --int80-probe && INT80=50


for M in all filter; do
	B=$M
	D=$T_TMP/$M
	mkdir "$D"
	if [ $M = all ]; then
		t_start "$WHYTOP" run --json -o "$D/json" -- "$TARGETS/sc_work" "$D" "$INT80"
	else
		t_start "$WHYTOP" run --json -o "$D/json" --trace getppid,close,getpid -- \
			"$TARGETS/sc_work" "$D" "$INT80"
	fi
	W=$T_PID
	t_wait_for 10 test -d "$D/ready" || t_fail "$M: program did not start"
	mkdir "$D/go"
	t_wait_for 30 test -d "$D/worked" || t_fail "$M: work did not finish"
	mkdir "$D/finish"
	t_reap "$W" 20 >"$T_TMP/st"; st=$(cat "$T_TMP/st")
	[ "$st" = 0 ] || t_fail "$M: whytop run exited with $st"
	# The work ran twice: in a new thread, then in the main thread; the
	# program itself calls getppid and getcwd once when it starts, and
	# the dynamic loader closes a few files (successfully).
	expect "$D/json" getppid x86_64 '2001 0 null'
	[ "$INT80" -gt 0 ] && expect "$D/json" getpid i386 "$((2 * INT80)) 0 null"
	grep -q '"name":"close","abi":"x86_64","nr":3,"calls":60[0-9],"errors":600,"errno":"EBADF","errno_calls":600' \
		"$D/json" || t_fail "$M: close: $(cat "$D/json")"
	if [ $M = all ]; then
		expect "$D/json" getcwd x86_64 '501 0 null'
		expect "$D/json" chdir x86_64 '250 250 "ENOENT"'
		grep -q '"name":"execve","abi":"x86_64","nr":59,"calls":1,"errors":0,"errno":null,"errno_calls":0,"timed":1' \
			"$D/json" || t_fail "$M: execve not timed: $(cat "$D/json")"
	else
		expect "$D/json" getcwd x86_64 none
		expect "$D/json" chdir x86_64 none
	fi
	grep -q '"exit_status":0' "$D/json" || t_fail "$M: $(cat "$D/json")"
done

# The program's exit status is whytop's; a bad program name is an error.
"$WHYTOP" run -o "$T_TMP/s.txt" -- sh -c 'exit 3'
[ $? = 3 ] || t_fail "exit status not passed on"
grep -q 'program ended: status 3' "$T_TMP/s.txt" || t_fail "$(cat "$T_TMP/s.txt")"
"$WHYTOP" run -- /nonexistent/prog 2>"$T_TMP/e.txt" && t_fail "a missing program succeeded"
grep -q 'cannot run' "$T_TMP/e.txt" || t_fail "$(cat "$T_TMP/e.txt")"
"$WHYTOP" run --trace nosuchcall -- true 2>"$T_TMP/e2.txt" && t_fail "unknown syscall accepted"
grep -q 'not a syscall name' "$T_TMP/e2.txt" || t_fail "$(cat "$T_TMP/e2.txt")"
exit 0
