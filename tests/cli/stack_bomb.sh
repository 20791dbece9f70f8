#!/bin/sh
# Decompression bombs in debug info. debug_bomb.py rewrites one section of
# an ELF file as a zlib-compressed (SHF_COMPRESSED) one that inflates to
# hundreds of MiB of zeros from under 1 MiB. whytop must read the sizes
# from the compression headers and skip such DWARF without inflating it:
# peak memory stays small, no copy lands in the debug cache, frames are
# still named from the symbol table, and a note says what was skipped and
# how to allow it. A bogus section under the limit that fails to inflate is
# remembered in the cache: the next walk does not try again.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/stack_lib.sh"
t_need_root
command -v python3 >/dev/null || t_skip "python3 is needed to build the bombs"
command -v readelf >/dev/null || t_skip "readelf (binutils) is needed"
BOMB=$SRCDIR/tests/cli/debug_bomb.py
MIB=384

# bomb_start NAME: run $T_TMP/b/NAME (ready line awaited); its pid in $STK_PID.
bomb_start() {
	STK_OUT=$T_TMP/$1.out
	t_start "$T_TMP/b/$1" >"$STK_OUT"
	STK_PID=$T_PID
	t_wait_for 10 grep -q '^ready' "$STK_OUT" || t_fail "$1 did not start"
}

# bomb_walk OUT ARGS...: whytop stack ARGS, its peak RSS (KiB) in OUT.rss.
bomb_walk() {
	local out=$1
	shift
	python3 -c '
import resource, subprocess, sys
r = subprocess.run(sys.argv[2:], stdout=open(sys.argv[1], "w"), stderr=open(sys.argv[1] + ".err", "w"))
open(sys.argv[1] + ".rss", "w").write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(r.returncode)' "$out" "$WHYTOP" stack "$@" || {
		cat "$out" "$out.err" >&2
		t_fail "whytop stack $* failed"
	}
}

# bomb_small OUT: the walk never held the inflated data (old code: > MIB).
bomb_small() {
	[ "$(cat "$1.rss")" -lt 160000 ] ||
		t_fail "whytop's peak RSS was $(cat "$1.rss") KiB: it inflated the bomb"
}

line=$(stk_line stk_split.c STK_SPLIT_LINE)
named="stk_split_wait\+0x[0-9a-f]+ \((stk_split|stk_full_bomb)\)$"

# 1. A separate debug file (found through .gnu_debuglink next to the
# binary) whose .debug_str claims 384 MiB.
mkdir -p "$T_TMP/b"
cp "$TARGETS/stk_split" "$T_TMP/b/stk_split"
python3 "$BOMB" "$TARGETS/stk_split.debug" "$T_TMP/b/stk_split.debug" .debug_str $MIB ||
	t_fail "cannot build the bomb"
[ "$(stat -c %s "$T_TMP/b/stk_split.debug")" -lt 1048576 ] || t_fail "the bomb is not small"
readelf -SW "$T_TMP/b/stk_split.debug" 2>/dev/null | grep '\.debug_str' | grep -Eq ' M?S?C ' ||
	t_fail "the bomb's .debug_str is not compressed"
id=$(readelf -n "$T_TMP/b/stk_split" 2>/dev/null | sed -n 's/.*Build ID: *//p')
bomb_start stk_split
C=$XDG_CACHE_HOME/whytop/debug
bomb_walk "$T_TMP/w1" "$STK_PID"
stk_expect "$T_TMP/w1" " $named" "frames named from the debug file's symbol table"
stk_expect "$T_TMP/w1" "^note: debug info of $T_TMP/b/stk_split\.debug skipped: its compressed sections would inflate to $MIB MiB \(limit [0-9]+ [KMG]iB.*WHYTOP_DEBUG_INFLATE_MAX" \
	"a note says what was skipped and why"
bomb_small "$T_TMP/w1"
ls "$C/$id"-* >/dev/null 2>&1 && t_fail "the bomb was copied into the cache: $(ls -la "$C")"
[ -z "$(find "$XDG_CACHE_HOME" -type f -size +64M)" ] ||
	t_fail "a big file was written into the cache: $(ls -la "$C")"
# The same note in JSON.
bomb_walk "$T_TMP/j1" --json "$STK_PID"
grep -q '"notes":\["debug info of [^"]*stk_split\.debug skipped: its compressed sections would inflate' \
	"$T_TMP/j1" || t_fail "no note in the JSON: $(cat "$T_TMP/j1")"
stk_runs_on "$STK_OUT"

# 2. The binary's own DWARF compressed (-gz), with the same bomb.
python3 "$BOMB" "$TARGETS/stk_split_full" "$T_TMP/b/stk_full_bomb" .debug_str $MIB ||
	t_fail "cannot build the bomb"
chmod +x "$T_TMP/b/stk_full_bomb"
bomb_start stk_full_bomb
bomb_walk "$T_TMP/w3" "$STK_PID"
stk_expect "$T_TMP/w3" " $named" "frames named from the binary's symbol table"
stk_expect "$T_TMP/w3" "^note: debug info of $T_TMP/b/stk_full_bomb skipped: its compressed sections would inflate to $MIB MiB" \
	"a note names the binary"
bomb_small "$T_TMP/w3"
stk_runs_on "$STK_OUT"

# 3. A bogus section under the limit: 24 MiB claimed, the stream cut in
# half. The first walk fails to inflate it (while making the cache's
# copy), remembers that, and skips its DWARF; the second does not try.
mkdir "$T_TMP/b2"
cp "$TARGETS/stk_split" "$T_TMP/b2/stk_split"
python3 "$BOMB" "$TARGETS/stk_split.debug" "$T_TMP/b2/stk_split.debug" .debug_str 24 truncate ||
	t_fail "cannot build the bogus file"
STK_OUT=$T_TMP/bogus.out
t_start "$T_TMP/b2/stk_split" >"$STK_OUT"
STK_PID=$T_PID
t_wait_for 10 grep -q '^ready' "$STK_OUT" || t_fail "the bogus target did not start"
bomb_walk "$T_TMP/w6" "$STK_PID"
stk_expect "$T_TMP/w6" " $named" "bogus section: frames named from symbols"
stk_expect "$T_TMP/w6" "^note: debug info of $T_TMP/b2/stk_split\.debug skipped: its section \.debug_str could not be inflated .*not tried again" \
	"a note says the section is bad"
set -- "$C/$id"-*.fail
[ $# = 1 ] && [ -f "$1" ] || t_fail "the failure was not remembered: $(ls -la "$C")"
ls "$C/$id"-*.debug >/dev/null 2>&1 && t_fail "a copy of the bogus file was made: $(ls -la "$C")"
if command -v strace >/dev/null; then
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=openat -o "$T_TMP/st" \
		"$WHYTOP" stack "$STK_PID" >"$T_TMP/w7" 2>"$T_TMP/w7.err" ||
		t_fail "second walk failed: $(cat "$T_TMP/w7.err")"
	grep -q '\.tmp-' "$T_TMP/st" && t_fail "the second walk tried to inflate again: $(grep tmp- "$T_TMP/st")"
else
	bomb_walk "$T_TMP/w7" "$STK_PID"
fi
stk_expect "$T_TMP/w7" " $named" "second walk: frames named from symbols"
stk_expect "$T_TMP/w7" "^note: debug info of .*stk_split\.debug skipped: inflating its compressed sections failed on .* \(remembered in .*\.fail" \
	"the second walk says the failure is remembered"
stk_runs_on "$STK_OUT"
# 4. The limit is the user's to set: 1000 bytes skips stk_splitz's
# ordinary compressed debug file, whose lines come back without it.
stk_start stk_splitz
bomb_walk "$T_TMP/w4" "$STK_PID"
stk_expect "$T_TMP/w4" "stk_split_wait\+0x[0-9a-f]+ \(stk_splitz\) at .*stk_split\.c:$line$" \
	"an ordinary compressed debug file is read"
grep -q '^note:' "$T_TMP/w4" && t_fail "a note for an ordinary file: $(grep '^note:' "$T_TMP/w4")"
# (Without the names w4 kept, which name frames without reading any
# DWARF whatever the limit: namecache.c.)
rm -f "$C"/*.names
WHYTOP_DEBUG_INFLATE_MAX=1000 bomb_walk "$T_TMP/w5" "$STK_PID"
stk_expect "$T_TMP/w5" "stk_split_wait\+0x[0-9a-f]+ \(stk_splitz\)$" "named, without lines"
stk_expect "$T_TMP/w5" "^note: debug info of .*stk_splitz\.debug skipped: .*\(limit 1000 bytes: WHYTOP_DEBUG_INFLATE_MAX\)" \
	"the note gives the user's limit"

exit 0
