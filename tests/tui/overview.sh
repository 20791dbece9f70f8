#!/bin/sh
# overview.sh: Enter on a process opens its own screen on the Overview
# tab (exe, cwd, fds, context switches, status, limits); -p PID --open
# goes there directly; Esc goes back to the list.
. "$SRCDIR/tests/tui/tui_lib.sh"

mkdir -p "$T_TMP/workdir"
cp /bin/sleep "$T_TMP/wtoverview"
t_start sh -c "cd '$T_TMP/workdir' && exec '$T_TMP/wtoverview' 300"
target=$T_PID

tui_start -- -d 5 -p "$target" --open
tui_wait "PID $target "
tui_wait "1:Overview"
tui_wait "Executable"
tui_wait "$T_TMP/wtoverview"
tui_wait "Working dir"
tui_wait "$T_TMP/workdir"
tui_wait "Open fds"
tui_wait "voluntary"
tui_wait "Namespaces"
tui_wait "mnt:["
# Scroll to the end: the limits table.
tui_keys End
tui_wait "Max open files"
tui_wait_gone "Working dir"
# Kernel layout tabs arrive as spaces: nothing shows an escape.
tui_lacks '\t' || { tui_screen >&2; t_fail "an escaped tab on the Overview"; }
tui_keys Home
tui_wait "Working dir"
tui_keys Escape
tui_wait "Load average:"
tui_wait "wtoverview 300"

# From the list: Enter opens the selected process.
tui_keys Enter
tui_wait "PID $target "
tui_wait "Executable"
# The process exits while its screen is open: said so, no crash.
kill "$target"
t_reap "$target" 10 >/dev/null
tui_wait "has exited"
tui_keys q
tui_wait "Load average:"
tui_quit

# With --open, q quits (there was no list to go back to); Esc shows the list.
t_start "$T_TMP/wtoverview" 301
tm kill-session -t t
tui_start -- -d 5 -p "$T_PID" --open
tui_wait "1:Overview"
tui_keys q
tui_wait "whytop exited with 0"

# --open on a pid that does not exist: a clear error, no UI.
tm kill-session -t t
tui_start -- -p 999999999 --open
tui_wait "whytop exited with"
tui_has "no process 999999999" || { tui_screen >&2; t_fail "no error for a missing pid"; }
exit 0
