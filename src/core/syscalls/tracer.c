/*
 * tracer.c: the ptrace stop engine shared by the ptrace backend (attach to
 * a running process) and launch mode (whytop run): it keeps the table of
 * traced threads, acts on every stop as the one classifier names it
 * (target_classify, src/core/target/stop.c) and resumes the thread the right
 * way, counting syscalls as it goes.
 *
 *  - syscall stops (SIGTRAP|0x80): PTRACE_GET_SYSCALL_INFO says entry or exit
 *    and the arch, so no entry/exit parity is guessed and an i386 call from
 *    a 64-bit task is counted under its own ABI;
 *  - seccomp stops (launch with a filter): the entry of a watched call; the
 *    thread is resumed with PTRACE_SYSCALL to see that call's exit only;
 *  - clone/fork/vfork events: the new task is already traced (TRACECLONE);
 *  - PTRACE_EVENT_STOP with a stop signal is a group-stop: PTRACE_LISTEN, so
 *    a stopped process stays stopped and still sees SIGCONT;
 *  - anything else is a genuine signal: re-injected on resume.
 *
 * A thread seized in the middle of a syscall (pause, nanosleep) is woken
 * by our interrupt and the kernel restarts its call when we resume it: the
 * first stop reads its registers, and that re-entry (the same number, or
 * restart_syscall) is not counted, as its first entry was never seen.
 *
 * Every call here must come from the one thread that attached the tracees.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <linux/audit.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>

#include <whytop/proc.h>
#include <whytop/target.h>

#include "sc_internal.h"
#include "tracer.h"

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- the tracee table: open addressing on tid ---- */

static struct sc_tracee *find_slot(struct sc_tracer *t, pid_t tid)
{
	size_t mask = t->cap - 1, i = ((size_t)tid * 2654435761u) & mask;
	while (t->tab[i].tid && t->tab[i].tid != tid)
		i = (i + 1) & mask;
	return &t->tab[i];
}

struct sc_tracee *sc_tracer_find(struct sc_tracer *t, pid_t tid)
{
	if (!t->cap)
		return NULL;
	struct sc_tracee *e = find_slot(t, tid);
	return e->tid == tid && !e->gone ? e : NULL;
}

static int grow(struct sc_tracer *t)
{
	size_t old = t->cap, cap = old ? old * 2 : 64;
	struct sc_tracee *o = t->tab, *n = calloc(cap, sizeof(*n));
	if (!n)
		return -ENOMEM;
	t->tab = n;
	t->cap = cap;
	t->used = 0;
	for (size_t i = 0; i < old; i++) {
		if (o[i].tid && !o[i].gone) {
			*find_slot(t, o[i].tid) = o[i];
			t->used++;
		}
	}
	free(o);
	return 0;
}

struct sc_tracee *sc_tracer_add(struct sc_tracer *t, pid_t tid)
{
	struct sc_tracee *e = sc_tracer_find(t, tid);
	if (e)
		return e;
	/* "gone" entries are tombstones; they count as used until the next growth */
	if ((t->used + 1) * 2 > t->cap && grow(t) < 0)
		return NULL;
	e = find_slot(t, tid);
	if (e->tid != tid)
		t->used++;
	memset(e, 0, sizeof(*e));
	e->tid = tid;
	t->live++;
	return e;
}

void sc_tracer_remove(struct sc_tracer *t, pid_t tid)
{
	struct sc_tracee *e = sc_tracer_find(t, tid);
	if (e) {
		e->gone = 1;
		t->live--;
	}
}

void sc_tracer_init(struct sc_tracer *t, struct sc_sample *acc, pthread_mutex_t *lock,
		    int seccomp_mode)
{
	memset(t, 0, sizeof(*t));
	t->acc = acc;
	t->lock = lock;
	t->seccomp = seccomp_mode;
}

void sc_tracer_fini(struct sc_tracer *t)
{
	free(t->tab);
	t->tab = NULL;
	t->cap = t->used = t->live = 0;
}

/* ---- counting ---- */

static void count_entry(struct sc_tracer *t, struct sc_tracee *e, uint32_t arch, uint64_t nr64)
{
	long nr = (long)nr64;
	enum sc_abi abi = sc_abi_of(arch, &nr);
	if (t->only_tid && e->tid != t->only_tid)
		return;
	e->slot = sc_slot(abi, nr);
	if (t->set && !sc_set_has_slot(t->set, e->slot)) {
		e->in_syscall = 0; /* not asked for: neither it nor its exit counts */
		return;
	}
	e->in_syscall = 1;
	if (t->lock)
		pthread_mutex_lock(t->lock);
	t->acc->slot[e->slot].calls++;
	if (t->lock)
		pthread_mutex_unlock(t->lock);
	e->entry_ns = mono_ns();
}

static void count_exit(struct sc_tracer *t, struct sc_tracee *e, int64_t rval, int is_error)
{
	uint64_t now = mono_ns();
	if (!e->in_syscall)
		return; /* in progress when we attached: its entry was not seen */
	e->in_syscall = 0;
	struct sc_raw *r = &t->acc->slot[e->slot];
	if (t->lock)
		pthread_mutex_lock(t->lock);
	r->timed++;
	r->time_ns += now - e->entry_ns;
	if (is_error && rval < 0 && rval >= -4095) {
		r->errors++;
		sc_raw_add_errno(r, (int)-rval, 1);
	}
	if (t->lock)
		pthread_mutex_unlock(t->lock);
}

/* The kernel's restart codes (include/linux/errno.h, not exported to user space). */
static int is_restart_code(int64_t rv)
{
	return rv == -512 || rv == -513 || rv == -514 || rv == -516;
}

/*
 * The first stop of a thread seized while running: was it in a syscall
 * the kernel will restart when we resume it (pause, nanosleep, read on a
 * pipe... interrupted by our PTRACE_INTERRUPT)? Then its next entry is that
 * call again (or restart_syscall), whose entry happened before we came.
 */
static void first_stop(struct sc_tracee *e)
{
	struct __ptrace_syscall_info info;
	struct user_regs_struct regs;
	e->attached = 0;
	memset(&info, 0, sizeof(info));
	if (ptrace(PTRACE_GET_SYSCALL_INFO, e->tid, (void *)sizeof(info), &info) <= 0 ||
	    ptrace(PTRACE_GETREGS, e->tid, 0, &regs) < 0)
		return;
	int64_t rv = (int64_t)regs.rax, nr = (int64_t)regs.orig_rax;
	if (info.arch == AUDIT_ARCH_I386) {
		rv = (int32_t)regs.rax;
		nr = (int32_t)regs.orig_rax;
	}
	if (nr < 0 || !is_restart_code(rv))
		return;
	e->restart_pending = 1;
	e->restart_arch = info.arch;
	e->restart_nr = (uint64_t)nr;
}

/*
 * An entry while a restart is pending: is it the interrupted call going
 * on? rt_sigreturn (a handler ran first, SA_RESTART) leaves it pending.
 */
static int is_restarted_entry(struct sc_tracee *e, uint32_t arch, uint64_t nr)
{
	int i386 = arch == AUDIT_ARCH_I386;
	uint64_t restart_syscall = i386 ? 0 : 219, rt_sigreturn = i386 ? 173 : 15;
	if (arch == e->restart_arch && (nr == rt_sigreturn || (i386 && nr == 119)))
		return 0;
	e->restart_pending = 0;
	return arch == e->restart_arch && (nr == e->restart_nr || nr == restart_syscall);
}

static void syscall_stop(struct sc_tracer *t, struct sc_tracee *e)
{
	struct __ptrace_syscall_info info;
	memset(&info, 0, sizeof(info));
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, e->tid, (void *)sizeof(info), &info);
	if (n <= 0)
		return;
	e->attached = 0;
	switch (info.op) {
	case PTRACE_SYSCALL_INFO_ENTRY:
		if (e->restart_pending && is_restarted_entry(e, info.arch, info.entry.nr)) {
			e->in_syscall = 0; /* not counted, nor its exit */
			break;
		}
		count_entry(t, e, info.arch, info.entry.nr);
		break;
	case PTRACE_SYSCALL_INFO_SECCOMP:
		count_entry(t, e, info.arch, info.seccomp.nr);
		break;
	case PTRACE_SYSCALL_INFO_EXIT:
		count_exit(t, e, info.exit.rval, info.exit.is_error);
		break;
	default:
		break;
	}
}

/* How a thread goes on: to its next syscall stop, or freely under seccomp. */
static int resume_req(const struct sc_tracer *t, const struct sc_tracee *e)
{
	if (t->seccomp && !e->in_syscall)
		return PTRACE_CONT;
	return PTRACE_SYSCALL;
}

/* The thread group of a task; 0 if gone. */
static pid_t tgid_of(pid_t tid)
{
	pid_t tgid = 0;
	return proc_tgid_of(tid, &tgid) == 0 ? tgid : 0;
}

/*
 * Take note of one stop of tid (no resume). Returns its entry, or NULL
 * when there is nothing to resume: it exited, or it is another process's
 * task and was let go.
 */
static struct sc_tracee *sc_tracer_note(struct sc_tracer *t, pid_t tid,
					const struct target_stop *ts)
{
	struct sc_tracee *e = sc_tracer_find(t, tid);

	if (ts->event == TE_EXITED || ts->event == TE_KILLED) {
		if (e)
			sc_tracer_remove(t, tid);
		return NULL;
	}
	if (ts->event == TE_NONE || ts->event == TE_CONTINUED)
		return NULL;
	if (!e) {
		/*
		 * A thread seized while running (its first stop), or a new
		 * thread whose first stop came before its parent's clone
		 * event. A clone that made another process (no CLONE_THREAD,
		 * an exit signal other than SIGCHLD) is traced too: let it go.
		 */
		if (t->tgid && tgid_of(tid) != t->tgid) {
			ptrace(PTRACE_DETACH, tid, 0, 0);
			return NULL;
		}
		e = sc_tracer_add(t, tid);
		if (!e) {
			ptrace(PTRACE_DETACH, tid, 0, 0);
			return NULL;
		}
		e->attached = 1; /* maybe mid-syscall: see first_stop */
	}

	unsigned long msg = 0;
	switch (ts->event) {
	case TE_SYSCALL_STOP:
	case TE_SECCOMP:
		syscall_stop(t, e);
		break;
	case TE_CLONE:
	case TE_FORK:
	case TE_VFORK:
		if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) == 0 && msg &&
		    (!t->tgid || tgid_of((pid_t)msg) == t->tgid) && !sc_tracer_find(t, (pid_t)msg))
			sc_tracer_add(t, (pid_t)msg);
		break;
	case TE_EXEC:
		/* A non-leader that execs takes over the leader's tid: its execve
		 * goes on (and returns) as the leader. */
		if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) == 0 && (pid_t)msg != tid) {
			struct sc_tracee *old = sc_tracer_find(t, (pid_t)msg);
			if (old) {
				e->in_syscall = old->in_syscall;
				e->slot = old->slot;
				e->entry_ns = old->entry_ns;
				sc_tracer_remove(t, (pid_t)msg);
				e = sc_tracer_find(t, tid);
			}
		}
		break;
	case TE_GROUP_STOP:
	case TE_INTERRUPT: /* PTRACE_INTERRUPT, or a new thread's first stop */
		if (e->attached)
			first_stop(e);
		break;
	default:
		break;
	}
	return e;
}

void sc_tracer_account(struct sc_tracer *t, pid_t tid, int status)
{
	struct target_stop ts = target_classify(status);
	sc_tracer_note(t, tid, &ts);
}

void sc_tracer_resume(struct sc_tracer *t, pid_t tid, const struct target_stop *ts)
{
	struct sc_tracee *e = sc_tracer_find(t, tid);
	if (ts->event == TE_GROUP_STOP) {
		/* stay stopped, but let SIGCONT through */
		ptrace(PTRACE_LISTEN, tid, 0, 0);
		return;
	}
	/* A genuine signal is the target's: delivered on resume. */
	int inject = target_stop_signal(ts);
	int req = e ? resume_req(t, e) : PTRACE_SYSCALL;
	if (ptrace(req, tid, 0, (void *)(long)inject) < 0 && errno == ESRCH)
		sc_tracer_remove(t, tid); /* killed meanwhile; its exit status follows */
}

int sc_tracer_handle(struct sc_tracer *t, pid_t tid, int status)
{
	struct target_stop ts = target_classify(status);

	if (t->detaching && ts.event != TE_EXITED && ts.event != TE_KILLED &&
	    ts.event != TE_NONE && ts.event != TE_CONTINUED) {
		/* Any stop will do to let go; a genuine signal goes with us. */
		ptrace(PTRACE_DETACH, tid, 0, (void *)(long)target_stop_signal(&ts));
		sc_tracer_remove(t, tid);
		return 0;
	}
	if (!sc_tracer_note(t, tid, &ts))
		return 0;
	sc_tracer_resume(t, tid, &ts);
	return 0;
}
