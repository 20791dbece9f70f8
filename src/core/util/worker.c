/*
 * worker.c: a step run on a thread of its own, its results handed to the
 * UI through an eventfd (util.h, struct wt_worker). The kernel view
 * (kwatch.c) and the off-CPU view (ofwatch.c) read on one: a read can take
 * a stuck task's lock, load an eBPF program or name stacks with DWARF, and
 * the terminal must never wait for that. Freeing never waits either: the
 * worker holds a reference, and whichever side drops the last one frees.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <whytop/util.h>

struct wt_worker {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int refs; /* the owner and the worker */
	bool quit, want, busy;
	uint64_t busy_since, period_ns;
	int efd;
	const struct wt_worker_ops *ops;
	void *ctx;
	/* the latest result, until taken */
	bool have;
	int rc;
	struct wt_err err;
	void *result;
};

static void worker_destroy(struct wt_worker *w)
{
	if (w->result)
		w->ops->result_free(w->ctx, w->result);
	if (w->ops->ctx_free)
		w->ops->ctx_free(w->ctx);
	if (w->efd >= 0)
		close(w->efd);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}

/* Drop a reference; the last one frees. Called with mu held; unlocks it. */
static void worker_unref_locked(struct wt_worker *w)
{
	bool last = --w->refs == 0;
	pthread_mutex_unlock(&w->mu);
	if (last)
		worker_destroy(w);
}

static void ts_of_ns(struct timespec *ts, uint64_t ns)
{
	ts->tv_sec = (time_t)(ns / 1000000000u);
	ts->tv_nsec = (long)(ns % 1000000000u);
}

static void *worker_main(void *arg)
{
	struct wt_worker *w = arg;
	uint64_t next = wt_now_ns(); /* periodic: the first step at once */
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->want && !w->quit) {
			if (!w->period_ns) {
				pthread_cond_wait(&w->cv, &w->mu);
				continue;
			}
			struct timespec ts;
			ts_of_ns(&ts, next); /* wt_now_ns is CLOCK_MONOTONIC, as the condvar */
			if (pthread_cond_timedwait(&w->cv, &w->mu, &ts) == ETIMEDOUT)
				break;
		}
		if (w->quit)
			break;
		w->want = false;
		w->busy = true;
		w->busy_since = wt_now_ns();
		pthread_mutex_unlock(&w->mu);

		void *result = NULL;
		struct wt_err err;
		wt_err_clear(&err);
		int rc = w->ops->step(w->ctx, &result, &err);

		pthread_mutex_lock(&w->mu);
		w->busy = false;
		if (rc != -EAGAIN) {
			if (w->result)
				w->ops->result_free(w->ctx, w->result);
			w->result = result;
			w->rc = rc;
			w->err = err;
			w->have = true;
			uint64_t one = 1;
			if (write(w->efd, &one, sizeof(one)) < 0) {
				/* the counter cannot overflow at one write a step */
			}
		}
		if (w->period_ns) {
			/* behind (a slow step): the next one a period from now */
			uint64_t now = wt_now_ns();
			next += w->period_ns;
			if (next < now)
				next = now + w->period_ns;
		}
	}
	pthread_mutex_unlock(&w->mu);
	if (w->ops->stop)
		w->ops->stop(w->ctx);
	pthread_mutex_lock(&w->mu);
	worker_unref_locked(w);
	return NULL;
}

struct wt_worker *wt_worker_new(const struct wt_worker_ops *ops, void *ctx, uint64_t period_ns)
{
	struct wt_worker *w = calloc(1, sizeof(*w));
	if (!w) {
		if (ops->ctx_free)
			ops->ctx_free(ctx);
		return NULL;
	}
	w->ops = ops;
	w->ctx = ctx;
	w->period_ns = period_ns;
	w->refs = 2;
	w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, &ca);
	pthread_condattr_destroy(&ca);
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
	int prc = w->efd < 0 ? -1 : pthread_create(&th, &attr, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (prc != 0) {
		w->refs = 1;
		pthread_mutex_lock(&w->mu);
		worker_unref_locked(w);
		return NULL;
	}
	return w;
}

void wt_worker_free(struct wt_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->quit = true;
	pthread_cond_signal(&w->cv);
	worker_unref_locked(w);
}

int wt_worker_fd(const struct wt_worker *w)
{
	return w->efd;
}

void wt_worker_request(struct wt_worker *w)
{
	pthread_mutex_lock(&w->mu);
	if (!w->busy) {
		w->want = true;
		pthread_cond_signal(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
}

bool wt_worker_busy(struct wt_worker *w, uint64_t *for_ns)
{
	pthread_mutex_lock(&w->mu);
	bool busy = w->busy;
	uint64_t since = w->busy_since;
	pthread_mutex_unlock(&w->mu);
	if (for_ns)
		*for_ns = busy ? wt_now_ns() - since : 0;
	return busy;
}

int wt_worker_take(struct wt_worker *w, void **result, struct wt_err *err)
{
	uint64_t cnt;
	*result = NULL;
	if (read(w->efd, &cnt, sizeof(cnt)) < 0) {
		/* EAGAIN: nothing new; a result (if any) is still taken below */
	}
	pthread_mutex_lock(&w->mu);
	if (!w->have) {
		pthread_mutex_unlock(&w->mu);
		return -EAGAIN;
	}
	int rc = w->rc;
	if (err)
		*err = w->err;
	*result = w->result;
	w->result = NULL;
	w->have = false;
	pthread_mutex_unlock(&w->mu);
	return rc;
}
