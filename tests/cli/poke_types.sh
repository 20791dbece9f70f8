#!/bin/sh
# Poke every scalar class at -O0, a struct member, an array element and a
# PIE global; each write is read back by whytop and then printed by the
# program itself when its loop ends (go=0).
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/locals_lib.sh"
t_need_root

lx_start_types

# poke_ok NAME VALUE SHOWN: poke, and check whytop's read-back shows SHOWN.
poke_ok() {
	"$WHYTOP" poke "$pid" --watch 0 "$1=$2" >"$T_TMP/p" 2>&1 || t_fail "poke $1=$2: $(cat "$T_TMP/p")"
	case "$(head -1 "$T_TMP/p")" in
	"$1: "*" -> $3 ("*) ;;
	*) t_fail "poke $1=$2 read back: $(cat "$T_TMP/p")" ;;
	esac
}
poke_ok sc -128 "-128 '\\x80'"
poke_ok uc 0xff "255 '\\xff'"
poke_ok ch "'z'" "122 'z'"
poke_ok sh -32768 -32768
poke_ok us 65535 65535
poke_ok i 2147483647 2147483647
poke_ok ui 0 0
poke_ok l -9223372036854775808 -9223372036854775808
poke_ok ul 18446744073709551615 18446744073709551615
poke_ok ll 0b101 5
poke_ok b false false
poke_ok color BLUE BLUE
poke_ok f 2.5 2.5
poke_ok d -1.25 -1.25
poke_ok ip NULL NULL
poke_ok cfg.limit 99 99
poke_ok cfg.in.b 1234 1234
poke_ok "arr[3]" 7 7
poke_ok num.i 5 5
poke_ok g_counter 1000 1000
poke_ok s_total 0x10 16
poke_ok depth 5 5   # the inner block's depth, which hides the outer one
poke_ok "pcfg->limit" 12 12   # through a pointer, on the heap
# A static in a read-only page: /proc/PID/mem writes it (process_vm_writev would not).
"$WHYTOP" locals "$pid" >"$T_TMP/l" || t_fail "locals"
ro=$(lx_info "$T_TMP/l" ro_limit | sed -n 's/.*static 0x\([0-9a-f]*\).*/\1/p')
[ -n "$ro" ] || t_fail "no address for ro_limit: $(lx_info "$T_TMP/l" ro_limit)"
perm=$(while read -r range p rest; do
	lo=$((0x${range%-*})) hi=$((0x${range#*-}))
	[ $((0x$ro)) -ge $lo ] && [ $((0x$ro)) -lt $hi ] && echo "$p"
done </proc/"$pid"/maps)
[ "$perm" = r--p ] || t_fail "ro_limit's page is $perm, not read-only"
poke_ok ro_limit 6 6

# The program itself sees the new values.
kill -USR1 "$pid"
t_wait_for 5 grep -q "^usr1 &g_counter=" "$out" || t_fail "no usr1 dump"
for pair in sc=-128 uc=255 ch=122 sh=-32768 us=65535 i=2147483647 ui=0 \
	l=-9223372036854775808 ul=18446744073709551615 ll=5 b=false color=BLUE f=2.5 d=-1.25 \
	"ip=(nil)" cfg.limit=99 cfg.in.b=1234 "arr[3]=7" num.i=5 g_counter=1000 s_total=16 \
	ro_limit=6 "pcfg->limit=12"; do
	n=${pair%%=*}
	v=${pair#*=}
	[ "$(lx_own "$out" usr1 "$n")" = "$v" ] ||
		t_fail "after poke the program has $n=$(lx_own "$out" usr1 "$n"), not $v"
done
[ "$(lx_own "$out" "usr1 inner" depth)" = 5 ] || t_fail "inner depth is $(lx_own "$out" "usr1 inner" depth)"
t_threads_left_running "$pid" "the target after locals and poke"

# JSON.
"$WHYTOP" poke "$pid" --watch 0 --json i=-7 >"$T_TMP/j" || t_fail "poke --json"
grep -q '^{"pid":'"$pid"',"tid":'"$pid"',"frame":0,"function":"show_types","path":"i","type":"int","where":"stack 0x[0-9a-f]*","old":"2147483647","new":"-7","note":null,"took":true,"after":null,"watch_error":null}$' "$T_TMP/j" ||
	t_fail "poke --json: $(cat "$T_TMP/j")"

# Undo is the old value written back: poke it again and the program agrees.
"$WHYTOP" poke "$pid" --watch 0 cfg.limit=7 >/dev/null || t_fail "poke back"
"$WHYTOP" poke "$pid" go=0 >"$T_TMP/p" || t_fail "poke go=0: $(cat "$T_TMP/p")"
# Within the watch it either exited or (slow machine) is past the loop, printing.
grep -Eq "^after: (the process exited|thread $pid left show_types \(frame 0\))" "$T_TMP/p" ||
	t_fail "poke go did not see the loop end: $(cat "$T_TMP/p")"
t_reaped "$pid" 10
status=$T_STATUS
[ "$status" = 0 ] || t_fail "loc_types exit status $status"
[ "$(lx_own "$out" end cfg.limit)" = 7 ] || t_fail "end cfg.limit=$(lx_own "$out" end cfg.limit)"
grep -q "^loc_types: done" "$out" || t_fail "loc_types did not finish"
[ "$(lx_own "$out" "end outer" depth)" = 1 ] || t_fail "the outer depth changed"
echo "ok: pokes of every scalar class took effect"
