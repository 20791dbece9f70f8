# offcpu_lib.sh: sourced by the off-CPU tests after lib.sh.
t_need_root
# A build without the eBPF programs says so in a sentence: the test skips.
oc_need_bpf() {
	local msg
	msg=$("$WHYTOP" offcpu "$$" --duration 0 2>&1 >/dev/null) && return 0
	case $msg in
	*"built without them"*) t_skip "$msg" ;;
	esac
	# any other refusal (no BTF, no sched_switch tracepoint) is a failure
	# of the real run below, with its own message
}
# oc_line FILE MARKER: the line number of the comment MARKER in FILE.
oc_line() {
	grep -n "$2" "$1" | cut -d: -f1
}
