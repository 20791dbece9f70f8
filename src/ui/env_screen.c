/*
 * env_screen.c: a process's environment (/proc/PID/environ), one escaped
 * NAME=value a line, as htop's `e`. Read once when opened: reading it
 * takes the process's mmap lock, which a task stuck in a page fault can
 * hold for ever (proc.h), and the block rarely changes after exec. `/`
 * (or F3) searches, `n` finds the next match, Esc goes back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/files.h>

#include "ui/env.h"
#include "ui/ui_int.h"
#include "ui/widgets.h"

#define KEY_ESC 27
#define ENV_MIN_W 30
#define ENV_MIN_H 8

struct env_screen {
	struct screen base;
	pid_t pid;
	char comm[64];
	char **vars;
	size_t n;
	bool cut;
	char error[512];
	char search[256];
	struct ui_list list;
	WINDOW *win;
};

static const char *const env_keys_bar[] = {
    "/", "Search  ", "n", "Next  ", "Esc", "Back  ", "F10", "Quit", NULL, NULL,
};

static void env_row(void *arg, WINDOW *win, int y, size_t row, bool selected)
{
	struct env_screen *es = arg;
	const char *v = es->vars[row];
	int attr = ui_attr(UI_E_NORMAL);
	if (selected)
		attr = ui_attr(UI_E_SELECTED);
	else if (es->search[0] && strstr(v, es->search))
		attr = ui_attr(UI_E_MATCH);
	if (selected)
		ui_fill(win, y, 0, attr);
	ui_put(win, y, 1, -1, attr, v);
}

static void env_draw(struct screen *s)
{
	struct env_screen *es = (struct env_screen *)s;
	if (ui_too_small(ENV_MIN_W, ENV_MIN_H) || !es->win)
		return;
	char buf[512];
	int a = ui_attr(UI_E_TITLE);
	ui_fill(stdscr, 0, 0, a);
	snprintf(buf, sizeof(buf), " Environment of process %d (%s)", (int)es->pid, es->comm);
	ui_put(stdscr, 0, 0, -1, a, buf);
	werase(es->win);
	if (es->error[0]) {
		ui_put(stdscr, 1, 1, -1, ui_attr(UI_E_ERROR), es->error);
	} else {
		snprintf(buf, sizeof(buf), "%zu variable%s%s%s%s", es->n, es->n == 1 ? "" : "s",
			 es->cut ? " (more than 4 MiB: the rest is not shown)" : "",
			 es->search[0] ? "   search: " : "", es->search);
		ui_put(stdscr, 1, 1, -1, ui_attr(es->cut ? UI_E_WARNING : UI_E_VALUE), buf);
		if (!es->n)
			ui_put(es->win, 0, 2, -1, ui_attr(UI_E_DIM), "The environment is empty.");
		else
			ui_list_draw(&es->list, es->win, 0, getmaxy(es->win), env_row, es);
	}
	ui_draw_bottom(s->ui, env_keys_bar);
}

/* Select the first variable holding the search text from row from on (wrapping). */
static bool env_find(struct env_screen *es, size_t from)
{
	for (size_t k = 0; k < es->n; k++) {
		size_t i = (from + k) % es->n;
		if (strstr(es->vars[i], es->search)) {
			es->list.sel = i;
			ui_list_clamp(&es->list);
			return true;
		}
	}
	return false;
}

static unsigned env_key(struct screen *s, int key)
{
	struct env_screen *es = (struct env_screen *)s;
	if (ui_list_key(&es->list, key))
		return UI_REDRAW;
	switch (key) {
	case '/':
	case KEY_F(3): {
		char buf[sizeof(es->search)];
		snprintf(buf, sizeof(buf), "%s", es->search);
		if (!ui_dialog_input("Search the environment", "Find:", buf, sizeof(buf))) {
			ui_set_status(s->ui, false, "Search cancelled.");
			return UI_REDRAW;
		}
		/* What is shown is escaped: search for the text as typed, as shown. */
		snprintf(es->search, sizeof(es->search), "%s", buf);
		if (es->search[0] && !env_find(es, es->list.sel))
			ui_set_status(s->ui, true, "No variable holds \"%s\".", es->search);
		return UI_REDRAW;
	}
	case 'n':
		if (es->search[0] && es->n && !env_find(es, es->list.sel + 1))
			ui_set_status(s->ui, true, "No variable holds \"%s\".", es->search);
		return UI_REDRAW;
	case KEY_ESC:
	case 'q':
	case KEY_BACKSPACE:
	case 127:
		return UI_CLOSE;
	default:
		return UI_UNHANDLED;
	}
}

static void env_layout(struct screen *s)
{
	struct env_screen *es = (struct env_screen *)s;
	if (es->win)
		delwin(es->win);
	es->win = NULL;
	if (LINES >= ENV_MIN_H && COLS >= ENV_MIN_W)
		es->win = derwin(stdscr, LINES - 4, COLS, 2, 0);
}

static void env_destroy(struct screen *s)
{
	struct env_screen *es = (struct env_screen *)s;
	proc_environ_free(es->vars, es->n);
	if (es->win)
		delwin(es->win);
	free(es);
}

static const struct screen_ops env_screen_ops = {
    .name = "environment",
    .draw = env_draw,
    .key = env_key,
    .layout = env_layout,
    .destroy = env_destroy,
};

struct screen *env_screen_new(struct ui *ui, pid_t pid)
{
	struct env_screen *es = calloc(1, sizeof(*es));
	if (!es)
		return NULL;
	es->base.ops = &env_screen_ops;
	es->base.ui = ui;
	es->pid = pid;
	const struct proc_task *t = proc_table_find(ui->table, pid);
	snprintf(es->comm, sizeof(es->comm), "%s", t && t->comm ? t->comm : "?");
	struct wt_err err;
	wt_err_clear(&err);
	if (proc_environ_read(pid, &es->vars, &es->n, &es->cut, &err) < 0)
		snprintf(es->error, sizeof(es->error), "%s", err.msg);
	es->list.n = es->n;
	ui_list_clamp(&es->list);
	return &es->base;
}
