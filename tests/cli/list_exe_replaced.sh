#!/bin/sh
# list_exe_replaced.sh: exe_state "replaced" when the path of a running
# program now names another file (here: a file bind-mounted over it, in a
# private mount namespace), and the path is looked up in the process's own
# namespace: a process outside it, whose path is untouched there, stays "-"
# although whytop itself sees the bind mount.
. "$SRCDIR/tests/lib.sh"
t_need_root
command -v unshare >/dev/null || t_skip "unshare (util-linux) is not installed"
unshare -m --propagation private true 2>/dev/null ||
	t_skip "cannot make a mount namespace here (unshare -m: $(unshare -m true 2>&1 | head -n 1))"

cp "$TARGETS/proc_target" "$T_TMP/prog_in"
cp "$TARGETS/proc_target" "$T_TMP/prog_out"
cp "$TARGETS/proc_writer" "$T_TMP/other"
# Outside: started here, in the test's namespace.
t_start_ready "$T_TMP/out.out" ready "$T_TMP/prog_out" out_$$
out=$T_PID

# Inside: the target and whytop share the private namespace where both
# paths are covered; the target is ended by the script (trap) even on a timeout.
timeout 60 unshare -m --propagation private sh -c '
T=$1 WHYTOP=$2 OUT=$3
"$T/prog_in" in_$$ >"$T/in.out" &
p=$!
trap "kill -KILL $p 2>/dev/null; wait $p 2>/dev/null" EXIT
n=0
until grep -q ready "$T/in.out"; do
	n=$((n + 1))
	[ $n -lt 400 ] || { echo "prog_in did not start" >&2; exit 1; }
	sleep 0.05
done
mount --bind "$T/other" "$T/prog_in" || exit 1
mount --bind "$T/other" "$T/prog_out" || exit 1
echo "in $p"
"$WHYTOP" list -i 0 -s pid -p "$p,$OUT" -c pid,exe_state,command
' sh "$T_TMP" "$WHYTOP" "$out" >"$T_TMP/list" 2>&1 || t_fail "the namespace script failed: $(cat "$T_TMP/list")"
cat "$T_TMP/list"
in=$(sed -n 's/^in //p' "$T_TMP/list")
set -- $(awk -v p="$in" '$1 == p' "$T_TMP/list")
[ "$2 $3 $4" = "replaced [replaced] $T_TMP/prog_in" ] ||
	t_fail "the covered exe is not marked replaced: $(cat "$T_TMP/list")"
set -- $(awk -v p="$out" '$1 == p' "$T_TMP/list")
[ "$2 $3" = "- $T_TMP/prog_out" ] ||
	t_fail "a process outside the namespace is judged by whytop's view: $(cat "$T_TMP/list")"
exit 0
