/*
 * draw.c: drawing helpers shared by every screen: clipped UTF-8 text that
 * never wraps nor stops at a byte the locale cannot show (drawn as \xNN),
 * the status / key bar at the bottom, the "terminal too
 * small" message, and loading and cycling themes.
 */
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ui/ui_int.h"

/*
 * Whether the locale shows UTF-8. Decided once, after ui_curses_start's
 * setlocale; under C, POSIX or Latin-1 every non-ASCII byte is escaped.
 */
static bool draw_utf8(void)
{
	static int utf8 = -1;
	if (utf8 < 0) {
		const char *cs = nl_langinfo(CODESET);
		utf8 = cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
	}
	return utf8 == 1;
}

/*
 * One unit of s at off: its length in bytes and width in columns, and in
 * esc the text to draw instead of its bytes ("" when the bytes are drawn).
 * A byte the locale cannot show becomes "\xNN", so that text never stops
 * at a byte and nothing after it is hidden.
 */
static size_t draw_unit(const char *s, size_t len, mbstate_t *st, int *w, char esc[8])
{
	unsigned char c = (unsigned char)s[0];
	esc[0] = '\0';
	if (c >= 0x20 && c < 0x7f) {
		*w = 1;
		return 1;
	}
	if (c >= 0x80 && draw_utf8()) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, len, st);
		if (n != (size_t)-1 && n != (size_t)-2 && n != 0 && wc >= 0xa0) {
			*w = wcwidth(wc);
			if (*w < 0)
				*w = 1;
			return n;
		}
		memset(st, 0, sizeof(*st));
	}
	/* Controls (already escaped by the core, but never drawn raw) and bytes the locale lacks. */
	*w = snprintf(esc, 8, "\\x%02x", c);
	return 1;
}

int ui_text_width(const char *s, size_t len)
{
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	int cols = 0;
	for (size_t off = 0; off < len && s[off];) {
		char esc[8];
		int w;
		off += draw_unit(s + off, len - off, &st, &w, esc);
		cols += w;
	}
	return cols;
}

int ui_put(WINDOW *win, int y, int x, int maxw, int attr, const char *s)
{
	int wy, wx;
	getmaxyx(win, wy, wx);
	if (y < 0 || y >= wy || x < 0 || x >= wx || !s)
		return 0;
	if (maxw < 0 || maxw > wx - x)
		maxw = wx - x;
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	size_t off = 0, run = 0, len = strlen(s);
	int cols = 0;
	wattr_on(win, (attr_t)attr, NULL);
	wmove(win, y, x);
	/* Runs of drawable text in one call; an escape in place of each byte that is not. */
	while (off < len) {
		char esc[8];
		int w;
		size_t n = draw_unit(s + off, len - off, &st, &w, esc);
		if (cols + w > maxw)
			break;
		if (esc[0]) {
			if (off > run)
				waddnstr(win, s + run, (int)(off - run));
			waddstr(win, esc);
			run = off + n;
		}
		cols += w;
		off += n;
	}
	if (off > run)
		waddnstr(win, s + run, (int)(off - run));
	wattr_off(win, (attr_t)attr, NULL);
	return cols;
}

void ui_fill(WINDOW *win, int y, int x, int attr)
{
	int wy, wx;
	getmaxyx(win, wy, wx);
	if (y < 0 || y >= wy)
		return;
	wattr_on(win, (attr_t)attr, NULL);
	for (int i = x; i < wx; i++)
		mvwaddch(win, y, i, ' ');
	wattr_off(win, (attr_t)attr, NULL);
}

bool ui_too_small(int need_w, int need_h)
{
	if (COLS >= need_w && LINES >= need_h)
		return false;
	char l1[80], l2[80];
	/* Short lines: they must fit the small terminal they complain about. */
	snprintf(l1, sizeof(l1), "Terminal too small");
	snprintf(l2, sizeof(l2), "%dx%d, needs %dx%d", COLS, LINES, need_w, need_h);
	int y = LINES / 2 - 1;
	if (y < 0)
		y = 0;
	int a = ui_attr(UI_E_WARNING);
	int x1 = (COLS - (int)strlen(l1)) / 2, x2 = (COLS - (int)strlen(l2)) / 2;
	ui_put(stdscr, y, x1 > 0 ? x1 : 0, -1, a, l1);
	ui_put(stdscr, y + 1, x2 > 0 ? x2 : 0, -1, a, l2);
	return true;
}

void ui_draw_bottom(struct ui *ui, const char *const *keys)
{
	int y = LINES - 1;
	if (ui->status[0]) {
		int a = ui_attr(ui->status_error ? UI_E_ERROR : UI_E_STATUS);
		ui_fill(stdscr, y, 0, a);
		ui_put(stdscr, y, 0, -1, a, ui->status);
		return;
	}
	int x = 0;
	for (size_t i = 0; keys[i] && keys[i + 1]; i += 2) {
		x += ui_put(stdscr, y, x, -1, ui_attr(UI_E_KEY), keys[i]);
		x += ui_put(stdscr, y, x, -1, ui_attr(UI_E_KEY_LABEL), keys[i + 1]);
	}
	ui_fill(stdscr, y, x, ui_attr(UI_E_KEY_LABEL));
	if (ui->paused) {
		const char *p = " PAUSED ";
		ui_put(stdscr, y, COLS - (int)strlen(p), -1, ui_attr(UI_E_WARNING), p);
	}
}

/* A theme that needs no file: used when even "default" cannot be read. */
static void builtin_theme(struct theme *th)
{
	theme_parse(th, "builtin",
		    "normal = default\n"
		    "selected = black on cyan\n"
		    "column_header = black on green\n"
		    "state_d = red, bold\n"
		    "key = bold\n"
		    "key_label = black on cyan\n",
		    NULL);
}

int ui_load_theme(struct ui *ui, const char *name)
{
	struct wt_err err;
	struct theme th;
	/* Without colour the mono theme is the design that still shows everything. */
	const char *want = ui->color ? name : "mono";
	int r = theme_load(&th, want, &err);
	if (r < 0) {
		ui_set_status(ui, true, "%s; using the default theme", err.msg);
		if (theme_load(&th, "default", NULL) < 0)
			builtin_theme(&th);
	}
	ui->theme = th;
	snprintf(ui->cfg.theme, sizeof(ui->cfg.theme), "%s", name);
	theme_apply(&ui->theme, ui->color);
	bkgdset((chtype)ui_attr(UI_E_NORMAL) | ' ');
	return r;
}

void ui_cycle_theme(struct ui *ui)
{
	char **names;
	size_t n = theme_list(&names);
	if (n == 0) {
		ui_set_status(ui, true, "No themes found");
		return;
	}
	size_t next = 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], ui->cfg.theme) == 0)
			next = (i + 1) % n;
	char name[64];
	snprintf(name, sizeof(name), "%s", names[next]);
	theme_list_free(names, n);
	if (ui_load_theme(ui, name) == 0)
		ui_set_status(ui, false, "Theme: %s%s%s%s", name,
			      ui->theme.description[0] ? " (" : "", ui->theme.description,
			      ui->theme.description[0] ? ")" : "");
	if (!ui->color)
		ui_set_status(ui, false, "Theme: %s (colours are off: -C or NO_COLOR)", name);
	clearok(curscr, TRUE);
}
