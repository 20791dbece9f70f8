#!/bin/sh
# tui_run.sh PIDFILE CMD ARGS...: note this process's pid and start time in
# PIDFILE, then become CMD (whytop, in a tmux pane). tui_lib.sh's cleanup
# uses the pair to find a whytop that outlived its terminal, and never
# mistakes another process that got the same pid for it.
f=$1
shift
stat=$(cat /proc/$$/stat)
echo "$$ $(echo "${stat##*) }" | cut -d' ' -f20)" >>"$f"
exec "$@"
