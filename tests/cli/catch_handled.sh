#!/bin/sh
# A program that handles SIGSEGV itself is not a crash: whytop catch says
# "--- SIGSEGV {...} --- handled", delivers it, the program recovers,
# prints so and exits 0; whytop says it exited and exits 0. The same in
# JSON: the handled signal listed, crashed false.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/catch_lib.sh"
t_need_root

c_plain crash_handled
[ "$C_PLAIN" = 0 ] || t_fail "crash_handled alone: wait status $C_PLAIN, want 0"
c_catch crash_handled
grep -q "^\[pid $C_PID\] --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} --- handled\$" \
	"$C_OUT.out" || t_fail "no handled line: $(cat "$C_OUT.out")"
! grep -q '^crash:' "$C_OUT.out" || t_fail "a handled signal reported as a crash: $(cat "$C_OUT.out")"
grep -q "^process $C_PID exited with status 0\$" "$C_OUT.out" || t_fail "no end: $(cat "$C_OUT.out")"
grep -q recovered "$C_OUT.tout" || t_fail "the program did not recover: $(cat "$C_OUT.tout")"
[ "$C_CAUGHT" = 0 ] || t_fail "wait status $C_CAUGHT under whytop catch, want 0"
[ "$C_WHYTOP" = 0 ] || t_fail "whytop catch exited with $C_WHYTOP, want 0"

c_catch crash_handled --json
c_is handled "d['crashed']" False
c_is handled "d['crash']" None
c_is handled "[(h['signal'], h['tid']) for h in d['handled']]" "[('SIGSEGV', $C_PID)]"
c_is handled "d['exit_status']" 0
echo "ok: a handled SIGSEGV reported as handled, the program went on"
