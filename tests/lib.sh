# lib.sh: shared helpers for whytop's shell tests (sourced, not run).
# Every process a test starts is recorded and ended by pid in the EXIT trap;
# nothing is ever killed by name. Exit 77 = skipped, 99 = hard error.

: "${WHYTOP:?run through make check}"
: "${TARGETS:?run through make check}"

T_PIDS=""
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/whytop-test.XXXXXX")
# whytop's cache of uncompressed debug files goes to this test's directory,
# not to the home of whoever runs the suite.
export XDG_CACHE_HOME="$T_TMP/cache"
unset WHYTOP_DEBUG_CACHE WHYTOP_DEBUG_CACHE_MAX

t_cleanup() {
	for p in $T_PIDS; do
		kill -CONT "$p" 2>/dev/null
		kill -KILL "$p" 2>/dev/null
	done
	for p in $T_PIDS; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$T_TMP"
}
trap t_cleanup EXIT

t_fail() {
	echo "FAIL: $*" >&2
	exit 1
}

t_skip() {
	echo "SKIP: $*" >&2
	exit 77
}

t_need_root() {
	[ "$(id -u)" = 0 ] || t_skip "needs root (ptrace and /proc/PID/stack of any process)"
}

# t_need_i386: skip unless this machine builds and runs i386 programs. gcc
# -m32 may link them on a kernel that cannot execute them (no IA32
# emulation: "Exec format error").
t_need_i386() {
	[ -x "$TARGETS/true32" ] || t_skip "no 32-bit toolchain (gcc-multilib): i386 targets not built"
	"$TARGETS/true32" 2>/dev/null ||
		t_skip "this kernel cannot run i386 programs ($("$TARGETS/true32" 2>&1 | sed 's/.*: //' | head -n 1))"
}

# t_start CMD ARGS...: start in the background, remember its pid in T_PID.
t_start() {
	"$@" &
	T_PID=$!
	T_PIDS="$T_PIDS $T_PID"
}

# t_wait_for SECONDS COMMAND...: retry a check until it holds or time is up.
t_wait_for() {
	local limit=$1
	shift
	local end=$(($(date +%s) + limit))
	until "$@"; do
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.05
	done
}

# t_state PID: the one-letter state of a process, from /proc.
t_state() {
	sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null
}

t_alive() {
	kill -0 "$1" 2>/dev/null
}

# t_reap PID SECONDS: wait for a child to exit; prints its status.
# t_reaped PID [SECONDS]: t_reap in this shell (a $(...) subshell cannot
# wait for this shell's children: once the child is gone its status is
# lost there), the status in $T_STATUS.
t_reaped() {
	t_reap "$@" >"$T_TMP/.reap"
	local r=$?
	T_STATUS=$(cat "$T_TMP/.reap")
	return $r
}

t_reap() {
	local pid=$1 limit=${2:-10} end
	end=$(($(date +%s) + limit))
	while t_alive "$pid" && [ "$(t_state "$pid")" != Z ]; do
		[ "$(date +%s)" -lt "$end" ] || { echo timeout; return 1; }
		sleep 0.05
	done
	wait "$pid"
	echo $?
}
