#!/bin/sh
# A program that splits its CPU 2:1 between prof_work_a and prof_work_b by
# instruction count (tests/targets/prof_split.c), built at -O2 without frame
# pointers and at -O0: whytop profile shows prof_work_a at two thirds of the
# two (within four standard deviations of the sample count, at least 3
# points), the hottest line of prof_work_a inside its loop, stacks unwound
# up to main, the same split in --folded and in the text; the target is
# never traced or stopped while it is profiled.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/profile_lib.sh"
t_need_root
prof_need_perf

a_lo=$(prof_line PROF_A_BEGIN)
a_hi=$(prof_line PROF_A_END)

for target in prof_split prof_split_O0; do
	t_start_ready "$T_TMP/$target.out" '^ready' "$TARGETS/$target" 120
	pid=$T_PID
	prof_watch "$pid"
	# Samples follow the CPU the target gets: on a loaded machine add runs
	# until prof_work_a and prof_work_b have 400 samples between them.
	n=0
	while :; do
		n=$((n + 1))
		"$WHYTOP" profile "$pid" --duration 3 --hz 999 --json >"$T_TMP/$target.$n.json" ||
			t_fail "$target: whytop profile exited $?"
		got=$(python3 - "$T_TMP/$target".*.json <<'PY'
import json, sys
ab = 0
for p in sys.argv[1:]:
    d = json.load(open(p))
    ab += sum(f["self"] for f in d["functions"] if f["name"] in ("prof_work_a", "prof_work_b"))
print(ab)
PY
)
		[ "$got" -ge 400 ] || [ $n -ge 8 ] || continue
		break
	done
	t_json_check "$T_TMP/$target.1.json" "$target --json" '
import glob, json, math
d = None
fns = {}
samples = 0
main_total = 0
for p in sorted(glob.glob(a[0] + ".*.json")):
    doc = json.load(open(p))
    assert doc["pid"] == a[1], "pid %r" % doc["pid"]
    assert doc["event"] in ("cpu-clock", "cycles"), doc["event"]
    samples += doc["samples"]
    for f in doc["functions"]:
        g = fns.setdefault(f["name"], {"self": 0, "total": 0, "lines": {}})
        g["self"] += f["self"]; g["total"] += f["total"]
        for l in f["lines"]:
            g["lines"][l["line"]] = g["lines"].get(l["line"], 0) + l["self"]
assert "prof_work_a" in fns and "prof_work_b" in fns, "functions: %s" % sorted(fns)[:10]
sa, sb = fns["prof_work_a"]["self"], fns["prof_work_b"]["self"]
n = sa + sb
assert n >= 100, "only %d samples in prof_work_a and prof_work_b" % n
assert n >= 0.85 * samples, "a and b have %d of %d samples" % (n, samples)
share = sa / n
tol = max(0.03, 4 * math.sqrt(2 / 9 / n))
assert abs(share - 2 / 3) <= tol, "prof_work_a has %.3f of the two (%d:%d), expected 0.667 +- %.3f" % (share, sa, sb, tol)
hot = max(fns["prof_work_a"]["lines"].items(), key=lambda kv: kv[1])[0]
assert a[2] <= hot <= a[3], "hottest line of prof_work_a is %d, expected %d..%d" % (hot, a[2], a[3])
assert fns["main"]["total"] >= 0.9 * samples, "main is on %d of %d stacks: unwinding stopped short" % (fns["main"]["total"], samples)
' "$T_TMP/$target" "$pid" "$a_lo" "$a_hi"

	# --folded: "root;...;leaf N" lines, the same split. Samples count CPU
	# time: on a loaded machine 2 s may bring few, so runs are added (as
	# for --json) until a and b have 50.
	rm -f "$T_TMP/$target".folded.*
	ok=
	for run in 1 2 3 4 5 6 7 8 9 10; do
		"$WHYTOP" profile "$pid" --duration 2 --hz 999 --folded >"$T_TMP/$target.folded.$run" ||
			t_fail "$target: whytop profile --folded exited $?"
		python3 - "$T_TMP/$target" <<'PY'
import glob, re, sys
a = b = 0
for p in glob.glob(sys.argv[1] + ".folded.*"):
    for line in open(p):
        m = re.fullmatch(r"(\S(?:.*\S)?) (\d+)\n", line)
        assert m, "not a folded line: %r" % line
        frames = m.group(1).split(";")
        assert all(frames), "an empty frame in %r" % line
        if frames[-1] == "prof_work_a":
            a += int(m.group(2))
            assert "main" in frames, "prof_work_a not under main: %r" % line
        if frames[-1] == "prof_work_b":
            b += int(m.group(2))
if a + b < 50:
    sys.exit(3)  # too few yet: another run
assert a > b, "prof_work_a %d not above prof_work_b %d" % (a, b)
PY
		r=$?
		[ "$r" = 3 ] && continue
		[ "$r" = 0 ] || t_fail "$target --folded: see above"
		ok=1
		break
	done
	[ -n "$ok" ] || t_fail "$target --folded: fewer than 50 samples in a and b after 10 runs of 2 s"
	# Text: the header and prof_work_a's row with its file:line.
	"$WHYTOP" profile "$pid" --duration 1 >"$T_TMP/$target.txt" || t_fail "$target: text exited $?"
	grep -q "^profile of process $pid: [0-9]* samples in " "$T_TMP/$target.txt" ||
		t_fail "$target: no header in: $(head -3 "$T_TMP/$target.txt")"
	grep -qE '^ +[0-9.]+ +[0-9.]+  prof_work_a \('"$target"'\) .*prof_split\.c:[0-9]+' "$T_TMP/$target.txt" ||
		t_fail "$target: no prof_work_a row in: $(cat "$T_TMP/$target.txt")"
	prof_watch_end "$pid" "$target"
done
exit 0
