#!/bin/sh
# A module whose file cannot be found: the binary was replaced by mv and
# whytop runs without the capability /proc/PID/map_files needs, so the
# only file at the path is another program (its build-id differs from the
# one in the process's memory). whytop names nothing from it, and locals
# and poke refuse with a sentence; the target's variable is untouched.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/stack_lib.sh"
. "$SRCDIR/tests/cli/locals_lib.sh"
t_need_root
command -v setpriv >/dev/null || t_skip "no setpriv"
# Without CAP_SYS_ADMIN and CAP_CHECKPOINT_RESTORE (kept: CAP_SYS_PTRACE).
nocap() {
	setpriv --bounding-set=-sys_admin,-checkpoint_restore "$@"
}

out=$T_TMP/crazy.out
stk_start_replaced "$out"
pid=$STK_PID
range=$(awk '/\/bin\/prog \(deleted\)$/ { print $1; exit }' "/proc/$pid/maps")
[ -n "$range" ] || t_fail "maps does not say (deleted)"
nocap true 2>/dev/null || t_skip "setpriv cannot drop capabilities here"
nocap cat "/proc/$pid/map_files/$range" >/dev/null 2>&1 &&
	t_skip "map_files opens without CAP_SYS_ADMIN here: nothing to refuse"

w=$T_TMP/stack.txt
nocap "$WHYTOP" stack "$pid" >"$w" 2>&1 || t_fail "whytop stack failed: $(cat "$w")"
stk_expect "$w" "#0 .* \?\? \(prog \(deleted\)\)" "frame 0 unnamed"
grep -Eq 'stk_loop|spin_until|crazy\.c' "$w" && t_fail "a name from a file not trusted: $(cat "$w")"

sentence="the file at $T_TMP/bin/prog is not the one mapped by process $pid \(build-id differs\); whytop will not read or write its variables"
nocap "$WHYTOP" poke "$pid" flag=0 >"$T_TMP/poke" 2>"$T_TMP/poke.err" &&
	t_fail "poke succeeded: $(cat "$T_TMP/poke")"
grep -Eq "^whytop poke: frame 0: $sentence$" "$T_TMP/poke.err" ||
	t_fail "poke said: $(cat "$T_TMP/poke.err")"
nocap "$WHYTOP" poke "$pid" --frame 0 flag=0 >"$T_TMP/poke0" 2>"$T_TMP/poke0.err" &&
	t_fail "poke --frame 0 succeeded: $(cat "$T_TMP/poke0")"
grep -Eq "frame 0: $sentence$" "$T_TMP/poke0.err" || t_fail "poke --frame 0 said: $(cat "$T_TMP/poke0.err")"
nocap "$WHYTOP" locals "$pid" --frame 0 >"$T_TMP/locals" 2>"$T_TMP/locals.err" &&
	t_fail "locals --frame 0 succeeded: $(cat "$T_TMP/locals")"
grep -Eq "frame 0: $sentence$" "$T_TMP/locals.err" || t_fail "locals said: $(cat "$T_TMP/locals.err")"
t_threads_left_running "$pid" "the target after locals and poke"

# Untouched: with map_files, whytop reads flag as 1 and the target spins on.
"$WHYTOP" locals "$pid" >"$T_TMP/after" 2>&1 || t_fail "locals with map_files: $(cat "$T_TMP/after")"
[ "$(lx_val "$T_TMP/after" flag)" = 1 ] || t_fail "flag is '$(lx_val "$T_TMP/after" flag)', not 1"
grep -q "finishing normally" "$out" && t_fail "the target was changed"
t_alive "$pid" || t_fail "the target died"
echo "ok: refused"
