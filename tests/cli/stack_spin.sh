#!/bin/sh
# Eight threads busy in a CPU loop, never blocking, and main asleep: a walk
# stops every running thread, finds all nine, each worker in spin_inner
# called from spin_worker at their lines, and leaves the target untraced and
# running, with or without --consistent.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/stack_lib.sh"
t_need_root

stk_start stk_spin
pid=$STK_PID
worker=$(stk_line stk_spin.c SPIN_WORKER_LINE)

# check_walk FILE: nine threads, eight of them spinning where the source says.
check_walk() {
	local w=$1 n i block
	stk_expect "$w" "^process $pid: 9 threads," "nine threads"
	n=$(grep -c '^thread ' "$w")
	[ "$n" = 9 ] || t_fail "expected 9 thread sections, found $n"
	n=$(grep -cE ' spin_worker\+0x[0-9a-f]+ \(stk_spin\) at .*tests/targets/stk_spin\.c:'"$worker"'$' "$w")
	[ "$n" = 8 ] || { cat "$w" >&2; t_fail "expected spin_worker at line $worker in 8 threads, found $n"; }
	for i in 0 1 2 3 4 5 6 7; do
		block=$T_TMP/spin-$i.txt
		stk_thread_block "$w" "spin-$i" >"$block"
		[ -s "$block" ] || { cat "$w" >&2; t_fail "thread spin-$i missing"; }
		# Frame 0 is in the loop, its caller the thread function.
		stk_expect "$block" '^  #0 .* spin_inner\+0x[0-9a-f]+ \(stk_spin\) at .*stk_spin\.c:[0-9]+$' \
			"spin-$i caught in spin_inner"
		stk_expect "$block" "^  #1 .* spin_worker\+0x[0-9a-f]+ \(stk_spin\) at .*stk_spin\.c:$worker$" \
			"spin-$i: spin_inner called from spin_worker"
	done
	stk_thread_block "$w" stk_spin >"$T_TMP/main.txt"
	stk_expect "$T_TMP/main.txt" ' main\+0x[0-9a-f]+ \(stk_spin\) at .*stk_spin\.c:[0-9]+$' "main's thread"
}

# untraced: no thread has a tracer or sits in a ptrace stop.
untraced() {
	local t tr st
	for t in /proc/$pid/task/*; do
		tr=$(sed -n 's/^TracerPid:[[:space:]]*//p' "$t/status")
		st=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "$t/status")
		[ "$tr" = 0 ] || t_fail "thread ${t##*/} is still traced by $tr"
		case $st in t | T) t_fail "thread ${t##*/} is left stopped ($st)" ;; esac
	done
}

# spins_move: the workers' loop count grows (two beats read after the walk).
spins() {
	grep '^beat' "$STK_OUT" | tail -1 | awk '{ print $4 }'
}
spins_move() {
	local before=$1
	t_wait_for 5 sh -c "[ \$(grep '^beat' '$STK_OUT' | tail -1 | awk '{ print \$4 }') -gt $before ]" ||
		t_fail "the workers stopped spinning after the walk (spins stayed at $before)"
}

for opt in "" --consistent; do
	w=$T_TMP/walk$opt.txt
	stk_walk "$w" "$pid" $opt
	check_walk "$w"
	untraced
	s=$(spins)
	stk_runs_on "$STK_OUT"
	spins_move "${s:-0}"
	ntask=$(ls "/proc/$pid/task" | wc -l)
	[ "$ntask" = 9 ] || t_fail "the target has $ntask threads after the walk, expected 9"
done
t_alive "$pid" || t_fail "the target died"
exit 0
