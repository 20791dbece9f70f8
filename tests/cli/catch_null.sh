#!/bin/sh
# whytop catch on a NULL dereference in set_field(): SIGSEGV SEGV_MAPERR,
# the NULL page, set_field at its line, its locals (it = NULL, v = 21,
# doubled = 42); the process then dies exactly as it would have (same
# raw wait status, core dump bit included when cores are allowed), and
# whytop exits 139. Then the text form says the same in words.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/catch_lib.sh"
t_need_root

line=$(c_line crash_null)
c_plain crash_null
c_catch crash_null --json
c_is null "c['signal']" SIGSEGV
c_is null "c['code']" SEGV_MAPERR
c_is null "c['address']['kind']" "NULL page"
c_is null "c['address']['addr']" 0x8
c_is null "c['function']" set_field
c_is null "c['line']" "$line"
c_is null "c['file'].endswith('crash_null.c')" True
c_is null "c['threads'][0]['tid']" "$C_PID"
c_is null "[f['function'] for f in c['threads'][0]['frames']][:2]" "['set_field', 'main']"
c_is null "c['locals']['function']" set_field
c_is null "{v['path']: v['value'] for v in c['locals']['vars']}" \
	"{'it': 'NULL', 'v': '21', 'doubled': '42'}"
c_is null "d['crashed']" True
c_same_death crash_null 11

c_catch crash_null
grep -q "^crash: process $C_PID, thread $C_PID: SIGSEGV (SEGV_MAPERR)" "$C_OUT.out" ||
	t_fail "text: no crash line: $(cat "$C_OUT.out")"
grep -q "^--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x8} ---" "$C_OUT.out" ||
	t_fail "text: no siginfo line: $(cat "$C_OUT.out")"
grep -q "^address: 0x8: the NULL page" "$C_OUT.out" || t_fail "text: no address: $(cat "$C_OUT.out")"
grep -q "^at: 0x[0-9a-f]* in set_field+0x[0-9a-f]* (crash_null) at .*crash_null.c:$line\$" "$C_OUT.out" ||
	t_fail "text: no 'at' line: $(cat "$C_OUT.out")"
grep -q "^  it = NULL" "$C_OUT.out" || t_fail "text: no locals: $(cat "$C_OUT.out")"
grep -q "^process $C_PID killed by SIGSEGV" "$C_OUT.out" || t_fail "text: no end: $(cat "$C_OUT.out")"
[ "$C_CAUGHT" = "$C_PLAIN" ] || t_fail "text run: wait status $C_CAUGHT, alone $C_PLAIN"
echo "ok: NULL dereference caught, reported and delivered"
