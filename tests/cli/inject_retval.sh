#!/bin/sh
# inject_retval.sh: --retval N --when FIRST..LAST: exactly the 2nd and 3rd
# openat after the attach are not run and return 42 (the opener sees
# fd=42), logged as "= 42 (INJECTED)"; every other open returns a real
# descriptor.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/inject_lib.sh"

F="$T_TMP/file"
: >"$F"
inj_start "$F"
inj_whytop "$T_TMP/log" "$OP" -e trace=openat --retval 42 --when 2..3 --all
inj_wait "$T_TMP/log" "^openat\(" 5 30 "whytop inject --retval 42 --when 2..3"
inj_end INT "whytop inject --retval"
n=$(wc -l <"$T_TMP/opener")
grep "^openat(AT_FDCWD, \"$F\", O_RDONLY)" "$T_TMP/log" | head -n 5 >"$T_TMP/calls"
bad=$(awk '{ inj = /= 42 \(INJECTED\)$/ }
	(NR == 2 || NR == 3) && !inj { print "call " NR " not injected: " $0; exit }
	NR != 2 && NR != 3 && inj { print "call " NR " injected: " $0; exit }' "$T_TMP/calls")
[ -z "$bad" ] || t_fail "--when 2..3: $bad: $(cat "$T_TMP/calls")"
[ "$(head -n "$n" "$T_TMP/opener" | grep -c " fd=42 ok ")" = 2 ] ||
	t_fail "the opener did not see fd=42 exactly twice: $(grep '^open' "$T_TMP/opener" | head -n 12)"
inj_after_end "$n" "after whytop inject --retval"
exit 0
