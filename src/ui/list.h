/*
 * list.h: the process list screen's state, shared by list_screen.c
 * (drawing, rows) and list_keys.c (keys, menus, actions).
 */
#ifndef WHYTOP_UI_LIST_H
#define WHYTOP_UI_LIST_H

#include "ui/ui_int.h"
#include "ui/widgets.h"

#define LIST_MIN_W 50
#define LIST_MIN_ROWS 3

enum list_mode { LIST_NORMAL, LIST_SEARCH, LIST_FILTER };

/* A small set of pids (tags, folded subtrees): kept by pid, so re-sorts keep them. */
struct list_pids {
	pid_t *v;
	size_t n, cap;
};
bool list_pids_has(const struct list_pids *s, pid_t pid);
void list_pids_add(struct list_pids *s, pid_t pid);
void list_pids_del(struct list_pids *s, pid_t pid);

#define LIST_HSCROLL_STEP 5 /* columns per Left / Right, htop's step */

/*
 * Highlighting new and dying processes (cfg.highlight, list_screen.c):
 * the refresh each task was first seen in, and the last drawn text of the
 * rows of tasks that exited, kept in place for LIST_DYING_REFRESHES.
 * A dying row is an entry of rows[] with LIST_GHOST set (the rest is its
 * index in ghosts[]); it has no task (list_selected gives NULL).
 */
#define LIST_GHOST ((size_t)1 << (sizeof(size_t) * 8 - 1))
struct list_seen {
	pid_t pid;
	unsigned first; /* ui->refreshes when first seen; 0: there from the start */
};
struct list_drawn {
	pid_t pid;
	char text[512];
};
struct list_ghost {
	pid_t after; /* the task drawn above it, 0 for the top */
	unsigned died;
	struct list_drawn row;
};

struct list_screen {
	struct screen base;
	size_t *rows; /* indices into the table of the rows shown */
	size_t nrows, caprows;
	struct ui_list list;
	pid_t sel_pid; /* the selected task, followed across refreshes */
	int hdr_h;     /* header lines */
	int list_y0;   /* screen line of the first row, -1 when too small */
	int col_x[PROC_COL_COUNT + 1]; /* where each shown column starts, for clicks */
	enum list_mode mode;
	char search[128], filter[128];
	bool not_found;
	struct list_pids tags;  /* Space, c, U: kill, nice and affinity act on these */
	struct list_pids folds; /* tree view: rows whose descendants are hidden (+ - *) */
	size_t *hidden;         /* per shown row: descendants hidden under it */
	bool stay_on_row;       /* F off: the selection keeps its row, not its process */
	bool sel_chosen;        /* the user chose the selected process (its exit is reported) */
	int hscroll;            /* Left / Right: columns scrolled off the left */
	int line_w;             /* the widest row drawn last, for the Right limit */
	struct list_seen *seen;
	size_t nseen;
	unsigned seen_refresh;
	bool seen_any;
	struct list_drawn *drawn; /* the rows drawn last, top to bottom */
	size_t ndrawn, capdrawn;
	struct list_ghost *ghosts;
	size_t nghosts;
};

void list_rebuild(struct list_screen *ls);
void list_sync_sel(struct list_screen *ls);
struct proc_task *list_selected(struct list_screen *ls);
bool list_search(struct list_screen *ls, const char *text, size_t start);
unsigned list_key(struct screen *s, int key);

#endif
