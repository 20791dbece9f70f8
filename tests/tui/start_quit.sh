#!/bin/sh
# start_quit.sh: whytop starts in a terminal, shows the header meters, the
# column titles and processes, and quits with q and with F10, leaving the
# terminal usable.
. "$SRCDIR/tests/tui/tui_lib.sh"

cp /bin/sleep "$T_TMP/wtstartq"
t_start "$T_TMP/wtstartq" 300
target=$T_PID

tui_start -- -d 5
tui_ready
tui_wait "Tasks:"
tui_wait "Uptime:"
tui_wait "Mem["
tui_wait "Swp["
tui_wait "  0["
tui_wait "F10Quit"
for col in PID USER "CPU%" "MEM%" "TIME+"; do
	tui_has "$col" || t_fail "column $col is missing"
done
# A process the test started is listed, with its pid and command.
tui_keys N        # sort by pid: our process sits near the end
tui_keys End
tui_wait "wtstartq 300"
tui_line "wtstartq 300" | grep -q "^ *$target " || t_fail "pid $target not on its command's line"
tui_quit

tm kill-session -t t
tui_start -- -d 5
tui_ready
tui_keys F10
tui_wait "whytop exited with 0"
exit 0
