#!/bin/sh
# inject_end.sh: nothing stays injected once whytop inject is gone, however
# it goes. On the same opener, in turn:
#  - SIGTERM while a call is held by --delay-enter 60 s and made to fail
#    with EACCES: whytop exits at once (long before the delay), the held
#    open returns the injected EACCES (never the ENOSYS of a call skipped
#    and left so), and the opens after it succeed;
#  - SIGHUP during --error ENOENT: the opens succeed again;
#  - SIGKILL of whytop during --error ENOENT: the kernel detaches the
#    opener (no PTRACE_O_EXITKILL), which runs on untraced and whose opens
#    after the one in flight succeed.
# Each time the opener is left running (R or S) with TracerPid 0.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/inject_lib.sh"

F="$T_TMP/file"
: >"$F"
inj_start "$F"

# SIGTERM with a call held (its entry is logged: --all)
inj_whytop "$T_TMP/log1" "$OP" -e trace=openat --error EACCES --delay-enter 60000000 --all
inj_wait "$T_TMP/log1" "^openat\(AT_FDCWD, \"$F\"" 1 30 "whytop inject --delay-enter 60 s"
t_expect_state "$OP" t "the opener held in its open by --delay-enter" 10
n=$(wc -l <"$T_TMP/opener")
inj_end TERM "whytop inject held in a 60 s delay"
t_wait_for 20 sh -c '[ "$(wc -l <"$1")" -gt "$2" ]' _ "$T_TMP/opener" "$n" ||
	t_fail "the open held by whytop did not return after SIGTERM of whytop: $(tail -n 3 "$T_TMP/opener")"
held=$(sed -n "$((n + 1))p" "$T_TMP/opener")
echo "the held open returned: $held"
case $held in
"open "*" EACCES "* | "open "*" ok "*) ;;
*) t_fail "the open held at SIGTERM of whytop returned neither its injected EACCES nor its real result: '$held'" ;;
esac
inj_after_end "$n" "after SIGTERM of whytop inject"

# SIGHUP
inj_whytop "$T_TMP/log2" "$OP" -e trace=openat --error ENOENT
inj_wait "$T_TMP/log2" "ENOENT .*\(INJECTED\)$" 2 30 "whytop inject --error ENOENT"
inj_end HUP "whytop inject --error ENOENT"
inj_after_end "$(wc -l <"$T_TMP/opener")" "after SIGHUP of whytop inject"

# SIGKILL: no handler runs; the kernel lets the opener go
inj_whytop "$T_TMP/log3" "$OP" -e trace=openat --error ENOENT
inj_wait "$T_TMP/log3" "ENOENT .*\(INJECTED\)$" 2 30 "whytop inject --error ENOENT"
inj_wait "$T_TMP/opener" " ENOENT " 4 30 "the opener under whytop inject --error ENOENT"
kill -KILL "$WT"
t_reaped "$WT" 20 || t_fail "whytop did not die of SIGKILL within 20 s"
inj_after_end "$(wc -l <"$T_TMP/opener")" "after SIGKILL of whytop inject"
exit 0
