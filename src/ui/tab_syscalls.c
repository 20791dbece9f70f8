/*
 * tab_syscalls.c: the Syscalls tab of a process's screen: live syscall
 * rates, like strace -c as it happens. One row per syscall: calls/s over
 * the window, calls, errors and the most common errno, total and average
 * time, share of time; sorted by rate (any column on request); a sparkline
 * of the total rate over the last minute; the backend and its cost.
 *
 * Counting is on only while the tab is the active one: it starts on focus
 * and stops (everything released in the kernel, the target detached) when
 * another tab or screen takes over, so a forgotten tab costs nothing.
 * Reading the counters is cheap and non-blocking (per-CPU maps, or a copy
 * under the ptrace thread's lock), so it happens on the UI thread at tick.
 *
 * `l` switches the tab to its live log of calls (syscalls_log.c) and back:
 * one of the two runs at a time (with ptrace both would be modes of the
 * same target), the other is stopped.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/libcalls.h>
#include <whytop/proc.h>
#include <whytop/syscalls.h>

#include "ui/syscalls_log.h"
#include "ui/tab.h"
#include "ui/ui_int.h"

static const double windows_s[] = {1, 5, 10, 30, 60};

struct sctab_state {
	struct sc_session *s;
	struct sc_sample *sample;
	struct sc_counts *counts;
	struct ui_list list;
	enum sc_backend backend; /* asked for: AUTO, or what the user switched to */
	enum sc_sort sort;
	pid_t tid;	 /* 0: all threads */
	unsigned window; /* index into windows_s */
	bool paused;
	bool active;
	bool log_view; /* the live log is shown (and runs) instead of the rates */
	struct sclog *log;
	/* 'L': library calls instead of syscalls (whytop/libcalls.h) */
	bool lib_view;
	struct lc_session *lc;
	uint64_t *lc_prev; /* calls at the last tick, per function */
	double *lc_rate;   /* calls/s over the last tick, per function */
	uint64_t lc_prev_ns;
	char lc_error[512];
	char error[512];
	char cost[300];
};

static void sctab_stop(struct sctab_state *st)
{
	if (st->s) {
		sc_session_close(st->s);
		st->s = NULL;
	}
}

static void sctab_start(struct tab_ctx *ctx, struct sctab_state *st)
{
	struct wt_err err;
	struct sc_opts o = {.pid = ctx->pid, .tid = st->tid, .backend = st->backend};
	wt_err_clear(&err);
	sctab_stop(st);
	st->error[0] = '\0';
	if (ctx->process_gone)
		return;
	/*
	 * The screen keeps the process's target while it is open, so that the
	 * ptrace backend (a mode of that target) and the other tabs' jobs use
	 * one and the same tracer thread for the screen's whole life.
	 */
	if (o.backend != SC_BACKEND_KERNEL && !tab_target(ctx, &err))
		wt_err_clear(&err);
	if (sc_session_open(&st->s, &o, &err) < 0) {
		snprintf(st->error, sizeof(st->error), "%s", err.msg);
		return;
	}
	/* A new session counts from zero: so does the table. */
	sc_counts_reset(st->counts);
	memset(st->sample->slot, 0, sizeof(st->sample->slot));
	st->sample->lost = 0;
	st->sample->t_ns = wt_now_ns();
	sc_counts_update(st->counts, st->sample);
	sc_session_cost(st->s, NULL, st->cost, sizeof(st->cost));
}

static void sctab_read(struct sctab_state *st)
{
	struct wt_err err;
	if (!st->s || st->paused)
		return;
	if (sc_session_read(st->s, st->sample, &err) < 0) {
		snprintf(st->error, sizeof(st->error), "%s", err.msg);
		sctab_stop(st);
		return;
	}
	sc_counts_update(st->counts, st->sample);
	sc_counts_sort(st->counts, st->sort);
	sc_session_cost(st->s, st->sample, st->cost, sizeof(st->cost));
	st->list.n = st->counts->nrows;
	ui_list_clamp(&st->list);
}

/* ---- library calls, the 'L' view: counted only while shown ---- */

static void sclib_stop(struct sctab_state *st)
{
	lc_close(st->lc);
	st->lc = NULL;
	free(st->lc_prev);
	free(st->lc_rate);
	st->lc_prev = NULL;
	st->lc_rate = NULL;
}

static void sclib_start(struct tab_ctx *ctx, struct sctab_state *st)
{
	struct wt_err err;
	struct lc_opts o = {0};
	sclib_stop(st);
	st->lc_error[0] = '\0';
	if (ctx->process_gone)
		return;
	if (lc_open(ctx->pid, &o, &st->lc, &err)) {
		snprintf(st->lc_error, sizeof(st->lc_error), "%s", err.msg);
		return;
	}
	size_t n;
	lc_funcs(st->lc, &n);
	st->lc_prev = calloc(n ? n : 1, sizeof(*st->lc_prev));
	st->lc_rate = calloc(n ? n : 1, sizeof(*st->lc_rate));
	if (!st->lc_prev || !st->lc_rate) {
		snprintf(st->lc_error, sizeof(st->lc_error), "out of memory");
		sclib_stop(st);
		return;
	}
	st->lc_prev_ns = wt_now_ns();
}

static void sclib_read(struct sctab_state *st)
{
	struct wt_err err;
	if (!st->lc || st->paused)
		return;
	if (lc_read(st->lc, &err)) {
		snprintf(st->lc_error, sizeof(st->lc_error), "%s", err.msg);
		sclib_stop(st);
		return;
	}
	uint64_t now = wt_now_ns();
	double dt = (double)(now - st->lc_prev_ns) / 1e9;
	size_t n;
	const struct lc_func *f = lc_funcs(st->lc, &n);
	for (size_t i = 0; i < n; i++) {
		st->lc_rate[i] = dt > 0 ? (double)(f[i].calls - st->lc_prev[i]) / dt : 0;
		st->lc_prev[i] = f[i].calls;
	}
	st->lc_prev_ns = now;
}

static const struct lc_func *sclib_sorted;

static int sclib_cmp(const void *a, const void *b)
{
	const struct lc_func *x = &sclib_sorted[*(const size_t *)a];
	const struct lc_func *y = &sclib_sorted[*(const size_t *)b];
	if (x->calls != y->calls)
		return x->calls > y->calls ? -1 : 1;
	return strcmp(x->name, y->name);
}

static const char *human(double v, char *buf, size_t size);

static void sclib_draw(struct tab_ctx *ctx, struct sctab_state *st, WINDOW *win)
{
	int h, w;
	getmaxyx(win, h, w);
	char buf[512], a[32], b[32];
	int x = ui_put(win, 0, 0, -1, ui_attr(UI_E_LABEL), "Library calls: ");
	if (st->lc) {
		snprintf(buf, sizeof(buf), "%s: %s", lc_backend(st->lc), lc_cost(st->lc));
		ui_put(win, 0, x, w - x, ui_attr(UI_E_VALUE), buf);
	} else {
		ui_put(win, 0, x, w - x, ui_attr(UI_E_DIM), "not counting");
	}
	size_t n = 0;
	const struct lc_func *f = st->lc ? lc_funcs(st->lc, &n) : NULL;
	uint64_t total = 0;
	double rate = 0;
	for (size_t i = 0; i < n; i++) {
		total += f[i].calls;
		rate += st->lc_rate[i];
	}
	snprintf(buf, sizeof(buf),
		 "Imports of the program: %zu probed   Total: %s/s now, %s calls%s", n,
		 human(rate, a, sizeof(a)), human((double)total, b, sizeof(b)),
		 st->paused ? "   [PAUSED]" : "");
	ui_put(win, 1, 0, w, ui_attr(UI_E_VALUE), buf);
	if (st->lc_error[0]) {
		ui_put(win, 3, 2, w - 2, ui_attr(UI_E_ERROR), st->lc_error);
		return;
	}
	snprintf(buf, sizeof(buf), "%-28s %10s %12s %6s  %s", "function", "calls/s", "calls",
		 "share", "library");
	x = ui_put(win, 2, 0, w, ui_attr(UI_E_COLUMN_HEADER), buf);
	ui_fill(win, 2, x, ui_attr(UI_E_COLUMN_HEADER));
	size_t *order = calloc(n ? n : 1, sizeof(*order));
	if (!order)
		return;
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	sclib_sorted = f;
	qsort(order, n, sizeof(*order), sclib_cmp);
	int y = 3;
	for (size_t k = 0; k < n && y < h; k++) {
		const struct lc_func *fn = &f[order[k]];
		if (!fn->calls)
			break;
		char *name = wt_escape(fn->name, strlen(fn->name), 1);
		const char *base = strrchr(fn->lib, '/');
		char *lib =
		    wt_escape(base ? base + 1 : fn->lib, strlen(base ? base + 1 : fn->lib), 1);
		snprintf(buf, sizeof(buf), "%-28s %10s %12llu %5.1f%%  %s", name ? name : "?",
			 human(st->lc_rate[order[k]], a, sizeof(a)), (unsigned long long)fn->calls,
			 total ? 100.0 * (double)fn->calls / (double)total : 0.0, lib ? lib : "?");
		free(name);
		free(lib);
		ui_put(win, y++, 0, w, ui_attr(UI_E_VALUE), buf);
	}
	free(order);
	if (y == 3)
		ui_put(win, 3, 2, -1, ui_attr(UI_E_DIM),
		       st->lc ? "No library calls counted yet." : "Counting is off.");
	(void)ctx;
}

static int sctab_open(struct tab_ctx *ctx, void **state)
{
	struct sctab_state *st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->sample = sc_sample_new();
	st->counts = sc_counts_new();
	if (!st->sample || !st->counts) {
		sc_sample_free(st->sample);
		sc_counts_free(st->counts);
		free(st);
		return -ENOMEM;
	}
	st->log = sclog_new();
	if (!st->log) {
		sc_sample_free(st->sample);
		sc_counts_free(st->counts);
		free(st);
		return -ENOMEM;
	}
	st->log_view = ctx->open_log;
	st->window = 1;
	sc_counts_set_window(st->counts, windows_s[st->window]);
	st->sort = SC_SORT_RATE;
	*state = st;
	return 0;
}

static void sctab_close(struct tab_ctx *ctx, void *state)
{
	struct sctab_state *st = state;
	sctab_stop(st);
	sclib_stop(st);
	sclog_free(st->log);
	sc_sample_free(st->sample);
	sc_counts_free(st->counts);
	free(st);
}

static void sctab_focus(struct tab_ctx *ctx, void *state, bool active)
{
	struct sctab_state *st = state;
	st->active = active;
	if (active && st->log_view)
		sclog_start(st->log, ctx, st->tid);
	else if (active && st->lib_view)
		sclib_start(ctx, st);
	else if (active)
		sctab_start(ctx, st);
	else {
		sctab_stop(st);
		sclib_stop(st);
		sclog_stop(st->log);
	}
}

static int sctab_poll_fd(struct tab_ctx *ctx, void *state)
{
	struct sctab_state *st = state;
	return st->log_view ? sclog_fd(st->log) : -1;
}

static unsigned sctab_on_fd(struct tab_ctx *ctx, void *state, short revents)
{
	struct sctab_state *st = state;
	return st->log_view ? sclog_on_fd(st->log, ctx) : UI_NONE;
}

static unsigned sctab_tick(struct tab_ctx *ctx, void *state)
{
	struct sctab_state *st = state;
	if (!st->active)
		return UI_NONE;
	if (st->log_view)
		return sclog_on_fd(st->log, ctx);
	if (st->lib_view) {
		sclib_read(st); /* (after an exit: the last picture stays) */
		return UI_REDRAW;
	}
	if (ctx->process_gone) {
		sctab_stop(st); /* keep the last picture */
		return UI_REDRAW;
	}
	sctab_read(st);
	return UI_REDRAW;
}

/* 12345 -> "12345", 1234567 -> "1.23M": fits the narrow columns. */
static const char *human(double v, char *buf, size_t size)
{
	if (v < 100000)
		snprintf(buf, size, "%.0f", v);
	else if (v < 1e7)
		snprintf(buf, size, "%.1fk", v / 1e3);
	else if (v < 1e10)
		snprintf(buf, size, "%.2fM", v / 1e6);
	else
		snprintf(buf, size, "%.2fG", v / 1e9);
	return buf;
}

static void sctab_spark(struct tab_ctx *ctx, struct sctab_state *st, WINDOW *win, int y, int w)
{
	static const char *const utf[] = {" ",	    "\u2581", "\u2582", "\u2583", "\u2584",
					  "\u2585", "\u2586", "\u2587", "\u2588"};
	static const char *const ascii[] = {" ", ".", ".", ":", "-", "=", "+", "*", "#"};
	const char *const *lv = MB_CUR_MAX > 1 ? utf : ascii;
	double v[SC_HIST];
	unsigned per_min = ctx->delay_ms ? 60000u / ctx->delay_ms : 60;
	size_t want = per_min < SC_HIST ? per_min : SC_HIST;
	int x0 = ui_put(win, y, 0, -1, ui_attr(UI_E_LABEL), "Last minute: ");
	if ((int)want > w - x0 - 20)
		want = w - x0 - 20 > 0 ? (size_t)(w - x0 - 20) : 0;
	size_t n = sc_counts_spark(st->counts, v, want);
	double max = 0;
	for (size_t i = 0; i < n; i++)
		max = v[i] > max ? v[i] : max;
	int x = x0;
	for (size_t i = 0; i < n; i++) {
		int k = max > 0 ? (int)(v[i] / max * 8.0 + 0.5) : 0;
		if (k == 0 && v[i] > 0)
			k = 1;
		x += ui_put(win, y, x, 1, ui_attr(UI_E_BAR_SYSTEM), lv[k]);
	}
	char buf[64], hb[32];
	snprintf(buf, sizeof(buf), "  max %s/s", human(max, hb, sizeof(hb)));
	ui_put(win, y, x, -1, ui_attr(UI_E_DIM), buf);
}

/*
 * The table's columns. Below 100 columns the narrow widths apply and the
 * total time (0 wide) is left out, so the table fits 80 columns.
 */
enum { C_NAME, C_RATE, C_CALLS, C_ERRS, C_ERRNO, C_TIME, C_AVG, C_SHARE, C_N };
static const struct {
	const char *title;
	int wide, narrow;
	bool left;
	int sort; /* the sc_sort it stands for, or -1 */
} cols[C_N] = {
    {"SYSCALL", 24, 18, true, SC_SORT_NAME},
    {"RATE/s", 10, 9, false, SC_SORT_RATE},
    {"CALLS", 10, 9, false, SC_SORT_CALLS},
    {"ERRORS", 8, 7, false, SC_SORT_ERRORS},
    {"ERRNO", 14, 10, true, -1},
    {"TIME s", 10, 0, false, SC_SORT_TIME},
    {"AVG us", 9, 8, false, SC_SORT_AVG},
    {"%TIME", 6, 6, false, -1},
};

/* One line of cells; attr_of(c) gives each cell's attribute. Returns the columns used. */
static int sctab_cells(WINDOW *win, int y, int w, char v[C_N][48], int attr, int sorted_attr,
		       int sort)
{
	bool narrow = w < 100;
	int x = 0;
	for (int c = 0; c < C_N; c++) {
		int cw = narrow ? cols[c].narrow : cols[c].wide;
		if (!cw)
			continue;
		char cell[64];
		snprintf(cell, sizeof(cell), cols[c].left ? "%-*.*s" : "%*.*s", cw, cw, v[c]);
		if (x)
			x += ui_put(win, y, x, 1, attr, " ");
		x += ui_put(win, y, x, cw, cols[c].sort == sort ? sorted_attr : attr, cell);
	}
	return x;
}

static void sctab_row(void *arg, WINDOW *win, int y, size_t row, bool selected)
{
	struct sctab_state *st = arg;
	const struct sc_row *r = &st->counts->rows[row];
	char v[C_N][48], eb[24];
	memset(v, 0, sizeof(v));
	if (r->abi == SC_ABI_X86_64)
		snprintf(v[C_NAME], sizeof(v[C_NAME]), "%s", r->name);
	else
		snprintf(v[C_NAME], sizeof(v[C_NAME]), "%s:%s", sc_abi_label(r->abi), r->name);
	human(r->rate, v[C_RATE], sizeof(v[C_RATE]));
	human((double)r->calls, v[C_CALLS], sizeof(v[C_CALLS]));
	human((double)r->errors, v[C_ERRS], sizeof(v[C_ERRS]));
	if (r->top_errno)
		snprintf(v[C_ERRNO], sizeof(v[C_ERRNO]), "%s",
			 sc_errno_name(r->top_errno, eb, sizeof(eb)));
	snprintf(v[C_TIME], sizeof(v[C_TIME]), "%.6f", (double)r->time_ns / 1e9);
	snprintf(v[C_AVG], sizeof(v[C_AVG]), "%.1f",
		 r->timed ? (double)r->time_ns / (double)r->timed / 1e3 : 0.0);
	snprintf(v[C_SHARE], sizeof(v[C_SHARE]), "%.1f", r->share * 100.0);
	int attr = selected    ? ui_attr(UI_E_SELECTED)
		   : r->errors ? ui_attr(UI_E_WARNING)
			       : ui_attr(UI_E_NORMAL);
	int x = sctab_cells(win, y, getmaxx(win), v, attr, attr, -2);
	if (selected)
		ui_fill(win, y, x, attr);
}

static void sctab_draw(struct tab_ctx *ctx, void *state, WINDOW *win)
{
	struct sctab_state *st = state;
	int h, w;
	getmaxyx(win, h, w);
	char buf[512], a[32], b[32], c[32];
	const struct sc_counts *cn = st->counts;
	if (st->log_view) {
		sclog_draw(st->log, ctx, win);
		return;
	}
	if (st->lib_view) {
		sclib_draw(ctx, st, win);
		return;
	}

	int x = ui_put(win, 0, 0, -1, ui_attr(UI_E_LABEL), "Backend: ");
	if (st->s) {
		snprintf(buf, sizeof(buf), "%s: %s", sc_session_backend_name(st->s), st->cost);
		ui_put(win, 0, x, w - x, ui_attr(UI_E_VALUE), buf);
	} else {
		ui_put(win, 0, x, w - x, ui_attr(UI_E_DIM), "not counting");
	}
	char who[32] = "all";
	if (st->tid)
		snprintf(who, sizeof(who), "%d", (int)st->tid);
	snprintf(buf, sizeof(buf),
		 "Thread: %s   Window: %.0f s   Sort: %s   Total: %s/s now, %s calls, %s errors",
		 who, windows_s[st->window], sc_sort_name(st->sort),
		 human(cn->total_rate, a, sizeof(a)), human((double)cn->total_calls, b, sizeof(b)),
		 human((double)cn->total_errors, c, sizeof(c)));
	x = ui_put(win, 1, 0, -1, ui_attr(UI_E_VALUE), buf);
	snprintf(buf, sizeof(buf), "   Lost: %llu", (unsigned long long)cn->lost);
	x += ui_put(win, 1, x, -1, cn->lost ? ui_attr(UI_E_ERROR) : ui_attr(UI_E_VALUE), buf);
	if (st->paused)
		ui_put(win, 1, x, -1, ui_attr(UI_E_WARNING), "   [PAUSED]");
	sctab_spark(ctx, st, win, 2, w);

	if (st->error[0]) {
		ui_put(win, 4, 2, w - 2, ui_attr(UI_E_ERROR), st->error);
		return;
	}
	if (ctx->process_gone)
		ui_put(win, h - 1, 0, -1, ui_attr(UI_E_WARNING),
		       "The process has exited; these are its last counts.");

	/* the header, the sorted column standing out */
	char v[C_N][48];
	for (int k = 0; k < C_N; k++)
		snprintf(v[k], sizeof(v[k]), "%s", cols[k].title);
	x = sctab_cells(win, 3, w, v, ui_attr(UI_E_COLUMN_HEADER), ui_attr(UI_E_COLUMN_SORTED),
			(int)st->sort);
	ui_fill(win, 3, x, ui_attr(UI_E_COLUMN_HEADER));

	int rows = h - 4 - (ctx->process_gone ? 1 : 0);
	st->list.n = cn->nrows;
	st->list.height = rows > 0 ? rows : 0;
	ui_list_clamp(&st->list);
	if (!cn->nrows) {
		ui_put(win, 4, 2, -1, ui_attr(UI_E_DIM),
		       st->s ? "No syscalls counted yet." : "Counting is off.");
		return;
	}
	ui_list_draw(&st->list, win, 4, st->list.height, sctab_row, st);
}

/* A menu of "all threads" and each thread: returns the tid (0: all), -1: cancelled. */
static pid_t sctab_pick_thread(struct tab_ctx *ctx, pid_t current)
{
	pid_t *all;
	size_t nall;
	if (proc_threads(ctx->pid, &all, &nall) < 0)
		return -1;
	enum { MAXT = 256 };
	pid_t tids[MAXT];
	char *items[MAXT + 1];
	int n = 0, initial = 0;
	items[n++] = strdup("All threads");
	tids[0] = 0;
	for (size_t j = 0; j < nall && n <= MAXT - 1; j++) {
		long tid = all[j];
		char cp[96], comm[64] = "", safe[128], item[200];
		snprintf(cp, sizeof(cp), "/proc/%d/task/%ld/comm", (int)ctx->pid, tid);
		ssize_t k = wt_read_at(AT_FDCWD, cp, comm, sizeof(comm));
		if (k > 0 && comm[k - 1] == '\n')
			comm[--k] = '\0';
		wt_escape_to(safe, sizeof(safe), comm, k > 0 ? (size_t)k : 0, 0);
		snprintf(item, sizeof(item), "%ld  %s", tid, safe);
		if ((pid_t)tid == current)
			initial = n;
		tids[n] = (pid_t)tid;
		items[n++] = strdup(item);
	}
	free(all);
	int i = ui_dialog_menu("Count which thread?", (const char *const *)items, n, initial);
	for (int k = 0; k < n; k++)
		free(items[k]);
	return i < 0 ? -1 : tids[i];
}

static unsigned sctab_key(struct tab_ctx *ctx, void *state, int key)
{
	struct sctab_state *st = state;
	if (st->log_view && sclog_typing(st->log))
		return sclog_key(st->log, ctx, key); /* letters are the filter's */
	if (key == 'l' && !st->lib_view) {
		st->log_view = !st->log_view;
		if (st->log_view) {
			sctab_stop(st);
			sclog_start(st->log, ctx, st->tid);
			tab_status(ctx, "Live log of calls (l: back to the rates)");
		} else {
			sclog_stop(st->log);
			sctab_start(ctx, st);
		}
		return UI_REDRAW;
	}
	if (key == 'L' && !st->log_view) {
		st->lib_view = !st->lib_view;
		if (st->lib_view) {
			sctab_stop(st);
			sclib_start(ctx, st);
			tab_status(
			    ctx,
			    "Library calls of the program's imports (L: back to the syscalls)");
		} else {
			sclib_stop(st);
			sctab_start(ctx, st);
		}
		return UI_REDRAW;
	}
	if (st->lib_view) {
		if (key == 'p' || key == ' ') {
			st->paused = !st->paused;
			return UI_REDRAW;
		}
		return UI_UNHANDLED;
	}
	if (st->log_view) {
		if (key == 't') {
			pid_t tid = sctab_pick_thread(ctx, st->tid);
			if (tid >= 0 && tid != st->tid) {
				st->tid = tid;
				sclog_start(st->log, ctx, st->tid);
			}
			return UI_REDRAW;
		}
		return sclog_key(st->log, ctx, key);
	}
	switch (key) {
	case 'p':
	case ' ':
		st->paused = !st->paused;
		tab_status(ctx, st->paused ? "Syscalls paused (counting goes on in the background)"
					   : "Syscalls live again");
		return UI_REDRAW;
	case 'r':
		sc_counts_reset(st->counts);
		if (st->s)
			sctab_read(st);
		tab_status(ctx, "Syscall counters reset");
		return UI_REDRAW;
	case 'w':
		st->window = (st->window + 1) % WT_ARRAY_SIZE(windows_s);
		sc_counts_set_window(st->counts, windows_s[st->window]);
		tab_status(ctx, "Rates over the last %.0f s", windows_s[st->window]);
		return UI_REDRAW;
	case 's':
	case '>':
		st->sort = (enum sc_sort)((st->sort + 1) % SC_SORT_N);
		sc_counts_sort(st->counts, st->sort);
		return UI_REDRAW;
	case '<':
		st->sort = (enum sc_sort)((st->sort + SC_SORT_N - 1) % SC_SORT_N);
		sc_counts_sort(st->counts, st->sort);
		return UI_REDRAW;
	case 't': {
		pid_t tid = sctab_pick_thread(ctx, st->tid);
		if (tid >= 0 && tid != st->tid) {
			st->tid = tid;
			sctab_start(ctx, st);
		}
		return UI_REDRAW;
	}
	case 'b':
		st->backend = st->s && sc_session_backend(st->s) == SC_BACKEND_KERNEL
				  ? SC_BACKEND_PTRACE
				  : SC_BACKEND_KERNEL;
		sctab_start(ctx, st);
		if (st->error[0])
			tab_error(ctx, "%s", st->error);
		return UI_REDRAW;
	default:
		return ui_list_key(&st->list, key) ? UI_REDRAW : UI_UNHANDLED;
	}
}

const struct tab_ops tab_syscalls_ops = {
    .name = "Syscalls",
    .open = sctab_open,
    .close = sctab_close,
    .draw = sctab_draw,
    .key = sctab_key,
    .tick = sctab_tick,
    .focus = sctab_focus,
    .poll_fd = sctab_poll_fd,
    .on_fd = sctab_on_fd,
    .help = "l log/rates  L library calls  p pause  r reset  t thread  w window  s/< > sort  b "
	    "backend; "
	    "log: / filter  Enter call  End follow  c clear  k stacks  b backend  i inject",
};
