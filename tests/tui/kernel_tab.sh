#!/bin/sh
# kernel_tab.sh: the Kernel tab of a process held in D by vfork shows the
# thread's state, wchan, syscall and stack with the frame it waits in, and
# refreshes live: the observed "blocked" time grows. When the process
# exits the tab keeps its last picture and says so.
. "$SRCDIR/tests/tui/tui_lib.sh"
t_need_root

t_start_vfork 120
P=$VF_PID
CHILD=$VF_CHILD

tui_start -- -d 3 -p "$P" --open
tui_wait "1:Overview"
tui_tab Kernel
n=$TUI_TAB_KEY
tui_wait "Thread $P kern_vfork"
tui_wait "disk sleep (uninterruptible)"
tui_wait_re "wchan +(kernel_clone|wait_for_vfork_done)$" "wchan line"
tui_wait_re "syscall +vfork\(\)$" "syscall line"
tui_wait_re "stack +(kernel_clone|wait_for_vfork_done)\+0x[0-9a-f]+/0x[0-9a-f]+ +<- waits here" \
	"the frame it waits in is not marked"

# Live: the observed blocked time grows across refreshes.
secs() { tui_line "blocked " | sed -n 's/.*blocked [^0-9 ]*\([0-9]*\)\.\([0-9]\)s.*/\1\2/p'; }
first=$(secs)
[ -n "$first" ] || t_fail "no blocked time: $(tui_line "Thread $P")"
grows() { s=$(secs); [ -n "$s" ] && [ "$s" -ge $((first + 10)) ]; }
t_wait_for 10 grows || t_fail "blocked time did not grow from $first (tenths): $(tui_line "Thread $P")"

# D rows stand out: the state is drawn with an attribute (the capture with -e has escapes).
tui_screen -e | grep "disk sleep (uninterruptible)" | grep -q "$(printf '\033')\[" ||
	t_fail "D state not highlighted"

# As user nobody the same tab says what the kernel refused and why, wrapped to
# the window, never a blank field.
if command -v setpriv >/dev/null; then
	tm new-session -d -s nobody -x 100 -y 40 \
		"env LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME=/nonexistent setpriv --reuid=65534 --regid=65534 --clear-groups '$WHYTOP' -d 3 -p $P --open; exec sleep 600" ||
		t_fail "cannot start tmux as nobody"
	nb() { tm capture-pane -p -t nobody; }
	nb_has() { nb | grep -Fq -- "$1"; }
	t_wait_for 10 nb_has ":Kernel" || t_fail "no tab bar as nobody: $(nb)"
	tm send-keys -t nobody "$n"
	for want in "Thread $P kern_vfork" "disk sleep (uninterruptible)" \
		"the kernel hides the wait channel of a task whytop may" \
		"thread $P belongs to user root: the kernel shows the" \
		"the kernel shows kernel stacks only to CAP_SYS_ADMIN"; do
		t_wait_for 10 nb_has "$want" || { nb >&2; t_fail "as nobody, missing: $want"; }
	done
	nb | grep -Eq "^   (wchan|syscall|stack) *$" && { nb >&2; t_fail "a blank field as nobody"; }
	nb | awk 'length > 100 { bad = 1 } END { exit !bad }' && t_fail "lines wider than the window"
	tm send-keys -t nobody F10
fi

kill -KILL "$CHILD"
tui_wait "The process has exited; this is what it looked like last."
tui_has "Thread $P kern_vfork" || t_fail "last picture lost"
tui_keys q
tui_wait "whytop exited with 0"
exit 0
