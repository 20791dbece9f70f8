# libcalls_lib.sh: helpers for the libcalls tests (sourced after lib.sh).
# tests/targets/lib_calls calls rand 100 times and getpid 7 times per
# SIGUSR1 and writes how many signals it has handled to a file.

# lc_need_bpf PID: skip unless this whytop has its eBPF programs.
lc_need_bpf() {
	"$WHYTOP" libcalls "$1" --duration 0 >/dev/null 2>"$T_TMP/probe.err"
	! grep -q "built without eBPF" "$T_TMP/probe.err" ||
		t_skip "whytop was built without eBPF programs: $(cat "$T_TMP/probe.err")"
}

# lc_target NAME: start a lib_calls target; its pid in LC_PID, its done
# file in $T_TMP/NAME.done.
lc_target() {
	t_start_ready "$T_TMP/$1.out" ready "$TARGETS/lib_calls" "$T_TMP/$1.done"
	LC_PID=$T_PID
}

# lc_done_is NAME N: the target NAME has handled N signals.
lc_done_is() {
	[ "$(cat "$T_TMP/$1.done" 2>/dev/null)" = "$2" ]
}

# lc_signal NAME PID N: send N SIGUSR1, one at a time, each waited for
# (the done file), so that none is merged with another.
lc_signal() {
	local i=0 have
	have=$(cat "$T_TMP/$1.done" 2>/dev/null || echo 0)
	while [ $i -lt "$3" ]; do
		i=$((i + 1))
		kill -USR1 "$2" || t_fail "cannot signal $1 (pid $2)"
		t_wait_for 20 lc_done_is "$1" $((have + i)) ||
			t_fail "$1 (pid $2) did not handle signal $((have + i)); it is $(t_seen_state "$2")"
		t_expect_state "$2" RS "$1 while counted"
	done
}

# lc_count_start OUT PID ARGS...: start whytop libcalls PID ARGS --json
# (stdout OUT, stderr OUT.err) and wait until it counts; its pid in LC_W.
lc_count_start() {
	local out=$1 pid=$2
	shift 2
	t_start "$WHYTOP" libcalls "$pid" --json "$@" >"$out" 2>"$out.err"
	LC_W=$T_PID
	t_wait_for 30 grep -q counting "$out.err" ||
		t_fail "whytop libcalls $pid $* did not start: $(cat "$out.err")"
}

# lc_count_end: end whytop (SIGTERM: it prints its count) and check it exited 0.
lc_count_end() {
	kill -TERM "$LC_W"
	t_reaped "$LC_W" 30
	[ "$T_STATUS" = 0 ] || t_fail "whytop libcalls exited with $T_STATUS: $(cat "$1.err")"
}

# lc_code_intact JSON PID WHAT: for each function of JSON, the first bytes
# of its code in process PID's memory are those of its library file: no
# breakpoint (int3) of a uprobe is left in the target.
lc_code_intact() {
	t_json_check "$1" "$3" '
pid = a[0]
maps = []
with open("/proc/%d/maps" % pid) as f:
    for line in f:
        p = line.split()
        if len(p) >= 6:
            lo, hi = (int(x, 16) for x in p[0].split("-"))
            maps.append((lo, hi, int(p[2], 16), p[5]))
assert d["functions"], "no function counted"
for fn in d["functions"]:
    off = int(fn["offset"], 16)
    m = [x for x in maps if x[3] == fn["library"] and x[2] <= off < x[2] + x[1] - x[0]]
    assert m, ("not mapped", fn["function"])
    lo, hi, fo, path = m[0]
    with open("/proc/%d/root%s" % (pid, path), "rb") as f:
        f.seek(off)
        want = f.read(8)
    with open("/proc/%d/mem" % pid, "rb") as f:
        f.seek(lo + off - fo)
        have = f.read(8)
    assert have == want, ("code changed", fn["function"], have.hex(), want.hex())
' "$2"
}

# lc_has_multi: the kernel has uprobe_multi links (Linux 6.6 and later),
# so whytop must use them unless told not to.
lc_has_multi() {
	local v
	v=$(uname -r | sed 's/^\([0-9]*\)\.\([0-9]*\).*/\1 \2/')
	set -- $v
	[ "$1" -gt 6 ] || { [ "$1" -eq 6 ] && [ "$2" -ge 6 ]; }
}
