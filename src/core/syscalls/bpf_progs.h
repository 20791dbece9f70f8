/*
 * bpf_progs.h: the in-kernel counter's programs (bpf_progs.c) and the
 * layout of the maps they share with bpf.c. Private to src/core/syscalls.
 */
#ifndef WHYTOP_SC_BPF_PROGS_H
#define WHYTOP_SC_BPF_PROGS_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stdint.h>

#include "sc_internal.h"

#define TIDS 16384 /* per-thread pending entries, indexed by tid % TIDS */
#define ERRS 8192
#define LOST_SLOT SC_SLOTS /* stats[LOST_SLOT].calls counts lost exits */
/* x86: arch/x86/include/asm/thread_info.h, "32bit syscall active" */
#define TS_COMPAT 0x0002
#define BPF_PROG_MAX 160 /* instructions, more than either program needs */

/* The stats map value: must match the offsets the programs use. */
struct bpf_stat {
	uint64_t calls, errors, timed, time_ns;
};

/* A tids map value. */
struct bpf_tid_entry {
	uint64_t ts; /* entry time, 0 when not in a call */
	uint32_t slot, tid;
};

struct bpf_prog_params {
	int stats_fd, tids_fd, errs_fd;
	int tgid, tid;	/* the process, and the thread or 0 for all */
	int status_off; /* of thread_info.status in task_struct */
	bool btf;	/* tp_btf programs: read the task directly */
};

/* Write a program into p (BPF_PROG_MAX instructions); returns its length or -EINVAL. */
int bpf_prog_enter(struct bpf_insn *p, const struct bpf_prog_params *st);
int bpf_prog_exit(struct bpf_insn *p, const struct bpf_prog_params *st);

#endif
