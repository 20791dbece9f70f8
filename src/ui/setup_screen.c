/*
 * setup_screen.c: the setup screen (F2, S), drawn over the lower part of
 * the process list, which keeps refreshing behind it. Sections on the
 * left (Meters, Columns, Display options, Colours), their items on the
 * right. Every change is written into ui->cfg and applied at once (rescan,
 * relayout, theme); ui_main saves what changed when whytop quits.
 *
 * The columns offered are every row of proc_columns[], never a list of
 * names kept here, so a column added to the table shows up by itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/setup.h"
#include "ui/widgets.h"

#define KEY_ESC 27
#define SETUP_SECTIONS_W 20
#define SETUP_MIN_H 8
#define SETUP_MAX_H 20

enum setup_section { SEC_METERS, SEC_COLUMNS, SEC_DISPLAY, SEC_COLOURS, SEC_COUNT };

static const char *const section_names[SEC_COUNT] = {
	[SEC_METERS] = "Meters",
	[SEC_COLUMNS] = "Columns",
	[SEC_DISPLAY] = "Display options",
	[SEC_COLOURS] = "Colours",
};

enum display_item {
	DISP_TREE,
	DISP_HIDE_KTHREADS,
	DISP_HIDE_UTHREADS,
	DISP_HIGHLIGHT,
	DISP_BASENAME,
	DISP_DELAY,
	DISP_COUNT
};

/* Where a meter goes: not shown, left column, right column. */
enum { SIDE_OFF, SIDE_LEFT, SIDE_RIGHT };

struct setup_screen {
	struct screen base;
	enum setup_section sec;
	bool in_items;  /* the focus is on the items, not on the sections */
	struct ui_list items;
	/* Meters, in the order shown: left ones, right ones, then the others. */
	enum ui_meter morder[UI_M_COUNT];
	int mside[UI_M_COUNT];
	/* Columns, in the order shown: the list's, then the others. */
	enum proc_col corder[PROC_COL_COUNT];
	bool cshown[PROC_COL_COUNT];
	char **themes;
	size_t nthemes;
};

static const char *const setup_keys_bar[] = {
	"Tab",   "Panel  ", "Space", "Toggle ", "F7",  "MoveUp ", "F8", "MoveDn ",
	"F9",    "Remove ", "+ -",   "Delay  ", "Esc",   "Done   ", NULL, NULL,
};

/* Fill the item arrays from ui->cfg. */
static void setup_load(struct setup_screen *ss)
{
	const struct ui_config *c = &ss->base.ui->cfg;
	bool seen[UI_M_COUNT] = { false };
	size_t n = 0;
	for (int side = 0; side < 2; side++)
		for (size_t i = 0; i < c->nmeters[side]; i++) {
			enum ui_meter m = c->meters[side][i];
			if (seen[m])
				continue;
			seen[m] = true;
			ss->morder[n] = m;
			ss->mside[n++] = side ? SIDE_RIGHT : SIDE_LEFT;
		}
	for (int m = 0; m < UI_M_COUNT; m++)
		if (!seen[m]) {
			ss->morder[n] = (enum ui_meter)m;
			ss->mside[n++] = SIDE_OFF;
		}

	bool shown[PROC_COL_COUNT] = { false };
	n = 0;
	for (size_t i = 0; i < c->ncols; i++) {
		shown[c->cols[i]] = true;
		ss->corder[n] = c->cols[i];
		ss->cshown[n++] = true;
	}
	for (int col = 0; col < PROC_COL_COUNT; col++)
		if (!shown[col]) {
			ss->corder[n] = (enum proc_col)col;
			ss->cshown[n++] = false;
		}
}

static size_t section_count(const struct setup_screen *ss, enum setup_section sec)
{
	switch (sec) {
	case SEC_METERS:
		return UI_M_COUNT;
	case SEC_COLUMNS:
		return PROC_COL_COUNT;
	case SEC_DISPLAY:
		return DISP_COUNT;
	case SEC_COLOURS:
		return ss->nthemes;
	default:
		return 0;
	}
}

/* Meters into cfg. */
static unsigned apply_meters(struct setup_screen *ss)
{
	struct ui_config *c = &ss->base.ui->cfg;
	c->nmeters[0] = c->nmeters[1] = 0;
	for (size_t i = 0; i < UI_M_COUNT; i++)
		if (ss->mside[i] != SIDE_OFF) {
			int side = ss->mside[i] == SIDE_RIGHT;
			c->meters[side][c->nmeters[side]++] = ss->morder[i];
		}
	return UI_RELAYOUT | UI_REDRAW;
}

/*
 * Columns into cfg, the command last (it takes the rest of the line), and
 * the items reordered to match; the selection stays on item sel.
 */
static unsigned apply_columns(struct setup_screen *ss, size_t sel)
{
	struct ui_config *c = &ss->base.ui->cfg;
	enum proc_col keep = ss->corder[sel];
	bool command = false;
	c->ncols = 0;
	for (size_t i = 0; i < PROC_COL_COUNT; i++) {
		if (!ss->cshown[i])
			continue;
		if (ss->corder[i] == PROC_COL_COMMAND)
			command = true;
		else
			c->cols[c->ncols++] = ss->corder[i];
	}
	if (command)
		c->cols[c->ncols++] = PROC_COL_COMMAND;
	/* The hidden ones keep their order after the shown ones. */
	enum proc_col hidden[PROC_COL_COUNT];
	size_t nh = 0;
	for (size_t i = 0; i < PROC_COL_COUNT; i++)
		if (!ss->cshown[i])
			hidden[nh++] = ss->corder[i];
	for (size_t i = 0; i < c->ncols; i++) {
		ss->corder[i] = c->cols[i];
		ss->cshown[i] = true;
	}
	for (size_t i = 0; i < nh; i++) {
		ss->corder[c->ncols + i] = hidden[i];
		ss->cshown[c->ncols + i] = false;
	}
	for (size_t i = 0; i < PROC_COL_COUNT; i++)
		if (ss->corder[i] == keep)
			ss->items.sel = i;
	ui_list_clamp(&ss->items);
	return UI_RESCAN | UI_RELAYOUT | UI_REDRAW;
}

static unsigned set_delay(struct setup_screen *ss, long tenths)
{
	struct ui *ui = ss->base.ui;
	if (tenths < 1)
		tenths = 1;
	if (tenths > 600)
		tenths = 600;
	ui->cfg.delay_tenths = tenths;
	ui_set_timer(ui);
	return UI_REDRAW;
}

static unsigned ask_delay(struct setup_screen *ss)
{
	struct ui *ui = ss->base.ui;
	char buf[32];
	snprintf(buf, sizeof(buf), "%.1f", (double)ui->cfg.delay_tenths / 10);
	if (!ui_dialog_input("Refresh delay", "Seconds (0.1 to 60): ", buf, sizeof(buf)))
		return UI_REDRAW;
	char *end;
	double v = strtod(buf, &end);
	while (*end == ' ')
		end++;
	if (end == buf || *end || !(v >= 0.1 && v <= 60)) {
		ui_set_status(ui, true, "The refresh delay is a number of seconds from 0.1 to 60");
		return UI_REDRAW;
	}
	return set_delay(ss, (long)(v * 10 + 0.5));
}

static unsigned toggle_display(struct setup_screen *ss, size_t item)
{
	struct ui_config *c = &ss->base.ui->cfg;
	switch (item) {
	case DISP_TREE:
		c->tree = !c->tree;
		break;
	case DISP_HIDE_KTHREADS:
		c->hide_kthreads = !c->hide_kthreads;
		break;
	case DISP_HIDE_UTHREADS:
		c->threads = !c->threads;
		break;
	case DISP_HIGHLIGHT:
		c->highlight = !c->highlight;
		break;
	case DISP_BASENAME:
		c->basename = !c->basename;
		break;
	case DISP_DELAY:
		return ask_delay(ss);
	default:
		return UI_NONE;
	}
	return UI_RESCAN | UI_REDRAW;
}

static unsigned pick_theme(struct setup_screen *ss, size_t item)
{
	struct ui *ui = ss->base.ui;
	if (item >= ss->nthemes)
		return UI_NONE;
	char name[64];
	snprintf(name, sizeof(name), "%s", ss->themes[item]);
	ui_load_theme(ui, name);
	if (!ui->color)
		ui_set_status(ui, false, "Theme: %s (colours are off: -C or NO_COLOR)", name);
	clearok(curscr, TRUE);
	return UI_REDRAW;
}

/* Space or Enter on an item. */
static unsigned item_activate(struct setup_screen *ss)
{
	size_t i = ss->items.sel;
	switch (ss->sec) {
	case SEC_METERS:
		ss->mside[i] = (ss->mside[i] + 1) % 3;
		return apply_meters(ss);
	case SEC_COLUMNS: {
		if (ss->cshown[i]) {
			size_t shown = 0;
			for (size_t k = 0; k < PROC_COL_COUNT; k++)
				shown += ss->cshown[k];
			if (shown == 1) {
				ui_set_status(ss->base.ui, true, "The list needs at least one column");
				return UI_REDRAW;
			}
		}
		ss->cshown[i] = !ss->cshown[i];
		return apply_columns(ss, i);
	}
	case SEC_DISPLAY:
		return toggle_display(ss, i);
	case SEC_COLOURS:
		return pick_theme(ss, i);
	default:
		return UI_NONE;
	}
}

/* F7 / F8: move the selected meter or column up (-1) or down (+1). */
static unsigned item_move(struct setup_screen *ss, int dir)
{
	size_t i = ss->items.sel, j = i + (size_t)(long)dir;
	if (ss->sec == SEC_METERS) {
		if (j >= UI_M_COUNT)
			return UI_NONE;
		enum ui_meter m = ss->morder[i];
		int side = ss->mside[i];
		ss->morder[i] = ss->morder[j];
		ss->mside[i] = ss->mside[j];
		ss->morder[j] = m;
		ss->mside[j] = side;
		ss->items.sel = j;
		ui_list_clamp(&ss->items);
		return apply_meters(ss);
	}
	if (ss->sec == SEC_COLUMNS) {
		if (j >= PROC_COL_COUNT || !ss->cshown[i] || !ss->cshown[j])
			return UI_NONE; /* hidden columns have no place to move in */
		enum proc_col c = ss->corder[i];
		ss->corder[i] = ss->corder[j];
		ss->corder[j] = c;
		unsigned r = apply_columns(ss, j);
		if (ss->corder[j] != c || c == PROC_COL_COMMAND)
			ui_set_status(ss->base.ui, false,
				      "The Command column stays last: it takes the rest of the line");
		return r;
	}
	return UI_NONE;
}

static unsigned setup_key(struct screen *s, int key)
{
	struct setup_screen *ss = (struct setup_screen *)s;
	switch (key) {
	case KEY_ESC:
	case 'q':
	case KEY_F(10):
	case KEY_F(2):
	case 'S':
		return UI_CLOSE;
	case '\t':
		ss->in_items = !ss->in_items;
		return UI_REDRAW;
	case KEY_BTAB:
	case KEY_LEFT:
		ss->in_items = false;
		return UI_REDRAW;
	case KEY_RIGHT:
		ss->in_items = true;
		return UI_REDRAW;
	case '+':
	case '=':
		return set_delay(ss, ss->base.ui->cfg.delay_tenths + 1);
	case '-':
		return set_delay(ss, ss->base.ui->cfg.delay_tenths - 1);
	}
	if (!ss->in_items) {
		int sec = (int)ss->sec;
		switch (key) {
		case KEY_UP:
			sec = sec > 0 ? sec - 1 : 0;
			break;
		case KEY_DOWN:
			sec = sec + 1 < SEC_COUNT ? sec + 1 : sec;
			break;
		case KEY_HOME:
			sec = 0;
			break;
		case KEY_END:
			sec = SEC_COUNT - 1;
			break;
		case '\n':
		case '\r':
		case KEY_ENTER:
		case ' ':
			ss->in_items = true;
			return UI_REDRAW;
		default:
			return UI_UNHANDLED;
		}
		if (sec != (int)ss->sec) {
			ss->sec = (enum setup_section)sec;
			ss->items.sel = ss->items.top = 0;
		}
		return UI_REDRAW;
	}
	ss->items.n = section_count(ss, ss->sec);
	if (ui_list_key(&ss->items, key))
		return UI_REDRAW;
	switch (key) {
	case ' ':
	case '\n':
	case '\r':
	case KEY_ENTER:
		return item_activate(ss) | UI_REDRAW;
	case KEY_F(9):
	case KEY_DC:
		/* htop's Remove: take the meter away, hide the column. */
		if (ss->sec == SEC_METERS && ss->mside[ss->items.sel] != SIDE_OFF) {
			ss->mside[ss->items.sel] = SIDE_OFF;
			return apply_meters(ss);
		}
		if (ss->sec == SEC_COLUMNS && ss->cshown[ss->items.sel])
			return item_activate(ss) | UI_REDRAW;
		return UI_REDRAW;
	case KEY_F(7):
	case '[':
		return item_move(ss, -1) | UI_REDRAW;
	case KEY_F(8):
	case ']':
		return item_move(ss, 1) | UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
}

/* The text of item i of the current section. */
static void item_text(struct setup_screen *ss, size_t i, char *out, size_t outsz)
{
	const struct ui *ui = ss->base.ui;
	const struct ui_config *c = &ui->cfg;
	static const char *const side_tag[3] = { "[     ]", "[left ]", "[right]" };
	switch (ss->sec) {
	case SEC_METERS:
		snprintf(out, outsz, "%s %-24s %s", side_tag[ss->mside[i]],
			 ui_meter_titles[ss->morder[i]], ui_meter_names[ss->morder[i]]);
		break;
	case SEC_COLUMNS: {
		const struct proc_col_info *ci = &proc_columns[ss->corder[i]];
		snprintf(out, outsz, "[%c] %-10s %s", ss->cshown[i] ? 'x' : ' ', ci->title, ci->name);
		break;
	}
	case SEC_DISPLAY: {
		static const char *const label[DISP_COUNT] = {
			[DISP_TREE] = "Tree view by default",
			[DISP_HIDE_KTHREADS] = "Hide kernel threads",
			[DISP_HIDE_UTHREADS] = "Hide userland threads (H shows them)",
			[DISP_HIGHLIGHT] = "Highlight new and dying processes",
			[DISP_BASENAME] = "Show the program's base name, not its path",
		};
		bool on[DISP_COUNT] = {
			[DISP_TREE] = c->tree,
			[DISP_HIDE_KTHREADS] = c->hide_kthreads,
			[DISP_HIDE_UTHREADS] = !c->threads,
			[DISP_HIGHLIGHT] = c->highlight,
			[DISP_BASENAME] = c->basename,
		};
		if (i == DISP_DELAY)
			snprintf(out, outsz, "    Refresh delay: %.1f s  (+ -, Enter to type)",
				 (double)c->delay_tenths / 10);
		else
			snprintf(out, outsz, "[%c] %s", on[i] ? 'x' : ' ', label[i]);
		break;
	}
	case SEC_COLOURS:
		snprintf(out, outsz, "(%c) %s", strcmp(ss->themes[i], c->theme) == 0 ? '*' : ' ',
			 ss->themes[i]);
		break;
	default:
		out[0] = '\0';
	}
}

static void setup_draw(struct screen *s)
{
	struct setup_screen *ss = (struct setup_screen *)s;
	struct ui *ui = s->ui;
	if (s->below)
		s->below->ops->draw(s->below); /* the list, live, behind the panel */
	int h = LINES / 2;
	if (h > SETUP_MAX_H)
		h = SETUP_MAX_H;
	if (h < SETUP_MIN_H)
		h = SETUP_MIN_H;
	if (ui_too_small(60, h + 2))
		return;
	int y0 = LINES - 1 - h, a = ui_attr(UI_E_DIALOG);
	for (int y = y0; y < LINES - 1; y++)
		ui_fill(stdscr, y, 0, a);
	ui_fill(stdscr, y0, 0, ui_attr(UI_E_TITLE));
	ui_put(stdscr, y0, 1, -1, ui_attr(UI_E_TITLE),
	       "Setup: changes apply now and are saved when whytop quits");
	for (int i = 0; i < SEC_COUNT; i++) {
		bool sel = i == (int)ss->sec;
		int attr = sel ? ui_attr(ss->in_items ? UI_E_TAB_ACTIVE : UI_E_SELECTED) : a;
		char buf[64];
		snprintf(buf, sizeof(buf), " %-*s", SETUP_SECTIONS_W - 2, section_names[i]);
		ui_put(stdscr, y0 + 1 + i, 0, SETUP_SECTIONS_W, attr, buf);
	}
	ss->items.n = section_count(ss, ss->sec);
	ss->items.height = h - 1;
	ui_list_clamp(&ss->items);
	int x = SETUP_SECTIONS_W + 1;
	for (int r = 0; r < ss->items.height; r++) {
		size_t i = ss->items.top + (size_t)r;
		if (i >= ss->items.n)
			break;
		char buf[160];
		item_text(ss, i, buf, sizeof(buf));
		bool sel = ss->in_items && i == ss->items.sel;
		ui_put(stdscr, y0 + 1 + r, x, COLS - x, sel ? ui_attr(UI_E_SELECTED) : a, buf);
	}
	ui_draw_bottom(ui, setup_keys_bar);
}

static unsigned setup_tick(struct screen *s)
{
	/* The list behind keeps up with the refreshes. */
	return s->below && s->below->ops->tick ? s->below->ops->tick(s->below) : UI_REDRAW;
}

static void setup_layout(struct screen *s)
{
	(void)s; /* drawn from LINES and COLS every time */
}

static void setup_destroy(struct screen *s)
{
	struct setup_screen *ss = (struct setup_screen *)s;
	theme_list_free(ss->themes, ss->nthemes);
	free(ss);
}

static const struct screen_ops setup_ops = {
	.name = "setup",
	.draw = setup_draw,
	.key = setup_key,
	.tick = setup_tick,
	.layout = setup_layout,
	.destroy = setup_destroy,
};

struct screen *setup_screen_new(struct ui *ui)
{
	struct setup_screen *ss = calloc(1, sizeof(*ss));
	if (!ss)
		return NULL;
	ss->base.ops = &setup_ops;
	ss->base.ui = ui;
	ss->items.height = 1;
	setup_load(ss);
	ss->nthemes = theme_list(&ss->themes);
	return &ss->base;
}
