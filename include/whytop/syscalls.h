/*
 * syscalls.h: live syscall counting for processes (all threads or one).
 *
 * A session counts the syscalls of a process with one backend:
 *  - kernel: an eBPF raw tracepoint pair (sys_enter/sys_exit) counting into
 *    per-CPU maps; the target never stops; nothing outlives whytop's fds.
 *  - ptrace: PTRACE_SEIZE every thread and stop at each syscall entry/exit,
 *    as a mode of the process's target (target.h); slows the target a lot.
 *  - launch: start a program under whytop (sc_launch_run, a mode of its
 *    target too), optionally with a
 *    seccomp filter so that it stops only for the watched syscalls.
 * A backend hands out cumulative raw counters (struct sc_sample); counts.c
 * turns successive samples into a table with rates over a window.
 */
#ifndef WHYTOP_SYSCALLS_H
#define WHYTOP_SYSCALLS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <whytop/util.h>

/* Syscall numbers per ABI that get a counter of their own. */
#define SC_NR_MAX 1024
/*
 * ABIs a syscall can come in on x86_64. A 64-bit process can still make an
 * i386 syscall with int 0x80, so the ABI is per call, not per process.
 * SC_ABI_UNKNOWN: a backend could not tell (counted by number only, labelled).
 */
enum sc_abi { SC_ABI_X86_64, SC_ABI_I386, SC_ABI_X32, SC_ABI_UNKNOWN, SC_ABI_N };
/* Slot of (abi, nr) in a sample; numbers out of range share one slot per ABI. */
#define SC_SLOTS (SC_ABI_N * (SC_NR_MAX + 1))
static inline unsigned sc_slot(enum sc_abi abi, long nr)
{
	unsigned n = (nr < 0 || nr >= SC_NR_MAX) ? SC_NR_MAX : (unsigned)nr;
	return (unsigned)abi * (SC_NR_MAX + 1) + n;
}
const char *sc_abi_label(enum sc_abi abi);
/* AUDIT_ARCH_* of an ABI (for sysname()); 0 for SC_ABI_UNKNOWN. */
uint32_t sc_abi_arch(enum sc_abi abi);

#define SC_ERRNO_TOP 4
struct sc_raw {
	uint64_t calls;	  /* entries seen */
	uint64_t errors;  /* exits with -4095..-1 */
	uint64_t timed;	  /* exits matched with their entry */
	uint64_t time_ns; /* sum of entry-to-exit times of the timed ones */
	/* The most frequent errnos (a syscall fails in few ways). */
	uint16_t errnos[SC_ERRNO_TOP];
	uint64_t errno_calls[SC_ERRNO_TOP];
};

/* Cumulative counters since the session started. */
struct sc_sample {
	uint64_t t_ns;	      /* CLOCK_MONOTONIC when read */
	uint64_t lost;	      /* events a backend had to drop (reported, never hidden) */
	uint64_t overhead_ns; /* time the backend spent per its own measure, 0 if unknown */
	uint64_t overhead_runs;
	struct sc_raw slot[SC_SLOTS];
};
void sc_raw_add_errno(struct sc_raw *r, int err, uint64_t n);

enum sc_backend { SC_BACKEND_AUTO, SC_BACKEND_KERNEL, SC_BACKEND_PTRACE };

struct sc_set; /* a set of calls: whytop/decode.h */

struct sc_opts {
	pid_t pid;	   /* the process (thread group id), when npids is 0 */
	const pid_t *pids; /* or several processes (copied at open) */
	size_t npids;
	pid_t tid;		 /* 0: every thread; else only this one (one process) */
	enum sc_backend backend; /* AUTO: kernel when possible, else ptrace */
	int measure_cost;	 /* kernel: ask the kernel to time our programs */
	int follow;		 /* -f: count the children they fork from now on too */
	const struct sc_set *trace; /* -e trace=: only these calls; NULL: all (copied) */
};

struct sc_session;

/* Start counting. Fills err with a sentence on failure. */
int sc_session_open(struct sc_session **out, const struct sc_opts *o, struct wt_err *err);
/* Copy the cumulative counters (allocate *out with sc_sample_new). */
int sc_session_read(struct sc_session *s, struct sc_sample *out, struct wt_err *err);
/* "in-kernel (eBPF ...)", "ptrace" (valid while s is open); what it costs, in words. */
enum sc_backend sc_session_backend(const struct sc_session *s);
const char *sc_session_backend_name(const struct sc_session *s);
/* e.g. "no stops; 62 ns in the kernel per syscall on the machine" */
void sc_session_cost(const struct sc_session *s, const struct sc_sample *now, char *buf,
		     size_t size);
/* 0 while a counted process (thread) lives; -ESRCH when all are gone. */
int sc_session_alive(const struct sc_session *s);
/* Stop counting; leaves nothing behind, the target runs on as before. */
void sc_session_close(struct sc_session *s);

struct sc_sample *sc_sample_new(void);
void sc_sample_free(struct sc_sample *s);

/*
 * Launch mode: run argv under whytop until it (and every process it starts)
 * ends. trace: comma-separated syscall names to stop for (seccomp
 * SCMP_ACT_TRACE), or NULL for all of them; set (-e trace=, or NULL): the
 * calls of this set are watched too, and only watched calls are counted.
 * out gets the counters, *status the program's wait status.
 */
int sc_launch_run(char *const argv[], const char *trace, const struct sc_set *set,
		  struct sc_sample *out, int *status, struct wt_err *err);

/* ---- counts.c: the per-syscall table with rates ---- */

#define SC_HIST 64 /* samples kept for rates and the sparkline (one per tick) */

struct sc_row {
	enum sc_abi abi;
	int nr; /* SC_NR_MAX: out of range */
	char name[40];
	uint64_t calls, errors, timed, time_ns;
	int top_errno; /* 0 if none */
	uint64_t top_errno_calls;
	double rate;  /* calls/s over the window */
	double share; /* of the total time, 0..1 */
	/* private: cumulative calls at each kept sample */
	uint64_t hist[SC_HIST];
};

enum sc_sort {
	SC_SORT_RATE,
	SC_SORT_CALLS,
	SC_SORT_ERRORS,
	SC_SORT_TIME,
	SC_SORT_AVG,
	SC_SORT_NAME,
	SC_SORT_N
};

struct sc_counts {
	struct sc_row *rows;
	size_t nrows, cap;
	uint64_t total_calls, total_errors, total_time_ns, lost;
	double total_rate;
	double window_s;  /* "now" means the last window_s seconds */
	double elapsed_s; /* since start or the last reset */
	/* private */
	struct sc_sample *base; /* subtracted after a reset */
	uint64_t t_hist[SC_HIST], total_hist[SC_HIST];
	unsigned nhist, head;
	uint64_t t0_ns;
};

struct sc_counts *sc_counts_new(void);
void sc_counts_free(struct sc_counts *c);
/* Take in a new cumulative sample and recompute every row. */
void sc_counts_update(struct sc_counts *c, const struct sc_sample *s);
/* Counting starts again from the last sample. */
void sc_counts_reset(struct sc_counts *c);
void sc_counts_set_window(struct sc_counts *c, double seconds);
void sc_counts_sort(struct sc_counts *c, enum sc_sort key);
const char *sc_sort_name(enum sc_sort key);
/* Total calls/s between consecutive samples, oldest first, at most max values. */
size_t sc_counts_spark(const struct sc_counts *c, double *out, size_t max);
/* "EBADF" etc.; "E%d" for an unknown one (buf). */
const char *sc_errno_name(int e, char *buf, size_t size);

#endif
