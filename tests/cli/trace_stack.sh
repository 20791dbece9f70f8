#!/bin/sh
# trace_stack.sh: whytop trace -k prints, after each logged call, the user
# stack of the call, named by the same unwinder and symbolizer as `whytop
# stack`. tests/targets/tr_deep (-O2 -g) opens a file from tr_deep_open,
# called from tr_deep_middle (inlined into tr_deep_outer), called from
# main, once per line it reads. For the program started with `-- CMD` and
# for an attached pid, each openat of that file is followed by " > " lines
# naming, innermost first, libc's open, then tr_deep_open, tr_deep_middle
# [inline], tr_deep_outer and main, each at the file:line of its marker in
# tr_deep.c; --json carries the same frames in a "stack" array. The
# attached process runs on untraced afterwards; -k says in the header that
# it uses ptrace. With -f across a fork (tests/targets/tr_fork), the
# child's calls carry the child's stack, also once it has exec'd tr_deep.
. "$SRCDIR/tests/lib.sh"

SRC="$SRCDIR/tests/targets/tr_deep.c"
line_of() {
	n=$(grep -n "$1" "$SRC" | head -n 1 | cut -d: -f1)
	[ -n "$n" ] || t_fail "marker $1 not found in $SRC"
	echo "$n"
}
L_OPEN=$(line_of TR_OPEN_LINE)
L_MIDDLE=$(line_of TR_MIDDLE_LINE)
L_OUTER=$(line_of TR_OUTER_LINE)
L_MAIN=$(line_of TR_MAIN_LINE)
F="$T_TMP/opened-by-tr_deep"
: >"$F"

# check_log LOG WHAT N: N openat calls of $F, each followed by its stack.
check_log() {
	log=$1 what=$2 want=$3
	got=$(grep -c "^openat(AT_FDCWD, \"$F\", O_RDONLY) *= [0-9]" "$log")
	[ "$got" = "$want" ] || t_fail "$what: $got openat lines of $F, want $want: $(head -c 1500 "$log")"
	# the frames after each such call, up to the next line not a frame
	awk -v f="openat(AT_FDCWD, \"$F\"" '
		index($0, f) == 1 { on = 1; n++; print "CALL " n; next }
		on && /^ > / { print; next }
		{ on = 0 }' "$log" >"$T_TMP/frames"
	for i in $(seq 1 "$want"); do
		sed -n "/^CALL $i\$/,/^CALL $((i + 1))\$/p" "$T_TMP/frames" | grep '^ > ' >"$T_TMP/one"
		# innermost first: libc's open, then tr_deep's functions in order
		order=$(sed -n 's/^ > [^(]*(\([A-Za-z_0-9.]*\)+0x.*/\1/p' "$T_TMP/one" |
			grep -n '^tr_deep_\|^main$' | tr '\n' ' ')
		[ "$order" = "2:tr_deep_open 3:tr_deep_middle 4:tr_deep_outer 5:main " ] ||
			t_fail "$what: call $i: want frames 2-5 tr_deep_open, tr_deep_middle, tr_deep_outer, main; got '$order' in: $(cat "$T_TMP/one")"
		head -n 1 "$T_TMP/one" | grep -q '^ > libc\.so\.6(' ||
			t_fail "$what: call $i: frame 1 is not in libc: $(head -n 1 "$T_TMP/one")"
		for fl in "tr_deep_open $L_OPEN" "tr_deep_middle $L_MIDDLE" "tr_deep_outer $L_OUTER" "main $L_MAIN"; do
			fn=${fl% *} ln=${fl#* }
			grep -q "^ > tr_deep($fn+0x[0-9a-f]*) \[0x[0-9a-f]*\] .*tr_deep\.c:$ln\( \[inline\]\)\{0,1\}\$" "$T_TMP/one" ||
				t_fail "$what: call $i: no frame '$fn' at tr_deep.c:$ln in: $(cat "$T_TMP/one")"
		done
		grep -q "^ > tr_deep(tr_deep_middle+.* \[inline\]\$" "$T_TMP/one" ||
			t_fail "$what: call $i: tr_deep_middle is not marked [inline]: $(cat "$T_TMP/one")"
		! grep -q "^ > tr_deep(tr_deep_outer+.* \[inline\]\$" "$T_TMP/one" ||
			t_fail "$what: call $i: tr_deep_outer is marked [inline]: $(cat "$T_TMP/one")"
	done
}

# 1. The program started by whytop: two opens, then end of input, exit.
printf '\n\n' | timeout 60 "$WHYTOP" trace -k -s 4096 -e trace=openat -o "$T_TMP/log1" \
	-- "$TARGETS/tr_deep" "$F" >"$T_TMP/out1" 2>"$T_TMP/err1"
st=$?
[ "$st" = 0 ] || t_fail "whytop trace -k -- tr_deep: exit $st: $(cat "$T_TMP/err1")"
grep -q "^whytop trace: ptrace (-k: stacks need ptrace stops), " "$T_TMP/err1" ||
	t_fail "whytop trace -k: the header does not say -k uses ptrace: $(cat "$T_TMP/err1")"
check_log "$T_TMP/log1" "whytop trace -k -- tr_deep" 2

# --backend kernel with -k: ptrace still, and the header says why
timeout 60 "$WHYTOP" trace -k --backend kernel -e trace=openat -o "$T_TMP/logk" \
	-- "$TARGETS/tr_deep" "$F" </dev/null >/dev/null 2>"$T_TMP/errk" ||
	t_fail "whytop trace -k --backend kernel: $(cat "$T_TMP/errk")"
grep -q "^whytop trace: ptrace (not in-kernel: -k needs ptrace stops), " "$T_TMP/errk" ||
	t_fail "whytop trace -k --backend kernel: the header does not say why ptrace: $(cat "$T_TMP/errk")"

# 2. --json: the same frames in a "stack" array.
printf '\n' | timeout 60 "$WHYTOP" trace -k --json -s 4096 -e trace=openat \
	-- "$TARGETS/tr_deep" "$F" >"$T_TMP/json" 2>"$T_TMP/err2" ||
	t_fail "whytop trace -k --json: $(cat "$T_TMP/err2")"
grep "\"name\":\"openat\".*opened-by-tr_deep" "$T_TMP/json" >"$T_TMP/json1"
t_json_check "$T_TMP/json1" "whytop trace -k --json" '
s = d["stack"]
names = [f["function"] for f in s]
assert names[1:5] == ["tr_deep_open", "tr_deep_middle", "tr_deep_outer", "main"], names
lines = [f["line"] for f in s[1:5]]
assert lines == a[0:4], (lines, a)
assert [f["inline"] for f in s[1:5]] == [False, True, False, False], s
assert all(f["file"].endswith("tr_deep.c") for f in s[1:5]), s
assert s[0]["module"] == "libc.so.6", s[0]
assert d["stack_error"] is None, d["stack_error"]
' "$L_OPEN" "$L_MIDDLE" "$L_OUTER" "$L_MAIN"

# 3. An attached process: its input is a fifo this shell holds open.
# (opened read-write first: opening a fifo's one end alone blocks)
mkfifo "$T_TMP/in"
exec 3<>"$T_TMP/in"
# (not through t_start: an asynchronous command's stdin is /dev/null unless
# the command itself redirects it)
"$TARGETS/tr_deep" "$F" <"$T_TMP/in" >"$T_TMP/out3" 3>&- &
pid=$!
T_PIDS="$T_PIDS $pid"
t_wait_for 20 grep -q "^ready" "$T_TMP/out3" || t_fail "tr_deep (pid $pid) did not say ready"
t_start "$WHYTOP" trace -k -s 4096 -e trace=openat -o "$T_TMP/log3" -p "$pid" 2>"$T_TMP/err3"
wpid=$T_PID
t_wait_for 30 grep -q "Ctrl-C to stop" "$T_TMP/err3" ||
	t_fail "whytop trace -k -p $pid did not start: $(cat "$T_TMP/err3")"
printf '\n\n\n' >&3
t_wait_for 30 grep -q "^done 3" "$T_TMP/out3" || t_fail "tr_deep (pid $pid) did not open three times"
# the stack of the last call follows its line once the reader has unwound it
t_wait_for 30 sh -c "grep -c 'tr_deep(main+' '$T_TMP/log3' | grep -qx 3" ||
	t_fail "whytop trace -k -p $pid: no three stacks in: $(head -c 1500 "$T_TMP/log3")"
kill -INT "$wpid"
t_reaped "$wpid" 30 || t_fail "whytop trace -k -p $pid did not end on SIGINT"
[ "$T_STATUS" = 0 ] || t_fail "whytop trace -k -p $pid: exit $T_STATUS: $(cat "$T_TMP/err3")"
check_log "$T_TMP/log3" "whytop trace -k -p $pid" 3
t_left_running "$pid" "after whytop trace -k -p $pid"
printf '\n' >&3
t_wait_for 20 grep -q "^done 4" "$T_TMP/out3" || t_fail "tr_deep (pid $pid) does not go on after the trace"
exec 3>&-
t_reaped "$pid" 20 && [ "$T_STATUS" = 0 ] || t_fail "tr_deep (pid $pid) did not exit 0 at end of input: $T_STATUS"

# 4. -f across a fork (tests/targets/tr_fork): each call carries the stack
# of the task that made it, read from its own process: the child's open
# (from tr_fork_child) and, when the child execs tr_deep first, tr_deep's
# frames (another image, at other addresses); the parent's openat of
# /tr_fork-end, after the child is gone, its own main.
FSRC="$SRCDIR/tests/targets/tr_fork.c"
fline() {
	n=$(grep -n "$1" "$FSRC" | head -n 1 | cut -d: -f1)
	[ -n "$n" ] || t_fail "marker $1 not found in $FSRC"
	echo "$n"
}
L_CHILD=$(fline TR_CHILD_LINE)
L_CHILD_MAIN=$(fline TR_CHILD_MAIN_LINE)
L_END=$(fline TR_END_LINE)
L_PRE_EXEC=$(fline TR_PRE_EXEC_LINE)
# fork_log WHAT ARGS...: whytop trace -k -f -o on tr_fork ARGS; the log
# without its pid column in $T_TMP/flog; the open of $F by another pid than
# the parent, whose openat of /tr_fork-end names its own main
fork_log() {
	what=$1
	shift
	printf '\n' | timeout 60 "$WHYTOP" trace -k -f -s 4096 -e trace=openat -o "$T_TMP/flog0" \
		-- "$TARGETS/tr_fork" "$@" >"$T_TMP/fout" 2>"$T_TMP/ferr"
	st=$?
	[ "$st" = 0 ] || t_fail "$what: exit $st: $(cat "$T_TMP/ferr")"
	sed 's/^[0-9][0-9]*  *//' "$T_TMP/flog0" >"$T_TMP/flog"
	parent=$(sed -n 's/^\([0-9][0-9]*\)  *openat(AT_FDCWD, "\/tr_fork-begin".*/\1/p' "$T_TMP/flog0")
	child=$(grep -F "openat(AT_FDCWD, \"$F\"" "$T_TMP/flog0" | sed 's/^\([0-9][0-9]*\) .*/\1/')
	[ -n "$parent" ] && [ -n "$child" ] && [ "$parent" != "$child" ] ||
		t_fail "$what: want the open of $F by a child (pid column), not by the parent ($parent): $(head -c 1500 "$T_TMP/flog0")"
	# the parent's last openat: its own main, at TR_END_LINE
	awk 'index($0, "openat(AT_FDCWD, \"/tr_fork-end\"") == 1 { on = 1; next }
		on && /^ > / { print; next } { on = 0 }' "$T_TMP/flog" >"$T_TMP/fend"
	grep -q "^ > tr_fork(main+0x[0-9a-f]*) \[0x[0-9a-f]*\] .*tr_fork\.c:$L_END\$" "$T_TMP/fend" ||
		t_fail "$what: the parent's openat of /tr_fork-end has no frame main at tr_fork.c:$L_END: $(head -c 1500 "$T_TMP/flog")"
}

# child_frames PATH WHAT LINE: the child's open of PATH from tr_fork_child,
# called from main at tr_fork.c:LINE
child_frames() {
	awk -v f="openat(AT_FDCWD, \"$1\"" 'index($0, f) == 1 { on = 1; next }
		on && /^ > / { print; next } { on = 0 }' "$T_TMP/flog" >"$T_TMP/fchild"
	order=$(sed -n 's/^ > [^(]*(\([A-Za-z_0-9.]*\)+0x.*/\1/p' "$T_TMP/fchild" | head -n 3 | tr '\n' ' ')
	case $order in
	*" tr_fork_child main ") ;;
	*) t_fail "$2: the child's open of $1: want frames 2-3 tr_fork_child, main; got '$order' in: $(cat "$T_TMP/fchild")" ;;
	esac
	grep -q "^ > tr_fork(tr_fork_child+0x[0-9a-f]*) \[0x[0-9a-f]*\] .*tr_fork\.c:$L_CHILD\$" "$T_TMP/fchild" &&
		grep -q "^ > tr_fork(main+0x[0-9a-f]*) \[0x[0-9a-f]*\] .*tr_fork\.c:$3\$" "$T_TMP/fchild" ||
		t_fail "$2: the child's open of $1: frames not at tr_fork.c:$L_CHILD and :$3: $(cat "$T_TMP/fchild")"
}
fork_log "whytop trace -k -f -- tr_fork" "$F"
child_frames "$F" "whytop trace -k -f -- tr_fork" "$L_CHILD_MAIN"

# the child opens /dev/null from tr_fork_child, then execs tr_deep, which opens $F
fork_log "whytop trace -k -f -- tr_fork (child execs tr_deep)" "$F" "$TARGETS/tr_deep"
child_frames /dev/null "whytop trace -k -f -- tr_fork, before its child's exec" "$L_PRE_EXEC"
check_log "$T_TMP/flog" "whytop trace -k -f -- tr_fork, its child execs tr_deep" 1

echo "ok: whytop trace -k: frames tr_deep_open, tr_deep_middle [inline], tr_deep_outer, main at their lines, launched and attached, text and JSON"
