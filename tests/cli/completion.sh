#!/bin/sh
# completion.sh: the bash and zsh completion scripts (src/shell/) complete
# subcommands, options, option values (columns, themes, files), pids with
# their command names, and demo names, from whytop's own tables.
. "$SRCDIR/tests/lib.sh"
command -v bash >/dev/null || t_skip "no bash"

# bash_complete WORD...: what bash's completion offers for the last word.
bash_complete() {
	bash -c '. "$SRCDIR/src/shell/whytop.bash"
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _whytop
		printf "%s\n" "${COMPREPLY[@]}"' whytop "$WHYTOP" "$@"
}
want() { # want WHAT OUTPUT-FILE VALUE
	grep -qxF -- "$3" "$2" || t_fail "$1: '$3' not offered: $(tr '\n' ' ' <"$2")"
}

bash_complete tr >"$T_TMP/o"; want "subcommand" "$T_TMP/o" trace
grep -qx list "$T_TMP/o" && t_fail "'tr' offered list"
bash_complete profile --fo >"$T_TMP/o"; want "profile option" "$T_TMP/o" --folded
bash_complete trace -e trace=open -s >"$T_TMP/o"; want "trace short option" "$T_TMP/o" -s
bash_complete list --sort c >"$T_TMP/o"; want "list --sort value" "$T_TMP/o" cpu
want "list --sort value" "$T_TMP/o" command
grep -qx pid "$T_TMP/o" && t_fail "'c' offered pid"
bash_complete --theme m >"$T_TMP/o"; want "--theme value" "$T_TMP/o" mono
bash_complete --sort-key = cp >"$T_TMP/o"; want "--sort-key=VALUE" "$T_TMP/o" cpu
bash_complete -- >"$T_TMP/o"; want "TUI option" "$T_TMP/o" --tree
bash_complete demo l >"$T_TMP/o"; want "demo name" "$T_TMP/o" loop
: >"$T_TMP/some-file"
bash_complete stack --load "$T_TMP/some-" >"$T_TMP/o"; want "file value" "$T_TMP/o" "$T_TMP/some-file"
bash_complete run -- bas >"$T_TMP/o"; want "command to run" "$T_TMP/o" bash

# Pids: a target the test starts, by its pid; a pid list goes on after a comma.
t_start "$TARGETS/sc_idle" 1 >/dev/null
pid=$T_PID
t_wait_for 10 test -r "/proc/$pid/comm"
bash_complete stack "$pid" >"$T_TMP/o"; want "pid" "$T_TMP/o" "$pid"
bash_complete -p "1,$pid" >"$T_TMP/o"; want "pid list" "$T_TMP/o" "1,$pid"
bash_complete locals "$pid" --thread "" >"$T_TMP/o"; want "thread of the pid" "$T_TMP/o" "$pid"
[ "$(wc -l <"$T_TMP/o")" = "$(ls "/proc/$pid/task" | wc -l)" ] ||
	t_fail "--thread offers $(wc -l <"$T_TMP/o") tids, the target has $(ls "/proc/$pid/task" | wc -l)"

# The engine's own lines: a pid's description is its command name.
"$WHYTOP" __complete 2 whytop stack "$pid" >"$T_TMP/o"
grep -qxF "$pid	sc_idle" "$T_TMP/o" || t_fail "no '$pid<TAB>sc_idle' line: $(head -n 3 "$T_TMP/o")"

# zsh: the script, run with zsh's completion functions replaced by ones
# that print what they were given.
if command -v zsh >/dev/null; then
	zsh_complete() {
		zsh -f -c '_describe() { print -rl -- "${(@P)${@[-1]}}"; }
			_files() { print FILES; }; compset() { :; }
			words=("$@"); CURRENT=$#; . "$SRCDIR/src/shell/_whytop"' whytop "$WHYTOP" "$@"
	}
	zsh_complete stack "$pid" >"$T_TMP/z"
	grep -qxF "$pid:sc_idle" "$T_TMP/z" || t_fail "zsh: no '$pid:sc_idle': $(head -n 3 "$T_TMP/z")"
	zsh_complete profile --fo >"$T_TMP/z"
	grep -q '^--folded:folded stacks' "$T_TMP/z" || t_fail "zsh: no --folded with its help: $(cat "$T_TMP/z")"
	zsh_complete stack --load x >"$T_TMP/z"
	grep -qx FILES "$T_TMP/z" || t_fail "zsh: --load does not complete files: $(cat "$T_TMP/z")"
else
	echo "zsh not installed: its script is not exercised"
fi
exit 0
