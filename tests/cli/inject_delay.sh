#!/bin/sh
# inject_delay.sh: a delay slows exactly the chosen calls, as the program
# measures them. The opener opens fast.txt then slow.txt each round and
# prints how long each open took (CLOCK_MONOTONIC around the call, in the
# program). With --path '*/slow.txt' --delay-enter 1000000 (1 s), every open of
# slow.txt logged "(DELAYED)" took at least 1 s in the program, as many
# opens of slow.txt took that long as whytop logged (give or take the one
# held when whytop was stopped), and no open of
# fast.txt did. --delay-exit is checked the same way. A held thread does
# not hold the others: another thread's opens go on during a 2 s delay.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/inject_lib.sh"

FAST="$T_TMP/fast.txt" SLOW="$T_TMP/slow.txt"
: >"$FAST"
: >"$SLOW"
inj_start "$FAST" "$SLOW"
for how in --delay-enter --delay-exit; do
	start=$(wc -l <"$T_TMP/opener")
	inj_whytop "$T_TMP/log$how" "$OP" -e trace=openat --path '*/slow.txt' "$how" 1000000
	inj_wait "$T_TMP/log$how" "\(DELAYED\)$" 4 60 "whytop inject $how 1000000"
	inj_end INT "whytop inject $how"
	n=$(wc -l <"$T_TMP/opener")
	logged=$(inj_lines "$T_TMP/log$how" "^openat\(AT_FDCWD, \"$SLOW\", O_RDONLY\) += [0-9]+ \(DELAYED\)$")
	sed -n "$((start + 1)),${n}p" "$T_TMP/opener" >"$T_TMP/seen"
	slow=$(awk '$1 == "open" && $3 == 1 && $6 >= 1000000' "$T_TMP/seen" | wc -l)
	# one call may be cut short by whytop's end: held when SIGINT came
	[ "$slow" -ge 3 ] && [ "$slow" -ge $((logged - 1)) ] && [ "$slow" -le $((logged + 1)) ] ||
		t_fail "$how: whytop logged $logged delayed opens of slow.txt, the opener timed $slow at >= 1 s: $(tail -n 12 "$T_TMP/seen")"
	bad=$(awk '$1 == "open" && $3 == 0 && $6 >= 1000000' "$T_TMP/seen" | head -n 3)
	[ -z "$bad" ] || t_fail "$how on slow.txt slowed opens of fast.txt: $bad"
	inj_after_end "$n" "after whytop inject $how"
done

# A delay holds only its thread: while thread 1's open of slow.txt is held
# 2 s, the other thread's opens (every 100 ms) go on, stopping at whytop
# as usual. Held by a sleep on whytop's tracer thread, none would return.
t_start_ready "$T_TMP/opener2" "^ready" "$TARGETS/inj_opener" -t "$FAST" "$SLOW"
OP=$T_PID
inj_whytop "$T_TMP/log.t" "$OP" -e trace=openat --path '*/slow.txt' --delay-enter 2000000
inj_wait "$T_TMP/log.t" "\(DELAYED\)$" 2 60 "whytop inject --delay-enter 2 s, two threads"
inj_end INT "whytop inject --delay-enter, two threads"
awk '/^open / && $6 >= 2000000 { if (seen) { print between; exit } seen = 1; between = 0 }
	/^topen / && seen { between++ }' "$T_TMP/opener2" >"$T_TMP/between"
[ -s "$T_TMP/between" ] || t_fail "no two opens of slow.txt held 2 s: $(grep '^open' "$T_TMP/opener2" | tail -n 5)"
[ "$(cat "$T_TMP/between")" -ge 3 ] ||
	t_fail "the other thread made $(cat "$T_TMP/between") opens while one open was held 2 s, want 3 or more: $(tail -n 20 "$T_TMP/opener2")"
exit 0
