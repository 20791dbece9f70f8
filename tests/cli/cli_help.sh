#!/bin/sh
# cli_help.sh: the help, the parser and the man page say the same thing.
# For every subcommand, 'whytop CMD --help' lists its options; each listed
# long option is accepted, every option some other help or the man page
# names is refused unless listed (so help and parser cannot drift apart),
# an unknown option is one line pointing at 'whytop CMD --help' (exit 2),
# every command that takes a PID takes --thread, and the man page section
# of the command names each of its long options. 'whytop --help' lists
# every subcommand. Before, usage texts lived in three places and had
# drifted (poke --watch, locals --no-globals, stack --repeat, syscalls
# --sort/--cost missing from some, kstack only had --tid).
. "$SRCDIR/tests/lib.sh"

MAN="$SRCDIR/doc/whytop.1"
[ -r "$MAN" ] || t_fail "no man page at $MAN"
# the man page with roff's \- as -, one line each
sed 's/\\-/-/g' "$MAN" >"$T_TMP/man"

# The subcommands whytop has (names a reader of the man page finds there)
# and any other that 'whytop --help' lists.
"$WHYTOP" --help >"$T_TMP/top" 2>"$T_TMP/e" || t_fail "whytop --help failed: $(cat "$T_TMP/e")"
cmds="list stack locals poke kstack blocked syscalls run"
for c in $cmds; do
	grep -q "^  whytop $c " "$T_TMP/top" || t_fail "whytop --help does not list $c"
done
for c in $(sed -n 's/^  whytop \([a-z][a-z]*\) .*/\1/p' "$T_TMP/top"); do
	case " $cmds " in
	*" $c "*) ;;
	*) cmds="$cmds $c" ;;
	esac
done

# opts FILE: the long options FILE names, one a line.
opts() {
	grep -o -- '--[a-z][a-z-]*[a-z]' "$1" | sort -u
}

# Every long option named anywhere: in the helps and in the man page.
for c in $cmds; do
	timeout 30 "$WHYTOP" "$c" --help >"$T_TMP/h.$c" 2>"$T_TMP/e"
	st=$?
	[ "$st" = 0 ] || t_fail "whytop $c --help: exit $st, want 0: $(cat "$T_TMP/e")"
	[ ! -s "$T_TMP/e" ] || t_fail "whytop $c --help wrote on stderr: $(cat "$T_TMP/e")"
	grep -q "whytop $c" "$T_TMP/h.$c" || t_fail "whytop $c --help does not name the command"
	opts "$T_TMP/h.$c" >"$T_TMP/o.$c"
	grep -qx -- --help "$T_TMP/o.$c" || t_fail "whytop $c --help does not list --help"
done
cat "$T_TMP"/o.* >"$T_TMP/all"
opts "$T_TMP/man" >>"$T_TMP/all"
sort -u "$T_TMP/all" -o "$T_TMP/all"

# try CMD OPT: run 'whytop CMD OPT' (nothing after it: a value-taking option
# then misses its value, a command wanting a PID misses it); its stderr is
# left in $T_TMP/e. Nothing is attached to: no command gets a PID.
try() {
	timeout 30 "$WHYTOP" "$1" "$2" >/dev/null 2>"$T_TMP/e" </dev/null
}

for c in $cmds; do
	while read -r o; do
		st=0
		try "$c" "$o" || st=$?
		if grep -qx -- "$o" "$T_TMP/o.$c"; then
			# listed: accepted (an error, if any, is about something else)
			! grep -q "unknown option" "$T_TMP/e" ||
				t_fail "whytop $c --help lists $o, but $c refuses it: $(cat "$T_TMP/e")"
			! grep -qi "^usage:" "$T_TMP/e" ||
				t_fail "whytop $c $o: usage dumped on stderr: $(head -2 "$T_TMP/e")"
		else
			# not listed: refused as unknown, in one line, with the pointer
			[ "$st" = 2 ] || t_fail "whytop $c $o: exit $st, want 2 (not in $c's help)"
			grep -qF "whytop $c: unknown option '$o' (see 'whytop $c --help')" "$T_TMP/e" ||
				t_fail "whytop $c $o (not in its help) is not refused as unknown: $(cat "$T_TMP/e")"
			[ "$(wc -l <"$T_TMP/e")" -eq 1 ] ||
				t_fail "whytop $c $o: want one line on stderr: $(cat "$T_TMP/e")"
		fi
	done <"$T_TMP/all"
done

# An unknown option, long or short: exit 2, one line naming the command
# and where its options are listed, nothing on stdout.
for c in $cmds; do
	for o in --no-such-option -Q; do
		timeout 30 "$WHYTOP" "$c" "$o" >"$T_TMP/out" 2>"$T_TMP/e" </dev/null
		st=$?
		[ "$st" = 2 ] || t_fail "whytop $c $o: exit $st, want 2"
		[ "$(wc -l <"$T_TMP/e")" -eq 1 ] || t_fail "whytop $c $o: want one line on stderr: $(cat "$T_TMP/e")"
		grep -qF "'whytop $c --help'" "$T_TMP/e" ||
			t_fail "whytop $c $o: the error does not point at 'whytop $c --help': $(cat "$T_TMP/e")"
		grep -qF -- "$o" "$T_TMP/e" || t_fail "whytop $c $o: the error does not name $o"
		[ ! -s "$T_TMP/out" ] || t_fail "whytop $c $o printed on stdout"
	done
done

# --thread wherever a thread can be picked (kstack's --tid is its older name).
for c in stack locals poke kstack syscalls; do
	grep -qx -- --thread "$T_TMP/o.$c" || t_fail "whytop $c --help has no --thread"
done

# man SECTION-COMMAND: the man page's section for it (between the markers
# '.\" ---- NAMES ----' and '.\" ---- end NAMES ----' naming it).
man_section() {
	awk -v c="$1" '
		/^\.\\" ---- end / { on = 0; next }
		/^\.\\" ---- / {
			s = $0
			sub(/^\.\\" ---- /, "", s)
			sub(/ ----$/, "", s)
			n = split(s, w, /, */)
			on = 0
			for (i = 1; i <= n; i++)
				if (w[i] == c)
					on = 1
			next
		}
		on { print }
	' "$T_TMP/man"
}
for c in $cmds; do
	man_section "$c" >"$T_TMP/m.$c"
	[ -s "$T_TMP/m.$c" ] || t_fail "the man page has no section for $c"
	while read -r o; do
		[ "$o" = --help ] && continue # (documented once, under OPTIONS)
		grep -q -- "$o\([^a-z-]\|$\)" "$T_TMP/m.$c" ||
			t_fail "whytop $c takes $o, but the man page's $c section does not mention it"
	done <"$T_TMP/o.$c"
done
echo "ok: every subcommand's help, parser and man page agree"
