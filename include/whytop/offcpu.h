/*
 * offcpu.h: where a process waits. Time each thread spent off the CPU,
 * by how it left (S sleeping, D uninterruptible, R preempted) and by the
 * kernel and user stacks at that moment, counted in the kernel (eBPF on
 * sched_switch) without stopping the process. Names: kernel frames from
 * /proc/kallsyms, user frames by the Stack tab's unwinder and symbols.
 */
#ifndef WHYTOP_OFFCPU_H
#define WHYTOP_OFFCPU_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <whytop/util.h>

/* Index of offcpu_thread.ns and the state of an entry. */
enum offcpu_state { OFFCPU_S, OFFCPU_D, OFFCPU_R, OFFCPU_OTHER, OFFCPU_NSTATES };
/* 'S', 'D', 'R', 'T'. */
char offcpu_state_letter(enum offcpu_state s);

struct offcpu_frame {
	char *function; /* escaped; NULL: unknown (then pc only) */
	uint64_t pc, offset;
	char *module; /* escaped basename, or NULL (kernel frames: a module's name) */
	char *file;   /* escaped source file, or NULL */
	int line;
};

/* Off-CPU time at one (thread, state, kernel stack, user stack). */
struct offcpu_entry {
	pid_t tid;
	enum offcpu_state state;
	uint64_t ns;				/* finished waits and the one in progress */
	uint64_t count;				/* waits finished */
	struct offcpu_frame *kframes, *uframes; /* innermost first */
	size_t nk, nu;
	char *note; /* why a stack is missing (escaped sentence), or NULL */
};

struct offcpu_thread {
	pid_t tid;
	char *name; /* comm, escaped; "?" once gone */
	uint64_t ns[OFFCPU_NSTATES];
};

struct offcpu_report {
	pid_t pid;
	uint64_t window_ns;	       /* the time counted: since offcpu_open, or the window's span */
	struct offcpu_thread *threads; /* by tid */
	size_t nthreads;
	struct offcpu_entry *entries; /* heaviest first */
	size_t nentries;
	uint64_t lost; /* waits not counted: the kernel's maps were full */
	char *note;    /* a sentence about names (kallsyms hidden...), or NULL */
};

struct offcpu;
/*
 * Start counting pid's off-CPU time (only_tid: one thread, 0 all). Needs
 * root (CAP_BPF and CAP_PERFMON) and a build with the eBPF programs; err
 * says which is missing. Threads already off the CPU count from now, with
 * the kernel stack /proc shows and no user stack.
 */
int offcpu_open(pid_t pid, pid_t only_tid, struct offcpu **out, struct wt_err *err);
/*
 * Totals since offcpu_open (or offcpu_reset), waits in progress included;
 * with a window (offcpu_window_set), the last W seconds only.
 */
int offcpu_read(struct offcpu *oc, struct offcpu_report **out, struct wt_err *err);
void offcpu_report_free(struct offcpu_report *r);
/* Start a new window: totals from now on, waits in progress counted from now. */
int offcpu_reset(struct offcpu *oc, struct wt_err *err);
void offcpu_close(struct offcpu *oc);
/*
 * Make offcpu_read give the last secs seconds (1 to 30; 0: totals since
 * the start): a sliding window in one-second buckets (src/core/profile/
 * slide.h), the oldest weighted by its share inside. Each read takes what
 * the kernel's totals grew by since the one before into the current
 * buckets (a finished wait's time spread back over the seconds before the
 * read), so read about every second; waits in progress count their part
 * inside the window. The first call starts the window empty (offcpu_reset).
 */
int offcpu_window_set(struct offcpu *oc, unsigned secs, struct wt_err *err);

/*
 * Reading on a worker thread, for the TUI (ofwatch.c). An offcpu_watch
 * opens the counting on its own thread, then reads a report every second
 * over a window sliding over the last OFFCPU_WATCH_WINDOW_NS (naming stacks
 * reads DWARF and /proc, which the UI must not wait for). offcpu_watch_fd
 * becomes readable when a report (or the reason there is none) is ready;
 * offcpu_watch_take hands over the latest, or -EAGAIN. offcpu_watch_free
 * never blocks: it detaches the program once the worker sees it.
 */
#define OFFCPU_WATCH_WINDOW_NS 5000000000ull
struct offcpu_watch;
struct offcpu_watch *offcpu_watch_new(pid_t pid);
void offcpu_watch_free(struct offcpu_watch *w);
int offcpu_watch_fd(const struct offcpu_watch *w);
/* The window's length from the next read on (1 to 30 s; the buckets stay). */
void offcpu_watch_window(struct offcpu_watch *w, unsigned secs);
/* 0 and *out (the caller frees it), -errno with err (no counting), or -EAGAIN. */
int offcpu_watch_take(struct offcpu_watch *w, struct offcpu_report **out, struct wt_err *err);

#endif
