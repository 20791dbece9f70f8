/*
 * target.h: a traced process as the core sees it (tracker issue 11). For now
 * the one stop classifier: what a wait status of a seized thread means
 * (src/core/target/stop.c). Every ptrace user of the core turns its wait
 * statuses into a struct target_stop here and acts on the event; none reads
 * the bits of a status itself.
 */
#ifndef WHYTOP_TARGET_H
#define WHYTOP_TARGET_H

#include <stdbool.h>

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

#endif
