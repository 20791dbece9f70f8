#!/bin/sh
# locals_expand.sh: --expand PATH that cannot be followed is an error naming
# what was wrong (no such variable or member, not a struct/array/pointer,
# a NULL pointer, an index out of bounds), with exit status 2 and nothing
# on stdout; a path deep in the data expands what leads to it. Before,
# `--expand c->arr` and `--expand nosuch` were ignored and exited 0.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/locals_lib.sh"
t_need_root

lx_start_types

# refused MESSAGE ARGS...: exit 2, that exact line on stderr, nothing on stdout.
refused() {
	msg=$1
	shift
	"$WHYTOP" locals "$pid" "$@" >"$T_TMP/o" 2>"$T_TMP/e"
	st=$?
	[ "$st" = 2 ] || t_fail "locals $*: exit $st, want 2: $(cat "$T_TMP/e")"
	[ "$(cat "$T_TMP/e")" = "whytop locals: $msg" ] ||
		t_fail "locals $*: said '$(cat "$T_TMP/e")', want '$msg'"
	[ ! -s "$T_TMP/o" ] || t_fail "locals $* printed on stdout: $(head -2 "$T_TMP/o")"
	t_threads_left_running "$pid" "the target after locals and poke"
}
refused "--expand: no variable 'nosuch' is visible in frame 0 (show_types); 'whytop locals' lists them" \
	--expand nosuch
refused "--expand: 'cfg.nope': no member 'nope' there; cfg has: limit, name, ratio, in, flags" \
	--expand cfg.nope
refused "--expand: 'pcfg->nope': no member 'nope' there; pcfg has: limit, name, ratio, in, flags" \
	--expand "pcfg->nope"
refused "--expand: 'nocfg' is a NULL pointer: nothing to expand" --expand nocfg
refused "--expand: the pointer in 'nocfg->in' is NULL" --expand "nocfg->in"
refused "--expand: 'i' is of type int, not a struct, union, array or pointer to one: nothing to expand" \
	--expand i
refused "--expand: 'cfg.limit' is of type int, not a struct, union, array or pointer to one: nothing to expand" \
	--expand cfg.limit
refused "--expand: 'ip' is of type int *, a pointer to neither struct nor union: nothing to expand" \
	--expand ip
refused "--expand: '->' on something not a pointer in 'cfg->in'" --expand "cfg->in"
refused "--expand: 'arr[9]': index 9 is out of bounds (the array has 5)" --expand "arr[9]"
refused "--expand wants a path such as cfg, cfg.in, arr[2] or p->next" --expand ""
# One bad path among good ones is still refused, in JSON too.
refused "--expand: 'nocfg' is a NULL pointer: nothing to expand" --expand cfg --expand nocfg --json

# A deep path expands what leads to it: pcfg->in without --expand pcfg.
L=$T_TMP/locals
"$WHYTOP" locals "$pid" --expand "pcfg->in" >"$L" 2>"$T_TMP/e" || t_fail "--expand pcfg->in: $(cat "$T_TMP/e")"
[ "$(lx_val "$L" "pcfg->in.b")" = "$(lx_own "$out" start cfg.in.b)" ] ||
	t_fail "pcfg->in.b: '$(lx_val "$L" "pcfg->in.b")'"
[ "$(lx_val "$L" "pcfg->limit")" = "$(lx_own "$out" start "pcfg->limit")" ] || t_fail "pcfg->limit"
[ "$(lx_val "$L" "cfg.limit")" = "" ] || t_fail "cfg was expanded without being asked"
"$WHYTOP" locals "$pid" --expand cfg.in --expand arr >"$L" || t_fail "--expand cfg.in arr failed"
[ "$(lx_val "$L" "cfg.in.b")" = "$(lx_own "$out" start cfg.in.b)" ] || t_fail "cfg.in.b"
[ "$(lx_val "$L" "arr[3]")" = "$(lx_own "$out" start "arr[3]")" ] || t_fail "arr[3]"

kill -USR1 "$pid"
t_wait_for 5 grep -q "^usr1 i=" "$out" || t_fail "loc_types stopped answering"
echo "ok: an --expand path that cannot be followed says why"
