#!/bin/sh
# tree.sh: t and F5 show children under their parent with branch marks,
# and toggle back to the flat sorted list.
. "$SRCDIR/tests/tui/tui_lib.sh"

cp /bin/sleep "$T_TMP/wtchild"
# A parent shell with two children; wait keeps the shell alive as their parent.
t_start sh -c "'$T_TMP/wtchild' 300 & '$T_TMP/wtchild' 301 & wait"
parent=$T_PID
t_wait_for 5 sh -c "pgrep -P $parent | wc -l | grep -qx 2" || t_fail "children did not start"
children=$(pgrep -P "$parent")
# Ended by the EXIT trap too: killing the shell alone would orphan them.
T_PIDS="$children $T_PIDS"

tui_start -- -d 5 -p "$parent,$(echo $children | tr ' ' ,)"
tui_ready
tui_wait "wtchild 300"
tui_line "wtchild 300" | grep -q -- '- ' && t_fail "branch marks before the tree is on"

tui_keys t
tui_wait "|- $T_TMP/wtchild"
tui_wait "\`- $T_TMP/wtchild"
# The parent comes first, its children below it.
order=$(tui_screen | sed -n '/ PID[v^]* *USER/,$p' | awk '$1 ~ /^[0-9]+$/ {print $1}' | head -n 1)
[ "$order" = "$parent" ] || t_fail "tree view starts with $order, not the parent $parent"

tui_keys F5
tui_wait_gone "\`- $T_TMP/wtchild"
tui_quit
