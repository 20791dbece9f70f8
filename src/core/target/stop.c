/*
 * stop.c: the one stop classifier. Turns a waitpid status of a seized
 * thread into an event (target.h), after strace's next_event(): the status
 * bits are read here and nowhere else, so the ptrace users (attach.c's short
 * hold, syscalls/tracer.c's counting) cannot disagree on what a stop is.
 *
 * How the kernel builds a status (kernel/exit.c, kernel/signal.c):
 *   exit:    code << 8                          (W_EXITCODE(code, 0))
 *   killed:  sig | 0x80 if a core was dumped    (W_EXITCODE(0, sig) | WCOREFLAG)
 *   stopped: sig << 8 | 0x7f, with a ptrace event in bits 16-23
 *            (sig is SIGTRAP for an event, SIGTRAP|0x80 for a syscall stop
 *            under PTRACE_O_TRACESYSGOOD, the stopping signal or SIGTRAP for
 *            PTRACE_EVENT_STOP)
 *   continued: 0xffff
 */
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include <whytop/target.h>

bool target_is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static enum target_event target_classify_event(int event, int sig)
{
	switch (event) {
	case 0:
		/* SIGTRAP|0x80 (133) is above SIGRTMAX: never a real signal. */
		return sig == (SIGTRAP | 0x80) ? TE_SYSCALL_STOP : TE_SIGNAL_DELIVERY;
	case PTRACE_EVENT_STOP:
		return target_is_stop_signal(sig) ? TE_GROUP_STOP : TE_INTERRUPT;
	case PTRACE_EVENT_SECCOMP:
		return TE_SECCOMP;
	case PTRACE_EVENT_CLONE:
		return TE_CLONE;
	case PTRACE_EVENT_FORK:
		return TE_FORK;
	case PTRACE_EVENT_VFORK:
		return TE_VFORK;
	case PTRACE_EVENT_VFORK_DONE:
		return TE_VFORK_DONE;
	case PTRACE_EVENT_EXEC:
		return TE_EXEC;
	case PTRACE_EVENT_EXIT:
		return TE_EXIT_EVENT;
	default:
		return TE_OTHER_EVENT;
	}
}

struct target_stop target_classify(int wait_status)
{
	struct target_stop ts = {0};
	if (WIFEXITED(wait_status)) {
		ts.event = TE_EXITED;
		ts.code = WEXITSTATUS(wait_status);
	} else if (WIFSIGNALED(wait_status)) {
		ts.event = TE_KILLED;
		ts.sig = WTERMSIG(wait_status);
		ts.core = WCOREDUMP(wait_status) != 0;
	} else if (WIFSTOPPED(wait_status)) {
		ts.sig = WSTOPSIG(wait_status);
		ts.ptrace_event = (int)((unsigned)wait_status >> 16);
		ts.event = target_classify_event(ts.ptrace_event, ts.sig);
	} else if (WIFCONTINUED(wait_status)) {
		ts.event = TE_CONTINUED;
	}
	return ts;
}

int target_stop_signal(const struct target_stop *ts)
{
	return ts->event == TE_SIGNAL_DELIVERY ? ts->sig : 0;
}

const char *target_event_name(enum target_event ev)
{
	static const char *const names[] = {
	    [TE_NONE] = "none",
	    [TE_EXITED] = "exited",
	    [TE_KILLED] = "killed",
	    [TE_CONTINUED] = "continued",
	    [TE_SYSCALL_STOP] = "syscall-stop",
	    [TE_SECCOMP] = "seccomp",
	    [TE_CLONE] = "clone",
	    [TE_FORK] = "fork",
	    [TE_VFORK] = "vfork",
	    [TE_VFORK_DONE] = "vfork-done",
	    [TE_EXEC] = "exec",
	    [TE_EXIT_EVENT] = "exit-event",
	    [TE_INTERRUPT] = "interrupt",
	    [TE_GROUP_STOP] = "group-stop",
	    [TE_SIGNAL_DELIVERY] = "signal-delivery",
	    [TE_OTHER_EVENT] = "other-event",
	};
	if ((unsigned)ev >= sizeof(names) / sizeof(names[0]) || !names[ev])
		return "?";
	return names[ev];
}
