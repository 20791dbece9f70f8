#!/bin/sh
# whytop catch on abort() from give_up(3): SIGABRT with SI_TKILL, sent by
# the process itself, no fault address; give_up at its line in the
# crashing thread's stack, locals of the innermost frame with debug info
# (give_up's reason = 3 when libc has none); same death.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/catch_lib.sh"
t_need_root

line=$(c_line crash_abort)
c_plain crash_abort
c_catch crash_abort --json
c_is abort "c['signal']" SIGABRT
c_is abort "c['code']" SI_TKILL
c_is abort "c['address']['kind']" none
c_is abort "c['address']['addr']" None
c_is abort "'si_pid=$C_PID' in c['siginfo']" True
c_is abort "[(f['function'], f['line']) for f in c['threads'][0]['frames'] if f['function'] == 'give_up']" \
	"[('give_up', $line)]"
c_is abort "c['locals'] is not None" True
if [ "$(c_json "c['locals']['function']")" = give_up ]; then
	c_is abort "{v['path']: v['value'] for v in c['locals']['vars']}" "{'reason': '3'}"
fi
c_same_death crash_abort 6
echo "ok: abort() caught, reported and delivered"
