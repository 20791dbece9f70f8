/*
 * attach.c: seize, stop, classify, detach. Owns the ptrace life cycle of a
 * short hold on a live process (attach.h) and nothing else: no unwinding,
 * no symbols. Each thread is seized and interrupted separately because
 * ptrace works per thread; /proc/PID/task is re-read until a scan finds no
 * new thread, which is complete because a stopped thread cannot clone.
 */
#include <dirent.h>
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

/* One-letter state from /proc/PID/task/TID/stat, '?' if unreadable. */
static char attach_read_state(pid_t pid, pid_t tid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	ssize_t n = wt_read_at(AT_FDCWD, path, buf, sizeof(buf));
	if (n <= 0)
		return '?';
	/* comm may contain ')' and spaces: the state follows the last ')'. */
	char *p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || !p[2])
		return '?';
	return p[2];
}

static char attach_proc_state(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	ssize_t n = wt_read_at(AT_FDCWD, path, buf, sizeof(buf));
	if (n <= 0)
		return '?';
	char *p = strrchr(buf, ')');
	return (p && p[1] == ' ' && p[2]) ? p[2] : '?';
}

/* TracerPid from /proc/PID/status, 0 if none or unreadable. */
static long attach_tracer_pid(pid_t tid)
{
	char path[64], buf[2048];
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	if (wt_read_at(AT_FDCWD, path, buf, sizeof(buf)) <= 0)
		return 0;
	char *p = strstr(buf, "TracerPid:");
	return p ? strtol(p + 10, NULL, 10) : 0;
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

/* The value of a "Key:" line of /proc/PID/status text, or NULL. */
static const char *attach_status_field(const char *buf, const char *key)
{
	size_t klen = strlen(key);
	for (const char *p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, key, klen) == 0 && p[klen] == ':')
			return p + klen + 1;
	return NULL;
}

static long attach_status_long(const char *buf, const char *key, long dflt)
{
	const char *v = attach_status_field(buf, key);
	return v ? strtol(v, NULL, 10) : dflt;
}

static unsigned long long attach_status_hex(const char *buf, const char *key)
{
	const char *v = attach_status_field(buf, key);
	return v ? strtoull(v, NULL, 16) : 0;
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

/* The kernel's PF_KTHREAD, field 9 (flags) of /proc/PID/stat. */
#define ATTACH_PF_KTHREAD 0x00200000ul

static bool attach_is_kthread(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (wt_read_at(AT_FDCWD, path, buf, sizeof(buf)) <= 0)
		return false;
	char *p = strrchr(buf, ')');
	/* after ") ": state ppid pgrp session tty_nr tpgid flags */
	for (int field = 0; p && field < 7; field++)
		p = strchr(p + 1, ' ');
	return p && (strtoul(p + 1, NULL, 10) & ATTACH_PF_KTHREAD);
}

int attach_check(pid_t pid, struct wt_err *err)
{
	char path[64], buf[2048], name[64];
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (wt_read_at(AT_FDCWD, path, buf, sizeof(buf)) <= 0)
		return 0; /* gone or hidden: the caller's own reads say which */
	if (attach_status_long(buf, "Tgid", 0) == getpid())
		return wt_err_set(err, EINVAL,
				  "process %d is whytop itself: whytop cannot trace itself", pid);
	if (attach_is_kthread(pid))
		return wt_err_set(err, EINVAL,
				  "process %d is a kernel thread: it has no user stack; "
				  "'whytop kstack %d' shows its kernel stack",
				  pid, pid);
	const char *state = attach_status_field(buf, "State");
	while (state && (*state == ' ' || *state == '\t'))
		state++;
	/* A leader that exited while other threads run on shows Z too: not a zombie. */
	if (state && (*state == 'Z' || *state == 'X') &&
	    attach_status_long(buf, "Threads", 1) <= 1) {
		long ppid = attach_status_long(buf, "PPid", 0);
		if (*state == 'X')
			return wt_err_set(err, ESRCH, "process %d is gone (it exited)", pid);
		return wt_err_set(err, ESRCH,
				  "process %d is a zombie (it has exited; its parent %ld (%s) "
				  "has not reaped it): there is nothing left to trace",
				  pid, ppid, attach_comm((pid_t)ppid, name, sizeof(name)));
	}
	long tracer = attach_status_long(buf, "TracerPid", 0);
	if (tracer > 0 && !attach_tid_is_ours(tracer))
		return wt_err_set(err, EPERM,
				  "process %d is already traced by %ld (%s); detach it first", pid,
				  tracer, attach_comm((pid_t)tracer, name, sizeof(name)));
	return 0;
}

int attach_refusal(pid_t pid, pid_t tid, int e, struct wt_err *err)
{
	int r = attach_check(pid, err);
	if (r < 0)
		return r;
	char name[64];
	long tracer = tid ? attach_tracer_pid(tid) : 0;
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
	char buf[2048];
	unsigned long long caps = 0;
	if (wt_read_at(AT_FDCWD, "/proc/self/status", buf, sizeof(buf)) > 0)
		caps = attach_status_hex(buf, "CapEff");
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
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task", as->pid);
	DIR *d = opendir(path);
	if (!d)
		return -errno;
	size_t from = as->nthreads;
	struct dirent *de;
	while ((de = readdir(d))) {
		long tid;
		if (wt_parse_long(de->d_name, 1, 0x7fffffff, &tid) < 0)
			continue;
		if (only_tid && tid != only_tid)
			continue;
		if (attach_find(as, (pid_t)tid))
			continue;
		struct attach_thread *t = attach_add(as, (pid_t)tid);
		if (!t) {
			closedir(d);
			return -ENOMEM;
		}
		t->state = attach_read_state(as->pid, (pid_t)tid);
	}
	closedir(d);
	for (size_t i = from; i < as->nthreads; i++) {
		struct attach_thread *t = &as->threads[i];
		struct target_task *k;
		if (t->state == 'Z' || t->state == 'X') {
			t->gone = true; /* an exited thread (a zombie leader) cannot be seized */
			continue;
		}
		int r = target_seize(tg, t->tid, &k);
		if (r < 0) {
			char now = r == -EPERM ? attach_read_state(as->pid, t->tid) : 0;
			/* An exiting thread refuses ptrace with EPERM: it is going, not forbidden. */
			if (r == -ESRCH || now == 'Z' || now == 'X' || now == '?') {
				t->gone = true;
			} else if (!*first_errno) {
				*first_errno = -r;
				*err_tid = t->tid;
			}
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
		if (!t->seized)
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
	tg->hold = as;
	as->start_ns = wt_now_ns();
	char pstate = attach_proc_state(pid);
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
			if (attach_read_state(pid, t->tid) == 'D')
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
		char pnow = attach_proc_state(pid);
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
