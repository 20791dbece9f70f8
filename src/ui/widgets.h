/*
 * widgets.h: small reusable pieces for screens and tabs.
 *
 * - ui_list: scrolling and selection over N rows (the caller draws rows).
 * - ui_textview_*: a ui_list used as a read-only text that scrolls.
 * - ui_dialog_*: modal dialogs drawn over the current screen. They run
 *   their own input loop until the user answers; the terminal is redrawn
 *   by the caller afterwards (return UI_REDRAW). While a dialog is open
 *   the periodic refresh is paused; background fds keep their data queued.
 */
#ifndef WHYTOP_UI_WIDGETS_H
#define WHYTOP_UI_WIDGETS_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * A list with a selection. The owner sets n (row count) whenever its data
 * changes and calls ui_list_clamp; ui_list_key moves the selection for the
 * usual keys (arrows, PgUp/PgDn, Home/End, wheel) and returns true if it
 * used the key. top is the first visible row, kept so sel stays visible.
 */
struct ui_list {
	size_t n;   /* number of rows */
	size_t sel; /* selected row (meaningless when n == 0) */
	size_t top; /* first row shown */
	int height; /* rows visible, set by the owner when drawing */
};
void ui_list_clamp(struct ui_list *l);
bool ui_list_key(struct ui_list *l, int key);
/* Draw rows top..top+height-1 of l into win starting at line y0. */
typedef void (*ui_list_row_fn)(void *arg, WINDOW *win, int y, size_t row, bool selected);
void ui_list_draw(struct ui_list *l, WINDOW *win, int y0, int height, ui_list_row_fn row,
		  void *arg);

/*
 * A scrolled text view on a ui_list: no row is highlighted, the selection is
 * always the top line. Up/Down scroll a line, PgUp/PgDn a page, Home/End to
 * either end; ui_textview_key returns true if it used the key (redraw).
 * ui_textview_draw draws height lines from y0 and remembers the height for
 * the next key.
 */
bool ui_textview_key(struct ui_list *l, int key);
void ui_textview_draw(struct ui_list *l, WINDOW *win, int y0, int height, ui_list_row_fn row,
		      void *arg);

/*
 * Ask for a line of text. buf holds the initial text and receives the
 * answer (NUL-terminated, at most size-1 bytes). Enter accepts, Esc
 * cancels. Returns true if accepted.
 */
bool ui_dialog_input(const char *title, const char *prompt, char *buf, size_t size);

/*
 * Ask a yes/no question. text may hold several lines ('\n'), e.g. "write 0
 * to flag at 0x7ffc...\nold value: 1". No is highlighted at first; Enter
 * activates the highlighted button (Tab, Left, Right move it). Returns true
 * only for y or Enter on Yes: the caller says "Cancelled: ..." otherwise.
 */
bool ui_dialog_confirm(const char *title, const char *text);

/*
 * Pick one of n items (a menu). Returns the index chosen or -1 if
 * cancelled; initial is the row selected at first.
 */
int ui_dialog_menu(const char *title, const char *const *items, int n, int initial);

/*
 * Tick boxes, one per item (the affinity editor's CPUs): checked[] holds
 * the boxes at first and receives them when applied. Space ticks, a: all,
 * n: none, Enter applies, Esc cancels. Returns true if applied.
 */
bool ui_dialog_checks(const char *title, const char *const *items, int n, bool *checked);

/* A message box; any key closes it. */
void ui_dialog_message(const char *title, const char *text);

#endif
