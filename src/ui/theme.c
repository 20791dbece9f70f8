/*
 * theme.c: turning a parsed theme (theme_file.c) into curses attributes.
 * Element i uses colour pair i + 1. Without colour (-C, NO_COLOR, a
 * terminal without colours) only the attributes are kept, and elements
 * that must stand out (selection, D-state tasks, headers) get a fallback
 * attribute if the theme gave them none.
 */
#include <curses.h>

#include "ui/theme.h"

static int elem_attr[UI_E_COUNT];

static int curses_attrs(unsigned a)
{
	int r = A_NORMAL;
	if (a & THEME_BOLD)
		r |= A_BOLD;
	if (a & THEME_DIM)
		r |= A_DIM;
	if (a & THEME_REVERSE)
		r |= A_REVERSE;
	if (a & THEME_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & THEME_STANDOUT)
		r |= A_STANDOUT;
#ifdef A_ITALIC
	if (a & THEME_ITALIC)
		r |= A_ITALIC;
#endif
	return r;
}

/* What must remain visible without colour. */
static int mono_fallback(enum ui_elem e)
{
	switch (e) {
	case UI_E_SELECTED:
	case UI_E_COLUMN_HEADER:
	case UI_E_TAB_ACTIVE:
	case UI_E_KEY_LABEL:
	case UI_E_BAR_MEM:
	case UI_E_BAR_USER:
	case UI_E_BAR_SWAP:
		return A_REVERSE;
	case UI_E_STATE_D:
		return A_BOLD | A_UNDERLINE;
	case UI_E_NEW_TASK:
		return A_BOLD;
	case UI_E_DYING_TASK:
		return A_DIM;
	case UI_E_COLUMN_SORTED:
	case UI_E_TITLE:
	case UI_E_ERROR:
	case UI_E_MATCH:
	case UI_E_KEY:
		return A_BOLD;
	default:
		return A_NORMAL;
	}
}

/* Fit a colour to what the terminal has; bright colours become bold on 8. */
static short fit_color(short c, int *extra)
{
	if (c < 0 || c < COLORS)
		return c;
	if (c >= 8 && c < 16) {
		*extra |= A_BOLD;
		return (short)(c - 8);
	}
	return (short)(c % 8);
}

void theme_apply(const struct theme *th, bool color)
{
	bool use_color = color && has_colors();
	if (use_color) {
		start_color();
		use_default_colors();
	}
	for (int i = 0; i < UI_E_COUNT; i++) {
		const struct theme_spec *sp = &th->spec8[i];
		if (use_color && COLORS >= 256 && th->spec256[i].set)
			sp = &th->spec256[i];
		int a = curses_attrs(sp->attrs);
		if (use_color) {
			int extra = 0;
			short fg = fit_color(sp->fg, &extra), bg = fit_color(sp->bg, &extra);
			/* A bright background cannot be made bold: drop the hint. */
			if (sp->bg >= 8 && sp->bg < 16 && COLORS < 16)
				extra = sp->fg >= 8 && sp->fg < 16 ? A_BOLD : 0;
			init_pair((short)(i + 1), fg, bg);
			a |= COLOR_PAIR(i + 1) | extra;
		} else if (a == A_NORMAL) {
			a = mono_fallback((enum ui_elem)i);
		}
		elem_attr[i] = a;
	}
}

int ui_attr(enum ui_elem e)
{
	return (unsigned)e < UI_E_COUNT ? elem_attr[e] : (int)A_NORMAL;
}
