#!/bin/sh
# cli_thread_pid.sh: a thread's id given where a process id is expected is
# refused the same way by every command that takes a PID (list -p, stack,
# locals, poke, kstack, syscalls, the terminal UI's -p): exit 2, naming the
# process and the command that picks that thread. Before, stack walked the
# whole process labelled "process TID", kstack used the thread's name and
# list -p printed an empty table with status 0.
. "$SRCDIR/tests/lib.sh"

t_start_ready "$T_TMP/out" "^ready" "$TARGETS/proc_target" -t 2
pid=$T_PID
tid=""
for t in /proc/"$pid"/task/*; do
	[ "${t##*/}" != "$pid" ] && tid=${t##*/} && break
done
[ -n "$tid" ] || t_fail "proc_target has no second thread"

# refused HINT ARGS...: exit 2, one line saying whose thread it is and HINT.
refused() {
	hint=$1
	shift
	timeout 30 "$WHYTOP" "$@" >"$T_TMP/o" 2>"$T_TMP/e"
	st=$?
	[ "$st" = 2 ] || t_fail "whytop $*: exit $st, want 2: $(cat "$T_TMP/e")"
	[ "$(wc -l <"$T_TMP/e")" -eq 1 ] || t_fail "whytop $*: want one line on stderr: $(cat "$T_TMP/e")"
	grep -qF "$tid is a thread of process $pid, not a process; use '$hint'" "$T_TMP/e" ||
		t_fail "whytop $*: unclear refusal: $(cat "$T_TMP/e")"
	[ ! -s "$T_TMP/o" ] || t_fail "whytop $* printed on stdout: $(head -3 "$T_TMP/o")"
	# nothing was done to the target: no tracer left, not stopped
	t_left_running "$pid" "after whytop $*"
}
refused "whytop list --threads -p $pid" list -p "$tid"
refused "whytop list --threads -p $pid" list --pid "$pid,$tid"
refused "whytop stack $pid --thread $tid" stack "$tid"
refused "whytop locals $pid --thread $tid" locals "$tid"
refused "whytop poke $pid --thread $tid NAME=VALUE" poke "$tid" x=1
refused "whytop kstack $pid --thread $tid" kstack "$tid"
refused "whytop syscalls $pid --thread $tid" syscalls "$tid" --duration 0
refused "whytop -p $pid -H" -p "$tid"

# The process itself and the hinted forms are accepted.
"$WHYTOP" list -p "$pid" --interval 0 >"$T_TMP/o" || t_fail "list -p $pid failed"
grep -q "^ *$pid " "$T_TMP/o" || t_fail "list -p $pid does not show it"
"$WHYTOP" list --threads -p "$pid" --interval 0 >"$T_TMP/o" || t_fail "list --threads -p $pid failed"
grep -q "^ *$tid " "$T_TMP/o" || t_fail "list --threads -p $pid does not show thread $tid"
if [ "$(id -u)" = 0 ]; then
	"$WHYTOP" stack "$pid" --thread "$tid" >"$T_TMP/o" 2>"$T_TMP/e" ||
		t_fail "stack $pid --thread $tid failed: $(cat "$T_TMP/e")"
	grep -q "^thread $tid " "$T_TMP/o" || t_fail "stack --thread $tid shows no thread $tid"
	# --thread, and --tid, its older name
	"$WHYTOP" kstack "$pid" --thread "$tid" >"$T_TMP/o" 2>"$T_TMP/e" ||
		t_fail "kstack $pid --thread $tid failed: $(cat "$T_TMP/e")"
	"$WHYTOP" kstack "$pid" --tid "$tid" >"$T_TMP/o" 2>"$T_TMP/e" ||
		t_fail "kstack $pid --tid $tid failed: $(cat "$T_TMP/e")"
	grep -q "^process $pid " "$T_TMP/o" || t_fail "kstack does not name process $pid: $(head -1 "$T_TMP/o")"
fi
echo "ok: a thread id for a PID is refused with a hint by every command"
