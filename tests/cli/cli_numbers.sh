#!/bin/sh
# cli_numbers.sh: every numeric option of every subcommand, and every PID,
# refuses what is not a plain number in range: inf, nan, 1e20, a leading
# space or '+', hex, a fraction where a whole number is wanted. Each refusal
# is exit status 2 and one line naming the option and the value as typed
# (escaped). Before, `syscalls --duration inf` stopped at once (a float to
# integer overflow), `--duration nan` counted for ever, and strtol took
# " 5" and "+5".
. "$SRCDIR/tests/lib.sh"

# A process of ours to name where a PID is needed (never counted or walked:
# every command below is refused before it touches it).
t_start sleep 600
pid=$T_PID

# bad SUBCOMMAND-AND-ARGS... -- TEXT...: exit 2, one stderr line containing each TEXT.
bad() {
	args=""
	while [ "$1" != -- ]; do
		args="$args$1
"
		shift
	done
	shift
	# (one argument a line, so that values with spaces stay whole)
	printf '%s' "$args" | {
		set --
		while IFS= read -r a; do set -- "$@" "$a"; done
		timeout 30 "$WHYTOP" "$@" >"$T_TMP/o" 2>"$T_TMP/e"
		echo $? >"$T_TMP/st"
	}
	st=$(cat "$T_TMP/st")
	what=$(printf '%s' "$args" | tr '\n' ' ')
	[ "$st" = 2 ] || t_fail "whytop $what: exit $st, want 2 (stderr: $(cat "$T_TMP/e"))"
	[ "$(wc -l <"$T_TMP/e")" -eq 1 ] || t_fail "whytop $what: want one line on stderr: $(cat "$T_TMP/e")"
	[ ! -s "$T_TMP/o" ] || t_fail "whytop $what printed on stdout: $(head -3 "$T_TMP/o")"
	for text in "$@"; do
		grep -qF -- "$text" "$T_TMP/e" || t_fail "whytop $what: '$text' not in: $(cat "$T_TMP/e")"
	done
}

for v in inf nan -inf 99999999999999999999 1e20 1e3 0x10 -1 " 5" +5 "" 1.5.0 .5; do
	bad syscalls "$pid" --duration "$v" -- "--duration" "not '$v'"
done
bad syscalls "$pid" --duration 31536001 -- "--duration" "from 0 to 31536000"
bad syscalls "$pid" --thread " 5" -- "--thread" "not ' 5'"
bad syscalls "$pid" --thread +5 -- "--thread" "not '+5'"
for v in " 5" +5 0 abc 1.5 99999999999999999999; do
	bad list --limit "$v" -- "--limit" "not '$v'"
	bad list -n "$v" -- "--limit" "not '$v'"
done
for v in " 200" +200 -1 60001 inf 0x10; do
	bad list --interval "$v" -- "--interval" "not '$v'"
done
for v in 0 " 2" +2 100001 2.0; do
	bad stack "$pid" --repeat "$v" -- "--repeat" "not '$v'"
done
bad stack "$pid" --thread +1 -- "--thread" "not '+1'"
for sub in locals poke; do
	bad $sub "$pid" --thread " 1" x=1 -- "--thread" "not ' 1'"
	bad $sub "$pid" --frame +1 x=1 -- "--frame" "not '+1'"
	bad $sub "$pid" --frame 100001 x=1 -- "--frame" "from 0 to 100000"
done
bad poke "$pid" --watch +10 x=1 -- "--watch" "not '+10'"
bad poke "$pid" --watch inf x=1 -- "--watch" "not 'inf'"
bad kstack "$pid" --tid " 3" -- "--tid" "not ' 3'"
for v in inf nan 3601 " 1" +1 0.5; do
	bad kstack "$pid" --observe "$v" -- "--observe" "not '$v'"
	bad blocked --observe "$v" -- "--observe" "not '$v'"
done
# Untrusted text is shown escaped, never raw.
bad list --limit "$(printf '\033[31m')" -- "--limit" "not '\\e[31m'"
! grep -q "$(printf '\033')" "$T_TMP/e" || t_fail "an escape character reached stderr"

# PIDs: the same rules, for every subcommand that takes one.
for p in " $pid" "+$pid" "$pid " "0x10" "${pid}.0"; do
	for sub in stack locals kstack syscalls; do
		bad $sub "$p" -- "'$p' is not a process id"
	done
	bad poke "$p" x=1 -- "'$p' is not a process id"
	bad list -p "$p" -- "'$p' is not a process id"
	bad list -p "1,$p" -- "'$p' is not a process id"
done
bad list -p , -- "--pid wants process ids"

# The terminal UI's options (refused before it needs a terminal).
for v in inf " 5" +5 0 601; do
	bad -d "$v" -- "-d: '$v' is not a delay"
done
bad -p " $pid" -- "-p: ' $pid' is not a process id"
bad -p "+$pid" -- "-p: '+$pid' is not a process id"

# Good values still work.
"$WHYTOP" list --limit 1 --interval 0 -p "$pid" >"$T_TMP/o" || t_fail "list --limit 1 failed"
grep -q "^ *$pid " "$T_TMP/o" || t_fail "list -p $pid does not show it: $(cat "$T_TMP/o")"
"$WHYTOP" kstack "$pid" --observe 0 >/dev/null 2>&1
[ $? -ne 2 ] || t_fail "kstack --observe 0 was refused"
echo "ok: every numeric option and PID refuses what is not a plain number in range"
