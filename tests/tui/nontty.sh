#!/bin/sh
# nontty.sh: without a terminal whytop says so and points at the CLI; bad
# flags are one-line errors with exit status 2. No tmux needed.
. "$SRCDIR/tests/lib.sh"

out="$T_TMP/out"
err="$T_TMP/err"
status=0
"$WHYTOP" >"$out" 2>"$err" </dev/null || status=$?
[ "$status" = 1 ] || t_fail "exit status $status without a terminal, want 1"
grep -q "needs a terminal" "$err" || t_fail "no 'needs a terminal' error: $(cat "$err")"
grep -q "whytop list" "$err" || t_fail "no hint to use 'whytop list': $(cat "$err")"
[ ! -s "$out" ] || t_fail "wrote to stdout when it is not a terminal"

for bad in "-d abc" "-d 0" "-s nosuch" "-p 12,x" "--open" "--bogus" "--theme ../x"; do
	status=0
	# shellcheck disable=SC2086
	"$WHYTOP" $bad >"$out" 2>"$err" </dev/null || status=$?
	[ "$status" = 2 ] || t_fail "'whytop $bad' exited $status, want 2"
	[ "$(wc -l <"$err")" = 1 ] || t_fail "'whytop $bad' error is not one line: $(cat "$err")"
	grep -q "^whytop: " "$err" || t_fail "'whytop $bad' error lacks the prefix"
done

"$WHYTOP" --help >"$out" 2>&1 || t_fail "--help failed"
for opt in "-d, --delay" "--theme" "--open" "-C"; do
	grep -q -- "$opt" "$out" || t_fail "--help does not list $opt"
done
exit 0
