#!/bin/sh
# list_columns.sh: the columns of issue 15 in `whytop list` on processes the
# test starts: a writer appending 64 KiB every 20 ms, pinned to CPU 0 with
# taskset and set to I/O class best-effort 6 with ionice, shows a write rate
# above 0 and no more than the file grew, a read rate above 0 and below it, affinity 0, IO B6, its exe, cgroup
# and OOM score; a copy of a target whose file is removed after it started
# is marked deleted (and its command starts with "[deleted] "), a copy kept
# in place is not; the writer's processor is 0 and its start time now; a
# copy under a name with an OSC sequence shows its exe escaped; as user
# nobody the writer's io is "?" (null), never 0.
. "$SRCDIR/tests/lib.sh"
t_need_root
for c in taskset ionice setpriv; do
	command -v $c >/dev/null || t_skip "$c (util-linux) is not installed"
done
fs=$(stat -f -c %T "$T_TMP")
[ "$fs" != tmpfs ] || t_skip "$T_TMP is on tmpfs, whose writes /proc/PID/io does not count; set TMPDIR to a disk"

chunk=65536
t_start_ready "$T_TMP/w.out" ready taskset -c 0 "$TARGETS/proc_writer" "$T_TMP/data" $chunk 20
w=$T_PID
ionice -c 2 -n 6 -p "$w" || t_fail "ionice -c 2 -n 6 -p $w failed"
cp "$TARGETS/proc_target" "$T_TMP/col_gone"
cp "$TARGETS/proc_target" "$T_TMP/col_kept"
t_start_ready "$T_TMP/g.out" ready "$T_TMP/col_gone" gone_$$
gone=$T_PID
t_start_ready "$T_TMP/k.out" ready "$T_TMP/col_kept" kept_$$
kept=$T_PID
rm "$T_TMP/col_gone"
t0=$(date +%s)
evil="$T_TMP/$(printf 'ev\033]0;pw\007il')"
cp "$TARGETS/proc_target" "$evil"
t_start_ready "$T_TMP/e.out" ready "$evil"
ev=$T_PID

cols=pid,io_read_rate,io_write_rate,io_rate,io_priority,affinity,vctxt,nvctxt,oom,elapsed,processor,start
cols=$cols,exe,exe_state,cgroup,ccgroup,container,command
size0=$(stat -c %s "$T_TMP/data")
"$WHYTOP" list --json -i 1500 -p "$w,$gone,$kept" -c "$cols" >"$T_TMP/j" || t_fail "list --json failed"
size1=$(stat -c %s "$T_TMP/data")
cat "$T_TMP/j"
possible=$(cat /sys/devices/system/cpu/possible)
cg=$(sed -n 's/^0:://p' "/proc/$w/cgroup")
t_json_check "$T_TMP/j" "the writer's columns" '
w, gone, kept, grown, chunk, possible, cg, el, t0 = a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]
t = tasks[w]
# pinned to CPU 0 before it ran: it can only have run there
assert t["processor"] == 0, t
# started by this test (btime is whole seconds: 2 s of slack)
assert t0 - 60 - 2 <= t["start"] <= t0 + 2, (t, t0)
# the interval is at least 1.5 s, and the file grew by every byte counted in it
assert t["io_write_rate"] is not None and t["io_write_rate"] > 0, t
assert t["io_write_rate"] * 1.5 <= grown + chunk, (t, grown)
# each loop reads at most the 64 KiB file (readahead), dropped from the cache first
assert t["io_read_rate"] is not None and t["io_read_rate"] > 0, t
assert t["io_read_rate"] * 1.5 <= grown + 2 * chunk, (t, grown)
assert abs(t["io_rate"] - t["io_read_rate"] - t["io_write_rate"]) <= 1, t
assert t["io_priority"] == "B6", t
assert t["affinity"] == ("all" if possible == "0" else "0"), t
assert t["vctxt"] is not None and t["vctxt"] >= 0 and t["nvctxt"] >= 0, t
assert isinstance(t["oom"], int) and 0 <= t["oom"] <= 1000, t
assert 0 <= t["elapsed"] <= el + 5, t
assert t["exe"] == os.path.realpath(os.environ["TARGETS"] + "/proc_writer"), t
assert t["exe_state"] == "ok" and t["exe_deleted"] is False, t
if cg:
    assert t["cgroup"] == cg, (t, cg)
assert t["ccgroup"] and t["container"] is not None, t
g = tasks[gone]
assert g["exe_state"] == "deleted" and g["exe_deleted"] is True, g
assert g["exe"].endswith("/col_gone"), g
k = tasks[kept]
assert k["exe_state"] == "ok" and k["exe"].endswith("/col_kept"), k' \
	"$w" "$gone" "$kept" "$((size1 - size0))" "$chunk" "$possible" "$cg" "$(($(date +%s) - t0))" "$t0"

# An exe path is the process's own text: escaped like a command line.
"$WHYTOP" list -i 0 -p "$ev" -c pid,exe >"$T_TMP/ev" || t_fail "list -c pid,exe failed"
cat "$T_TMP/ev"
grep -q "$(printf '\033')" "$T_TMP/ev" && t_fail "a raw ESC reached the output"
grep -F -q "/ev\e]0;pw\x07il" "$T_TMP/ev" || t_fail "the exe path is not escaped as expected: $(cat "$T_TMP/ev")"

# Text: the deleted one is marked in its command, the kept one is not.
"$WHYTOP" list -i 0 -s pid -p "$gone,$kept" -c pid,exe_state,command >"$T_TMP/t" || t_fail "list failed"
cat "$T_TMP/t"
set -- $(awk -v p="$gone" '$1 == p' "$T_TMP/t")
[ "$2 $3 $4 $5" = "deleted [deleted] $T_TMP/col_gone gone_$$" ] ||
	t_fail "the deleted exe is not marked: $(cat "$T_TMP/t")"
set -- $(awk -v p="$kept" '$1 == p' "$T_TMP/t")
[ "$2 $3 $4" = "- $T_TMP/col_kept kept_$$" ] && [ $# -eq 4 ] ||
	t_fail "the kept exe is marked: $(cat "$T_TMP/t")"
# Without an exe column nothing reads the link: no mark (and no cost).
"$WHYTOP" list -i 0 -p "$gone" -c pid,command | grep -q "\[deleted\]" &&
	t_fail "the command is marked though no exe column is shown"

# As nobody, the io of root's writer is refused: "?", null in JSON, never 0.
setpriv --reuid=65534 --regid=65534 --clear-groups "$WHYTOP" list -i 200 -p "$w" \
	-c pid,io_write_rate,io_rate,affinity >"$T_TMP/nobody" || t_fail "list as nobody failed"
cat "$T_TMP/nobody"
set -- $(awk -v p="$w" '$1 == p' "$T_TMP/nobody")
[ "$2 $3" = "? ?" ] || t_fail "refused io shows '$2 $3', want ? ?"
want=0
[ "$possible" != 0 ] || want=all
[ "$4" = "$want" ] || t_fail "affinity (status is readable by anyone) as nobody: '$4', want $want"
exit 0
