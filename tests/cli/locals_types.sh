#!/bin/sh
# Every type class at -O0, and globals of a PIE binary: what 'whytop locals'
# reads equals what loc_types prints about itself.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/locals_lib.sh"
t_need_root

lx_start_types

L=$T_TMP/locals
# (--expand nocfg, a NULL pointer, is refused: tests/cli/locals_expand.sh)
"$WHYTOP" locals "$pid" --expand cfg --expand cfg.in --expand arr --expand num --expand pcfg \
	>"$L" ||
	t_fail "whytop locals failed"
grep -q "frame 0: show_types at .*loc_types.c" "$L" || t_fail "wrong frame: $(head -1 "$L")"

# Numbers: the first word of whytop's value is the number the program printed.
for n in sc uc ch sh us i ui l ul ll f d ip fn arr[3] cfg.limit cfg.ratio cfg.in.b num.i \
	g_counter s_total; do
	mine=$(lx_first "$(lx_val "$L" "$n")")
	own=$(lx_own "$out" start "$n")
	[ -n "$own" ] || t_fail "loc_types printed no $n"
	[ "$mine" = "$own" ] || t_fail "$n: whytop read '$mine', the program has '$own'"
done
# Words and strings.
[ "$(lx_val "$L" b)" = "$(lx_own "$out" start b)" ] || t_fail "b: $(lx_val "$L" b)"
[ "$(lx_val "$L" color)" = "$(lx_own "$out" start color)" ] || t_fail "color: $(lx_val "$L" color)"
[ "$(lx_val "$L" arr_c)" = "\"$(lx_own "$out" start arr_c)\"" ] || t_fail "arr_c: $(lx_val "$L" arr_c)"
[ "$(lx_val "$L" cfg.name)" = "\"$(lx_own "$out" start cfg.name)\"" ] || t_fail "cfg.name"
case "$(lx_val "$L" str)" in
*" \"$(lx_own "$out" start str)\"") ;;
*) t_fail "str: $(lx_val "$L" str)" ;;
esac
# Pointers name what they point to; the global's address is the PIE-relocated one.
lx_val "$L" ip | grep -q "<g_counter>" || t_fail "ip does not name g_counter: $(lx_val "$L" ip)"
lx_val "$L" fn | grep -q "<twice>" || t_fail "fn does not name twice: $(lx_val "$L" fn)"
addr=$(lx_own "$out" start "&g_counter")
lx_info "$L" g_counter | grep -q "^int; global; static $addr" ||
	t_fail "g_counter is not at $addr: $(lx_info "$L" g_counter)"
# Types, scopes, kinds.
lx_info "$L" exit_after_ms | grep -q "^long int; param; stack" || t_fail "param: $(lx_info "$L" exit_after_ms)"
lx_info "$L" cfg.flags | grep -q "read-only; a bit-field" || t_fail "bit-field: $(lx_info "$L" cfg.flags)"
lx_info "$L" cfg | grep -q "^struct cfg; local" || t_fail "cfg type: $(lx_info "$L" cfg)"
lx_info "$L" color | grep -q "^enum color;" || t_fail "enum type"
lx_info "$L" ul | grep -q "^long unsigned int;" || t_fail "ul type"
lx_info "$L" str | grep -q "^const char \*;" || t_fail "str type: $(lx_info "$L" str)"
[ "$(lx_val "$L" arr)" = "{10, 20, 30, 40, 50}" ] || t_fail "arr: $(lx_val "$L" arr)"
lx_info "$L" s_total | grep -q "^long int; global; static 0x" || t_fail "s_total"
# One "const" for a const array of const anonymous structs (was "const const struct ...").
lx_info "$L" g_table | grep -q "^const struct <anonymous> \[3\]; global" ||
	t_fail "g_table type: $(lx_info "$L" g_table)"

# A lexical block: the loop's block has its own depth, which hides the function's.
grep -q "^  depth = 1	int; local; stack 0x[0-9a-f]*; shadowed$" "$L" || t_fail "no shadowed outer depth: $(grep depth "$L")"
grep -q "^  depth = 2	long int; local; stack 0x" "$L" || t_fail "no inner depth: $(grep depth "$L")"

# A pointer to a struct expands to the members it points to (on the heap).
[ "$(lx_val "$L" "pcfg->limit")" = "$(lx_own "$out" start "pcfg->limit")" ] ||
	t_fail "pcfg->limit: $(lx_val "$L" "pcfg->limit")"
heap=$(lx_val "$L" pcfg)
lx_info "$L" "pcfg->limit" | grep -q "^int; member; memory $heap$" || t_fail "pcfg->limit is not at $heap: $(lx_info "$L" "pcfg->limit")"
[ "$(lx_val "$L" "pcfg->in.b")" = "" ] || t_fail "pcfg->in expanded without being asked"
[ "$(lx_val "$L" nocfg)" = NULL ] || t_fail "nocfg: $(lx_val "$L" nocfg)"
! grep -q "nocfg->" "$L" || t_fail "a NULL pointer was expanded"

# Text from the target reaches no terminal raw: escapes are shown, not sent.
case "$(lx_val "$L" evil)" in
*' "\e]0;pwned\x07\e[31mred\n"') ;;
*) t_fail "evil is not escaped as expected: $(lx_val "$L" evil)" ;;
esac
! grep -q "$(printf '\033')" "$L" || t_fail "an escape character reached the output"

# JSON: one object with the same values.
"$WHYTOP" locals "$pid" --json >"$T_TMP/json" || t_fail "--json failed"
[ "$(wc -l <"$T_TMP/json")" = 1 ] || t_fail "--json is not one line"
grep -q "\"path\":\"i\",\"name\":\"i\",\"type\":\"int\",\"scope\":\"local\",\"location\":\"stack\",\"where\":\"stack 0x[0-9a-f]*\",\"value\":\"$(lx_own "$out" start i)\"" "$T_TMP/json" ||
	t_fail "json lacks i: $(cut -c1-300 "$T_TMP/json")"

# The program ran on and is not held.
t_threads_left_running "$pid" "the target after locals and poke"
kill -USR1 "$pid"
t_wait_for 5 grep -q "^usr1 i=" "$out" || t_fail "loc_types stopped answering"
echo "ok: every type class reads as the program prints it"
