#!/bin/sh
# report_sections.sh: 'whytop report' on a real two-thread target
# (tests/targets/rep_target) has every section, with the target's own facts:
# its name and executable; both threads' stacks naming main_wait and
# call_loop at their source lines (with the source text); their locals
# (marker = 4242, tag = 777); the kernel side (main in pause); getppid, the
# call it loops on, as the most frequent syscall; the file it holds open.
# The target is left running and untraced, and it was held only once.
. "$SRCDIR/tests/lib.sh"
t_need_root

src=$SRCDIR/tests/targets/rep_target.c
main_line=$(grep -n REPORT_MAIN_LINE "$src" | cut -d: -f1)
call_line=$(grep -n REPORT_CALL_LINE "$src" | cut -d: -f1)
sleep_line=$(grep -n REPORT_SLEEP_LINE "$src" | cut -d: -f1)
known=$T_TMP/known-file.txt
echo data >"$known"
t_start_ready "$T_TMP/out" "ready" "$TARGETS/rep_target" "$known"
pid=$T_PID
tids=$(ls "/proc/$pid/task" | sort -n)
[ "$(echo "$tids" | wc -l)" = 2 ] || t_fail "rep_target has not two threads: $tids"
caller=$(echo "$tids" | grep -vx "$pid")

"$WHYTOP" report "$pid" --duration 1 >"$T_TMP/r" 2>"$T_TMP/err" ||
	t_fail "whytop report failed: $(cat "$T_TMP/err")"
[ ! -s "$T_TMP/err" ] || t_fail "whytop report wrote on stderr: $(cat "$T_TMP/err")"
t_threads_left_running "$pid" "rep_target after whytop report"

# section NAME: the lines of section NAME ("== NAME ==" up to the next).
section() {
	awk -v t="== $1 ==" '/^== .* ==$/ { on = ($0 == t); next } on' "$T_TMP/r"
}
for s in "Overview" "User stacks" "Locals of each thread's innermost frame with debug info" \
	"Kernel: state, wait channel, syscall, kernel stack" "Syscalls" "Open files"; do
	grep -qxF "== $s ==" "$T_TMP/r" || t_fail "no section '$s' in the report: $(grep '^==' "$T_TMP/r")"
done
head -1 "$T_TMP/r" | grep -q "^whytop report: process $pid (rep_target), .*, syscalls counted over 1.0 s$" ||
	t_fail "first line: $(head -1 "$T_TMP/r")"

section Overview >"$T_TMP/ov"
grep -qx "name: rep_target" "$T_TMP/ov" || t_fail "overview name: $(head -5 "$T_TMP/ov")"
grep -qx "exe: $TARGETS/rep_target" "$T_TMP/ov" || t_fail "overview exe: $(grep exe: "$T_TMP/ov")"
grep -qx "cmdline: $TARGETS/rep_target $known" "$T_TMP/ov" || t_fail "overview cmdline: $(grep cmdline: "$T_TMP/ov")"
grep -qx "  Threads: 2" "$T_TMP/ov" || t_fail "overview status has no Threads: 2"

section "User stacks" >"$T_TMP/st"
grep -q "^process $pid: 2 threads, paused " "$T_TMP/st" || t_fail "stacks: $(head -1 "$T_TMP/st")"
grep -q "^thread $pid " "$T_TMP/st" && grep -q "^thread $caller " "$T_TMP/st" ||
	t_fail "the stacks do not have both threads $pid and $caller: $(grep ^thread "$T_TMP/st")"
grep -q " main_wait+0x[0-9a-f]* (rep_target) at .*rep_target.c:$main_line$" "$T_TMP/st" ||
	t_fail "no main_wait frame at rep_target.c:$main_line: $(cat "$T_TMP/st")"
grep -q " call_loop+0x[0-9a-f]* (rep_target) at .*rep_target.c:\($call_line\|$sleep_line\)$" "$T_TMP/st" ||
	t_fail "no call_loop frame at rep_target.c:$call_line or $sleep_line: $(cat "$T_TMP/st")"
grep -q "^        $main_line | RAW_SYSCALL2(SYS_pause, 0, 0); /\* REPORT_MAIN_LINE \*/$" "$T_TMP/st" ||
	t_fail "main_wait's source line is not shown: $(cat "$T_TMP/st")"

section "Locals of each thread's innermost frame with debug info" >"$T_TMP/lo"
grep -q "^process $pid, thread $pid, frame [0-9]*: main_wait at .*rep_target.c:$main_line" "$T_TMP/lo" ||
	t_fail "main thread's locals are not main_wait's: $(cat "$T_TMP/lo")"
grep -q "^  marker = 4242	int; local" "$T_TMP/lo" || t_fail "no marker = 4242: $(cat "$T_TMP/lo")"
grep -q "^process $pid, thread $caller, frame [0-9]*: call_loop at .*rep_target.c:" "$T_TMP/lo" ||
	t_fail "the caller thread's locals are not call_loop's: $(cat "$T_TMP/lo")"
grep -q "^  tag = 777	int; local" "$T_TMP/lo" || t_fail "no tag = 777: $(cat "$T_TMP/lo")"

section "Kernel: state, wait channel, syscall, kernel stack" >"$T_TMP/k"
grep -q "^thread $pid (rep_target): S, sleeping" "$T_TMP/k" || t_fail "kernel: main not sleeping: $(cat "$T_TMP/k")"
grep -q "^  syscall: pause()" "$T_TMP/k" || t_fail "kernel: main not in pause: $(cat "$T_TMP/k")"
grep -q "^  wchan: " "$T_TMP/k" || t_fail "kernel: no wchan: $(cat "$T_TMP/k")"
grep -q "^thread $caller (rep_target): " "$T_TMP/k" || t_fail "kernel: no thread $caller"

section Syscalls >"$T_TMP/sc"
top=$(awk '/^------/ { n++; next } n == 1 { print $4, $NF }' "$T_TMP/sc" | sort -rn | head -1)
case $top in
*" getppid") [ "${top% *}" -ge 1000 ] || t_fail "only ${top% *} getppid calls in a second" ;;
*) t_fail "the most frequent call is not getppid: '$top': $(cat "$T_TMP/sc")" ;;
esac

section "Open files" >"$T_TMP/f"
grep -Eq "^ *[0-9]+ +file +[0-9]+ +O_[A-Z_|]+ +$known$" "$T_TMP/f" || t_fail "the known file is not among the open files: $(cat "$T_TMP/f")"
echo "ok: every section of the report, with the target's own facts"
