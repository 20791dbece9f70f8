#!/bin/sh
# whytop run --catch -- CMD: the report on stderr (or -o FILE), whytop's
# exit status is the program's; its own SIGCONT is not reported as a
# handled signal; the program dies as it would have (the wait status in
# the JSON is the one of the program run alone). Without --catch, run's
# summary names the killing signal. --hold: stopped until SIGCONT. A
# program that exits is said to have exited, with its status.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/catch_lib.sh"
t_need_root

line=$(c_line crash_null)
c_plain crash_null
cd "$T_TMP" || t_fail "cannot enter $T_TMP"
ulimit -c unlimited 2>/dev/null || true
# A sanitizer build of whytop would set its (and so the program's) core limit to 0.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}disable_coredump=0"
export ASAN_OPTIONS

st=0
timeout 120 "$WHYTOP" run --catch -- "$TARGETS/crash_null" >"$T_TMP/run.out" 2>"$T_TMP/run.err" || st=$?
[ "$st" = 139 ] || t_fail "run --catch: exit $st, want 139: $(cat "$T_TMP/run.err")"
grep -q "^crash: process [0-9]*, thread [0-9]*: SIGSEGV (SEGV_MAPERR)" "$T_TMP/run.err" ||
	t_fail "run --catch: no crash line on stderr: $(cat "$T_TMP/run.err")"
grep -q "^at: .* in set_field+0x[0-9a-f]* (crash_null) at .*crash_null.c:$line\$" "$T_TMP/run.err" ||
	t_fail "run --catch: no 'at' line: $(cat "$T_TMP/run.err")"
! grep -q "handled" "$T_TMP/run.err" || t_fail "run --catch reported a handled signal: $(cat "$T_TMP/run.err")"
grep -q "^process [0-9]* killed by SIGSEGV" "$T_TMP/run.err" || t_fail "run --catch: no end line: $(cat "$T_TMP/run.err")"

st=0
timeout 120 "$WHYTOP" run --catch --json -o "$T_TMP/run.json" -- "$TARGETS/crash_null" >/dev/null 2>&1 || st=$?
[ "$st" = 139 ] || t_fail "run --catch --json: exit $st, want 139"
C_OUT=$T_TMP/run
mv "$T_TMP/run.json" "$C_OUT.out"
c_is run "d['wait_status']" "$C_PLAIN"
c_is run "c['function']" set_field

st=0
timeout 120 "$WHYTOP" run -- "$TARGETS/crash_null" >/dev/null 2>"$T_TMP/sum.err" || st=$?
[ "$st" = 139 ] || t_fail "run: exit $st, want 139"
core=""
[ $((C_PLAIN & 128)) = 0 ] || core=" (core dumped)"
grep -q "^program ended: killed by SIGSEGV$core (status 139)\$" "$T_TMP/sum.err" ||
	t_fail "run: the summary does not name the signal: $(grep 'program ended' "$T_TMP/sum.err")"

timeout 120 "$WHYTOP" run --catch --hold -o "$T_TMP/hold.out" -- "$TARGETS/crash_null" >/dev/null 2>&1 &
w=$!
T_PIDS="$T_PIDS $w"
t_wait_for 60 grep -qs "held stopped" "$T_TMP/hold.out" || t_fail "run --catch --hold: not held: $(cat "$T_TMP/hold.out")"
pid=$(sed -n 's/^crash: process \([0-9]*\),.*/\1/p' "$T_TMP/hold.out")
t_expect_state "$pid" T "run --catch --hold" 10
timeout 60 "$WHYTOP" stack "$pid" >"$T_TMP/stack" 2>&1 || t_fail "whytop stack on the held program: $(cat "$T_TMP/stack")"
grep -q "set_field" "$T_TMP/stack" || t_fail "whytop stack: no set_field: $(cat "$T_TMP/stack")"
t_alive "$w" || t_fail "run --catch --hold ended before the program did"
kill -CONT "$pid"
t_reaped "$w" 60 || t_fail "run --catch --hold did not end after SIGCONT"
[ "$T_STATUS" = 139 ] || t_fail "run --catch --hold: exit $T_STATUS, want 139"

st=0
timeout 60 "$WHYTOP" run --catch -- sh -c 'exit 3' >/dev/null 2>"$T_TMP/exit.err" || st=$?
[ "$st" = 3 ] || t_fail "run --catch of 'exit 3': exit $st, want 3"
grep -q "^process [0-9]* exited with status 3\$" "$T_TMP/exit.err" || t_fail "run --catch: no exit line: $(cat "$T_TMP/exit.err")"
! grep -q "^crash:" "$T_TMP/exit.err" || t_fail "run --catch: a crash reported for 'exit 3'"

st=0
timeout 60 "$WHYTOP" run --catch -- "$T_TMP/no-such-program" >/dev/null 2>"$T_TMP/none.err" || st=$?
[ "$st" = 1 ] || t_fail "run --catch of a missing program: exit $st, want 1: $(cat "$T_TMP/none.err")"
grep -q "cannot run .*no-such-program" "$T_TMP/none.err" || t_fail "run --catch: no reason: $(cat "$T_TMP/none.err")"
echo "ok: run --catch reports, holds and exits with the program's status; run names the signal"
