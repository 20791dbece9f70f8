#!/bin/sh
# The names kept on disk (namecache.c). A copy of stk_splitz (its DWARF in
# stk_splitz.debug, compressed, found by .gnu_debuglink), stopped so that
# every walk sees the same pcs. The first walk with a cache directory
# writes a names file for the module; a second walk names the same frames
# from it without opening the uncompressed copy of the debug file (seen
# with strace) and its names are the file's (an edited name shows); a
# changed debug file or program makes another key; a names file that is
# not ours, or garbage, is not believed; the cache turned off writes none.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/stack_lib.sh"
t_need_root
command -v readelf >/dev/null || t_skip "readelf (binutils) is needed"

B=$T_TMP/bin
mkdir "$B"
cp "$TARGETS/stk_splitz" "$TARGETS/stk_splitz.debug" "$B/"
id=$(readelf -n "$B/stk_splitz" | sed -n 's/.*Build ID: *//p')
[ -n "$id" ] || t_fail "stk_splitz has no build-id"
t_start_ready "$T_TMP/target.out" '^ready' "$B/stk_splitz"
PID=$T_PID
t_stop "$PID" "the target"
line=$(stk_line stk_split.c STK_SPLIT_LINE)

# nm_walk OUT ENV...: a walk of the target, the frames only (no timings).
nm_walk() {
	local out=$1
	shift
	stk_walk_env "$out.full" "$PID" "$@"
	grep -v '^process ' "$out.full" >"$out"
}
same_as_ref() {
	cmp -s "$T_TMP/ref" "$1" || {
		diff "$T_TMP/ref" "$1" >&2
		t_fail "$2: not the frames of a walk without the cache"
	}
}
want="stk_split_wait\+0x[0-9a-f]+ \(stk_splitz\) at .*tests/targets/stk_split\.c:$line$"

nm_walk "$T_TMP/ref" WHYTOP_DEBUG_CACHE=0
stk_expect "$T_TMP/ref" "$want" "walk without the cache"

# 1. The first walk writes the module's names, private, as the header says.
C=$T_TMP/nc
mkdir -m 700 "$C"
nm_walk "$T_TMP/w1" WHYTOP_DEBUG_CACHE="$C"
same_as_ref "$T_TMP/w1" "first walk"
set -- "$C/$id"-*.names
[ $# = 1 ] && [ -f "$1" ] || t_fail "no names file $id-*.names in the cache: $(ls -la "$C")"
names=$1
[ "$(stat -c %a "$names")" = 600 ] || t_fail "the names file is not private: $(stat -c %a "$names")"
[ "$(head -1 "$names")" = "whytop-names 1" ] || t_fail "the names file has no header: $(head -c 200 "$names")"
grep -q " =stk_split_wait =[^ ]*tests/targets/stk_split\.c " "$names" ||
	t_fail "stk_split_wait and its file are not in the names file: $(cat "$names")"

# 2. The second walk takes them from there: the copy of the debug file is
# not even opened, and the frames are the same.
if command -v strace >/dev/null; then
	WHYTOP_DEBUG_CACHE=$C ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=openat -o "$T_TMP/st" \
		"$WHYTOP" stack "$PID" >"$T_TMP/w2.full" 2>"$T_TMP/w2.err" ||
		t_fail "second walk failed: $(cat "$T_TMP/w2.err")"
	grep -v '^process ' "$T_TMP/w2.full" >"$T_TMP/w2"
	grep -q "\"$C/$id-[0-9a-f]*\.debug\"" "$T_TMP/st" &&
		t_fail "the second walk read the debug file's copy: $(grep "$C" "$T_TMP/st")"
else
	nm_walk "$T_TMP/w2" WHYTOP_DEBUG_CACHE="$C"
fi
same_as_ref "$T_TMP/w2" "second walk"
[ "$(ls "$C" | grep -c "^$id-.*\.names$")" = 1 ] || t_fail "a second names file: $(ls "$C")"

# 3. The names are the file's: an edited one is what the walk shows.
sed -i 's/ =stk_split_wait / =kept_stk_split_wait /' "$names"
nm_walk "$T_TMP/w3" WHYTOP_DEBUG_CACHE="$C"
stk_expect "$T_TMP/w3" " kept_stk_split_wait\+0x[0-9a-f]+ \(stk_splitz\) at .*stk_split\.c:$line$" \
	"the walk names the frame from the names file"

# 4. A names file that is not ours (another owner) is not believed.
chown 65534 "$names"
nm_walk "$T_TMP/w4" WHYTOP_DEBUG_CACHE="$C"
same_as_ref "$T_TMP/w4" "names file owned by another user"
chown 0 "$names"

# 5. Another debug file (the same, touched) is another key: the edited
# name is not shown, and a second names file is written.
touch -d '2021-01-01' "$B/stk_splitz.debug"
nm_walk "$T_TMP/w5" WHYTOP_DEBUG_CACHE="$C"
same_as_ref "$T_TMP/w5" "after the debug file changed"
[ "$(ls "$C" | grep -c "^$id-.*\.names$")" = 2 ] || t_fail "no new names file for the new key: $(ls "$C")"
# The same for the program's own file.
touch -d '2021-01-02' "$B/stk_splitz"
nm_walk "$T_TMP/w6" WHYTOP_DEBUG_CACHE="$C"
same_as_ref "$T_TMP/w6" "after the program's file changed"
[ "$(ls "$C" | grep -c "^$id-.*\.names$")" = 3 ] || t_fail "no new names file for the new key: $(ls "$C")"

# 6. Garbage in a names file: lines that do not parse are skipped (a
# hostile name with a control byte included), the walk is right.
newest=$(ls -t "$C/$id"-*.names | head -1)
{
	echo "whytop-names 1"
	printf '1 zz 1 =x =y =z 0 0 0 0 0\n'
	printf '0 1 99999 =x\n'
	printf '0 1 1 =bad\033name =f =f 0 1 0 0 0\n'
	printf '0 1 1 =half =f'
	head -c 3000 /dev/urandom | tr -d '\n'
	printf '\n'
} >"$newest"
nm_walk "$T_TMP/w7" WHYTOP_DEBUG_CACHE="$C"
same_as_ref "$T_TMP/w7" "names file of garbage"

# 7. The cache off: no names file anywhere.
nm_walk "$T_TMP/w8" WHYTOP_DEBUG_CACHE=0
same_as_ref "$T_TMP/w8" "cache off"
[ -e "$XDG_CACHE_HOME/whytop" ] && t_fail "WHYTOP_DEBUG_CACHE=0 still wrote $XDG_CACHE_HOME/whytop"

# The target was stopped and stays so, untraced.
t_expect_state "$PID" T "after the walks"
t_untraced "$PID" "after the walks"
exit 0
