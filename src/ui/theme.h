/*
 * theme.h: the UI elements a theme colours, and the attributes in use.
 *
 * Themes are files (themes/NAME, "element = colour on colour, attr"), see
 * doc/whytop.1 THEMES. The parse (theme_file.c) has no curses; theme.c
 * turns the result into curses attributes. Screens and tabs draw with
 * ui_attr(UI_E_...) and never hard-code a colour.
 */
#ifndef WHYTOP_UI_THEME_H
#define WHYTOP_UI_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include <whytop/util.h>

/* The elements, in the order of theme_elem_names[]. */
enum ui_elem {
	UI_E_NORMAL,        /* normal text */
	UI_E_TITLE,         /* titles of screens and panels */
	UI_E_LABEL,         /* "Load average:", "Cwd:" */
	UI_E_VALUE,         /* the value next to a label */
	UI_E_COLUMN_HEADER, /* the process list's column header line */
	UI_E_COLUMN_SORTED, /* the column the list is sorted by */
	UI_E_SELECTED,      /* the selected row */
	UI_E_STATUS,        /* the status / message line */
	UI_E_ERROR,         /* error messages */
	UI_E_WARNING,       /* warnings */
	UI_E_KEY,           /* function key names in the bottom bar ("F1") */
	UI_E_KEY_LABEL,     /* their labels ("Help") */
	UI_E_BAR_BRACKET,   /* [ ] around meters */
	UI_E_BAR_USER,      /* CPU: user time */
	UI_E_BAR_SYSTEM,    /* CPU: system time */
	UI_E_BAR_IO,        /* CPU: iowait, irq, steal */
	UI_E_BAR_MEM,       /* memory used */
	UI_E_BAR_BUFFERS,   /* memory buffers */
	UI_E_BAR_CACHE,     /* memory cache */
	UI_E_BAR_SWAP,      /* swap used */
	UI_E_STATE_D,       /* tasks in D state (rows and the header's count) */
	UI_E_STATE_R,       /* running tasks */
	UI_E_STATE_Z,       /* zombies */
	UI_E_STATE_T,       /* stopped / traced */
	UI_E_KTHREAD,       /* kernel threads */
	UI_E_THREAD,        /* user threads (threads view) */
	UI_E_DIM,           /* tree lines, secondary text */
	UI_E_MATCH,         /* search match */
	UI_E_TAB,           /* an inactive tab name */
	UI_E_TAB_ACTIVE,    /* the active tab name */
	UI_E_DIALOG,        /* dialog body */
	UI_E_NEW_TASK,      /* a process that just started (highlight_changes) */
	UI_E_DYING_TASK,    /* a process that just exited, kept a refresh or two */
	UI_E_COUNT
};

extern const char *const theme_elem_names[UI_E_COUNT];

/* Attribute bits of a spec (independent of curses). */
enum theme_attr {
	THEME_BOLD = 1u << 0,
	THEME_DIM = 1u << 1,
	THEME_REVERSE = 1u << 2,
	THEME_UNDERLINE = 1u << 3,
	THEME_STANDOUT = 1u << 4,
	THEME_ITALIC = 1u << 5,
};

/* A colour: -1 the terminal's default, 0..255 a palette index. */
struct theme_spec {
	bool set;
	short fg, bg;
	unsigned attrs;
};

struct theme {
	char name[64];
	char description[160];
	/* spec8 is used on 8/16-colour terminals, spec256 (when set) on 256. */
	struct theme_spec spec8[UI_E_COUNT];
	struct theme_spec spec256[UI_E_COUNT];
};

/*
 * Parse theme text. Unknown elements and bad values are errors naming the
 * line. Elements the file does not set inherit from "normal".
 */
int theme_parse(struct theme *th, const char *name, const char *text, struct wt_err *err);
/* Find NAME in the user's theme dir, then the installed, then the source tree. */
int theme_load(struct theme *th, const char *name, struct wt_err *err);
/* Names of every theme found (sorted, unique, malloc'd array of malloc'd strings). */
size_t theme_list(char ***names);
void theme_list_free(char **names, size_t n);

/* curses side (theme.c): apply a theme; colour off -> attributes only. */
void theme_apply(const struct theme *th, bool color);
/* The curses attribute for an element of the theme in use. */
int ui_attr(enum ui_elem e);

#endif
