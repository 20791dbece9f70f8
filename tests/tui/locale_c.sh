#!/bin/sh
# locale_c.sh: under LC_ALL=C (a locale that cannot show UTF-8) a name with
# a multibyte character is shown with that character's bytes escaped
# (\xc3\xa9), and whatever follows it is still drawn: the rest of the
# command line in the list and on the Overview, the header's state and user.
. "$SRCDIR/tests/tui/tui_lib.sh"

# The tag after the character: what the old code hid.
name=$(printf 'wt\303\251')$TAG
tui_sleeper "$name" 300 7
target=$T_PID

tui_start LC_ALL=C -- -d 5 -p "$target"
tui_ready
tui_wait 'wt\xc3\xa9'"$TAG 300 7"
tui_line "$TAG" | grep -q "^ *$target " || t_fail "the escaped name is not on its pid's row"
tui_quit

tm kill-session -t t
tui_start LC_ALL=POSIX -- -d 5 -p "$target" --open
tui_wait "PID $target "
# The header goes on after the name.
tui_wait 'wt\xc3\xa9'"$TAG  state S  user "
tui_wait "Command"
tui_wait 'wt\xc3\xa9'"$TAG 300 7"
tui_keys q
tui_wait "whytop exited with 0"
exit 0
