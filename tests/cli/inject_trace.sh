#!/bin/sh
# inject_trace.sh: strace's own spelling in whytop trace. "-e
# inject=openat:error=ENOENT:when=2+2" makes the 2nd, 4th... openat after
# the attach fail, in the log ("(INJECTED)") and as the opener sees them;
# "-e fault=openat:when=1" fails the first with strace's default ENOSYS.
# Bad rules are refused (exit 2, one line) before anything is attached.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/inject_lib.sh"

refused() {
	want=$1
	shift
	timeout 30 "$WHYTOP" trace "$@" >"$T_TMP/o" 2>"$T_TMP/e" </dev/null
	st=$?
	[ "$st" = 2 ] && [ "$(wc -l <"$T_TMP/e")" -eq 1 ] && grep -qF -- "$want" "$T_TMP/e" ||
		t_fail "whytop trace $*: exit $st, want 2 and one line holding '$want': $(cat "$T_TMP/e")"
}
refused "'EFOO' is not an errno" -e inject=openat:error=EFOO "$$"
refused "when='0' is not FIRST" -e inject=openat:error=EIO:when=0 "$$"
refused "when='3..2' is not FIRST" -e inject=openat:error=EIO:when=3..2 "$$"
refused "does nothing" -e inject=openat "$$"
refused "give error= or retval=, not both" -e inject=openat:error=EIO:retval=1 "$$"
refused "not 'signal'" -e inject=openat:signal=SIGSEGV "$$"
refused "no syscall named 'opne'" -e inject=opne:error=EIO "$$"
refused "not with --backend kernel" --backend kernel -e inject=openat:error=EIO "$$"

F="$T_TMP/file"
: >"$F"
inj_start "$F"
t_start "$WHYTOP" trace -e trace=openat -e inject=openat:error=ENOENT:when=2+2 "$OP" 2>"$T_TMP/log"
WT=$T_PID
t_wait_for 20 grep -q "^whytop trace: ptrace" "$T_TMP/log" || t_fail "whytop trace did not start: $(cat "$T_TMP/log")"
inj_wait "$T_TMP/log" "\(INJECTED\)$" 3 30 "whytop trace -e inject=...:when=2+2"
inj_end INT "whytop trace -e inject="
grep "^openat(AT_FDCWD, \"$F\", O_RDONLY)" "$T_TMP/log" >"$T_TMP/calls"
bad=$(awk '{ inj = /= -1 ENOENT \(No such file or directory\) \(INJECTED\)$/ }
	NR % 2 == 1 && inj { print "call " NR " injected: " $0; exit }
	NR % 2 == 0 && !inj { print "call " NR " not injected: " $0; exit }' "$T_TMP/calls")
[ -z "$bad" ] || t_fail "-e inject=...:when=2+2: $bad: $(head -n 8 "$T_TMP/log")"
inj_after_end "$(wc -l <"$T_TMP/opener")" "after whytop trace -e inject="

t_start "$WHYTOP" trace -e trace=openat -e fault=openat:when=1 "$OP" 2>"$T_TMP/log2"
WT=$T_PID
t_wait_for 20 grep -q "^whytop trace: ptrace" "$T_TMP/log2" || t_fail "whytop trace did not start: $(cat "$T_TMP/log2")"
inj_wait "$T_TMP/log2" "^openat\(" 3 30 "whytop trace -e fault=openat:when=1"
inj_end INT "whytop trace -e fault="
head -n 1 "$T_TMP/log2" >/dev/null
grep "^openat(" "$T_TMP/log2" | head -n 3 >"$T_TMP/calls2"
[ "$(sed -n 1p "$T_TMP/calls2" | grep -c "= -1 ENOSYS (Function not implemented) (INJECTED)$")" = 1 ] &&
	[ "$(grep -c INJECTED "$T_TMP/calls2")" = 1 ] ||
	t_fail "-e fault=openat:when=1: want the first call only to fail with ENOSYS: $(cat "$T_TMP/calls2")"
grep -q " ENOSYS " "$T_TMP/opener" || t_fail "the opener did not see the ENOSYS: $(tail -n 5 "$T_TMP/opener")"

# --json: the tampered calls say so ("injected": true), the others do not
t_start "$WHYTOP" trace --json -o "$T_TMP/json" -e trace=openat -e inject=openat:error=EIO:when=2+2 "$OP" 2>"$T_TMP/log3"
WT=$T_PID
t_wait_for 20 grep -q "^whytop trace: ptrace" "$T_TMP/log3" || t_fail "whytop trace --json did not start: $(cat "$T_TMP/log3")"
inj_wait "$T_TMP/json" '"injected": ?true' 2 30 "whytop trace --json -e inject="
inj_end INT "whytop trace --json -e inject="
python3 - "$T_TMP/json" <<'PY' || t_fail "whytop trace --json -e inject=: $(head -n 4 "$T_TMP/json")"
import json, sys
calls = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
calls = [c for c in calls if c.get("type") == "syscall" and c.get("name") == "openat" and c.get("ret") is not None]
assert len(calls) >= 3, "want 3 openat objects, got %d" % len(calls)
for i, c in enumerate(calls):
    inj = c.get("injected", False)
    assert inj == (i % 2 == 1), "object %d: injected=%r: %r" % (i, inj, c)
    if inj:
        assert c["errno"] == "EIO" and c["ret"] == -5, c
PY
exit 0
