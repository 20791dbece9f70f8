/*
 * target_int.h: the inside of a struct target, for the files that act on
 * its tasks (target.c: the loop and the jobs; attach.c: holding for a walk;
 * syscalls/ptrace.c: counting). Not for front ends. Everything here runs on
 * the target's thread.
 */
#ifndef WHYTOP_TARGET_INT_H
#define WHYTOP_TARGET_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <whytop/attach.h>
#include <whytop/target.h>

/* One task (thread) the target has seized, or is about to. */
struct target_task {
	pid_t tid;
	bool seized;	      /* we are its tracer */
	bool counting;	      /* resumed into the count mode between holds */
	bool options_set;     /* the count mode's ptrace options are on */
	bool hold_want;	      /* a hold waits for its stop */
	bool held;	      /* in a stop that a hold keeps */
	bool detach_at_stop;  /* let go at its next stop (it did not stop in time) */
	/*
	 * Its mode keeps it in its stop (catch: a crash being reported): a
	 * hold takes it as stopped without interrupting it, and letting go of
	 * the hold leaves it held. The mode alone resumes it.
	 */
	bool kept;
	struct target_stop stop; /* the stop it is in while held */
	uint64_t stopped_ns;
};

/*
 * A mode that keeps tasks seized between jobs and decides how each stop
 * goes on: the ptrace syscall counter (syscalls/ptrace.c). The target
 * calls it for the stops of tasks marked counting.
 */
struct target_mode {
	const char *doing; /* "counting its syscalls": for the refusal of a second mode */
	long options;	   /* PTRACE_O_* for its tasks */
	bool follow_forks; /* new processes (TRACEFORK) are its too, not only threads */
	/* A stop outside a hold: account for it and resume the task. */
	void (*stop)(void *ctx, pid_t tid, int status);
	/* A stop a hold keeps: account for it, do not resume. */
	void (*held)(void *ctx, pid_t tid, int status);
	/* The hold is over: resume the task as the mode does from stop ts. */
	void (*resume)(void *ctx, pid_t tid, const struct target_stop *ts);
	/* The task exited or was let go. */
	void (*gone)(void *ctx, pid_t tid);
	/* The task exited with this wait status (before gone); may be NULL. */
	void (*exited)(void *ctx, pid_t tid, int status);
};

struct target_job;

struct target {
	pid_t pid;
	unsigned refs; /* under the registry's lock */
	pthread_t thread;
	pid_t thread_tid;
	int wake_slot;	/* index of our eventfd in the SIGCHLD handler's table */
	int wake_fd;	/* readable: a job was queued, or a child changed state */
	int done_fd;	/* readable: finished jobs wait for target_collect */
	timer_t kick;	/* re-sends the wake signal while jobs wait (count mode) */
	bool kick_ok;
	/*
	 * Under lock: the thread is in, or on its way to, the count mode's
	 * waitpid, which only a signal interrupts (eventfd writes reach ppoll).
	 */
	bool in_waitpid;
	pthread_mutex_t lock;
	pthread_cond_t synced;
	struct target_job *queue, **queue_tail;
	struct target_job *finished, **finished_tail;
	unsigned pending;
	bool stopping, cancelling;

	/* The target's thread alone touches what follows. */
	struct target_task *tasks;
	size_t ntasks, cap;
	struct attach_set *hold; /* the hold in progress, NULL none */
	const struct target_mode *mode;
	void *mode_ctx;
};

struct target_task *target_task_find(struct target *t, pid_t tid);
struct target_task *target_task_add(struct target *t, pid_t tid);
void target_task_drop(struct target *t, pid_t tid);

/*
 * Seize tid (PTRACE_SEIZE with the mode's options when counting) unless it
 * is seized already; 0, or -errno (ESRCH: gone; EPERM: refused).
 */
int target_seize(struct target *t, pid_t tid, struct target_task **out);

/*
 * Reap every status waiting and act on each. When none waits and
 * deadline_ns is not 0, sleep until one comes (or a job is queued, or
 * deadline_ns, CLOCK_MONOTONIC as wt_now_ns, passes; UINT64_MAX: no
 * deadline). Returns how many statuses were handled.
 */
int target_wait(struct target *t, uint64_t deadline_ns);

/*
 * Counting, with no job to wait for: block in waitpid for the next status
 * and handle it (the hot path of a count mode, as strace's loop: one
 * waitpid per stop). Returns on a status, or on EINTR (a job's signal).
 */
void target_wait_counting(struct target *t);

/*
 * A held task goes on: the mode resumes it, or it is let go, with sig
 * (the signal its stop carried, 0 none) handed back.
 */
int target_release_task(struct target *t, struct target_task *k, int sig);

/*
 * attach.c: a task the hold waits for has just stopped (k->held is set).
 * Runs the hold's on_stop at once, so a rolling hold copies and lets go
 * each thread before the next status is even reaped. k may be gone after.
 */
void attach_hold_stopped(struct attach_set *as, struct target_task *k);

/*
 * A mode on (a process has one at a time: the second is refused with
 * -EBUSY and a sentence naming what the first is doing), or, mode NULL, off
 * without letting tasks go (target_end_mode does that).
 */
int target_begin_mode(struct target *t, const struct target_mode *mode, void *ctx,
		      struct wt_err *err);
void target_set_mode(struct target *t, const struct target_mode *mode, void *ctx);
void target_end_mode(struct target *t, uint64_t timeout_ns);

#endif
