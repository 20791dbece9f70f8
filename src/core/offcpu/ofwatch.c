/*
 * ofwatch.c: off-CPU time read on a thread of its own, for the Kernel
 * tab's "where it waits" view. Opening loads the eBPF program, kallsyms
 * and the process's modules; each read names stacks with DWARF: tens of
 * milliseconds to seconds the terminal must not wait for. The worker (a
 * struct wt_worker, util/worker.c) opens at once, then reads every second
 * (each read moves the sliding window of offcpu_window_set on); the UI
 * polls an eventfd. Freeing never waits: the worker closes the counting
 * (detaching the program) when it leaves.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>

#include <whytop/offcpu.h>

#define OFW_PERIOD_NS 1000000000ull

struct ofw_ctx {
	pid_t pid;
	atomic_uint secs; /* the window asked for (offcpu_watch_window) */
	unsigned set;	  /* the window set on oc */
	bool opened;
	struct offcpu *oc; /* NULL until opened, or if opening failed */
};

struct offcpu_watch {
	struct wt_worker *wk;
	struct ofw_ctx *c; /* the worker's; only secs is written from here */
};

/* The first step opens (a failure is handed over once); each later one reads. */
static int ofw_step(void *arg, void **result, struct wt_err *err)
{
	struct ofw_ctx *c = arg;
	unsigned secs = atomic_load(&c->secs);
	if (!c->opened) {
		c->opened = true;
		int rc = offcpu_open(c->pid, 0, &c->oc, err);
		if (rc == 0 && (rc = offcpu_window_set(c->oc, secs, err)) < 0) {
			offcpu_close(c->oc);
			c->oc = NULL;
		}
		c->set = secs;
		return rc < 0 ? rc : -EAGAIN; /* opened: the first report a period later */
	}
	if (!c->oc)
		return -EAGAIN;
	if (secs != c->set) {
		offcpu_window_set(c->oc, secs, err); /* set already: cannot fail */
		c->set = secs;
	}
	struct offcpu_report *rep = NULL;
	int rc = offcpu_read(c->oc, &rep, err);
	*result = rep;
	return rc;
}

static void ofw_result_free(void *arg, void *result)
{
	(void)arg;
	offcpu_report_free(result);
}

static void ofw_stop(void *arg)
{
	struct ofw_ctx *c = arg;
	offcpu_close(c->oc);
	c->oc = NULL;
}

static const struct wt_worker_ops ofw_ops = {
	.step = ofw_step,
	.result_free = ofw_result_free,
	.stop = ofw_stop,
	.ctx_free = free,
};

struct offcpu_watch *offcpu_watch_new(pid_t pid)
{
	struct offcpu_watch *w = calloc(1, sizeof(*w));
	struct ofw_ctx *c = calloc(1, sizeof(*c));
	if (!w || !c) {
		free(w);
		free(c);
		return NULL;
	}
	c->pid = pid;
	atomic_init(&c->secs, (unsigned)(OFFCPU_WATCH_WINDOW_NS / 1000000000u));
	w->c = c;
	w->wk = wt_worker_new(&ofw_ops, c, OFW_PERIOD_NS);
	if (!w->wk) {
		free(w);
		return NULL;
	}
	return w;
}

void offcpu_watch_free(struct offcpu_watch *w)
{
	if (!w)
		return;
	wt_worker_free(w->wk);
	free(w);
}

void offcpu_watch_window(struct offcpu_watch *w, unsigned secs)
{
	atomic_store(&w->c->secs, secs);
}

int offcpu_watch_fd(const struct offcpu_watch *w)
{
	return wt_worker_fd(w->wk);
}

int offcpu_watch_take(struct offcpu_watch *w, struct offcpu_report **out, struct wt_err *err)
{
	void *result;
	int rc = wt_worker_take(w->wk, &result, err);
	*out = result;
	return rc;
}
