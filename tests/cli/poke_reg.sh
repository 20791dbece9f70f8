#!/bin/sh
# -O2, a loop budget in a register that changes every few hundred ns: the
# value a walk saw is stale by the time of the write, the place is not.
# poke walks the held thread again and writes if the same activation still
# has the variable in that register; it needs no luck and no retry.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/locals_lib.sh"
t_need_root

# Frame 1 (crunch; frame 0 is the helper it calls over and over), budget in
# a callee-saved register the helper never saves: live in the thread's.
out=$T_TMP/outer.out
t_start_ready "$out" ready "$TARGETS/loc_reg" outer
pid=$T_PID
# crunch's own instructions between two calls are a few of ~900: a walk
# that finds crunch as frame 0 (frame 1 is then main, without budget), or
# one that finds it in progress(), every 4M turns (frame 1 is then
# progress, whose budget argument the compiler computes), are the only
# refusals tried again; anything else fails at once.
tries=0
while :; do
	tries=$((tries + 1))
	if "$WHYTOP" poke "$pid" --frame 1 budget=0 >"$T_TMP/p" 2>&1; then
		break
	fi
	{ grep -q "no variable 'budget' is visible in frame 1 (main)" "$T_TMP/p" ||
		grep -q "cannot poke budget: computed by the compiler" "$T_TMP/p"; } && [ $tries -lt 5 ] ||
		t_fail "poke --frame 1 budget=0 (try $tries): $(cat "$T_TMP/p")"
done
grep -q "^budget: [0-9]* -> 0 (long int, register r.. of thread $pid; frame 1 crunch" "$T_TMP/p" ||
	t_fail "poke said: $(cat "$T_TMP/p")"
t_reaped "$pid" 10; [ "$T_STATUS" = 0 ] || t_fail "outer did not exit 0 after budget=0: $(cat "$out")"
grep -q "^outer done" "$out" || t_fail "outer: $(cat "$out")"

# crunch_mixed is frame 0 half the time (its own loop) and frame 1 the
# other half (in helper), at the walk and again at the write: every poke
# must find it. The next poke's old value shows the write was the one the
# loop counts down from.
out=$T_TMP/mixed.out
t_start_ready "$out" ready "$TARGETS/loc_reg" mixed
pid=$T_PID
big=1000000000000
prev=
for i in 1 2 3 4 5 6 7 8 9 10; do
	"$WHYTOP" poke "$pid" --watch 0 budget=$big >"$T_TMP/p" 2>&1 ||
		t_fail "poke $i of budget in crunch_mixed: $(cat "$T_TMP/p")"
	grep -q "^budget: [0-9]* -> $big (long int, register r.. of thread $pid; frame [01] crunch_mixed" "$T_TMP/p" ||
		t_fail "poke $i said: $(cat "$T_TMP/p")"
	old=$(sed -n 's/^budget: \([0-9]*\) -> .*/\1/p' "$T_TMP/p")
	[ -z "$prev" ] || [ "$old" -le $big ] || t_fail "poke $i found budget $old: the write before did not hold"
	[ -z "$prev" ] || [ "$old" -lt $big ] || t_fail "poke $i: budget did not count down from $big ($old)"
	prev=$old
done
"$WHYTOP" poke "$pid" budget=0 >"$T_TMP/p" 2>&1 || t_fail "poke mixed budget=0: $(cat "$T_TMP/p")"
t_reaped "$pid" 10; [ "$T_STATUS" = 0 ] || t_fail "mixed did not exit 0 after budget=0: $(cat "$out")"
grep -q "^mixed done" "$out" || t_fail "mixed: $(cat "$out")"

# Frame 0 alone: countdown keeps budget in a register and never calls out.
out=$T_TMP/reg0.out
t_start_ready "$out" ready "$TARGETS/loc_reg" reg0
pid=$T_PID
"$WHYTOP" poke "$pid" --frame 0 budget=0 >"$T_TMP/p" 2>&1 || t_fail "poke frame 0 budget=0: $(cat "$T_TMP/p")"
grep -q "^budget: [0-9]* -> 0 (long int, register r.. of thread $pid; frame 0 countdown" "$T_TMP/p" ||
	t_fail "poke said: $(cat "$T_TMP/p")"
t_reaped "$pid" 10; [ "$T_STATUS" = 0 ] || t_fail "reg0 did not exit 0 after budget=0: $(cat "$out")"
grep -q "^reg0 done" "$out" || t_fail "reg0: $(cat "$out")"
echo "ok: a register variable that changes every microsecond, poked in frame 1, frame 0 or either"
