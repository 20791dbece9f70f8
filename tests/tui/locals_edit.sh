#!/bin/sh
# locals_edit.sh: the Locals tab on loc_types: a struct expands with Enter,
# a member is edited after a confirmation and the program sees the value,
# u undoes it, a value out of range and a read-only variable are refused,
# and a process that exits while the edit dialog is open is reported.
. "$SRCDIR/tests/tui/tui_lib.sh"
. "$SRCDIR/tests/tui/locals_lib.sh"
. "$SRCDIR/tests/cli/locals_lib.sh"
t_need_root

lx_start_types

lt_open "$pid"
tui_wait "frame 0: show_types"
tui_wait "i = -123456"
tui_has "color = GREEN" || t_fail "enum not by name"
tui_has "str = 0x" || t_fail "no str"

# Expand cfg and edit a member.
lt_select cfg
tui_keys Enter
tui_wait "- cfg = {limit = 7"
tui_wait "limit = 7   int  member"
lt_poke cfg.limit 99
tui_wait "Poked cfg.limit: 7 -> 99, read back as written"
tui_wait "the thread is still in the frame"
kill -USR1 "$pid"
t_wait_for 5 grep -q "^usr1 cfg.limit=" "$out" || t_fail "no usr1 dump"
[ "$(lx_own "$out" usr1 cfg.limit)" = 99 ] || t_fail "the program has cfg.limit=$(lx_own "$out" usr1 cfg.limit)"

# Undo.
tui_keys u
tui_wait "Write 7 back into cfg.limit?"
tui_keys y
tui_wait "Undid cfg.limit: 99 -> 7, read back as written"
: >"$out"
kill -USR1 "$pid"
t_wait_for 5 grep -q "^usr1 cfg.limit=" "$out" || t_fail "no second usr1 dump"
[ "$(lx_own "$out" usr1 cfg.limit)" = 7 ] || t_fail "undo: the program has cfg.limit=$(lx_own "$out" usr1 cfg.limit)"

# An enum is chosen from a menu of its names.
lt_select color
tui_keys e
tui_wait "(type a number)"
tui_has "TV_" && t_fail "wrong enum"
tui_has "BLUE" || t_fail "the menu lacks BLUE"
tui_keys Down Enter       # from GREEN (the current value) to BLUE
tui_wait "Write BLUE into color"
tui_keys y
tui_wait "Poked color: GREEN -> BLUE, read back as written"
: >"$out"
kill -USR1 "$pid"
t_wait_for 5 grep -q "^usr1 color=" "$out" || t_fail "no usr1 dump after the enum poke"
[ "$(lx_own "$out" usr1 color)" = BLUE ] || t_fail "the program has color=$(lx_own "$out" usr1 color)"

# Refusals.
lt_poke sc 200
tui_wait "Poke failed: 200 is out of range for signed char (-128 to 127)"
lt_select cfg.flags
tui_keys e
tui_wait "cfg.flags cannot be poked: a bit-field"

tui_keys Escape
tui_quit
# Checked once whytop is gone: while it runs, a refresh may hold the
# threads stopped for a moment.
t_threads_left_running "$pid" "the target after locals and poke"

# The process exits while the edit dialog is open: confirming says so.
tm kill-session -t t
# Its own exit (status 3, from its SIGALRM handler) comes when the test
# says: kill -ALRM; a timer could fire before the dialog is even open.
t_start_ready "$T_TMP/exit.out" "^ready" "$TARGETS/loc_types" 600000
pid=$T_PID
lt_open "$pid"
tui_wait "i = -123456"
lt_edit i
tui_type 5
kill -ALRM "$pid"
t_wait_gone "$pid" 10 "loc_types (it exits on SIGALRM)"
tui_keys Enter
tui_wait "Write 5 into i"
tui_keys y
tui_wait "Poke failed: "
tui_line "Poke failed: " | grep -Eq "Poke failed: .*(exited|is gone)" ||
	t_fail "unclear: $(tui_line "Poke failed: ")"
t_reaped "$pid" 5; [ "$T_STATUS" = 3 ] || t_fail "loc_types did not exit with its own status 3"
tui_keys Escape
tui_quit
echo "ok: expand, edit, undo, refusals, and a process gone during the edit"
