#!/bin/sh
# fold.sh: in the tree view - folds the selected subtree (its row shows
# how many descendants are hidden), + unfolds it, * folds every subtree and
# unfolds them all again. The tree is three levels deep: sh -> (wtfd 300,
# sh -> wtfd 301). The fold follows the pid: a re-sort keeps it.
. "$SRCDIR/tests/tui/tui_lib.sh"

cp /bin/sleep "$T_TMP/wtfd$TAG"
t_start sh -c "'$T_TMP/wtfd$TAG' 300 & sh -c \"'$T_TMP/wtfd$TAG' 301 & wait\" & wait"
top=$T_PID
t_wait_for 10 sh -c "pgrep -f '^$T_TMP/wtfd$TAG 301' >/dev/null && pgrep -P $top | wc -l | grep -qx 2" ||
	t_fail "the three-level tree did not start"
kids=$(pgrep -P "$top")
mid=$(pgrep -P "$top" -x sh)
leaf=$(pgrep -f "^$T_TMP/wtfd$TAG 301")
T_PIDS="$leaf $kids $T_PIDS"
all="$top $kids $leaf"

tui_start -- -d 5 -t -p "$(echo $all | tr ' ' ,)"
tui_ready
tui_wait "wtfd$TAG 300"
tui_wait "wtfd$TAG 301"

# The top (first row of the tree) folded: three rows hidden under it.
tui_keys Home -
tui_wait_gone "wtfd$TAG 300"
tui_wait_gone "wtfd$TAG 301"
tui_row "$top" | grep -qF "[+3]" || t_fail "the folded row does not show its 3 hidden descendants: $(tui_row "$top")"
# A re-sort (I inverts the order) keeps the fold: it belongs to the pid.
tui_keys I
tui_keys N
tui_lacks "wtfd$TAG 301" || t_fail "the fold did not survive a re-sort"
tui_keys +
tui_wait "wtfd$TAG 300"
tui_wait "wtfd$TAG 301"
tui_lacks "[+3]" || t_fail "+ left the fold count on the screen"

# The middle sh folded: only the leaf is hidden, under it. Walk down from
# the top to its row (the tree orders the top's children its own way).
tui_keys Home
n=$(tui_screen | awk -v top="$top" -v mid="$mid" '$1 == top {s = NR} $1 == mid {print NR - s; exit}')
[ -n "$n" ] || t_fail "cannot find the rows of $top and $mid"
while [ "$n" -gt 0 ]; do
	tui_keys Down
	n=$((n - 1))
done
tui_keys -
tui_wait_gone "wtfd$TAG 301"
tui_wait "wtfd$TAG 300"
tui_row "$mid" | grep -qF "[+1]" || t_fail "the folded middle sh does not show its 1 hidden descendant: $(tui_row "$mid")"
tui_keys +
tui_wait "wtfd$TAG 301"

# * folds every subtree (the top hides all three), * again unfolds them all.
tui_keys '*'
tui_wait "Every subtree folded"
tui_wait_gone "wtfd$TAG 300"
tui_row "$top" | grep -qF "[+3]" || t_fail "* did not fold the top: $(tui_row "$top")"
tui_keys '*'
tui_wait "Every subtree unfolded"
tui_wait "wtfd$TAG 301"
tui_lacks "[+" || t_fail "a fold count is left after * unfolded everything"

# Outside the tree view folding says where it works.
tui_keys t
tui_keys -
tui_wait "Folding works in the tree view"
tui_quit
