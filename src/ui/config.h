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

/* The header's meters (header.c draws them), in the order of ui_meter_names[]. */
enum ui_meter {
	UI_M_CPUS,     /* one bar per CPU */
	UI_M_CPU,      /* every CPU combined */
	UI_M_MEM,
	UI_M_SWAP,
	UI_M_LOAD,
	UI_M_UPTIME,
	UI_M_TASKS,    /* task counts, and by state */
	UI_M_PSI_CPU,  /* pressure stall, /proc/pressure/cpu */
	UI_M_PSI_IO,
	UI_M_PSI_MEMORY,
	UI_M_COUNT
};
/* Names in the file ("cpus", "mem", "psi_io") and titles in the setup screen. */
extern const char *const ui_meter_names[UI_M_COUNT];
extern const char *const ui_meter_titles[UI_M_COUNT];

/* The settings the file holds and the setup screen (F2) changes. */
enum ui_config_key {
	UI_K_DELAY,
	UI_K_COLUMNS,
	UI_K_SORT,
	UI_K_THEME,
	UI_K_TREE,
	UI_K_THREADS,
	UI_K_HIDE_KTHREADS,
	UI_K_COLOR,
	UI_K_METERS_LEFT,
	UI_K_METERS_RIGHT,
	UI_K_HIGHLIGHT,
	UI_K_BASENAME,
	UI_K_COUNT
};

struct ui_config {
	long delay_tenths;            /* refresh interval, tenths of a second */
	enum proc_col cols[UI_CONFIG_MAX_COLS];
	size_t ncols;
	enum proc_col sort_col;
	bool sort_desc;
	char theme[64];
	bool tree, threads, hide_kthreads;
	bool color;                   /* false: -C, NO_COLOR, or "color = no" */
	enum ui_meter meters[2][UI_M_COUNT]; /* left and right column of the header */
	size_t nmeters[2];
	bool highlight;               /* new and dying processes in their own colours */
	bool basename;                /* the program's base name, not its whole path */
	bool no_save;                 /* --no-save: never write the file */
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
/*
 * Writing the file back (on quit). "key = value" of key k in c (no newline).
 */
void ui_config_format(const struct ui_config *c, enum ui_config_key k, char *out, size_t outsz);
/* Bit 1 << k set for every key whose value differs between a and b. */
unsigned ui_config_diff(const struct ui_config *a, const struct ui_config *b);
/*
 * text (the file as it is, may be NULL) with the keys in mask set to c's
 * values: a key's last line is rewritten where it stands (a comment after
 * the value is kept), a key the text lacks is appended; every other line
 * (comments, unknown keys, broken lines) is kept as it is. Returns a
 * malloc'd string, or NULL when out of memory.
 */
char *ui_config_merge(const char *text, const struct ui_config *c, unsigned mask);
/*
 * Merge the keys in mask into the file (ui_config_path("config")) and
 * replace it atomically: a temporary file in the same directory, fsync,
 * rename. The directory is created if missing. 0, or -errno with err
 * saying which path and why.
 */
int ui_config_save(const struct ui_config *c, unsigned mask, struct wt_err *err);

/* "pid user state cpu" from c's columns, for messages. */
void ui_config_cols_str(const struct ui_config *c, char *out, size_t outsz);
/* s without leading and trailing white space (cut in place), for both key = value files. */
char *ui_config_trim(char *s);

#endif
