#!/bin/sh
# ci.sh: build the libFuzzer harnesses with clang in a build directory of
# their own ($FUZZ_BUILDDIR, default build-fuzz at the top of the source
# tree) and run each for FUZZ_SECONDS (default 20) with `make fuzz`.
# Exits non-zero if clang is missing, the build fails or a harness crashes.
#
# A source tree already configured in place (./configure at its top, as
# .ci/run does) refuses VPATH builds; then the build directory configures a
# clean copy of the sources made by `make distdir`.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILDDIR:-$top/build-fuzz}
if ! command -v clang >/dev/null; then
	echo "ci.sh: clang is not installed (apt-get install clang)" >&2
	exit 1
fi
[ -x "$top/configure" ] || (cd "$top" && autoreconf -fi)
src=$top
if [ -f "$top/config.status" ]; then
	src=$build/src
	rm -rf "$src"
	mkdir -p "$build"
	make -C "$top" distdir distdir="$src" >/dev/null
fi
mkdir -p "$build"
cd "$build"
"$src/configure" -q CC=clang --enable-fuzzers --disable-tests
make -j"${JOBS:-2}" fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-20}"
