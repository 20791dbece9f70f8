/*
 * offcpu_rec.h: what offcpu.bpf.c and offcpu.c share: the key of an
 * off-CPU total, a wait in progress, and a user stack sample.
 */
#ifndef WHYTOP_OFFCPU_REC_H
#define WHYTOP_OFFCPU_REC_H

#define OCB_STACK_DEPTH 127 /* frames a stack map entry holds */
#define OCB_STACKS 8192	    /* distinct kernel and user stacks */
#define OCB_KEYS 16384	    /* distinct (tid, state, stacks) totals */
#define OCB_TASKS 16384	    /* waits in progress */
#define OCB_WIN 4096	    /* bytes of user stack copied with a sample */
#define OCB_NREGS 21	    /* pt_regs r15..ss: user_regs_struct's prefix */

/* How a task left the CPU (state letters as /proc prints them). */
enum { OCB_S = 1, OCB_D = 2, OCB_R = 3, OCB_OTHER = 4 };

struct ocb_key {
	__u32 tid;
	__u32 state;  /* OCB_* */
	__s32 kstack; /* stack map ids; negative: none (-EFAULT, -EEXIST...) */
	__s32 ustack; /* frame-pointer user stack: part of the key only */
};

struct ocb_total {
	__u64 ns;    /* off the CPU, summed over finished waits */
	__u64 count; /* finished waits */
};

struct ocb_start {
	struct ocb_key key;
	__u64 ts; /* bpf_ktime_get_ns when it left the CPU */
};

/* The registers and top of the user stack when a key was first seen: user
 * space unwinds this with DWARF (frame pointers alone skip frames). */
struct ocb_sample {
	__u64 regs[OCB_NREGS];
	__u64 win_lo;
	__u32 win_len;
	__u32 pad;
	__u8 win[OCB_WIN];
};

#endif
