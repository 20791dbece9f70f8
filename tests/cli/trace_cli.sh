#!/bin/sh
# trace_cli.sh: whytop trace's options, as strace's: --help lists each of
# them (strace's letters and long names); bad input is refused in one line
# on stderr with exit 2 and nothing on stdout, before anything is attached
# (an unknown syscall name in -e, a bad -s, -z with -Z, a thread's id, no
# process and no program, a process and a program). These need no trace
# session: they run on any build.
. "$SRCDIR/tests/lib.sh"

"$WHYTOP" trace --help >"$T_TMP/h" 2>"$T_TMP/e" || t_fail "whytop trace --help failed: $(cat "$T_TMP/e")"
for o in "-e, --trace SET" "--status" "-z, --successful-only" "-Z, --failed-only" \
	"-f, --follow-forks" "-p, --attach PID" "-T, --syscall-times" "-t, --absolute-timestamps" \
	"-y, --decode-fds" "-s, --string-limit STRSIZE" "-o, --output FILE" "-c, --summary-only" \
	"--duration SEC" "--json" "--backend kernel|ptrace|auto" "-k, --stack-trace" "-h, --help"; do
	grep -qF -- "$o" "$T_TMP/h" || t_fail "whytop trace --help does not list '$o': $(cat "$T_TMP/h")"
done
grep -q "^Usage: whytop trace \[OPTIONS\] PID\[,PID...\] | -- CMD" "$T_TMP/h" ||
	t_fail "whytop trace --help: no usage line: $(head -2 "$T_TMP/h")"
"$WHYTOP" --help | grep -q "^  whytop trace " || t_fail "whytop --help does not list trace"

# refused WANT ARGS...: whytop trace ARGS exits 2 with one line on stderr
# holding WANT, and prints nothing on stdout.
refused() {
	want=$1
	shift
	timeout 30 "$WHYTOP" trace "$@" >"$T_TMP/o" 2>"$T_TMP/e" </dev/null
	st=$?
	[ "$st" = 2 ] || t_fail "whytop trace $*: exit $st, want 2: $(cat "$T_TMP/e")"
	[ "$(wc -l <"$T_TMP/e")" -eq 1 ] || t_fail "whytop trace $*: want one line on stderr: $(cat "$T_TMP/e")"
	grep -qF -- "$want" "$T_TMP/e" || t_fail "whytop trace $*: want '$want' in: $(cat "$T_TMP/e")"
	grep -q "^whytop trace: " "$T_TMP/e" || t_fail "whytop trace $*: the error does not name the command: $(cat "$T_TMP/e")"
	[ ! -s "$T_TMP/o" ] || t_fail "whytop trace $* printed on stdout: $(head -3 "$T_TMP/o")"
}

# a process that exists, for the errors that come after the pid is read
me=$$
refused "which process or program?" 
refused "which process or program?" -f -T
refused "no syscall named 'opne'" -e trace=opne "$me"
refused "no syscall named 'opne'" -e opne "$me"
refused "no syscall named 'opne'" --trace=openat,opne "$me"
refused "-e takes trace=SET or status=successful|failed, not 'verbose=all'" -e verbose=all "$me"
refused "-e status= is successful or failed, not 'maybe'" -e status=maybe "$me"
refused "--status is successful or failed, not 'ok'" --status ok "$me"
refused "--string-limit wants a string size in bytes from 1 to 4096, not '0'" -s 0 "$me"
refused "--string-limit wants a string size in bytes from 1 to 4096, not 'x'" -s x "$me"
refused "--string-limit wants a string size in bytes from 1 to 4096, not '5000'" -s 5000 "$me"
refused "--string-limit wants a string size in bytes from 1 to 4096, not ' 8'" -s " 8" "$me"
refused "-z (successful) and -Z (failed) together" -z -Z "$me"
refused "-z (successful) and -Z (failed) together" -Z -e status=successful "$me"
refused "--duration wants seconds" --duration 1e3 "$me"
refused "--backend is kernel, ptrace or auto, not 'bpf'" --backend bpf "$me"
refused "give --json (the log) or -c (the summary), not both" --json -c "$me"
refused "-k prints stacks in the log and -c prints no log: give one of them" -k -c "$me"
refused "'12x' is not a process id" 12x
refused "'$me,,$me' is not a list of process ids" "$me,,$me"
refused "'$me,' is not a list of process ids" -p "$me,"
refused "give processes (-p PID) or a program (-- CMD), not both" -p "$me" -- true
refused "unexpected argument 'true'" "$me" true
refused "unknown option '--follow'" --follow "$me"
refused "option '-s' needs a value" -s

# A thread's id is refused, naming the process and -f (every thread).
t_start_ready "$T_TMP/out" "^ready" "$TARGETS/proc_target" -t 2
pid=$T_PID
tid=""
for t in /proc/"$pid"/task/*; do
	[ "${t##*/}" != "$pid" ] && tid=${t##*/} && break
done
[ -n "$tid" ] || t_fail "proc_target has no second thread"
refused "$tid is a thread of process $pid, not a process; use 'whytop trace -f $pid'" "$tid"
refused "$tid is a thread of process $pid, not a process; use 'whytop trace -f $pid'" -p "$pid,$tid"
t_left_running "$pid" "after whytop trace $tid"
echo "ok: whytop trace refuses bad input in one line, before attaching"
