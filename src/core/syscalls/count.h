/*
 * count.h: the layout the in-kernel counter's eBPF programs (count.bpf.c)
 * share with their loader (bpf.c). Included by both sides, so only plain C
 * types; bpf.c checks that the sizes agree with whytop/syscalls.h.
 */
#ifndef WHYTOP_SC_COUNT_H
#define WHYTOP_SC_COUNT_H

#define SCB_NR_MAX 1024 /* SC_NR_MAX */
#define SCB_ABI_N 4	/* SC_ABI_N: x86_64, i386, x32, unknown */
#define SCB_SLOTS (SCB_ABI_N * (SCB_NR_MAX + 1))
#define SCB_LOST_SLOT SCB_SLOTS /* stats[SCB_LOST_SLOT].calls counts lost exits */
#define SCB_TIDS 16384		/* per-thread pending entries, indexed by tid % SCB_TIDS */
#define SCB_ERRS 8192		/* (slot, errno) pairs */
#define SCB_TGIDS 4096		/* processes counted (with -f: and their children) */
/* x86: arch/x86/include/asm/thread_info.h, "32bit syscall active" */
#define SCB_TS_COMPAT 0x0002

/* A stats map value, per CPU. */
struct scb_stat {
	unsigned long long calls, errors, timed, time_ns;
};

/* A tids map value: the call a thread is in. */
struct scb_tid {
	unsigned long long ts; /* entry time, 0 when not in a call */
	unsigned int slot, tid;
};

#endif
