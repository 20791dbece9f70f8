// SPDX-License-Identifier: GPL-2.0
/*
 * waitstart.bpf.c: since when each task has been off the CPU, read once by
 * a task iterator (loaded by waitstart.c through waitstart.skel.h).
 *
 * A task that leaves the CPU has its se.exec_start set to the clock_task
 * of its run queue (update_curr at the dequeue) and nothing moves it until
 * the task runs again. So, on the CPU c it last ran on:
 *     off = rq(c)->clock_task - exec_start
 * and rq(c)'s clocks may be stale (an idle CPU without ticks): the clock
 * of the CPU running this iterator is current to a tick, and clock minus
 * clock_task (irq and steal time) is the same whenever rq(c) was updated:
 *     off = this_rq->clock - (rq(c)->clock - rq(c)->clock_task) - exec_start
 * The run queues are reached through the tasks (se.cfs_rq->rq, with group
 * scheduling): `runqueues` has no address in kallsyms without
 * CONFIG_KALLSYMS_ALL (this machine's kernel), so a __ksym cannot load.
 * This CPU's is the iterating task's own (current runs here).
 * Nothing here waits or changes a task: it reads and writes records.
 */
#include "whytop_bpf.h"

#include "waitstart_rec.h"

char LICENSE[] SEC("license") = "GPL";

/* set by waitstart.c before each read: the process (0: every task) */
__u32 want_tgid = 0;
/* only tasks in D (the system-wide blocked view) */
__u32 only_d = 0;
/* set when this kernel has no se.cfs_rq (no group scheduling): no clocks reachable */
__u32 no_clock = 0;

SEC("iter/task")
int wt_waitstart(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *t = ctx->task;
	if (!t)
		return 0;
	if (want_tgid && t->tgid != want_tgid)
		return 0;
	unsigned int state = t->__state;
	if (state == 0 || t->on_cpu) /* running or runnable: not waiting */
		return 0;
	if (only_d && !(state & 0x2))
		return 0;
	struct wsb_rec r = {};
	r.tid = t->pid;
	r.tgid = t->tgid;
	r.state = state;
	r.nswitches = t->nvcsw + t->nivcsw;
	if (bpf_core_field_exists(t->se.cfs_rq)) {
		struct task_struct *cur = bpf_get_current_task_btf();
		struct rq *that = BPF_CORE_READ(t, se.cfs_rq, rq);
		struct rq *here = BPF_CORE_READ(cur, se.cfs_rq, rq);
		__u64 start = BPF_CORE_READ(t, se.exec_start);
		if (that && here && start) {
			__u64 irq = BPF_CORE_READ(that, clock) - BPF_CORE_READ(that, clock_task);
			__u64 now = BPF_CORE_READ(here, clock);
			if (now > irq && now - irq > start)
				r.off_ns = now - irq - start;
		}
	} else {
		no_clock = 1;
	}
	bpf_seq_write(seq, &r, sizeof(r));
	return 0;
}
