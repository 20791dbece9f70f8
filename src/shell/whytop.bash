# bash completion for whytop. The candidates come from whytop itself
# ("whytop __complete CWORD WORDS...", src/complete.c): subcommands and
# their options, column and theme names, pids (of which bash shows the
# numbers; zsh shows the command names beside them).
_whytop()
{
	local i w cword=0 words=()
	# bash splits "--sort=cpu" at '=' (COMP_WORDBREAKS); whytop reads one word.
	for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
		w=${COMP_WORDS[i]}
		if ((${#words[@]} > 1)) && [[ $w == "=" || ${words[-1]} == --*= ]]; then
			words[-1]+=$w
		else
			words+=("$w")
		fi
		((i == COMP_CWORD)) && cword=$((${#words[@]} - 1))
	done
	local prog=${words[0]/#\~/$HOME} line directive= reply=()
	command -v -- "$prog" >/dev/null 2>&1 || prog=whytop
	while IFS= read -r line; do
		case $line in
		'!'*) directive=${line#!} ;;
		*) reply+=("${line%%$'\t'*}") ;;
		esac
	done < <("$prog" __complete "$cword" "${words[@]:0:cword+1}" 2>/dev/null)
	local cur=${COMP_WORDS[COMP_CWORD]}
	[[ $cur == "=" ]] && cur=
	case $directive in
	files) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
	dirs) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
	users) mapfile -t COMPREPLY < <(compgen -u -- "$cur") ;;
	commands) mapfile -t COMPREPLY < <(compgen -c -- "$cur") ;;
	*) COMPREPLY=("${reply[@]}") ;;
	esac
}
complete -F _whytop whytop
