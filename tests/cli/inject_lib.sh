# inject_lib.sh: helpers of the fault injection tests (sourced after lib.sh).
# tests/targets/inj_opener prints "open ROUND INDEX fd=FD RESULT US" for
# each open; whytop inject logs the calls it tampered with on stderr.

# inj_start PATH...: inj_opener on PATH... in the background, its output in
# $T_TMP/opener, its pid in OP; waits for its "ready" line.
inj_start() {
	t_start_ready "$T_TMP/opener" "^ready" "$TARGETS/inj_opener" "$@"
	OP=$T_PID
}

# inj_whytop LOG ARGS...: whytop inject ARGS in the background, stderr in
# LOG, pid in WT; waits (20 s) for its header line (the session is on).
inj_whytop() {
	local log=$1
	shift
	t_start "$WHYTOP" inject "$@" 2>"$log"
	WT=$T_PID
	t_wait_for 20 grep -q "^whytop inject: ptrace" "$log" && return 0
	grep -q "Operation not permitted" "$log" && t_skip "ptrace refused here: $(cat "$log")"
	t_fail "whytop inject $* did not start within 20 s: $(cat "$log")"
}

# inj_lines FILE PATTERN: how many lines of FILE match PATTERN (grep -E).
inj_lines() {
	grep -cE -- "$2" "$1"
}

inj_has() {
	[ "$(inj_lines "$1" "$2")" -ge "$3" ]
}

# inj_wait FILE PATTERN N SECONDS WHAT: FILE holds N lines matching PATTERN
# within SECONDS.
inj_wait() {
	t_wait_for "$4" inj_has "$1" "$2" "$3" && return 0
	t_fail "$5: want $3 lines matching '$2' within $4 s, got $(inj_lines "$1" "$2"): $(tail -n 12 "$1")"
}

# inj_end SIG WHAT: send SIG to whytop (WT); it exits (20 s) with status 0.
inj_end() {
	kill "-$1" "$WT" || t_fail "$2: cannot signal whytop ($WT)"
	t_reaped "$WT" 20 || t_fail "$2: whytop did not exit within 20 s of SIG$1"
	[ "$T_STATUS" = 0 ] || t_fail "$2: whytop exited with $T_STATUS after SIG$1, want 0"
}

# inj_after_end N WHAT: the target runs on untraced, and the opens it
# makes from the line after the one in flight at whytop's end (the
# opener had N lines then) succeed: 3 more rounds.
inj_after_end() {
	local n=$1 what=$2
	t_left_running "$OP" "$what"
	tail -n +"$((n + 2))" "$T_TMP/opener" >"$T_TMP/after"
	t_wait_for 20 sh -c '[ "$(tail -n +"$(($2 + 2))" "$1" | grep -c "^open .* ok ")" -ge 3 ]' _ \
		"$T_TMP/opener" "$n" ||
		t_fail "$what: the opener made no 3 good opens after whytop ended: $(tail -n 8 "$T_TMP/opener")"
	tail -n +"$((n + 2))" "$T_TMP/opener" | grep "^open " | grep -v " ok " | head -n 3 >"$T_TMP/bad"
	[ ! -s "$T_TMP/bad" ] || t_fail "$what: opens still tampered with after whytop ended: $(cat "$T_TMP/bad")"
}
