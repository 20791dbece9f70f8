# locals_lib.sh: helpers shared by the locals_*.sh and poke_*.sh tests
# (sourced after tests/lib.sh).

# lx_start_types [ARGS]: start tests/targets/loc_types, its output in $out,
# its pid in $pid; wait until it says it is ready.
lx_start_types() {
	out=$T_TMP/types.out
	t_start_ready "$out" "^ready" "$TARGETS/loc_types" "$@"
	pid=$T_PID
}

# lx_val FILE PATH: the value printed by 'whytop locals' for PATH ("" if none).
lx_val() {
	awk -v p="$2" -F'\t' '{ s = $1; sub(/^ +/, "", s);
		if (index(s, p " = ") == 1) { print substr(s, length(p) + 4); exit } }' "$1"
}

# lx_info FILE PATH: the "type; scope; where..." part for PATH.
lx_info() {
	awk -v p="$2" -F'\t' '{ s = $1; sub(/^ +/, "", s);
		if (index(s, p " = ") == 1) { print $2; exit } }' "$1"
}

# lx_first TEXT: the first word of a value ("-100 '\x9c'" -> -100).
lx_first() {
	printf '%s\n' "$1" | awk '{ print $1 }'
}

# lx_own OUT TAG NAME: what the target printed itself as "TAG NAME=VALUE".
lx_own() {
	awk -v t="$2" -v n="$3" 'index($0, t " " n "=") == 1 { v = substr($0, length(t) + length(n) + 3) } END { print v }' "$1"
}
