#!/bin/sh
# whytop catch --hold: after the report the crashed process is left
# stopped (T) and untraced; another whytop walks it (set_field at its
# line) and reads its locals (it = NULL); it stays stopped; SIGCONT then
# lets it die exactly as it would have (same raw wait status). The same
# for a crash in a thread: every thread is left stopped and untraced.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/catch_lib.sh"
t_need_root

line=$(c_line crash_null)
c_plain crash_null
c_catch_begin crash_null --hold --json
[ "$C_WHYTOP" = 139 ] || t_fail "whytop catch --hold exited with $C_WHYTOP, want 139 (128+SIGSEGV)"
c_is hold "d['held']" True
c_is hold "c['function']" set_field
t_expect_state "$C_PID" T "after whytop catch --hold" 10
t_untraced "$C_PID" "after whytop catch --hold" 10
timeout 60 "$WHYTOP" stack "$C_PID" >"$T_TMP/stack" 2>&1 || t_fail "whytop stack on the held process: $(cat "$T_TMP/stack")"
grep -q "#0 .* set_field+0x[0-9a-f]* (crash_null) at .*crash_null.c:$line\$" "$T_TMP/stack" ||
	t_fail "whytop stack: frame 0 is not set_field at line $line: $(cat "$T_TMP/stack")"
timeout 60 "$WHYTOP" locals "$C_PID" >"$T_TMP/locals" 2>&1 || t_fail "whytop locals on the held process: $(cat "$T_TMP/locals")"
grep -q "^  it = NULL" "$T_TMP/locals" || t_fail "whytop locals: no it = NULL: $(cat "$T_TMP/locals")"
t_expect_state "$C_PID" T "after whytop stack and locals"
[ ! -s "$C_OUT.caught.status" ] || t_fail "the held process ended before SIGCONT: $(cat "$C_OUT.caught.status")"
kill -CONT "$C_PID"
c_catch_end
[ "$C_CAUGHT" = "$C_PLAIN" ] || t_fail "held then continued: wait status $C_CAUGHT, alone $C_PLAIN"

tline=$(c_line crash_thread)
c_plain crash_thread
c_catch_begin crash_thread --hold --json
[ "$C_WHYTOP" = 139 ] || t_fail "thread: whytop catch --hold exited with $C_WHYTOP, want 139"
t_expect_state "$C_PID" T "thread: after whytop catch --hold" 10
for task in /proc/"$C_PID"/task/*; do
	t_expect_state "$C_PID/task/${task##*/}" T "thread: after whytop catch --hold" 10
	t_untraced "$C_PID/task/${task##*/}" "thread: after whytop catch --hold" 10
done
timeout 60 "$WHYTOP" stack "$C_PID" >"$T_TMP/stack" 2>&1 || t_fail "whytop stack on the held process: $(cat "$T_TMP/stack")"
grep -q "#0 .* worker_store+0x[0-9a-f]* (crash_thread) at .*crash_thread.c:$tline\$" "$T_TMP/stack" ||
	t_fail "whytop stack: no thread in worker_store at line $tline: $(cat "$T_TMP/stack")"
kill -CONT "$C_PID"
c_catch_end
[ "$C_CAUGHT" = "$C_PLAIN" ] || t_fail "thread: held then continued: wait status $C_CAUGHT, alone $C_PLAIN"
echo "ok: held at its crash, inspected by another whytop, then died as it would have"
