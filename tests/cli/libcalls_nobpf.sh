#!/bin/sh
# A whytop built without eBPF programs (no clang or bpftool at configure,
# e.g. BPF_CLANG=/bin/false ./configure) cannot count library calls: it
# says so in one sentence with the reason and what to do, exits 1, and
# leaves the target alone. With eBPF this test has nothing to check.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/libcalls_lib.sh"
"$WHYTOP" --help | grep -q "^  whytop libcalls " || t_fail "whytop has no libcalls subcommand"
lc_target a
A=$LC_PID
"$WHYTOP" libcalls "$A" --duration 0 >"$T_TMP/o" 2>"$T_TMP/e"
st=$?
grep -q "built without eBPF" "$T_TMP/e" || t_skip "this whytop has its eBPF programs"
[ $st = 1 ] || t_fail "without eBPF: exit $st, want 1"
[ "$(wc -l <"$T_TMP/e")" = 1 ] || t_fail "without eBPF: want one line: $(cat "$T_TMP/e")"
grep -q "cannot count library calls; rebuild with clang, bpftool and libbpf-dev" "$T_TMP/e" ||
	t_fail "without eBPF: the sentence does not say what to do: $(cat "$T_TMP/e")"
[ ! -s "$T_TMP/o" ] || t_fail "without eBPF: printed on stdout: $(cat "$T_TMP/o")"
t_left_running "$A" "the target"
exit 0
