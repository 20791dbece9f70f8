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
 *
 * o switches the tab to "where it waits": the process's off-CPU time
 * (offcpu.h, eBPF on sched_switch) over a window of the last seconds --
 * each thread's S/D/R totals, then the waits heaviest first with their
 * kernel and user stacks, one selectable entry each; p pauses. It counts
 * only while that view is shown on the active tab, on an offcpu_watch
 * worker (loading the program and naming stacks never run on the UI
 * thread). Without eBPF the view says why and what to do.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/kernel.h>
#include <whytop/offcpu.h>
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
	/* "where it waits" (o) */
	bool oc_mode, oc_paused, oc_focus;
	unsigned oc_window; /* W of the off-CPU view, seconds (w) */
	struct offcpu_watch *ow;      /* while oc_mode and the tab is active */
	struct offcpu_report *oc_rep; /* what is shown, or NULL */
	char oc_error[512];	      /* why there is no counting, or "" */
	struct kernel_lines oc_lines; /* pid: the entry (1...) a line belongs to, 0 none */
	struct ui_list oc_list;
	char oc_sel[300]; /* the selected wait (ktab_oc_key_of), kept across windows */
};

/* Waits shown (the heaviest above a millisecond, as 'whytop offcpu' prints them). */
#define KTAB_OC_MAX 100
#define KTAB_OC_MIN_NS 1000000ull

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

static double ktab_secs(uint64_t ns)
{
	return (double)ns / 1e9;
}

static double ktab_pct(uint64_t ns, uint64_t of)
{
	return of ? 100.0 * (double)ns / (double)of : 0.0;
}

/* A frame as 'whytop offcpu' prints it, the file's name only (a deep path would be cut). */
static void ktab_oc_frame(char *buf, size_t size, const struct offcpu_frame *f, bool kernel)
{
	int n = snprintf(buf, size, "%s", kernel ? "[k] " : "");
	if (n < 0 || (size_t)n >= size)
		return;
	if (f->function)
		n += snprintf(buf + n, size - (size_t)n, "%s", f->function);
	else
		n += snprintf(buf + n, size - (size_t)n, "0x%llx", (unsigned long long)f->pc);
	if (n < 0 || (size_t)n >= size)
		return;
	if (kernel && f->function)
		n += snprintf(buf + n, size - (size_t)n, "+0x%llx", (unsigned long long)f->offset);
	if (n < 0 || (size_t)n >= size)
		return;
	if (f->file) {
		const char *base = strrchr(f->file, '/');
		snprintf(buf + n, size - (size_t)n, " (%s:%d)", base ? base + 1 : f->file, f->line);
	} else if (f->module) {
		snprintf(buf + n, size - (size_t)n, " (%s)", f->module);
	}
}

static const char *ktab_oc_name(const struct offcpu_report *r, pid_t tid)
{
	for (size_t i = 0; i < r->nthreads; i++)
		if (r->threads[i].tid == tid)
			return r->threads[i].name;
	return "?";
}

/* What names a wait from one window to the next: thread, state, where in the kernel and user code.
 */
static void ktab_oc_key_of(const struct offcpu_entry *e, char *buf, size_t size)
{
	const char *kf = "", *uf = "";
	for (size_t i = 0; i < e->nk; i++)
		if (e->kframes[i].function &&
		    !kernel_blocked_frame_generic(e->kframes[i].function)) {
			kf = e->kframes[i].function;
			break;
		}
	for (size_t i = 0; i < e->nu && !uf[0]; i++)
		if (e->uframes[i].function)
			uf = e->uframes[i].function;
	snprintf(buf, size, "%d %c %s %s", (int)e->tid, offcpu_state_letter(e->state), kf, uf);
}

/* Remember the wait the selection is on. */
static void ktab_oc_note_sel(struct ktab_state *st)
{
	st->oc_sel[0] = '\0';
	if (!st->oc_list.n || !st->oc_rep)
		return;
	pid_t g = st->oc_lines.l[st->oc_list.sel].pid;
	if (g > 0 && (size_t)g <= st->oc_rep->nentries)
		ktab_oc_key_of(&st->oc_rep->entries[g - 1], st->oc_sel, sizeof(st->oc_sel));
}

static void ktab_oc_build(struct ktab_state *st)
{
	size_t sel = st->oc_list.sel, top = st->oc_list.top;
	pid_t sel_group = 0;
	klines_clear(&st->oc_lines);
	const struct offcpu_report *r = st->oc_rep;
	uint64_t w = r->window_ns;
	char buf[1024];
	for (size_t i = 0; i < r->nthreads; i++) {
		const struct offcpu_thread *t = &r->threads[i];
		int n = snprintf(
		    buf, sizeof(buf),
		    "thread %d (%s): S %.3fs (%.0f%%)  D %.3fs (%.0f%%)  R %.3fs (%.0f%%)",
		    (int)t->tid, t->name, ktab_secs(t->ns[OFFCPU_S]), ktab_pct(t->ns[OFFCPU_S], w),
		    ktab_secs(t->ns[OFFCPU_D]), ktab_pct(t->ns[OFFCPU_D], w),
		    ktab_secs(t->ns[OFFCPU_R]), ktab_pct(t->ns[OFFCPU_R], w));
		if (t->ns[OFFCPU_OTHER] && n > 0 && (size_t)n < sizeof(buf))
			snprintf(buf + n, sizeof(buf) - (size_t)n, "  T %.3fs",
				 ktab_secs(t->ns[OFFCPU_OTHER]));
		klines_add(&st->oc_lines, 1, t->ns[OFFCPU_D] ? UI_E_STATE_D : UI_E_VALUE, buf, 0,
			   UI_E_NORMAL, NULL, 0);
	}
	if (!r->nthreads)
		klines_add(&st->oc_lines, 1, UI_E_DIM, "No thread left the CPU in this window.", 0,
			   UI_E_NORMAL, NULL, 0);
	if (r->note)
		klines_add(&st->oc_lines, 1, UI_E_WARNING, "note:", 0, UI_E_WARNING, r->note, 0);
	if (r->lost) {
		snprintf(buf, sizeof(buf), "%llu waits not counted (the kernel's maps were full)",
			 (unsigned long long)r->lost);
		klines_add(&st->oc_lines, 1, UI_E_WARNING, "note:", 0, UI_E_WARNING, buf, 0);
	}
	size_t shown = 0;
	for (size_t i = 0; i < r->nentries && shown < KTAB_OC_MAX; i++) {
		const struct offcpu_entry *e = &r->entries[i];
		if (e->ns < KTAB_OC_MIN_NS)
			continue;
		shown++;
		pid_t g = (pid_t)(i + 1);
		char key[300];
		ktab_oc_key_of(e, key, sizeof(key));
		if (!sel_group && st->oc_sel[0] && !strcmp(key, st->oc_sel))
			sel_group = g;
		klines_add(&st->oc_lines, 0, UI_E_NORMAL, NULL, 0, UI_E_NORMAL, NULL, 0);
		snprintf(buf, sizeof(buf), "%.3fs %5.1f%%  %c  thread %d (%s), %llu wait%s%s",
			 ktab_secs(e->ns), ktab_pct(e->ns, w), offcpu_state_letter(e->state),
			 (int)e->tid, ktab_oc_name(r, e->tid), (unsigned long long)e->count,
			 e->count == 1 ? "" : "s", e->count ? "" : " (in progress)");
		klines_add(&st->oc_lines, 1, e->state == OFFCPU_D ? UI_E_STATE_D : UI_E_TITLE, buf,
			   0, UI_E_NORMAL, NULL, g);
		if (!e->nk)
			klines_add(&st->oc_lines, 5, UI_E_DIM, "kernel stack unknown", 0,
				   UI_E_NORMAL, NULL, g);
		for (size_t j = 0; j < e->nk; j++) {
			ktab_oc_frame(buf, sizeof(buf), &e->kframes[j], true);
			klines_add(&st->oc_lines, 5, UI_E_NORMAL, NULL, 0, UI_E_NORMAL, buf, g);
		}
		for (size_t j = 0; j < e->nu; j++) {
			ktab_oc_frame(buf, sizeof(buf), &e->uframes[j], false);
			klines_add(&st->oc_lines, 5, UI_E_NORMAL, NULL, 0, UI_E_VALUE, buf, g);
		}
		if (e->note)
			klines_add(&st->oc_lines, 5, UI_E_DIM, "note:", 0, UI_E_DIM, e->note, g);
	}
	if (shown < r->nentries && r->nentries) {
		klines_add(&st->oc_lines, 0, UI_E_NORMAL, NULL, 0, UI_E_NORMAL, NULL, 0);
		snprintf(buf, sizeof(buf),
			 "%zu shorter waits not shown; whytop offcpu %d --folded lists every one",
			 r->nentries - shown, (int)r->pid);
		klines_add(&st->oc_lines, 1, UI_E_DIM, buf, 0, UI_E_NORMAL, NULL, 0);
	}
	st->oc_list.n = st->oc_lines.n;
	st->oc_list.top = top;
	st->oc_list.sel = sel;
	/* the same entry stays selected as the numbers move; else the first one */
	bool found = false;
	for (size_t i = 0; i < st->oc_lines.n && !found; i++)
		if (st->oc_lines.l[i].pid && (!sel_group || st->oc_lines.l[i].pid == sel_group)) {
			st->oc_list.sel = i;
			found = true;
		}
	ui_list_clamp(&st->oc_list);
	if (!st->oc_list.height)
		st->oc_list.top = 0; /* not drawn yet: from the threads' totals */
	ktab_oc_note_sel(st);
}

/* Count only while the view is shown on the active tab: elsewhere it costs the target nothing. */
static void ktab_oc_update(struct tab_ctx *ctx, struct ktab_state *st)
{
	bool want = st->oc_mode && st->oc_focus && !ctx->process_gone;
	if (want && !st->ow) {
		st->oc_error[0] = '\0';
		st->ow = offcpu_watch_new(ctx->pid);
		if (st->ow && st->oc_window)
			offcpu_watch_window(st->ow, st->oc_window);
		if (!st->ow)
			snprintf(st->oc_error, sizeof(st->oc_error),
				 "cannot start a thread to count off-CPU time: out of memory");
	} else if (!want && st->ow) {
		offcpu_watch_free(st->ow);
		st->ow = NULL;
	}
}

static void ktab_oc_row(void *arg, WINDOW *win, int y, size_t row, bool selected)
{
	struct ktab_state *st = arg;
	pid_t g = st->oc_lines.l[st->oc_list.sel].pid;
	/* an entry's lines are highlighted together: they are one choice */
	klines_draw_line(&st->oc_lines, row, win, y, g && st->oc_lines.l[row].pid == g);
}

static void ktab_oc_draw(struct tab_ctx *ctx, struct ktab_state *st, WINDOW *win)
{
	int h = getmaxy(win);
	char buf[600];
	const struct offcpu_report *r = st->oc_rep;
	if (r)
		snprintf(buf, sizeof(buf),
			 "Where it waits%s: off-CPU time over the last %.1f s (S sleeping, D "
			 "uninterruptible, R preempted)",
			 st->oc_paused ? " (paused: p resumes)" : "", ktab_secs(r->window_ns));
	else
		snprintf(buf, sizeof(buf), "Where it waits: off-CPU time of process %d",
			 (int)ctx->pid);
	ui_put(win, 0, 1, -1, ui_attr(UI_E_TITLE), buf);
	if (st->oc_error[0] && !r) {
		/* a sentence that says why and what to do, wrapped to the window */
		struct kernel_lines k = {.width = getmaxx(win)};
		klines_add(&k, 1, UI_E_ERROR, NULL, 0, UI_E_ERROR, st->oc_error, 0);
		size_t n = k.n;
		for (size_t i = 0; i < n && (int)i + 2 < h; i++)
			klines_draw_line(&k, i, win, 2 + (int)i, false);
		klines_free(&k);
		ui_put(win, 3 + (int)n, 1, -1, ui_attr(UI_E_DIM), "o: back to the threads");
		return;
	}
	if (!r) {
		ui_put(win, 2, 1, -1, ui_attr(UI_E_DIM),
		       "Counting (the first window is shown after a second)...");
		return;
	}
	int foot = 0;
	if (ctx->process_gone) {
		ui_put(win, h - 1, 2, -1, ui_attr(UI_E_WARNING),
		       "The process has exited; this is its last window.");
		foot = 1;
	} else if (st->oc_error[0]) {
		ui_put(win, h - 1, 2, -1, ui_attr(UI_E_WARNING), st->oc_error);
		foot = 1;
	}
	if (st->oc_lines.width != getmaxx(win)) {
		st->oc_lines.width = getmaxx(win);
		ktab_oc_build(st);
	}
	ui_list_draw(&st->oc_list, win, 1, h - 1 - foot, ktab_oc_row, st);
}

/* Up/Down move from entry to entry (an entry is several lines). */
static bool ktab_oc_key(struct ktab_state *st, int key)
{
	struct ui_list *l = &st->oc_list;
	if (!l->n)
		return false;
	pid_t before = st->oc_lines.l[l->sel].pid;
	if (key == KEY_DOWN) {
		size_t i = l->sel;
		while (i < l->n && (!st->oc_lines.l[i].pid || st->oc_lines.l[i].pid == before))
			i++;
		if (i < l->n)
			l->sel = i;
		else if (l->top + (size_t)l->height < l->n)
			l->top++; /* the last entry: scroll its lines into view */
		ui_list_clamp(l);
		/* the whole entry in view if it fits: its last line */
		size_t last = l->sel;
		pid_t g = st->oc_lines.l[l->sel].pid;
		while (g && last + 1 < l->n && st->oc_lines.l[last + 1].pid == g)
			last++;
		if (l->height > 0 && last >= l->top + (size_t)l->height) {
			size_t want = last + 1 - (size_t)l->height;
			l->top = want < l->sel ? want : l->sel;
		}
		ktab_oc_note_sel(st);
		return true;
	}
	if (!ui_list_key(l, key))
		return false;
	/* to the first line of the entry the selection landed in */
	size_t i = l->sel;
	while (i > 0 && !st->oc_lines.l[i].pid)
		i--; /* a blank or a thread line: the entry above */
	pid_t g = st->oc_lines.l[i].pid;
	while (i > 0 && g && st->oc_lines.l[i - 1].pid == g)
		i--;
	if (!g) { /* above every entry: the first one, with the threads' totals in view */
		for (i = 0; i < l->n && !st->oc_lines.l[i].pid; i++)
			;
		if (i == l->n)
			i = l->sel;
		l->top = 0;
	}
	l->sel = i;
	if (l->sel < l->top)
		l->top = l->sel;
	ui_list_clamp(l);
	ktab_oc_note_sel(st);
	return true;
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
	offcpu_watch_free(st->ow);
	offcpu_report_free(st->oc_rep);
	klines_free(&st->oc_lines);
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
	if (st->oc_mode) {
		ktab_oc_draw(ctx, st, win);
		return;
	}
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
	if (key == 'o') {
		st->oc_mode = !st->oc_mode;
		st->oc_paused = false;
		ktab_oc_update(ctx, st);
		if (!st->oc_mode)
			kernel_watch_request(st->watch); /* the threads as they are now */
		return UI_REDRAW;
	}
	if (st->oc_mode) {
		if (key == 'p') {
			st->oc_paused = !st->oc_paused;
			return UI_REDRAW;
		}
		if (key == 'w') {
			/* the window's length: 2, 5, 10, 30 s, in turn (from the next read) */
			static const unsigned lens[] = {2, 5, 10, 30};
			unsigned cur = st->oc_window ? st->oc_window : 5;
			size_t i = 0;
			while (i < 4 && lens[i] != cur)
				i++;
			st->oc_window = lens[(i + 1) % 4];
			if (st->ow)
				offcpu_watch_window(st->ow, st->oc_window);
			return UI_REDRAW;
		}
		return ktab_oc_key(st, key) ? UI_REDRAW : UI_UNHANDLED;
	}
	return ui_textview_key(&st->list, key) ? UI_REDRAW : UI_UNHANDLED;
}

static void ktab_focus(struct tab_ctx *ctx, void *state, bool active)
{
	struct ktab_state *st = state;
	st->oc_focus = active;
	ktab_oc_update(ctx, st);
}

static unsigned ktab_tick(struct tab_ctx *ctx, void *state)
{
	struct ktab_state *st = state;
	if (ctx->process_gone) {
		ktab_oc_update(ctx, st); /* stops counting */
		return UI_NONE;		 /* keep the last picture */
	}
	if (!st->oc_mode)
		kernel_watch_request(st->watch);
	return UI_NONE;
}

static int ktab_poll_fd(struct tab_ctx *ctx, void *state)
{
	struct ktab_state *st = state;
	if (st->oc_mode)
		return st->ow ? offcpu_watch_fd(st->ow) : -1;
	return kernel_watch_fd(st->watch);
}

static unsigned ktab_oc_on_fd(struct ktab_state *st)
{
	struct offcpu_report *r = NULL;
	struct wt_err err;
	int rc = offcpu_watch_take(st->ow, &r, &err);
	if (rc == -EAGAIN)
		return UI_NONE;
	if (rc < 0) {
		snprintf(st->oc_error, sizeof(st->oc_error), "%s", err.msg);
		return UI_REDRAW;
	}
	st->oc_error[0] = '\0';
	if (st->oc_paused) {
		offcpu_report_free(r); /* the picture stays */
		return UI_NONE;
	}
	offcpu_report_free(st->oc_rep);
	st->oc_rep = r;
	ktab_oc_build(st);
	return UI_REDRAW;
}

static unsigned ktab_on_fd(struct tab_ctx *ctx, void *state, short revents)
{
	struct ktab_state *st = state;
	if (st->oc_mode)
		return st->ow ? ktab_oc_on_fd(st) : UI_NONE;
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
    .focus = ktab_focus,
    .help = "Up/Down PgUp/PgDn: scroll  o: where it waits (off-CPU) / threads  p: pause  "
	    "w: window",
};
