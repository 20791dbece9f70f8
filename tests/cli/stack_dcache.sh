#!/bin/sh
# The cache of uncompressed debug files. stk_splitz keeps its DWARF in
# stk_splitz.debug, compressed with zlib as distributions do. The first walk
# writes an uncompressed copy named by build-id into the cache directory;
# the next walk opens that copy (seen with strace) and names the same frames;
# the cache can be turned off, is not used when its directory is writable by
# others, makes no copy bigger than its size limit or that would leave its
# file system less than a tenth free, and is trimmed to that limit oldest
# first.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/stack_lib.sh"
t_need_root
command -v readelf >/dev/null || t_skip "readelf (binutils) is needed"

bin=$TARGETS/stk_splitz
readelf -SW "$bin.debug" | grep '\.debug_info' | grep -q ' C ' ||
	t_fail "stk_splitz.debug is not compressed"
id=$(readelf -n "$bin" | sed -n 's/.*Build ID: *//p')
[ -n "$id" ] || t_fail "stk_splitz has no build-id"

stk_start stk_splitz
line=$(stk_line stk_split.c STK_SPLIT_LINE)
# dc_walk OUT ENV...: a walk of the target with these environment settings.
dc_walk() {
	local out=$1
	shift
	stk_walk_env "$out" "$STK_PID" "$@"
}
want=" stk_split_wait\+0x[0-9a-f]+ \(stk_splitz\) at .*tests/targets/stk_split\.c:$line$"

# The first walk: right names and lines, and one uncompressed copy.
C=$T_TMP/dc
mkdir -m 700 "$C"
dc_walk "$T_TMP/w1" WHYTOP_DEBUG_CACHE="$C"
stk_expect "$T_TMP/w1" "$want" "first walk: the function and its line from the compressed file"
set -- "$C"/"$id"-*.debug
[ $# = 1 ] && [ -f "$1" ] || t_fail "no copy named $id-*.debug in the cache: $(ls -la "$C")"
copy=$1
[ "$(stat -c %a "$copy")" = 600 ] || t_fail "the copy is not private: $(stat -c %a "$copy")"
readelf -SW "$copy" | grep '\.debug_info' | grep -q ' C ' && t_fail "the copy is still compressed"
readelf -n "$copy" | grep -q "Build ID: $id" || t_fail "the copy lost its build-id"
ls -a "$C" | grep -q '^\.tmp-' && t_fail "a temporary file was left in the cache"

# The second walk opens the copy as it is: not written again. (Without the
# names the first walk kept, namecache.c, which would spare it the copy.)
ino=$(stat -c %i "$copy")
rm -f "$C"/*.names
if command -v strace >/dev/null; then
	# (LeakSanitizer cannot run under ptrace: off for this run in sanitizer builds.)
	WHYTOP_DEBUG_CACHE=$C ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=openat -o "$T_TMP/st" \
		"$WHYTOP" stack "$STK_PID" >"$T_TMP/w2" 2>"$T_TMP/w2.err" ||
		t_fail "second walk failed: $(cat "$T_TMP/w2.err")"
	grep -q "\"$copy\"" "$T_TMP/st" || t_fail "the second walk did not open the cached copy"
	grep -q '\.tmp-' "$T_TMP/st" && t_fail "the second walk wrote the copy again"
else
	dc_walk "$T_TMP/w2" WHYTOP_DEBUG_CACHE="$C"
fi
stk_expect "$T_TMP/w2" "$want" "second walk: the same names and lines from the copy"
[ "$(ls "$C" | grep -c "^$id-.*\.debug$")" = 1 ] || t_fail "the second walk wrote another copy: $(ls "$C")"
[ "$(stat -c %i "$copy")" = "$ino" ] || t_fail "the second walk replaced the copy"

# Turned off: nothing written, not even under $XDG_CACHE_HOME.
dc_walk "$T_TMP/w3" WHYTOP_DEBUG_CACHE=0
stk_expect "$T_TMP/w3" "$want" "without the cache: the same names and lines"
[ -e "$XDG_CACHE_HOME/whytop" ] && t_fail "WHYTOP_DEBUG_CACHE=0 still wrote $XDG_CACHE_HOME/whytop"

# By default, under $XDG_CACHE_HOME/whytop/debug, private.
dc_walk "$T_TMP/w4"
stk_expect "$T_TMP/w4" "$want" "default cache: the same names and lines"
ls "$XDG_CACHE_HOME/whytop/debug/$id"-*.debug >/dev/null 2>&1 ||
	t_fail "no copy under \$XDG_CACHE_HOME/whytop/debug"
[ "$(stat -c %a "$XDG_CACHE_HOME/whytop/debug")" = 700 ] || t_fail "the cache directory is not 0700"

# A directory others can write to is not trusted: no copy, same answer.
U=$T_TMP/unsafe
mkdir "$U"
chmod 777 "$U"
dc_walk "$T_TMP/w5" WHYTOP_DEBUG_CACHE="$U"
stk_expect "$T_TMP/w5" "$want" "unsafe cache directory: the same names and lines"
[ -z "$(ls -A "$U")" ] || t_fail "whytop wrote into a world-writable cache: $(ls -A "$U")"

# A copy bigger than the size limit is not made; the walk is the same.
B=$T_TMP/big
mkdir -m 700 "$B"
dc_walk "$T_TMP/w6" WHYTOP_DEBUG_CACHE="$B" WHYTOP_DEBUG_CACHE_MAX=1000
stk_expect "$T_TMP/w6" "$want" "limit below the copy's size: the same names and lines"
ls "$B" | grep -q '\.debug$' && t_fail "a copy over the size limit was written: $(ls -la "$B")"

# Over the size limit after a write: the least recently used copies go,
# never the one just written. (libc's copy, when libc6-dbg is installed,
# is bigger than this limit and is not made.)
L=$T_TMP/lim
mkdir -m 700 "$L"
size=$(stat -c %s "$copy")
head -c 4096 /dev/zero >"$L/00-old.debug"
touch -d '2020-01-01' "$L/00-old.debug"
head -c 100 /dev/zero >"$L/.tmp-leftover"
touch -d '2020-01-01' "$L/.tmp-leftover"
dc_walk "$T_TMP/w7" WHYTOP_DEBUG_CACHE="$L" WHYTOP_DEBUG_CACHE_MAX=$((size + 1000))
stk_expect "$T_TMP/w7" "$want" "trimmed cache: the same names and lines"
[ -e "$L/00-old.debug" ] && t_fail "the old copy was not removed over the size limit"
[ -e "$L/.tmp-leftover" ] && t_fail "an hour-old temporary file was not removed"
[ "$(ls "$L" | grep -c '\.debug$')" = 1 ] || t_fail "not just the new copy is left: $(ls -a "$L")"
ls "$L/$id"-*.debug >/dev/null 2>&1 || t_fail "the new copy was removed too: $(ls -a "$L")"

# A copy that would leave its file system less than a tenth free is not
# made; with room to spare it is. A 1 MiB tmpfs, filled to 960 KiB, then
# to 512 KiB (tmpfs counts whole pages: 64 KiB free is under the tenth).
F=$T_TMP/fs
mkdir "$F"
if mount -t tmpfs -o size=1m,mode=700 whytop-test "$F" 2>/dev/null; then
	trap 'umount -l "$F"; t_cleanup' EXIT
	mkdir -m 700 "$F/c"
	head -c $((960 * 1024)) /dev/zero >"$F/fill"
	dc_walk "$T_TMP/w8" WHYTOP_DEBUG_CACHE="$F/c"
	stk_expect "$T_TMP/w8" "$want" "nearly full disk: the same names and lines"
	[ -z "$(ls -A "$F/c")" ] ||
		t_fail "a copy was made on a file system $(df -k "$F" | tail -1) less than a tenth free: $(ls -la "$F/c")"
	head -c $((512 * 1024)) /dev/zero >"$F/fill"
	dc_walk "$T_TMP/w9" WHYTOP_DEBUG_CACHE="$F/c"
	ls "$F/c/$id"-*.debug >/dev/null 2>&1 ||
		t_fail "no copy with half the file system free: $(df -k "$F" | tail -1)"
	umount "$F" && trap t_cleanup EXIT
fi

stk_runs_on "$STK_OUT"
exit 0
