#!/bin/sh
# tags.sh: Space tags the selected process and moves down; F8 then renices
# every tagged process and F9 sends one signal to them all (three sleepers
# the test started die together by SIGKILL). c tags a process with all its descendants (a tree
# three levels deep), U untags all, and a tagged process that exits drops
# its tag. Tagged rows carry a "* " mark, which needs no colour.
. "$SRCDIR/tests/tui/tui_lib.sh"

cp /bin/sleep "$T_TMP/wtta$TAG"
for n in 1 2 3; do
	t_start "$T_TMP/wtta$TAG" 30$n
	eval "p$n=\$T_PID"
done

# Only these three, sorted by pid: Home selects the first, Space walks down.
tui_start -- -d 5 -s pid -p "$p1,$p2,$p3"
tui_ready
for p in $p1 $p2 $p3; do
	tui_wait_row "$p"
done
tui_keys Home Space Space Space
marked() {
	tui_row "$1" | grep -qF -- "* $T_TMP/wtta$TAG"
}
for p in $p1 $p2 $p3; do
	t_wait_for "$TUI_TIMEOUT" marked "$p" || t_fail "process $p is not marked as tagged after Space: $(tui_row "$p")"
done
tui_wait "[3 tagged]"

# F8 raises the nice value of all three.
nice_of() {
	sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f17
}
for p in $p1 $p2 $p3; do
	eval "n$p=\$(nice_of $p)"
done
tui_keys F8
tui_wait "Nice raised by 1 for 3 tagged processes"
for p in $p1 $p2 $p3; do
	eval "was=\$n$p"
	[ "$(nice_of "$p")" = $((was + 1)) ] || [ "$was" = 19 ] ||
		t_fail "F8 on the tags left the nice value of $p at $(nice_of "$p") (was $was)"
done

# One F9 for the three.
tui_keys F9
tui_wait "Send signal to 3 tagged processes"
tui_keys Down Enter           # the second row: 9 SIGKILL
tui_wait "Sent SIGKILL to 3 tagged processes"
for p in $p1 $p2 $p3; do
	t_reaped "$p" 10 || t_fail "tagged process $p is still alive after F9 SIGKILL"
	[ "$T_STATUS" = 137 ] || t_fail "tagged process $p ended with status $T_STATUS, not by SIGKILL (137)"
done
tm kill-session -t t

# c on the top of a tree three levels deep: sh -> (wttc 300, sh -> wttc 301).
cp /bin/sleep "$T_TMP/wttc$TAG"
t_start sh -c "'$T_TMP/wttc$TAG' 300 & sh -c \"'$T_TMP/wttc$TAG' 301 & wait\" & wait"
top=$T_PID
t_wait_for 10 sh -c "pgrep -f '^$T_TMP/wttc$TAG 301' >/dev/null && pgrep -P $top | wc -l | grep -qx 2" ||
	t_fail "the three-level tree did not start"
kids=$(pgrep -P "$top")
mid=$(pgrep -P "$top" -x sh)
leaf=$(pgrep -f "^$T_TMP/wttc$TAG 301")
T_PIDS="$leaf $kids $T_PIDS"
all="$top $kids $leaf"

tui_start -- -d 5 -t -p "$(echo $all | tr ' ' ,)"
tui_ready
tui_wait "wttc$TAG 301"
tui_keys Home c
tui_wait "Tagged $top and its 3 descendants"
has_mark() {
	tui_row "$1" | grep -qF -- "* "
}
for p in $all; do
	t_wait_for "$TUI_TIMEOUT" has_mark "$p" || t_fail "c on $top did not tag $p (middle $mid, leaf $leaf): $(tui_row "$p")"
done
tui_keys U
tui_wait "No process is tagged now"
for p in $all; do
	has_mark "$p" && t_fail "U left process $p tagged: $(tui_row "$p")"
done

# A tagged process that exits drops its tag (its pid may come back as another).
tui_keys Home Space
t_wait_for "$TUI_TIMEOUT" has_mark "$top" || t_fail "Space did not tag $top: $(tui_row "$top")"
tui_wait "[1 tagged]"
kill "$top"
t_reaped "$top" 10 || t_fail "the tree's top $top did not end on SIGTERM"
tui_wait_gone "[1 tagged]"
tui_quit
