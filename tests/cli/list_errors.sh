#!/bin/sh
# list_errors.sh: bad input to `whytop list` gives a one-line error and
# exit status 2 (1 for a process that does not exist); --help works.
. "$SRCDIR/tests/lib.sh"

# expect STATUS ARGS...: run whytop with ARGS, check status and a one-line stderr.
expect() {
	want=$1
	shift
	"$WHYTOP" "$@" >"$T_TMP/o" 2>"$T_TMP/e"
	got=$?
	[ "$got" = "$want" ] || t_fail "whytop $*: exit $got, want $want"
	[ "$want" = 0 ] && return 0
	[ "$(wc -l <"$T_TMP/e")" -eq 1 ] || t_fail "whytop $*: want one line on stderr, got: $(cat "$T_TMP/e")"
	grep -q '^whytop list: ' "$T_TMP/e" || t_fail "whytop $*: error not prefixed: $(cat "$T_TMP/e")"
	[ -s "$T_TMP/o" ] && t_fail "whytop $*: printed a table despite the error"
	return 0
}

expect 2 list --sort nosuch
expect 2 list --columns pid,nosuch,command
expect 2 list --columns ,
expect 2 list --columns pid,cpu,PID
expect 2 list --limit abc
expect 2 list --limit 0
expect 2 list --limit -3
expect 2 list --limit 99999999999999999999
expect 2 list --interval 1.5
expect 2 list --interval -1
expect 2 list --interval 600001
expect 2 list --bogus
expect 2 list --sort
expect 2 list stray
expect 2 list --pid abc

# A pid that surely does not exist: one of ours, reaped.
sleep 0 &
gone=$!
wait "$gone"
if ! kill -0 "$gone" 2>/dev/null; then
	expect 1 list --pid "$gone"
fi

expect 0 list --help
grep -q -- '--sort COL' "$T_TMP/o" || t_fail "list --help does not describe --sort"
grep -q 'command' "$T_TMP/o" || t_fail "list --help does not list the columns"
"$WHYTOP" --help | grep -q 'whytop list' || t_fail "whytop --help does not mention list"
exit 0
