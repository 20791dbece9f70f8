// SPDX-License-Identifier: GPL-2.0
/*
 * libcalls.bpf.c: the library call counter, loaded by libcalls.c through
 * its bpftool skeleton (libcalls.skel.h). One program, attached as a
 * uprobe at the entry of every chosen function (one uprobe_multi link per
 * library, or one uprobe each); the attach cookie is the function's index.
 * A uprobe on a library fires in every process that maps it: only the
 * traced process (tgid, frozen before loading) is counted.
 */
#include "whytop_bpf.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 tgid = 0;

/* calls per function (by cookie), per CPU: no atomics on the hot path */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1); /* set to the number of functions before loading */
	__type(key, u32);
	__type(value, u64);
} calls SEC(".maps");

SEC("uprobe")
int wt_lc_hit(struct pt_regs *ctx)
{
	if (bpf_get_current_pid_tgid() >> 32 != tgid)
		return 0;
	u32 k = (u32)bpf_get_attach_cookie(ctx);
	u64 *n = bpf_map_lookup_elem(&calls, &k);
	if (n)
		(*n)++;
	return 0;
}
