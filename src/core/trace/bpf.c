/*
 * bpf.c: PLACEHOLDER for the in-kernel backend of the syscall log, so that
 * session.c links before the eBPF engineer's bpf.c lands. That file
 * replaces this one whole (keep theirs on a merge conflict).
 */
#include <errno.h>

#include "core/trace/trace_int.h"

static int bpf_open(struct trace_session *s, struct wt_err *err)
{
	(void)s;
	return wt_err_set(err, ENOSYS,
			  "this whytop has no in-kernel log yet; use --backend ptrace");
}

const struct trace_backend trace_backend_bpf = {
    .name = "in-kernel (eBPF ring buffer)",
    .open = bpf_open,
};
