#!/bin/sh
# offcpu_pipe.sh: a reader thread blocked in read on a pipe about 60% of the
# time (off_pipe 100 40). 'whytop offcpu' must show that wait in S with the
# kernel's pipe read in its kernel stack and off_pipe_wait at the read's
# file:line in its user stack, for about the share the thread itself
# measured over the same time; the nap beside it likewise; the target never
# stops. Text, --json and --folded.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/offcpu_lib.sh"
oc_need_bpf

OUT=$T_TMP/out
t_start_ready "$OUT" '^ready ' "$TARGETS/off_pipe" 100 40
P=$T_PID
TID=$(sed -n 's/^ready //p' "$OUT")
READ_LINE=$(oc_line "$SRCDIR/tests/targets/off_pipe.c" OFF_PIPE_READ)
NAP_LINE=$(oc_line "$SRCDIR/tests/targets/off_pipe.c" OFF_PIPE_NAP)
# two ticks: the reader is past its first read
t_wait_for 20 sh -c "[ \$(grep -c '^tick' '$OUT') -ge 2 ]" || t_fail "off_pipe does not tick"

before=$(grep '^tick' "$OUT" | tail -n 1)
"$WHYTOP" offcpu "$P" --duration 3 --json >"$T_TMP/j" || t_fail "offcpu --json exited $?"
after=$(grep '^tick' "$OUT" | tail -n 1)
[ "$before" != "$after" ] || t_fail "the reader made no progress while counted"
st=$(t_state "$P")
[ "$st" = S ] || [ "$st" = R ] || t_fail "off_pipe left in state $st"

# The thread's own share of time in read between the two ticks, against
# whytop's over its window (inside those): 15 points either way.
t_json_check "$T_TMP/j" "offcpu --json" '
tid, rl, nl = a[0], a[1], a[2]
b, e = a[3].split(), a[4].split()
own = (int(e[2]) - int(b[2])) / (int(e[3]) - int(b[3]))
st = [s for s in d["stacks"] if s["tid"] == tid]
assert st, "no stack of the reader %d" % tid
def has_k(s, f): return any(f in (k["func"] or "") for k in s["kernel"])
def user_at(s, f, line):
    return any(u["func"] == f and (u["file"] or "").endswith("off_pipe.c") and u["line"] == line
               for u in s["user"])
reads = [s for s in st if s["state"] == "S" and has_k(s, "pipe_read")]
assert reads, "no S wait of the reader in pipe_read: %s" % [[k["func"] for k in s["kernel"]] for s in st]
share = sum(s["share"] for s in reads)
assert abs(share - own) <= 0.15, "share in read %.3f, the thread measured %.3f" % (share, own)
assert any(user_at(s, "off_pipe_wait", rl) for s in reads), "off_pipe_wait at line %d not in %s" % (rl, [s["user"] for s in reads])
top = max(reads, key=lambda s: s["seconds"])
assert user_at(top, "off_pipe_wait", rl), "heaviest read wait: %s" % top["user"]
naps = [s for s in st if s["state"] == "S" and has_k(s, "nanosleep") and user_at(s, "off_pipe_nap", nl)]
assert naps, "no nap in off_pipe_nap at line %d" % nl
th = [t for t in d["threads"] if t["tid"] == tid]
assert th and th[0]["name"] == "reader", "thread %s" % th
assert abs(th[0]["S_s"] - sum(s["seconds"] for s in st if s["state"] == "S")) < 0.001, "thread total"
assert 2.5 < d["window_s"] < 10, "window %s" % d["window_s"]
' "$TID" "$READ_LINE" "$NAP_LINE" "$before" "$after"

txt=$("$WHYTOP" offcpu "$P" --duration 1) || t_fail "offcpu exited $?"
echo "$txt" | grep -Eq "^  thread $TID \(reader\): S [0-9.]+s  D 0\.000s  R [0-9.]+s$" ||
	t_fail "no S/D/R line for the reader: $txt"
echo "$txt" | grep -Eq "^      off_pipe_wait \(.*off_pipe\.c:$READ_LINE\)$" ||
	t_fail "off_pipe_wait with its file:line not shown: $txt"
echo "$txt" | grep -Eq "^      \[k\] (anon_)?pipe_read\+0x[0-9a-f]+$" || t_fail "no [k] pipe_read frame: $txt"

fo=$("$WHYTOP" offcpu "$P" --duration 1 --folded) || t_fail "offcpu --folded exited $?"
echo "$fo" | grep -Eq "^reader-$TID;([^; ]+;)*off_pipe_wait;([^; ]+;)*(anon_)?pipe_read_\[k\];([^; ]+;)*[^; ]+ [0-9]+$" ||
	t_fail "no folded line for the read: $fo"
echo "$fo" | grep -Evq "^[^ ]+ [0-9]+$" && t_fail "a folded line is not 'STACK N': $fo"

# the target went on the whole time and goes on after
n1=$(grep -c '^tick' "$OUT")
t_wait_for 10 sh -c "[ \$(grep -c '^tick' '$OUT') -gt $n1 ]" || t_fail "off_pipe stopped ticking after whytop"
exit 0
