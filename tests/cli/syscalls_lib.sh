# syscalls_lib.sh: helpers for the syscall counting tests (sourced after
# tests/lib.sh).

# row JSON NAME ABI: "calls errors errno" of one row of whytop's --json, or "none"
row() {
	r=$(grep -o "\"name\":\"$2\",\"abi\":\"$3\",\"nr\":[0-9]*,\"calls\":[0-9]*,\"errors\":[0-9]*,\"errno\":[^,]*" "$1")
	[ -n "$r" ] || { echo none; return; }
	echo "$r" | sed 's/.*"calls":\([0-9]*\),"errors":\([0-9]*\),"errno":\(.*\)/\1 \2 \3/'
}

# expect JSON NAME ABI "CALLS ERRORS ERRNO" (or none); $B names the case
expect() {
	got=$(row "$1" "$2" "$3")
	[ "$got" = "$4" ] || t_fail "${B:-}: $3 $2: expected '$4', got '$got' ($(cat "$1"))"
}

# prog_ids PID: the ids of the eBPF counters (wt_sc_*) that process PID holds.
# Precise even when other whytops count on the same machine at the same time.
prog_ids() {
	"$TARGETS/sc_bpfprogs" ids "$1" | tr '\n' ' '
}

# gone IDS: none of these programs exists any more (the kernel frees them
# shortly after their last fd closes), and no whytop tracefs instance exists.
gone() {
	[ -z "$1" ] || [ "$("$TARGETS/sc_bpfprogs" alive $1)" = 0 ] || return 1
	if [ -d /sys/kernel/tracing/instances ]; then
		! ls /sys/kernel/tracing/instances | grep -q '^whytop' || return 1
	fi
	return 0
}

no_libbpf() {
	[ "$("$TARGETS/sc_bpfprogs")" = -1 ]
}

# sc_cases LIST: the backends to count with, in CASES: LIST, or ptrace
# alone where the in-kernel counter cannot run here (kernel_backend_ok says why).
sc_cases() {
	CASES=$1
	kernel_backend_ok || CASES=ptrace
}

# kernel_backend_ok: the in-kernel counter can run here (root with BPF in
# this kernel). Where it cannot, tests skip the kernel cases and say why.
kernel_backend_ok() {
	if "$WHYTOP" syscalls $$ --backend kernel --duration 0 >/dev/null 2>"$T_TMP/kb.err"; then
		return 0
	fi
	echo "NOTE: in-kernel counting unavailable here: $(cat "$T_TMP/kb.err")" >&2
	return 1
}

# sc_work_start DIR [INT80] [WHAT]: start tests/targets/sc_work in DIR
# (created here, its output in DIR/out), its pid in P; wait (10 s) for its
# "ready" directory. It works once DIR/go exists, says so with DIR/worked.
sc_work_start() {
	mkdir -p "$1"
	t_start "$TARGETS/sc_work" "$1" "${2:-0}" >"$1/out"
	P=$T_PID
	t_wait_for 10 test -d "$1/ready" || t_fail "${3:+$3: }sc_work (pid $P) did not start: it is $(t_seen_state "$P")"
}

# sc_work_finish DIR [WHAT]: let sc_work (pid P) end; it must exit 0 within
# 20 s and say "sc_work: ok" (else: its status and output).
sc_work_finish() {
	mkdir "$1/finish"
	t_reaped "$P" 20
	[ "$T_STATUS" = 0 ] || t_fail "${2:+$2: }target harmed (status $T_STATUS): $(cat "$1/out")"
	grep -q 'sc_work: ok' "$1/out" || t_fail "${2:+$2: }target output: $(cat "$1/out")"
}
