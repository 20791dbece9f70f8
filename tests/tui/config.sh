#!/bin/sh
# config.sh: $XDG_CONFIG_HOME/whytop/config sets the refresh delay,
# columns, sort and theme; flags override it; a broken line is reported
# with its line number and whytop starts anyway, with the other settings.
. "$SRCDIR/tests/tui/tui_lib.sh"

cfg="$TUI_HOME/.config/whytop"
mkdir -p "$cfg"
cat >"$cfg/config" <<'CFG'
# whytop test configuration
delay = 5
columns = pid state user command
sort = pid asc
theme = mono
CFG

tui_start --
tui_ready
tui_wait "PID^"
line=$(tui_line "PID^")
echo "$line" | grep -qE '^ *PID\^ S USER +Command' || t_fail "columns from the config not used: $line"
tui_has "CPU%" && t_fail "a column the config left out is shown"
tui_quit

# Flags win over the file.
tm kill-session -t t
tui_start -- -s user
tui_ready
tui_wait "USER^"
tui_quit

# A broken line: reported with its number; the rest still applies.
cat >"$cfg/config" <<'CFG'
delay = 5
sort = pid asc
this is not a setting
columns = pid user bogus command
CFG
tm kill-session -t t
tui_start --
tui_ready
tui_wait "config line 3: expected 'key = value'; ignored"
tui_wait "+1 more"
tui_wait "PID^"
tui_has "CPU%" || t_fail "the broken columns line should leave the default columns"
# The message goes away with the next key.
tui_keys Down
tui_wait_gone "line 3:"
tui_wait "F10Quit"
tui_quit
# Every bad line is listed on the terminal once whytop has ended.
tui_wait "whytop: config line 4: unknown column 'bogus'"
