#!/bin/sh
# kill.sh: k opens the signal menu for the selected process; choosing
# SIGKILL kills the target the test started (it dies with signal 9).
# F9 then Esc sends nothing.
. "$SRCDIR/tests/tui/tui_lib.sh"

tui_sleeper "wtvictim" 300
victim=$T_PID

tui_start -- -d 5 -p "$victim"
tui_ready
tui_wait "wtvictim 300"

# F9, Esc: nothing is sent.
tui_keys F9
tui_wait "Send signal to $victim"
tui_keys Escape
tui_wait_gone "Send signal to"
t_alive "$victim" || t_fail "Esc in the signal menu killed the process"

tui_keys k
tui_wait "Send signal to $victim"
tui_wait "15 SIGTERM"
tui_keys Down Enter           # the second row: 9 SIGKILL
tui_wait "Sent SIGKILL to $victim"
t_reaped "$victim" 10 || t_fail "the target is still alive"
status=$T_STATUS
[ "$status" = 137 ] || t_fail "the target ended with status $status, not killed by SIGKILL (137)"
tui_quit
