/*
 * list_screen.c: the process list, whytop's first screen: the header
 * meters, the column header (click to sort), the rows, the key bar. The
 * selection follows the same task across refreshes (by pid, not by row)
 * unless F asked it to stay on its row. Tags and folded subtrees are kept
 * by pid; the rows scroll left and right as one line with their header.
 * Keys that open menus or act on a process live in list_keys.c.
 * With highlight_changes, a process that appeared is drawn in new_task's
 * colours for LIST_NEW_REFRESHES refreshes, and the row of one that exited
 * stays where it was, in dying_task's colours, for LIST_DYING_REFRESHES.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/list.h"

#define LIST_NEW_REFRESHES 3
#define LIST_DYING_REFRESHES 2

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

bool list_pids_has(const struct list_pids *s, pid_t pid)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == pid)
			return true;
	return false;
}

void list_pids_add(struct list_pids *s, pid_t pid)
{
	if (list_pids_has(s, pid))
		return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		pid_t *v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = pid;
}

void list_pids_del(struct list_pids *s, pid_t pid)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == pid) {
			s->v[i] = s->v[--s->n];
			return;
		}
}

/* A task that has exited: not in the table and kill(2) does not know it either. */
static bool task_gone(struct proc_table *t, pid_t pid)
{
	return !proc_table_find(t, pid) && kill(pid, 0) < 0 && errno == ESRCH;
}

/* Tags and folds of processes that exited go with them (the pid may come back as another). */
static void prune_pids(struct proc_table *t, struct list_pids *s)
{
	for (size_t i = 0; i < s->n;)
		if (task_gone(t, s->v[i]))
			s->v[i] = s->v[--s->n];
		else
			i++;
}

static int seen_cmp(const void *a, const void *b)
{
	pid_t x = ((const struct list_seen *)a)->pid, y = ((const struct list_seen *)b)->pid;
	return (x > y) - (x < y);
}

static const struct list_seen *seen_find(const struct list_seen *v, size_t n, pid_t pid)
{
	struct list_seen key = { .pid = pid };
	return n ? bsearch(&key, v, n, sizeof(*v), seen_cmp) : NULL;
}

/* A task drawn last time and gone now leaves its row behind, for a while. */
static void list_add_ghost(struct list_screen *ls, size_t drawn_at, unsigned now)
{
	struct list_ghost *g = realloc(ls->ghosts, (ls->nghosts + 1) * sizeof(*g));
	if (!g)
		return;
	ls->ghosts = g;
	g += ls->nghosts++;
	g->after = drawn_at ? ls->drawn[drawn_at - 1].pid : 0;
	g->died = now;
	g->row = ls->drawn[drawn_at];
}

/* After a refresh: when each task was first seen; the rows of those that exited. */
static void list_track(struct list_screen *ls)
{
	struct ui *ui = ls->base.ui;
	struct proc_table *t = ui->table;
	unsigned now = ui->refreshes;
	size_t n = proc_table_count(t), k = 0;

	ls->seen_refresh = now;
	if (!ui->cfg.highlight) {
		free(ls->seen);
		ls->seen = NULL;
		ls->nseen = 0;
		ls->nghosts = 0;
		ls->seen_any = false;
		return;
	}
	/* Dying rows stay LIST_DYING_REFRESHES refreshes. */
	for (size_t i = 0; i < ls->nghosts; i++)
		if (now - ls->ghosts[i].died < LIST_DYING_REFRESHES)
			ls->ghosts[k++] = ls->ghosts[i];
	ls->nghosts = k;

	struct list_seen *v = malloc((n ? n : 1) * sizeof(*v));
	if (!v)
		return;
	for (size_t i = 0; i < n; i++) {
		pid_t pid = proc_table_get(t, i)->pid;
		const struct list_seen *old = seen_find(ls->seen, ls->nseen, pid);
		v[i].pid = pid;
		v[i].first = old ? old->first : ls->seen_any ? now : 0;
	}
	qsort(v, n, sizeof(*v), seen_cmp);
	for (size_t i = 0; ls->seen_any && i < ls->ndrawn; i++)
		if (!seen_find(v, n, ls->drawn[i].pid) && seen_find(ls->seen, ls->nseen, ls->drawn[i].pid))
			list_add_ghost(ls, i, now);
	free(ls->seen);
	ls->seen = v;
	ls->nseen = n;
	ls->seen_any = true;
}

static bool list_is_new(const struct list_screen *ls, pid_t pid)
{
	const struct list_seen *s = seen_find(ls->seen, ls->nseen, pid);
	return s && s->first && ls->base.ui->refreshes - s->first < LIST_NEW_REFRESHES;
}

/* Dying rows back in place: under the row that was above them. */
static void list_place_ghosts(struct list_screen *ls, size_t *sel)
{
	struct proc_table *t = ls->base.ui->table;
	for (size_t g = 0; g < ls->nghosts; g++) {
		size_t at = 0;
		for (size_t r = 0; ls->ghosts[g].after && r < ls->nrows; r++) {
			size_t idx = ls->rows[r];
			pid_t pid = idx & LIST_GHOST ? ls->ghosts[idx & ~LIST_GHOST].row.pid
						     : proc_table_get(t, idx)->pid;
			if (pid == ls->ghosts[g].after) {
				at = r + 1;
				break;
			}
		}
		if (ls->ghosts[g].after && at == 0)
			continue; /* the row above is gone or filtered out too */
		memmove(&ls->rows[at + 1], &ls->rows[at], (ls->nrows - at) * sizeof(*ls->rows));
		memmove(&ls->hidden[at + 1], &ls->hidden[at], (ls->nrows - at) * sizeof(*ls->hidden));
		ls->rows[at] = LIST_GHOST | g;
		ls->hidden[at] = 0;
		ls->nrows++;
		if (*sel != (size_t)-1 && *sel >= at)
			(*sel)++; /* the selection stays on its task */
	}
}

/*
 * Rebuild the visible rows after a refresh, re-sort or filter change. In
 * the tree view the rows under a folded one are left out (the table is in
 * tree order: a subtree is the run of deeper rows after its root) and
 * counted in hidden[].
 */
void list_rebuild(struct list_screen *ls)
{
	struct ui *ui = ls->base.ui;
	struct proc_table *t = ui->table;
	if (ui->refreshes != ls->seen_refresh)
		list_track(ls);
	size_t n = proc_table_count(t), cap = n + ls->nghosts;
	if (cap > ls->caprows) {
		size_t *r = realloc(ls->rows, cap * sizeof(*r));
		if (!r)
			return;
		ls->rows = r;
		size_t *h = realloc(ls->hidden, cap * sizeof(*h));
		if (!h)
			return;
		ls->hidden = h;
		ls->caprows = cap;
	}
	prune_pids(t, &ls->tags);
	prune_pids(t, &ls->folds);
	ls->nrows = 0;
	size_t sel = (size_t)-1;
	int fold_depth = -1; /* skipping the rows deeper than this */
	size_t folded = 0;   /* the row they are hidden under */
	for (size_t i = 0; i < n; i++) {
		const struct proc_task *task = proc_table_get(t, i);
		if (fold_depth >= 0) {
			if (task->depth > fold_depth) {
				ls->hidden[folded]++;
				continue;
			}
			fold_depth = -1;
		}
		if (!task_matches(task, ls->filter))
			continue;
		if (task->pid == ls->sel_pid)
			sel = ls->nrows;
		ls->hidden[ls->nrows] = 0;
		if (ui->cfg.tree && ls->folds.n && list_pids_has(&ls->folds, task->pid)) {
			fold_depth = task->depth;
			folded = ls->nrows;
		}
		ls->rows[ls->nrows++] = i;
	}
	list_place_ghosts(ls, &sel);
	ls->list.n = ls->nrows;
	if (sel != (size_t)-1 && !ls->stay_on_row) {
		ls->list.sel = sel;
		ui_list_clamp(&ls->list);
		return;
	}
	/*
	 * The selected task is not shown, or F asked the selection to stay on
	 * its row: keep the row position and follow the task now in it. When
	 * the followed process has exited, say so.
	 */
	if (sel == (size_t)-1 && !ls->stay_on_row && ls->sel_chosen && ls->sel_pid > 0 &&
	    task_gone(t, ls->sel_pid)) {
		/* Not over a message not yet read ("Sent SIGKILL to ..." says it already). */
		if (!ui->status[0])
			ui_set_status(ui, false,
				      "The followed process %d has exited: the selection moved to "
				      "the row in its place",
				      (int)ls->sel_pid);
		ls->sel_chosen = false; /* the next one was not chosen */
	}
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
	if (ls->nrows == 0 || ls->list.sel >= ls->nrows || (ls->rows[ls->list.sel] & LIST_GHOST))
		return NULL;
	return proc_table_get(ls->base.ui->table, ls->rows[ls->list.sel]);
}

/* Find text from row start on (wrapping); true and selects it if found. */
bool list_search(struct list_screen *ls, const char *text, size_t start)
{
	for (size_t k = 0; k < ls->nrows; k++) {
		size_t r = (start + k) % ls->nrows;
		if (ls->rows[r] & LIST_GHOST)
			continue;
		if (task_matches(proc_table_get(ls->base.ui->table, ls->rows[r]), text)) {
			ls->list.sel = r;
			ls->sel_chosen = true;
			ui_list_clamp(&ls->list);
			list_sync_sel(ls);
			return true;
		}
	}
	return false;
}

static int row_attr(const struct proc_task *t, bool selected, bool is_new)
{
	if (selected)
		return ui_attr(UI_E_SELECTED);
	switch (t->state) {
	case 'D':
		return ui_attr(UI_E_STATE_D);
	}
	if (is_new)
		return ui_attr(UI_E_NEW_TASK);
	switch (t->state) {
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

/* "/usr/bin/python3 -m x" -> "python3 -m x": the path of the program only. */
static void command_basename(char *cell)
{
	size_t first = strcspn(cell, " ");
	char *slash = NULL;
	for (char *p = cell; p < cell + first; p++)
		if (*p == '/')
			slash = p;
	if (slash && slash + 1 < cell + first)
		memmove(cell, slash + 1, strlen(slash + 1) + 1);
}

/*
 * ui_put at column vx of the whole line, which is scrolled hscroll columns
 * to the left (Left / Right): the part left of the screen is skipped.
 * Returns the columns s takes in the line (maxw at most when maxw >= 0).
 */
static int hput(struct list_screen *ls, int y, int vx, int maxw, int attr, const char *s)
{
	int w = ui_text_width(s, strlen(s));
	if (maxw >= 0 && w > maxw)
		w = maxw;
	int x = vx - ls->hscroll;
	if (x >= COLS || x + w <= 0)
		return w;
	int skip = 0;
	while (x + skip < 0 && *s) {
		size_t k = 1;
		while (s[k] && (s[k] & 0xc0) == 0x80)
			k++;
		skip += ui_text_width(s, k);
		s += k;
	}
	if (maxw >= 0)
		maxw -= skip;
	if (maxw != 0)
		ui_put(stdscr, y, x + skip, maxw, attr, s);
	return w;
}

static void draw_row(struct list_screen *ls, int y, size_t row, bool selected)
{
	struct ui *ui = ls->base.ui;
	const struct proc_task *t = proc_table_get(ui->table, ls->rows[row]);
	const struct proc_sysinfo *si = proc_table_sysinfo(ui->table);
	bool tagged = ls->tags.n && list_pids_has(&ls->tags, t->pid);
	/* Tagged rows: the match colour, and a mark that needs no colour (below). */
	int base = tagged && !selected ? ui_attr(UI_E_MATCH)
				       : row_attr(t, selected,
						  ui->cfg.highlight && list_is_new(ls, t->pid));
	int x = 0;
	ui_fill(stdscr, y, 0, base);
	for (size_t i = 0; i < ui->cfg.ncols; i++) {
		enum proc_col c = ui->cfg.cols[i];
		const struct proc_col_info *ci = &proc_columns[c];
		char cell[1024];
		proc_col_format(t, c, si, cell, sizeof(cell));
		if (c == PROC_COL_COMMAND && ui->cfg.basename && !t->is_kthread)
			command_basename(cell);
		int a = base;
		if (!selected && !tagged && c == PROC_COL_STATE && t->state == 'R')
			a = ui_attr(UI_E_STATE_R);
		if (!selected && !tagged && c == PROC_COL_STATE && t->state == 'D')
			a = ui_attr(UI_E_STATE_D);
		/* htop shows a program whose file is gone in red (known with an exe column) */
		if (!selected && c == PROC_COL_COMMAND && proc_task_exe_mark(t)[0])
			a = ui_attr(UI_E_ERROR);
		if (ci->width == 0) {
			/* The last, free-width column: tag mark, tree branches, fold count. */
			if (tagged)
				x += hput(ls, y, x, -1, base, "* ");
			if (ui->cfg.tree && t->depth > 0) {
				char pre[256] = "";
				int d = t->depth - 1 < 60 ? t->depth - 1 : 60;
				for (int k = 0; k < d; k++)
					strcat(pre, "  ");
				strcat(pre, t->last_child ? "`- " : "|- ");
				x += hput(ls, y, x, -1, selected || tagged ? base : ui_attr(UI_E_DIM), pre);
			}
			if (ls->hidden[row]) {
				char fold[32];
				snprintf(fold, sizeof(fold), "[+%zu] ", ls->hidden[row]);
				x += hput(ls, y, x, -1, selected || tagged ? base : ui_attr(UI_E_DIM),
					  fold);
			}
			x += hput(ls, y, x, -1, a, cell);
			break;
		}
		int len = (int)strlen(cell), pad = ci->width - len;
		if (pad < 0)
			pad = 0;
		hput(ls, y, x + (ci->right ? pad : 0), ci->width - (ci->right ? pad : 0), a, cell);
		x += ci->width + 1;
	}
	if (x > ls->line_w)
		ls->line_w = x;
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
		int w = ci->width ? ci->width : COLS + ls->hscroll - x;
		int len = (int)strlen(title), pad = w - len > 0 ? w - len : 0;
		ls->col_x[i] = x - ls->hscroll;
		hput(ls, y, x + (ci->right ? pad : 0), w - (ci->right ? pad : 0),
		     sorted ? ui_attr(UI_E_COLUMN_SORTED) : a, title);
		x += w + 1;
		if (x - ls->hscroll >= COLS)
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
	if (ui->status[0])
		return;
	/* At the right end: the filter, the tags, and what the selection follows (F). */
	char f[256];
	int n = 0;
	if (ls->filter[0])
		n += snprintf(f + n, sizeof(f) - (size_t)n, " [filter: %.128s]", ls->filter);
	if (ls->tags.n)
		n += snprintf(f + n, sizeof(f) - (size_t)n, " [%zu tagged]", ls->tags.n);
	snprintf(f + n, sizeof(f) - (size_t)n, " [%s] ",
		 ls->stay_on_row ? "F: stays on the row" : "F: follows the process");
	int w = (int)strlen(f);
	const char *shown = f;
	/* A long filter gives way: what F does stays on the bar. */
	if (w >= COLS / 2 && ls->filter[0]) {
		shown = strrchr(f, '[') - 1;
		w = (int)strlen(shown);
	}
	if (w < COLS / 2)
		ui_put(stdscr, y, COLS - w - (ui->paused ? 9 : 0), w, ui_attr(UI_E_MATCH), shown);
}

/* What row y shows now, kept for when its task exits (highlight_changes). */
static void list_note_drawn(struct list_screen *ls, int y, pid_t pid)
{
	if (!ls->base.ui->cfg.highlight)
		return;
	if (ls->ndrawn == ls->capdrawn) {
		size_t cap = ls->capdrawn ? ls->capdrawn * 2 : 64;
		struct list_drawn *d = realloc(ls->drawn, cap * sizeof(*d));
		if (!d)
			return;
		ls->drawn = d;
		ls->capdrawn = cap;
	}
	struct list_drawn *d = &ls->drawn[ls->ndrawn++];
	d->pid = pid;
	/* At most that many bytes (ncursesw turns the cells back into UTF-8). */
	if (mvinnstr(y, 0, d->text, (int)sizeof(d->text) - 1) == ERR)
		d->text[0] = '\0';
	/* Trailing blanks would only be filled again. */
	size_t l = strlen(d->text);
	while (l && d->text[l - 1] == ' ')
		d->text[--l] = '\0';
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
	ls->line_w = 0;
	ls->ndrawn = 0;
	for (int i = 0; i < h; i++) {
		size_t r = ls->list.top + (size_t)i;
		if (r >= ls->nrows)
			break;
		size_t idx = ls->rows[r];
		if (idx & LIST_GHOST) {
			int a = ui_attr(r == ls->list.sel ? UI_E_SELECTED : UI_E_DYING_TASK);
			ui_fill(stdscr, ls->list_y0 + i, 0, a);
			ui_put(stdscr, ls->list_y0 + i, 0, COLS, a, ls->ghosts[idx & ~LIST_GHOST].row.text);
			continue;
		}
		draw_row(ls, ls->list_y0 + i, r, r == ls->list.sel);
		list_note_drawn(ls, ls->list_y0 + i, proc_table_get(ui->table, idx)->pid);
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
	free(ls->hidden);
	free(ls->tags.v);
	free(ls->folds.v);
	free(ls->seen);
	free(ls->drawn);
	free(ls->ghosts);
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
