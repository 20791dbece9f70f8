#!/bin/sh
# trace_strace.sh: whytop trace prints what strace prints. tests/targets/
# tr_calls makes a fixed list of calls (file, desc, memory, network, clock,
# process, signal; see its header) after two marker calls; it runs under
# `strace -f -o A OPTS` and `whytop trace -f -o B OPTS --backend ptrace`
# (and --backend kernel as root when this build and kernel have it), for
# several OPTS (none, -z, -Z, -e trace=, -s, -y, -tt -T). Both logs are cut
# to the lines from the first marker on (before it: the dynamic loader's
# calls, which differ by nature), normalised (pid prefixes, tr_calls' pid,
# getppid's result, addresses, clock values, pipe and socket inodes, times
# and durations, the padding before " = ") and compared line by line:
# "N of M lines agree", the diff, and a failure if any line of tr_calls'
# own list differs. Then, -f on stderr: "[pid N] " only while two tasks
# live (tests/targets/tr_fork, one fork); a read in progress when the log
# begins (tests/targets/tr_deep attached); two processes attached, one
# ending first. Then: whytop's status is the program's, --json is one
# valid object a line agreeing with the text, -c counts tr_calls' calls.
. "$SRCDIR/tests/lib.sh"

command -v strace >/dev/null 2>&1 || t_skip "strace is not installed (apt-get install strace)"
T="$TARGETS/tr_calls"
MARK='tr_calls-begin\|^getcwd('

# norm LOG OUT: the comparable lines of LOG.
norm() {
	sed -e 's/^\[pid  *\([0-9][0-9]*\)\] /\1 /' -e 's/^\([0-9][0-9]*\)  */\1 /' "$1" >"$T_TMP/n1"
	pid=$(sed -n 's/^\([0-9][0-9]*\) .*\(tr_calls-begin\|getcwd(\).*/\1/p' "$T_TMP/n1" | head -n 1)
	[ -n "$pid" ] || t_fail "no marker call (openat of /tr_calls-begin, getcwd) in $1: $(head -c 600 "$1")"
	sed -e 's/^[0-9][0-9]* //' \
		-e 's/^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]\{6\} /TIME /' "$T_TMP/n1" |
		sed -n "/$MARK/,\$p" |
		sed -e "s/\([^0-9]\)$pid\([^0-9]\|\$\)/\1PID\2/g" \
			-e 's/^\(\(TIME \)\{0,1\}getppid()  *= \)[0-9][0-9]*/\1PPID/' \
			-e 's/0x[0-9a-f]\{6,\}/0xADDR/g' \
			-e 's/tv_sec=[0-9][0-9]*, tv_nsec=[0-9][0-9]*/tv_sec=N, tv_nsec=N/g' \
			-e 's/\(pipe\|socket\):\[[0-9]*\]/\1:[N]/g' \
			-e 's/ <[0-9][0-9]*\.[0-9]\{6\}>$/ <T>/' \
			-e 's/)  *= /) = /' >"$2"
}

# compare WHAT A B: print the agreement and the diff; fail on a difference.
compare() {
	m=$(wc -l <"$2")
	n=$(awk 'NR == FNR { a[FNR] = $0; next } (FNR in a) && a[FNR] == $0 { n++ } END { print n + 0 }' "$2" "$3")
	echo "$1: $n of $m lines agree"
	if ! cmp -s "$2" "$3"; then
		diff -u "$2" "$3" | sed 's/^/    /'
		t_fail "$1: whytop trace differs from strace ($n of $m lines agree)"
	fi
}

backends="ptrace"
if [ "$(id -u)" = 0 ]; then
	timeout 60 "$WHYTOP" trace -o /dev/null --backend kernel -- "$T" >"$T_TMP/o" 2>"$T_TMP/e"
	st=$?
	if [ "$st" = 0 ]; then
		backends="$backends kernel"
	else
		# a build or kernel without eBPF: said, not a failure of the log
		echo "kernel backend not available here (exit $st): $(cat "$T_TMP/e")"
	fi
fi

# Each option set, as one word for the shell to split.
for opts in "" "-Z" "-z" "-e trace=openat,close,read" "-s 8" "-y" "-tt -T"; do
	# shellcheck disable=SC2086 # (split on purpose)
	timeout 60 strace -f -o "$T_TMP/strace.log" $opts "$T" >"$T_TMP/o" 2>"$T_TMP/e" ||
		t_fail "strace -f $opts $T failed: $(cat "$T_TMP/e")"
	norm "$T_TMP/strace.log" "$T_TMP/A"
	[ "$(wc -l <"$T_TMP/A")" -ge 5 ] ||
		t_fail "strace $opts logged only $(wc -l <"$T_TMP/A") lines of tr_calls: $(cat "$T_TMP/A")"
	for be in $backends; do
		rm -f "$T_TMP/whytop.log"
		# shellcheck disable=SC2086
		timeout 60 "$WHYTOP" trace -f -o "$T_TMP/whytop.log" $opts --backend "$be" -- "$T" >"$T_TMP/o" 2>"$T_TMP/e"
		st=$?
		[ "$st" = 0 ] || t_fail "whytop trace $opts --backend $be -- tr_calls: exit $st, want tr_calls' 0: $(cat "$T_TMP/e")"
		grep -q "^whytop trace: " "$T_TMP/e" ||
			t_fail "whytop trace --backend $be: no header line naming the backend: $(cat "$T_TMP/e")"
		norm "$T_TMP/whytop.log" "$T_TMP/B"
		compare "--backend $be ${opts:-(no options)}" "$T_TMP/A" "$T_TMP/B"
	done
done

for be in $backends; do
	# the program's status becomes whytop's, as strace's
	timeout 60 "$WHYTOP" trace -o /dev/null --backend "$be" -- "$T" 5 >"$T_TMP/o" 2>"$T_TMP/e"
	st=$?
	[ "$st" = 5 ] || t_fail "whytop trace --backend $be -- tr_calls 5: exit $st, want 5: $(cat "$T_TMP/e")"

	# --json: one object a line, the same calls as the text
	timeout 60 "$WHYTOP" trace --json --backend "$be" -- "$T" >"$T_TMP/j" 2>"$T_TMP/e" ||
		t_fail "whytop trace --json --backend $be failed: $(cat "$T_TMP/e")"
	python3 - "$T_TMP/j" <<'PY' || t_fail "whytop trace --json --backend $be: $(head -c 800 "$T_TMP/j")"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8", errors="strict")]
calls = [o for o in objs if o["type"] == "syscall"]
mark = [o for o in calls if o["name"] == "openat" and "/tr_calls-begin" in o["args"]]
assert len(mark) == 1, "no marker call: %r" % calls[:5]
m = mark[0]
assert m["ret"] == -2 and m["errno"] == "ENOENT", m
assert m["args"] == 'AT_FDCWD, "/tr_calls-begin", O_RDONLY', m
assert isinstance(m["duration"], float) and m["duration"] >= 0, m
i = calls.index(m)
names = [o["name"] for o in calls[i:]]
assert names[1] == "getcwd" and names[-1] == "exit_group", names
assert calls[-1]["ret"] is None, calls[-1]
sig = [o for o in objs if o["type"] == "signal"]
assert [s["signal"] for s in sig] == ["SIGUSR1"], sig
ex = [o for o in objs if o["type"] == "exit"]
assert ex and ex[-1]["status"] == 0 and ex[-1]["signal"] is None, ex
PY

	# -c: the counter's summary from the same records
	timeout 60 "$WHYTOP" trace -c -o "$T_TMP/c" --backend "$be" -- "$T" >"$T_TMP/o" 2>"$T_TMP/e" ||
		t_fail "whytop trace -c --backend $be failed: $(cat "$T_TMP/e")"
	awk '$NF == "connect" && $4 == 1 && $5 == 1 { c++ } $NF == "pipe2" && $4 == 1 { p++ }
		END { exit !(c == 1 && p == 1) }' "$T_TMP/c" ||
		t_fail "whytop trace -c --backend $be: want connect 1 call 1 error, pipe2 1 call: $(cat "$T_TMP/c")"
done
# A program named without a slash is found in PATH by whytop, as strace
# does: one execve, of the file that runs (not one failed execve per PATH
# directory tried before it); -f -o FILE writes strace's bare pid column.
d=$(dirname "$T")
PATH="/nonexistent-a:/nonexistent-b:$d:$PATH" timeout 60 "$WHYTOP" trace -f -o "$T_TMP/p" \
	--backend ptrace -- tr_calls 2>"$T_TMP/e" || t_fail "whytop trace -- tr_calls (by PATH) failed: $(cat "$T_TMP/e")"
n=$(grep -c 'execve(' "$T_TMP/p")
first=$(grep 'execve(' "$T_TMP/p" | head -n 1)
# tr_calls makes one failing execve of its own (of a missing file)
[ "$n" = 2 ] && echo "$first" | grep -Eq '^[0-9]+ +execve\("'"$d"'/tr_calls", \["tr_calls"\]' ||
	t_fail "by PATH: want the first execve of $d/tr_calls with a bare pid column, $n execve lines: $(grep 'execve(' "$T_TMP/p")"

# -f without -o: "[pid N] " only while two tasks live, as strace on a
# terminal (its printleader: nprocs > 1). tests/targets/tr_fork forks once;
# the calls in FORK_SET have one order only (see tr_fork.c), so both logs
# are compared line by line: the parent's lines before the fork and after
# the child is reaped bare, the child's lines (its exit too) prefixed.
FORK_SET=openat,close,getpid,clone,exit_group,pipe2,rt_sigprocmask
# fork_norm LOG OUT: from the marker on, the child's pid as CPID, addresses
fork_norm() {
	sed -n '/tr_fork-begin/,$p' "$1" | grep -v '^whytop trace: ' >"$T_TMP/f1"
	cpid=$(sed -n 's/^\(\[pid  *[0-9]*\] \)\{0,1\}clone(.*) *= \([0-9][0-9]*\)$/\2/p' "$T_TMP/f1")
	[ -n "$cpid" ] || t_fail "no clone line in $1: $(head -c 800 "$1")"
	sed -e "s/\([^0-9]\)$cpid\([^0-9]\|\$\)/\1CPID\2/g" -e 's/0x[0-9a-f]\{6,\}/0xADDR/g' \
		"$T_TMP/f1" >"$2"
}
timeout 60 strace -q -f -e trace=$FORK_SET "$TARGETS/tr_fork" 2>"$T_TMP/fs" >"$T_TMP/o" ||
	t_fail "strace -f tr_fork failed: $(cat "$T_TMP/fs")"
fork_norm "$T_TMP/fs" "$T_TMP/A"
grep -q '^\[pid  *CPID\] +++ exited with 0 +++$' "$T_TMP/A" ||
	t_fail "strace -f tr_fork: no prefixed exit line of the child: $(cat "$T_TMP/A")"
for be in $backends; do
	timeout 60 "$WHYTOP" trace -f -e trace=$FORK_SET --backend "$be" -- "$TARGETS/tr_fork" \
		2>"$T_TMP/fw" >"$T_TMP/o" || t_fail "whytop trace -f --backend $be -- tr_fork: $(cat "$T_TMP/fw")"
	fork_norm "$T_TMP/fw" "$T_TMP/B"
	compare "-f on stderr, a fork, --backend $be" "$T_TMP/A" "$T_TMP/B"
done

# A call in progress when the log begins: tests/targets/tr_deep blocked in
# read(0) on a fifo. strace -p makes it restart and logs it whole once the
# test feeds a line; the kernel backend, which does not stop the task,
# must log the same read (from /proc/PID/syscall at the start, its exit
# from the kernel), not drop it. The lines up to the write that follows
# are compared.
# blocked_log TRACER LOG: run TRACER (strace or a backend) on a blocked tr_deep
blocked_log() {
	rm -f "$T_TMP/rin" "$2"
	mkfifo "$T_TMP/rin"
	exec 4<>"$T_TMP/rin"
	"$TARGETS/tr_deep" /dev/null <"$T_TMP/rin" >"$T_TMP/rout" 4>&- &
	rpid=$!
	T_PIDS="$T_PIDS $rpid"
	t_wait_for 20 grep -q "^ready" "$T_TMP/rout" || t_fail "tr_deep (pid $rpid) did not say ready"
	# in read(2) (its number, 0, first in /proc/PID/syscall)
	t_wait_for 20 sh -c "cut -d' ' -f1 /proc/$rpid/syscall 2>/dev/null | grep -qx 0" ||
		t_fail "tr_deep (pid $rpid) is not blocked in read: $(cat /proc/$rpid/syscall)"
	if [ "$1" = strace ]; then
		t_start strace -o "$2" -p "$rpid" 2>"$T_TMP/rerr"
		ready="attached"
	else
		t_start "$WHYTOP" trace -o "$2" --backend "$1" -p "$rpid" 2>"$T_TMP/rerr"
		ready="Ctrl-C to stop"
	fi
	tpid=$T_PID
	t_wait_for 30 grep -q "$ready" "$T_TMP/rerr" || t_fail "$1 -p $rpid did not start: $(cat "$T_TMP/rerr")"
	printf '\n' >&4
	t_wait_for 30 grep -q "^done 1" "$T_TMP/rout" || t_fail "tr_deep (pid $rpid) did not go on"
	t_wait_for 30 grep -q '^write(1, "done 1' "$2" ||
		t_fail "$1 -p $rpid: no write of \"done 1\" logged: $(cat "$2")"
	kill -INT "$tpid"
	t_reaped "$tpid" 30 || t_fail "$1 -p $rpid did not end on SIGINT"
	exec 4>&-
	t_reaped "$rpid" 20 || t_fail "tr_deep (pid $rpid) did not end at end of input"
	sed -n '1,/^write(1, "done 1/p' "$2" | sed -e 's/0x[0-9a-f]\{6,\}/0xADDR/g' -e 's/)  *= /) = /' >"$2.n"
}
blocked_log strace "$T_TMP/rs"
grep -q '^read(0, "\\n", [0-9]*) = 1$' "$T_TMP/rs.n" ||
	t_fail "strace -p on tr_deep in read: no whole read line: $(cat "$T_TMP/rs")"
for be in $backends; do
	blocked_log "$be" "$T_TMP/rw"
	compare "a read in progress at the start, --backend $be" "$T_TMP/rs.n" "$T_TMP/rw.n"
done

# Two processes attached at once (-p A,B, no -f, on stderr): "[pid N] "
# from the first line, as strace attaches both before printing anything,
# and no longer once A has exited. Two tr_deep, each fed one line at a
# time, so that the openat lines come in one order.
# two_log TRACER OUT: the log of A's open, B's open, A's exit, B's open
two_log() {
	rm -f "$T_TMP/ta" "$T_TMP/tb"
	mkfifo "$T_TMP/ta" "$T_TMP/tb"
	exec 5<>"$T_TMP/ta" 6<>"$T_TMP/tb"
	"$TARGETS/tr_deep" /dev/null <"$T_TMP/ta" >"$T_TMP/oa" 5>&- 6>&- &
	apid=$!
	"$TARGETS/tr_deep" /dev/null <"$T_TMP/tb" >"$T_TMP/ob" 5>&- 6>&- &
	bpid=$!
	T_PIDS="$T_PIDS $apid $bpid"
	t_wait_for 20 grep -q "^ready" "$T_TMP/oa" && t_wait_for 20 grep -q "^ready" "$T_TMP/ob" ||
		t_fail "tr_deep (pids $apid $bpid) did not say ready"
	if [ "$1" = strace ]; then
		t_start strace -e trace=openat -p "$apid" -p "$bpid" 2>"$T_TMP/terr" 5>&- 6>&-
		# said once seized and interrupted: the next call of each is seen
		t_wait_for 30 grep -q "Process $bpid attached" "$T_TMP/terr" ||
			t_fail "strace -p $apid -p $bpid did not attach: $(cat "$T_TMP/terr")"
	else
		t_start "$WHYTOP" trace -e trace=openat --backend "$1" -p "$apid,$bpid" 2>"$T_TMP/terr" 5>&- 6>&-
		t_wait_for 30 grep -q "Ctrl-C to stop" "$T_TMP/terr" ||
			t_fail "whytop trace --backend $1 -p $apid,$bpid did not start: $(cat "$T_TMP/terr")"
	fi
	tpid=$T_PID
	printf '\n' >&5
	t_wait_for 30 grep -q "^done 1" "$T_TMP/oa" || t_fail "tr_deep $apid did not go on"
	printf '\n' >&6
	t_wait_for 30 grep -q "^done 1" "$T_TMP/ob" || t_fail "tr_deep $bpid did not go on"
	exec 5>&-
	t_reaped "$apid" 20 || t_fail "tr_deep $apid did not end at end of input"
	t_wait_for 30 grep -q "exited with 0" "$T_TMP/terr" || t_fail "$1: no exit line of $apid: $(cat "$T_TMP/terr")"
	printf '\n' >&6
	t_wait_for 30 grep -q "^done 2" "$T_TMP/ob" || t_fail "tr_deep $bpid did not go on"
	t_wait_for 30 sh -c "grep -c 'openat(AT_FDCWD, \"/dev/null\"' '$T_TMP/terr' | grep -qx 3" ||
		t_fail "$1: not three openat lines: $(cat "$T_TMP/terr")"
	kill -INT "$tpid"
	t_reaped "$tpid" 30 || t_fail "$1 -p $apid,$bpid did not end on SIGINT"
	exec 6>&-
	t_reaped "$bpid" 20 || t_fail "tr_deep $bpid did not end at end of input"
	grep -v '^whytop trace: \|^strace: Process [0-9]* \(attached\|detached\)$' "$T_TMP/terr" |
		sed -e "s/\([^0-9]\)$apid\([^0-9]\|\$\)/\1A\2/g" -e "s/\([^0-9]\)$bpid\([^0-9]\|\$\)/\1B\2/g" >"$2"
}
two_log strace "$T_TMP/2s"
grep -q '^\[pid  *A\] openat(' "$T_TMP/2s" && grep -q '^openat(' "$T_TMP/2s" ||
	t_fail "strace -p A -p B: want A's open prefixed and B's last bare: $(cat "$T_TMP/2s")"
for be in $backends; do
	two_log "$be" "$T_TMP/2w"
	compare "-p A,B on stderr, A ends first, --backend $be" "$T_TMP/2s" "$T_TMP/2w"
done
echo "ok: whytop trace prints tr_calls' calls as strace does"
