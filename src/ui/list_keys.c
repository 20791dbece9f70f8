/*
 * list_keys.c: what the keys and the mouse do on the process list: move,
 * sort (F6 menu, P M T N, I, < >, click on a column), search (/ F3),
 * filter (\ F4), tree (t F5), user filter (u), threads (H), kernel
 * threads (K), kill (k F9), renice (F7 F8), affinity (a), tags (Space c
 * U: those actions then act on every tagged process), tree folding (+ - *),
 * follow (F), sideways scroll (Left Right), help (h ? F1), open (Enter),
 * quit (q F10). --readonly refuses kill, nice and affinity, saying so.
 * Every handler returns reaction flags for the loop.
 */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ui/blocked.h"
#include "ui/env.h"
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
	"Space   tag, move down                    c          tag with its descendants\n"
	"U       untag all (k, F7, F8, a act on every tagged process when any are)\n"
	"a       CPU affinity, every thread        F          follow process / stay on row\n"
	"- + *   fold, unfold subtree; all (tree)  Left Right scroll the columns sideways\n"
	"F1 h ?  this help                         F10 q      quit\n"
	"F2 S    setup: meters, columns, display options, colours (saved on quit)\n"
	"B       blocked tasks: every D task, grouped by the kernel frame it waits in\n"
	"s       the selected process's live log of system calls (as strace)\n"
	"l       its open files and memory maps    e          its environment (/ searches)\n"
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

/*
 * The processes an action is for: every tagged one when there are tags,
 * else the selected one. Returns how many (0: none selected), in *out
 * (malloc'd, freed by the caller).
 */
static size_t action_pids(struct list_screen *ls, pid_t **out)
{
	*out = NULL;
	if (ls->tags.n) {
		*out = malloc(ls->tags.n * sizeof(**out));
		if (!*out)
			return 0;
		memcpy(*out, ls->tags.v, ls->tags.n * sizeof(**out));
		return ls->tags.n;
	}
	struct proc_task *t = list_selected(ls);
	if (!t || !(*out = malloc(sizeof(**out))))
		return 0;
	(*out)[0] = t->pid;
	return 1;
}

/* "12" or "3 tagged processes", for titles and messages. */
static const char *pids_name(char *buf, size_t size, const pid_t *pids, size_t n)
{
	if (n == 1)
		snprintf(buf, size, "%d", (int)pids[0]);
	else
		snprintf(buf, size, "%zu tagged processes", n);
	return buf;
}

/*
 * The end of an action over n processes: every failure is listed by pid
 * in the status line ("12: Operation not permitted (run as root ...)"),
 * after what went well.
 */
struct action_report {
	size_t ok, failed;
	char fails[400];
};

static void report_fail(struct action_report *r, pid_t pid, const char *why)
{
	size_t len = strlen(r->fails);
	if (len + 4 < sizeof(r->fails))
		snprintf(r->fails + len, sizeof(r->fails) - len, "%s%d: %s", r->failed ? "; " : "",
			 (int)pid, why);
	r->failed++;
}

static unsigned readonly_refuse(struct ui *ui, const char *what)
{
	ui_set_status(ui, true, "whytop runs with --readonly: %s is off", what);
	return UI_REDRAW;
}

static unsigned kill_menu(struct list_screen *ls)
{
	struct ui *ui = ls->base.ui;
	if (ui->cfg.readonly)
		return readonly_refuse(ui, "sending signals");
	pid_t *pids;
	size_t n = action_pids(ls, &pids);
	if (!n)
		return UI_REDRAW;
	char title[96], who[48];
	snprintf(title, sizeof(title), "Send signal to %s", pids_name(who, sizeof(who), pids, n));
	const char *items[WT_ARRAY_SIZE(signals)];
	for (size_t i = 0; i < WT_ARRAY_SIZE(signals); i++)
		items[i] = signals[i].name;
	int c = ui_dialog_menu(title, items, (int)WT_ARRAY_SIZE(signals), 0);
	if (c < 0) {
		ui_set_status(ui, false, "Cancelled: no signal sent to %s", who);
		free(pids);
		return UI_REDRAW;
	}
	const char *sig = signals[c].name + 3;
	struct action_report r = { 0 };
	for (size_t i = 0; i < n; i++) {
		if (kill(pids[i], signals[c].sig) == 0) {
			r.ok++;
			continue;
		}
		char why[128];
		snprintf(why, sizeof(why), "%s%s", strerror(errno),
			 errno == EPERM ? " (run as root or as its owner)" : "");
		report_fail(&r, pids[i], why);
	}
	if (!r.failed)
		ui_set_status(ui, false, "Sent %s to %s", sig, who);
	else if (n == 1)
		ui_set_status(ui, true, "Cannot send %s to %s", sig, r.fails);
	else
		ui_set_status(ui, true, "Sent %s to %zu of %zu; cannot to %s", sig, r.ok, n, r.fails);
	free(pids);
	return UI_RESCAN | UI_REDRAW;
}

static unsigned renice(struct list_screen *ls, int delta)
{
	struct ui *ui = ls->base.ui;
	if (ui->cfg.readonly)
		return readonly_refuse(ui, "changing priorities");
	pid_t *pids;
	size_t n = action_pids(ls, &pids);
	if (!n)
		return UI_REDRAW;
	struct action_report r = { 0 };
	int last = 0;
	for (size_t i = 0; i < n; i++) {
		pid_t pid = pids[i];
		char why[160];
		errno = 0;
		int cur = getpriority(PRIO_PROCESS, (id_t)pid);
		if (cur == -1 && errno) {
			snprintf(why, sizeof(why), "cannot read its nice value: %s", strerror(errno));
			report_fail(&r, pid, why);
			continue;
		}
		int want = cur + delta;
		if (want < -20 || want > 19) {
			r.ok++; /* already at the end of the range: nothing to do */
			last = cur;
			continue;
		}
		if (setpriority(PRIO_PROCESS, (id_t)pid, want) < 0) {
			snprintf(why, sizeof(why), "cannot renice to %d: %s%s", want, strerror(errno),
				 errno == EACCES || errno == EPERM ? " (lowering nice needs root)"
								   : "");
			report_fail(&r, pid, why);
			continue;
		}
		r.ok++;
		last = want;
	}
	if (n == 1 && r.failed)
		ui_set_status(ui, true, "Cannot renice %s", r.fails);
	else if (n == 1)
		ui_set_status(ui, false, "Nice of %d is now %d", (int)pids[0], last);
	else if (r.failed)
		ui_set_status(ui, true, "Reniced %zu of %zu tagged processes; %s", r.ok, n, r.fails);
	else
		ui_set_status(ui, false, "Nice %s by %d for %zu tagged processes",
			      delta < 0 ? "lowered" : "raised", delta < 0 ? -delta : delta, n);
	free(pids);
	return UI_RESCAN | UI_REDRAW;
}

static unsigned affinity_menu(struct list_screen *ls)
{
	struct ui *ui = ls->base.ui;
	if (ui->cfg.readonly)
		return readonly_refuse(ui, "changing CPU affinity");
	pid_t *pids;
	size_t n = action_pids(ls, &pids);
	if (!n)
		return UI_REDRAW;
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	if (ncpu < 1)
		ncpu = 1;
	if (ncpu > 1024)
		ncpu = 1024;
	size_t size = CPU_ALLOC_SIZE(ncpu);
	cpu_set_t *set = CPU_ALLOC(ncpu);
	char **items = calloc((size_t)ncpu, sizeof(*items));
	bool *on = calloc((size_t)ncpu, sizeof(*on));
	char who[48], title[96];
	pids_name(who, sizeof(who), pids, n);
	unsigned ret = UI_REDRAW;
	if (!set || !items || !on)
		goto out;
	CPU_ZERO_S(size, set);
	/* The boxes start as the first process's affinity. */
	if (sched_getaffinity(pids[0], size, set) < 0) {
		ui_set_status(ui, true, "Cannot read the CPU affinity of %d: %s", (int)pids[0],
			      strerror(errno));
		goto out;
	}
	for (long i = 0; i < ncpu; i++) {
		char name[32];
		snprintf(name, sizeof(name), "CPU %ld", i);
		items[i] = strdup(name);
		if (!items[i])
			goto out;
		on[i] = CPU_ISSET_S((size_t)i, size, set);
	}
	snprintf(title, sizeof(title), "CPUs of %s", who);
	if (!ui_dialog_checks(title, (const char *const *)items, (int)ncpu, on)) {
		ui_set_status(ui, false, "Cancelled: the CPU affinity of %s is unchanged", who);
		goto out;
	}
	CPU_ZERO_S(size, set);
	int nchosen = 0;
	for (long i = 0; i < ncpu; i++)
		if (on[i]) {
			CPU_SET_S((size_t)i, size, set);
			nchosen++;
		}
	if (!nchosen) {
		ui_set_status(ui, true, "No CPU chosen: a process needs at least one (Space ticks a CPU)");
		goto out;
	}
	struct action_report r = { 0 };
	for (size_t i = 0; i < n; i++) {
		struct wt_err err;
		wt_err_clear(&err);
		if (proc_affinity_set(pids[i], set, size, &err) < 0)
			report_fail(&r, pids[i], err.msg);
		else
			r.ok++;
	}
	if (!r.failed)
		ui_set_status(ui, false, "CPU affinity of %s set on every thread (%d CPU%s)", who,
			      nchosen, nchosen == 1 ? "" : "s");
	else if (n == 1)
		ui_set_status(ui, true, "Cannot set the CPU affinity of %s", r.fails);
	else
		ui_set_status(ui, true, "CPU affinity set for %zu of %zu; cannot for %s", r.ok, n,
			      r.fails);
	ret = UI_RESCAN | UI_REDRAW;
out:
	for (long i = 0; items && i < ncpu; i++)
		free(items[i]);
	free(items);
	free(on);
	if (set)
		CPU_FREE(set);
	free(pids);
	return ret;
}

/* Space: tag or untag the selected process and move down (htop's habit). */
static unsigned tag_key(struct list_screen *ls)
{
	struct proc_task *t = list_selected(ls);
	if (!t)
		return UI_REDRAW;
	if (list_pids_has(&ls->tags, t->pid))
		list_pids_del(&ls->tags, t->pid);
	else
		list_pids_add(&ls->tags, t->pid);
	ui_list_key(&ls->list, KEY_DOWN);
	list_sync_sel(ls);
	return UI_REDRAW;
}

/* True if pid is in the table and one of its tasks has it as parent. */
static bool has_children(struct proc_table *t, pid_t pid)
{
	size_t n = proc_table_count(t);
	for (size_t i = 0; i < n; i++) {
		const struct proc_task *c = proc_table_get(t, i);
		if (c->ppid == pid && c->pid != pid)
			return true;
	}
	return false;
}

/* c: tag the selected process and all its descendants (by parent pid, whatever the view). */
static unsigned tag_tree_key(struct list_screen *ls)
{
	struct proc_table *t = ls->base.ui->table;
	struct proc_task *sel = list_selected(ls);
	if (!sel)
		return UI_REDRAW;
	struct list_pids tree = { 0 };
	list_pids_add(&tree, sel->pid);
	size_t n = proc_table_count(t), before;
	do {
		before = tree.n;
		for (size_t i = 0; i < n; i++) {
			const struct proc_task *c = proc_table_get(t, i);
			if (!list_pids_has(&tree, c->pid) &&
			    (list_pids_has(&tree, c->ppid) ||
			     (c->is_thread && list_pids_has(&tree, c->tgid))))
				list_pids_add(&tree, c->pid);
		}
	} while (tree.n != before);
	for (size_t i = 0; i < tree.n; i++)
		list_pids_add(&ls->tags, tree.v[i]);
	ui_set_status(ls->base.ui, false, "Tagged %d and its %zu descendant%s (U untags all)",
		      (int)sel->pid, tree.n - 1, tree.n == 2 ? "" : "s");
	free(tree.v);
	return UI_REDRAW;
}

/* + - *: fold and unfold subtrees of the tree view. */
static unsigned fold_key(struct list_screen *ls, int key)
{
	struct ui *ui = ls->base.ui;
	if (!ui->cfg.tree) {
		ui_set_status(ui, false, "Folding works in the tree view: t or F5 shows it");
		return UI_REDRAW;
	}
	struct proc_task *sel = list_selected(ls);
	if (key == '*') {
		if (ls->folds.n) {
			ls->folds.n = 0;
			ui_set_status(ui, false, "Every subtree unfolded");
		} else {
			size_t n = proc_table_count(ui->table);
			for (size_t i = 0; i < n; i++) {
				const struct proc_task *c = proc_table_get(ui->table, i);
				if (c->depth > 0 && c->ppid > 0 && proc_table_find(ui->table, c->ppid))
					list_pids_add(&ls->folds, c->ppid);
			}
			ui_set_status(ui, false, "Every subtree folded (* unfolds them all)");
		}
	} else if (!sel) {
		return UI_REDRAW;
	} else if (key == '-') {
		if (!has_children(ui->table, sel->pid)) {
			ui_set_status(ui, false, "%d has no children to fold", (int)sel->pid);
			return UI_REDRAW;
		}
		list_pids_add(&ls->folds, sel->pid);
	} else {
		list_pids_del(&ls->folds, sel->pid);
	}
	list_rebuild(ls);
	return UI_REDRAW;
}

/* F: the selection follows its process (whytop's default), or stays on its row (htop's). */
static unsigned follow_key(struct list_screen *ls)
{
	ls->stay_on_row = !ls->stay_on_row;
	list_sync_sel(ls);
	ls->sel_chosen = true;
	if (ls->stay_on_row)
		ui_set_status(ls->base.ui, false,
			      "The selection stays on its row as processes move (F: follow the "
			      "process)");
	else
		ui_set_status(ls->base.ui, false,
			      "The selection follows process %d as rows move (F: stay on the row)",
			      (int)ls->sel_pid);
	return UI_REDRAW;
}

/* Left / Right: scroll the rows and their header sideways, a step at a time. */
static unsigned hscroll_key(struct list_screen *ls, int dir)
{
	if (dir < 0) {
		ls->hscroll = ls->hscroll > LIST_HSCROLL_STEP ? ls->hscroll - LIST_HSCROLL_STEP : 0;
		return UI_REDRAW;
	}
	/* Not past the widest row drawn: its end stays on the screen. */
	if (ls->line_w - ls->hscroll > COLS)
		ls->hscroll += LIST_HSCROLL_STEP;
	return UI_REDRAW;
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
			ls->sel_chosen = true;
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
		ls->sel_chosen = true;
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
	case 'l':
	case 'e': {
		struct proc_task *t = list_selected(ls);
		if (!t)
			return UI_REDRAW;
		pid_t pid = t->tgid ? t->tgid : t->pid;
		ui_push(ui, key == 'l' ? proc_screen_new_on(ui, pid, "Files") : env_screen_new(ui, pid));
		return UI_RELAYOUT | UI_REDRAW;
	}
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
	case 'a':
		return affinity_menu(ls);
	case ' ':
		return tag_key(ls);
	case 'c':
		return tag_tree_key(ls);
	case 'U':
		ls->tags.n = 0;
		ui_set_status(ui, false, "No process is tagged now");
		return UI_REDRAW;
	case '+':
	case '=':
	case '-':
	case '*':
		return fold_key(ls, key);
	case 'F':
		return follow_key(ls);
	case KEY_LEFT:
		return hscroll_key(ls, -1);
	case KEY_RIGHT:
		return hscroll_key(ls, 1);
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
