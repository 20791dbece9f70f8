#!/bin/sh
# C++: a member function's `this` expands to the object's members; a
# lambda's frame (a function defined inside a type inside main, which
# dwarf_getscopes does not find) shows its reference capture, and a poke
# through the reference ends the member function's loop.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/locals_lib.sh"
t_need_root

out=$T_TMP/cxx.out
t_start_ready "$out" ready "$TARGETS/loc_cxx"
pid=$T_PID

"$WHYTOP" locals "$pid" --frame 0 --no-globals --expand this >"$T_TMP/l0" || t_fail "locals frame 0: $(cat "$T_TMP/l0")"
grep -q "frame 0: run at .*loc_cxx.cc" "$T_TMP/l0" || t_fail "frame 0: $(head -1 "$T_TMP/l0")"
[ "$(lx_val "$T_TMP/l0" "this->limit")" = 1 ] || t_fail "this->limit reads $(lx_val "$T_TMP/l0" "this->limit")"
lx_info "$T_TMP/l0" this | grep -q "^struct Counter \*const; param; stack" || t_fail "this: $(lx_info "$T_TMP/l0" this)"
[ "$(lx_val "$T_TMP/l0" step)" = 1 ] || t_fail "step reads $(lx_val "$T_TMP/l0" step)"

"$WHYTOP" locals "$pid" --frame 1 --no-globals --expand c >"$T_TMP/l1" || t_fail "locals frame 1: $(cat "$T_TMP/l1")"
grep -q "frame 1: operator() at .*loc_cxx.cc" "$T_TMP/l1" || t_fail "frame 1: $(head -1 "$T_TMP/l1")"
lx_info "$T_TMP/l1" c | grep -q "^struct Counter &;" || t_fail "c: $(lx_info "$T_TMP/l1" c)"
[ "$(lx_val "$T_TMP/l1" "c->limit")" = 1 ] || t_fail "c->limit reads $(lx_val "$T_TMP/l1" "c->limit")"
t_threads_left_running "$pid" "the target after locals and poke"

# No frame given: the innermost frame where c is visible is the lambda's.
"$WHYTOP" poke "$pid" c.limit=0 >"$T_TMP/p" || t_fail "poke: $(cat "$T_TMP/p")"
grep -q "^c.limit: 1 -> 0 (int, memory 0x[0-9a-f]*; frame 1 .*lambda.*operator()" "$T_TMP/p" ||
	t_fail "poke said: $(cat "$T_TMP/p")"
t_reaped "$pid" 10; [ "$T_STATUS" = 0 ] || t_fail "loc_cxx did not exit 0"
grep -q "^loc_cxx done 1" "$out" || t_fail "no completion line: $(cat "$out")"
echo "ok: C++ this, a lambda's reference capture, a poke through it"
