#!/bin/sh
# setup.sh: the setup screen (F2) and the configuration written on quit.
# In F2: add a column, remove one, move one, turn on a display option
# (the program's base name) and add a meter (pressure stall, I/O); quit;
# the file holds them, its comment and the line whytop does not know are
# still there, in place; started again, whytop shows them. A flag given for
# one run is not written back, nothing is written when nothing changed, a
# new process's row and a dead one's are drawn in their own colours, and a
# config directory that cannot be written gives a message, not a crash.
. "$SRCDIR/tests/tui/tui_lib.sh"

cfg="$TUI_HOME/.config/whytop"
mkdir -p "$cfg"
cat >"$cfg/config" <<'CFG'
# my whytop settings: keep this comment
frobnicate = 1
delay = 5
CFG
tui_sleeper "slp$TAG" 600
slp=$T_PID

# panel_line TEXT: the screen line (1-based) of the setup panel's item
# ending in TEXT (the panel's items are "[x] TITLE name" lines).
panel_line() {
	tui_screen | grep -n -E " (\\[[^]]*\\]|\\([ *]\\)) .* $1\$" | head -n 1 | cut -d: -f1
}

# pick NAME: select the item NAME of the section shown (the selection is
# on the first item when a section is entered): Down as many times as
# the item is below the first one.
pick() {
	local want first n
	want=$(panel_line "$1")
	[ -n "$want" ] || { tui_screen >&2; t_fail "no item '$1' in the setup panel"; }
	first=$(tui_screen | grep -n -E "^ Meters  " | cut -d: -f1)
	n=$((want - first))
	while [ $n -gt 0 ]; do
		tui_keys Down
		n=$((n - 1))
	done
}

# section N NAME: Tab back to the sections, Home, Down N times, Tab into the items.
section() {
	tui_keys Left Home
	local n=$1
	while [ "$n" -gt 0 ]; do
		tui_keys Down
		n=$((n - 1))
	done
	tui_keys Right
	tui_wait "$2"
}

tui_start -- -s pid -p "$slp"
tui_ready
tui_wait_row "$slp"
# The command starts with the program's path (however deep: it may be cut).
tui_row "$slp" | grep -q " /" || t_fail "the command does not show its path before the change: $(tui_row "$slp")"
tui_keys F2
tui_wait "Setup: changes apply now"

# Meters: psi_io into the left column (one Space: off -> left).
section 0 "Pressure stall: I/O"
pick psi_io
tui_keys Space
tui_wait "[left ] Pressure stall: I/O"
# The header behind shows it at once: the averages, or that the kernel has none.
if [ -r /proc/pressure/io ]; then
	tui_wait "PSI io: some "
else
	tui_wait "PSI io: /proc/pressure/io is missing"
fi

# Columns: add ppid, remove nice, move time up (before mem).
section 1 "[x] NI         nice"
pick ppid
tui_keys Space
tui_wait "[x] PPID       ppid"
tui_keys Home
pick nice
tui_keys F9                     # htop's Remove
tui_wait "[ ] NI         nice"
tui_keys Home
pick time
tui_keys F7
tui_wait_re "PID\\^? USER +PRI +VIRT +RES S +CPU%v? +TIME\\+ +MEM% +PPID Command" "the list's columns after the changes"

# Display options: the program's base name.
section 2 "Show the program's base name"
tui_keys Down Down Down Down
tui_keys Space
tui_wait "[x] Show the program's base name"
tui_keys Escape
tui_wait_gone "Setup: changes apply now"
tui_wait_re "^ *$slp .* slp$TAG 600\$" "the base name after the change"
tui_row "$slp" | grep -q "/" && t_fail "a path is still shown: $(tui_row "$slp")"
tui_quit

# The file: its own lines first, unchanged and in place, then the changes.
sed -n 1p "$cfg/config" | grep -qx "# my whytop settings: keep this comment" || t_fail "the comment moved or is gone: $(cat "$cfg/config")"
sed -n 2p "$cfg/config" | grep -qx "frobnicate = 1" || t_fail "the unknown line moved or is gone: $(cat "$cfg/config")"
sed -n 3p "$cfg/config" | grep -qx "delay = 5" || t_fail "an unchanged setting was rewritten: $(cat "$cfg/config")"
grep -qx "columns = pid user priority virt rss state cpu time mem ppid command" "$cfg/config" || t_fail "columns not saved: $(cat "$cfg/config")"
grep -qx "meters_left = cpus mem swap psi_io" "$cfg/config" || t_fail "meters not saved: $(cat "$cfg/config")"
grep -qx "show_basename = yes" "$cfg/config" || t_fail "the display option not saved: $(cat "$cfg/config")"
grep -q "^sort" "$cfg/config" && t_fail "-s pid, given for one run, was written: $(cat "$cfg/config")"
ls -A "$cfg" | grep -v '^config$' | grep -q . && t_fail "a temporary file was left: $(ls -A "$cfg")"

# Started again: all there.
tm kill-session -t t
tui_start -- -p "$slp"
tui_ready
tui_wait "PSI io: "
tui_wait_re "PID\\^? USER +PRI +VIRT +RES S +CPU%v? +TIME\\+ +MEM% +PPID Command" "the saved columns"
tui_wait_re "^ *$slp .* slp$TAG 600\$" "the saved base name option"

# Nothing changed (a flag for one run is not a change): the file is not rewritten.
tui_quit
tm kill-session -t t
ino=$(stat -c %i "$cfg/config")
sum=$(cksum <"$cfg/config")
tui_start -- -d 7 -s user
tui_ready
tui_keys Down
tui_quit
[ "$(stat -c %i "$cfg/config")" = "$ino" ] && [ "$(cksum <"$cfg/config")" = "$sum" ] ||
	t_fail "the file was written though nothing changed in the UI"

# A flag for one run and a change in the UI: only the change is written.
tm kill-session -t t
tui_start -- -d 7
tui_ready
tui_keys K
tui_wait "Hiding kernel threads"
tui_quit
grep -qx "delay = 5" "$cfg/config" || t_fail "-d 7 for one run replaced the file's delay: $(cat "$cfg/config")"
grep -qx "hide_kthreads = yes" "$cfg/config" || t_fail "K was not saved: $(cat "$cfg/config")"

# --no-save: a change, and nothing written.
tm kill-session -t t
sum=$(cksum <"$cfg/config")
tui_start -- --no-save
tui_ready
tui_keys K
tui_wait "Showing kernel threads"
tui_quit
[ "$(cksum <"$cfg/config")" = "$sum" ] || t_fail "--no-save wrote the file"

# Highlighting: a theme where only new and dying rows have an attribute.
ESC=$(printf '\033')
mkdir -p "$cfg/themes"
printf 'new_task = underline\ndying_task = bold\n' >"$cfg/themes/wthl"
printf 'highlight_changes = yes\n' >>"$cfg/config"
# sgr_row PID CODE: the row of PID starts with an SGR sequence holding CODE.
sgr_row() {
	tui_screen -e | grep -E "^($ESC\\[[0-9;]*m)* *$1 " | head -n 1 |
		grep -oE "^($ESC\\[[0-9;]*m)*" | grep -qE "$ESC\\[([0-9]*;)*$2[;m]"
}
tm kill-session -t t
# Three seconds a refresh: a new row keeps its colour three refreshes, a
# dead one stays two: long enough to be seen by polling on a loaded machine.
tui_sleeper "slp${TAG}old" 600
old=$T_PID
tui_start -- --theme wthl -d 30 -s pid
tui_ready
# Only this test's processes: two old sleepers, the first row selected
# (a selected row has its own look): the other one is drawn as old.
tui_keys F4
tui_type "slp$TAG"
tui_keys Enter
tui_wait_row "$slp"
tui_wait_row "$old"
unsel=$old
[ "$(tui_screen | grep -nE "^ *$slp " | cut -d: -f1)" -gt "$(tui_screen | grep -nE "^ *$old " | cut -d: -f1)" ] && unsel=$slp
cp /bin/sleep "$T_TMP/slp${TAG}new"
t_start "$T_TMP/slp${TAG}new" 600
new=$T_PID
tui_wait_row "$new"
t_wait_for 10 sgr_row "$new" 4 || t_fail "the new process's row is not drawn as new: $(tui_screen -e | grep -E " $new " | cat -v)"
sgr_row "$unsel" 4 && t_fail "an old process's row is drawn as new: $(tui_screen -e | grep -E " $unsel " | cat -v)"
kill "$new"
t_reaped "$new" || t_fail "sleep $new did not end"
# It is gone, and its row stays a while, as dying.
t_wait_for 10 sgr_row "$new" 1 || t_fail "the dead process's row is not drawn as dying: $(tui_screen -e | cat -v | head -n 20)"
tui_wait_gone " $new " 15
tui_quit

# A directory that cannot be written: a message with the path, no crash,
# the file as it was.
tm kill-session -t t
sum=$(cksum <"$cfg/config")
if [ "$(id -u)" != 0 ]; then
	chmod a-w "$cfg"
	wrap=$WHYTOP
elif unshare -m true 2>/dev/null; then
	# Root writes anywhere: a read-only bind mount, in a mount namespace of its own.
	cat >"$T_TMP/ro_whytop" <<EOF2
#!/bin/sh
exec unshare -m sh -c 'mount --bind -o ro "\$0" "\$0" && exec "\$@"' "$cfg" "$WHYTOP" "\$@"
EOF2
	chmod +x "$T_TMP/ro_whytop"
	wrap="$T_TMP/ro_whytop"
else
	t_skip "cannot make a read-only directory (root, and no mount namespace: unshare -m failed)"
fi
old=$WHYTOP
WHYTOP=$wrap
TUI_ERR="$T_TMP/err"
tui_start -- -d 5
WHYTOP=$old
TUI_ERR=
tui_ready
tui_keys t
tui_quit
chmod u+w "$cfg"
grep -q "whytop: cannot save the settings to $cfg/config: " "$T_TMP/err" ||
	t_fail "no message about the failed save: $(cat "$T_TMP/err")"
[ "$(cksum <"$cfg/config")" = "$sum" ] || t_fail "the file changed though the save failed"
ls -A "$cfg" | grep -q '^\.config\.' && t_fail "a temporary file was left: $(ls -A "$cfg")"
exit 0
