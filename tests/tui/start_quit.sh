#!/bin/sh
# start_quit.sh: whytop starts in a terminal, shows the header meters, the
# column titles and processes, and quits with q and with F10, leaving the
# terminal usable.
. "$SRCDIR/tests/tui/tui_lib.sh"

tui_sleeper "wtsq$TAG" 300
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
tui_keys /        # search scrolls it into view wherever it sorts
tui_type wtsq$TAG
tui_keys Enter
tui_wait "wtsq$TAG 300"
tui_wait_re "^ *$target .*wtsq$TAG 300" "pid $target not on its command's line" 5
tui_quit

tm kill-session -t t
tui_start -- -d 5
tui_ready
tui_keys F10
tui_wait "whytop exited with 0"

# Ctrl-Z from a shell: the shell gets a usable terminal; fg redraws everything.
tm kill-session -t t
tm new-session -d -s t -x 120 -y 40 "env -u NO_COLOR LANG=C.UTF-8 HOME=$TUI_HOME PS1='wt-prompt\$ ' bash --norc -i"
tui_wait "wt-prompt"
tui_type "'$WHYTOP' -d 5"
tui_keys Enter
tui_ready
tui_keys C-z
tui_wait "Stopped"
tui_wait_gone "Load average:"
tui_type "fg"
tui_keys Enter
tui_wait "Load average:"
tui_wait "F10Quit"
tui_keys q
tui_wait_gone "Load average:"
tui_type "echo status=\$?"
tui_keys Enter
tui_wait "status=0"
exit 0
