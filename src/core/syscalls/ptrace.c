/*
 * ptrace.c: the ptrace counting backend: a tracer thread of its own seizes
 * every thread of the target (PTRACE_SEIZE with TRACESYSGOOD|TRACECLONE,
 * rescanning /proc/PID/task until no thread is new), then runs the stop
 * engine (tracer.c) until told to stop, and detaches cleanly.
 *
 * All ptrace calls happen on that thread: the kernel only accepts them from
 * the thread that attached. The thread sleeps in waitpid(); to stop it, the
 * session sets a flag and pokes it with a signal that interrupts waitpid.
 *
 * It waits with __WNOTHREAD: only for its own tracees, never stealing the
 * stops of what another part of whytop (the stack tab's tracer) has attached.
 *
 * Detaching: PTRACE_INTERRUPT every thread, then detach each at whatever
 * stop it reports first, handing a pending genuine signal back with the
 * detach. A thread in group-stop is detached from that stop and the kernel
 * leaves it stopped, so a stopped process stays stopped.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <whytop/attach.h>

#include "sc_internal.h"
#include "tracer.h"

struct pt_state {
	struct sc_session *s;
	pthread_t thread;
	pthread_mutex_t lock; /* guards acc, ready, done */
	pthread_cond_t cond;
	struct sc_sample *acc;
	struct sc_tracer tr;
	int ready; /* 0 starting, 1 counting, -errno attach failed */
	int done;
	atomic_int stop;
	atomic_ullong stops;
	struct wt_err err;
};

static int wake_sig(void)
{
	return SIGRTMIN + 6;
}

static void wake_handler(int sig)
{
	(void)sig; /* only here to make waitpid return EINTR */
}

/* Is tid already traced by this process (auto-attached through a clone)? */
static int traced_by_us(pid_t tid)
{
	char path[64], buf[2048];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	if (wt_read_at(AT_FDCWD, path, buf, sizeof(buf)) < 0)
		return 0;
	const char *p = strstr(buf, "TracerPid:");
	return p && attach_tid_is_ours(atoi(p + 10));
}

static int seize(struct pt_state *st, pid_t tid, struct wt_err *err)
{
	/* TRACEEXEC: a thread that execs takes the leader's tid; we are told */
	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC |
		    (st->s->opts.tid ? 0 : PTRACE_O_TRACECLONE);
	if (ptrace(PTRACE_SEIZE, tid, 0, (void *)opts) == 0) {
		struct sc_tracee *e = sc_tracer_add(&st->tr, tid);
		if (!e)
			return wt_err_set(err, ENOMEM, "out of memory");
		e->attached = 1; /* maybe mid-syscall: see first_stop in tracer.c */
		ptrace(PTRACE_INTERRUPT, tid, 0, 0); /* its first stop switches on syscall stops */
		return 1;
	}
	int e = errno;
	if (e == ESRCH)
		return 0; /* the thread ended meanwhile */
	if (e == EPERM && traced_by_us(tid)) {
		sc_tracer_add(&st->tr, tid);
		return 1;
	}
	if (e == EPERM || e == EACCES)
		return attach_refusal(st->s->opts.pid, tid, e, err); /* says which reason */
	return wt_err_set(err, e, "cannot trace thread %d of process %d: %s", (int)tid,
			  (int)st->s->opts.pid, strerror(e));
}

static int pt_attach_all(struct pt_state *st, struct wt_err *err)
{
	pid_t pid = st->s->opts.pid;
	/* whytop itself, a zombie, a kernel thread, traced by another tool */
	int c = attach_check(pid, err);
	if (c < 0)
		return c;
	if (st->s->opts.tid) {
		int r = seize(st, st->s->opts.tid, err);
		return r < 0	? r
		       : r == 0 ? wt_err_set(err, ESRCH, "thread %d is gone", (int)st->s->opts.tid)
				: 0;
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	/* Threads may be born while we seize; scan again until none is new. */
	for (int fresh = 1, rounds = 0; fresh; rounds++) {
		fresh = 0;
		DIR *d = opendir(path);
		if (!d)
			return wt_err_set(err, ESRCH, "process %d is gone", (int)pid);
		struct dirent *de;
		while ((de = readdir(d))) {
			long tid;
			if (wt_parse_long(de->d_name, 1, 0x7fffffff, &tid) < 0)
				continue;
			if (sc_tracer_find(&st->tr, (pid_t)tid))
				continue;
			int r = seize(st, (pid_t)tid, err);
			if (r < 0) {
				closedir(d);
				return r;
			}
			fresh += r;
		}
		closedir(d);
		if (rounds > 1000)
			return wt_err_set(err, EAGAIN,
					  "process %d makes threads faster than we "
					  "can attach them",
					  (int)pid);
	}
	if (!st->tr.live)
		return wt_err_set(err, ESRCH, "process %d is gone", (int)pid);
	return 0;
}

static void pt_detach_all(struct pt_state *st)
{
	st->tr.detaching = 1;
	for (size_t i = 0; i < st->tr.cap; i++) {
		struct sc_tracee *e = &st->tr.tab[i];
		if (e->tid && !e->gone)
			ptrace(PTRACE_INTERRUPT, e->tid, 0, 0);
	}
	/* Each thread now reports a stop soon; detach it there. */
	uint64_t end = wt_now_ns() + 3000000000ull;
	while (st->tr.live > 0 && wt_now_ns() < end) {
		int status;
		pid_t tid = waitpid(-1, &status, __WALL | __WNOTHREAD | WNOHANG);
		if (tid > 0) {
			sc_tracer_handle(&st->tr, tid, status);
		} else if (tid == 0) {
			struct timespec ts = {0, 500000};
			nanosleep(&ts, NULL);
		} else if (errno != EINTR) {
			break; /* ECHILD: nothing traced is left */
		}
	}
}

static void *pt_main(void *arg)
{
	struct pt_state *st = arg;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, wake_sig());
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);

	struct wt_err err;
	wt_err_clear(&err);
	int r = pt_attach_all(st, &err);
	if (r)
		pt_detach_all(st);
	pthread_mutex_lock(&st->lock);
	st->ready = r ? r : 1;
	st->err = err;
	pthread_cond_broadcast(&st->cond);
	pthread_mutex_unlock(&st->lock);
	if (r)
		return NULL;

	while (!atomic_load(&st->stop) && st->tr.live > 0) {
		int status;
		pid_t tid = waitpid(-1, &status, __WALL | __WNOTHREAD);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			break; /* ECHILD: every traced thread is gone */
		}
		sc_tracer_handle(&st->tr, tid, status);
		atomic_fetch_add_explicit(&st->stops, 1, memory_order_relaxed);
	}
	pt_detach_all(st);
	pthread_mutex_lock(&st->lock);
	st->done = 1;
	pthread_cond_broadcast(&st->cond);
	pthread_mutex_unlock(&st->lock);
	return NULL;
}

static int pt_read(struct sc_session *s, struct sc_sample *out, struct wt_err *err)
{
	struct pt_state *st = s->priv;
	pthread_mutex_lock(&st->lock);
	memcpy(out->slot, st->acc->slot, sizeof(out->slot));
	pthread_mutex_unlock(&st->lock);
	out->lost = 0;
	out->overhead_runs = atomic_load(&st->stops);
	out->overhead_ns = 0;
	return 0;
}

static void pt_cost(const struct sc_session *s, const struct sc_sample *now, char *buf, size_t size)
{
	snprintf(buf, size, "target slowed: it stops twice per syscall (%llu stops so far)",
		 now ? (unsigned long long)now->overhead_runs : 0ull);
}

static void pt_close(struct sc_session *s)
{
	struct pt_state *st = s->priv;
	atomic_store(&st->stop, 1);
	pthread_mutex_lock(&st->lock);
	while (!st->done) {
		/* repeated: a poke that lands just before waitpid is not enough */
		pthread_kill(st->thread, wake_sig());
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 20000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&st->cond, &st->lock, &ts);
	}
	pthread_mutex_unlock(&st->lock);
	pthread_join(st->thread, NULL);
	sc_tracer_fini(&st->tr);
	sc_sample_free(st->acc);
	pthread_mutex_destroy(&st->lock);
	pthread_cond_destroy(&st->cond);
	free(st);
	s->priv = NULL;
}

static const struct sc_backend_ops pt_ops = {
    .name = "ptrace",
    .read = pt_read,
    .cost = pt_cost,
    .close = pt_close,
};

int sc_ptrace_open(struct sc_session *s, struct wt_err *err)
{
	struct pt_state *st = calloc(1, sizeof(*st));
	if (!st || !(st->acc = sc_sample_new())) {
		free(st);
		return wt_err_set(err, ENOMEM, "out of memory");
	}
	st->s = s;
	pthread_mutex_init(&st->lock, NULL);
	pthread_cond_init(&st->cond, NULL);
	sc_tracer_init(&st->tr, st->acc, &st->lock, 0);
	st->tr.only_tid = s->opts.tid;
	st->tr.tgid = s->opts.pid;

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = wake_handler; /* no SA_RESTART: waitpid must return */
	sigaction(wake_sig(), &sa, NULL);
	/* The tracer thread alone takes the poke; it unblocks it itself. */
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, wake_sig());
	pthread_sigmask(SIG_BLOCK, &set, &old);
	int r = pthread_create(&st->thread, NULL, pt_main, st);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r) {
		sc_sample_free(st->acc);
		free(st);
		return wt_err_set(err, r, "cannot start the tracer thread: %s", strerror(r));
	}
	pthread_mutex_lock(&st->lock);
	while (!st->ready)
		pthread_cond_wait(&st->cond, &st->lock);
	pthread_mutex_unlock(&st->lock);
	if (st->ready < 0) {
		r = st->ready;
		if (err)
			*err = st->err;
		pthread_join(st->thread, NULL);
		sc_tracer_fini(&st->tr);
		sc_sample_free(st->acc);
		free(st);
		return r;
	}
	s->priv = st;
	s->ops = &pt_ops;
	return 0;
}
