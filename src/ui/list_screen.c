/*
 * list_screen.c: the process list, whytop's first screen: the header
 * meters, the column header (click to sort), the rows, the key bar. The
 * selection follows the same task across refreshes (by pid, not by row).
 * Keys that open menus or act on a process live in list_keys.c.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/list.h"

const char *const list_keys_bar[] = {
	"F1", "Help   ", "F3", "Search ", "F4", "Filter ", "F5", "Tree   ", "F6", "SortBy ",
	"F7", "Nice-  ", "F8", "Nice+  ", "F9", "Kill   ", "F10", "Quit", NULL, NULL,
};

static bool task_matches(const struct proc_task *t, const char *text)
{
	if (!*text)
		return true;
	if (t->cmdline && strcasestr(t->cmdline, text))
		return true;
	return t->comm && strcasestr(t->comm, text);
}

/* Rebuild the visible rows after a refresh, re-sort or filter change. */
void list_rebuild(struct list_screen *ls)
{
	struct proc_table *t = ls->base.ui->table;
	size_t n = proc_table_count(t);
	if (n > ls->caprows) {
		size_t *r = realloc(ls->rows, n * sizeof(*r));
		if (!r)
			return;
		ls->rows = r;
		ls->caprows = n;
	}
	ls->nrows = 0;
	size_t sel = (size_t)-1;
	for (size_t i = 0; i < n; i++) {
		const struct proc_task *task = proc_table_get(t, i);
		if (!task_matches(task, ls->filter))
			continue;
		if (task->pid == ls->sel_pid)
			sel = ls->nrows;
		ls->rows[ls->nrows++] = i;
	}
	ls->list.n = ls->nrows;
	if (sel != (size_t)-1) {
		ls->list.sel = sel;
		ui_list_clamp(&ls->list);
		return;
	}
	/*
	 * The selected task is gone (the table lists /proc on every refresh,
	 * so a live task is never missing): keep the row position and follow
	 * the task now in it.
	 */
	ui_list_clamp(&ls->list);
	list_sync_sel(ls);
}

/* Remember which task is selected, so it stays selected after a refresh. */
void list_sync_sel(struct list_screen *ls)
{
	struct proc_task *t = list_selected(ls);
	ls->sel_pid = t ? t->pid : 0;
}

struct proc_task *list_selected(struct list_screen *ls)
{
	if (ls->nrows == 0 || ls->list.sel >= ls->nrows)
		return NULL;
	return proc_table_get(ls->base.ui->table, ls->rows[ls->list.sel]);
}

/* Find text from row start on (wrapping); true and selects it if found. */
bool list_search(struct list_screen *ls, const char *text, size_t start)
{
	for (size_t k = 0; k < ls->nrows; k++) {
		size_t r = (start + k) % ls->nrows;
		if (task_matches(proc_table_get(ls->base.ui->table, ls->rows[r]), text)) {
			ls->list.sel = r;
			ui_list_clamp(&ls->list);
			list_sync_sel(ls);
			return true;
		}
	}
	return false;
}

static int row_attr(const struct proc_task *t, bool selected)
{
	if (selected)
		return ui_attr(UI_E_SELECTED);
	switch (t->state) {
	case 'D':
		return ui_attr(UI_E_STATE_D);
	case 'Z':
		return ui_attr(UI_E_STATE_Z);
	case 'T':
	case 't':
		return ui_attr(UI_E_STATE_T);
	}
	if (t->is_kthread)
		return ui_attr(UI_E_KTHREAD);
	if (t->is_thread)
		return ui_attr(UI_E_THREAD);
	return ui_attr(UI_E_NORMAL);
}

static void draw_row(struct list_screen *ls, int y, const struct proc_task *t, bool selected)
{
	struct ui *ui = ls->base.ui;
	const struct proc_sysinfo *si = proc_table_sysinfo(ui->table);
	int base = row_attr(t, selected);
	int x = 0;
	ui_fill(stdscr, y, 0, base);
	for (size_t i = 0; i < ui->cfg.ncols && x < COLS; i++) {
		enum proc_col c = ui->cfg.cols[i];
		const struct proc_col_info *ci = &proc_columns[c];
		char cell[1024];
		proc_col_format(t, c, si, cell, sizeof(cell));
		int a = base;
		if (!selected && c == PROC_COL_STATE && t->state == 'R')
			a = ui_attr(UI_E_STATE_R);
		if (!selected && c == PROC_COL_STATE && t->state == 'D')
			a = ui_attr(UI_E_STATE_D);
		if (ci->width == 0) {
			/* The last, free-width column: tree branches first. */
			if (ui->cfg.tree && t->depth > 0) {
				char pre[256] = "";
				int d = t->depth - 1 < 60 ? t->depth - 1 : 60;
				for (int k = 0; k < d; k++)
					strcat(pre, "  ");
				strcat(pre, t->last_child ? "`- " : "|- ");
				x += ui_put(stdscr, y, x, -1, selected ? base : ui_attr(UI_E_DIM), pre);
			}
			x += ui_put(stdscr, y, x, -1, a, cell);
			break;
		}
		int len = (int)strlen(cell), pad = ci->width - len;
		if (pad < 0)
			pad = 0;
		ui_put(stdscr, y, x + (ci->right ? pad : 0), ci->width, a, cell);
		x += ci->width + 1;
	}
}

static void draw_col_header(struct list_screen *ls, int y)
{
	struct ui *ui = ls->base.ui;
	int x = 0, a = ui_attr(UI_E_COLUMN_HEADER);
	ui_fill(stdscr, y, 0, a);
	for (size_t i = 0; i < ui->cfg.ncols; i++) {
		enum proc_col c = ui->cfg.cols[i];
		const struct proc_col_info *ci = &proc_columns[c];
		char title[64];
		bool sorted = c == ui->cfg.sort_col;
		snprintf(title, sizeof(title), "%s%s", ci->title,
			 sorted && !ui->cfg.tree ? (ui->cfg.sort_desc ? "v" : "^") : "");
		int w = ci->width ? ci->width : COLS - x;
		int len = (int)strlen(title), pad = w - len > 0 ? w - len : 0;
		ls->col_x[i] = x;
		ui_put(stdscr, y, x + (ci->right ? pad : 0), w,
		       sorted ? ui_attr(UI_E_COLUMN_SORTED) : a, title);
		x += w + 1;
		if (x >= COLS)
			break;
	}
	ls->col_x[ui->cfg.ncols] = COLS;
}

static void draw_bottom(struct list_screen *ls)
{
	struct ui *ui = ls->base.ui;
	int y = LINES - 1;
	if (ls->mode != LIST_NORMAL) {
		bool search = ls->mode == LIST_SEARCH;
		const char *label = search ? "Search: " : "Filter: ";
		int a = ui_attr(UI_E_KEY_LABEL);
		ui_fill(stdscr, y, 0, a);
		int x = ui_put(stdscr, y, 0, -1, ui_attr(UI_E_KEY), label);
		const char *text = search ? ls->search : ls->filter;
		x += ui_put(stdscr, y, x, -1, ui_attr(UI_E_MATCH), text);
		const char *hint = "   Enter: keep  Esc: clear";
		if (search && ls->not_found)
			hint = "   (not found)  F3: next  Enter: done  Esc: cancel";
		else if (search)
			hint = "   F3: next  Enter: done  Esc: cancel";
		ui_put(stdscr, y, x, -1, ls->not_found && search ? ui_attr(UI_E_ERROR) : a, hint);
		return;
	}
	ui_draw_bottom(ui, list_keys_bar);
	if (!ui->status[0] && ls->filter[0]) {
		char f[160];
		snprintf(f, sizeof(f), " [filter: %s] ", ls->filter);
		int w = (int)strlen(f);
		if (w < COLS / 2)
			ui_put(stdscr, y, COLS - w - (ui->paused ? 9 : 0), w, ui_attr(UI_E_MATCH), f);
	}
}

static void list_draw(struct screen *s)
{
	struct list_screen *ls = (struct list_screen *)s;
	struct ui *ui = s->ui;
	const struct proc_sysinfo *si = proc_table_sysinfo(ui->table);
	ls->hdr_h = header_height(ui, si, COLS);
	if (ui_too_small(LIST_MIN_W, ls->hdr_h + 1 + LIST_MIN_ROWS + 1)) {
		ls->list_y0 = -1;
		return;
	}
	header_draw(ui, si, COLS);
	draw_col_header(ls, ls->hdr_h);
	ls->list_y0 = ls->hdr_h + 1;
	int h = LINES - 1 - ls->list_y0;
	ls->list.height = h;
	ui_list_clamp(&ls->list);
	if (ls->nrows == 0) {
		const char *why = "No processes";
		if (ls->filter[0])
			why = "No process matches the filter (Esc clears it)";
		else if (ui->opts.npids)
			why = "None of the processes given with -p is running";
		else if (ui->opts.uid != (uid_t)-1)
			why = "This user has no processes (u: all users)";
		ui_put(stdscr, ls->list_y0 + 1, 2, -1, ui_attr(UI_E_DIM), why);
	}
	for (int i = 0; i < h; i++) {
		size_t r = ls->list.top + (size_t)i;
		if (r >= ls->nrows)
			break;
		draw_row(ls, ls->list_y0 + i, proc_table_get(ui->table, ls->rows[r]),
			 r == ls->list.sel);
	}
	draw_bottom(ls);
}

static unsigned list_tick(struct screen *s)
{
	list_rebuild((struct list_screen *)s);
	return UI_REDRAW;
}

static void list_layout(struct screen *s)
{
	struct list_screen *ls = (struct list_screen *)s;
	const struct proc_sysinfo *si = proc_table_sysinfo(s->ui->table);
	ls->hdr_h = header_height(s->ui, si, COLS);
	ls->list.height = LINES - 2 - ls->hdr_h;
	if (ls->list.height < 1)
		ls->list.height = 1;
	ui_list_clamp(&ls->list);
}

static void list_destroy(struct screen *s)
{
	struct list_screen *ls = (struct list_screen *)s;
	free(ls->rows);
	free(ls);
}

static const struct screen_ops list_ops = {
	.name = "list",
	.draw = list_draw,
	.key = list_key,
	.tick = list_tick,
	.layout = list_layout,
	.destroy = list_destroy,
};

struct screen *list_screen_new(struct ui *ui)
{
	struct list_screen *ls = calloc(1, sizeof(*ls));
	if (!ls)
		return NULL;
	ls->base.ops = &list_ops;
	ls->base.ui = ui;
	ls->list.height = 1;
	return &ls->base;
}
