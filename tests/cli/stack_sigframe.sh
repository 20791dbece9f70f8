#!/bin/sh
# A thread inside a signal handler: the handler, the signal trampoline
# (marked [signal], named at its exact address), and below it the code the
# signal interrupted, at its exact line, then its caller.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/stack_lib.sh"
t_need_root

stk_start stk_sighandler
kill -USR1 "$STK_PID"
t_wait_for 5 grep -q '^beat' "$STK_OUT" || t_fail "the handler did not run"
handler=$(stk_line stk_sighandler.c STK_HANDLER_LINE)
busy=$(stk_line stk_sighandler.c STK_BUSY_LINE)
call=$(stk_line stk_sighandler.c STK_CALL_LINE)
w=$T_TMP/sig.txt
stk_walk "$w" "$STK_PID"
stk_expect "$w" " stk_sig_handler\+0x[0-9a-f]+ \(stk_sighandler\) at .*stk_sighandler\.c:$handler$" "the handler"
# The trampoline: named when libc's symbols are there, marked in any case.
stk_expect "$w" "^  #[0-9]+ +0x[0-9a-f]+ .*\(libc\.so\.6\).* \[signal\]$" "the signal frame"
stk_expect "$w" " stk_sig_busy\+0x[0-9a-f]+ \(stk_sighandler\) at .*stk_sighandler\.c:$busy$" \
	"the interrupted function"
stk_expect "$w" " main\+0x[0-9a-f]+ \(stk_sighandler\) at .*stk_sighandler\.c:$call$" "its caller"
# Order: handler, then [signal], then the interrupted code.
order=$(grep -nE "stk_sig_handler\+|\[signal\]|stk_sig_busy\+" "$w" | cut -d: -f1 | tr '\n' ' ')
set -- $order
[ $# = 3 ] && [ "$1" -lt "$2" ] && [ "$2" -lt "$3" ] || t_fail "frames out of order: $order"
stk_walk "$w" "$STK_PID" --json
stk_expect "$w" "\"signal\":true" "the signal frame in JSON"
stk_runs_on "$STK_OUT"
exit 0
