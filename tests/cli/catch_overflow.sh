#!/bin/sh
# whytop catch on a recursion without end: SIGSEGV on the guard below the
# main thread's stack, said to be a stack overflow, in recurse() (its line
# range), with the recursion depth the walk saw (hundreds of frames of
# recurse) and the locals of the innermost frame whose variables exist
# (depth, a number); same death.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/catch_lib.sh"
t_need_root

first=$(grep -n '^int recurse' "$SRCDIR/tests/targets/crash_recurse.c" | cut -d: -f1)
last=$(c_line crash_recurse)
c_plain crash_recurse
c_catch crash_recurse --json
c_is overflow "c['signal']" SIGSEGV
c_is overflow "c['address']['kind']" "stack overflow"
c_is overflow "c['stack_overflow']" True
c_is overflow "c['address']['mapping']['path']" "[stack]"
c_is overflow "c['function']" recurse
c_is overflow "$first <= c['line'] <= $last" True
c_is overflow "c['recursion'] >= 500" True
c_is overflow "c['threads'][0]['frames'][-1]['function']" recurse
c_is overflow "c['locals']['function']" recurse
c_is overflow "[v['value'].isdigit() for v in c['locals']['vars'] if v['path'] == 'depth']" "[True]"
c_same_death crash_recurse 11
echo "ok: stack overflow caught, reported and delivered"
