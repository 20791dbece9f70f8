/*
 * ptrace.c: the ptrace backend of the syscall log (trace_backend_ptrace),
 * a mode of each traced process's target (target.h), as the syscall
 * counter is: the target's thread seizes every thread (attach_all, with
 * the mode's options), lets each go into PTRACE_SYSCALL, and hands this
 * file every stop, on that thread:
 *
 *  - syscall stops: PTRACE_GET_SYSCALL_INFO (entry: arch, number,
 *    arguments; exit: the result), the memory decode.h's capture specs name
 *    read with process_vm_readv (strings page by page), one record at the
 *    entry and one at the exit. A call not in the session's set makes no
 *    record; an exit whose entry came before we did is not logged;
 *  - signal-delivery stops: a TRACE_SIGNAL (PTRACE_GETSIGINFO), and the
 *    signal is delivered when the task resumes;
 *  - group-stops: PTRACE_LISTEN, so a stopped process stays stopped (and
 *    SIGCONT still wakes it);
 *  - exits: TRACE_EXIT with the wait status; a task's first stop: TRACE_ATTACH.
 *
 * Without -f only the thread whose id was given is seized (strace -p); with
 * -f every thread, and TRACECLONE/FORK/VFORK bring new threads and
 * processes into the same target (follow_forks).
 *
 * Records go into one queue for the whole session (a mutex, an eventfd
 * that trace_fd hands out); the target threads fill it and never block on
 * the reader. An exit record repeats the entry's numbers and captures, so
 * a writer can print a call as one line when nothing came in between.
 *
 * -k (trace_session.stacks): at the entry stop of a logged call the task's
 * registers and the top of its stack (TRACE_STACK_WINDOW bytes from just
 * below sp, cut at the first unmapped page) are copied, one PTRACE_GETREGS
 * and one process_vm_readv, and the task goes on. Nothing is unwound on
 * this thread: pt_drain, on the reader's thread, unwinds and names the copy
 * with one debug_proc per process (the Stack tab's unwinder and caches,
 * stack_unwind_copy) before handing the record over with its frames.
 * Unwinding reads the code and unwind tables from the live process, so
 * the image must still be there: the last task of a process stopped at its
 * exit (PTRACE_O_TRACEEXIT) and a task at the entry of an execve wait
 * there (at most TRACE_STACK_WAIT_NS) until the reader has unwound every
 * copy taken so far. Only those two stops wait; no syscall stop does.
 *
 * Closing ends the mode: the target interrupts every task and detaches it
 * at that stop, handing a pending signal back; a group-stopped task stays
 * stopped. A launched program still running runs on, untraced.
 */
#include <errno.h>
#include <fnmatch.h>
#include <linux/audit.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <time.h>
#include <unistd.h>

#include <whytop/attach.h>
#include <whytop/proc.h>
#include <whytop/stack.h>
#include <whytop/target.h>

#include "core/target/target_int.h"
#include "core/trace/trace_int.h"

/* One traced task, as this file sees it (its target's thread only). */
struct pt_task {
	pid_t tid, tgid;
	bool in_call;	/* between a logged entry and its exit */
	bool skip;	/* in a call outside the set: its exit makes no record */
	bool pre_exec;	/* the launched program before its execve: nothing is logged */
	struct scev ev; /* the entry (its captures point into caps) */
	struct sccap spec[SCEV_MAX_CAPS]; /* what the call needs captured */
	unsigned char *caps;		  /* SCEV_MAX_CAPS * SCEV_CAP_MAX, made on first use */
	/* fault injection, the call in progress: */
	bool inj_skipped; /* its number was made -1 at entry: its exit stop sets inj_ret */
	int64_t inj_ret;
	unsigned inj_flags;   /* TRACE_INJ_* for its records */
	uint64_t inj_exit_us; /* delay_exit of its rule */
	uint64_t hold_until;  /* a delay: this stop is not resumed before (wt_now_ns), 0 none */
	bool want_exit;	      /* seccomp mode: between a seccomp stop and its exit stop */
};

/* A task held in a syscall stop by a delay, until due (wt_now_ns). */
struct pt_delay {
	pid_t tid;
	uint64_t due;
	int req; /* how it goes on then: PTRACE_SYSCALL or PTRACE_CONT */
};

/* -k: the copy taken at a logged entry, unwound by pt_drain. */
#define TRACE_STACK_WINDOW (64 * 1024)
struct pt_snap {
	struct user_regs_struct regs;
	uint64_t win_lo;
	uint8_t *win;
	size_t win_len;
	bool truncated; /* the window ended before the stack's mapping did */
};

/* -k: a process's debug_proc, opened and used on the reader's thread only. */
struct pt_dbg {
	pid_t pid;
	struct debug_proc *dp; /* NULL: could not open (err says why) */
	uint64_t refreshed;    /* the drain that last refreshed its maps */
	char err[160];
};

struct pt_item {
	struct pt_item *next;
	struct pt_snap *snap; /* -k: a logged entry's copy, or NULL */
	struct trace_rec r;
	unsigned char data[]; /* the captures' bytes */
};

struct pt_log;

/* One process given (or the launched program): its target and mode. */
struct pt_proc {
	struct pt_log *log;
	pid_t pid;
	struct target *target;
	struct target_mode mode;
	struct pt_task *tasks; /* the target's thread only */
	size_t ntasks, cap;
	int rc;
	struct wt_err err;
	/*
	 * Delays: the target's thread adds a held task; a helper thread
	 * sleeps until the first is due and runs a job (target_call) that
	 * resumes the due ones, so no stop of another task waits for it.
	 */
	pthread_mutex_t dlock;
	pthread_cond_t dcond; /* CLOCK_MONOTONIC */
	struct pt_delay *delays;
	size_t ndelays, dcap;
	pthread_t dthread;
	bool dthread_on, dquit;
};

struct pt_log {
	struct trace_session *s;
	struct pt_proc *procs;
	size_t nprocs;
	pthread_mutex_t lock; /* the queue */
	struct pt_item *head, **tail;
	int efd;
	atomic_int live; /* tasks seen and not yet gone */
	/* -k: copies queued and unwound so far (under lock), to wait for at exit/exec */
	uint64_t snaps_queued, snaps_done;
	pthread_cond_t unwound;
	bool closing; /* under lock: no one waits for the reader any more */
	/* -k, the reader's thread only: */
	struct pt_dbg *dbg;
	size_t ndbg;
	uint64_t drains;
	/* fault injection: calls seen per rule; off once close began */
	uint64_t inj_count[TRACE_INJ_MAX];
	atomic_bool inj_off;
};

static uint64_t pt_realtime_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- the queue ---- */

static void pt_snap_free(struct pt_snap *sn)
{
	if (sn) {
		free(sn->win);
		free(sn);
	}
}

static void pt_queue_snap(struct pt_log *lg, const struct trace_rec *r, struct pt_snap *snap)
{
	size_t total = 0;
	if (r->kind == TRACE_SYSCALL)
		for (unsigned i = 0; i < r->sc.ncap; i++)
			if (r->sc.cap[i].state == SCEV_CAP_OK)
				total += r->sc.cap[i].len;
	struct pt_item *it = malloc(sizeof(*it) + total);
	if (!it) {
		pt_snap_free(snap);
		return; /* out of memory: the record is lost, as the kernel's would be */
	}
	it->next = NULL;
	it->snap = snap;
	it->r = *r;
	size_t off = 0;
	if (r->kind == TRACE_SYSCALL) {
		for (unsigned i = 0; i < r->sc.ncap; i++) {
			struct scev_cap *c = &it->r.sc.cap[i];
			if (c->state != SCEV_CAP_OK) {
				c->data = NULL;
				continue;
			}
			memcpy(it->data + off, c->data, c->len);
			c->data = it->data + off;
			off += c->len;
		}
	}
	pthread_mutex_lock(&lg->lock);
	*lg->tail = it;
	lg->tail = &it->next;
	if (snap)
		lg->snaps_queued++;
	pthread_mutex_unlock(&lg->lock);
	uint64_t one = 1;
	ssize_t w = write(lg->efd, &one, sizeof(one));
	(void)w;
}

static void pt_queue(struct pt_log *lg, const struct trace_rec *r)
{
	pt_queue_snap(lg, r, NULL);
}

static void pt_queue_simple(struct pt_log *lg, enum trace_kind kind, const struct pt_task *k)
{
	struct trace_rec r;
	memset(&r, 0, sizeof(r));
	r.kind = kind;
	r.pid = k->tgid;
	r.tid = k->tid;
	r.t_ns = pt_realtime_ns();
	pt_queue(lg, &r);
}

/* ---- tasks ---- */

static struct pt_task *pt_task_find(struct pt_proc *pp, pid_t tid)
{
	for (size_t i = 0; i < pp->ntasks; i++)
		if (pp->tasks[i].tid == tid)
			return &pp->tasks[i];
	return NULL;
}

/* The task of tid; a new one joins the log (TRACE_ATTACH). NULL: out of memory. */
static struct pt_task *pt_task_get(struct pt_proc *pp, pid_t tid)
{
	struct pt_task *k = pt_task_find(pp, tid);
	if (k)
		return k;
	if (pp->ntasks == pp->cap) {
		size_t cap = pp->cap ? pp->cap * 2 : 8;
		void *p = realloc(pp->tasks, cap * sizeof(*pp->tasks));
		if (!p)
			return NULL;
		pp->tasks = p;
		pp->cap = cap;
	}
	k = &pp->tasks[pp->ntasks++];
	memset(k, 0, sizeof(*k));
	k->tid = tid;
	if (proc_tgid_of(tid, &k->tgid) < 0)
		k->tgid = tid;
	struct trace_session *s = pp->log->s;
	k->pre_exec = s->child && tid == s->child;
	atomic_fetch_add(&pp->log->live, 1);
	pt_queue_simple(pp->log, TRACE_ATTACH, k);
	return k;
}

static void pt_task_remove(struct pt_proc *pp, pid_t tid)
{
	struct pt_task *k = pt_task_find(pp, tid);
	if (!k)
		return;
	free(k->caps);
	*k = pp->tasks[--pp->ntasks];
	if (atomic_fetch_sub(&pp->log->live, 1) == 1) {
		/* The last one: wake the reader, whose trace_alive now says 0. */
		uint64_t one = 1;
		ssize_t w = write(pp->log->efd, &one, sizeof(one));
		(void)w;
	}
}

/* ---- reading the task's memory ---- */

static ssize_t pt_readv(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = {buf, len};
	struct iovec remote = {(void *)(uintptr_t)addr, len};
	return process_vm_readv(pid, &local, 1, &remote, 1, 0);
}

/* A NUL-terminated string of at most max bytes, page by page (it may end at an unmapped page). */
static void pt_read_string(pid_t pid, uint64_t addr, unsigned char *buf, uint32_t max,
			   struct scev_cap *c)
{
	long page = sysconf(_SC_PAGESIZE);
	uint32_t got = 0;
	while (got < max) {
		uint64_t a = addr + got;
		size_t chunk = (size_t)page - (size_t)(a % (uint64_t)page);
		if (chunk > max - got)
			chunk = max - got;
		ssize_t n = pt_readv(pid, a, buf + got, chunk);
		if (n <= 0)
			break;
		unsigned char *nul = memchr(buf + got, '\0', (size_t)n);
		if (nul) {
			c->state = SCEV_CAP_OK;
			c->len = (uint32_t)(nul - buf);
			c->cut = false;
			return;
		}
		got += (uint32_t)n;
	}
	if (got == 0 && max > 0) {
		c->state = SCEV_CAP_FAULT;
		return;
	}
	c->state = SCEV_CAP_OK;
	c->len = got;
	c->cut = true; /* no NUL within the bound (or the rest unreadable) */
}

/* Pointer j of the array at addr (4-byte words on i386); false if unreadable. */
static bool pt_read_ptr(pid_t tid, const struct scev *ev, uint64_t addr, uint32_t j, uint64_t *v)
{
	if (ev->arch == AUDIT_ARCH_I386) {
		uint32_t w;
		if (pt_readv(tid, addr + 4 * (uint64_t)j, &w, 4) != 4)
			return false;
		*v = w;
		return true;
	}
	return pt_readv(tid, addr + 8 * (uint64_t)j, v, 8) == 8;
}

/* execve's argv (SCCAP_ARGV: the strings, each with a NUL) or envp's length (SCCAP_ARGC). */
static void pt_read_argv(pid_t tid, const struct scev *ev, const struct sccap *sp, uint64_t addr,
			 unsigned char *buf, uint32_t max, struct scev_cap *c)
{
	uint64_t p;
	if (sp->how == SCCAP_ARGC) {
		uint32_t n = 0;
		while (n < SCCAP_ARGC_MAX && pt_read_ptr(tid, ev, addr, n, &p) && p)
			n++;
		if (n == 0 && !pt_read_ptr(tid, ev, addr, 0, &p)) {
			c->state = SCEV_CAP_FAULT;
			return;
		}
		c->cut = n == SCCAP_ARGC_MAX;
		if (max >= 4) {
			memcpy(buf, &n, 4);
			c->len = 4;
		}
		c->state = SCEV_CAP_OK;
		return;
	}
	uint32_t len = 0, j = 0;
	for (;; j++) {
		if (!pt_read_ptr(tid, ev, addr, j, &p)) {
			if (j == 0) {
				c->state = SCEV_CAP_FAULT;
				return;
			}
			c->cut = true;
			break;
		}
		if (!p)
			break;
		if (j >= sp->count || len + 2 > max) {
			c->cut = true;
			break;
		}
		uint32_t each = sp->each ? sp->each : 1;
		if (each > max - len - 1)
			each = max - len - 1;
		struct scev_cap s = {0};
		pt_read_string(tid, p, buf + len, each, &s);
		if (s.state != SCEV_CAP_OK) { /* an unreadable string: the array stops there */
			c->cut = true;
			break;
		}
		len += s.len;
		buf[len++] = '\0';
	}
	c->state = SCEV_CAP_OK;
	c->len = len;
}

/* struct iovec[n]: per element its base, length, bytes copied and the bytes (SCCAP_IOV). */
static void pt_read_iov(pid_t tid, const struct scev *ev, const struct sccap *sp, uint64_t addr,
			unsigned char *buf, uint32_t max, struct scev_cap *c)
{
	uint64_t n = sp->size_arg < 6 ? (uint32_t)ev->arg[sp->size_arg] : 0;
	uint32_t len = 0;
	for (uint64_t j = 0; j < n; j++) {
		uint64_t base, ilen;
		if (j >= sp->count || len + SCCAP_IOV_HEAD > max) {
			c->cut = true;
			break;
		}
		if (!pt_read_ptr(tid, ev, addr, (uint32_t)(2 * j), &base) ||
		    !pt_read_ptr(tid, ev, addr, (uint32_t)(2 * j + 1), &ilen)) {
			if (j == 0) {
				c->state = SCEV_CAP_FAULT;
				return;
			}
			c->cut = true;
			break;
		}
		uint32_t got = sp->each;
		if (got > ilen)
			got = (uint32_t)ilen;
		if (got > max - len - SCCAP_IOV_HEAD)
			got = max - len - SCCAP_IOV_HEAD;
		ssize_t r = got ? pt_readv(tid, base, buf + len + SCCAP_IOV_HEAD, got) : 0;
		got = r > 0 ? (uint32_t)r : 0;
		memcpy(buf + len, &base, 8);
		memcpy(buf + len + 8, &ilen, 8);
		memcpy(buf + len + 16, &got, 4);
		len += SCCAP_IOV_HEAD + got;
	}
	c->state = SCEV_CAP_OK;
	c->len = len;
}

/* getdents's records in the result's bytes: their count (SCCAP_DENTS), a page at a time. */
static void pt_read_dents(pid_t tid, const struct scev *ev, const struct sccap *sp, uint64_t addr,
			  unsigned char *buf, struct scev_cap *c)
{
	if (!(ev->part & SCEV_EXIT) || ev->ret < 0)
		return;
	uint64_t size = (uint64_t)ev->ret, pos = 0;
	uint32_t n = 0;
	while (pos + sp->size_arg + 2 <= size && n < SCCAP_DENTS_MAX) {
		uint16_t reclen;
		if (pt_readv(tid, addr + pos + sp->size_arg, &reclen, 2) != 2) {
			if (n == 0) {
				c->state = SCEV_CAP_FAULT;
				return;
			}
			break;
		}
		if (reclen == 0)
			break;
		n++;
		pos += reclen;
	}
	c->cut = n == SCCAP_DENTS_MAX && pos < size;
	memcpy(buf, &n, 4);
	c->state = SCEV_CAP_OK;
	c->len = 4;
}

/*
 * struct msghdr (SCCAP_MSGHDR): its fields as seven uint64_t, its name and
 * control (a uint32_t length and the bytes), then its iovecs as SCCAP_IOV's.
 */
static void pt_read_msghdr(pid_t tid, const struct scev *ev, const struct sccap *sp, uint64_t addr,
			   unsigned char *buf, uint32_t max, struct scev_cap *c)
{
	uint64_t h[7];
	for (uint32_t j = 0; j < 7; j++) {
		if (!pt_read_ptr(tid, ev, addr, j, &h[j])) {
			c->state = SCEV_CAP_FAULT;
			return;
		}
	}
	h[1] = (uint32_t)h[1]; /* msg_namelen and msg_flags are ints */
	h[6] = (uint32_t)h[6];
	if (max < SCCAP_MSGHDR_HEAD + 8)
		return;
	memcpy(buf, h, SCCAP_MSGHDR_HEAD);
	uint32_t len = SCCAP_MSGHDR_HEAD;
	const uint64_t part[2][2] = {{h[0], h[1] < SCCAP_MSGHDR_NAME ? h[1] : SCCAP_MSGHDR_NAME},
				     {h[4], h[5] < SCCAP_MSGHDR_CTL ? h[5] : SCCAP_MSGHDR_CTL}};
	for (int j = 0; j < 2; j++) {
		uint32_t got = part[j][0] && len + 4 + part[j][1] <= max ? (uint32_t)part[j][1] : 0;
		ssize_t r = got ? pt_readv(tid, part[j][0], buf + len + 4, got) : 0;
		got = r > 0 ? (uint32_t)r : 0;
		memcpy(buf + len, &got, 4);
		len += 4 + got;
	}
	c->state = SCEV_CAP_OK;
	c->len = len;
	if (!h[2])
		return;
	/* the iovecs: msg_iovlen of them at msg_iov, as readv's */
	struct scev iev = *ev;
	struct sccap isp = *sp;
	struct scev_cap ic = {0};
	iev.arg[0] = h[3];
	isp.size_arg = 0;
	pt_read_iov(tid, &iev, &isp, h[2], buf + len, max - len, &ic);
	if (ic.state == SCEV_CAP_OK)
		c->len = len + ic.len;
	c->cut = ic.cut;
}

/*
 * struct mmsghdr[n] (SCCAP_MMSGHDR): per element the bytes of its msghdr as
 * SCCAP_MSGHDR stores them and its msg_len (two uint32_t), then those bytes.
 */
static void pt_read_mmsghdr(pid_t tid, const struct scev *ev, const struct sccap *sp, uint64_t addr,
			    unsigned char *buf, uint32_t max, struct scev_cap *c)
{
	uint64_t n = sp->size_arg < 6 ? (uint32_t)ev->arg[sp->size_arg] : 0;
	int i386 = ev->arch == AUDIT_ARCH_I386;
	uint64_t stride = i386 ? 32 : 64, at_len = i386 ? 28 : 56; /* sizeof, offsetof(msg_len) */
	uint32_t len = 0;
	for (uint64_t j = 0; j < n; j++) {
		if (j >= sp->count || len + SCCAP_MMSGHDR_HEAD + SCCAP_MSGHDR_HEAD + 8 > max) {
			c->cut = true;
			break;
		}
		uint32_t ml = 0;
		struct scev_cap e = {.state = SCEV_CAP_FAULT};
		if (pt_readv(tid, addr + j * stride + at_len, &ml, 4) == 4)
			pt_read_msghdr(tid, ev, sp, addr + j * stride,
				       buf + len + SCCAP_MMSGHDR_HEAD,
				       max - len - SCCAP_MMSGHDR_HEAD, &e);
		if (e.state != SCEV_CAP_OK) {
			if (j == 0) {
				c->state = SCEV_CAP_FAULT;
				return;
			}
			c->cut = true;
			break;
		}
		memcpy(buf + len, &e.len, 4);
		memcpy(buf + len + 4, &ml, 4);
		len += SCCAP_MMSGHDR_HEAD + e.len;
	}
	c->state = SCEV_CAP_OK;
	c->len = len;
}

/* -y: the fd's link in /proc (the cwd for AT_FDCWD) while the task is stopped in the call. */
static void pt_read_fd_path(pid_t tid, const struct scev *ev, const struct sccap *sp,
			    unsigned char *buf, struct scev_cap *c)
{
	unsigned i = sp->arg & ~(unsigned)SCCAP_FD;
	int64_t fd;
	if (i & SCCAP_FD_MEM) { /* pipe2's int[2], written by the call */
		int32_t v;
		unsigned a = i & 7;
		if (a > 5 || !(ev->part & SCEV_EXIT) || ev->ret < 0 || !ev->arg[a] ||
		    pt_readv(tid, ev->arg[a] + 4 * (i >> 3 & 1), &v, sizeof(v)) != (ssize_t)sizeof(v))
			return;
		fd = v;
	} else if (i == SCCAP_FD_RESULT) {
		if (!(ev->part & SCEV_EXIT))
			return;
		fd = ev->arch == AUDIT_ARCH_I386 ? (int32_t)ev->ret : ev->ret;
	} else if (i < 6) {
		fd = (int32_t)ev->arg[i];
	} else {
		return;
	}
	if (fd != -100 && (fd < 0 || fd > INT32_MAX))
		return;
	uint32_t max = sp->max < SCEV_CAP_MAX ? sp->max : SCEV_CAP_MAX;
	ssize_t n = trace_fd_link(tid, (int)fd, (char *)buf, max);
	if (n <= 0) {
		c->state = SCEV_CAP_FAULT; /* not open */
		return;
	}
	c->state = SCEV_CAP_OK;
	c->len = (uint32_t)n;
	c->cut = (uint32_t)n == max;
}

void trace_ptrace_capture(pid_t tid, const struct scev *ev, const struct sccap *sp,
			  unsigned char *buf, struct scev_cap *c)
{
	c->arg = sp->arg;
	c->at_exit = sp->at_exit;
	c->state = SCEV_CAP_NONE;
	c->len = 0;
	c->cut = false;
	c->data = buf;
	if (sp->how == SCCAP_FDPATH) {
		pt_read_fd_path(tid, ev, sp, buf, c);
		return;
	}
	uint64_t addr = sp->arg < 6 ? ev->arg[sp->arg] : 0;
	if (sp->how == SCCAP_SP) /* relative to the stack pointer, not an argument */
		addr = ev->sp ? ev->sp + 8 * (uint64_t)sp->size_arg : 0;
	uint32_t max = sp->max < SCEV_CAP_MAX ? sp->max : SCEV_CAP_MAX;
	uint64_t want = max;
	if (!addr)
		return;
	switch (sp->how) {
	case SCCAP_ARGV:
	case SCCAP_ARGC:
		pt_read_argv(tid, ev, sp, addr, buf, max, c);
		return;
	case SCCAP_IOV:
		pt_read_iov(tid, ev, sp, addr, buf, max, c);
		return;
	case SCCAP_DENTS:
		pt_read_dents(tid, ev, sp, addr, buf, c);
		return;
	case SCCAP_MSGHDR:
		pt_read_msghdr(tid, ev, sp, addr, buf, max, c);
		return;
	case SCCAP_MMSGHDR:
		pt_read_mmsghdr(tid, ev, sp, addr, buf, max, c);
		return;
	case SCCAP_STR:
		pt_read_string(tid, addr, buf, max, c);
		return;
	case SCCAP_FIXED:
	case SCCAP_SP:
		break;
	case SCCAP_ARG: /* times count (an element's size), plus each (a header) */
		want = sp->size_arg < 6 ? ev->arg[sp->size_arg] : 0;
		want = want > SCEV_CAP_MAX ? (uint64_t)SCEV_CAP_MAX + 1
					   : want * (sp->count ? sp->count : 1) + sp->each;
		break;
	case SCCAP_RET:
		if (!(ev->part & SCEV_EXIT) || ev->ret <= 0)
			return;
		want = (uint64_t)ev->ret;
		break;
	case SCCAP_ARGP: {
		uint64_t p = sp->size_arg < 6 ? ev->arg[sp->size_arg] : 0;
		int n = 0;
		if (!p || pt_readv(tid, p, &n, sizeof(n)) != (ssize_t)sizeof(n) || n < 0)
			return;
		want = (uint64_t)n;
		break;
	}
	default:
		return;
	}
	uint32_t len = want < max ? (uint32_t)want : max;
	if (len == 0) {
		c->state = SCEV_CAP_OK;
		return;
	}
	ssize_t n = pt_readv(tid, addr, buf, len);
	if (n <= 0) {
		c->state = SCEV_CAP_FAULT;
		return;
	}
	c->state = SCEV_CAP_OK;
	c->len = (uint32_t)n;
	c->cut = want > (uint64_t)n;
}

/* ---- stops ---- */

static bool pt_is_execve(uint32_t arch, long nr)
{
	if (arch == AUDIT_ARCH_X86_64)
		return nr == 59 || nr == 322;
	if (arch == AUDIT_ARCH_I386)
		return nr == 11 || nr == 358;
	return false;
}

/*
 * -k, on the hot path (the task is stopped): its registers and the top of
 * its stack, nothing more. The window is read as page-sized pieces in one
 * process_vm_readv, which stops at the first unmapped page: the end of the
 * stack's mapping, found without reading /proc/PID/maps. NULL if the
 * registers cannot be read.
 */
static struct pt_snap *pt_snap_take(pid_t tid)
{
	struct pt_snap *sn = calloc(1, sizeof(*sn));
	if (!sn)
		return NULL;
	if (ptrace(PTRACE_GETREGS, tid, 0, &sn->regs) < 0) {
		free(sn);
		return NULL;
	}
	uint64_t lo = (sn->regs.rsp - 128) & ~7ull; /* the red zone below sp */
	if (sn->regs.rsp < 128 || !(sn->win = malloc(TRACE_STACK_WINDOW)))
		return sn; /* registers only: the unwinder reads the live stack */
	enum { PIECES = TRACE_STACK_WINDOW / 4096 + 1 };
	struct iovec local[PIECES], remote[PIECES];
	size_t n = 0, off = 0;
	uint64_t a = lo;
	while (off < TRACE_STACK_WINDOW && n < PIECES) {
		size_t chunk = 4096 - (size_t)(a & 4095);
		if (chunk > TRACE_STACK_WINDOW - off)
			chunk = TRACE_STACK_WINDOW - off;
		local[n] = (struct iovec){sn->win + off, chunk};
		remote[n] = (struct iovec){(void *)(uintptr_t)a, chunk};
		n++;
		off += chunk;
		a += chunk;
	}
	ssize_t got = process_vm_readv(tid, local, n, remote, n, 0);
	if (got <= 0) {
		free(sn->win);
		sn->win = NULL;
		return sn;
	}
	sn->win_lo = lo;
	sn->win_len = (size_t)got;
	sn->truncated = got == TRACE_STACK_WINDOW;
	return sn;
}

#define TRACE_STACK_WAIT_NS 5000000000ull

/*
 * -k, on the target's thread, a task at its exit or at an execve: the
 * process's image is about to go; wait until the reader has unwound the
 * copies taken so far, which need it (bounded: a reader that stopped
 * draining costs their names, never a hang).
 */
static void pt_wait_unwound(struct pt_log *lg)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += (time_t)(TRACE_STACK_WAIT_NS / 1000000000ull);
	pthread_mutex_lock(&lg->lock);
	uint64_t want = lg->snaps_queued;
	while (lg->snaps_done < want && !lg->closing)
		if (pthread_cond_timedwait(&lg->unwound, &lg->lock, &until) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&lg->lock);
}

/* The only task of its process left in pp (its exit ends the address space). */
static bool pt_last_of_process(const struct pt_proc *pp, const struct pt_task *k)
{
	for (size_t i = 0; i < pp->ntasks; i++)
		if (&pp->tasks[i] != k && pp->tasks[i].tgid == k->tgid)
			return false;
	return true;
}

/* ---- fault injection ---- */

/* Does one of the call's path arguments (its entry strings, a %file call) match glob? */
static bool pt_path_matches(pid_t tid, const struct __ptrace_syscall_info *in, long nr,
			    const char *glob)
{
	if (!(sysdecode_classes(in->arch, nr) & SC_CLASS_FILE))
		return false;
	struct sccap spec[SCEV_MAX_CAPS];
	int n = sysdecode_captures(in->arch, nr, SCEV_CAP_MAX - 1, spec);
	static __thread unsigned char buf[SCEV_CAP_MAX + 1];
	for (int i = 0; i < n && i < SCEV_MAX_CAPS; i++) {
		if (spec[i].how != SCCAP_STR || spec[i].at_exit || spec[i].arg > 5)
			continue;
		uint64_t a = in->entry.args[spec[i].arg];
		if (in->arch == AUDIT_ARCH_I386)
			a = (uint32_t)a;
		if (!a)
			continue;
		struct scev_cap c = {0};
		pt_read_string(tid, a, buf, SCEV_CAP_MAX, &c);
		if (c.state != SCEV_CAP_OK || c.cut)
			continue;
		buf[c.len] = '\0';
		if (fnmatch(glob, (const char *)buf, 0) == 0)
			return true;
	}
	return false;
}

/*
 * At a call's entry stop: the first rule whose set (and path) it matches
 * and whose when= its count falls on tampers with it. An error or retval
 * skips the call (orig_rax = -1: the kernel runs nothing and goes to the
 * exit stop, where pt_inject_exit writes the result); a delay holds the
 * task in this stop (pt_stop hands it to the delay list).
 */
static void pt_inject_entry(struct pt_proc *pp, struct pt_task *k,
			    const struct __ptrace_syscall_info *in, long nr)
{
	struct pt_log *lg = pp->log;
	struct trace_session *s = lg->s;
	k->inj_skipped = false;
	k->inj_flags = 0;
	k->inj_exit_us = 0;
	if (!s->ninject || atomic_load(&lg->inj_off))
		return;
	for (size_t i = 0; i < s->ninject; i++) {
		const struct trace_inject *ru = &s->inject[i];
		if (!sc_set_has(&ru->set, in->arch, nr))
			continue;
		if (ru->path[0] && !pt_path_matches(k->tid, in, nr, ru->path))
			continue;
		uint64_t n = __atomic_add_fetch(&lg->inj_count[i], 1, __ATOMIC_RELAXED);
		if (!trace_inject_due(ru, n))
			continue;
		if (ru->error || ru->has_retval) {
			struct user_regs_struct regs;
			if (ptrace(PTRACE_GETREGS, k->tid, 0, &regs) == 0) {
				regs.orig_rax = (unsigned long long)-1;
				/* at a seccomp stop a skipped call returns what rax holds */
				regs.rax = (unsigned long long)(ru->error ? -(int64_t)ru->error
									  : ru->retval);
				if (ptrace(PTRACE_SETREGS, k->tid, 0, &regs) == 0) {
					k->inj_skipped = true;
					k->inj_ret = ru->error ? -(int64_t)ru->error : ru->retval;
					k->inj_flags |= TRACE_INJ_TAMPERED;
				}
			}
		}
		if (ru->delay_enter_us) {
			k->hold_until = wt_now_ns() + ru->delay_enter_us * 1000ull;
			k->inj_flags |= TRACE_INJ_DELAYED;
		}
		if (ru->delay_exit_us) {
			k->inj_exit_us = ru->delay_exit_us;
			k->inj_flags |= TRACE_INJ_DELAYED;
		}
		break;
	}
}

/* At the exit stop of a call pt_inject_entry tampered with: its result, its delay. */
static void pt_inject_exit(struct pt_task *k)
{
	if (k->inj_skipped) {
		k->inj_skipped = false;
		struct user_regs_struct regs;
		if (ptrace(PTRACE_GETREGS, k->tid, 0, &regs) == 0) {
			regs.rax = (unsigned long long)k->inj_ret;
			ptrace(PTRACE_SETREGS, k->tid, 0, &regs);
		}
	}
	if (k->inj_exit_us)
		k->hold_until = wt_now_ns() + k->inj_exit_us * 1000ull;
	k->inj_exit_us = 0;
}

static void *pt_delay_main(void *arg);

/* Hold tid until due, then resume it with req: 0, or -1 when it must go on now. */
static int pt_delay_add(struct pt_proc *pp, pid_t tid, uint64_t due, int req)
{
	if (atomic_load(&pp->log->inj_off))
		return -1;
	int r = -1;
	pthread_mutex_lock(&pp->dlock);
	if (pp->ndelays == pp->dcap) {
		size_t cap = pp->dcap ? pp->dcap * 2 : 8;
		void *p = realloc(pp->delays, cap * sizeof(*pp->delays));
		if (!p)
			goto out;
		pp->delays = p;
		pp->dcap = cap;
	}
	if (!pp->dthread_on) {
		if (pthread_create(&pp->dthread, NULL, pt_delay_main, pp) != 0)
			goto out;
		pp->dthread_on = true;
	}
	pp->delays[pp->ndelays++] = (struct pt_delay){tid, due, req};
	pthread_cond_signal(&pp->dcond);
	r = 0;
out:
	pthread_mutex_unlock(&pp->dlock);
	return r;
}

/* On the target's thread: resume the held tasks that are due (all: every one). */
static void pt_delay_release(struct pt_proc *pp, bool all)
{
	uint64_t now = wt_now_ns();
	pid_t go[64];
	int req[64];
	size_t ngo;
	do {
		ngo = 0;
		pthread_mutex_lock(&pp->dlock);
		for (size_t i = 0; i < pp->ndelays && ngo < 64;) {
			if (all || pp->delays[i].due <= now) {
				req[ngo] = pp->delays[i].req;
				go[ngo++] = pp->delays[i].tid;
				pp->delays[i] = pp->delays[--pp->ndelays];
			} else {
				i++;
			}
		}
		pthread_mutex_unlock(&pp->dlock);
		for (size_t i = 0; i < ngo; i++)
			if (pt_task_find(pp, go[i])) /* else gone meanwhile */
				ptrace((enum __ptrace_request)req[i], go[i], 0, 0);
	} while (ngo == 64);
}

static void pt_delay_job(void *arg)
{
	pt_delay_release(arg, false);
}

/* The helper: sleeps until the first delay is due, then has the target resume it. */
static void *pt_delay_main(void *arg)
{
	struct pt_proc *pp = arg;
	pthread_mutex_lock(&pp->dlock);
	while (!pp->dquit) {
		if (!pp->ndelays) {
			pthread_cond_wait(&pp->dcond, &pp->dlock);
			continue;
		}
		uint64_t first = UINT64_MAX;
		for (size_t i = 0; i < pp->ndelays; i++)
			if (pp->delays[i].due < first)
				first = pp->delays[i].due;
		if (first <= wt_now_ns()) {
			pthread_mutex_unlock(&pp->dlock);
			int r = target_call(pp->target, pt_delay_job, pp);
			pthread_mutex_lock(&pp->dlock);
			if (r < 0)
				break; /* the target is going: its end lets every task go */
			continue;
		}
		struct timespec ts = {(time_t)(first / 1000000000ull),
				      (long)(first % 1000000000ull)};
		pthread_cond_timedwait(&pp->dcond, &pp->dlock, &ts);
	}
	pthread_mutex_unlock(&pp->dlock);
	return NULL;
}

/* Close: no new injection; the helper ends (its job, if queued, still runs). */
static void pt_delay_stop(struct pt_proc *pp)
{
	pthread_mutex_lock(&pp->dlock);
	pp->dquit = true;
	pthread_cond_signal(&pp->dcond);
	bool on = pp->dthread_on;
	pp->dthread_on = false;
	pthread_mutex_unlock(&pp->dlock);
	if (on)
		pthread_join(pp->dthread, NULL);
}

static bool pt_any_skipped(const struct pt_proc *pp)
{
	for (size_t i = 0; i < pp->ntasks; i++)
		if (pp->tasks[i].inj_skipped)
			return true;
	return false;
}

static void pt_entry(struct pt_proc *pp, struct pt_task *k, const struct __ptrace_syscall_info *in)
{
	struct trace_session *s = pp->log->s;
	long nr = (long)in->entry.nr;
	if (in->arch == AUDIT_ARCH_X86_64 && nr >= 0)
		nr &= ~0x40000000L; /* x32's bit */
	k->in_call = false;
	k->skip = true;
	if (k->pre_exec) {
		/* whytop's own steps between fork and exec are not the program's */
		if (!pt_is_execve(in->arch, nr))
			return;
		k->pre_exec = false;
	} else if (s->stacks && pt_is_execve(in->arch, nr)) {
		pt_wait_unwound(pp->log); /* the copies so far need the image exec replaces */
	}
	pt_inject_entry(pp, k, in, nr);
	if (!sc_set_has(&s->set, in->arch, nr))
		return;
	k->skip = false;
	k->in_call = true;
	struct scev *ev = &k->ev;
	memset(ev, 0, sizeof(*ev));
	ev->pid = k->tgid;
	ev->tid = k->tid;
	ev->arch = in->arch;
	ev->nr = nr;
	for (int i = 0; i < 6; i++)
		ev->arg[i] = in->entry.args[i];
	ev->sp = in->stack_pointer;
	ev->part = SCEV_ENTRY;
	ev->t_entry_ns = pt_realtime_ns();
	int n = sysdecode_captures(in->arch, nr, s->strsize, k->spec);
	if (n < 0 || n > SCEV_MAX_CAPS)
		n = 0;
	if (s->fd_paths) /* -y: read now, while the task is stopped in the call */
		n = sysdecode_fd_captures(in->arch, nr, n, k->spec);
	if (n && !k->caps && !(k->caps = malloc(SCEV_MAX_CAPS * SCEV_CAP_MAX)))
		n = 0;
	ev->ncap = (unsigned)n;
	for (int i = 0; i < n; i++) {
		struct scev_cap *c = &ev->cap[i];
		if (k->spec[i].at_exit) {
			c->arg = k->spec[i].arg;
			c->at_exit = 1;
			c->state = SCEV_CAP_NONE;
			continue;
		}
		trace_ptrace_capture(k->tid, ev, &k->spec[i], k->caps + (size_t)i * SCEV_CAP_MAX,
				     c);
	}
	struct trace_rec r;
	memset(&r, 0, sizeof(r));
	r.kind = TRACE_SYSCALL;
	r.pid = k->tgid;
	r.tid = k->tid;
	r.t_ns = ev->t_entry_ns;
	r.sc = *ev;
	r.injected = k->inj_flags;
	pt_queue_snap(pp->log, &r, s->stacks ? pt_snap_take(k->tid) : NULL);
}

static void pt_exit(struct pt_proc *pp, struct pt_task *k, const struct __ptrace_syscall_info *in)
{
	bool logged = k->in_call;
	bool skipped = k->inj_skipped;
	k->in_call = false;
	k->skip = false;
	pt_inject_exit(k);
	if (!logged)
		return; /* outside the set, or begun before we came */
	struct scev *ev = &k->ev;
	ev->ret = skipped ? k->inj_ret : in->exit.rval;
	ev->part = SCEV_EXIT;
	ev->t_exit_ns = pt_realtime_ns();
	for (unsigned i = 0; i < ev->ncap; i++)
		if (k->spec[i].at_exit)
			trace_ptrace_capture(k->tid, ev, &k->spec[i],
					     k->caps + (size_t)i * SCEV_CAP_MAX, &ev->cap[i]);
	struct trace_rec r;
	memset(&r, 0, sizeof(r));
	r.kind = TRACE_SYSCALL;
	r.pid = k->tgid;
	r.tid = k->tid;
	r.t_ns = ev->t_entry_ns;
	r.sc = *ev;
	r.injected = k->inj_flags;
	pt_queue(pp->log, &r);
}

/* Take note of one stop of tid (no resume). */
static void pt_account(struct pt_proc *pp, pid_t tid, int status)
{
	struct target_stop ts = target_classify(status);
	if (ts.event == TE_EXITED || ts.event == TE_KILLED || ts.event == TE_NONE ||
	    ts.event == TE_CONTINUED)
		return;
	struct pt_task *k = pt_task_get(pp, tid);
	if (!k)
		return;
	unsigned long msg = 0;
	switch (ts.event) {
	case TE_SYSCALL_STOP: {
		struct __ptrace_syscall_info in;
		memset(&in, 0, sizeof(in));
		if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(in), &in) <= 0)
			break;
		if (in.op == PTRACE_SYSCALL_INFO_ENTRY)
			pt_entry(pp, k, &in);
		else if (in.op == PTRACE_SYSCALL_INFO_EXIT)
			pt_exit(pp, k, &in);
		k->want_exit = false;
		break;
	}
	case TE_SECCOMP: {
		/* launch with a filter: the entry of a watched call (same layout as an entry's) */
		struct __ptrace_syscall_info in;
		memset(&in, 0, sizeof(in));
		if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(in), &in) > 0 &&
		    in.op == PTRACE_SYSCALL_INFO_SECCOMP) {
			pt_entry(pp, k, &in);
			k->want_exit = true;
		}
		break;
	}
	case TE_SIGNAL_DELIVERY: {
		if (k->pre_exec)
			break;
		struct trace_rec r;
		memset(&r, 0, sizeof(r));
		r.kind = TRACE_SIGNAL;
		r.pid = k->tgid;
		r.tid = tid;
		r.t_ns = pt_realtime_ns();
		if (ptrace(PTRACE_GETSIGINFO, tid, 0, &r.si) < 0)
			r.si.si_signo = ts.sig;
		pt_queue(pp->log, &r);
		break;
	}
	case TE_EXIT_EVENT:
		if (pp->log->s->stacks && pt_last_of_process(pp, k))
			pt_wait_unwound(pp->log); /* its memory and maps go with it */
		break;
	case TE_EXEC:
		/* A thread that execs takes over the leader's tid: its execve goes on there. */
		if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) == 0 && (pid_t)msg != tid) {
			struct pt_task *old = pt_task_find(pp, (pid_t)msg);
			if (old) {
				k->in_call = old->in_call;
				k->skip = old->skip;
				k->ev = old->ev;
				memcpy(k->spec, old->spec, sizeof(k->spec));
				unsigned char *caps = k->caps;
				k->caps = old->caps;
				old->caps = caps;
				k->ev.tid = tid;
				for (unsigned i = 0; i < k->ev.ncap; i++)
					if (k->ev.cap[i].data)
						k->ev.cap[i].data =
						    k->caps + (size_t)i * SCEV_CAP_MAX;
				pt_task_remove(pp, (pid_t)msg);
			}
		}
		break;
	default:
		break; /* clone/fork events (the new task joins at its first stop), group-stops,
			  interrupts */
	}
}

/*
 * How a task goes on from stop ts: to its next syscall stop; under a
 * seccomp filter to the exit of the call whose seccomp stop this is, and
 * otherwise freely (PTRACE_CONT: the filter stops it at the next watched call).
 */
static enum __ptrace_request pt_resume_req(struct pt_proc *pp, pid_t tid,
					   const struct target_stop *ts)
{
	if (!pp->log->s->seccomp || ts->event == TE_SECCOMP)
		return PTRACE_SYSCALL;
	const struct pt_task *k = pt_task_find(pp, tid);
	return k && k->want_exit ? PTRACE_SYSCALL : PTRACE_CONT; /* execve's exec event */
}

static void pt_resume(void *ctx, pid_t tid, const struct target_stop *ts)
{
	struct pt_proc *pp = ctx;
	if (ts->event == TE_GROUP_STOP) {
		ptrace(PTRACE_LISTEN, tid, 0, 0); /* stays stopped; SIGCONT still wakes it */
		return;
	}
	/* A genuine signal is the task's: delivered as it goes on. */
	ptrace(pt_resume_req(pp, tid, ts), tid, 0, (void *)(long)target_stop_signal(ts));
	/* ESRCH: killed meanwhile; its exit status follows */
}

static void pt_stop(void *ctx, pid_t tid, int status)
{
	struct pt_proc *pp = ctx;
	pt_account(pp, tid, status);
	struct target_stop ts = target_classify(status);
	struct pt_task *k =
	    ts.event == TE_SYSCALL_STOP || ts.event == TE_SECCOMP ? pt_task_find(pp, tid) : NULL;
	if (k && k->hold_until) {
		uint64_t due = k->hold_until;
		k->hold_until = 0;
		if (pt_delay_add(pp, tid, due, (int)pt_resume_req(pp, tid, &ts)) == 0)
			return; /* a delay: the helper has it resumed when due */
	}
	pt_resume(ctx, tid, &ts);
}

static void pt_held(void *ctx, pid_t tid, int status)
{
	struct pt_proc *pp = ctx;
	pt_account(pp, tid, status);
	struct pt_task *k = pt_task_find(pp, tid);
	if (k)
		k->hold_until = 0; /* a hold (a stack walk) keeps it: no delay on top */
}

static void pt_exited(void *ctx, pid_t tid, int status)
{
	struct pt_proc *pp = ctx;
	struct trace_session *s = pp->log->s;
	struct pt_task *k = pt_task_find(pp, tid);
	struct trace_rec r;
	memset(&r, 0, sizeof(r));
	r.kind = TRACE_EXIT;
	r.pid = k ? k->tgid : tid;
	r.tid = tid;
	r.t_ns = pt_realtime_ns();
	r.status = status;
	if (s->child && tid == s->child && !s->child_done) {
		s->child_status = status;
		__atomic_store_n(&s->child_done, true, __ATOMIC_RELEASE);
	}
	pt_queue(pp->log, &r);
}

static void pt_gone(void *ctx, pid_t tid)
{
	struct pt_proc *pp = ctx;
	pthread_mutex_lock(&pp->dlock);
	for (size_t i = 0; i < pp->ndelays; i++)
		if (pp->delays[i].tid == tid)
			pp->delays[i--] = pp->delays[--pp->ndelays];
	pthread_mutex_unlock(&pp->dlock);
	pt_task_remove(pp, tid);
}

/* ---- the backend ---- */

/* On the target's thread: the log mode on, every thread (or the one given) held once and let go
 * into it. */
static void pt_begin_job(void *arg)
{
	struct pt_proc *pp = arg;
	struct target *t = pp->target;
	if ((pp->rc = target_begin_mode(t, &pp->mode, pp, &pp->err)) < 0)
		return;
	struct attach_opts ao = {.only_tid = pp->log->s->follow ? 0 : pp->pid};
	struct attach_set *as;
	int r = attach_all(pp->pid, &ao, &as, &pp->err);
	if (r == -ETIMEDOUT || r == -EAGAIN) {
		/* Threads asleep in D are seized: each is logged from its first stop. */
		wt_err_clear(&pp->err);
		r = 0;
	} else if (r == 0) {
		attach_detach(as);
	}
	if (r < 0)
		target_end_mode(t, 3000000000ull);
	pp->rc = r;
}

static void pt_end_job(void *arg)
{
	struct pt_proc *pp = arg;
	if (pp->target->mode_ctx != pp)
		return;
	/*
	 * Injection is off (pt_stop_all): the tasks a delay holds go on now,
	 * and a call made to fail at its entry reaches its exit stop (at
	 * once: the kernel ran nothing) to get its injected result there,
	 * never the -ENOSYS of a skipped call, before the mode lets go.
	 */
	pt_delay_release(pp, true);
	uint64_t end = wt_now_ns() + 2000000000ull;
	while (pt_any_skipped(pp) && wt_now_ns() < end)
		target_wait(pp->target, end);
	pt_delay_release(pp, true);
	if (pp->log->s->seccomp) {
		/*
		 * Detached, the filter would fail each watched call with ENOSYS
		 * for ever: the program (and what it started) ends with the
		 * session, as PTRACE_O_EXITKILL ends it with whytop.
		 */
		for (size_t i = 0; i < pp->ntasks; i++)
			kill(pp->tasks[i].tgid, SIGKILL);
		uint64_t until = wt_now_ns() + 2000000000ull;
		while (pp->ntasks && wt_now_ns() < until)
			target_wait(pp->target, until);
	}
	target_end_mode(pp->target, 3000000000ull);
}

static void pt_free(struct pt_log *lg)
{
	for (size_t i = 0; i < lg->nprocs; i++) {
		struct pt_proc *pp = &lg->procs[i];
		for (size_t j = 0; j < pp->ntasks; j++)
			free(pp->tasks[j].caps);
		free(pp->tasks);
		free(pp->delays);
		pthread_cond_destroy(&pp->dcond);
		pthread_mutex_destroy(&pp->dlock);
	}
	free(lg->procs);
	struct pt_item *it = lg->head;
	while (it) {
		struct pt_item *next = it->next;
		pt_snap_free(it->snap);
		free(it);
		it = next;
	}
	for (size_t i = 0; i < lg->ndbg; i++)
		debug_proc_close(lg->dbg[i].dp);
	free(lg->dbg);
	if (lg->efd >= 0)
		close(lg->efd);
	pthread_cond_destroy(&lg->unwound);
	pthread_mutex_destroy(&lg->lock);
	free(lg);
}

/* End the mode on every process opened so far and let their targets go. */
static void pt_stop_all(struct pt_log *lg)
{
	atomic_store(&lg->inj_off, true);
	for (size_t i = 0; i < lg->nprocs; i++) {
		struct pt_proc *pp = &lg->procs[i];
		if (!pp->target)
			continue;
		pt_delay_stop(pp);
		target_call(pp->target, pt_end_job, pp);
		target_put(pp->target);
		pp->target = NULL;
	}
}

static int pt_open(struct trace_session *s, struct wt_err *err)
{
	struct pt_log *lg = calloc(1, sizeof(*lg));
	if (!lg)
		return wt_err_set(err, ENOMEM, "out of memory");
	lg->s = s;
	lg->tail = &lg->head;
	pthread_mutex_init(&lg->lock, NULL);
	pthread_cond_init(&lg->unwound, NULL);
	atomic_init(&lg->live, 0);
	atomic_init(&lg->inj_off, false);
	lg->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	size_t n = s->child ? 1 : s->npids;
	lg->procs = calloc(n, sizeof(*lg->procs));
	if (lg->efd < 0 || !lg->procs) {
		int e = lg->efd < 0 ? errno : ENOMEM;
		pt_free(lg);
		return wt_err_set(err, e, "cannot set up the log: %s", strerror(e));
	}
	long opts =
	    PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | (s->stacks ? PTRACE_O_TRACEEXIT : 0) |
	    (s->follow ? PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK : 0) |
	    /* a program under the filter cannot run without us: it dies with whytop */
	    (s->seccomp ? PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL : 0);
	for (size_t i = 0; i < n; i++) {
		struct pt_proc *pp = &lg->procs[i];
		pp->log = lg;
		pp->pid = s->child ? s->child : s->pids[i];
		pthread_mutex_init(&pp->dlock, NULL);
		pthread_condattr_t ca;
		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&pp->dcond, &ca);
		pthread_condattr_destroy(&ca);
		pp->mode = (struct target_mode){
		    .doing = s->ninject ? "injecting faults into its syscalls" : "logging its syscalls",
		    .options = opts,
		    .follow_forks = s->follow,
		    .stop = pt_stop,
		    .held = pt_held,
		    .resume = pt_resume,
		    .gone = pt_gone,
		    .exited = pt_exited,
		};
		lg->nprocs = i + 1;
		int r = target_get(pp->pid, &pp->target, err);
		if (r < 0) {
			pt_stop_all(lg);
			pt_free(lg);
			return r;
		}
		wt_err_clear(&pp->err);
		r = target_call(pp->target, pt_begin_job, pp);
		if (r < 0 || pp->rc < 0) {
			if (r < 0)
				wt_err_set(err, -r, "the tracer thread of %d has stopped",
					   (int)pp->pid);
			else if (err)
				*err = pp->err;
			r = r < 0 ? r : pp->rc;
			pt_stop_all(lg);
			pt_free(lg);
			return r;
		}
	}
	s->priv = lg;
	return 0;
}

static int pt_fd(const struct trace_session *s)
{
	const struct pt_log *lg = s->priv;
	return lg->efd;
}

/* -k: the debug_proc of pid, opened on first use; NULL with *why when it cannot be. */
static struct pt_dbg *pt_dbg_of(struct pt_log *lg, pid_t pid)
{
	for (size_t i = 0; i < lg->ndbg; i++)
		if (lg->dbg[i].pid == pid)
			return &lg->dbg[i];
	void *p = realloc(lg->dbg, (lg->ndbg + 1) * sizeof(*lg->dbg));
	if (!p)
		return NULL;
	lg->dbg = p;
	struct pt_dbg *d = &lg->dbg[lg->ndbg++];
	memset(d, 0, sizeof(*d));
	d->pid = pid;
	d->refreshed = lg->drains;
	struct wt_err e = {0};
	if (debug_proc_open(pid, &d->dp, &e) < 0) {
		d->dp = NULL;
		snprintf(d->err, sizeof(d->err), "%.150s", e.msg[0] ? e.msg : "cannot read its modules");
	}
	return d;
}

/*
 * -k, on the reader's thread, the task long gone on: unwind and name one
 * copy (taken: freed here). A stack whose thread carries an error when
 * nothing could be done, NULL only when out of memory.
 */
static struct stack *pt_unwind(struct pt_log *lg, pid_t pid, pid_t tid, struct pt_snap *sn)
{
	struct stack *st = NULL;
	struct wt_err e = {0};
	struct pt_dbg *d = pt_dbg_of(lg, pid);
	int r = -ENOMEM;
	if (d && d->dp) {
		if (d->refreshed != lg->drains) {
			/* once a batch: a dlopen since the last one adds its module */
			d->refreshed = lg->drains;
			debug_proc_refresh(d->dp, &e);
		}
		r = stack_unwind_copy(d->dp, tid, &sn->regs, sn->win_lo, sn->win, sn->win_len,
				      sn->truncated, 0, &st, &e);
		sn->win = NULL; /* taken */
	}
	pt_snap_free(sn);
	if (r == 0)
		return st;
	st = calloc(1, sizeof(*st));
	if (st)
		st->threads = calloc(1, sizeof(*st->threads));
	if (!st || !st->threads) {
		free(st);
		return NULL;
	}
	st->pid = pid;
	st->nthreads = 1;
	st->threads[0].tid = tid;
	char buf[240];
	snprintf(buf, sizeof(buf), "no stack: %.200s",
		 d && !d->dp ? d->err : (e.msg[0] ? e.msg : "out of memory"));
	st->threads[0].error = strdup(buf);
	return st;
}

static int pt_drain(struct trace_session *s, trace_cb cb, void *ctx, struct wt_err *err)
{
	(void)err;
	struct pt_log *lg = s->priv;
	uint64_t v;
	ssize_t rd = read(lg->efd, &v, sizeof(v)); /* before the take: a later record wakes again */
	(void)rd;
	pthread_mutex_lock(&lg->lock);
	struct pt_item *it = lg->head;
	lg->head = NULL;
	lg->tail = &lg->head;
	pthread_mutex_unlock(&lg->lock);
	int n = 0;
	lg->drains++;
	while (it) {
		struct pt_item *next = it->next;
		struct stack *st = NULL;
		if (it->snap) {
			st = pt_unwind(lg, it->r.pid, it->r.tid, it->snap);
			it->snap = NULL;
			it->r.stack = st && st->nthreads ? &st->threads[0] : NULL;
			pthread_mutex_lock(&lg->lock);
			lg->snaps_done++;
			pthread_cond_broadcast(&lg->unwound);
			pthread_mutex_unlock(&lg->lock);
		}
		cb(&it->r, ctx);
		stack_free(st);
		free(it);
		it = next;
		n++;
	}
	return n;
}

static int pt_alive(const struct trace_session *s)
{
	struct pt_log *lg = s->priv;
	return atomic_load(&lg->live) > 0;
}

static void pt_close(struct trace_session *s)
{
	struct pt_log *lg = s->priv;
	if (!lg)
		return;
	pthread_mutex_lock(&lg->lock);
	lg->closing = true;
	pthread_cond_broadcast(&lg->unwound);
	pthread_mutex_unlock(&lg->lock);
	pt_stop_all(lg);
	pt_free(lg);
	s->priv = NULL;
}

const struct trace_backend trace_backend_ptrace = {
    .name = "ptrace",
    .open = pt_open,
    .fd = pt_fd,
    .drain = pt_drain,
    .alive = pt_alive,
    .close = pt_close,
};
