#!/bin/sh
# inject_tab.sh: fault injection from the Syscalls tab's log. On the opener
# (an openat of a file every 100 ms): select an openat line, `i`, pick
# ENOENT in the menu of openat's errnos, confirm: the log says INJECTING,
# its openat lines end in "(INJECTED)" and the program itself sees ENOENT;
# `i` and a confirmation stop it: the opens succeed again; after quitting,
# the program runs on untraced.
. "$SRCDIR/tests/tui/tui_lib.sh"
. "$SRCDIR/tests/cli/inject_lib.sh"

F="$T_TMP/file"
: >"$F"
inj_start "$F"
# a wide pane: the marks come after the path, which TMPDIR may make long
TUI_W=250
tui_start -- -d 5 -p "$OP" --open
tui_wait "1:Overview"
tui_tab Syscalls
tui_keys l
tui_wait "Log: "
tui_keys /
tui_type openat
tui_keys Enter
tui_wait_re 'openat\(AT_FDCWD, ".*", O_RDONLY\) += 3' "no openat line in the log"
tui_keys p
tui_wait "[PAUSED]"
tui_keys i
tui_wait "Make openat fail with"
tui_wait "EACCES" # openat's own list, not the generic one
tui_keys Enter    # ENOENT, the first
tui_wait "Inject?"
tui_keys y
tui_wait "INJECTING: openat fails with ENOENT"
tui_keys End
tui_wait_re 'openat\(AT_FDCWD, ".*", O_RDONLY\) += -1 ENOENT \(No such file or directory\) \(INJECTED\)' \
	"no injected openat in the log"
inj_wait "$T_TMP/opener" " ENOENT " 3 30 "the opener under the tab's injection"

tui_keys i
tui_wait "Stop injecting"
tui_keys y
tui_wait_gone "INJECTING"
n=$(wc -l <"$T_TMP/opener")
t_wait_for 20 sh -c '[ "$(tail -n +"$(($2 + 2))" "$1" | grep -c "^open .* ok ")" -ge 3 ]' _ \
	"$T_TMP/opener" "$n" || t_fail "the opens did not succeed again after i stopped the injection: $(tail -n 6 "$T_TMP/opener")"
tail -n +"$((n + 2))" "$T_TMP/opener" | grep "^open " | grep -v " ok " | head -n 3 >"$T_TMP/bad"
[ ! -s "$T_TMP/bad" ] || t_fail "opens still fail after i stopped the injection: $(cat "$T_TMP/bad")"
tui_keys q
tui_quit
t_left_running "$OP" "after quitting whytop"
exit 0
