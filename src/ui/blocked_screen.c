/*
 * blocked_screen.c: the system-wide blocked view in the terminal UI: every
 * task in D state, grouped by the kernel frame it waits in (as 'whytop
 * blocked' prints it), refreshed live with how long each has been blocked.
 * Reached with B from the process list or 'whytop --blocked'. Enter on a
 * task opens its process screen on the Kernel tab. With -p, only those
 * processes' tasks are shown (the whole system is still scanned).
 *
 * The scan runs on a kwatch worker thread, like the Kernel tab's reads.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/kernel.h>

#include "ui/kernel_lines.h"
#include "ui/tab.h"
#include "ui/ui_int.h"

#define KEY_ESC 27
#define BLOCKED_MIN_W 40
#define BLOCKED_MIN_H 8

struct blocked_screen {
	struct screen base;
	struct kernel_watch *watch;
	struct kernel_blocked *bl;
	struct kernel_lines lines;
	struct ui_list list;
	WINDOW *win;
	char error[512];
	bool have;
	size_t shown; /* tasks listed (after -p) */
};

static const char *const blocked_keys_bar[] = {
	"Enter", "Kernel tab  ", "Esc", "Back  ", "C", "Theme  ", "F10", "Quit", NULL, NULL,
};

/* -p limits the list to some processes: the blocked view follows it. */
static bool bs_wanted(const struct blocked_screen *bs, pid_t pid)
{
	const struct proc_table_opts *o = &bs->base.ui->opts;
	if (!o->npids)
		return true;
	for (size_t i = 0; i < o->npids; i++)
		if (o->pids[i] == pid)
			return true;
	return false;
}

static void bs_build(struct blocked_screen *bs)
{
	pid_t sel_pid = bs->list.n ? bs->lines.l[bs->list.sel].pid : 0;
	klines_clear(&bs->lines);
	const struct kernel_blocked *bl = bs->bl;
	bs->shown = 0;
	for (size_t i = 0; i < bl->ngroups; i++) {
		const struct kernel_blocked_group *g = &bl->groups[i];
		size_t n = 0;
		for (size_t j = 0; j < g->ntasks; j++)
			n += bs_wanted(bs, g->tasks[j].pid);
		if (!n)
			continue;
		char head[512];
		snprintf(head, sizeof(head), "%zu blocked in %s%s", n, g->key,
			 g->from_stack ? "" : "  (from wchan: no kernel stack)");
		if (bs->lines.n)
			klines_add(&bs->lines, 0, UI_E_NORMAL, NULL, 0, UI_E_NORMAL, NULL, 0);
		klines_add(&bs->lines, 1, UI_E_STATE_D, head, 0, UI_E_NORMAL, NULL, 0);
		bs->shown += n;
		for (size_t j = 0; j < g->ntasks; j++) {
			const struct kernel_blocked_task *t = &g->tasks[j];
			if (!bs_wanted(bs, t->pid))
				continue;
			char who[512];
			snprintf(who, sizeof(who), "process %d %s%s%s", (int)t->pid, t->pcomm,
				 t->t.sc.file ? " on " : "", t->t.sc.file ? t->t.sc.file : "");
			klines_add(&bs->lines, 3, UI_E_TITLE, who, 0, UI_E_NORMAL, NULL, t->pid);
			klines_thread(&bs->lines, &t->t, 5, t->pid);
		}
	}
	bs->list.n = bs->lines.n;
	/* Keep the selection on the same process across refreshes. */
	for (size_t i = 0; sel_pid && i < bs->lines.n; i++)
		if (bs->lines.l[i].pid == sel_pid) {
			bs->list.sel = i;
			break;
		}
	ui_list_clamp(&bs->list);
}

static void bs_row(void *arg, WINDOW *win, int y, size_t row, bool selected)
{
	struct blocked_screen *bs = arg;
	/* A task's lines are highlighted together: they are one choice. */
	pid_t sel = bs->lines.l[bs->list.sel].pid;
	klines_draw_line(&bs->lines, row, win, y, selected || (sel && bs->lines.l[row].pid == sel));
}

static void bs_draw(struct screen *s)
{
	struct blocked_screen *bs = (struct blocked_screen *)s;
	struct ui *ui = s->ui;
	if (ui_too_small(BLOCKED_MIN_W, BLOCKED_MIN_H) || !bs->win)
		return;
	int a = ui_attr(UI_E_TITLE);
	ui_fill(stdscr, 0, 0, a);
	ui_put(stdscr, 0, 0, -1, a,
	       " Blocked tasks: every task in D state, grouped by the kernel frame it waits in");
	char buf[600];
	werase(bs->win);
	if (!bs->have) {
		ui_put(stdscr, 1, 1, -1, ui_attr(bs->error[0] ? UI_E_ERROR : UI_E_DIM),
		       bs->error[0] ? bs->error : "Scanning every task...");
	} else {
		if (ui->opts.npids)
			snprintf(buf, sizeof(buf),
				 "%zu task%s in D of the -p processes (%zu in the "
				 "system, %zu scanned)",
				 bs->shown, bs->shown == 1 ? "" : "s", bs->bl->ntasks,
				 bs->bl->nscanned);
		else
			snprintf(buf, sizeof(buf), "%zu task%s in D of %zu scanned", bs->bl->ntasks,
				 bs->bl->ntasks == 1 ? "" : "s", bs->bl->nscanned);
		int x = ui_put(stdscr, 1, 1, -1,
			       ui_attr(bs->bl->ntasks ? UI_E_STATE_D : UI_E_VALUE), buf);
		uint64_t slow;
		if (kernel_watch_stuck(bs->watch, &slow) && slow > 1000000000ull) {
			char dur[32];
			snprintf(buf, sizeof(buf),
				 "  (this scan has taken %s; showing the last one)",
				 kernel_duration_format(slow, dur, sizeof(dur)));
			ui_put(stdscr, 1, 1 + x, -1, ui_attr(UI_E_WARNING), buf);
		} else if (bs->bl->note) {
			snprintf(buf, sizeof(buf), "  %s", bs->bl->note);
			ui_put(stdscr, 1, 1 + x, -1, ui_attr(UI_E_WARNING), buf);
		}
		if (bs->lines.width != getmaxx(bs->win)) {
			bs->lines.width = getmaxx(bs->win);
			bs_build(bs);
		}
		if (bs->shown == 0)
			ui_put(bs->win, 1, 2, -1, ui_attr(UI_E_DIM),
			       "No task is in uninterruptible sleep right now.");
		else
			ui_list_draw(&bs->list, bs->win, 0, getmaxy(bs->win), bs_row, bs);
	}
	ui_draw_bottom(ui, blocked_keys_bar);
}

/* The Kernel tab's key on the process screen (its number on the tab bar). */
static int bs_kernel_tab_key(void)
{
	for (int i = 0; tab_table[i] && i < 9; i++)
		if (strcmp(tab_table[i]->name, "Kernel") == 0)
			return '1' + i;
	return 0;
}

static unsigned bs_key(struct screen *s, int key)
{
	struct blocked_screen *bs = (struct blocked_screen *)s;
	if (ui_list_key(&bs->list, key))
		return UI_REDRAW;
	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER: {
		if (!bs->list.n)
			return UI_NONE;
		pid_t pid = bs->lines.l[bs->list.sel].pid;
		if (!pid)
			return UI_NONE;
		ui_push(s->ui, proc_screen_new(s->ui, pid));
		/*
		 * The process screen has no "open on tab" entry: feed it the
		 * Kernel tab's key, which the loop reads next, as if typed.
		 */
		int k = bs_kernel_tab_key();
		if (k)
			ungetch(k);
		return UI_RELAYOUT | UI_REDRAW;
	}
	case KEY_ESC:
	case 'q':
	case KEY_BACKSPACE:
	case 127:
		return UI_CLOSE;
	default:
		return UI_UNHANDLED;
	}
}

static unsigned bs_tick(struct screen *s)
{
	struct blocked_screen *bs = (struct blocked_screen *)s;
	kernel_watch_request(bs->watch);
	return UI_REDRAW;
}

static void bs_layout(struct screen *s)
{
	struct blocked_screen *bs = (struct blocked_screen *)s;
	if (bs->win)
		delwin(bs->win);
	bs->win = NULL;
	if (LINES >= BLOCKED_MIN_H && COLS >= BLOCKED_MIN_W)
		bs->win = derwin(stdscr, LINES - 4, COLS, 3, 0);
}

static void bs_destroy(struct screen *s)
{
	struct blocked_screen *bs = (struct blocked_screen *)s;
	kernel_watch_free(bs->watch);
	kernel_blocked_free(bs->bl);
	klines_free(&bs->lines);
	if (bs->win)
		delwin(bs->win);
	free(bs);
}

static int bs_fds(struct screen *s, struct pollfd *pfd, int max)
{
	struct blocked_screen *bs = (struct blocked_screen *)s;
	if (max < 1)
		return 0;
	pfd[0] = (struct pollfd){.fd = kernel_watch_fd(bs->watch), .events = POLLIN};
	return 1;
}

static unsigned bs_fd_ready(struct screen *s, int fd, short revents)
{
	struct blocked_screen *bs = (struct blocked_screen *)s;
	struct kernel_blocked *bl = NULL;
	struct wt_err err;
	int rc = kernel_watch_take(bs->watch, NULL, &bl, &err);
	if (rc == -EAGAIN)
		return UI_NONE;
	if (rc < 0) {
		snprintf(bs->error, sizeof(bs->error), "%s", err.msg);
		return UI_REDRAW;
	}
	kernel_blocked_free(bs->bl);
	bs->bl = bl;
	bs->have = true;
	bs_build(bs);
	return UI_REDRAW;
}

static const struct screen_ops blocked_screen_ops = {
	.name = "blocked",
	.draw = bs_draw,
	.key = bs_key,
	.tick = bs_tick,
	.layout = bs_layout,
	.destroy = bs_destroy,
	.fds = bs_fds,
	.fd_ready = bs_fd_ready,
};

struct screen *blocked_screen_new(struct ui *ui)
{
	struct blocked_screen *bs = calloc(1, sizeof(*bs));
	if (!bs)
		return NULL;
	bs->base.ops = &blocked_screen_ops;
	bs->base.ui = ui;
	bs->watch = kernel_watch_new(KWATCH_BLOCKED, 0);
	if (!bs->watch) {
		free(bs);
		return NULL;
	}
	kernel_watch_request(bs->watch);
	return &bs->base;
}
