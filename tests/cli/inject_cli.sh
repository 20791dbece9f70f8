#!/bin/sh
# inject_cli.sh: whytop inject's refusals, each one line on stderr naming
# the command, exit 2, nothing on stdout, before anything is attached: no
# set, nothing to inject, --error with --retval, an unknown errno, a bad
# --when, --retval or delay, no process and no program, an extra argument,
# an unknown syscall. --help lists every option.
. "$SRCDIR/tests/lib.sh"

"$WHYTOP" inject --help >"$T_TMP/h" 2>"$T_TMP/e" || t_fail "whytop inject --help failed: $(cat "$T_TMP/e")"
for o in "-e, --trace SET" "--error ERRNO" "--retval N" "--delay-enter US" "--delay-exit US" \
	"--when EXPR" "--path GLOB" "--duration SEC" "--all" "-h, --help"; do
	grep -qF -- "$o" "$T_TMP/h" || t_fail "whytop inject --help does not list '$o'"
done
"$WHYTOP" --help | grep -q "^  whytop inject " || t_fail "whytop --help does not list inject"

refused() {
	want=$1
	shift
	timeout 30 "$WHYTOP" inject "$@" >"$T_TMP/o" 2>"$T_TMP/e" </dev/null
	st=$?
	[ "$st" = 2 ] || t_fail "whytop inject $*: exit $st, want 2: $(cat "$T_TMP/e")"
	[ "$(wc -l <"$T_TMP/e")" -eq 1 ] || t_fail "whytop inject $*: want one line on stderr: $(cat "$T_TMP/e")"
	grep -qF -- "$want" "$T_TMP/e" || t_fail "whytop inject $*: want '$want' in: $(cat "$T_TMP/e")"
	grep -q "^whytop inject: " "$T_TMP/e" || t_fail "whytop inject $*: the error does not name the command"
	[ ! -s "$T_TMP/o" ] || t_fail "whytop inject $* printed on stdout: $(head -3 "$T_TMP/o")"
}
me=$$
refused "which calls? give -e trace=SET" --error EIO "$me"
refused "nothing to inject" -e openat "$me"
refused "give --error or --retval, not both" -e openat --error EIO --retval 1 "$me"
refused "'EFOO' is not an errno" -e openat --error EFOO "$me"
refused "when='2..1' is not FIRST" -e openat --error EIO --when 2..1 "$me"
refused "--retval wants a return value from 0" -e openat --retval -1 "$me"
refused "--delay-enter wants microseconds from 0 to 60000000" -e openat --delay-enter 60000001 "$me"
refused "which process or program?" -e openat --error EIO
refused "no syscall named 'opne'" -e opne --error EIO "$me"
refused "unexpected argument 'x'" -e openat --error EIO "$me" x
refused "--duration wants seconds" -e openat --error EIO --duration x "$me"
exit 0
