#!/bin/sh
# report_formats.sh: 'whytop report --json' is one JSON object holding
# every part (python's json module parses it) with the target's facts, and
# '--markdown' has a heading per section with its text in code blocks that
# a hostile process name (backticks, a newline, a '#' heading) can neither
# close nor escape: outside the blocks there are only whytop's own lines.
# --json with --markdown, a bad --duration and a --thread of another
# process are refused.
. "$SRCDIR/tests/lib.sh"
t_need_root

known=$T_TMP/known-file.txt
echo data >"$known"
# comm: four backticks, a newline and a Markdown heading (15 bytes at most)
evil=$(printf '````\n# pwned')
t_start_ready "$T_TMP/out" "ready" "$TARGETS/rep_target" "$known" "$evil"
pid=$T_PID

"$WHYTOP" report "$pid" --duration 0.5 --json >"$T_TMP/r.json" 2>"$T_TMP/err" ||
	t_fail "whytop report --json failed: $(cat "$T_TMP/err")"
t_json_check "$T_TMP/r.json" "report --json" '
pid, known = a
assert d["pid"] == pid
assert d["overview"]["name"] == "````\\n# pwned", d["overview"]["name"]
th = d["stack"]["threads"]
assert sorted(t["tid"] for t in th)[0] == pid and len(th) == 2, [t["tid"] for t in th]
fns = {f["function"] for t in th for f in t["frames"]}
assert {"main_wait", "call_loop", "main"} <= fns, fns
assert any(f.get("source") and "REPORT_MAIN_LINE" in f["source"] for t in th for f in t["frames"])
vals = {v["name"]: v["value"] for l in d["locals"] for v in l.get("vars", [])}
assert vals.get("marker") == "4242" and vals.get("tag") == "777", vals
assert len(d["kernel"]["threads"]) == 2
rows = sorted(d["syscalls"]["syscalls"], key=lambda r: -r["calls"])
assert rows[0]["name"] == "getppid", rows[:3]
assert any(f["target"] == known for f in d["files"]), d["files"]
assert all(d[k + "_error"] is None for k in ("overview", "stack", "kernel", "syscalls", "files"))
' "$pid" "$known"
python3 -m json.tool "$T_TMP/r.json" >/dev/null || t_fail "python3 -m json.tool refuses the report"

"$WHYTOP" report "$pid" --duration 0.5 --markdown >"$T_TMP/r.md" 2>"$T_TMP/err" ||
	t_fail "whytop report --markdown failed: $(cat "$T_TMP/err")"
t_threads_left_running "$pid" "rep_target after two reports"
# Walk the Markdown as CommonMark does fenced code blocks: a fence of N
# backticks is closed only by a line of N or more backticks alone.
python3 - "$T_TMP/r.md" "$pid" >"$T_TMP/md.check" 2>&1 <<'PY' || t_fail "markdown: $(cat "$T_TMP/md.check")"
import re, sys
lines = open(sys.argv[1]).read().split("\n")
pid = sys.argv[2]
fence, outside, blocks, cur = 0, [], [], []
for l in lines:
    m = re.match(r"^ {0,3}(`{3,})\s*$", l)
    if fence == 0:
        if m:
            fence, cur = len(m.group(1)), []
        else:
            outside.append(l)
    elif m and len(m.group(1)) >= fence:
        fence = 0
        blocks.append(cur)
    else:
        cur.append(l)
assert fence == 0, "a code block is not closed"
heads = [l for l in outside if l.startswith("#")]
want = ["# whytop report: process " + pid, "## Overview", "## User stacks",
        "## Locals of each thread's innermost frame with debug info",
        "## Kernel: state, wait channel, syscall, kernel stack", "## Syscalls", "## Open files"]
assert heads == want, "headings outside code blocks: %r" % heads
others = [l for l in outside if l and not l.startswith("#")]
assert len(others) == 1 and "syscalls counted over 0.5 s" in others[0], others
assert len(blocks) == 6, len(blocks)
assert any("````\\n# pwned" in l for l in blocks[0]), "the escaped name is not in the overview block"
assert any("main_wait" in l for l in blocks[1]) and any("marker = 4242" in l for l in blocks[2])
PY

st=0
"$WHYTOP" report "$pid" --json --markdown >/dev/null 2>"$T_TMP/err" || st=$?
[ "$st" = 2 ] && grep -q "give --json or --markdown, not both" "$T_TMP/err" ||
	t_fail "--json --markdown: exit $st: $(cat "$T_TMP/err")"
st=0
"$WHYTOP" report "$pid" --duration 1x >/dev/null 2>"$T_TMP/err" || st=$?
[ "$st" = 2 ] && grep -q "^whytop report: --duration wants seconds" "$T_TMP/err" ||
	t_fail "--duration 1x: exit $st: $(cat "$T_TMP/err")"
st=0
"$WHYTOP" report "$pid" --thread 1 >"$T_TMP/out1" 2>"$T_TMP/err" || st=$?
[ "$st" = 1 ] && grep -qF "whytop report: 1 is not a thread of process $pid; 'whytop list --threads -p $pid' lists its threads" "$T_TMP/err" ||
	t_fail "--thread 1: exit $st: $(cat "$T_TMP/err")"
[ ! -s "$T_TMP/out1" ] || t_fail "--thread 1 printed a report"
echo "ok: report --json parses with every part, --markdown keeps a hostile name in its block"
