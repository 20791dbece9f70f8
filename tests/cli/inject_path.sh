#!/bin/sh
# inject_path.sh: --path limits the injection to the calls whose path
# matches. The opener opens a.txt then b.txt each round; with --path
# '*/b.txt' --error EACCES every open of b.txt made while whytop is attached
# fails with EACCES and no open of a.txt does; whytop's log names only
# b.txt. Afterwards both open again.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/inject_lib.sh"

A="$T_TMP/a.txt" B="$T_TMP/b.txt"
: >"$A"
: >"$B"
inj_start "$A" "$B"
inj_whytop "$T_TMP/log" "$OP" -e trace=%file --path '*/b.txt' --error EACCES
inj_wait "$T_TMP/opener" "^open [0-9]+ 1 fd=-1 EACCES " 3 30 "the opener under --path '*/b.txt'"
inj_end INT "whytop inject --path"
n=$(wc -l <"$T_TMP/opener")
head -n "$n" "$T_TMP/opener" | grep "^open [0-9]* 0 " | grep -v " ok " | head -n 3 >"$T_TMP/bad"
[ ! -s "$T_TMP/bad" ] || t_fail "--path '*/b.txt' made opens of a.txt fail: $(cat "$T_TMP/bad")"
inj_has "$T_TMP/log" "^openat\(AT_FDCWD, \"$B\", O_RDONLY\) += -1 EACCES \(Permission denied\) \(INJECTED\)$" 3 ||
	t_fail "whytop's log does not show 3 injected opens of b.txt: $(head -n 8 "$T_TMP/log")"
! grep -q "a\.txt" "$T_TMP/log" || t_fail "whytop's log names a.txt: $(grep a.txt "$T_TMP/log" | head -n 3)"
inj_after_end "$n" "after whytop inject --path"
exit 0
