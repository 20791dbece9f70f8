/*
 * tab_stack.c: the Stack tab of a process's screen: every thread (name,
 * tid, state) with its frames (function+offset, module, file:line, inline
 * and fallback marks), the source around the selected frame when the file
 * is there, and the pause the last walk caused.
 *
 * Live mode re-samples at a chosen interval (< and > change it) and marks
 * each frame that stayed the same since the last sample ("same xN": stuck
 * there for N samples) or changed; f freezes a snapshot for reading (r
 * takes one new snapshot). The selected thread and frame go into the
 * screen's tab_ctx for the Locals tab; Enter opens it.
 *
 * Walks run on the process's target (target.h), whose thread alone touches the
 * debug_proc. While a walk is in flight the tab waits on the target's fd,
 * otherwise on a timerfd that says when the next sample is due.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <whytop/stack.h>
#include <whytop/target.h>

#include "ui/tab.h"
#include "ui/ui_int.h"

static const unsigned st_intervals_ms[] = {200, 500, 1000, 2000, 5000};
#define ST_SRC_CONTEXT 3

struct st_state;

struct st_job {
	struct st_state *st;
	pid_t pid;
	struct stack *stk;
	struct wt_err err;
	int rc;
};

/* One line of the list: a thread header or one of its frames. */
struct st_row {
	size_t thread;
	ssize_t frame; /* -1: the thread's header line */
};

struct st_state {
	struct tab_ctx *ctx; /* the screen's, for results coming back */
	struct target *tr; /* the process's target (ctx->target), shared with the other tabs */
	struct debug_proc *dp; /* the target's thread only */
	bool busy, active, frozen;
	int timer; /* timerfd: the next sample is due */
	bool timer_armed;
	unsigned interval_idx;
	struct stack *cur; /* shown; published as ctx->stack */
	/* Per thread of cur, per frame: samples in a row this frame stayed the same. */
	unsigned **same;
	unsigned long samples;
	time_t taken; /* wall time of cur */
	char error[512];
	struct st_row *rows;
	size_t nrows;
	struct ui_list list;
	/* The source file last shown, as lines. */
	char *src_path;
	char **src_lines;
	size_t src_n;
};

/* ---- on the target's thread ---- */

static void st_run(void *arg)
{
	struct st_job *j = arg;
	struct debug_proc **dpp = &j->st->dp;
	if (!*dpp && (j->rc = debug_proc_open(j->pid, dpp, &j->err)) < 0)
		return;
	j->rc = stack_walk(*dpp, NULL, &j->stk, &j->err);
}

/* ---- on the UI thread ---- */

static const struct stack_thread *st_find_thread(const struct stack *s, pid_t tid)
{
	for (size_t i = 0; s && i < s->nthreads; i++)
		if (s->threads[i].tid == tid)
			return &s->threads[i];
	return NULL;
}

static void st_free_same(struct st_state *st)
{
	if (st->same && st->cur)
		for (size_t i = 0; i < st->cur->nthreads; i++)
			free(st->same[i]);
	free(st->same);
	st->same = NULL;
}

/*
 * Compare the new walk with the last, thread by thread, frame by frame
 * counted from the outermost (a thread's bottom frames are its oldest): a
 * frame is the same when its pc and every frame below it are unchanged.
 */
static unsigned **st_compare(const struct stack *old, unsigned **old_same, const struct stack *s)
{
	unsigned **same = calloc(s->nthreads ? s->nthreads : 1, sizeof(*same));
	if (!same)
		return NULL;
	for (size_t i = 0; i < s->nthreads; i++) {
		const struct stack_thread *t = &s->threads[i];
		same[i] = calloc(t->nframes ? t->nframes : 1, sizeof(unsigned));
		const struct stack_thread *o = st_find_thread(old, t->tid);
		if (!same[i] || !o)
			continue;
		size_t oi = (size_t)(o - old->threads);
		for (size_t d = 0; d < t->nframes && d < o->nframes; d++) {
			size_t a = t->nframes - 1 - d, b = o->nframes - 1 - d;
			if (t->frames[a].pc != o->frames[b].pc ||
			    t->frames[a].inline_depth != o->frames[b].inline_depth)
				break;
			same[i][a] = (old_same && old_same[oi] ? old_same[oi][b] : 0) + 1;
		}
	}
	return same;
}

static void st_build_rows(struct st_state *st)
{
	free(st->rows);
	st->rows = NULL;
	st->nrows = 0;
	if (!st->cur)
		return;
	size_t n = 0;
	for (size_t i = 0; i < st->cur->nthreads; i++)
		n += 1 + st->cur->threads[i].nframes;
	st->rows = calloc(n ? n : 1, sizeof(*st->rows));
	if (!st->rows)
		return;
	for (size_t i = 0; i < st->cur->nthreads; i++) {
		st->rows[st->nrows++] = (struct st_row){i, -1};
		for (size_t f = 0; f < st->cur->threads[i].nframes; f++)
			st->rows[st->nrows++] = (struct st_row){i, (ssize_t)f};
	}
	st->list.n = st->nrows;
}

/* Tell the Locals tab which thread and frame are selected. */
static void st_publish_selection(struct tab_ctx *ctx, struct st_state *st)
{
	if (!st->cur || st->list.sel >= st->nrows)
		return;
	const struct st_row *r = &st->rows[st->list.sel];
	ctx->selected_tid = st->cur->threads[r->thread].tid;
	ctx->selected_frame = (int)r->frame;
}

/* Keep the selection on the same thread and frame across samples. */
static void st_reselect(struct tab_ctx *ctx, struct st_state *st)
{
	for (size_t i = 0; i < st->nrows; i++) {
		const struct st_row *r = &st->rows[i];
		if (st->cur->threads[r->thread].tid == ctx->selected_tid &&
		    r->frame == ctx->selected_frame) {
			st->list.sel = i;
			break;
		}
	}
	ui_list_clamp(&st->list);
}

static void st_arm_timer(struct st_state *st)
{
	struct itimerspec its = {0};
	unsigned ms = st_intervals_ms[st->interval_idx];
	its.it_value.tv_sec = ms / 1000;
	its.it_value.tv_nsec = (long)(ms % 1000) * 1000000;
	st->timer_armed = timerfd_settime(st->timer, 0, &its, NULL) == 0;
}

static void st_done(void *arg);

static void st_submit(struct tab_ctx *ctx, struct st_state *st)
{
	if (st->busy || ctx->process_gone)
		return;
	struct st_job *j = calloc(1, sizeof(*j));
	if (!j)
		return;
	j->st = st;
	j->pid = ctx->pid;
	if (target_submit(st->tr, st_run, st_done, j) < 0) {
		free(j);
		tab_error(ctx, "Stack: cannot queue work for the tracer thread");
		return;
	}
	st->busy = true;
}

static void st_take(struct tab_ctx *ctx, struct st_state *st, struct st_job *j)
{
	st->busy = false;
	if (j->rc < 0) {
		snprintf(st->error, sizeof(st->error), "%s", j->err.msg);
		free(j);
		return;
	}
	st->error[0] = '\0';
	unsigned **same = st_compare(st->cur, st->same, j->stk);
	ctx->stack = NULL;
	st_free_same(st);
	stack_free(st->cur);
	st->cur = j->stk;
	st->same = same;
	st->samples++;
	st->taken = time(NULL);
	ctx->stack = st->cur;
	st_build_rows(st);
	st_reselect(ctx, st);
	st_publish_selection(ctx, st);
	free(j);
}

static void st_done(void *arg)
{
	struct st_job *j = arg;
	if (target_cancelled(j->st->tr)) {
		stack_free(j->stk);
		free(j);
		return;
	}
	st_take(j->st->ctx, j->st, j);
}

static int st_open(struct tab_ctx *ctx, void **state)
{
	struct st_state *st = calloc(1, sizeof(*st));
	struct wt_err err = {0};
	if (!st)
		return -ENOMEM;
	st->timer = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (st->timer < 0) {
		free(st);
		return -errno;
	}
	if (!(st->tr = tab_target(ctx, &err))) {
		close(st->timer);
		free(st);
		return -(err.code ? err.code : EAGAIN);
	}
	st->interval_idx = 2; /* 1 s */
	st->ctx = ctx;
	*state = st;
	return 0;
}

static void st_src_free(struct st_state *st)
{
	for (size_t i = 0; i < st->src_n; i++)
		free(st->src_lines[i]);
	free(st->src_lines);
	free(st->src_path);
	st->src_lines = NULL;
	st->src_path = NULL;
	st->src_n = 0;
}

static void st_close(struct tab_ctx *ctx, void *state)
{
	struct st_state *st = state;
	/* The screen ran the jobs queued so far and their done functions: nobody uses dp. */
	if (st->dp)
		debug_proc_close(st->dp);
	if (ctx->stack == st->cur)
		ctx->stack = NULL;
	st_free_same(st);
	stack_free(st->cur);
	free(st->rows);
	st_src_free(st);
	close(st->timer);
	free(st);
}

/* Load a source file's lines (once per file); false if it cannot be read. */
static bool st_src_load(struct st_state *st, const char *path)
{
	if (st->src_path && strcmp(st->src_path, path) == 0)
		return st->src_n > 0;
	st_src_free(st);
	st->src_path = strdup(path);
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	char buf[512];
	size_t cap = 0;
	while (fgets(buf, sizeof(buf), f) && st->src_n < 200000) {
		size_t len = strlen(buf);
		if (len && buf[len - 1] == '\n')
			buf[--len] = 0;
		else if (len == sizeof(buf) - 1) {
			/* the rest of a long line is not shown */
			int c;
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
		}
		if (st->src_n == cap) {
			cap = cap ? cap * 2 : 256;
			char **p = realloc(st->src_lines, cap * sizeof(*p));
			if (!p)
				break;
			st->src_lines = p;
		}
		/* Tabs expanded to 8-column stops; anything else unprintable escaped. */
		char wide[sizeof(buf) * 8];
		size_t o = 0;
		for (size_t i = 0; i < len && o + 8 < sizeof(wide); i++) {
			if (buf[i] == '\t') {
				do
					wide[o++] = ' ';
				while (o % 8);
			} else {
				wide[o++] = buf[i];
			}
		}
		st->src_lines[st->src_n++] = wt_escape(wide, o, 0);
	}
	fclose(f);
	return st->src_n > 0;
}

static void st_row_draw(void *arg, WINDOW *win, int y, size_t row, bool selected)
{
	struct st_state *st = arg;
	const struct st_row *r = &st->rows[row];
	const struct stack_thread *t = &st->cur->threads[r->thread];
	int w = getmaxx(win);
	int a = selected ? ui_attr(UI_E_SELECTED) : ui_attr(UI_E_NORMAL);
	char buf[1024];
	if (selected)
		ui_fill(win, y, 0, a);
	if (r->frame < 0) {
		snprintf(buf, sizeof(buf), "Thread %d %s (%c)%s%s", (int)t->tid,
			 t->name ? t->name : "?", t->state, t->error ? ": " : "",
			 t->error ? t->error : "");
		int hx = ui_put(win, y, 0, w,
				selected ? a : ui_attr(t->error ? UI_E_WARNING : UI_E_TITLE), buf);
		/* The whole stack unchanged since the last samples: stuck here. */
		unsigned top =
		    st->same && st->same[r->thread] && t->nframes ? st->same[r->thread][0] : 0;
		if (st->samples > 1 && t->nframes) {
			if (top)
				snprintf(buf, sizeof(buf), "  stuck here for %u sample%s", top,
					 top == 1 ? "" : "s");
			else
				snprintf(buf, sizeof(buf), "  moving");
			ui_put(win, y, hx, w - hx,
			       selected ? a : ui_attr(top ? UI_E_WARNING : UI_E_DIM), buf);
		}
		return;
	}
	const struct stack_frame *f = &t->frames[r->frame];
	unsigned same = st->same && st->same[r->thread] ? st->same[r->thread][r->frame] : 0;
	int x = 0;
	if (st->samples > 1) {
		if (same)
			snprintf(buf, sizeof(buf), " same x%-3u", same);
		else
			snprintf(buf, sizeof(buf), " changed  ");
		x += ui_put(win, y, x, w, selected ? a : ui_attr(same ? UI_E_DIM : UI_E_WARNING),
			    buf);
	}
	snprintf(buf, sizeof(buf), " #%-3zd ", r->frame);
	x += ui_put(win, y, x, w - x, selected ? a : ui_attr(UI_E_DIM), buf);
	if (f->function)
		snprintf(buf, sizeof(buf), "%s+0x%llx", f->function, (unsigned long long)f->offset);
	else
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)f->pc);
	x += ui_put(win, y, x, w - x, selected ? a : ui_attr(UI_E_VALUE), buf);
	snprintf(buf, sizeof(buf), " (%s)", f->module ? f->module : "?");
	x += ui_put(win, y, x, w - x, selected ? a : ui_attr(UI_E_DIM), buf);
	if (f->file) {
		const char *base = strrchr(f->file, '/');
		snprintf(buf, sizeof(buf), " %s:%d", base ? base + 1 : f->file, f->line);
		x += ui_put(win, y, x, w - x, a, buf);
	}
	snprintf(buf, sizeof(buf), "%s%s%s", (f->flags & STACK_FRAME_INLINE) ? " [inline]" : "",
		 (f->flags & STACK_FRAME_FALLBACK) ? " [fallback]" : "",
		 (f->flags & STACK_FRAME_SIGNAL) ? " [signal]" : "");
	if (buf[0])
		ui_put(win, y, x, w - x, selected ? a : ui_attr(UI_E_DIM), buf);
}

/* The selected frame's source: the line and a few around it. */
static void st_draw_source(struct st_state *st, WINDOW *win, int y0, int h)
{
	int w = getmaxx(win);
	char buf[1024];
	if (st->list.sel >= st->nrows)
		return;
	const struct st_row *r = &st->rows[st->list.sel];
	if (r->frame < 0)
		return;
	const struct stack_frame *f = &st->cur->threads[r->thread].frames[r->frame];
	if (!f->file || f->line <= 0) {
		ui_put(win, y0, 1, w - 1, ui_attr(UI_E_DIM), "(no source line for this frame)");
		return;
	}
	const char *path = f->src_path ? f->src_path : f->file;
	snprintf(buf, sizeof(buf), "%s:%d", path, f->line);
	ui_put(win, y0, 1, w - 1, ui_attr(UI_E_LABEL), buf);
	if (!st_src_load(st, path)) {
		ui_put(win, y0 + 1, 1, w - 1, ui_attr(UI_E_DIM), "(the source file is not here)");
		return;
	}
	int first = f->line - ST_SRC_CONTEXT;
	if (first < 1)
		first = 1;
	for (int i = 0; i < h - 1; i++) {
		int ln = first + i;
		if (ln > (int)st->src_n)
			break;
		bool here = ln == f->line;
		snprintf(buf, sizeof(buf), "%s%5d  %s", here ? ">" : " ", ln,
			 st->src_lines[ln - 1]);
		ui_put(win, y0 + 1 + i, 0, w, ui_attr(here ? UI_E_SELECTED : UI_E_NORMAL), buf);
	}
}

static void st_draw(struct tab_ctx *ctx, void *state, WINDOW *win)
{
	struct st_state *st = state;
	int h = getmaxy(win), w = getmaxx(win);
	char buf[512];
	if (tab_crash_draw(ctx, win))
		return; /* the crash report holds the stacks as the process crashed */
	if (st->cur) {
		struct tm tm;
		localtime_r(&st->taken, &tm);
		if (st->frozen)
			snprintf(buf, sizeof(buf),
				 " FROZEN snapshot of %02d:%02d:%02d (f: live, r: new snapshot)",
				 tm.tm_hour, tm.tm_min, tm.tm_sec);
		else
			snprintf(buf, sizeof(buf), " Live, every %u ms (< >), sample %lu",
				 st_intervals_ms[st->interval_idx], st->samples);
		int x = ui_put(win, 0, 0, w, ui_attr(st->frozen ? UI_E_WARNING : UI_E_TITLE), buf);
		snprintf(buf, sizeof(buf),
			 "  %zu thread%s, paused %.3f ms (held <= %.1f ms), walk %.1f ms%s%s",
			 st->cur->nthreads, st->cur->nthreads == 1 ? "" : "s",
			 st->cur->pause_ns / 1e6, st->cur->hold_ns / 1e6, st->cur->walk_ns / 1e6,
			 st->cur->was_stopped ? ", stopped (left stopped)" : "",
			 st->busy ? "  (walking)" : "");
		ui_put(win, 0, x, w - x, ui_attr(UI_E_DIM), buf);
	} else {
		ui_put(win, 0, 1, w - 1, ui_attr(UI_E_DIM),
		       st->busy ? "Walking the stacks..." : "");
	}
	if (st->error[0])
		ui_put(win, 1, 1, w - 1, ui_attr(UI_E_ERROR), st->error);
	else if (ctx->process_gone)
		ui_put(win, 1, 1, w - 1, ui_attr(UI_E_WARNING),
		       "The process has exited; this is its last snapshot.");
	else if (st->cur && st->cur->nnotes) {
		/* A module's debug info was skipped: say so, its frames lack lines. */
		if (st->cur->nnotes > 1)
			snprintf(buf, sizeof(buf), "Note: %s (and %zu more notes)",
				 st->cur->notes[0], st->cur->nnotes - 1);
		else
			snprintf(buf, sizeof(buf), "Note: %s", st->cur->notes[0]);
		ui_put(win, 1, 1, w - 1, ui_attr(UI_E_WARNING), buf);
	}
	int src_h = h >= 20 ? 2 * ST_SRC_CONTEXT + 2 : 0;
	int list_h = h - 2 - src_h;
	if (st->cur && list_h > 0) {
		st->list.height = list_h;
		ui_list_clamp(&st->list);
		ui_list_draw(&st->list, win, 2, list_h, st_row_draw, st);
	}
	if (st->cur && src_h)
		st_draw_source(st, win, h - src_h, src_h);
}

static unsigned st_key(struct tab_ctx *ctx, void *state, int key)
{
	struct st_state *st = state;
	if (tab_crash_key(ctx, NULL, key))
		return UI_REDRAW;
	switch (key) {
	case 'f':
	case ' ':
		st->frozen = !st->frozen;
		if (!st->frozen)
			st_submit(ctx, st);
		return UI_REDRAW;
	case 'r':
		st_submit(ctx, st);
		return UI_REDRAW;
	case '<':
		if (st->interval_idx > 0)
			st->interval_idx--;
		return UI_REDRAW;
	case '>':
		if (st->interval_idx + 1 < WT_ARRAY_SIZE(st_intervals_ms))
			st->interval_idx++;
		return UI_REDRAW;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (!st->cur || st->list.sel >= st->nrows)
			return UI_NONE;
		st_publish_selection(ctx, st);
		tab_switch(ctx, "Locals");
		return UI_REDRAW;
	default:
		break;
	}
	if (key != KEY_LEFT && key != KEY_RIGHT && ui_list_key(&st->list, key)) {
		st_publish_selection(ctx, st);
		return UI_REDRAW;
	}
	return UI_UNHANDLED;
}

static void st_focus(struct tab_ctx *ctx, void *state, bool active)
{
	struct st_state *st = state;
	st->active = active;
	/* Only the visible tab samples: each walk holds the threads a moment. */
	if (active && (!st->cur || !st->frozen))
		st_submit(ctx, st);
	if (active)
		st_publish_selection(ctx, st);
}

static int st_poll_fd(struct tab_ctx *ctx, void *state)
{
	struct st_state *st = state;
	if (st->busy)
		return -1; /* the walk's result comes through the target's fd */
	if (st->active && !st->frozen && !ctx->process_gone) {
		if (!st->timer_armed)
			st_arm_timer(st);
		return st->timer;
	}
	return -1;
}

static unsigned st_on_fd(struct tab_ctx *ctx, void *state, short revents)
{
	struct st_state *st = state;
	uint64_t n;
	if (read(st->timer, &n, sizeof(n)) < 0) {
		/* not due yet */
	}
	st->timer_armed = false;
	if (st->active && !st->frozen)
		st_submit(ctx, st);
	return UI_NONE;
}

const struct tab_ops tab_stack_ops = {
    .name = "Stack",
    .open = st_open,
    .close = st_close,
    .draw = st_draw,
    .key = st_key,
    .poll_fd = st_poll_fd,
    .on_fd = st_on_fd,
    .focus = st_focus,
    .help = "Enter: locals  f: freeze/live  r: resample  < >: interval",
};
