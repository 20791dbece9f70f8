/*
 * kwatch.c: read the kernel view on a thread of its own, for the TUI.
 *
 * Almost every read here is quick, but not all are guaranteed to be:
 * reading a path argument from a task's memory takes that task's mmap lock,
 * which a thread stuck in a page fault on a hung filesystem can hold. The
 * terminal must never freeze on a stuck target, so a kwatch does its reads
 * on a worker thread and reports through an eventfd the UI polls. If the
 * worker is stuck, the UI says so and keeps running; freeing a kwatch never
 * waits: a stuck worker frees the shared state when it finally returns.
 * The worker owns the blocked-for tracker, so "blocked for" spans refreshes.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <whytop/kernel.h>

struct kernel_watch {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int refs;               /* the owner and the worker */
	bool quit, want, busy;
	uint64_t busy_since;
	enum kernel_watch_kind kind;
	pid_t pid;
	int efd;
	/* The latest result, until taken. */
	bool have;
	int rc;
	struct wt_err err;
	struct kernel_proc *kp;
	struct kernel_blocked *bl;
	struct kernel_block_tracker *tr; /* the worker's only */
};

static void kernel_watch_destroy(struct kernel_watch *w)
{
	kernel_proc_free(w->kp);
	kernel_blocked_free(w->bl);
	kernel_block_tracker_free(w->tr);
	close(w->efd);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}

/* Drop a reference; the last one frees. Called with mu held; unlocks it. */
static void kernel_watch_unref_locked(struct kernel_watch *w)
{
	bool last = --w->refs == 0;
	pthread_mutex_unlock(&w->mu);
	if (last)
		kernel_watch_destroy(w);
}

static void *kernel_watch_main(void *arg)
{
	struct kernel_watch *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->want && !w->quit)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->quit)
			break;
		w->want = false;
		w->busy = true;
		w->busy_since = wt_now_ns();
		pthread_mutex_unlock(&w->mu);

		struct kernel_proc *kp = NULL;
		struct kernel_blocked *bl = NULL;
		struct wt_err err;
		wt_err_clear(&err);
		int rc;
		uint64_t t0 = wt_now_ns();
		if (w->kind == KWATCH_PROC) {
			rc = kernel_stack_read(w->pid, NULL, &kp, &err);
			if (rc == 0) {
				kernel_block_tracker_apply(w->tr, kp);
				kernel_block_tracker_prune(w->tr, t0); /* exited threads */
			}
		} else {
			rc = kernel_blocked_scan(w->tr, &bl, &err);
		}

		pthread_mutex_lock(&w->mu);
		w->busy = false;
		kernel_proc_free(w->kp);
		kernel_blocked_free(w->bl);
		w->kp = kp;
		w->bl = bl;
		w->rc = rc;
		w->err = err;
		w->have = true;
		uint64_t one = 1;
		if (write(w->efd, &one, sizeof(one)) < 0) {
			/* The counter cannot overflow at one write per read; nothing to do. */
		}
	}
	kernel_watch_unref_locked(w);
	return NULL;
}

struct kernel_watch *kernel_watch_new(enum kernel_watch_kind kind, pid_t pid)
{
	struct kernel_watch *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->kind = kind;
	w->pid = pid;
	w->refs = 2;
	w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	w->tr = kernel_block_tracker_new();
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	pthread_t th;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	/*
	 * The worker takes no signals: SIGINT or SIGWINCH meant for the UI's
	 * signalfd must not land here (and kill whytop with the terminal raw).
	 */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int prc = w->efd < 0 || !w->tr ? -1 : pthread_create(&th, &attr, kernel_watch_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (prc != 0) {
		pthread_attr_destroy(&attr);
		if (w->efd >= 0)
			close(w->efd);
		kernel_block_tracker_free(w->tr);
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
		free(w);
		return NULL;
	}
	pthread_attr_destroy(&attr);
	return w;
}

void kernel_watch_free(struct kernel_watch *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->quit = true;
	pthread_cond_signal(&w->cv);
	kernel_watch_unref_locked(w);
}

int kernel_watch_fd(const struct kernel_watch *w)
{
	return w->efd;
}

void kernel_watch_request(struct kernel_watch *w)
{
	pthread_mutex_lock(&w->mu);
	if (!w->busy) {
		w->want = true;
		pthread_cond_signal(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
}

bool kernel_watch_stuck(struct kernel_watch *w, uint64_t *for_ns)
{
	pthread_mutex_lock(&w->mu);
	bool busy = w->busy;
	uint64_t since = w->busy_since;
	pthread_mutex_unlock(&w->mu);
	if (for_ns)
		*for_ns = busy ? wt_now_ns() - since : 0;
	return busy;
}

int kernel_watch_take(struct kernel_watch *w, struct kernel_proc **kp, struct kernel_blocked **bl,
		      struct wt_err *err)
{
	uint64_t cnt;
	if (read(w->efd, &cnt, sizeof(cnt)) < 0) {
		/* EAGAIN: nothing new; the result (if any) is still taken below. */
	}
	pthread_mutex_lock(&w->mu);
	if (!w->have) {
		pthread_mutex_unlock(&w->mu);
		return -EAGAIN;
	}
	int rc = w->rc;
	if (err)
		*err = w->err;
	if (kp)
		*kp = w->kp;
	else
		kernel_proc_free(w->kp);
	if (bl)
		*bl = w->bl;
	else
		kernel_blocked_free(w->bl);
	w->kp = NULL;
	w->bl = NULL;
	w->have = false;
	pthread_mutex_unlock(&w->mu);
	return rc;
}
