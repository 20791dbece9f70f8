/*
 * config.h: the terminal UI's settings: defaults, the configuration file
 * ($XDG_CONFIG_HOME/whytop/config) and the command-line flags, applied in
 * that order. No curses here, so the parser has unit tests.
 */
#ifndef WHYTOP_UI_CONFIG_H
#define WHYTOP_UI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include <whytop/proc.h>
#include <whytop/util.h>

#define UI_CONFIG_MAX_COLS PROC_COL_COUNT
#define UI_CONFIG_MAX_MSGS 8

struct ui_config {
	long delay_tenths;            /* refresh interval, tenths of a second */
	enum proc_col cols[UI_CONFIG_MAX_COLS];
	size_t ncols;
	enum proc_col sort_col;
	bool sort_desc;
	char theme[64];
	bool tree, threads, hide_kthreads;
	bool color;                   /* false: -C, NO_COLOR, or "color = no" */
	/* Flags only. */
	pid_t *pids;                  /* -p */
	size_t npids;
	char user[64];                /* -u, "" for everyone */
	bool open;                    /* --open: straight to the process screen */
	bool blocked;                 /* --blocked: straight to the blocked view */
	bool readonly;                /* --readonly: no kill, nice, affinity, poke, inject */
	/* Lines of the file that were ignored, for the status line. */
	char msgs[UI_CONFIG_MAX_MSGS][256]; /* escaped */
	size_t nmsgs;
	size_t nmsgs_more;            /* bad lines beyond those kept in msgs */
};

void ui_config_defaults(struct ui_config *c);
/*
 * Apply configuration text. A line that cannot be understood is skipped
 * (its setting keeps the default) and described in c->msgs with its line
 * number, prefixed by origin (the file's path). Returns the number of such
 * lines.
 */
int ui_config_parse(struct ui_config *c, const char *origin, const char *text);
/* $XDG_CONFIG_HOME/whytop/NAME, or ~/.config/whytop/NAME; NULL if neither is set. */
char *ui_config_path(const char *name);
/* Read the config file if there is one (a missing file is not an error). */
int ui_config_load(struct ui_config *c);
/*
 * Apply command-line flags (argv as given to ui_main). Returns 0, or 2
 * with a one-line error in err for bad usage (quoting the raw value: print
 * it escaped), or 1 when --help was asked
 * (printed by the caller).
 */
int ui_config_flags(struct ui_config *c, int argc, char **argv, struct wt_err *err);
void ui_config_free(struct ui_config *c);
void ui_config_print_options(FILE *f);
/* "pid user state cpu" from c's columns, for messages. */
void ui_config_cols_str(const struct ui_config *c, char *out, size_t outsz);
/* s without leading and trailing white space (cut in place), for both key = value files. */
char *ui_config_trim(char *s);

#endif
