/*
 * list_keys.c: what the keys and the mouse do on the process list: move,
 * sort (F6 menu, P M T N, I, < >, click on a column), search (/ F3),
 * filter (\ F4), tree (t F5), user filter (u), threads (H), kernel
 * threads (K), kill (k F9), renice (F7 F8), help (h ? F1), open (Enter),
 * quit (q F10). Every handler returns reaction flags for the loop.
 */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "ui/blocked.h"
#include "ui/list.h"
#include "ui/setup.h"

#define KEY_ESC 27

static const char help_text[] =
	"Arrows PgUp PgDn Home End   move          Enter      open the process's screen\n"
	"F3 /    search (F3 again: next)           F4 \\       filter by command\n"
	"F5 t    tree view                         F6         sort by a column\n"
	"P M T N sort by CPU, MEM, TIME, PID       I          invert the sort order\n"
	"< >     sort by the previous / next column; a click on a column header sorts too\n"
	"u       only one user's processes         H          show threads\n"
	"K       hide kernel threads               Z          pause / resume refreshing\n"
	"F7 ]    nice - (more priority)            F8 [       nice + (less priority)\n"
	"F9 k    send a signal                     C          next colour theme\n"
	"F1 h ?  this help                         F10 q      quit\n"
	"F2 S    setup: meters, columns, display options, colours (saved on quit)\n"
	"B       blocked tasks: every D task, grouped by the kernel frame it waits in\n"
	"s       the selected process's live log of system calls (as strace)\n"
	"Mouse: a click selects, the wheel scrolls. Ctrl-L redraws.\n"
	"D-state tasks (uninterruptible wait) are highlighted; the header counts them.";

static void set_sort(struct ui *ui, enum proc_col c)
{
	if (ui->cfg.sort_col == c) {
		ui->cfg.sort_desc = !ui->cfg.sort_desc;
	} else {
		ui->cfg.sort_col = c;
		ui->cfg.sort_desc = proc_columns[c].desc_default;
	}
}

static unsigned resort(struct list_screen *ls)
{
	ui_resort(ls->base.ui);
	list_rebuild(ls);
	return UI_REDRAW;
}

static unsigned sort_menu(struct list_screen *ls)
{
	struct ui *ui = ls->base.ui;
	const char *items[PROC_COL_COUNT];
	for (int i = 0; i < PROC_COL_COUNT; i++)
		items[i] = proc_columns[i].title;
	int c = ui_dialog_menu("Sort by", items, PROC_COL_COUNT, (int)ui->cfg.sort_col);
	if (c < 0)
		return UI_REDRAW;
	ui->cfg.sort_col = (enum proc_col)c;
	ui->cfg.sort_desc = proc_columns[c].desc_default;
	/* A column that is not shown may need a file the refresh does not read yet. */
	return resort(ls) | UI_RESCAN;
}

static const struct {
	int sig;
	const char *name;
} signals[] = {
	{ SIGTERM, "15 SIGTERM" }, { SIGKILL, " 9 SIGKILL" }, { SIGHUP, " 1 SIGHUP" },
	{ SIGINT, " 2 SIGINT" },   { SIGQUIT, " 3 SIGQUIT" }, { SIGUSR1, "10 SIGUSR1" },
	{ SIGUSR2, "12 SIGUSR2" }, { SIGSTOP, "19 SIGSTOP" }, { SIGCONT, "18 SIGCONT" },
	{ SIGTSTP, "20 SIGTSTP" }, { SIGALRM, "14 SIGALRM" }, { SIGABRT, " 6 SIGABRT" },
};

static unsigned kill_menu(struct list_screen *ls)
{
	struct ui *ui = ls->base.ui;
	struct proc_task *t = list_selected(ls);
	if (!t)
		return UI_REDRAW;
	pid_t pid = t->pid;
	char title[96];
	snprintf(title, sizeof(title), "Send signal to %d", (int)pid);
	const char *items[WT_ARRAY_SIZE(signals)];
	for (size_t i = 0; i < WT_ARRAY_SIZE(signals); i++)
		items[i] = signals[i].name;
	int c = ui_dialog_menu(title, items, (int)WT_ARRAY_SIZE(signals), 0);
	if (c < 0)
		return UI_REDRAW;
	if (kill(pid, signals[c].sig) < 0)
		ui_set_status(ui, true, "Cannot send %s to %d: %s%s", signals[c].name + 3, (int)pid,
			      strerror(errno), errno == EPERM ? " (run as root or as its owner)" : "");
	else
		ui_set_status(ui, false, "Sent %s to %d", signals[c].name + 3, (int)pid);
	return UI_RESCAN | UI_REDRAW;
}

static unsigned renice(struct list_screen *ls, int delta)
{
	struct ui *ui = ls->base.ui;
	struct proc_task *t = list_selected(ls);
	if (!t)
		return UI_REDRAW;
	errno = 0;
	int cur = getpriority(PRIO_PROCESS, (id_t)t->pid);
	if (cur == -1 && errno) {
		ui_set_status(ui, true, "Cannot read the nice value of %d: %s", (int)t->pid,
			      strerror(errno));
		return UI_REDRAW;
	}
	int want = cur + delta;
	if (want < -20 || want > 19)
		return UI_REDRAW;
	if (setpriority(PRIO_PROCESS, (id_t)t->pid, want) < 0)
		ui_set_status(ui, true, "Cannot renice %d to %d: %s%s", (int)t->pid, want,
			      strerror(errno),
			      errno == EACCES || errno == EPERM ? " (lowering nice needs root)" : "");
	else
		ui_set_status(ui, false, "Nice of %d is now %d", (int)t->pid, want);
	return UI_RESCAN | UI_REDRAW;
}

static unsigned user_menu(struct list_screen *ls)
{
	struct ui *ui = ls->base.ui;
	size_t n = proc_table_count(ui->table), nu = 1;
	const char **names = calloc(n + 1, sizeof(*names));
	uid_t *uids = calloc(n + 1, sizeof(*uids));
	if (!names || !uids) {
		free(names);
		free(uids);
		return UI_REDRAW;
	}
	names[0] = "All users";
	uids[0] = (uid_t)-1;
	for (size_t i = 0; i < n; i++) {
		const struct proc_task *t = proc_table_get(ui->table, i);
		if (!(t->known & PROC_KNOWN_USER) || !t->user)
			continue;
		bool seen = false;
		for (size_t j = 1; j < nu && !seen; j++)
			seen = uids[j] == t->uid;
		if (seen)
			continue;
		/* Insert in name order. */
		size_t at = nu;
		while (at > 1 && strcmp(names[at - 1], t->user) > 0) {
			names[at] = names[at - 1];
			uids[at] = uids[at - 1];
			at--;
		}
		names[at] = t->user;
		uids[at] = t->uid;
		nu++;
	}
	int init = 0;
	for (size_t j = 0; j < nu; j++)
		if (uids[j] == ui->opts.uid)
			init = (int)j;
	int c = ui_dialog_menu("Show processes of", names, (int)nu, init);
	unsigned r = UI_REDRAW;
	if (c >= 0) {
		ui->opts.uid = uids[c];
		r |= UI_RESCAN;
	}
	free(names);
	free(uids);
	return r;
}

static unsigned open_selected(struct list_screen *ls, bool log)
{
	struct proc_task *t = list_selected(ls);
	if (!t)
		return UI_REDRAW;
	pid_t pid = t->tgid ? t->tgid : t->pid;
	ui_push(ls->base.ui,
		log ? proc_screen_new_log(ls->base.ui, pid) : proc_screen_new(ls->base.ui, pid));
	return UI_RELAYOUT | UI_REDRAW;
}

/* Typing in the search or filter line. */
static unsigned line_key(struct list_screen *ls, int key)
{
	bool search = ls->mode == LIST_SEARCH;
	char *buf = search ? ls->search : ls->filter;
	size_t len = strlen(buf), cap = sizeof(ls->search);
	switch (key) {
	case KEY_ESC:
		if (!search)
			buf[0] = '\0';
		ls->mode = LIST_NORMAL;
		ls->not_found = false;
		if (!search)
			list_rebuild(ls);
		return UI_REDRAW;
	case '\n':
	case '\r':
	case KEY_ENTER:
		ls->mode = LIST_NORMAL;
		ls->not_found = false;
		return UI_REDRAW;
	case KEY_F(3):
		if (search && ls->nrows)
			ls->not_found = !list_search(ls, buf, ls->list.sel + 1);
		return UI_REDRAW;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		while (len > 0 && (buf[len - 1] & 0xc0) == 0x80)
			buf[--len] = '\0';
		if (len > 0)
			buf[--len] = '\0';
		break;
	default:
		if (key >= 32 && key < 256 && len + 1 < cap) {
			buf[len] = (char)key;
			buf[len + 1] = '\0';
			break;
		}
		/* Movement keys end the line and act as usual. */
		ls->mode = LIST_NORMAL;
		ls->not_found = false;
		return list_key(&ls->base, key);
	}
	if (search)
		ls->not_found = *buf && !list_search(ls, buf, ls->list.sel);
	else
		list_rebuild(ls);
	return UI_REDRAW;
}

static unsigned mouse_key(struct list_screen *ls)
{
	struct ui *ui = ls->base.ui;
	MEVENT *m = &ui->mouse;
	if (m->bstate & BUTTON4_PRESSED) {
		for (int i = 0; i < 3; i++)
			ui_list_key(&ls->list, KEY_UP);
		list_sync_sel(ls);
		return UI_REDRAW;
	}
#ifdef BUTTON5_PRESSED
	if (m->bstate & BUTTON5_PRESSED) {
		for (int i = 0; i < 3; i++)
			ui_list_key(&ls->list, KEY_DOWN);
		list_sync_sel(ls);
		return UI_REDRAW;
	}
#endif
	if (!(m->bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED)))
		return UI_NONE;
	if (ls->list_y0 < 0)
		return UI_NONE;
	if (m->y == ls->list_y0 - 1) {
		for (size_t i = 0; i < ui->cfg.ncols; i++)
			if (m->x >= ls->col_x[i] && m->x < ls->col_x[i + 1]) {
				set_sort(ui, ui->cfg.cols[i]);
				return resort(ls);
			}
		return UI_NONE;
	}
	if (m->y >= ls->list_y0 && m->y < LINES - 1) {
		size_t r = ls->list.top + (size_t)(m->y - ls->list_y0);
		if (r < ls->nrows) {
			ls->list.sel = r;
			list_sync_sel(ls);
			if (m->bstate & BUTTON1_DOUBLE_CLICKED)
				return open_selected(ls, false);
		}
		return UI_REDRAW;
	}
	return UI_NONE;
}

static unsigned sort_step(struct list_screen *ls, int dir)
{
	struct ui *ui = ls->base.ui;
	size_t at = 0;
	for (size_t i = 0; i < ui->cfg.ncols; i++)
		if (ui->cfg.cols[i] == ui->cfg.sort_col)
			at = i;
	at = (at + ui->cfg.ncols + (size_t)(long)dir) % ui->cfg.ncols;
	ui->cfg.sort_col = ui->cfg.cols[at];
	ui->cfg.sort_desc = proc_columns[ui->cfg.sort_col].desc_default;
	return resort(ls);
}

unsigned list_key(struct screen *s, int key)
{
	struct list_screen *ls = (struct list_screen *)s;
	struct ui *ui = s->ui;
	if (ls->mode != LIST_NORMAL)
		return line_key(ls, key);
	if (ui_list_key(&ls->list, key)) {
		list_sync_sel(ls);
		return UI_REDRAW;
	}
	switch (key) {
	case KEY_MOUSE:
		return mouse_key(ls);
	case '\n':
	case '\r':
	case KEY_ENTER:
		return open_selected(ls, false);
	case 's':
		return open_selected(ls, true);
	case 'q':
		return UI_QUIT;
	case KEY_F(1):
	case 'h':
	case '?':
		ui_dialog_message("whytop keys", help_text);
		return UI_REDRAW;
	case KEY_F(3):
	case '/':
		ls->mode = LIST_SEARCH;
		ls->search[0] = '\0';
		ls->not_found = false;
		return UI_REDRAW;
	case KEY_F(4):
	case '\\':
		ls->mode = LIST_FILTER;
		return UI_REDRAW;
	case KEY_ESC:
		if (ls->filter[0]) {
			ls->filter[0] = '\0';
			list_rebuild(ls);
		}
		return UI_REDRAW;
	case KEY_F(5):
	case 't':
		ui->cfg.tree = !ui->cfg.tree;
		return resort(ls);
	case KEY_F(6):
		return sort_menu(ls);
	case 'P':
		ui->cfg.sort_col = PROC_COL_CPU;
		ui->cfg.sort_desc = true;
		return resort(ls);
	case 'M':
		ui->cfg.sort_col = PROC_COL_MEM;
		ui->cfg.sort_desc = true;
		return resort(ls);
	case 'T':
		ui->cfg.sort_col = PROC_COL_TIME;
		ui->cfg.sort_desc = true;
		return resort(ls);
	case 'N':
		ui->cfg.sort_col = PROC_COL_PID;
		ui->cfg.sort_desc = false;
		return resort(ls);
	case 'I':
		ui->cfg.sort_desc = !ui->cfg.sort_desc;
		return resort(ls);
	case '<':
	case ',':
		return sort_step(ls, -1);
	case '>':
	case '.':
		return sort_step(ls, 1);
	case 'u':
		return user_menu(ls);
	case 'H':
		ui->cfg.threads = !ui->cfg.threads;
		ui_set_status(ui, false, ui->cfg.threads ? "Showing threads" : "Hiding threads");
		return UI_RESCAN;
	case 'K':
		ui->cfg.hide_kthreads = !ui->cfg.hide_kthreads;
		ui_set_status(ui, false, ui->cfg.hide_kthreads ? "Hiding kernel threads"
							       : "Showing kernel threads");
		return UI_RESCAN;
	case KEY_F(9):
	case 'k':
		return kill_menu(ls);
	case KEY_F(2):
	case 'S':
		ui_push(ui, setup_screen_new(ui));
		return UI_RELAYOUT | UI_REDRAW;
	case 'B':
		ui_push(ui, blocked_screen_new(ui));
		return UI_RELAYOUT | UI_REDRAW;
	case KEY_F(7):
	case ']':
		return renice(ls, -1);
	case KEY_F(8):
	case '[':
		return renice(ls, 1);
	default:
		return UI_UNHANDLED;
	}
}
