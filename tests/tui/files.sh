#!/bin/sh
# files.sh: `l` on the process list opens the process screen on its Files
# tab: every fd of a target that holds one of each kind -- a file at a known
# offset opened O_RDWR|O_APPEND, both ends of a pipe, a TCP socket listening
# on 127.0.0.1, both ends of a TCP connection to it, a unix socket
# listening on a path, an eventfd -- each with its type, flags, offset and
# address:port / state. A file the target opens later appears without a
# key (refreshed live), its escape sequence shown escaped. `m` shows the
# memory maps with their RSS. Rows are found by content, never by fd
# number (make may pass fds of its own down to the target).
. "$SRCDIR/tests/tui/tui_lib.sh"

t_start_ready "$T_TMP/out" '^ready' "$TARGETS/files_target" "$T_TMP/held.txt" "$T_TMP/u.sock"
target=$T_PID
read -r _ lport cport <"$T_TMP/out"
[ -n "$cport" ] || t_fail "files_target printed no ports: $(cat "$T_TMP/out")"

tui_start -- -d 5 -p "$target"
tui_ready
tui_wait_row "$target"
tui_keys l
tui_wait "PID $target "
tui_wait "open files"
tui_wait_re "file +4242 +O_RDWR\|O_APPEND +$T_TMP/held\.txt$" "the file at offset 4242"
tui_wait_re "pipe +0 +O_RDONLY +pipe:\[[0-9]+\]$" "the pipe's read end"
tui_wait_re "pipe +0 +O_WRONLY +pipe:\[[0-9]+\]$" "the pipe's write end"
tui_wait_re "socket +.* tcp 127\.0\.0\.1:$lport LISTEN$" "the listening TCP socket"
tui_wait_re "socket +.* tcp 127\.0\.0\.1:$cport -> 127\.0\.0\.1:$lport ESTABLISHED$" "the connecting end"
tui_wait_re "socket +.* tcp 127\.0\.0\.1:$lport -> 127\.0\.0\.1:$cport ESTABLISHED$" "the accepted end"
tui_wait_re "socket +.* unix $T_TMP/u\.sock LISTEN$" "the unix socket"
tui_wait_re "eventfd +0 +O_RDWR\|O_NONBLOCK +anon_inode:\[eventfd\]$" "the eventfd"

# Refreshed live: a file opened now appears with no key pressed.
kill -USR1 "$target"
t_wait_for 10 grep -q '^late' "$T_TMP/out" || t_fail "files_target did not open its late file"
tui_wait "$T_TMP/held.txt\\e[7mlate"

# m: the memory maps, with the RSS of each and the total.
tui_keys m
tui_wait "memory maps,"
tui_wait_re "kB resident" "the total RSS"
tui_wait_re "rw-p +[0-9]+K +\[stack\]$" "the stack's mapping with its RSS"
tui_keys m
tui_wait "open files"
tui_keys Escape
tui_wait "Load average:"
tui_quit
exit 0
