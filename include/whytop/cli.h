/*
 * cli.h: the command-line front end. Each subcommand is one file in
 * src/cli/ (cmd_NAME.c) and one row of the table in src/cli/commands.c.
 */
#ifndef WHYTOP_CLI_H
#define WHYTOP_CLI_H

#include <stdio.h>
#include <sys/types.h>

struct cli_cmd {
	const char *name;
	const char *usage;   /* "PID [--json]" */
	const char *summary; /* one line for --help */
	int (*run)(int argc, char **argv); /* argv[0] is the subcommand; returns exit status */
};

extern const struct cli_cmd cli_commands[];
const struct cli_cmd *cli_find(const char *name);
void cli_print_help(FILE *f);

/* Exit statuses: 0 fine, 1 the operation failed, 2 bad usage. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* "whytop SUB: message" on stderr; returns status. */
int cli_error(int status, const char *sub, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/*
 * Parse a pid argument and check the process exists; prints the error itself.
 * A thread id that is not its process's id is refused with a hint naming
 * the process and the option that takes a thread (cli_thread_hint).
 */
int cli_parse_pid(const char *sub, const char *arg, pid_t *out);
/*
 * Every numeric option goes through these: a whole number is decimal
 * digits, maybe after a '-' (no spaces, '+', 0x, units), from min to max;
 * seconds are digits with an optional fraction ("2", "0.25"), from 0 to max
 * (no inf, nan or exponent). On a bad value they say on stderr
 * "whytop SUB: OPT wants WHAT from MIN to MAX, not 'ARG'" (ARG escaped) and
 * return CLI_USAGE; 0 otherwise.
 */
int cli_parse_long(const char *sub, const char *opt, const char *what, const char *arg, long min,
		   long max, long *out);
int cli_parse_seconds(const char *sub, const char *opt, const char *arg, double max, double *out);
/* What this subcommand's users type to pick thread tid of process pid. */
void cli_thread_hint(const char *sub, pid_t pid, pid_t tid, char *out, size_t size);

/* The frame locals and poke work on: --thread TID, --frame N, --function NAME. */
struct cli_frame_sel {
	long tid;	      /* 0: the main thread */
	long frame;	      /* -1: not given */
	const char *function; /* NULL: not given */
};
#define CLI_FRAME_SEL_INIT {0, -1, NULL}
/*
 * Option c ('t', 'f' or 'F') with its argument: 1 when taken into sel, 0
 * when c is another option, CLI_USAGE when its value is bad (said on
 * stderr).
 */
int cli_frame_option(const char *sub, int c, const char *arg, struct cli_frame_sel *sel);
/* After the options: 0, or CLI_USAGE (said) for --frame with --function. */
int cli_frame_check(const char *sub, const struct cli_frame_sel *sel);

#endif
