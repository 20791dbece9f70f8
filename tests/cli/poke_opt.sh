#!/bin/sh
# -O2: a variable in a register of frame 0 (written through the register
# set), one in a callee-saved register of an outer frame (written at the
# slot where the callee saved it, or in the live register when no callee
# saved it), a computed value and a flag the compiler kept no copy of
# (refused, saying so), and the frames of an inlined call.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/locals_lib.sh"
t_need_root

# Frame 0, register.
out=$T_TMP/reg0.out
t_start_ready "$out" ready "$TARGETS/loc_opt" reg0
pid=$T_PID
"$WHYTOP" locals "$pid" --no-globals >"$T_TMP/l" || t_fail "locals reg0"
grep -q "frame 0: spin at" "$T_TMP/l" || t_fail "frame 0 is not spin: $(head -1 "$T_TMP/l")"
[ "$(lx_val "$T_TMP/l" run)" = 2 ] || t_fail "run reads $(lx_val "$T_TMP/l" run), not argc 2"
lx_info "$T_TMP/l" run | grep -q "^int; param; register r" || t_fail "run: $(lx_info "$T_TMP/l" run)"
"$WHYTOP" poke "$pid" run=0 >"$T_TMP/p" || t_fail "poke run: $(cat "$T_TMP/p")"
grep -q "^run: 2 -> 0 (int, register r.. of thread $pid" "$T_TMP/p" || t_fail "poke run said: $(cat "$T_TMP/p")"
# run has one place in spin: no warning about other copies.
! grep -q "^note:" "$T_TMP/p" || t_fail "a note for a variable with one place: $(cat "$T_TMP/p")"
t_reaped "$pid" 10; [ "$T_STATUS" = 0 ] || t_fail "reg0 did not exit 0"
grep -q "^reg0 done [1-9]" "$out" || t_fail "reg0: $(cat "$out")"

# The same on a stopped (T) process: the register is written, it stays stopped,
# and it ends its loop when continued.
out=$T_TMP/reg0s.out
t_start_ready "$out" ready "$TARGETS/loc_opt" reg0
pid=$T_PID
t_stop "$pid" "loc_opt reg0"
"$WHYTOP" poke "$pid" run=0 >"$T_TMP/p" || t_fail "poke run (stopped): $(cat "$T_TMP/p")"
grep -q "^run: 2 -> 0 (int, register r.. of thread $pid" "$T_TMP/p" || t_fail "poke said: $(cat "$T_TMP/p")"
grep -q "^after: the process is stopped (T) and stays so" "$T_TMP/p" || t_fail "after: $(cat "$T_TMP/p")"
sleep 0.2
t_expect_state "$pid" T "the stopped loc_opt after poke"
kill -CONT "$pid"
t_wait_gone "$pid" 10 "loc_opt after SIGCONT"
grep -q "^reg0 done [1-9]" "$out" || t_fail "reg0 (stopped): $(cat "$out")"

# Outer frame, callee-saved register saved by inner().
out=$T_TMP/outer.out
t_start_ready "$out" ready "$TARGETS/loc_opt" outer
pid=$T_PID
"$WHYTOP" locals "$pid" --function outer --no-globals >"$T_TMP/l" || t_fail "locals outer"
grep -q "frame [1-9]: outer at" "$T_TMP/l" || t_fail "outer is not an outer frame: $(head -1 "$T_TMP/l")"
[ "$(lx_val "$T_TMP/l" keep)" = 2 ] || t_fail "keep reads $(lx_val "$T_TMP/l" keep)"
lx_info "$T_TMP/l" keep | grep -q "^long int; param; r.. saved at 0x" || t_fail "keep: $(lx_info "$T_TMP/l" keep)"
"$WHYTOP" poke "$pid" --function outer keep=0 >"$T_TMP/p" || t_fail "poke keep: $(cat "$T_TMP/p")"
grep -q "^keep: 2 -> 0 (long int, r.. of frame [1-9], saved at 0x" "$T_TMP/p" || t_fail "poke keep said: $(cat "$T_TMP/p")"
# outer's loop test reads keep through another register: say so.
grep -q "^note: optimized code: elsewhere in the function keep lives in r..; a copy there may overwrite or ignore this write" "$T_TMP/p" ||
	t_fail "no note about keep's other copy: $(cat "$T_TMP/p")"
t_reaped "$pid" 10; [ "$T_STATUS" = 0 ] || t_fail "outer did not exit 0"
grep -q "^outer done" "$out" || t_fail "outer: $(cat "$out")"

# Outer frame, callee-saved register that no callee saved: still live in the
# thread's register, written through its register set.
out=$T_TMP/live.out
t_start_ready "$out" ready "$TARGETS/loc_opt" live
pid=$T_PID
"$WHYTOP" locals "$pid" --function outer_live --no-globals >"$T_TMP/l" || t_fail "locals outer_live"
grep -q "frame [1-9]: outer_live at" "$T_TMP/l" || t_fail "outer_live is not an outer frame: $(head -1 "$T_TMP/l")"
[ "$(lx_val "$T_TMP/l" keep)" = 2 ] || t_fail "keep reads $(lx_val "$T_TMP/l" keep)"
lx_info "$T_TMP/l" keep | grep -q "^long int; param; register r.." || t_fail "keep: $(lx_info "$T_TMP/l" keep)"
"$WHYTOP" poke "$pid" --function outer_live keep=0 >"$T_TMP/p" || t_fail "poke live keep: $(cat "$T_TMP/p")"
grep -q "^keep: 2 -> 0 (long int, register r.. of thread $pid; frame [1-9] outer_live" "$T_TMP/p" ||
	t_fail "poke live keep said: $(cat "$T_TMP/p")"
t_reaped "$pid" 10; [ "$T_STATUS" = 0 ] || t_fail "live did not exit 0"
grep -q "^live done" "$out" || t_fail "live: $(cat "$out")"

# A value the compiler computes (DW_OP_stack_value) is shown, never written.
out=$T_TMP/outer2.out
t_start_ready "$out" ready "$TARGETS/loc_opt" outer
pid=$T_PID
"$WHYTOP" locals "$pid" --function inner --no-globals >"$T_TMP/l" || t_fail "locals inner"
computed=$(awk -F'\t' '$2 ~ /; computed; read-only; computed by the compiler/ { sub(/^ +/, "", $1); sub(/ = .*/, "", $1); print $1; exit }' "$T_TMP/l")
[ -n "$computed" ] || t_fail "no computed variable in inner: $(cat "$T_TMP/l")"
if "$WHYTOP" poke "$pid" --function inner "$computed=1" >"$T_TMP/p" 2>&1; then
	t_fail "poke of computed $computed succeeded"
fi
grep -q "^whytop poke: cannot poke $computed: computed by the compiler (DW_OP_stack_value): no place to write" "$T_TMP/p" ||
	t_fail "refusal: $(cat "$T_TMP/p")"
kill "$pid"
t_reap "$pid" 5 >/dev/null

# A struct split across registers (DW_OP_piece): its parts are read, never written.
out=$T_TMP/pieces.out
t_start_ready "$out" ready "$TARGETS/loc_opt" pieces
pid=$T_PID
"$WHYTOP" locals "$pid" --no-globals --expand p >"$T_TMP/l" || t_fail "locals pieces"
[ "$(lx_val "$T_TMP/l" p)" = "{a = 2, b = 4}" ] || t_fail "p reads $(lx_val "$T_TMP/l" p)"
[ "$(lx_val "$T_TMP/l" p.b)" = 4 ] || t_fail "p.b reads $(lx_val "$T_TMP/l" p.b)"
lx_info "$T_TMP/l" p | grep -q "^struct pair; local; computed; read-only; split across registers and memory (DW_OP_piece)" ||
	t_fail "p: $(lx_info "$T_TMP/l" p)"
if "$WHYTOP" poke "$pid" p.a=0 >"$T_TMP/p" 2>&1; then
	t_fail "poke of a piece succeeded"
fi
grep -q "^whytop poke: cannot poke p.a: split across registers and memory (DW_OP_piece): shown read-only$" "$T_TMP/p" ||
	t_fail "refusal: $(cat "$T_TMP/p")"
t_threads_left_running "$pid" "the target after locals and poke"
kill "$pid"
t_reap "$pid" 5 >/dev/null

# An inlined call: frame 0 is the inline frame with its own parameter; frame 1
# is the function it was inlined into, at the line of the call.
out=$T_TMP/inline.out
t_start_ready "$out" ready "$TARGETS/loc_opt" inline
pid=$T_PID
"$WHYTOP" stack "$pid" >"$T_TMP/s" || t_fail "stack inline"
grep -q "#0 .* inl_spin+.* \[inline\]" "$T_TMP/s" || t_fail "frame 0 is not the inline inl_spin: $(cat "$T_TMP/s")"
# The line of the call, as the stack names it (file name and line).
call=$(sed -n 's/.*#1 .* with_inline+.* at [^ ]*\/\([^/ ]*:[0-9]*\).*/\1/p' "$T_TMP/s")
[ -n "$call" ] || t_fail "no call line for with_inline: $(cat "$T_TMP/s")"
"$WHYTOP" locals "$pid" --frame 0 --no-globals >"$T_TMP/l0" || t_fail "locals frame 0"
"$WHYTOP" locals "$pid" --frame 1 --no-globals >"$T_TMP/l1" || t_fail "locals frame 1"
grep -q "frame 0: inl_spin at" "$T_TMP/l0" || t_fail "frame 0: $(head -1 "$T_TMP/l0")"
grep -q "frame 1: with_inline at [^ ]*/$call " "$T_TMP/l1" || t_fail "frame 1 is not with_inline at $call: $(head -1 "$T_TMP/l1")"
[ "$(lx_val "$T_TMP/l0" limit_inl)" = 2 ] || t_fail "limit_inl reads $(lx_val "$T_TMP/l0" limit_inl)"
[ "$(lx_val "$T_TMP/l1" arg)" = 2 ] || t_fail "arg reads $(lx_val "$T_TMP/l1" arg)"
[ -z "$(lx_val "$T_TMP/l1" limit_inl)" ] || t_fail "frame 1 shows the inlined call's parameter"
# with_inline's r gets its value only after the call: no location covers this pc.
[ "$(lx_val "$T_TMP/l1" r)" = "<not live here>" ] || t_fail "r: $(lx_val "$T_TMP/l1" r)"
if "$WHYTOP" poke "$pid" --frame 1 r=1 >"$T_TMP/p" 2>&1; then
	t_fail "poke of a variable not live here succeeded"
fi
grep -q "^whytop poke: cannot poke r here: not live here: no location covers this pc" "$T_TMP/p" ||
	t_fail "refusal: $(cat "$T_TMP/p")"
"$WHYTOP" poke "$pid" --function inl_spin limit_inl=0 >"$T_TMP/p" || t_fail "poke limit_inl: $(cat "$T_TMP/p")"
t_reaped "$pid" 10; [ "$T_STATUS" = 0 ] || t_fail "inline did not exit 0"
grep -q "^inline done" "$out" || t_fail "inline: $(cat "$out")"

# A flag nothing writes: no copy to poke.
out=$T_TMP/noloc.out
t_start_ready "$out" ready "$TARGETS/loc_opt" noloc
pid=$T_PID
"$WHYTOP" locals "$pid" --no-globals >"$T_TMP/l" || t_fail "locals noloc"
lx_info "$T_TMP/l" stop | grep -Eq "(constant|optimized out); read-only" || t_fail "stop: $(lx_info "$T_TMP/l" stop)"
if "$WHYTOP" poke "$pid" stop=1 >"$T_TMP/p" 2>&1; then
	t_fail "poke of an optimized-away flag succeeded: $(cat "$T_TMP/p")"
fi
grep -q "^whytop poke: cannot poke stop: .*nothing to poke" "$T_TMP/p" || t_fail "refusal: $(cat "$T_TMP/p")"
t_threads_left_running "$pid" "the target after locals and poke"
echo "ok: -O2 registers in frame 0 and an outer frame, and a refusal"
