/*
 * target.h: a traced process as the core sees it.
 *
 * One struct target per process in a whytop: the one owner of everything
 * ptrace does to it. It has one thread (ptrace's rule: every request on a
 * tracee comes from the thread that attached it), a table of the tasks it
 * has seized, and the modes it is in (held for a walk, counting syscalls).
 * Everything else submits jobs: a job's run function executes on the
 * target's thread, between two events of the target, and may hold the
 * process (attach.h), read registers, walk, poke; its done function runs
 * later on whichever thread calls target_collect (the UI, when target_fd
 * polls readable). Jobs of one target run one at a time, in order.
 *
 * The thread's loop, after strace's next_event()/dispatch_event(): it
 * sleeps in a ppoll on an eventfd that both a submitted job and SIGCHLD (a
 * handler writes every target's eventfd) make readable -- or, counting
 * syscalls with no job waiting, in waitpid itself, which a job's signal
 * interrupts; woken, it reaps every waiting status (waitpid
 * __WALL|__WNOTHREAD: its own tracees only), classifies each
 * (target_classify) and acts on it, then runs the queued jobs. No
 * polling: a target with nothing to do sleeps until something happens.
 *
 * Two views of one process in one whytop share its target (target_get
 * counts references), so they never fight over a thread: a stack walk
 * while the process is counted by ptrace is a job that interrupts the
 * counted threads, walks, and lets them count on.
 *
 * SIGCHLD: target_get installs a handler (chaining any earlier one). Front
 * ends should block SIGCHLD in their own threads (whytop's main does, before
 * any thread starts) so that their sleeps are not cut short; the target
 * threads take it in their ppoll.
 */
#ifndef WHYTOP_TARGET_H
#define WHYTOP_TARGET_H

#include <stdbool.h>
#include <sys/types.h>

#include <whytop/util.h>

/*
 * What a wait status says, in the sense of strace's enum trace_event. The
 * thread is assumed seized (PTRACE_SEIZE, never PTRACE_ATTACH): then a
 * group-stop always comes as PTRACE_EVENT_STOP and a stopped status without
 * an event is always a signal-delivery-stop.
 */
enum target_event {
	TE_NONE = 0,	    /* not a status a waitpid without WCONTINUED returns */
	TE_EXITED,	    /* exited; code holds its exit code */
	TE_KILLED,	    /* killed by sig; core if it dumped core */
	TE_CONTINUED,	    /* WIFCONTINUED (only with WCONTINUED) */
	TE_SYSCALL_STOP,    /* SIGTRAP|0x80 (PTRACE_O_TRACESYSGOOD): entry or exit,
			     * which the caller knows (PTRACE_GET_SYSCALL_INFO's op) */
	TE_SECCOMP,	    /* PTRACE_EVENT_SECCOMP: the entry of a filtered call */
	TE_CLONE,	    /* PTRACE_EVENT_CLONE: the new task in PTRACE_GETEVENTMSG */
	TE_FORK,	    /* PTRACE_EVENT_FORK */
	TE_VFORK,	    /* PTRACE_EVENT_VFORK */
	TE_VFORK_DONE,	    /* PTRACE_EVENT_VFORK_DONE */
	TE_EXEC,	    /* PTRACE_EVENT_EXEC: the former tid in PTRACE_GETEVENTMSG */
	TE_EXIT_EVENT,	    /* PTRACE_EVENT_EXIT: about to exit, still stoppable */
	TE_INTERRUPT,	    /* PTRACE_EVENT_STOP, not a group-stop: our PTRACE_INTERRUPT,
			     * a new auto-attached task's first stop, or the end of a
			     * PTRACE_LISTEN (sig is SIGTRAP) */
	TE_GROUP_STOP,	    /* PTRACE_EVENT_STOP with SIGSTOP/SIGTSTP/SIGTTIN/SIGTTOU:
			     * the process is stopped; PTRACE_LISTEN keeps it so */
	TE_SIGNAL_DELIVERY, /* any other stop: sig is the target's, to be delivered */
	TE_OTHER_EVENT,	    /* a PTRACE_EVENT_* this file does not know (ptrace_event) */
};

struct target_stop {
	enum target_event event;
	/*
	 * The stop signal as the kernel reported it (SIGTRAP|0x80 for a
	 * syscall stop, the stopping signal of a group-stop, the signal to
	 * deliver of a signal-delivery-stop), or the killing signal (TE_KILLED);
	 * 0 otherwise.
	 */
	int sig;
	int code;	  /* exit code of TE_EXITED */
	bool core;	  /* TE_KILLED with a core dump */
	int ptrace_event; /* PTRACE_EVENT_* of the stop, 0 none (status >> 16) */
};

/* Classify one waitpid status. Pure: no system call, no state. */
struct target_stop target_classify(int wait_status);
/* SIGSTOP, SIGTSTP, SIGTTIN or SIGTTOU: a signal whose default action stops. */
bool target_is_stop_signal(int sig);
/* The signal a stop carries for the target (to deliver on resume or detach), 0 none. */
int target_stop_signal(const struct target_stop *ts);
/* "exited", "group-stop"...: for debug output and test failures. */
const char *target_event_name(enum target_event ev);

/* ---- the owner of a process (src/core/target/target.c) ---- */

struct target;
typedef void (*target_fn)(void *arg);

/*
 * The target of pid in this whytop: made (and its thread started) on first
 * use, shared after; each get takes a reference that target_put gives back.
 * The last put ends the thread: a job still running finishes, queued jobs
 * are cancelled (their done functions run in target_put, target_cancelled
 * true), and every task still seized is let go cleanly.
 */
int target_get(pid_t pid, struct target **out, struct wt_err *err);
void target_put(struct target *t);
pid_t target_pid(const struct target *t);

/* Readable when finished jobs wait for target_collect. */
int target_fd(const struct target *t);
/* Queue run(arg) for the target's thread; done(arg) (may be NULL) comes later. */
int target_submit(struct target *t, target_fn run, target_fn done, void *arg);
/* Run the done functions of finished jobs on this thread; returns how many. */
int target_collect(struct target *t);
/*
 * Run run(arg) on the target's thread and wait for it (the CLI, core calls
 * made from another thread, tests). On the target's thread itself, runs it
 * at once.
 */
int target_call(struct target *t, target_fn run, void *arg);
/* True on t's thread. */
bool target_on_thread(const struct target *t);
/* The target whose thread this is, NULL on any other thread. */
struct target *target_current(void);
/* Inside a done function called by target_put: the job never ran. */
bool target_cancelled(const struct target *t);
/* How many jobs wait or run (for a "busy" mark on screen). */
unsigned target_pending(struct target *t);

#endif
