#!/bin/sh
# syscalls_idle.sh: threads asleep in pause() and nanosleep make no system
# call while they are counted. Attaching ptrace interrupts each sleep and
# the kernel restarts it (the same call, or restart_syscall): that re-entry
# is not a new call, so the ptrace backend must count 0, as the in-kernel
# one does (it never interrupts anything). Before the fix: one pause per
# thread in pause() and one restart_syscall per thread in nanosleep.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/syscalls_lib.sh"
t_need_root

N=50
t_start_ready "$T_TMP/idle.out" '^ready' "$TARGETS/sc_idle" "$N"
P=$T_PID

# Every thread (2N and the main one) asleep in its call: state S and the
# syscall file naming pause (34), clock_nanosleep (230), nanosleep (35) or,
# once interrupted and restarted, restart_syscall (219).
all_asleep() {
	local n=0 tid st nr
	for tid in $(ls "/proc/$P/task"); do
		st=$(t_state "$P/task/$tid")
		nr=$(cut -d' ' -f1 "/proc/$P/task/$tid/syscall" 2>/dev/null)
		[ "$st" = S ] || return 1
		case $nr in 34 | 35 | 219 | 230) n=$((n + 1)) ;; *) return 1 ;; esac
	done
	[ "$n" = $((2 * N + 1)) ]
}

count() { # BACKEND OUT
	t_wait_for 20 all_asleep || t_fail "the threads of sc_idle did not all go back to sleep"
	"$WHYTOP" syscalls "$P" --backend "$1" --duration 1 --json >"$2" 2>"$2.err" ||
		t_fail "$1: whytop syscalls failed: $(cat "$2.err")"
	echo "$1: $(cat "$2")"
	B=$1
	grep -q '"total":{"calls":0,' "$2" || t_fail "$1 counted calls of idle threads: $(cat "$2")"
	expect "$2" pause x86_64 none
	expect "$2" restart_syscall x86_64 none
	expect "$2" clock_nanosleep x86_64 none
	t_untraced "$P" "$1: sc_idle after counting"
}

# Twice: each attach again finds every thread in the middle of its call.
count ptrace "$T_TMP/pt1.json"
count ptrace "$T_TMP/pt2.json"
if kernel_backend_ok; then
	count kernel "$T_TMP/k.json"
fi
# The threads went back to their calls after each detach (nothing left stopped).
t_wait_for 20 all_asleep || t_fail "the threads of sc_idle did not all go back to sleep at the end"
kill -TERM "$P"
t_reaped "$P" 10 || t_fail "sc_idle did not end on SIGTERM"
[ "$T_STATUS" = 143 ] || t_fail "sc_idle ended with $T_STATUS, expected 143 (SIGTERM)"
exit 0
