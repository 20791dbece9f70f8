#!/bin/sh
# whytop catch on an integer division by zero in divide(): SIGFPE
# FPE_INTDIV, the address is the instruction (in the program's code
# mapping), divide at its line with num = 7, den = 0; same death.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/catch_lib.sh"
t_need_root

line=$(c_line crash_fpe)
c_plain crash_fpe
c_catch crash_fpe --json
c_is fpe "c['signal']" SIGFPE
c_is fpe "c['code']" FPE_INTDIV
c_is fpe "c['address']['kind']" mapped
c_is fpe "c['address']['addr'] == c['pc']" True
c_is fpe "c['address']['mapping']['perms']" r-xp
c_is fpe "c['address']['mapping']['path'].endswith('/crash_fpe')" True
c_is fpe "c['function']" divide
c_is fpe "c['line']" "$line"
c_is fpe "{v['path']: v['value'] for v in c['locals']['vars'] if v['scope'] == 'param'}" \
	"{'num': '7', 'den': '0'}"
c_same_death crash_fpe 8
echo "ok: division by zero caught, reported and delivered"
