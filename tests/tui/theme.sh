#!/bin/sh
# theme.sh: colours come from theme files; C cycles them; --theme picks
# one; an unknown theme is reported and the default used; -C and NO_COLOR
# draw without any colour (attributes only), and D-state rows still stand
# out there.
. "$SRCDIR/tests/tui/tui_lib.sh"

ESC=$(printf '\033')
# SGR colour parameters (30-37, 40-47, 90-97, 38;5 / 48;5) in the captured screen.
has_color() {
	tui_screen -e | grep -qE "$ESC\\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|38;5|48;5)[;m]"
}

tui_start -- -d 5
tui_ready
t_wait_for 5 has_color || t_fail "the default theme shows no colours"
tui_keys C
tui_wait "Theme: high-contrast"
tui_keys C
tui_wait "Theme: light"
tui_keys C
tui_wait "Theme: mono"
tui_keys C
tui_wait "Theme: default"
tui_quit

tm kill-session -t t
tui_start -- -d 5 --theme light
tui_ready
has_color || t_fail "--theme light shows no colours"
tui_keys C
tui_wait "Theme: mono"
tui_quit

tm kill-session -t t
tui_start -- -d 5 --theme no-such-theme
tui_wait "no theme called 'no-such-theme'"
tui_wait "Load average:"
tui_quit

# A user theme from $XDG_CONFIG_HOME/whytop/themes.
mkdir -p "$TUI_HOME/.config/whytop/themes"
printf 'description = made by the test\nnormal = green on black\n' \
	>"$TUI_HOME/.config/whytop/themes/zz-test"
tm kill-session -t t
tui_start -- -d 5 --theme mono
tui_ready
tui_keys C
tui_wait "Theme: zz-test (made by the test)"
tui_quit

for how in "NO_COLOR=1 --" "-- -C"; do
	tm kill-session -t t
	# shellcheck disable=SC2086
	tui_start $how -d 5
	tui_ready
	tui_wait "F10Quit"
	if has_color; then
		tui_screen -e | cat -v | head -n 12 >&2
		t_fail "colours drawn with $how"
	fi
	# Still not a flat screen: the column titles are in reverse video.
	tui_screen -e | grep -qE "$ESC\\[([0-9;]*;)?7[;m]" || t_fail "no reverse video with $how"
	tui_keys C
	tui_wait "colours are off"
	tui_quit
done
exit 0
