/*
 * tab_kernel.c: the Kernel tab of a process's screen: one block per
 * thread -- state and how long it has been blocked, wchan, the syscall it
 * is in with fd paths and path strings, and its kernel stack with the
 * frame it waits in marked. Refreshed live at every tick.
 *
 * The reads happen on a kwatch worker thread (core), never on the UI
 * thread: a path argument is read from the target's memory, and a task
 * stuck in a page fault on a hung filesystem can hold that memory's lock.
 * If a read takes long, the tab says so and keeps the last picture.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/kernel.h>
#include <whytop/sysnames.h>

#include "ui/kernel_lines.h"
#include "ui/tab.h"
#include "ui/ui_int.h"

/* A read in flight longer than this is reported on the tab. */
#define KTAB_SLOW_NS 1000000000ull

struct ktab_state {
	struct kernel_watch *watch;
	struct kernel_proc *kp; /* the last reading, or NULL */
	struct kernel_lines lines;
	struct ui_list list;
	char error[512];
	bool have;
};

static void ktab_build(struct ktab_state *st)
{
	size_t top = st->list.top;
	klines_clear(&st->lines);
	struct kernel_proc *kp = st->kp;
	size_t nd = 0, nblocked = 0;
	for (size_t i = 0; i < kp->nthreads; i++) {
		nd += kp->threads[i].state == 'D';
		nblocked += kp->threads[i].blocked;
	}
	char buf[256];
	if (kp->is_kthread)
		snprintf(buf, sizeof(buf), "kernel thread, %zu thread%s", kp->nthreads,
			 kp->nthreads == 1 ? "" : "s");
	else
		snprintf(buf, sizeof(buf), "%s ABI, %zu thread%s, %zu in D, %zu blocked",
			 sysname_arch_label(kp->arch), kp->nthreads, kp->nthreads == 1 ? "" : "s",
			 nd, nblocked);
	klines_add(&st->lines, 1, UI_E_LABEL, "Kernel view:", 0, UI_E_VALUE, buf, 0);
	for (size_t i = 0; i < kp->nthreads; i++) {
		klines_add(&st->lines, 0, UI_E_NORMAL, NULL, 0, UI_E_NORMAL, NULL, 0);
		klines_thread(&st->lines, &kp->threads[i], 1, kp->pid);
	}
	st->list.n = st->lines.n;
	st->list.top = top;
	st->list.sel = top;
	ui_list_clamp(&st->list);
}

static int ktab_open(struct tab_ctx *ctx, void **state)
{
	struct ktab_state *st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->watch = kernel_watch_new(KWATCH_PROC, ctx->pid);
	if (!st->watch) {
		free(st);
		return -ENOMEM;
	}
	kernel_watch_request(st->watch);
	*state = st;
	return 0;
}

static void ktab_close(struct tab_ctx *ctx, void *state)
{
	struct ktab_state *st = state;
	kernel_watch_free(st->watch);
	kernel_proc_free(st->kp);
	klines_free(&st->lines);
	free(st);
}

static void ktab_row(void *arg, WINDOW *win, int y, size_t row, bool selected)
{
	struct ktab_state *st = arg;
	klines_draw_line(&st->lines, row, win, y, false);
}

static void ktab_draw(struct tab_ctx *ctx, void *state, WINDOW *win)
{
	struct ktab_state *st = state;
	int h = getmaxy(win);
	int foot = 0;
	uint64_t slow_ns;
	char buf[256];
	if (!st->have && !st->error[0]) {
		ui_put(win, 1, 2, -1, ui_attr(UI_E_DIM),
		       "Reading the kernel side of every thread...");
		return;
	}
	if (ctx->process_gone) {
		ui_put(win, h - 1, 2, -1, ui_attr(UI_E_WARNING),
		       "The process has exited; this is what it looked like last.");
		foot = 1;
	} else if (kernel_watch_stuck(st->watch, &slow_ns) && slow_ns > KTAB_SLOW_NS) {
		char dur[32];
		snprintf(
		    buf, sizeof(buf),
		    "Reading has taken %s (the task's memory may be locked by a stuck thread); "
		    "showing the last reading.",
		    kernel_duration_format(slow_ns, dur, sizeof(dur)));
		ui_put(win, h - 1, 2, -1, ui_attr(UI_E_WARNING), buf);
		foot = 1;
	}
	if (!st->have) {
		ui_put(win, 1, 2, -1, ui_attr(UI_E_ERROR), st->error);
		return;
	}
	/* Long sentences (why the kernel refused) wrap to the window: rebuild on resize. */
	if (st->lines.width != getmaxx(win)) {
		st->lines.width = getmaxx(win);
		ktab_build(st);
	}
	ui_textview_draw(&st->list, win, 0, h - foot, ktab_row, st);
}

static unsigned ktab_key(struct tab_ctx *ctx, void *state, int key)
{
	struct ktab_state *st = state;
	return ui_textview_key(&st->list, key) ? UI_REDRAW : UI_UNHANDLED;
}

static unsigned ktab_tick(struct tab_ctx *ctx, void *state)
{
	struct ktab_state *st = state;
	if (ctx->process_gone)
		return UI_NONE; /* keep the last picture */
	kernel_watch_request(st->watch);
	return UI_NONE;
}

static int ktab_poll_fd(struct tab_ctx *ctx, void *state)
{
	struct ktab_state *st = state;
	return kernel_watch_fd(st->watch);
}

static unsigned ktab_on_fd(struct tab_ctx *ctx, void *state, short revents)
{
	struct ktab_state *st = state;
	struct kernel_proc *kp = NULL;
	struct wt_err err;
	int rc = kernel_watch_take(st->watch, &kp, NULL, &err);
	if (rc == -EAGAIN)
		return UI_NONE;
	if (rc < 0) {
		/* Gone: keep the last picture if there is one. */
		if (!st->have)
			snprintf(st->error, sizeof(st->error), "%s", err.msg);
		return UI_REDRAW;
	}
	kernel_proc_free(st->kp);
	st->kp = kp;
	st->have = true;
	st->error[0] = '\0';
	ktab_build(st);
	return UI_REDRAW;
}

const struct tab_ops tab_kernel_ops = {
	.name = "Kernel",
	.open = ktab_open,
	.close = ktab_close,
	.draw = ktab_draw,
	.key = ktab_key,
	.tick = ktab_tick,
	.poll_fd = ktab_poll_fd,
	.on_fd = ktab_on_fd,
	.help = "Up/Down PgUp/PgDn: scroll",
};
