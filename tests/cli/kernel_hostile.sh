#!/bin/sh
# kernel_hostile.sh: names whytop prints in the kernel view come from
# untrusted places -- a task's comm, the path behind an fd, a path read from
# the task's memory. Terminal escapes, BEL and newlines in them must come
# out escaped, in text and in JSON.
. "$SRCDIR/tests/lib.sh"
t_need_root

ESC=$(printf '\033')
BEL=$(printf '\007')
NL='
'
# A FIFO whose name is a terminal title escape with a newline in it.
F="$T_TMP/fifo${ESC}]0;pwned${BEL}${NL}x"
F2="$T_TMP/open${ESC}[2J"
mkfifo "$F" "$F2" || t_fail "mkfifo"
SAFE_F="$T_TMP/fifo\\e]0;pwned\\x07\\nx"
SAFE_F2="$T_TMP/open\\e[2J"

# Blocked in open(2) of F2: a path argument read from the task's memory.
t_start "$TARGETS/kern_fuse_reader" "$F2"
OPENER=$T_PID
# Blocked in read(2) of F, under a comm that clears the screen.
ln -s "$(command -v cat)" "$T_TMP/k${ESC}[2Jv"
exec 3<>"$F"
# Not t_start: an asynchronous command's stdin would be /dev/null, not the FIFO.
"$T_TMP/k${ESC}[2Jv" <&3 &
READER=$!
T_PIDS="$T_PIDS $READER"
exec 3>&-
waits() {
	case "$(cat /proc/"$READER"/wchan 2>/dev/null)" in
	pipe_read | anon_pipe_read) ;;
	*) return 1 ;;
	esac
	[ "$(t_state "$OPENER")" = S ] && [ "$(cat /proc/"$OPENER"/wchan 2>/dev/null)" != 0 ]
}
t_wait_for 5 waits || t_fail "targets not blocked ($(cat /proc/"$READER"/wchan) $(t_state "$OPENER"))"

no_raw() {
	printf '%s' "$1" | tr -d '\n' | grep -q "[$(printf '\001-\010\013-\037\177')]" &&
		t_fail "raw control bytes in: $2"
	return 0
}

r=$("$WHYTOP" kstack "$READER") || t_fail "kstack exited $?"
echo "$r"
no_raw "$r" "kstack text"
echo "$r" | grep -Fq "thread $READER (k\\e[2Jv): S" || t_fail "comm not escaped"
echo "$r" | grep -Fq "syscall: read(0<$SAFE_F>, 0x" || t_fail "fd path not escaped"
rj=$("$WHYTOP" kstack "$READER" --json) || t_fail "kstack --json exited $?"
no_raw "$rj" "kstack json"
echo "$rj" | grep -Fq "\"comm\":\"k\\\\e[2Jv\"" || t_fail "json comm"
echo "$rj" | grep -Fq "\"path\":\"$(echo "$SAFE_F" | sed 's/\\/\\\\/g')\"" || t_fail "json fd path"

o=$("$WHYTOP" kstack "$OPENER") || t_fail "kstack exited $?"
echo "$o"
no_raw "$o" "kstack text (open)"
echo "$o" | grep -Fq "syscall: openat(AT_FDCWD, \"$SAFE_F2\", 0x" || t_fail "path argument not escaped"
exit 0
