#!/bin/sh
# columns.sh: the columns of issue 15 in the TUI, chosen in the config: a
# sleeper pinned to CPU 0 whose file was removed after it started shows
# AFFINITY 0, IO B4 (nice 0), EXE? deleted, and its command starts with
# "[deleted] ".
. "$SRCDIR/tests/tui/tui_lib.sh"
command -v taskset >/dev/null || t_skip "taskset (util-linux) is not installed"

tui_sleeper col_gone_$$ 600
pid=$T_PID
taskset -p -c 0 "$pid" >/dev/null || t_fail "taskset -p -c 0 $pid failed"
t_wait_for 10 test -e "/proc/$pid/exe" || t_fail "sleeper $pid did not start"
t_wait_for 10 sh -c "readlink /proc/$pid/exe | grep -q col_gone_$$" ||
	t_fail "sleeper $pid did not exec its copy: $(readlink "/proc/$pid/exe")"
rm "$T_TMP/col_gone_$$"
want=0
[ "$(cat /sys/devices/system/cpu/possible)" != 0 ] || want=all

cfg="$TUI_HOME/.config/whytop"
mkdir -p "$cfg"
cat >"$cfg/config" <<'CFG'
columns = pid affinity io_priority exe_state oom command
sort = pid asc
CFG
tui_start -- -p "$pid"
tui_ready
tui_wait "AFFINITY"
tui_wait_row "$pid"
row=$(tui_row "$pid")
echo "$row"
set -- $row
[ "$2 $3 $4" = "$want B4 deleted" ] || t_fail "want '$want B4 deleted' after the pid: $row"
[ "$6 $7" = "[deleted] $T_TMP/col_gone_$$" ] || t_fail "the command is not marked: $row"
tui_quit
