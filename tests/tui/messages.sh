#!/bin/sh
# messages.sh: error messages quote what they were given escaped: an
# escape sequence in an option value or in a line of the configuration
# file reaches standard error as "\e", never raw. More bad config lines
# than are listed: the count of the rest is said.
. "$SRCDIR/tests/tui/tui_lib.sh"

esc=$(printf '\033')
osc=$(printf '\033]0;pwned\007')
err=$T_TMP/err

# has_raw_esc FILE: an ESC or BEL byte in FILE.
has_raw_esc() {
	LC_ALL=C grep -q "[$esc$(printf '\007')]" "$1"
}

# Bad option values (no terminal needed: they are refused first).
for bad in "-s" "--sort" "--theme" "-p" "-d" "--x"; do
	status=0
	case $bad in
	--x) "$WHYTOP" "--$osc" >/dev/null 2>"$err" </dev/null || status=$? ;;
	*) "$WHYTOP" "$bad" "$osc" >/dev/null 2>"$err" </dev/null || status=$? ;;
	esac
	[ "$status" = 2 ] || t_fail "'$bad ESC...' exited $status, want 2: $(cat "$err")"
	! has_raw_esc "$err" || t_fail "'$bad' echoed a raw escape sequence: $(od -c "$err" | head -3)"
	grep -qF '\e]0;pwned\x07' "$err" || t_fail "'$bad': the value is not shown escaped: $(cat "$err")"
done
status=0
"$WHYTOP" -- "x$osc" >/dev/null 2>"$err" </dev/null || status=$?
! has_raw_esc "$err" || t_fail "an unexpected argument was echoed raw"
status=0
"$WHYTOP" "x$osc" >/dev/null 2>"$err" </dev/null || status=$?
[ "$status" = 2 ] || t_fail "an unknown subcommand exited $status, want 2"
! has_raw_esc "$err" || t_fail "an unknown subcommand was echoed raw"
grep -qF 'x\e]0;pwned\x07' "$err" || t_fail "the unknown subcommand is not shown escaped: $(cat "$err")"

# The configuration file: an escape sequence in a line, and 11 bad lines.
cfg="$TUI_HOME/.config/whytop"
mkdir -p "$cfg"
{
	echo "delay = 5"
	echo "sort = $osc"
	echo "theme = $osc"
	echo "$osc = yes"
	i=0
	while [ $i -lt 8 ]; do
		echo "bogus$i = 1"
		i=$((i + 1))
	done
} >"$cfg/config"
TUI_ERR=$err
tui_start --
tui_ready
tui_wait "config line 2: unknown column '\e]0;pwned\x07'"
tui_wait "(+10 more"
tui_keys Down
tui_quit
! has_raw_esc "$err" || t_fail "a config line was echoed raw: $(od -c "$err" | head -5)"
grep -qF "config line 4: unknown setting '\e]0;pwned\x07'" "$err" ||
	t_fail "the bad key is not shown escaped: $(cat "$err")"
[ "$(grep -c "^whytop: config line" "$err")" = 8 ] || t_fail "not 8 lines listed: $(cat "$err")"
grep -q "^whytop: and 3 more" "$err" || t_fail "the 3 lines not listed are not counted: $(cat "$err")"
exit 0
