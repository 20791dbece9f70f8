/*
 * tab_profile.c: the Profile tab -- where the process spends its CPU, live,
 * from perf samples (profile.h): functions by self and total share over a
 * sliding window of the last W seconds (5; w cycles 2, 5, 10, 30), redrawn
 * at every read, p to pause, Enter on a function for its source lines by
 * self share with their text. The process is never stopped. The rings are
 * read on a 200 ms timer of the tab's own; the events sample only while
 * the tab is the active one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <whytop/profile.h>

#include "ui/tab.h"

/* The window lengths w steps through (seconds). */
static const unsigned pt_windows[] = {2, PROFILE_WINDOW_DEFAULT, 10, 30};

struct pt_state {
	struct profile_session *s;
	char err[512];
	int tfd;
	bool paused;
	unsigned window; /* W, seconds */
	struct profile *shown; /* what is drawn: the window's counts at the last read */
	struct ui_list list;
	bool lines_view; /* Enter: the selected function's lines */
	struct ui_list lines;
	char *fn_name; /* the function whose lines are shown */
};

static int pt_open(struct tab_ctx *ctx, void **state)
{
	struct pt_state *st = calloc(1, sizeof(*st));
	if (!st)
		return -1;
	st->tfd = -1;
	struct wt_err err;
	if (profile_open(ctx->pid, NULL, &st->s, &err) < 0) {
		snprintf(st->err, sizeof(st->err), "%s", err.msg);
		st->s = NULL;
	} else {
		st->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
		struct itimerspec it = {{0, 200000000}, {0, 200000000}};
		if (st->tfd >= 0)
			timerfd_settime(st->tfd, 0, &it, NULL);
	}
	st->window = PROFILE_WINDOW_DEFAULT;
	if (st->s)
		profile_window_set(st->s, st->window);
	*state = st;
	return 0;
}

static void pt_close(struct tab_ctx *ctx, void *state)
{
	(void)ctx;
	struct pt_state *st = state;
	if (st->tfd >= 0)
		close(st->tfd);
	profile_close(st->s);
	profile_free(st->shown);
	free(st->fn_name);
	free(st);
}

static int pt_poll_fd(struct tab_ctx *ctx, void *state)
{
	(void)ctx;
	return ((struct pt_state *)state)->tfd;
}

static void pt_set_shown(struct pt_state *st, struct profile *p)
{
	profile_free(st->shown);
	st->shown = p;
	st->list.n = p ? p->nfns : 0;
	ui_list_clamp(&st->list);
}

static unsigned pt_on_fd(struct tab_ctx *ctx, void *state, short revents)
{
	(void)ctx;
	(void)revents;
	struct pt_state *st = state;
	uint64_t n;
	if (read(st->tfd, &n, sizeof(n)) < 0)
		return UI_NONE;
	if (!st->s)
		return UI_NONE;
	struct wt_err err;
	if (profile_poll(st->s, 0, &err) < 0) {
		snprintf(st->err, sizeof(st->err), "%s", err.msg);
		close(st->tfd);
		st->tfd = -1;
		return UI_REDRAW;
	}
	/* paused: the rings are still read (the window slides on), the picture stays */
	struct profile *p = NULL;
	if (st->paused)
		return UI_NONE;
	if (profile_result(st->s, &p, &err) == 0)
		pt_set_shown(st, p);
	return UI_REDRAW;
}

static double pt_pct(uint64_t n, uint64_t of)
{
	return of ? 100.0 * (double)n / (double)of : 0;
}

static void pt_row(void *arg, WINDOW *win, int y, size_t row, bool selected)
{
	struct pt_state *st = arg;
	const struct profile *p = st->shown;
	const struct profile_fn *f = &p->fns[row];
	char buf[512];
	int n = snprintf(buf, sizeof(buf), "%6.1f %6.1f  %s", pt_pct(f->self, p->samples),
			 pt_pct(f->total, p->samples), f->name);
	if (f->module && n > 0 && (size_t)n < sizeof(buf))
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, " (%s)", f->module);
	if (f->nlines && f->lines[0].file && f->self && n > 0 && (size_t)n < sizeof(buf)) {
		/* the file's name only: a deep path would push the line off the screen */
		const char *base = strrchr(f->lines[0].file, '/');
		snprintf(buf + n, sizeof(buf) - (size_t)n, "  %s:%d",
			 base ? base + 1 : f->lines[0].file, f->lines[0].line);
	}
	int w = getmaxx(win);
	if (selected)
		mvwchgat(win, y, 0, w, ui_attr(UI_E_SELECTED), 0, NULL);
	tab_print(win, y, 0, selected ? ui_attr(UI_E_SELECTED) : ui_attr(UI_E_NORMAL), buf);
}

static const struct profile_fn *pt_find_fn(const struct pt_state *st)
{
	if (!st->shown || !st->fn_name)
		return NULL;
	for (size_t i = 0; i < st->shown->nfns; i++)
		if (!strcmp(st->shown->fns[i].name, st->fn_name))
			return &st->shown->fns[i];
	return NULL;
}

/* Line n of a source file, escaped, into out ("" when it cannot be read). */
static void pt_source_line(const char *file, int n, char *out, size_t size)
{
	out[0] = 0;
	FILE *f = file ? fopen(file, "r") : NULL;
	if (!f)
		return;
	char line[400];
	for (int i = 1; fgets(line, sizeof(line), f); i++) {
		if (i == n) {
			line[strcspn(line, "\n")] = 0;
			wt_escape_to(out, size, line, strlen(line), 0);
			break;
		}
	}
	fclose(f);
}

static void pt_line_row(void *arg, WINDOW *win, int y, size_t row, bool selected)
{
	struct pt_state *st = arg;
	const struct profile_fn *f = pt_find_fn(st);
	if (!f || row >= f->nlines)
		return;
	const struct profile_line *l = &f->lines[row];
	char src[300], buf[700];
	pt_source_line(l->file, l->line, src, sizeof(src));
	const char *base = l->file ? strrchr(l->file, '/') : NULL;
	snprintf(buf, sizeof(buf), "%6.1f  %s:%d  %s", pt_pct(l->self, f->self),
		 base ? base + 1 : (l->file ? l->file : "?"), l->line, src);
	tab_print(win, y, 0, selected ? ui_attr(UI_E_SELECTED) : ui_attr(UI_E_NORMAL), buf);
}

static void pt_draw(struct tab_ctx *ctx, void *state, WINDOW *win)
{
	(void)ctx;
	struct pt_state *st = state;
	int h = getmaxy(win);
	char buf[800];
	if (!st->s || (st->err[0] && !st->shown)) {
		tab_print(win, 0, 0, ui_attr(UI_E_ERROR), st->err[0] ? st->err : "no profile");
		return;
	}
	const struct profile *p = st->shown;
	/* "in" says the span: less than W while the first seconds fill */
	snprintf(buf, sizeof(buf), "CPU profile, last %u s%s: %llu samples in %.1f s (%s, %u Hz)%s%s",
		 p ? p->window_secs : st->window, st->paused ? " (paused: p resumes)" : "",
		 p ? (unsigned long long)p->samples : 0ull, p ? (double)p->duration_ns / 1e9 : 0.0,
		 p ? p->event : "-", p ? p->hz : PROFILE_DEFAULT_HZ, st->err[0] ? " -- " : "",
		 st->err);
	tab_print(win, 0, 0, ui_attr(UI_E_TITLE), buf);
	if (st->lines_view) {
		const struct profile_fn *f = pt_find_fn(st);
		snprintf(buf, sizeof(buf), "lines of %s by self share (Esc: back)",
			 st->fn_name ? st->fn_name : "?");
		tab_print(win, 1, 0, ui_attr(UI_E_COLUMN_HEADER), buf);
		st->lines.n = f ? f->nlines : 0;
		ui_list_clamp(&st->lines);
		ui_list_draw(&st->lines, win, 2, h - 2, pt_line_row, st);
		return;
	}
	tab_print(win, 1, 0, ui_attr(UI_E_COLUMN_HEADER),
		  " self%  total%  function (module)  hottest line");
	if (!p || !p->samples) {
		tab_print(win, 2, 0, ui_attr(UI_E_DIM),
			  "no samples yet: the process has used no CPU");
		return;
	}
	ui_list_draw(&st->list, win, 2, h - 2, pt_row, st);
}

static unsigned pt_key(struct tab_ctx *ctx, void *state, int key)
{
	(void)ctx;
	struct pt_state *st = state;
	if (key == 'p') {
		st->paused = !st->paused;
		return UI_REDRAW;
	}
	if (key == 'w' && st->s) {
		size_t i = 0, n = sizeof(pt_windows) / sizeof(pt_windows[0]);
		while (i < n && pt_windows[i] != st->window)
			i++;
		st->window = pt_windows[(i + 1) % n];
		profile_window_set(st->s, st->window);
		return UI_REDRAW;
	}
	if (st->lines_view) {
		if (key == 27 || key == KEY_BACKSPACE) {
			st->lines_view = false;
			return UI_REDRAW;
		}
		return ui_list_key(&st->lines, key) ? UI_REDRAW : UI_UNHANDLED;
	}
	if ((key == '\n' || key == '\r' || key == KEY_ENTER) && st->shown &&
	    st->list.sel < st->shown->nfns) {
		free(st->fn_name);
		st->fn_name = strdup(st->shown->fns[st->list.sel].name);
		st->lines_view = true;
		st->lines = (struct ui_list){0};
		return UI_REDRAW;
	}
	return ui_list_key(&st->list, key) ? UI_REDRAW : UI_UNHANDLED;
}

/* Sample only while the tab is shown: another tab costs the target nothing. */
static void pt_focus(struct tab_ctx *ctx, void *state, bool active)
{
	(void)ctx;
	struct pt_state *st = state;
	if (!st->s)
		return;
	profile_enable(st->s, active);
	if (active) {
		/* counts from before the tab was left would leave a gap in the window */
		profile_reset(st->s);
	}
}

const struct tab_ops tab_profile_ops = {
    .name = "Profile",
    .open = pt_open,
    .close = pt_close,
    .draw = pt_draw,
    .key = pt_key,
    .poll_fd = pt_poll_fd,
    .on_fd = pt_on_fd,
    .focus = pt_focus,
    .help = "p pause  w window 2/5/10/30 s  Enter lines of a function  Esc back",
};
