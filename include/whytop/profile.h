/*
 * profile.h: where a process spends its CPU, from perf samples, without
 * stopping it.
 *
 * A profile_session opens one perf event (software cpu-clock, or hardware
 * cycles where the machine has them) per thread of the process and picks
 * up new threads on each poll. Each sample carries the thread's user
 * registers and a bounded copy of its user stack (and, where allowed, its
 * kernel call chain); it is unwound and named by the Stack tab's
 * unwinder (stack_unwind_copy) and added to counts: per function self and
 * total, per source line self, per call path. The target is never traced
 * or stopped: no ptrace anywhere. Not thread-safe.
 */
#ifndef WHYTOP_PROFILE_H
#define WHYTOP_PROFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <whytop/util.h>

/* 99 Hz: off the 100 Hz beat of timers, and a cost the target cannot see. */
#define PROFILE_DEFAULT_HZ 99
/* Bytes of user stack copied per sample (perf's own default is 8 KiB). */
#define PROFILE_STACK_BYTES 16384

struct profile_opts {
	pid_t only_tid;	    /* 0: every thread of the process */
	unsigned hz;	    /* 0: PROFILE_DEFAULT_HZ */
	size_t stack_bytes; /* 0: PROFILE_STACK_BYTES */
};

struct profile_line {
	char *file; /* escaped; NULL when unknown */
	int line;
	uint64_t self;
};

struct profile_fn {
	char *name;	/* function (escaped), "[module]" or "[unknown]"; "_[k]" ends kernel ones */
	char *module;	/* basename, escaped; "[kernel]" for kernel frames; NULL if unknown */
	char *file;	/* a source file of the function, escaped; NULL if unknown */
	uint64_t self;	/* samples with this function innermost */
	uint64_t total; /* samples with it anywhere on the stack */
	struct profile_line *lines; /* self samples by line, most first */
	size_t nlines;
};

struct profile_path {
	char *folded; /* root first, ';' between names (';' in a name becomes ':') */
	uint64_t count;
};

struct profile {
	pid_t pid;
	pid_t only_tid;
	unsigned hz;
	const char *event;	/* "cpu-clock" or "cycles" */
	uint64_t samples;	/* samples counted (each in fns and paths) */
	uint64_t lost;		/* samples the kernel dropped (ring full), since the start */
	uint64_t unwind_errors; /* samples whose stack ended in an error (still counted) */
	uint64_t duration_ns;	/* the time the counts cover (the window's span) */
	unsigned window_secs;	/* 0: counts since the start; else the last that many s */
	size_t threads;		/* threads profiled so far */
	bool kernel_frames;	/* kernel call chains were allowed */
	struct profile_fn *fns; /* by self, then total, descending */
	size_t nfns;
	struct profile_path *paths; /* by count, descending */
	size_t npaths;
};

struct profile_session;

/* Open events on every thread (or only_tid) of pid; the counting starts. */
int profile_open(pid_t pid, const struct profile_opts *opts, struct profile_session **out,
		 struct wt_err *err);
/*
 * Wait up to timeout_ms for samples, read and count every ring, pick up
 * threads born since the last call. -ESRCH once the process is gone.
 */
int profile_poll(struct profile_session *s, int timeout_ms, struct wt_err *err);
/*
 * The counts so far, sorted (a copy: free it with profile_free): since the
 * start, or over the window set by profile_window_set.
 */
int profile_result(struct profile_session *s, struct profile **out, struct wt_err *err);
/* Stop sampling (the target then pays nothing) or start again. */
void profile_enable(struct profile_session *s, bool on);
/* Forget the counts: they start again from now. */
void profile_reset(struct profile_session *s);
/*
 * Make profile_result give the last secs seconds only (1 to
 * PROFILE_WINDOW_MAX; 0: everything since the start, the default): a
 * sliding window, counted in one-second buckets, the oldest weighted by
 * its share still inside (src/core/profile/slide.h). Counting into the
 * buckets starts when a window is first set.
 */
#define PROFILE_WINDOW_DEFAULT 5
#define PROFILE_WINDOW_MAX 30
void profile_window_set(struct profile_session *s, unsigned secs);
void profile_free(struct profile *p);
void profile_close(struct profile_session *s);

#endif
