#!/bin/sh
# inject_when.sh: whytop inject PID -e trace=openat --error ENOENT --when
# 2+2 --all: of the opener's opens made while whytop is attached, the 2nd,
# 4th, 6th... (counted from the attach) fail with ENOENT, seen by the
# program itself, and only those: whytop's log shows every openat, the
# tampered ones as strace does ("= -1 ENOENT (No such file or directory)
# (INJECTED)"), alternating with untouched ones, and as many as the program
# saw fail. After SIGINT whytop exits 0, the opener runs on untraced and
# its opens succeed again.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/inject_lib.sh"

F="$T_TMP/file"
: >"$F"
inj_start "$F"
inj_whytop "$T_TMP/log" "$OP" -e trace=openat --error ENOENT --when 2+2 --all
inj_wait "$T_TMP/log" "ENOENT .*\(INJECTED\)$" 3 30 "whytop inject --when 2+2"
inj_end INT "whytop inject --when 2+2"
n=$(wc -l <"$T_TMP/opener")

# whytop's log: openat lines of $F, alternating untouched and INJECTED, starting untouched
grep "^openat(AT_FDCWD, \"$F\", O_RDONLY)" "$T_TMP/log" >"$T_TMP/calls"
bad=$(awk '{ inj = /= -1 ENOENT \(No such file or directory\) \(INJECTED\)$/ }
	NR % 2 == 1 && inj { print "call " NR " injected: " $0; exit }
	NR % 2 == 0 && !inj { print "call " NR " not injected: " $0; exit }
	!inj && !/= [0-9]+$/ { print "call " NR " neither a good open nor injected: " $0; exit }' "$T_TMP/calls")
[ -z "$bad" ] || t_fail "whytop inject --when 2+2: $bad; the log: $(head -n 12 "$T_TMP/log")"
inj_log=$(inj_lines "$T_TMP/calls" "\(INJECTED\)$")

# the program's side: the ENOENTs it saw are every other open, as many as logged
head -n "$n" "$T_TMP/opener" | grep "^open " >"$T_TMP/seen"
saw=$(inj_lines "$T_TMP/seen" " ENOENT ")
[ "$saw" -ge "$inj_log" ] && [ "$saw" -le $((inj_log + 1)) ] ||
	t_fail "whytop logged $inj_log injected opens, the opener saw $saw ENOENTs: $(cat "$T_TMP/seen" | tail -n 12)"
bad=$(awk '/ ENOENT / { if (last && NR - last != 2) { print "ENOENT at line " last " then " NR; exit } last = NR }
	!/ ENOENT / && !/ ok / { print "unexpected: " $0; exit }' "$T_TMP/seen")
[ -z "$bad" ] || t_fail "the opener's failures are not every other open: $bad: $(tail -n 12 "$T_TMP/seen")"
inj_after_end "$n" "after SIGINT of whytop inject"
exit 0
