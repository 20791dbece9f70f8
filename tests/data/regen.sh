#!/bin/sh
# regen.sh: remake the stored-snapshot tier's data (tests/data), as it was
# made: build stk_bare (no libc: nothing of this machine is mapped), run it
# from a temporary directory (the path the snapshots record, which no longer
# exists when they are loaded: the test finds the binary here with
# --modules), wait until it sleeps in pause(2), and save each snapshot with
# "whytop stack PID --save". Needs root (ptrace) and a built whytop:
#
#     sudo tests/data/regen.sh [path/to/whytop]
#
# Then update the expected frames in tests/unit/test_stack_stored.c if the
# source changed (the binary's lines and offsets are what it asserts).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
whytop=${1:-$here/../../whytop}
cc=${CC:-gcc}

# -fdebug-prefix-map: the DWARF names ./stk_bare.c, not this machine's path.
# --eh-frame-hdr: a static link leaves it out; libunwind needs its table.
(cd "$here" && $cc -g -O0 -fno-omit-frame-pointer -fno-stack-protector -fcf-protection=none \
	-nostdlib -static -no-pie -Wl,--eh-frame-hdr -Wl,--build-id \
	-fdebug-prefix-map="$here"=. -o stk_bare stk_bare.c)

tmp=$(mktemp -d /tmp/whytop-regen.XXXXXX)
pid=
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || :; wait "$pid" 2>/dev/null || :; fi; rm -rf "$tmp"' EXIT
cp "$here/stk_bare" "$tmp/stk_bare"

# snap NAME ARGS...: save the snapshot of "stk_bare ARGS" as NAME.snap
snap() {
	name=$1
	shift
	(cd / && exec env -i "$tmp/stk_bare" "$@" >"$tmp/out") &
	pid=$!
	n=0
	# In pause(2) (syscall 34), not on its way there: the frames are then fixed.
	until [ "$(cut -d' ' -f1 "/proc/$pid/syscall" 2>/dev/null)" = 34 ]; do
		n=$((n + 1))
		[ $n -lt 500 ] || { echo "regen.sh: stk_bare $* did not reach pause(2)" >&2; exit 1; }
		sleep 0.01
	done
	"$whytop" stack "$pid" --save "$here/$name.snap" >"$tmp/$name.txt"
	cat "$tmp/$name.txt"
	kill "$pid"
	wait "$pid" 2>/dev/null || :
	pid=
}

snap bare_chain
snap bare_recurse 4
ls -l "$here"/stk_bare "$here"/*.snap
