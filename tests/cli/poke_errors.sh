#!/bin/sh
# Bad input and bad moments: a value out of range, a name that does not
# exist, a frame without debug info, a process that exits while we edit.
# Each is a clear sentence and a failure status; the target is never left
# stopped, and runs on.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/locals_lib.sh"
t_need_root

lx_start_types

# refused STATUS MESSAGE-REGEX ARGS...: whytop fails with that status and says so.
refused() {
	want=$1 re=$2
	shift 2
	"$WHYTOP" "$@" >"$T_TMP/o" 2>"$T_TMP/e"
	st=$?
	[ "$st" = "$want" ] || t_fail "whytop $* exited $st, not $want: $(cat "$T_TMP/e")"
	grep -Eq "$re" "$T_TMP/e" || t_fail "whytop $*: unclear error: $(cat "$T_TMP/e")"
	[ ! -s "$T_TMP/o" ] || t_fail "whytop $* printed on stdout: $(cat "$T_TMP/o")"
	t_threads_left_running "$pid" "the target after locals and poke"
}
refused 1 "^whytop poke: 200 is out of range for signed char \(-128 to 127\)$" poke "$pid" sc=200
refused 1 "^whytop poke: -1 is out of range for unsigned int \(0 to 4294967295\)$" poke "$pid" ui=-1
refused 1 "^whytop poke: 99999999999999999999 is out of range for long int" poke "$pid" l=99999999999999999999
refused 1 "^whytop poke: 1e39 is out of range for float" poke "$pid" f=1e39
refused 1 "^whytop poke: 'PURPLE' is not a value of enum color \(one of: RED, GREEN, BLUE, or a number\)$" poke "$pid" color=PURPLE
refused 1 "^whytop poke: 'maybe' is not a bool" poke "$pid" b=maybe
refused 1 "^whytop poke: '12abc' is not a number for int$" poke "$pid" i=12abc
refused 1 "^whytop poke: ' 1' has a space before or after it; write the value alone$" poke "$pid" "i= 1"
refused 1 "^whytop poke: '1 ' has a space before or after it; write the value alone$" poke "$pid" "i=1 "
refused 1 "^whytop poke: '\+1' is not a value for int: write it without the '\+'$" poke "$pid" "i=+1"
refused 1 "^whytop poke: '\+2.5' is not a value for double: write it without the '\+'$" poke "$pid" "d=+2.5"
refused 1 "no frame of thread $pid with debug info has a variable 'nosuch'" poke "$pid" nosuch=1
refused 1 "^whytop poke: no variable 'nosuch' is visible in frame 0 \(show_types\)" poke "$pid" --frame 0 nosuch=1
refused 1 "^whytop poke: 'cfg.nope': no member 'nope' there$" poke "$pid" cfg.nope=1
refused 1 "^whytop poke: 'arr\[5\]': index 5 is out of bounds \(the array has 5\)$" poke "$pid" "arr[5]=1"
refused 1 "^whytop poke: int \[5\] is not a scalar" poke "$pid" arr=1
refused 1 "^whytop poke: bad index in 'arr\[ 3\]'" poke "$pid" "arr[ 3]=1"
refused 1 "^whytop poke: bad index in 'arr\[\+3\]'" poke "$pid" "arr[+3]=1"
refused 1 "^whytop poke: cannot poke cfg.flags: writing bit-fields is not supported$" poke "$pid" cfg.flags=1
refused 1 "^whytop poke: the pointer in 'nocfg->limit' is NULL$" poke "$pid" "nocfg->limit=1"
refused 1 "^whytop poke: '->' on something not a pointer in 'i->x'$" poke "$pid" "i->x=1"
refused 1 "thread $pid has 5 frames; there is no frame 9$|there is no frame 9" poke "$pid" --frame 9 i=1
refused 2 "expected NAME=VALUE" poke "$pid" i
refused 1 "thread 1 is not a live thread of process $pid|no thread 1" poke "$pid" --thread 1 i=1

# Nothing above changed the program: it prints its start values still.
kill -USR1 "$pid"
t_wait_for 5 grep -q "^usr1 &g_counter=" "$out" || t_fail "loc_types stopped answering"
for n in sc ui l f d color b i cfg.limit arr[3]; do
	[ "$(lx_own "$out" usr1 "$n")" = "$(lx_own "$out" start "$n")" ] || t_fail "$n changed"
done

# A frame without debug info: the same program with its DWARF stripped.
objcopy --strip-debug "$TARGETS/loc_types" "$T_TMP/nodebug" || t_skip "objcopy failed"
t_start "$T_TMP/nodebug" >"$T_TMP/nodebug.out"
pid=$T_PID
t_wait_for 5 grep -q "^ready" "$T_TMP/nodebug.out" || t_fail "nodebug did not start"
refused 1 "^whytop locals: frame 0 \(show_types in [^ ]*nodebug\) has no debug info: nothing to show; install its debug symbols or rebuild it with -g$" locals "$pid" --frame 0
refused 1 "^whytop poke: frame 0 \(show_types in [^ ]*nodebug\) has no debug info" poke "$pid" --frame 0 go=0
refused 1 "no frame of thread $pid with debug info has a variable 'go'" poke "$pid" go=0

# A process that exits while we edit: once a poke has taken, it is told to
# end itself (SIGALRM: its handler calls _exit(3)) while we keep poking.
# (Not a timer of its own: on a loaded machine one poke may outlast it.)
# Every answer is a poke that took or a sentence saying it exited.
t_start_ready "$T_TMP/exit.out" "^ready" "$TARGETS/loc_types" 600000
pid=$T_PID
ok=0 gone=0 told=
end=$(($(date +%s) + 60))
while [ "$(date +%s)" -lt "$end" ]; do
	if "$WHYTOP" poke "$pid" --watch 0 i=5 >"$T_TMP/o" 2>"$T_TMP/e"; then
		grep -Eq "^i: -?[0-9]+ -> 5 \(int, stack 0x" "$T_TMP/o" || t_fail "odd success: $(cat "$T_TMP/o")"
		ok=$((ok + 1))
		if [ -z "$told" ]; then
			(sleep 0.1; kill -ALRM "$pid") &
			told=$!
		fi
	else
		grep -Eq "^whytop poke: (no process $pid \(it may have exited\)|process $pid (is gone \(it exited\)|has exited|is a zombie \(it has exited;)|cannot read .*: the process has exited$)" "$T_TMP/e" ||
			t_fail "unclear error while the process exited: $(cat "$T_TMP/e")"
		gone=$((gone + 1))
		t_gone "$pid" || continue
		break
	fi
done
[ -n "$told" ] && wait "$told"
[ "$ok" -ge 1 ] && [ "$gone" -ge 1 ] || t_fail "saw $ok pokes and $gone exits"
t_reaped "$pid" 10; [ "$T_STATUS" = 3 ] || t_fail "the exiting target did not exit by itself (status 3)"
echo "ok: refusals are sentences; $ok pokes then the exit was reported"
