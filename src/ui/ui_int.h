/*
 * ui_int.h: the terminal UI's shared state and helpers, private to src/ui.
 * One struct ui for the whole program: settings, the process table, the
 * stack of screens, the theme, the event loop's fds and the status line.
 */
#ifndef WHYTOP_UI_INT_H
#define WHYTOP_UI_INT_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>

#include <whytop/proc.h>
#include <whytop/util.h>

#include "ui/config.h"
#include "ui/screen.h"
#include "ui/theme.h"

struct ui {
	struct ui_config cfg;
	struct proc_table *table;
	struct proc_table_opts opts;
	struct screen *top;          /* the screen shown; ->below the rest */
	struct theme theme;
	bool color;                  /* colours in use (not -C / NO_COLOR) */
	int timer_fd, sig_fd;
	bool paused;                 /* Z: no periodic refresh */
	bool quit;
	MEVENT mouse;                /* the last mouse event, for KEY_MOUSE */
	char status[512];            /* message line, until the next key */
	bool status_error;
	struct wt_err err;
	unsigned refreshes;
};

/* Refresh the process table now (filters from ui->opts, sort from cfg). */
int ui_rescan(struct ui *ui);
/* Re-sort (or re-tree) without reading /proc. */
void ui_resort(struct ui *ui);
void ui_set_status(struct ui *ui, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ui_push(struct ui *ui, struct screen *s);
/* Set the refresh timer from cfg.delay_tenths. */
void ui_set_timer(struct ui *ui);
/* Load and apply cfg.theme (falls back to "default", then to built-in). */
int ui_load_theme(struct ui *ui, const char *name);
/* Switch to the next theme found on disk; reports it on the status line. */
void ui_cycle_theme(struct ui *ui);
/* Run the loop until quit; returns the exit status. */
int ui_loop_run(struct ui *ui);
/*
 * The terminal went away (hang-up, end of input): every input loop ends,
 * dialogs answer "cancel", and the main loop quits, releasing targets.
 */
void ui_term_lost_set(void);
bool ui_term_lost(void);

/*
 * Text output that never wraps or overflows: print at most maxw columns of
 * s (UTF-8) at (y, x) of win with attr. Returns the columns used. In a
 * locale that is not UTF-8 each non-ASCII byte shows as "\xNN".
 */
int ui_put(WINDOW *win, int y, int x, int maxw, int attr, const char *s);
/* The columns ui_put would use for the first len bytes of s (unclipped). */
int ui_text_width(const char *s, size_t len);
/* Fill the rest of line y from x with spaces in attr. */
void ui_fill(WINDOW *win, int y, int x, int attr);
/* Draw "Terminal too small" centered; true if it was drawn (too small). */
bool ui_too_small(int need_w, int need_h);
/* The status line (last line but one) or the key bar when no message. */
void ui_draw_bottom(struct ui *ui, const char *const *keys);

/* Screens. */
struct screen *list_screen_new(struct ui *ui);
struct screen *proc_screen_new(struct ui *ui, pid_t pid);
/* The same, opened on the Syscalls tab's live log (the list's `s`, as htop's strace). */
struct screen *proc_screen_new_log(struct ui *ui, pid_t pid);
/* The same, opened on the tab called tab_name (the list's `l`: "Files"). */
struct screen *proc_screen_new_on(struct ui *ui, pid_t pid, const char *tab_name);
/* Opened from the command line (--open): q quits instead of going back. */
void proc_screen_set_direct(struct screen *s);

/* The header meters (header.c): lines it needs for width w, and drawing. */
int header_height(const struct ui *ui, const struct proc_sysinfo *si, int w);
void header_draw(struct ui *ui, const struct proc_sysinfo *si, int w);

#endif
