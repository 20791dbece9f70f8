#!/bin/sh
# trace_strace.sh: whytop trace prints what strace prints. tests/targets/
# tr_calls makes a fixed list of calls (file, desc, memory, network, clock,
# process, signal; see its header) after a marker call; it runs under
# `strace -f -o A` and under `whytop trace -f -o B --backend ptrace` (and
# --backend kernel as root when this build and kernel have it). Both logs
# are cut to the lines from the marker on (before it: the dynamic loader's
# calls, which differ by nature), normalised (pid prefixes, tr_calls' pid,
# getppid's result, addresses, clock values, the padding before " = ") and
# compared line by line: "N of M lines agree", the diff, and a failure if
# any line of tr_calls' own list differs.
. "$SRCDIR/tests/lib.sh"

command -v strace >/dev/null 2>&1 || t_skip "strace is not installed (apt-get install strace)"
T="$TARGETS/tr_calls"

# norm LOG OUT: the comparable lines of LOG.
norm() {
	pid=$(sed -n 's/^\[pid *\([0-9][0-9]*\)\] .*tr_calls-begin.*/\1/p; s/^\([0-9][0-9]*\)  *.*tr_calls-begin.*/\1/p' "$1" | head -n 1)
	[ -n "$pid" ] || t_fail "no marker call (openat of /tr_calls-begin) in $1: $(head -c 600 "$1")"
	sed -n '/tr_calls-begin/,$p' "$1" |
		sed -e 's/^\[pid  *[0-9][0-9]*\] //' -e 's/^[0-9][0-9]*  *//' \
			-e "s/\([^0-9]\)$pid\([^0-9]\|\$\)/\1PID\2/g" \
			-e 's/^\(getppid()  *= \)[0-9][0-9]*/\1PPID/' \
			-e 's/0x[0-9a-f]\{6,\}/0xADDR/g' \
			-e 's/tv_sec=[0-9][0-9]*, tv_nsec=[0-9][0-9]*/tv_sec=N, tv_nsec=N/g' \
			-e 's/)  *= /) = /' >"$2"
}

# compare WHAT A B: print the agreement and the diff; fail on a difference.
compare() {
	m=$(wc -l <"$2")
	n=$(awk 'NR == FNR { a[FNR] = $0; next } (FNR in a) && a[FNR] == $0 { n++ } END { print n + 0 }' "$2" "$3")
	echo "$1: $n of $m lines agree"
	if ! cmp -s "$2" "$3"; then
		diff -u "$2" "$3" | sed 's/^/    /'
		t_fail "$1: whytop trace differs from strace on tr_calls' own calls ($n of $m lines agree)"
	fi
}

timeout 60 strace -f -o "$T_TMP/strace.log" "$T" >"$T_TMP/o" 2>"$T_TMP/e" ||
	t_fail "strace -f $T failed: $(cat "$T_TMP/e")"
norm "$T_TMP/strace.log" "$T_TMP/A"
[ "$(wc -l <"$T_TMP/A")" -ge 40 ] || t_fail "strace logged only $(wc -l <"$T_TMP/A") lines of tr_calls: $(cat "$T_TMP/A")"

backends="ptrace"
[ "$(id -u)" = 0 ] && backends="$backends kernel"
for be in $backends; do
	rm -f "$T_TMP/whytop.log"
	timeout 60 "$WHYTOP" trace -f -o "$T_TMP/whytop.log" --backend "$be" -- "$T" >"$T_TMP/o" 2>"$T_TMP/e"
	st=$?
	if [ "$be" = kernel ] && [ "$st" = 1 ] && ! [ -s "$T_TMP/whytop.log" ]; then
		# a build or kernel without eBPF: said, not a failure of the log
		echo "kernel backend not available here: $(cat "$T_TMP/e")"
		continue
	fi
	[ "$st" = 0 ] || t_fail "whytop trace --backend $be -- tr_calls: exit $st, want tr_calls' 0: $(cat "$T_TMP/e")"
	grep -q "^whytop trace: " "$T_TMP/e" || t_fail "whytop trace --backend $be: no header line naming the backend: $(cat "$T_TMP/e")"
	norm "$T_TMP/whytop.log" "$T_TMP/B.$be"
	compare "--backend $be" "$T_TMP/A" "$T_TMP/B.$be"
done
echo "ok: whytop trace prints tr_calls' calls as strace does"
