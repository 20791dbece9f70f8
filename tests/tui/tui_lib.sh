# tui_lib.sh: helpers for whytop's terminal UI tests (sourced, not run).
# Each test gets a private tmux server (tmux -L whytop-test$$, no config
# file), a fixed 120x40 window, its own HOME and XDG_CONFIG_HOME, and
# polls the captured screen until what it expects appears (no fixed sleeps).
# The server is killed in the EXIT trap, after lib.sh's own cleanup.

. "$SRCDIR/tests/lib.sh"

command -v tmux >/dev/null 2>&1 || t_skip "tmux is not installed (apt-get install tmux)"

TUI_SOCK="whytop-test$$"
# A tag unique to this run (mktemp's random part), for the names of the
# processes a test searches for: other runs of the same test may be going
# on at the same time on the machine.
TAG=${T_TMP##*.}
# The socket lives in the test's own directory: no other run can meet it.
TMUX_TMPDIR="$T_TMP"
export TMUX_TMPDIR
unset TMUX
TUI_HOME="$T_TMP/home"
mkdir -p "$TUI_HOME/.config"
export TUI_TIMEOUT=${TUI_TIMEOUT:-10}

tm() {
	tmux -L "$TUI_SOCK" -f /dev/null "$@"
}

# Every whytop started in a pane: "pid start-time" a line (tui_run.sh).
TUI_PIDS="$T_TMP/tui.pids"

# tui_start_time PID: the start time of PID (field 22 of its stat), if it runs.
tui_start_time() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	echo "${s##*) }" | cut -d' ' -f20
}

# tui_ours PID START: PID is still the whytop we started, and not a zombie.
tui_ours() {
	[ "$(tui_start_time "$1")" = "$2" ] && [ "$(t_state "$1")" != Z ]
}

# tui_lingering: after the server is gone every whytop must end (its
# terminal hung up). One that does not within TUI_EXIT_LIMIT seconds is
# killed, so that no run is left hanging (a sanitizer's exit once hung),
# and the test fails.
tui_lingering() {
	local pid st bad=0
	[ -f "$TUI_PIDS" ] || return 0
	while read -r pid st; do
		t_wait_for "${TUI_EXIT_LIMIT:-30}" eval "! tui_ours $pid $st" && continue
		echo "FAIL: whytop $pid still runs ${TUI_EXIT_LIMIT:-30} s after its terminal went away; killed" >&2
		kill -KILL "$pid" 2>/dev/null
		bad=1
	done <"$TUI_PIDS"
	return $bad
}

tui_cleanup() {
	local rc=$?
	tm kill-server >/dev/null 2>&1
	tui_lingering || rc=1
	t_cleanup
	exit $rc
}
trap tui_cleanup EXIT

# tui_start [ENV=VALUE...] -- ARGS...: run whytop ARGS in a new 120x40 session.
# When whytop ends, the pane shows "whytop exited with STATUS". With
# TUI_ERR=FILE set, whytop's standard error goes to FILE.
tui_start() {
	local envs="LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME=$TUI_HOME XDG_CONFIG_HOME=$TUI_HOME/.config"
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		envs="$envs $1"
		shift
	done
	[ "${1:-}" = -- ] && shift
	local args="" a
	for a in "$@"; do
		args="$args '$a'"
	done
	local try=0
	# A loaded machine has been seen to fail a tmux server's start: try again.
	until tm new-session -d -s t -x "${TUI_W:-120}" -y "${TUI_H:-40}" \
		"env -u NO_COLOR $envs sh '$SRCDIR/tests/tui/tui_run.sh' '$TUI_PIDS' '$WHYTOP' $args${TUI_ERR:+ 2>'$TUI_ERR'}; echo \"whytop exited with \$?\"; exec sleep 600"; do
		try=$((try + 1))
		[ $try -lt 3 ] || t_fail "cannot start tmux"
		tm kill-server >/dev/null 2>&1
		sleep 0.5
	done
}

# The screen as text (-e: with colour escapes).
tui_screen() {
	tm capture-pane -p -t t "$@"
}

tui_has() {
	tui_screen | grep -qF -- "$1"
}

tui_lacks() {
	! tui_has "$1"
}

# tui_wait TEXT [SECONDS]: until TEXT is on the screen; fails the test otherwise.
tui_wait() {
	t_wait_for "${2:-$TUI_TIMEOUT}" tui_has "$1" && return 0
	echo "---- screen ----" >&2
	tui_screen >&2
	t_fail "timed out waiting for '$1' on the screen"
}

# tui_wait_gone TEXT [SECONDS]: until TEXT has left the screen.
tui_wait_gone() {
	t_wait_for "${2:-$TUI_TIMEOUT}" tui_lacks "$1" && return 0
	echo "---- screen ----" >&2
	tui_screen >&2
	t_fail "timed out waiting for '$1' to leave the screen"
}

# tui_keys KEY...: tmux key names (Enter, Escape, F6, Down, ...).
tui_keys() {
	tm send-keys -t t "$@"
}

# tui_type TEXT: literal text, one character per tmux command: a tmux
# client whose command line held the whole TEXT would itself match a
# search or filter for it while it runs.
tui_type() {
	local rest="$1" c
	while [ -n "$rest" ]; do
		c=${rest%"${rest#?}"}
		rest=${rest#?}
		tm send-keys -t t -l -- "$c"
	done
}

# tui_raw TEXT: literal bytes in one write (mouse reports and other sequences).
tui_raw() {
	tm send-keys -t t -l -- "$1"
}

# tui_ready: whytop's list is up (the header and the column titles).
tui_ready() {
	tui_wait "Load average:"
	tui_wait "Command"
}

# tui_quit: q, and check whytop ended cleanly.
tui_quit() {
	tui_keys q
	tui_wait "whytop exited with 0"
}

# The line of the screen that holds TEXT.
tui_line() {
	tui_screen | grep -F -- "$1" | head -n 1
}

# tui_has_re REGEX: a line of the screen matches the extended REGEX.
tui_has_re() {
	tui_screen | grep -Eq -- "$1"
}

# tui_wait_re REGEX WHAT [SECONDS]: until a line of the screen matches the
# extended REGEX (a capture can catch the terminal mid-update: wait, do
# not sample once). Otherwise prints the screen and fails: "WHAT: no line
# matching REGEX on the screen after N s".
tui_wait_re() {
	t_wait_for "${3:-$TUI_TIMEOUT}" tui_has_re "$1" && return 0
	echo "---- screen ----" >&2
	tui_screen >&2
	t_fail "$2: no line matching '$1' on the screen after ${3:-$TUI_TIMEOUT} s"
}

# tui_wait_row PID [SECONDS]: until the process list shows a row for PID,
# found by its pid (a long build path cuts the Command column short).
# Otherwise prints the screen and fails: "no row for process PID ...".
tui_wait_row() {
	tui_wait_re "^ *$1 " "no row for process $1" "${2:-$TUI_TIMEOUT}"
}

# tui_row PID: the row of the process list for PID (by its first column).
tui_row() {
	tui_screen | grep -E "^ *$1 " | head -n 1
}

# tui_tab NAME: press the digit the tab bar (the screen's line 2) shows for
# tab NAME ("3:Locals"), which other tabs may push along; the digit is left
# in TUI_TAB_KEY. Fails, printing the tab bar, when there is no such tab.
tui_tab() {
	TUI_TAB_KEY=$(tui_screen | sed -n "2s/.* \([1-9]\):$1\( .*\)\{0,1\}$/\1/p")
	[ -n "$TUI_TAB_KEY" ] || t_fail "no $1 tab on the tab bar: $(tui_screen | sed -n 2p)"
	tui_keys "$TUI_TAB_KEY"
}

# tui_whytop_pid: the pid of the whytop running in the pane (the child of
# the pane's shell), in TUI_WHYTOP_PID. Fails, saying what it found, unless
# that child is a whytop.
tui_whytop_pid() {
	local pane
	pane=$(tm display-message -p -t t '#{pane_pid}')
	TUI_WHYTOP_PID=$(ps -o pid= --ppid "$pane" | tr -d ' ' | head -n 1)
	[ -n "$TUI_WHYTOP_PID" ] && [ "$(cat "/proc/$TUI_WHYTOP_PID/comm" 2>/dev/null)" = whytop ] ||
		t_fail "cannot find whytop's pid under the pane's shell $pane (its child: '$TUI_WHYTOP_PID' $(cat "/proc/$TUI_WHYTOP_PID/comm" 2>/dev/null))"
}

# tui_sleeper NAME ARGS...: start sleep ARGS under the command name NAME (a
# copy of /bin/sleep in the test's directory), for a row the test can find
# by a name of its own; its pid in T_PID.
tui_sleeper() {
	local name=$1
	shift
	cp /bin/sleep "$T_TMP/$name" || t_fail "cannot copy /bin/sleep to $T_TMP/$name"
	t_start "$T_TMP/$name" "$@"
}
