#!/bin/sh
# stack_tab.sh: the Stack tab through the real TUI in tmux: threads and
# frames with file:line, the pause on screen, live samples marking frames
# that stayed the same, the source around the selected frame, a frozen
# snapshot, Enter handing the selected frame to the Locals tab, and the
# target running on afterwards (no tracer left attached).
. "$SRCDIR/tests/tui/tui_lib.sh"
. "$SRCDIR/tests/cli/stack_lib.sh"
t_need_root

stk_start stk_threads
P=$STK_PID
t_wait_for 5 grep -q ' sleep [1-9][0-9]* poll [1-9]' "$STK_OUT" || t_fail "threads did not start"
mainl=$(stk_line stk_threads.c STK_MAIN_LINE)

tui_start -- -d 5 -p "$P" --open
tui_wait "1:Overview"
tui_tab Stack
tui_wait "Thread $P stk_threads (S)"
tui_wait "stk-sleep"
tui_wait_re "#2 +main\+0x[0-9a-f]+ \(stk_threads\) stk_threads\.c:$mainl$" "main's frame with its line"
tui_wait_re "9 threads, paused [0-9]+\.[0-9]+ ms \(held <= [0-9.]+ ms\), walk [0-9.]+ ms" "the pause on screen"
# Live: a later sample marks the main thread's frames as the same as before.
tui_wait_re "same x[2-9] +#2 +main\+0x" "no 'same' mark after several samples"
tui_wait_re "Live, every 1000 ms" "live mode header"
# A blocked thread is stuck here; the spinning one moves.
tui_wait_re "^Thread [0-9]+ stk-cond \(S\)  stuck here for [0-9]+ samples?$" "no 'stuck here' on a blocked thread"
# ...and the spinning clock thread's innermost frame as changed.
# (pcs are compared: a spinning thread that got no CPU between two samples
# on a loaded machine looks the same, so allow it many samples.)
tui_wait_re "changed +#0 " "no 'changed' mark on the clock thread" 30
# Faster sampling: < lowers the interval.
tui_keys "<"
tui_wait_re "Live, every 500 ms" "interval did not change"

# Select main's frame #2 (rows: thread header, #0, #1, #2): its source shows.
tui_keys Down Down Down
tui_wait_re "^> +$mainl .*STK_MAIN_LINE" "the source line of the selected frame"
tui_wait_re "^ +$((mainl - 1)) " "the line before it"

# Frozen: the header says so and the sample count stops.
tui_keys f
tui_wait "FROZEN snapshot of"
sleep 1.5
tui_has "FROZEN snapshot of" || t_fail "left frozen mode by itself"

# Enter: the Locals tab opens on that frame.
tui_keys Enter
tui_wait_re "Thread $P, frame 2: main" "the Locals tab did not get the selected frame"
tui_wait_re "beat = [0-9]+" "main's local 'beat'"
# Both tabs did ptrace work, on one and the same tracer thread.
tui_whytop_pid
W=$TUI_WHYTOP_PID
ntr=$(cat /proc/"$W"/task/*/comm 2>/dev/null | grep -c '^whytop-tracer$')
[ "$ntr" = 1 ] || t_fail "whytop runs $ntr tracer threads, not one: $(cat /proc/"$W"/task/*/comm | tr '\n' ' ')"

tui_keys F10
tui_wait "whytop exited with 0"
# Nothing left attached, and the target runs on.
t_threads_left_running "$P" "stk_threads after whytop quit"
stk_runs_on "$STK_OUT"
grep -q STRAY "$STK_OUT" && t_fail "stray EINTR: $(grep STRAY "$STK_OUT")"
exit 0
