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

# ---- Checks on the processes a test inspects ----
# Each check below fails the test (t_fail) with a line that names the
# process, what was expected and what was seen: "FAIL: WHAT: process PID
# ..., expected ...". WHAT says at which step (e.g. "after whytop stack").

# t_tracer PID: the TracerPid of PID (or of PID/task/TID); empty once it is gone.
t_tracer() {
	sed -n 's/^TracerPid:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null
}

# t_seen_state PID: "in state S (sleeping)", or "gone" when /proc has no PID.
t_seen_state() {
	local s
	s=$(sed -n 's/^State:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null)
	if [ -n "$s" ]; then echo "in state $s"; else echo "gone"; fi
}

# t_state_in PID LETTERS: true when the state of PID is one of LETTERS ("RS", "tT").
t_state_in() {
	local s
	s=$(t_state "$1")
	[ -n "$s" ] || return 1
	case $2 in *"$s"*) return 0 ;; esac
	return 1
}

# t_expect_state PID LETTERS WHAT [SECONDS]: the state of PID is one of
# LETTERS now, or within SECONDS. Prints on failure: "WHAT: process PID is
# in state X (name), expected state LETTERS" (or "is gone").
t_expect_state() {
	t_wait_for "${4:-0}" t_state_in "$1" "$2" && return 0
	t_fail "$3: process $1 is $(t_seen_state "$1"), expected state $(echo "$2" | sed 's/\(.\)\(.\)/\1 or \2/g')${4:+ within $4 s}"
}

# t_stop PID WHAT: SIGSTOP PID and wait (5 s) until it is in group stop (T).
t_stop() {
	kill -STOP "$1" || t_fail "$2: cannot send SIGSTOP to process $1"
	t_expect_state "$1" T "$2: SIGSTOP" 5
}

t_is_untraced() {
	[ "$(t_tracer "$1")" = 0 ]
}

# t_untraced PID WHAT [SECONDS]: PID exists and no one traces it
# (TracerPid 0), now or within SECONDS. Prints on failure: "WHAT: process
# PID is traced by N (comm), expected TracerPid 0" (or "is gone").
t_untraced() {
	local tp
	t_wait_for "${3:-0}" t_is_untraced "$1" && return 0
	tp=$(t_tracer "$1")
	[ -n "$tp" ] || t_fail "$2: process $1 is gone, expected it alive and untraced (TracerPid 0)"
	t_fail "$2: process $1 is traced by $tp ($(cat "/proc/$tp/comm" 2>/dev/null)), expected TracerPid 0${3:+ within $3 s}"
}

# t_left_running PID WHAT: what every attaching command must leave behind:
# PID runs on (state R or S: not stopped in t or T, not gone) and is
# untraced (TracerPid 0). Prints the pid, the state or tracer seen and what
# was expected.
t_left_running() {
	t_expect_state "$1" RS "$2"
	t_untraced "$1" "$2"
}

# t_threads_left_running PID WHAT: the process PID exists and each of its
# threads is untraced (TracerPid 0) and not stopped (state neither t nor
# T). A thread that exits during the check is passed over. Prints the
# thread, its process and the tracer or state seen.
t_threads_left_running() {
	local task tid tp s
	[ -d "/proc/$1/task" ] || t_fail "$2: process $1 is gone, expected it running untraced"
	for task in /proc/"$1"/task/*; do
		tid=${task##*/}
		tp=$(t_tracer "$1/task/$tid")
		[ -n "$tp" ] || continue # exited meanwhile
		[ "$tp" = 0 ] ||
			t_fail "$2: thread $tid of process $1 is traced by $tp, expected TracerPid 0"
		s=$(t_state "$1/task/$tid")
		[ "$s" != t ] && [ "$s" != T ] ||
			t_fail "$2: thread $tid of process $1 is $(t_seen_state "$1/task/$tid"), expected it running (not t or T)"
	done
}

# t_gone PID: true when PID has exited (no process, or a zombie).
t_gone() {
	! t_alive "$1" || [ "$(t_state "$1")" = Z ]
}

# t_wait_gone PID SECONDS WHAT: PID exits (or is a zombie) within SECONDS.
# Prints on failure: "WHAT: process PID is still in state X after N s,
# expected it to exit".
t_wait_gone() {
	t_wait_for "$2" t_gone "$1" && return 0
	t_fail "$3: process $1 is still $(t_seen_state "$1") after $2 s, expected it to exit"
}

# t_start_ready OUT PATTERN CMD ARGS...: t_start CMD with its standard
# output in OUT, then wait (20 s) for a line matching the grep PATTERN.
# Prints on failure: "CMD ARGS (pid N) did not print PATTERN within 20 s",
# the state of the pid and what it printed.
t_start_ready() {
	local out=$1 pat=$2 cmd
	shift 2
	cmd="${1##*/}"
	[ $# -lt 2 ] || cmd="$cmd $(shift; echo "$*")"
	t_start "$@" >"$out"
	t_wait_for 20 grep -q -- "$pat" "$out" && return 0
	t_fail "$cmd (pid $T_PID) did not print '$pat' within 20 s; it is $(t_seen_state "$T_PID"); its output: $(head -c 300 "$out")"
}

# t_start_vfork SECONDS: start tests/targets/kern_vfork, a parent held in D
# by vfork for SECONDS; wait (10 s) for the D state. Its pid in VF_PID, its
# vfork child's in VF_CHILD (ended by the EXIT trap too). Prints on
# failure the state seen.
t_start_vfork() {
	t_start "$TARGETS/kern_vfork" "$1"
	VF_PID=$T_PID
	t_expect_state "$VF_PID" D "kern_vfork" 10
	VF_CHILD=$(pgrep -P "$VF_PID")
	[ -n "$VF_CHILD" ] || t_fail "kern_vfork: process $VF_PID in D has no vfork child"
	T_PIDS="$T_PIDS $VF_CHILD"
}

# t_json_check FILE WHAT PYTHON [ARG...]: FILE parses as JSON and the
# Python asserts in PYTHON hold. PYTHON sees d (the document), tasks (d's
# "tasks" by pid), a (the ARGs, numbers as ints) and os. Prints on failure:
# "WHAT: " and the assert that failed with its message (or why FILE does
# not parse), then the start of FILE.
t_json_check() {
	local file=$1 what=$2 code=$3 why
	shift 3
	why=$(python3 - "$file" "$code" "$@" 2>&1 <<'PY'
import json, os, sys, traceback
path, code = sys.argv[1], sys.argv[2]
a = [int(x) if x.lstrip("-").isdigit() else x for x in sys.argv[3:]]
try:
    with open(path) as f:
        d = json.load(f)
except (OSError, ValueError) as e:
    sys.exit("does not parse as JSON: %s" % e)
tasks = {t["pid"]: t for t in d.get("tasks", [])} if isinstance(d, dict) else {}
try:
    exec(code, {"d": d, "tasks": tasks, "a": a, "os": os})
except Exception as e:
    line = traceback.extract_tb(sys.exc_info()[2])[-1].lineno
    src = code.splitlines()[line - 1].strip() if 0 < line <= len(code.splitlines()) else "?"
    sys.exit("%s in '%s': %s" % (type(e).__name__, src, e))
PY
	) && return 0
	t_fail "$what: $why (JSON: $(head -c 300 "$file"))"
}
