// SPDX-License-Identifier: GPL-2.0
/*
 * count.bpf.c: the in-kernel syscall counter, loaded by bpf.c through its
 * bpftool skeleton (count.skel.h).
 *
 *   enter: if the task is counted and the call is in the set: tids[tid % TIDS]
 *          = {slot, tid, now} (calls[slot]++ for exit and exit_group only:
 *          they never return)
 *   exit:  if tids[tid % TIDS] is ours and pending: calls++, timed++,
 *          time += now - t, errors++ and errs[slot<<12 | errno]++ for -4095..-1
 *   fork:  (-f only) a child of a counted process is counted too
 *   gone:  (several processes or -f) a process whose last thread exits
 *          leaves tgids, so that its pid, reused, is not counted
 *
 * A call is counted when it returns (one stats update per call instead of
 * two: measured, it matters for a getppid loop); bpf.c adds the calls in
 * progress when it reads the counters.
 *
 * Which tasks: one process is an immediate compare (single_tgid, frozen
 * before loading, so the verifier drops the other branch); several, or -f,
 * a lookup in the tgids hash. Which calls: with -e trace= (filtered) a
 * lookup in the set array at entry; a call outside the set writes nothing,
 * and its exit finds no pending entry in tids (two inlined array reads).
 *
 * The ABI of each call is told apart in the kernel: TS_COMPAT in
 * current->thread_info.status (CO-RE: libbpf finds the field in the
 * running kernel) marks an i386 syscall, from an i386 task or from
 * "int $0x80" in a 64-bit one; bit 30 of the number is x32.
 *
 * Each program comes twice: tp_btf (reads the task directly) and raw_tp
 * (through bpf_probe_read_kernel, about 30 ns more per call) for kernels
 * that refuse tp_btf programs. bpf.c loads one pair.
 */
#include "whytop_bpf.h"

#include "count.h"

char LICENSE[] SEC("license") = "GPL"; /* bpf_probe_read_kernel, BTF helpers */

const volatile __u32 single_tgid = 0; /* the one process, or 0: the tgids map */
const volatile __u32 only_tid = 0;    /* 0: every thread */
const volatile __u8 filtered = 0;     /* 1: only the calls in the set map */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SCB_SLOTS + 1);
	__type(key, u32);
	__type(value, struct scb_stat);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SCB_TIDS);
	__type(key, u32);
	__type(value, struct scb_tid);
} tids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, SCB_ERRS);
	__type(key, u32);
	__type(value, u64);
} errs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SCB_TGIDS);
	__type(key, u32);
	__type(value, u8);
} tgids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SCB_SLOTS);
	__type(key, u32);
	__type(value, u8);
} set SEC(".maps");

/* Whether the current task is counted; *id = pid_tgid. */
static __always_inline bool counted(u64 *id)
{
	u64 pt = bpf_get_current_pid_tgid();
	u32 tgid = pt >> 32;
	*id = pt;
	if (single_tgid) {
		if (tgid != single_tgid)
			return false;
	} else if (!bpf_map_lookup_elem(&tgids, &tgid)) {
		return false;
	}
	return !only_tid || (u32)pt == only_tid;
}

/* The slot of call nr given the task's thread_info.status (compat: i386). */
static __always_inline u32 slot_of(long nr, int abi)
{
	u32 base = 0;
	if (abi < 0) /* could not tell: counted by number under "abi?", never guessed */
		base = 3 * (SCB_NR_MAX + 1);
	else if (abi)
		base = SCB_NR_MAX + 1;
	else if (nr >= 0 && (nr & 0x40000000)) {
		base = 2 * (SCB_NR_MAX + 1);
		nr &= ~0x40000000L;
	}
	if (nr < 0 || nr >= SCB_NR_MAX)
		nr = SCB_NR_MAX;
	return base + (u32)nr;
}

static __always_inline void inc_calls(u32 slot)
{
	struct scb_stat *s = bpf_map_lookup_elem(&stats, &slot);
	if (s)
		s->calls++;
}

static __always_inline int on_enter(u64 id, long nr, int abi)
{
	u32 slot = slot_of(nr, abi);
	if (filtered) {
		u8 *in = bpf_map_lookup_elem(&set, &slot);
		if (!in || !*in)
			return 0;
	}
	/* exit, exit_group (x86_64, x32; i386 1 and 252) never return: counted here */
	switch (slot) {
	case 60:
	case 231:
	case SCB_NR_MAX + 1 + 1:
	case SCB_NR_MAX + 1 + 252:
	case 2 * (SCB_NR_MAX + 1) + 60:
	case 2 * (SCB_NR_MAX + 1) + 231:
		inc_calls(slot);
	}
	u32 k = (u32)id & (SCB_TIDS - 1);
	struct scb_tid *t = bpf_map_lookup_elem(&tids, &k);
	if (!t)
		return 0;
	t->slot = slot;
	t->tid = (u32)id;
	/* the clock last, so that the time excludes our own work */
	t->ts = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int on_exit(u64 id, long ret)
{
	/* the clock first, so that the time excludes our own work */
	u64 now = bpf_ktime_get_ns();
	u32 k = (u32)id & (SCB_TIDS - 1), slot;
	struct scb_tid *t = bpf_map_lookup_elem(&tids, &k);
	if (!t)
		return 0;
	if (t->tid != (u32)id) {
		/* tid 0: this slot never saw an entry: a call in progress at start */
		if (t->tid == 0)
			return 0;
		/* another thread with the same tid % TIDS took the slot */
		inc_calls(SCB_LOST_SLOT);
		return 0;
	}
	if (!t->ts)
		return 0; /* a call we did not see enter (outside the set, or before us) */
	now -= t->ts;
	t->ts = 0;
	slot = t->slot;
	struct scb_stat *s = bpf_map_lookup_elem(&stats, &slot);
	if (!s)
		return 0;
	s->calls++;
	s->timed++;
	s->time_ns += now;
	if (ret < -4095 || ret >= 0)
		return 0;
	s->errors++;
	u32 ek = slot << 12 | ((u32)-ret & 0xfff);
	u64 *n = bpf_map_lookup_elem(&errs, &ek), one = 1;
	if (n) {
		(*n)++;
		return 0;
	}
	if (bpf_map_update_elem(&errs, &ek, &one, BPF_NOEXIST) == 0)
		return 0;
	/* another CPU inserted it meanwhile, or the map is full */
	n = bpf_map_lookup_elem(&errs, &ek);
	if (n)
		(*n)++;
	else
		inc_calls(SCB_LOST_SLOT); /* this error's errno is lost, and said so */
	return 0;
}

/* A child of a counted process is counted from its first call (-f). */
static __always_inline int on_fork(u32 parent_tgid, u32 child_tgid)
{
	u8 one = 1;
	if (parent_tgid != child_tgid && bpf_map_lookup_elem(&tgids, &parent_tgid) &&
	    bpf_map_update_elem(&tgids, &child_tgid, &one, BPF_ANY))
		inc_calls(SCB_LOST_SLOT); /* the map is full: this child is missed, and said so */
	return 0;
}

/* signal->live reached 0 before this tracepoint (do_exit): the group is dead. */
static __always_inline int on_task_exit(u32 tgid, int live)
{
	if (live == 0)
		bpf_map_delete_elem(&tgids, &tgid);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(wt_sc_enter, struct pt_regs *regs, long nr)
{
	u64 id;
	if (!counted(&id))
		return 0;
	struct task_struct *task = bpf_get_current_task_btf();
	return on_enter(id, nr, (task->thread_info.status & SCB_TS_COMPAT) != 0);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(wt_sc_exit, struct pt_regs *regs, long ret)
{
	u64 id;
	if (!counted(&id))
		return 0;
	return on_exit(id, ret);
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(wt_sc_fork, struct task_struct *parent, struct task_struct *child)
{
	return on_fork(parent->tgid, child->tgid);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(wt_sc_gone, struct task_struct *task)
{
	return on_task_exit(task->tgid, task->signal->live.counter);
}

SEC("raw_tp/sys_enter")
int BPF_PROG(wt_sc_enter_raw, struct pt_regs *regs, long nr)
{
	u64 id;
	u32 status;
	if (!counted(&id))
		return 0;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	if (BPF_CORE_READ_INTO(&status, task, thread_info.status))
		return on_enter(id, nr, -1);
	return on_enter(id, nr, (status & SCB_TS_COMPAT) != 0);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(wt_sc_exit_raw, struct pt_regs *regs, long ret)
{
	u64 id;
	if (!counted(&id))
		return 0;
	return on_exit(id, ret);
}

SEC("raw_tp/sched_process_fork")
int BPF_PROG(wt_sc_fork_raw, struct task_struct *parent, struct task_struct *child)
{
	return on_fork(BPF_CORE_READ(parent, tgid), BPF_CORE_READ(child, tgid));
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(wt_sc_gone_raw, struct task_struct *task)
{
	return on_task_exit(BPF_CORE_READ(task, tgid), BPF_CORE_READ(task, signal, live.counter));
}
