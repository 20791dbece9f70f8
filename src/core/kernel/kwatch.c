/*
 * kwatch.c: read the kernel view on a thread of its own, for the TUI.
 *
 * Almost every read here is quick, but not all are guaranteed to be:
 * reading a path argument from a task's memory takes that task's mmap lock,
 * which a thread stuck in a page fault on a hung filesystem can hold. The
 * terminal must never freeze on a stuck target, so a kwatch does its reads
 * on a worker thread and reports through an eventfd the UI polls. If the
 * worker is stuck, the UI says so and keeps running; freeing a kwatch never
 * waits (the thread is a struct wt_worker, util/worker.c). The worker owns
 * the blocked-for tracker, so "blocked for" spans refreshes.
 */
#include <errno.h>
#include <stdlib.h>

#include <whytop/kernel.h>

/* What the worker reads with; freed when both sides have let go. */
struct kwatch_ctx {
	enum kernel_watch_kind kind;
	pid_t pid;
	struct kernel_block_tracker *tr;
};

struct kernel_watch {
	struct wt_worker *wk;
	enum kernel_watch_kind kind;
};

/* A KWATCH_PROC result is a struct kernel_proc, a KWATCH_BLOCKED one a struct kernel_blocked. */
static int kwatch_step(void *arg, void **result, struct wt_err *err)
{
	struct kwatch_ctx *c = arg;
	uint64_t t0 = wt_now_ns();
	if (c->kind == KWATCH_PROC) {
		struct kernel_proc *kp = NULL;
		int rc = kernel_stack_read(c->pid, NULL, &kp, err);
		if (rc == 0) {
			kernel_block_tracker_apply(c->tr, kp);
			kernel_block_tracker_prune(c->tr, t0); /* exited threads */
		}
		*result = kp;
		return rc;
	}
	struct kernel_blocked *bl = NULL;
	int rc = kernel_blocked_scan(c->tr, &bl, err);
	*result = bl;
	return rc;
}

static void kwatch_result_free(void *arg, void *result)
{
	struct kwatch_ctx *c = arg;
	if (c->kind == KWATCH_PROC)
		kernel_proc_free(result);
	else
		kernel_blocked_free(result);
}

static void kwatch_ctx_free(void *arg)
{
	struct kwatch_ctx *c = arg;
	kernel_block_tracker_free(c->tr);
	free(c);
}

static const struct wt_worker_ops kwatch_ops = {
	.step = kwatch_step,
	.result_free = kwatch_result_free,
	.ctx_free = kwatch_ctx_free,
};

struct kernel_watch *kernel_watch_new(enum kernel_watch_kind kind, pid_t pid)
{
	struct kernel_watch *w = calloc(1, sizeof(*w));
	struct kwatch_ctx *c = calloc(1, sizeof(*c));
	if (!w || !c || !(c->tr = kernel_block_tracker_new())) {
		free(w);
		free(c);
		return NULL;
	}
	c->kind = w->kind = kind;
	c->pid = pid;
	w->wk = wt_worker_new(&kwatch_ops, c, 0);
	if (!w->wk) {
		free(w);
		return NULL;
	}
	return w;
}

void kernel_watch_free(struct kernel_watch *w)
{
	if (!w)
		return;
	wt_worker_free(w->wk);
	free(w);
}

int kernel_watch_fd(const struct kernel_watch *w)
{
	return wt_worker_fd(w->wk);
}

void kernel_watch_request(struct kernel_watch *w)
{
	wt_worker_request(w->wk);
}

bool kernel_watch_stuck(struct kernel_watch *w, uint64_t *for_ns)
{
	return wt_worker_busy(w->wk, for_ns);
}

int kernel_watch_take(struct kernel_watch *w, struct kernel_proc **kp, struct kernel_blocked **bl,
		      struct wt_err *err)
{
	void *result;
	int rc = wt_worker_take(w->wk, &result, err);
	if (rc == -EAGAIN) /* nothing new (a step never hands -EAGAIN over) */
		return rc;
	if (kp)
		*kp = w->kind == KWATCH_PROC ? result : NULL;
	if (bl)
		*bl = w->kind == KWATCH_BLOCKED ? result : NULL;
	if (w->kind == KWATCH_PROC && !kp)
		kernel_proc_free(result);
	if (w->kind == KWATCH_BLOCKED && !bl)
		kernel_blocked_free(result);
	return rc;
}
