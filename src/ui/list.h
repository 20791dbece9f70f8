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
};

void list_rebuild(struct list_screen *ls);
void list_sync_sel(struct list_screen *ls);
struct proc_task *list_selected(struct list_screen *ls);
bool list_search(struct list_screen *ls, const char *text, size_t start);
unsigned list_key(struct screen *s, int key);

#endif
