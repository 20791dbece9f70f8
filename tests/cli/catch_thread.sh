#!/bin/sh
# whytop catch on a segfault in a thread named "worker" (not the main
# thread), born after whytop attached (caught through TRACECLONE): the crashing thread is the worker, first in the report, in
# worker_store at its line with slot = 0x10; address 0x10 in the NULL page;
# the main thread's stack follows (waiting in pthread_join from main); same
# death for the whole process.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/catch_lib.sh"
t_need_root

line=$(c_line crash_thread)
c_plain crash_thread
c_catch crash_thread --json
c_is thread "c['signal']" SIGSEGV
c_is thread "c['tid'] != $C_PID" True
c_is thread "c['threads'][0]['tid'] == c['tid']" True
c_is thread "c['threads'][0]['name']" worker
c_is thread "c['address']['kind']" "NULL page"
c_is thread "c['function']" worker_store
c_is thread "c['line']" "$line"
c_is thread "{v['path']: v['value'] for v in c['locals']['vars']}" "{'slot': '0x10', 'v': '5'}"
c_is thread "len(c['threads'])" 2
c_is thread "c['threads'][1]['tid']" "$C_PID"
c_is thread "'main' in [f['function'] for f in c['threads'][1]['frames']]" True
c_same_death crash_thread 11
echo "ok: a crash in a thread caught, reported and delivered"
