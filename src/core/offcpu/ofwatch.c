/*
 * ofwatch.c: off-CPU time read on a thread of its own, for the Kernel
 * tab's "where it waits" view. Opening loads the eBPF program, kallsyms
 * and the process's modules; each read names stacks with DWARF: tens of
 * milliseconds to seconds the terminal must not wait for. The worker
 * reads every second (each read moves the sliding window of
 * offcpu_window_set on); the UI polls an eventfd. As in kwatch.c,
 * freeing never waits: the worker holds a reference, closes the counting
 * (detaching the program) and frees the state when it sees it is asked
 * to quit.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <whytop/offcpu.h>

#define OFW_PERIOD_NS 1000000000ull

struct offcpu_watch {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int refs; /* the owner and the worker */
	bool quit;
	pid_t pid;
	unsigned secs; /* the window asked for (offcpu_watch_window) */
	int efd;
	/* the latest result, until taken */
	bool have;
	int rc;
	struct wt_err err;
	struct offcpu_report *rep;
};

static void ofw_destroy(struct offcpu_watch *w)
{
	offcpu_report_free(w->rep);
	close(w->efd);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}

/* Drop a reference; the last one frees. Called with mu held; unlocks it. */
static void ofw_unref_locked(struct offcpu_watch *w)
{
	bool last = --w->refs == 0;
	pthread_mutex_unlock(&w->mu);
	if (last)
		ofw_destroy(w);
}

/* Hand a result over (mu not held): it replaces one not yet taken. */
static void ofw_publish(struct offcpu_watch *w, int rc, const struct wt_err *err,
			struct offcpu_report *rep)
{
	pthread_mutex_lock(&w->mu);
	offcpu_report_free(w->rep);
	w->rep = rep;
	w->rc = rc;
	if (err)
		w->err = *err;
	w->have = true;
	pthread_mutex_unlock(&w->mu);
	uint64_t one = 1;
	if (write(w->efd, &one, sizeof(one)) < 0) {
		/* the counter cannot overflow at one write a second */
	}
}

static void ts_add(struct timespec *ts, uint64_t ns)
{
	uint64_t t = (uint64_t)ts->tv_nsec + ns;
	ts->tv_sec += (time_t)(t / 1000000000u);
	ts->tv_nsec = (long)(t % 1000000000u);
}

static void *ofw_main(void *arg)
{
	struct offcpu_watch *w = arg;
	struct offcpu *oc = NULL;
	struct wt_err err;
	wt_err_clear(&err);
	int rc = offcpu_open(w->pid, 0, &oc, &err);
	pthread_mutex_lock(&w->mu);
	unsigned secs = w->secs;
	pthread_mutex_unlock(&w->mu);
	if (rc == 0 && (rc = offcpu_window_set(oc, secs, &err)) < 0) {
		offcpu_close(oc);
		oc = NULL;
	}
	if (rc < 0)
		ofw_publish(w, rc, &err, NULL);
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	pthread_mutex_lock(&w->mu);
	for (;;) {
		ts_add(&next, OFW_PERIOD_NS);
		while (!w->quit)
			if (pthread_cond_timedwait(&w->cv, &w->mu, &next) == ETIMEDOUT)
				break;
		if (w->quit)
			break;
		bool resize = w->secs != secs;
		secs = w->secs;
		pthread_mutex_unlock(&w->mu);
		if (oc && resize)
			offcpu_window_set(oc, secs, &err); /* set already: cannot fail */
		if (oc) {
			struct offcpu_report *rep = NULL;
			wt_err_clear(&err);
			rc = offcpu_read(oc, &rep, &err);
			ofw_publish(w, rc, &err, rep);
		}
		/* behind (a slow read): the next read a period from now */
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > next.tv_sec ||
		    (now.tv_sec == next.tv_sec && now.tv_nsec > next.tv_nsec))
			next = now;
		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	offcpu_close(oc);
	pthread_mutex_lock(&w->mu);
	ofw_unref_locked(w);
	return NULL;
}

struct offcpu_watch *offcpu_watch_new(pid_t pid)
{
	struct offcpu_watch *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->pid = pid;
	w->secs = OFFCPU_WATCH_WINDOW_NS / 1000000000u;
	w->refs = 2;
	w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	pthread_mutex_init(&w->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_t th;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	/* the worker takes no signals: they are the UI's (its signalfd) */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int prc = w->efd < 0 ? -1 : pthread_create(&th, &attr, ofw_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (prc != 0) {
		w->refs = 1;
		pthread_mutex_lock(&w->mu);
		ofw_unref_locked(w);
		return NULL;
	}
	return w;
}

void offcpu_watch_free(struct offcpu_watch *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->quit = true;
	pthread_cond_signal(&w->cv);
	ofw_unref_locked(w);
}

void offcpu_watch_window(struct offcpu_watch *w, unsigned secs)
{
	pthread_mutex_lock(&w->mu);
	w->secs = secs;
	pthread_mutex_unlock(&w->mu);
}

int offcpu_watch_fd(const struct offcpu_watch *w)
{
	return w->efd;
}

int offcpu_watch_take(struct offcpu_watch *w, struct offcpu_report **out, struct wt_err *err)
{
	uint64_t cnt;
	*out = NULL;
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
	*out = w->rep;
	w->rep = NULL;
	w->have = false;
	pthread_mutex_unlock(&w->mu);
	return rc;
}
