#!/bin/sh
# whytop stack PID --save FILE, then --load FILE once the process is gone:
# the same threads and frames (functions, offsets, files and lines, marks)
# as the live walk that saved it; loading needs no root. A module file
# replaced or removed after the save is refused with a sentence.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/stack_lib.sh"
t_need_root

# as_nobody CMD...: run without root where setpriv can drop it.
as_nobody() {
	if command -v setpriv >/dev/null 2>&1; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		"$@"
	fi
}
chmod 755 "$T_TMP"

# same_frames NAME ARGS...: save a walk of target NAME, kill it, load.
same_frames() {
	local name=$1
	shift
	stk_start "$name" "$@"
	local pid=$STK_PID live=$T_TMP/$name.live load=$T_TMP/$name.load snap=$T_TMP/$name.snap
	stk_walk "$live" "$pid" --save "$snap"
	[ -s "$snap" ] || t_fail "--save wrote nothing to $snap"
	chmod 644 "$snap"
	kill -KILL "$pid"
	t_reaped "$pid" || t_fail "$name did not exit"
	as_nobody "$WHYTOP" stack --load "$snap" >"$load" 2>"$load.err" || {
		cat "$load.err" >&2
		t_fail "whytop stack --load $snap failed"
	}
	n=$(grep -c '^thread ' "$live")
	stk_expect "$load" "^process $pid: $n threads?, from a saved snapshot, walk " "the header"
	grep -v '^process ' "$live" >"$live.frames"
	grep -v '^process ' "$load" >"$load.frames"
	diff "$live.frames" "$load.frames" >&2 || t_fail "$name: --load shows other frames than the live walk"
	[ "$(grep -c '^ *#[0-9]' "$load")" -ge 4 ] || t_fail "$name: too few frames loaded"
}

# Nine threads: nanosleep, futexes, read, poll, a recursion, the vDSO (kept
# in the snapshot: a thread caught in clock_gettime has the same frames).
same_frames stk_threads
stk_expect "$T_TMP/stk_threads.load" "^thread [0-9]+ \"stk-deep\"" "the stk-deep thread"
deep=$(stk_thread_block "$T_TMP/stk_threads.load" stk-deep | grep -c ' stk_t_deep_rec+')
[ "$deep" -ge 20 ] || t_fail "stk-deep: $deep recursive frames loaded, want 20"
# A deep recursion, its lines.
same_frames stk_recurse 100
rec=$(stk_line stk_recurse.c STK_RECURSE_LINE)
n=$(grep -cE " stk_recurse\+0x[0-9a-f]+ \(stk_recurse\) at .*stk_recurse\.c:$rec$" "$T_TMP/stk_recurse.load")
[ "$n" = 99 ] || t_fail "expected 99 loaded frames at line $rec, found $n"

# --thread on a snapshot: that thread alone.
tid=$(grep -m1 '"stk-sleep"' "$T_TMP/stk_threads.load" | sed 's/^thread \([0-9]*\) .*/\1/')
"$WHYTOP" stack --load "$T_TMP/stk_threads.snap" --thread "$tid" >"$T_TMP/one" ||
	t_fail "--load --thread $tid failed"
stk_expect "$T_TMP/one" "^process [0-9]+: 1 thread, from a saved snapshot" "one thread"

# The binary replaced after the save (another build-id), then removed.
cp "$TARGETS/stk_recurse" "$T_TMP/stk_moved"
t_start "$T_TMP/stk_moved" 3 >"$T_TMP/moved.out"
pid=$T_PID
t_wait_for 10 grep -q '^ready' "$T_TMP/moved.out" || t_fail "stk_moved did not start"
stk_walk "$T_TMP/moved.live" "$pid" --save "$T_TMP/moved.snap"
kill -KILL "$pid"
t_reaped "$pid" || t_fail "stk_moved did not exit"
cp "$TARGETS/stk_loop" "$T_TMP/stk_moved"
"$WHYTOP" stack --load "$T_TMP/moved.snap" >"$T_TMP/moved.load" 2>"$T_TMP/moved.err" &&
	t_fail "a snapshot loaded with another file at its module's path"
stk_expect "$T_TMP/moved.err" "cannot load .*moved\.snap: .*/stk_moved is not the file process $pid had mapped as .*/stk_moved \(its build-id is [0-9a-f]+, the snapshot's [0-9a-f]+\)" \
	"the refusal of a module whose build-id differs"
[ -s "$T_TMP/moved.load" ] && t_fail "frames printed for a refused snapshot"
# The right file in --modules DIR: found by its name there.
mkdir "$T_TMP/mods"
cp "$TARGETS/stk_recurse" "$T_TMP/mods/stk_moved"
"$WHYTOP" stack --load "$T_TMP/moved.snap" --modules "$T_TMP/mods" >"$T_TMP/moved.load" ||
	t_fail "--modules DIR with the very file did not load"
stk_expect "$T_TMP/moved.load" " stk_recurse_bottom\+0x[0-9a-f]+ \(stk_moved\) at " "frames from the file in --modules"
rm "$T_TMP/stk_moved"
"$WHYTOP" stack --load "$T_TMP/moved.snap" 2>"$T_TMP/moved.err" &&
	t_fail "a snapshot loaded without its module's file"
stk_expect "$T_TMP/moved.err" "process $pid had .*/stk_moved mapped, and no such file is here" \
	"the refusal of a missing module"
exit 0
