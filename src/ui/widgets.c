/*
 * widgets.c: a list with selection (scrolling over rows the caller draws),
 * the same list as a scrolled text view, and modal dialogs (text input, yes/no, menu, tick
 * boxes, message). In every dialog Enter activates what is highlighted and Esc cancels. Dialogs draw in
 * their own window over the current screen and read keys until answered,
 * cancelled, or the terminal goes away; the caller redraws afterwards.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui/ui_int.h"
#include "ui/widgets.h"

#define KEY_ESC 27

void ui_list_clamp(struct ui_list *l)
{
	if (l->n == 0) {
		l->sel = l->top = 0;
		return;
	}
	if (l->sel >= l->n)
		l->sel = l->n - 1;
	size_t h = l->height > 0 ? (size_t)l->height : 1;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + h)
		l->top = l->sel - h + 1;
	/* No empty space below the last row when there are enough rows. */
	if (l->n >= h && l->top > l->n - h)
		l->top = l->n - h;
	if (l->n < h)
		l->top = 0;
}

bool ui_list_key(struct ui_list *l, int key)
{
	size_t page = l->height > 1 ? (size_t)l->height - 1 : 1;
	switch (key) {
	case KEY_UP:
		if (l->sel > 0)
			l->sel--;
		break;
	case KEY_DOWN:
		if (l->sel + 1 < l->n)
			l->sel++;
		break;
	case KEY_PPAGE:
		l->sel = l->sel > page ? l->sel - page : 0;
		break;
	case KEY_NPAGE:
		l->sel += page;
		break;
	case KEY_HOME:
		l->sel = 0;
		break;
	case KEY_END:
		l->sel = l->n ? l->n - 1 : 0;
		break;
	default:
		return false;
	}
	ui_list_clamp(l);
	return true;
}

void ui_list_draw(struct ui_list *l, WINDOW *win, int y0, int height, ui_list_row_fn row,
		  void *arg)
{
	l->height = height;
	ui_list_clamp(l);
	for (int i = 0; i < height; i++) {
		size_t r = l->top + (size_t)i;
		if (r >= l->n)
			break;
		row(arg, win, y0 + i, r, r == l->sel);
	}
}

bool ui_textview_key(struct ui_list *l, int key)
{
	size_t h = l->height > 0 ? (size_t)l->height : 1;
	size_t maxtop = l->n > h ? l->n - h : 0;
	switch (key) {
	case KEY_UP:
		if (l->top > 0)
			l->top--;
		break;
	case KEY_DOWN:
		if (l->top < maxtop)
			l->top++;
		break;
	case KEY_PPAGE:
		l->top = l->top > h ? l->top - h : 0;
		break;
	case KEY_NPAGE:
		l->top = l->top + h < maxtop ? l->top + h : maxtop;
		break;
	case KEY_HOME:
		l->top = 0;
		break;
	case KEY_END:
		l->top = maxtop;
		break;
	default:
		return false;
	}
	l->sel = l->top;
	return true;
}

void ui_textview_draw(struct ui_list *l, WINDOW *win, int y0, int height, ui_list_row_fn row,
		      void *arg)
{
	l->height = height;
	l->sel = l->top; /* ui_list_draw keeps sel visible: with sel == top, top stays */
	ui_list_draw(l, win, y0, height, row, arg);
}

/*
 * The next key for a dialog, or ERR when there will be none: the terminal
 * hung up (ssh dropped, tmux killed: read() says end of file or EIO, for
 * ever) or a signal that ends whytop is waiting (the loop blocks them and
 * reads them from its signalfd once the dialog is gone). A dialog treats
 * ERR as "cancel". Waits in poll(), never in a read that could spin.
 */
static int dialog_key(WINDOW *win)
{
	int empty = 0;
	nodelay(win, TRUE);
	for (;;) {
		if (ui_term_lost())
			return ERR;
		int key = wgetch(win);
		if (key != ERR)
			return key;
		sigset_t pend;
		if (sigpending(&pend) == 0 &&
		    (sigismember(&pend, SIGHUP) || sigismember(&pend, SIGTERM) ||
		     sigismember(&pend, SIGINT) || sigismember(&pend, SIGQUIT)))
			return ERR;
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
		int r = poll(&p, 1, 250); /* also a bound on noticing those signals */
		if ((r < 0 && errno != EINTR) || (p.revents & (POLLHUP | POLLERR | POLLNVAL))) {
			ui_term_lost_set();
			return ERR;
		}
		/* Readable yet no key, again and again: the end of the input. */
		if (r > 0 && ++empty > 100) {
			ui_term_lost_set();
			return ERR;
		}
		if (r == 0)
			empty = 0;
	}
}

/* A boxed window centered on the screen, with a title. */
static WINDOW *dialog_open(const char *title, int h, int w)
{
	if (w > COLS)
		w = COLS;
	if (h > LINES)
		h = LINES;
	if (w < 4 || h < 3)
		return NULL;
	WINDOW *win = newwin(h, w, (LINES - h) / 2, (COLS - w) / 2);
	if (!win)
		return NULL;
	keypad(win, TRUE);
	wbkgdset(win, (chtype)ui_attr(UI_E_DIALOG) | ' ');
	werase(win);
	wattr_on(win, (attr_t)ui_attr(UI_E_DIALOG), NULL);
	box(win, 0, 0);
	wattr_off(win, (attr_t)ui_attr(UI_E_DIALOG), NULL);
	if (title && *title) {
		char t[128];
		snprintf(t, sizeof(t), " %s ", title);
		ui_put(win, 0, 2, w - 4, ui_attr(UI_E_TITLE), t);
	}
	return win;
}

static void dialog_close(WINDOW *win)
{
	if (win)
		delwin(win);
	touchwin(stdscr);
	/* The caller redraws; make sure what was under the dialog comes back. */
	wnoutrefresh(stdscr);
}

/* Lines of text and the width of the widest, in columns as ui_put draws them. */
static int text_lines(const char *text, int *maxw)
{
	int n = 0, w = 0;
	for (const char *p = text; p; n++) {
		const char *nl = strchr(p, '\n');
		int cur = ui_text_width(p, nl ? (size_t)(nl - p) : strlen(p));
		if (cur > w)
			w = cur;
		p = nl ? nl + 1 : NULL;
	}
	*maxw = w;
	return n;
}

static void draw_text(WINDOW *win, int y, int x, int w, const char *text)
{
	const char *p = text;
	while (p) {
		const char *nl = strchr(p, '\n');
		char line[512];
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		ui_put(win, y++, x, w, ui_attr(UI_E_DIALOG), line);
		p = nl ? nl + 1 : NULL;
	}
}

bool ui_dialog_input(const char *title, const char *prompt, char *buf, size_t size)
{
	int pw = (int)strlen(prompt);
	int w = pw + 40 > 70 ? pw + 40 : 70;
	WINDOW *win = dialog_open(title, 5, w);
	if (!win)
		return false;
	w = getmaxx(win);
	char *edit = calloc(1, size);
	if (!edit) {
		dialog_close(win);
		return false;
	}
	snprintf(edit, size, "%s", buf);
	curs_set(1);
	bool ok = false;
	for (;;) {
		ui_put(win, 1, 2, w - 4, ui_attr(UI_E_DIALOG), prompt);
		ui_fill(win, 2, 1, ui_attr(UI_E_DIALOG));
		wmove(win, 2, w - 1);
		wattr_on(win, (attr_t)ui_attr(UI_E_DIALOG), NULL);
		mvwaddch(win, 2, w - 1, ACS_VLINE);
		wattr_off(win, (attr_t)ui_attr(UI_E_DIALOG), NULL);
		/* Show the end of long text. */
		size_t len = strlen(edit);
		const char *shown = edit;
		if ((int)len > w - 5)
			shown = edit + len - (size_t)(w - 5);
		int used = ui_put(win, 2, 2, w - 5, ui_attr(UI_E_SELECTED), shown);
		ui_put(win, 3, 2, w - 4, ui_attr(UI_E_DIM), "Enter: accept   Esc: cancel");
		wmove(win, 2, 2 + used);
		wrefresh(win);
		int key = dialog_key(win);
		if (key == KEY_ESC || key == ERR) {
			break;
		} else if (key == '\n' || key == '\r' || key == KEY_ENTER) {
			snprintf(buf, size, "%s", edit);
			ok = true;
			break;
		} else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
			/* Remove one UTF-8 character. */
			while (len > 0 && (edit[len - 1] & 0xc0) == 0x80)
				edit[--len] = '\0';
			if (len > 0)
				edit[--len] = '\0';
		} else if (key == 21) { /* Ctrl-U */
			edit[0] = '\0';
		} else if (key >= 32 && key < 256 && key != 127 && len + 1 < size) {
			edit[len] = (char)key;
			edit[len + 1] = '\0';
		}
	}
	curs_set(0);
	free(edit);
	dialog_close(win);
	return ok;
}

bool ui_dialog_confirm(const char *title, const char *text)
{
	int tw, th = text_lines(text, &tw);
	int w = tw + 6 < 40 ? 40 : tw + 6;
	WINDOW *win = dialog_open(title, th + 4, w);
	if (!win)
		return false;
	w = getmaxx(win);
	bool yes = false;
	for (;;) {
		draw_text(win, 1, 2, w - 4, text);
		int y = th + 2;
		ui_put(win, y, 2, -1, yes ? ui_attr(UI_E_SELECTED) : ui_attr(UI_E_DIALOG), "[ Yes ]");
		ui_put(win, y, 12, -1, yes ? ui_attr(UI_E_DIALOG) : ui_attr(UI_E_SELECTED), "[ No ]");
		/* Say what Enter does: it activates the highlighted button. */
		ui_fill(win, y, 21, ui_attr(UI_E_DIALOG));
		ui_put(win, y, 21, w - 23, ui_attr(UI_E_DIM),
		       yes ? "Enter: yes  Tab: move  Esc: no" : "Enter: no  Tab: move  y: yes");
		wattr_on(win, (attr_t)ui_attr(UI_E_DIALOG), NULL);
		mvwaddch(win, y, w - 1, ACS_VLINE);
		wattr_off(win, (attr_t)ui_attr(UI_E_DIALOG), NULL);
		wrefresh(win);
		int key = dialog_key(win);
		if (key == 'y' || key == 'Y') {
			yes = true;
			break;
		}
		if (key == 'n' || key == 'N' || key == KEY_ESC || key == 'q' || key == ERR) {
			yes = false;
			break;
		}
		if (key == KEY_LEFT || key == KEY_RIGHT || key == '\t' || key == KEY_BTAB)
			yes = !yes;
		if (key == '\n' || key == '\r' || key == KEY_ENTER)
			break;
	}
	dialog_close(win);
	return yes;
}

struct menu_arg {
	const char *const *items;
	int w;
};

static void menu_row(void *arg, WINDOW *win, int y, size_t row, bool selected)
{
	struct menu_arg *m = arg;
	int a = selected ? ui_attr(UI_E_SELECTED) : ui_attr(UI_E_DIALOG);
	if (selected) {
		wattr_on(win, (attr_t)a, NULL);
		for (int x = 1; x < m->w - 1; x++)
			mvwaddch(win, y, x, ' ');
		wattr_off(win, (attr_t)a, NULL);
	}
	ui_put(win, y, 2, m->w - 4, a, m->items[row]);
}

int ui_dialog_menu(const char *title, const char *const *items, int n, int initial)
{
	int w = (int)strlen(title) + 8;
	for (int i = 0; i < n; i++)
		if ((int)strlen(items[i]) + 6 > w)
			w = (int)strlen(items[i]) + 6;
	int h = n + 2 > LINES - 2 ? LINES - 2 : n + 2;
	WINDOW *win = dialog_open(title, h, w);
	if (!win)
		return -1;
	w = getmaxx(win);
	h = getmaxy(win);
	struct ui_list l = { .n = (size_t)n, .sel = initial >= 0 ? (size_t)initial : 0 };
	struct menu_arg m = { items, w };
	int chosen = -1;
	for (;;) {
		for (int y = 1; y < h - 1; y++) {
			wattr_on(win, (attr_t)ui_attr(UI_E_DIALOG), NULL);
			for (int x = 1; x < w - 1; x++)
				mvwaddch(win, y, x, ' ');
			wattr_off(win, (attr_t)ui_attr(UI_E_DIALOG), NULL);
		}
		ui_list_draw(&l, win, 1, h - 2, menu_row, &m);
		wrefresh(win);
		int key = dialog_key(win);
		if (ui_list_key(&l, key))
			continue;
		if (key == '\n' || key == '\r' || key == KEY_ENTER) {
			chosen = (int)l.sel;
			break;
		}
		if (key == KEY_ESC || key == 'q' || key == KEY_F(10) || key == ERR)
			break;
	}
	dialog_close(win);
	return chosen;
}

struct checks_arg {
	const char *const *items;
	const bool *on;
	int w;
};

static void checks_row(void *arg, WINDOW *win, int y, size_t row, bool selected)
{
	struct checks_arg *c = arg;
	char line[160];
	snprintf(line, sizeof(line), "[%c] %s", c->on[row] ? 'x' : ' ', c->items[row]);
	struct menu_arg m = { (const char *const[]){ line }, c->w };
	menu_row(&m, win, y, 0, selected);
}

bool ui_dialog_checks(const char *title, const char *const *items, int n, bool *checked)
{
	static const char hint[] = "Space: tick  a: all  n: none  Enter: apply  Esc: cancel";
	int w = (int)sizeof(hint) + 4;
	if ((int)strlen(title) + 8 > w)
		w = (int)strlen(title) + 8;
	int h = n + 4 > LINES - 2 ? LINES - 2 : n + 4;
	bool *on = calloc((size_t)(n > 0 ? n : 1), sizeof(*on));
	WINDOW *win = on ? dialog_open(title, h, w) : NULL;
	if (!win) {
		free(on);
		return false;
	}
	memcpy(on, checked, (size_t)n * sizeof(*on));
	w = getmaxx(win);
	h = getmaxy(win);
	struct ui_list l = { .n = (size_t)n };
	struct checks_arg c = { items, on, w };
	bool applied = false;
	for (;;) {
		for (int y = 1; y < h - 1; y++)
			ui_fill(win, y, 1, ui_attr(UI_E_DIALOG));
		ui_list_draw(&l, win, 1, h - 4 > 0 ? h - 4 : 1, checks_row, &c);
		ui_put(win, h - 2, 2, w - 4, ui_attr(UI_E_DIM), hint);
		wattr_on(win, (attr_t)ui_attr(UI_E_DIALOG), NULL);
		box(win, 0, 0);
		wattr_off(win, (attr_t)ui_attr(UI_E_DIALOG), NULL);
		if (title && *title) {
			char t[128];
			snprintf(t, sizeof(t), " %s ", title);
			ui_put(win, 0, 2, w - 4, ui_attr(UI_E_TITLE), t);
		}
		wrefresh(win);
		int key = dialog_key(win);
		if (ui_list_key(&l, key))
			continue;
		if (key == ' ' && n > 0) {
			on[l.sel] = !on[l.sel];
		} else if (key == 'a' || key == 'n') {
			for (int i = 0; i < n; i++)
				on[i] = key == 'a';
		} else if (key == '\n' || key == '\r' || key == KEY_ENTER) {
			memcpy(checked, on, (size_t)n * sizeof(*on));
			applied = true;
			break;
		} else if (key == KEY_ESC || key == 'q' || key == KEY_F(10) || key == ERR) {
			break;
		}
	}
	free(on);
	dialog_close(win);
	return applied;
}

void ui_dialog_message(const char *title, const char *text)
{
	int tw, th = text_lines(text, &tw);
	int w = tw + 6 < 30 ? 30 : tw + 6;
	WINDOW *win = dialog_open(title, th + 4, w);
	if (!win)
		return;
	w = getmaxx(win);
	draw_text(win, 1, 2, w - 4, text);
	ui_put(win, getmaxy(win) - 2, 2, w - 4, ui_attr(UI_E_DIM), "Press any key");
	wrefresh(win);
	dialog_key(win);
	dialog_close(win);
}
