/*
 * attach.h: holding a live process gently with ptrace.
 *
 * attach_all seizes every thread of a process (PTRACE_SEIZE, then
 * PTRACE_INTERRUPT), re-scanning /proc/PID/task until no thread is new, and
 * waits (waitpid __WALL, with a deadline) until each one is in a stop it
 * can classify. While held, registers can be read and written per thread and
 * memory read. attach_detach lets every thread go: a signal that arrived as
 * a signal-delivery-stop is handed back with PTRACE_DETACH so the target
 * still receives it, signals sent meanwhile stay pending in the kernel and
 * arrive after detach, and a process that was stopped (T) stays stopped.
 *
 * ptrace's rule: every call on a tracee must come from the thread that
 * attached it. A hold is made on the thread of the process's target
 * (target.h), inside a job: attach_all finds that target with
 * target_current() and holds through it, so a process the target already
 * has seized (counting its syscalls) is held too, and let go back into its
 * mode afterwards rather than detached. The wait for the stops blocks
 * (target_wait); it does not poll. A thread that cannot be stopped in time
 * (it sleeps in D state in the kernel) stays seized by the target, which
 * lets it go at its stop, whenever that comes.
 */
#ifndef WHYTOP_ATTACH_H
#define WHYTOP_ATTACH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

#include <whytop/util.h>

enum attach_stop {
	ATTACH_STOP_NONE = 0,  /* not stopped (not attached, gone, or did not stop in time) */
	ATTACH_STOP_INTERRUPT, /* PTRACE_EVENT_STOP after our PTRACE_INTERRUPT */
	ATTACH_STOP_GROUP,     /* group-stop: the process is stopped by SIGSTOP/SIGTSTP/... */
	ATTACH_STOP_SIGNAL,    /* signal-delivery-stop: a signal arrived; kept in pending_sig */
};

struct attach_thread {
	pid_t tid;
	char state;    /* from /proc/PID/task/TID/stat before the stop ('?' unknown) */
	bool seized;   /* PTRACE_SEIZE succeeded and no detach yet */
	bool gone;     /* exited (or never existed) during the attach */
	bool deferred; /* did not stop in time; the target lets it go at its stop */
	bool released; /* let go early by attach_opts.on_stop */
	enum attach_stop stop;
	int pending_sig;       /* signal to hand back on detach, 0 none */
	uint64_t interrupt_ns; /* when PTRACE_INTERRUPT was sent (wt_now_ns) */
	uint64_t stopped_ns;   /* when the stop was seen */
	uint64_t detached_ns;  /* when PTRACE_DETACH returned */
	bool regs_valid;       /* regs holds the registers read at the stop */
	struct user_regs_struct regs;
};

struct target;

struct attach_set {
	pid_t pid;
	struct target *target; /* whose thread holds it */
	struct attach_thread *threads;
	size_t nthreads, cap;
	bool was_stopped;  /* the process was in T (group-stopped) before we came */
	uint64_t start_ns; /* attach_all started */
	uint64_t held_ns;  /* longest any thread was held (interrupt to detach) */
	uint64_t paused_ns; /* longest from a thread's stop being seen to its detach */
	const struct attach_opts *opts; /* while attach_all runs (its on_stop) */
};

struct attach_opts {
	pid_t only_tid;		  /* 0: every thread; otherwise only this one */
	uint64_t stop_timeout_ns; /* 0: default (1 s) for the stop of all threads */
	bool fetch_regs;	  /* read every stopped thread's registers right away */
	/*
	 * Rolling hold: called on the attaching thread as soon as one thread's
	 * stop is seen. If it returns true the thread is let go at once (its
	 * pending signal handed back) and marked released, so each thread is
	 * held only for what on_stop does, not until the slowest one stops.
	 * The threads are then not all stopped at the same instant.
	 */
	bool (*on_stop)(struct attach_set *as, struct attach_thread *t, void *arg);
	void *on_stop_arg;
	/*
	 * Work for the time spent waiting on the threads yet to stop (the
	 * walk unwinds the threads already let go): called with on_stop_arg
	 * before each blocking wait. It returns true after one short unit of
	 * work, and the stops that came meanwhile are taken before the next;
	 * false when nothing is left to do. A thread that stops during a unit
	 * waits for its end: units must stay short (about a millisecond).
	 */
	bool (*on_idle)(void *arg);
};

/*
 * Seize and stop the threads of pid; on its target's thread only (EINVAL
 * elsewhere). On success *out holds every thread that
 * was seen, each with its stop classified (threads that exited are marked
 * gone). Fails only if no thread at all could be held (process gone,
 * permission refused); the error names the cause and what to do. When
 * every thread sleeps in D and none stopped within a short grace (20 ms
 * after the others), it fails with ETIMEDOUT at once, naming D and
 * 'whytop kstack'; those threads stay seized by the target until they
 * stop, and a later attach_all takes them over.
 */
int attach_all(pid_t pid, const struct attach_opts *opts, struct attach_set **out,
	       struct wt_err *err);

/*
 * Why pid cannot be traced at all, when /proc says so without trying:
 * it is whytop itself (EINVAL), a kernel thread (EINVAL), a zombie or gone
 * (ESRCH), or already traced by another process (EPERM, naming it). 0 if
 * none applies. attach_all calls it first; others (debug_proc_open) may.
 */
int attach_check(pid_t pid, struct wt_err *err);
/* Is tid (a TracerPid: the tracing thread) a thread of whytop itself? */
bool attach_tid_is_ours(long tid);
/*
 * The sentence for a refusal e (EPERM, EACCES from PTRACE_SEIZE of tid or
 * from /proc/PID files) of pid: attach_check's reasons, tid traced by
 * another process or by whytop (EBUSY), the system protecting the
 * process although whytop has CAP_SYS_PTRACE, or else "run as root".
 * Returns -errno.
 */
int attach_refusal(pid_t pid, pid_t tid, int e, struct wt_err *err);

/*
 * Let every thread go, handing pending signals back, and free the set.
 * Safe after threads or the whole process exited. Returns 0 or the first
 * -errno seen (the set is freed either way).
 */
int attach_detach(struct attach_set *as);
/*
 * The same, also giving the longest time a thread was seen stopped until
 * let go (paused_ns), and the longest from its interrupt to its detach
 * (held_ns: an upper bound that also counts the time a thread needed to
 * reach the stop, e.g. waiting for a CPU on a busy machine). Either may
 * be NULL.
 */
int attach_detach_held(struct attach_set *as, uint64_t *paused_ns, uint64_t *held_ns);

/* The held thread tid in as, or NULL. */
struct attach_thread *attach_find(struct attach_set *as, pid_t tid);

/* Registers of a held thread (cached after the first read). */
int attach_get_regs(struct attach_set *as, pid_t tid, struct user_regs_struct *regs,
		    struct wt_err *err);
/* Write registers of a held thread (frame 0 registers, for poke). */
int attach_set_regs(struct attach_set *as, pid_t tid, const struct user_regs_struct *regs,
		    struct wt_err *err);

/*
 * Read len bytes at addr of process pid: process_vm_readv, falling back to
 * /proc/PID/mem (which also reads pages process_vm_readv refuses). Returns
 * bytes read (may be short at an unmapped page) or -errno. Needs no stop,
 * but values on a running thread's stack are of course moving.
 */
ssize_t attach_read_mem(pid_t pid, uint64_t addr, void *buf, size_t len);

/* Human words for a stop kind ("interrupt", "group-stop", "signal"). */
const char *attach_stop_name(enum attach_stop s);

#endif
