// SPDX-License-Identifier: GPL-2.0
/*
 * offcpu.bpf.c: off-CPU time of one process, loaded by offcpu.c through its
 * bpftool skeleton (offcpu.skel.h).
 *
 *   a task of the process leaves the CPU (sched_switch, as prev):
 *       starts[tid] = {tid, state, kernel stack id, user stack id, now};
 *       a key never seen gets its totals entry and a user stack sample
 *   it comes back (sched_switch, as next):
 *       totals[key] += now - start; starts[tid] deleted
 *
 * The time off the CPU thus runs to when the task runs again (its wait and
 * then its time on the run queue after the wake-up). offcpu.c adds the
 * waits still in progress when it reads. The state is prev_state: S
 * (interruptible), D (uninterruptible), R (preempted while runnable).
 * The target never stops: nothing here waits or signals.
 */
#include "whytop_bpf.h"

#include "offcpu_rec.h"

#define ENODATA_ 61 /* the user stack was not taken (errno.h is not for BPF) */

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 target_tgid = 0;
const volatile __u32 only_tid = 0; /* 0: every thread */

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, OCB_STACKS);
	__uint(key_size, sizeof(u32));
	__uint(value_size, OCB_STACK_DEPTH * sizeof(u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, OCB_TASKS);
	__type(key, u32);
	__type(value, struct ocb_start);
} starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, OCB_KEYS);
	__type(key, struct ocb_key);
	__type(value, struct ocb_total);
} totals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, OCB_KEYS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct ocb_key);
	__type(value, struct ocb_sample);
} samples SEC(".maps");

/* scratch for a sample (too big for the program's stack) */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct ocb_sample);
} scratch SEC(".maps");

/* totals or samples found full: those waits are not counted */
__u64 lost = 0;

static __always_inline bool traced(struct task_struct *t)
{
	return t->tgid == target_tgid && (!only_tid || t->pid == only_tid);
}

static __always_inline __u32 state_of(bool preempt, unsigned int prev_state)
{
	if (preempt || prev_state == 0)
		return OCB_R;
	if (prev_state & 0x2) /* TASK_UNINTERRUPTIBLE, also in TASK_KILLABLE/IDLE */
		return OCB_D;
	if (prev_state & 0x1) /* TASK_INTERRUPTIBLE */
		return OCB_S;
	return OCB_OTHER;
}

/* prev is current: its registers and user stack are the ones to copy. */
static __always_inline void take_sample(struct task_struct *prev, struct ocb_key *key)
{
	u32 zero = 0;
	struct ocb_sample *s = bpf_map_lookup_elem(&scratch, &zero);
	if (!s)
		return;
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(prev);
	if (!regs || bpf_probe_read_kernel(s->regs, sizeof(s->regs), regs))
		return;
	u64 sp = s->regs[19]; /* pt_regs.sp */
	s->win_lo = sp;
	s->win_len = 0;
	if (bpf_probe_read_user(s->win, OCB_WIN, (void *)sp) == 0)
		s->win_len = OCB_WIN;
	else if (bpf_probe_read_user(s->win, OCB_WIN / 4, (void *)sp) == 0)
		s->win_len = OCB_WIN / 4;
	if (bpf_map_update_elem(&samples, key, s, BPF_NOEXIST) == -7 /* -E2BIG: full */)
		__sync_fetch_and_add(&lost, 1);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(wt_offcpu_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	u64 now = bpf_ktime_get_ns();
	if (traced(prev) && (prev_state & 0x80)) {
		/* TASK_DEAD: its last switch; it never comes back */
		u32 tid = prev->pid;
		bpf_map_delete_elem(&starts, &tid);
	} else if (traced(prev)) {
		struct ocb_start st = {};
		st.key.tid = prev->pid;
		st.key.state = state_of(preempt, prev_state);
		st.key.kstack = bpf_get_stackid(ctx, &stacks, 0);
		/*
		 * Preempted (R): wherever the CPU was taken, a new user pc each
		 * time; keyed by the kernel stack alone, without a sample.
		 */
		st.key.ustack = st.key.state == OCB_R ? -ENODATA_
							: bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
		st.ts = now;
		if (!bpf_map_lookup_elem(&totals, &st.key)) {
			struct ocb_total zero = {};
			if (bpf_map_update_elem(&totals, &st.key, &zero, BPF_NOEXIST) == 0 &&
			    st.key.state != OCB_R)
				take_sample(prev, &st.key);
		}
		bpf_map_update_elem(&starts, &st.key.tid, &st, BPF_ANY);
	}
	if (traced(next)) {
		u32 tid = next->pid;
		struct ocb_start *st = bpf_map_lookup_elem(&starts, &tid);
		if (!st)
			return 0;
		u64 d = now - st->ts;
		struct ocb_total *t = bpf_map_lookup_elem(&totals, &st->key);
		if (t) {
			__sync_fetch_and_add(&t->ns, d);
			__sync_fetch_and_add(&t->count, 1);
		} else {
			struct ocb_total v = {.ns = d, .count = 1};
			if (bpf_map_update_elem(&totals, &st->key, &v, BPF_NOEXIST))
				__sync_fetch_and_add(&lost, 1);
		}
		bpf_map_delete_elem(&starts, &tid);
	}
	return 0;
}
