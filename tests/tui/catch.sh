#!/bin/sh
# catch.sh: X on a process's screen arms catching its crashes (X again
# disarms: the process is untraced again); when it then crashes, the
# Overview and Stack tabs show the crash report (signal and code, the NULL
# page, set_field and its locals, how it died) instead of their last
# picture, and the process dies as it would have (same raw wait status).
. "$SRCDIR/tests/tui/tui_lib.sh"
. "$SRCDIR/tests/cli/catch_lib.sh"
t_need_root

c_plain crash_null
C_OUT=$T_TMP/crash_null
rm -f "$T_TMP/go"
(cd "$T_TMP" && { ulimit -c unlimited 2>/dev/null || true; } &&
	c_parent "$C_OUT.caught" "$TARGETS/crash_null" "$T_TMP/go" >"$C_OUT.tout" 2>&1) &
T_PIDS="$T_PIDS $!"
t_wait_for 20 test -s "$C_OUT.caught.pid" || t_fail "crash_null did not start"
C_PID=$(cat "$C_OUT.caught.pid")
T_PIDS="$T_PIDS $C_PID"
t_wait_for 20 grep -q ready "$C_OUT.tout" || t_fail "crash_null did not say ready"

tui_start -- -d 5 -p "$C_PID" --open
tui_wait "1:Overview"
tui_wait "Executable"
tui_keys X
tui_wait "catching crashes"
[ "$(t_tracer "$C_PID")" != 0 ] || t_fail "X: process $C_PID is not traced"
tui_keys X
tui_wait "No longer catching"
t_untraced "$C_PID" "after X twice" 10
tui_keys X
tui_wait "catching crashes"
[ "$(t_tracer "$C_PID")" != 0 ] || t_fail "X again: process $C_PID is not traced"

touch "$T_TMP/go"
tui_wait "crash: process $C_PID, thread $C_PID: SIGSEGV (SEGV_MAPERR)" 60
tui_wait "address: 0x8: the NULL page"
tui_wait "crashed: the report is on Overview and Stack"
tui_wait "it = NULL"
tui_wait "process $C_PID killed by SIGSEGV"
tui_tab Stack
tui_wait_re "#0 +0x[0-9a-f]+ set_field\+0x[0-9a-f]+ \(crash_null\)" "the Stack tab does not show the crashing frame"
tui_wait "crash: process $C_PID, thread $C_PID: SIGSEGV (SEGV_MAPERR)"
c_catch_end
[ "$C_CAUGHT" = "$C_PLAIN" ] || t_fail "caught from the TUI: wait status $C_CAUGHT, alone $C_PLAIN"
tui_quit
exit 0
