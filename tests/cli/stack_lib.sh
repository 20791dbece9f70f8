# stack_lib.sh: helpers shared by the stack_*.sh tests (sourced after lib.sh).

STK_SRC="$SRCDIR/tests/targets"

# stk_start NAME [ARGS...]: start a target with its output in $T_TMP/NAME.out
# and wait for its "ready" line; sets STK_PID and STK_OUT.
stk_start() {
	local name=$1
	shift
	STK_OUT="$T_TMP/$name.out"
	t_start_ready "$STK_OUT" '^ready' "$TARGETS/$name" "$@"
	STK_PID=$T_PID
}

# stk_start_replaced OUT: a copy of crazy started as $T_TMP/bin/prog (its
# output in OUT; once it spins, its pid in STK_PID), then the file replaced
# by mv with stk_loop: the path now names another program than the one the
# process runs.
stk_start_replaced() {
	mkdir -p "$T_TMP/bin"
	cp "$TARGETS/crazy" "$T_TMP/bin/prog"
	t_start_ready "$1" spinning "$T_TMP/bin/prog"
	STK_PID=$T_PID
	cp "$TARGETS/stk_loop" "$T_TMP/bin/new"
	mv "$T_TMP/bin/new" "$T_TMP/bin/prog"
}

# stk_line FILE MARKER: the line number of the marker comment in a target's source.
stk_line() {
	local n
	n=$(grep -n "$2" "$STK_SRC/$1" | head -1 | cut -d: -f1)
	[ -n "$n" ] || t_fail "marker $2 not found in $1"
	echo "$n"
}

stk_beats() {
	grep -c '^beat' "$1"
}

# stk_runs_on OUT: the target keeps printing beats (two more within 5 s).
stk_runs_on() {
	local before
	before=$(stk_beats "$1")
	t_wait_for 5 sh -c "[ \$(grep -c '^beat' '$1') -ge $((before + 2)) ]" ||
		t_fail "the target stopped making progress after the walk ($1)"
}

# stk_walk OUTFILE PID [ARGS...]: run whytop stack; fail on error.
stk_walk() {
	local out=$1
	shift
	"$WHYTOP" stack "$@" >"$out" 2>"$out.err" || {
		cat "$out" "$out.err" >&2
		t_fail "whytop stack $* failed"
	}
}

# stk_walk_env OUT PID ENV...: whytop stack PID with these environment
# settings (VAR=VALUE, as env takes them); fail on error.
stk_walk_env() {
	local out=$1 pid=$2
	shift 2
	env "$@" "$WHYTOP" stack "$pid" >"$out" 2>"$out.err" || {
		cat "$out" "$out.err" >&2
		t_fail "whytop stack with $* failed"
	}
}

# stk_expect FILE REGEX WHAT: the walk output has a line matching REGEX.
stk_expect() {
	grep -Eq -- "$2" "$1" || {
		cat "$1" >&2
		t_fail "$3 (no line matching: $2)"
	}
}

# stk_thread_block FILE NAME: the frames of the thread called NAME.
stk_thread_block() {
	awk -v n="\"$2\"" '/^thread /{p = index($0, n) > 0} p' "$1"
}
