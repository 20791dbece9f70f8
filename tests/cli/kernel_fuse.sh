#!/bin/sh
# kernel_fuse.sh: readers stuck on a FUSE filesystem of ours that does not
# answer (tests/targets/kern_fusefs), like a hung network filesystem. One
# reader waits interruptibly (S), the other was interrupted and now waits
# killably (D). 'kstack' must show read() on the fd's path under the mount
# and the FUSE frames; 'blocked' must group the D reader. The filesystem is
# made to answer and is unmounted on every way out.
. "$SRCDIR/tests/lib.sh"
t_need_root
[ -x "$TARGETS/kern_fusefs" ] || t_skip "built without libfuse3"
[ -c /dev/fuse ] || t_skip "no /dev/fuse"

MNT="$T_TMP/mnt"
mkdir "$MNT"
FS=""
fuse_cleanup() {
	if [ -n "$FS" ] && t_alive "$FS"; then
		kill -USR1 "$FS" 2>/dev/null  # answer every waiting read
		kill -TERM "$FS" 2>/dev/null  # then unmount and exit
		t_reap "$FS" 5 >/dev/null
	fi
	# If the daemon died first the kernel aborted the connection; drop the mount anyway.
	if grep -q " $MNT " /proc/mounts; then
		fusermount3 -u -z "$MNT" 2>/dev/null || umount -l "$MNT"
	fi
	t_cleanup
}
trap fuse_cleanup EXIT

t_start "$TARGETS/kern_fusefs" "$MNT" "$T_TMP/ready"
FS=$T_PID
if ! t_wait_for 5 test -e "$T_TMP/ready"; then
	t_alive "$FS" || t_skip "FUSE cannot mount here"
	t_fail "kern_fusefs did not come up"
fi
grep -q " $MNT fuse" /proc/mounts || t_fail "$MNT is not mounted"
[ "$(cat "$MNT/ok")" = "whytop kern_fusefs: this read was answered" ] || t_fail "fs does not answer /ok"
# Look the names up now: the fs keeps them valid, so opens below need no lookup (which
# would queue behind a pending lookup in the same directory).
stat "$MNT/hang" "$MNT/mapped" "$MNT/dir" >/dev/null || t_fail "fs does not answer lookups"

t_start "$TARGETS/kern_fuse_reader" "$MNT/hang" >"$T_TMP/r1.out"
R1=$T_PID
t_start "$TARGETS/kern_fuse_reader" --interrupt-after 100 "$MNT/hang" >"$T_TMP/r2.out"
R2=$T_PID
t_start "$TARGETS/kern_fuse_reader" --stat "$MNT/slowstat" >"$T_TMP/r3.out"
R3=$T_PID
t_start "$TARGETS/kern_fuse_reader" --mmap "$MNT/mapped" "$MNT/dir/slowstat2" >"$T_TMP/r4.out"
R4=$T_PID
waits() {
	[ "$(cat /proc/"$R1"/wchan 2>/dev/null)" = request_wait_answer ] &&
		[ "$(cat /proc/"$R3"/wchan 2>/dev/null)" = request_wait_answer ]
}
t_wait_for 5 waits || t_fail "readers $R1 $R3 not waiting on the fs"

t_expect_state "$R2" D "reader $R2 (interrupted, waiting killably)" 5
t_expect_state "$R4" D "reader $R4 (mmap)" 5
R4T=$(ls /proc/"$R4"/task | grep -v "^$R4\$")
in_lookup() { [ "$(cat /proc/"$R4"/task/"$R4T"/wchan 2>/dev/null)" = request_wait_answer ]; }
t_wait_for 5 in_lookup || t_fail "the stat thread of $R4 is not waiting on the fs: $("$WHYTOP" kstack "$R4")"


out=$("$WHYTOP" kstack "$R2") || t_fail "kstack exited $?"
echo "$out"
echo "$out" | grep -q "^thread $R2 (kern_fuse_reade): D, disk sleep" || t_fail "state D not shown"
echo "$out" | grep -q "^  syscall: read(3<$MNT/hang>, 0x[0-9a-f]*, 4096)$" ||
	t_fail "read on the fd's path not decoded"
echo "$out" | grep -q "^  wchan: *request_wait_answer$" || t_fail "wchan not shown"
echo "$out" | grep -Eq "^    (fuse_[a-z_]*|__fuse_[a-z_]*|request_wait_answer)\+0x" ||
	t_fail "no FUSE frame in the kernel stack"

o1=$("$WHYTOP" kstack "$R1" --json) || t_fail "kstack --json exited $?"
echo "$o1" | grep -q '"state":"S","state_name":"sleeping (interruptible)","wchan":"request_wait_answer"' ||
	t_fail "S reader's state and wchan"
echo "$o1" | grep -q "\"name\":\"read\",\"args\":\[{\"name\":\"fd\",\"kind\":\"fd\",\"raw\":\"0x3\",\"text\":\"3<$MNT/hang>\",\"path\":\"$MNT/hang\"}" ||
	t_fail "json fd path"
echo "$o1" | grep -q "\"file\":\"$MNT/hang\"" || t_fail "json file"

# S on the same wchan, not switched in meanwhile: blocked too, as observed.
"$WHYTOP" kstack "$R1" --observe 1 | grep -Eq "^thread $R1 .*: S, sleeping \(interruptible\), blocked for (>= )?[1-9][0-9]*\.[0-9]s" ||
	t_fail "S reader not seen blocked over a second"

# A path argument is read from the task's memory.
o3=$("$WHYTOP" kstack "$R3") || t_fail "kstack exited $?"
echo "$o3"
echo "$o3" | grep -Eq "^  syscall: (newfstatat|statx)\(AT_FDCWD, \"$MNT/slowstat\", " ||
	t_fail "path argument not read"
echo "$o3" | grep -q "^    fuse_lookup" || t_fail "no fuse_lookup frame"
j3=$("$WHYTOP" kstack "$R3" --json) || t_fail "kstack --json exited $?"
echo "$j3" | grep -Fq '"kind":"path","raw":"0x' || t_fail "json path kind"
echo "$j3" | grep -Fq '"text":"\"'"$MNT"'/slowstat\"","path":"'"$MNT"'/slowstat"' ||
	t_fail "json path argument"

# A page fault waiting on the fs: not a syscall; and the process's memory map is
# locked, so the other thread's path argument must not be read (it could hang).
o4=$("$WHYTOP" kstack "$R4") || t_fail "kstack exited $?"
echo "$o4"
echo "$o4" | awk -v t="$R4" '$0 ~ "^thread " t " " { on = 1; next } /^thread / { on = 0 } on' >"$T_TMP/main4"
grep -q "^  syscall: not in a syscall$" "$T_TMP/main4" || t_fail "faulting thread shown in a syscall"
grep -Eq "^    (exc_page_fault|handle_mm_fault|filemap_fault)\+" "$T_TMP/main4" || t_fail "no fault frame"
echo "$o4" | grep -q "^           path: not read: thread $R4 of this process is inside its memory map" ||
	t_fail "path argument read while the memory map is busy"
# A thread's id where a process's is expected is refused with the command
# that shows it; --thread (and --tid, its older name) shows that thread
# under its process.
"$WHYTOP" kstack "$R4T" >/dev/null 2>"$T_TMP/tid.err" && t_fail "kstack TID accepted a thread id"
grep -q "^whytop kstack: $R4T is a thread of process $R4, not a process; use 'whytop kstack $R4 --thread $R4T'$" \
	"$T_TMP/tid.err" || t_fail "kstack TID: $(cat "$T_TMP/tid.err")"
ot=$("$WHYTOP" kstack "$R4" --thread "$R4T") || t_fail "kstack --thread exited $?"
echo "$ot" | grep -q "^process $R4 (kern_fuse_reade), x86_64 ABI, 1 thread$" || t_fail "kstack TID header: $ot"
echo "$ot" | grep -q "^thread $R4T " || t_fail "kstack TID shows another thread: $ot"
echo "$ot" | grep -q "^           path: not read: thread $R4 of this process is inside its memory map" ||
	t_fail "kstack TID read memory while another thread is in a fault: $ot"

bl=$("$WHYTOP" blocked) || t_fail "blocked exited $?"
echo "$bl"
echo "$bl" | awk -v p="$R2" '
	/^[0-9]+ blocked in / { grp = $0 }
	$0 ~ "^  process " p " " { print grp " | " $0; exit }' >"$T_TMP/grp"
grep -Eq "blocked in (request_wait_answer|fuse_[a-z_]*).* on $MNT/hang$" "$T_TMP/grp" ||
	t_fail "D reader not grouped under a FUSE frame with its file: $(cat "$T_TMP/grp")"
echo "$bl" | grep -q "^  process $R1 " && t_fail "the S reader is listed among D tasks"
echo "$bl" | awk -v p="$R4" '
	/^[0-9]+ blocked in / { grp = $0 }
	$0 ~ "^    thread " p " " { print grp; exit }' | grep -q "blocked in filemap_fault$" ||
	t_fail "the fault is not grouped under filemap_fault"

# The daemon: several threads, its workers reading requests from /dev/fuse.
d=$("$WHYTOP" kstack "$FS") || t_fail "kstack of the daemon exited $?"
[ "$(echo "$d" | grep -c "^thread ")" -ge 3 ] || t_fail "daemon threads missing: $d"
echo "$d" | grep -Eq "^  syscall: read\([0-9]+</dev/fuse>, 0x[0-9a-f]+, [0-9]+\)$" ||
	t_fail "no worker reading /dev/fuse: $d"
one=$("$WHYTOP" kstack "$FS" --tid "$FS") || t_fail "kstack --tid exited $?"
[ "$(echo "$one" | grep -c "^thread ")" = 1 ] || t_fail "--tid shows more than one thread"
echo "$one" | grep -q "^thread $FS " || t_fail "--tid shows another thread"

# Answer: both readers finish; the first one got the data.
kill -USR1 "$FS"
t_reaped "$R1" 10; st=$T_STATUS
[ "$st" = 0 ] || t_fail "reader $R1 ended with $st"
grep -q "^read 43$" "$T_TMP/r1.out" || t_fail "reader $R1 got: $(cat "$T_TMP/r1.out")"
t_reaped "$R2" 10; st=$T_STATUS
[ "$st" = timeout ] && t_fail "reader $R2 still waiting after the answer"
t_reaped "$R3" 10
[ "$T_STATUS" = 0 ] && grep -q "^stat 0$" "$T_TMP/r3.out" || t_fail "stat reader: $T_STATUS $(cat "$T_TMP/r3.out")"
t_reaped "$R4" 10
[ "$T_STATUS" = 0 ] && grep -q "^mapped 119$" "$T_TMP/r4.out" || t_fail "mmap reader: $T_STATUS $(cat "$T_TMP/r4.out")"
kill -TERM "$FS"
t_reaped "$FS" 10; st=$T_STATUS
[ "$st" = 0 ] || t_fail "kern_fusefs ended with $st"
grep -q " $MNT " /proc/mounts && t_fail "$MNT still mounted"
exit 0
