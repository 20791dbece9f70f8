/*
 * attach.c: seize, stop, classify, detach. Owns the ptrace life cycle of a
 * short hold on a live process (attach.h) and nothing else: no unwinding,
 * no symbols. Each thread is seized and interrupted separately because
 * ptrace works per thread; /proc/PID/task is re-read until a scan finds no
 * new thread, which is complete because a stopped thread cannot clone.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <whytop/attach.h>
#include <whytop/proc.h>
#include <whytop/target.h>

#include "core/target/target_int.h"

#define ATTACH_DEFAULT_TIMEOUT_NS 1000000000ull
/* Threads that were already in D state get this long once all others stopped. */
#define ATTACH_D_GRACE_NS 20000000ull

const char *attach_stop_name(enum attach_stop s)
{
	switch (s) {
	case ATTACH_STOP_INTERRUPT:
		return "interrupt";
	case ATTACH_STOP_GROUP:
		return "group-stop";
	case ATTACH_STOP_SIGNAL:
		return "signal";
	default:
		return "not stopped";
	}
}

/*
 * TracerPid names the tracing *thread*, not its process: whytop's tracer
 * threads (a screen's, the ptrace counter's) are not its main thread. Is
 * tid one of ours?
 */
bool attach_tid_is_ours(long tid)
{
	char path[64];
	if (tid <= 0)
		return false;
	if (tid == getpid())
		return true;
	snprintf(path, sizeof(path), "/proc/self/task/%ld", tid);
	return access(path, F_OK) == 0;
}

/* The escaped comm of a process, into buf ("?" if unreadable). */
static const char *attach_comm(pid_t pid, char *buf, size_t size)
{
	char path[64], raw[64];
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	ssize_t n = wt_read_at(AT_FDCWD, path, raw, sizeof(raw));
	if (n <= 0)
		return strcpy(buf, "?");
	if (raw[n - 1] == '\n')
		n--;
	return wt_escape_to(buf, size, raw, (size_t)n, 0);
}

int attach_check(pid_t pid, struct wt_err *err)
{
	struct proc_status st;
	char name[64];
	if (proc_status_read(pid, &st) < 0)
		return 0; /* gone or hidden: the caller's own reads say which */
	if (st.tgid == getpid())
		return wt_err_set(err, EINVAL,
				  "process %d is whytop itself: whytop cannot trace itself", pid);
	if (proc_is_kthread(pid))
		return wt_err_set(err, EINVAL,
				  "process %d is a kernel thread: it has no user stack; "
				  "'whytop kstack %d' shows its kernel stack",
				  pid, pid);
	/* A leader that exited while other threads run on shows Z too: not a zombie. */
	if ((st.state == 'Z' || st.state == 'X') && st.threads <= 1) {
		if (st.state == 'X')
			return wt_err_set(err, ESRCH, "process %d is gone (it exited)", pid);
		return wt_err_set(err, ESRCH,
				  "process %d is a zombie (it has exited; its parent %d (%s) "
				  "has not reaped it): there is nothing left to trace",
				  pid, (int)st.ppid, attach_comm(st.ppid, name, sizeof(name)));
	}
	if (st.tracer_pid > 0 && !attach_tid_is_ours(st.tracer_pid))
		return wt_err_set(err, EPERM,
				  "process %d is already traced by %d (%s); detach it first", pid,
				  (int)st.tracer_pid, attach_comm(st.tracer_pid, name, sizeof(name)));
	return 0;
}

int attach_refusal(pid_t pid, pid_t tid, int e, struct wt_err *err)
{
	int r = attach_check(pid, err);
	if (r < 0)
		return r;
	char name[64];
	struct proc_status st;
	long tracer = tid && proc_status_read(tid, &st) == 0 ? st.tracer_pid : 0;
	if (attach_tid_is_ours(tracer))
		return wt_err_set(err, EBUSY,
				  "cannot attach to %d: another part of whytop is holding it; "
				  "try again",
				  pid);
	if (tracer > 0)
		return wt_err_set(err, EPERM,
				  "thread %d of process %d is already traced by %ld (%s); detach "
				  "it first",
				  tid, pid, tracer, attach_comm((pid_t)tracer, name, sizeof(name)));
	if (e != EPERM && e != EACCES)
		return wt_err_set(err, e, "cannot attach to %d: %s", pid, strerror(e));
	unsigned long long caps = proc_status_read(0, &st) == 0 ? st.cap_eff : 0;
	if (caps & (1ull << 19)) /* CAP_SYS_PTRACE: running as root will not help */
		return wt_err_set(err, e,
				  "cannot attach to %d: %s, although whytop has CAP_SYS_PTRACE: "
				  "the system protects this process (a security module such as "
				  "Yama or Landlock, or a user namespace whytop is not in)",
				  pid, strerror(e));
	return wt_err_set(err, e,
			  "cannot attach to %d: %s; run whytop as root or as the process owner "
			  "with ptrace allowed (kernel.yama.ptrace_scope)",
			  pid, strerror(e));
}

struct attach_thread *attach_find(struct attach_set *as, pid_t tid)
{
	for (size_t i = 0; i < as->nthreads; i++)
		if (as->threads[i].tid == tid)
			return &as->threads[i];
	return NULL;
}

static struct attach_thread *attach_add(struct attach_set *as, pid_t tid)
{
	if (as->nthreads == as->cap) {
		size_t cap = as->cap ? as->cap * 2 : 16;
		void *p = realloc(as->threads, cap * sizeof(*as->threads));
		if (!p)
			return NULL;
		as->threads = p;
		as->cap = cap;
	}
	struct attach_thread *t = &as->threads[as->nthreads++];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	return t;
}

/*
 * Seize and interrupt every listed thread not seen before: seize them all
 * first (that stops nothing), then interrupt them in a tight loop, so the
 * first one stopped does not wait for the others' /proc reads and seizes.
 * Returns how many were new, or -errno if the task directory cannot be
 * read (process gone).
 */
static int attach_scan(struct target *tg, struct attach_set *as, pid_t only_tid,
		       int *first_errno, pid_t *err_tid)
{
	pid_t *tids;
	size_t n;
	int r = proc_threads(as->pid, &tids, &n);
	if (r < 0)
		return r;
	size_t from = as->nthreads;
	for (size_t i = 0; i < n; i++) {
		if ((only_tid && tids[i] != only_tid) || attach_find(as, tids[i]))
			continue;
		struct attach_thread *t = attach_add(as, tids[i]);
		if (!t) {
			free(tids);
			return -ENOMEM;
		}
		t->state = proc_task_state(as->pid, tids[i]);
	}
	free(tids);
	for (size_t i = from; i < as->nthreads; i++) {
		struct attach_thread *t = &as->threads[i];
		struct target_task *k;
		if (t->state == 'Z' || t->state == 'X') {
			t->gone = true; /* an exited thread (a zombie leader) cannot be seized */
			continue;
		}
		r = target_seize(tg, t->tid, &k);
		if (r < 0) {
			char now = r == -EPERM ? proc_task_state(as->pid, t->tid) : 0;
			/* An exiting thread refuses ptrace with EPERM: it is going, not forbidden. */
			if (r == -ESRCH || now == 'Z' || now == 'X' || now == '?') {
				t->gone = true;
			} else if (!*first_errno) {
				*first_errno = -r;
				*err_tid = t->tid;
			}
			continue;
		}
		if (k->kept) {
			/* Stopped already, by its mode (a caught crash): no interrupt. */
			t->seized = true;
			continue;
		}
		/* A thread a former hold gave up on (D state) is taken over here. */
		k->detach_at_stop = false;
		k->hold_want = true;
		k->held = false;
		t->seized = true;
	}
	for (size_t i = from; i < as->nthreads; i++) {
		struct attach_thread *t = &as->threads[i];
		struct target_task *k = target_task_find(tg, t->tid);
		if (!t->seized || (k && k->kept))
			continue;
		t->interrupt_ns = wt_now_ns();
		/* ESRCH: exited meanwhile; its exit status comes to target_wait. */
		ptrace(PTRACE_INTERRUPT, t->tid, 0, 0);
	}
	return (int)(as->nthreads - from);
}

/* Let one thread go now: hand back its pending signal; account its hold. */
static int attach_release(struct attach_set *as, struct attach_thread *t)
{
	int ret = 0;
	struct target_task *k = target_task_find(as->target, t->tid);
	/*
	 * The thread runs again from inside this call; stamp before it, so our
	 * own preemption by the thread we just woke is not counted as its pause.
	 */
	t->detached_ns = wt_now_ns();
	if (k)
		ret = target_release_task(as->target, k, t->pending_sig);
	t->seized = false;
	uint64_t from = t->interrupt_ns ? t->interrupt_ns : as->start_ns;
	if (t->stop != ATTACH_STOP_NONE && t->detached_ns - from > as->held_ns)
		as->held_ns = t->detached_ns - from;
	if (t->stopped_ns && t->detached_ns - t->stopped_ns > as->paused_ns)
		as->paused_ns = t->detached_ns - t->stopped_ns;
	return ret;
}

/* The stop a hold saw, in attach.h's words. */
static void attach_take_stop(struct attach_thread *t, const struct target_task *k)
{
	t->stopped_ns = k->stopped_ns;
	if (k->stop.event == TE_GROUP_STOP) {
		t->stop = ATTACH_STOP_GROUP;
	} else if (k->stop.event == TE_SIGNAL_DELIVERY) {
		/*
		 * A signal reached the thread before our interrupt did. Keep it
		 * and hand it back on release so the target still gets it.
		 */
		t->stop = ATTACH_STOP_SIGNAL;
		t->pending_sig = k->stop.sig;
	} else {
		t->stop = ATTACH_STOP_INTERRUPT; /* or a syscall stop while counting */
	}
}

void attach_hold_stopped(struct attach_set *as, struct target_task *k)
{
	struct attach_thread *t = attach_find(as, k->tid);
	if (!t || !t->seized || t->stop != ATTACH_STOP_NONE)
		return; /* the set's next scan round takes it */
	attach_take_stop(t, k);
	if (as->opts && as->opts->on_stop && as->opts->on_stop(as, t, as->opts->on_stop_arg)) {
		attach_release(as, t);
		t->released = true;
	}
}

/*
 * Wait until every seized thread from `from` on has stopped or exited, or
 * the deadline passes. The wait blocks (target_wait): the threads that
 * must reach their stop get the CPU, not a polling loop of ours.
 */
static void attach_wait_stops(struct attach_set *as, size_t from, uint64_t deadline,
			      const struct attach_opts *opts)
{
	uint64_t all_but_d_ns = 0;
	for (;;) {
		size_t waiting = 0, waiting_not_d = 0;
		for (size_t i = from; i < as->nthreads; i++) {
			struct attach_thread *t = &as->threads[i];
			if (!t->seized || t->stop != ATTACH_STOP_NONE)
				continue;
			struct target_task *k = target_task_find(as->target, t->tid);
			if (!k) { /* exited */
				t->seized = false;
				t->gone = true;
				continue;
			}
			if (k->held) {
				attach_take_stop(t, k);
				if (opts->on_stop && opts->on_stop(as, t, opts->on_stop_arg)) {
					attach_release(as, t);
					t->released = true;
				}
				continue;
			}
			waiting++;
			if (t->state != 'D')
				waiting_not_d++;
		}
		if (!waiting)
			return;
		uint64_t now = wt_now_ns(), until = deadline;
		if (!waiting_not_d && !all_but_d_ns)
			all_but_d_ns = now;
		if (all_but_d_ns && all_but_d_ns + ATTACH_D_GRACE_NS < until)
			until = all_but_d_ns + ATTACH_D_GRACE_NS;
		if (now >= until)
			break;
		if (opts->on_idle && opts->on_idle(opts->on_stop_arg)) {
			target_wait(as->target, 0); /* the stops that came meanwhile */
			continue;
		}
		target_wait(as->target, until);
	}
	for (size_t i = from; i < as->nthreads; i++) {
		struct attach_thread *t = &as->threads[i];
		if (t->seized && t->stop == ATTACH_STOP_NONE)
			t->deferred = true;
	}
}

int attach_all(pid_t pid, const struct attach_opts *opts, struct attach_set **out,
	       struct wt_err *err)
{
	static const struct attach_opts defaults;
	if (!opts)
		opts = &defaults;
	*out = NULL;
	struct target *tg = target_current();
	if (!tg || target_pid(tg) != pid)
		return wt_err_set(err, EINVAL,
				  "internal error: process %d is held only from the thread of its "
				  "target (target_call)",
				  pid);
	if (tg->hold)
		return wt_err_set(err, EBUSY, "internal error: process %d is held already", pid);
	/* Whytop itself, a zombie, a kernel thread, traced by another tool: say so at once. */
	int r = attach_check(pid, err);
	if (r < 0)
		return r;

	struct attach_set *as = calloc(1, sizeof(*as));
	if (!as)
		return wt_err_set(err, ENOMEM, "out of memory attaching to %d", pid);
	as->pid = pid;
	as->target = tg;
	as->opts = opts;
	tg->hold = as;
	as->start_ns = wt_now_ns();
	char pstate = proc_task_state(pid, 0);
	as->was_stopped = pstate == 'T';
	uint64_t deadline = as->start_ns + (opts->stop_timeout_ns ? opts->stop_timeout_ns
								  : ATTACH_DEFAULT_TIMEOUT_NS);

	int first_errno = 0;
	pid_t err_tid = 0;
	for (int round = 0; round < 64; round++) {
		size_t from = as->nthreads;
		int added = attach_scan(tg, as, opts->only_tid, &first_errno, &err_tid);
		if (added < 0) {
			int e = -added;
			attach_detach(as);
			if (e == ENOENT || e == ESRCH)
				return wt_err_set(err, ESRCH, "process %d is gone (it exited)",
						  pid);
			return wt_err_set(err, e, "cannot list the threads of %d: %s", pid,
					  strerror(e));
		}
		if (added == 0)
			break;
		attach_wait_stops(as, from, deadline, opts);
	}

	size_t held = 0, unstopped = 0, in_d = 0;
	for (size_t i = 0; i < as->nthreads; i++) {
		struct attach_thread *t = &as->threads[i];
		if (t->released) {
			held++;
		} else if (t->seized && t->stop != ATTACH_STOP_NONE) {
			held++;
			if (opts->fetch_regs && ptrace(PTRACE_GETREGS, t->tid, 0, &t->regs) == 0)
				t->regs_valid = true;
		} else if (t->deferred) {
			unstopped++;
			if (proc_task_state(pid, t->tid) == 'D')
				in_d++;
		}
	}
	if (held == 0 && unstopped && in_d == unstopped) {
		/*
		 * Every thread we seized sleeps uninterruptibly: it stops only
		 * when the kernel lets it go (a vfork parent, when its child
		 * execs or exits). Waiting longer or trying again would not help.
		 */
		attach_detach(as);
		if (unstopped == 1)
			return wt_err_set(err, ETIMEDOUT,
					  "process %d did not stop: it sleeps uninterruptibly in "
					  "the kernel (state D; a vfork parent waits so for its "
					  "child); 'whytop kstack %d' shows where",
					  pid, pid);
		return wt_err_set(err, ETIMEDOUT,
				  "no thread of process %d stopped: all %zu sleep uninterruptibly "
				  "in the kernel (state D); 'whytop kstack %d' shows where",
				  pid, unstopped, pid);
	}
	if (held == 0) {
		char pnow = proc_task_state(pid, 0);
		int gone = pstate == '?' || pstate == 'Z' || pstate == 'X' || pnow == '?' ||
			   pnow == 'Z' || pnow == 'X';
		if (gone && first_errno == EPERM)
			first_errno = 0; /* it was exiting, not forbidden */
		attach_detach(as);
		if (opts->only_tid && !first_errno)
			return wt_err_set(err, ESRCH,
					  "thread %d is not a live thread of process %d",
					  opts->only_tid, pid);
		if (first_errno == EPERM)
			return attach_refusal(pid, err_tid, EPERM, err);
		if (first_errno)
			return wt_err_set(err, first_errno, "cannot attach to %d: %s", pid,
					  strerror(first_errno));
		if (gone)
			return wt_err_set(err, ESRCH, "process %d is gone (it exited)", pid);
		return wt_err_set(err, EAGAIN,
				  "no thread of %d stopped within the timeout (all sleeping "
				  "uninterruptibly in the kernel?); see its kernel stacks",
				  pid);
	}
	as->opts = NULL; /* the caller's; not kept past this call */
	*out = as;
	return 0;
}
int attach_detach(struct attach_set *as)
{
	return attach_detach_held(as, NULL, NULL);
}

int attach_detach_held(struct attach_set *as, uint64_t *paused_ns, uint64_t *held_ns)
{
	if (!as)
		return 0;
	int ret = 0;
	for (size_t i = 0; i < as->nthreads; i++) {
		struct attach_thread *t = &as->threads[i];
		if (!t->seized)
			continue;
		if (t->deferred) {
			/*
			 * It has not stopped (D state): its interrupt stays
			 * pending. The target lets it go at that stop (or
			 * the count mode takes it back), whenever it comes.
			 */
			struct target_task *k = target_task_find(as->target, t->tid);
			if (k) {
				k->hold_want = false;
				k->detach_at_stop = !k->counting;
			}
			t->seized = false;
			continue;
		}
		int r = attach_release(as, t);
		if (r < 0 && !ret)
			ret = r;
	}
	if (held_ns)
		*held_ns = as->held_ns;
	if (paused_ns)
		*paused_ns = as->paused_ns;
	if (as->target && as->target->hold == as)
		as->target->hold = NULL;
	free(as->threads);
	free(as);
	return ret;
}

int attach_get_regs(struct attach_set *as, pid_t tid, struct user_regs_struct *regs,
		    struct wt_err *err)
{
	struct attach_thread *t = attach_find(as, tid);
	if (!t || !t->seized || t->stop == ATTACH_STOP_NONE)
		return wt_err_set(err, ESRCH, "thread %d is not held (it exited or did not stop)",
				  tid);
	if (!t->regs_valid) {
		if (ptrace(PTRACE_GETREGS, tid, 0, &t->regs) < 0)
			return wt_err_set(err, errno, "cannot read the registers of thread %d: %s",
					  tid, strerror(errno));
		t->regs_valid = true;
	}
	*regs = t->regs;
	return 0;
}

int attach_set_regs(struct attach_set *as, pid_t tid, const struct user_regs_struct *regs,
		    struct wt_err *err)
{
	struct attach_thread *t = attach_find(as, tid);
	if (!t || !t->seized || t->stop == ATTACH_STOP_NONE)
		return wt_err_set(err, ESRCH, "thread %d is not held (it exited or did not stop)",
				  tid);
	if (ptrace(PTRACE_SETREGS, tid, 0, regs) < 0)
		return wt_err_set(err, errno, "cannot write the registers of thread %d: %s", tid,
				  strerror(errno));
	t->regs = *regs;
	t->regs_valid = true;
	return 0;
}

ssize_t attach_read_mem(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = {buf, len};
	struct iovec remote = {(void *)(uintptr_t)addr, len};
	ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return n;
	/* Short or refused (ENOSYS, EPERM on some pages): /proc/PID/mem reads them. */
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return n > 0 ? n : -errno;
	ssize_t m = pread(fd, buf, len, (off_t)addr);
	int e = errno;
	close(fd);
	if (m < 0)
		return n > 0 ? n : -e;
	return m > n ? m : n;
}
