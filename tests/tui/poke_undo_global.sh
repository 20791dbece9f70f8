#!/bin/sh
# poke_undo_global.sh: the Locals tab pokes a global in a frame that then
# returns for good (loc_reg phase: phase_one ends on SIGUSR1). u still
# undoes it (a global's place depends on no frame) and the list then shows
# the frame the thread is in now, not an empty list. Slow refreshes
# (-d 50) so that the undo comes before the tab has re-read on its own.
. "$SRCDIR/tests/tui/tui_lib.sh"
. "$SRCDIR/tests/tui/locals_lib.sh"
t_need_root

out=$T_TMP/phase.out
t_start_ready "$out" "ready" "$TARGETS/loc_reg" phase
pid=$T_PID

lt_open "$pid" 50
tui_wait "frame 0: phase_one"
tui_wait "knob = 7"
lt_poke knob 42
tui_wait "Poked knob: 7 -> 42, read back as written"

# phase_one returns: the frame the poke was made in is gone.
kill -USR1 "$pid"
t_wait_for 5 grep -q "^phase two" "$out" || t_fail "loc_reg did not leave phase_one"
tui_keys u
tui_wait "Write 7 back into knob?"
tui_keys y
tui_wait "Undid knob: 42 -> 7, read back as written"
tui_lacks "Undo failed" || t_fail "undo refused: $(tui_line 'Undo failed')"
# The list follows the thread into phase_two; it is never left empty.
tui_wait "frame 0: phase_two"
tui_wait "knob = 7"
kill -USR2 "$pid"
t_wait_for 5 grep -q "^phase knob=" "$out" || t_fail "no knob dump"
grep -q "^phase knob=7$" "$out" || t_fail "the program has $(grep '^phase knob=' "$out")"
tui_quit
echo "ok: a global's undo after its frame returned, and the list follows"
