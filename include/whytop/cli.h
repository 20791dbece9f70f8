/*
 * cli.h: the command-line front end. Each subcommand is one file in
 * src/cli/ (cmd_NAME.c) holding its struct cli_cmd (name, options with their
 * help, exec), listed in the table in src/cli/commands.c.
 */
#ifndef WHYTOP_CLI_H
#define WHYTOP_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

/*
 * One option of a subcommand: what the parser accepts and what --help says
 * come from this row, so the two cannot drift (the getopt_long tables are
 * built from the rows at parse time).
 */
struct cli_opt {
	const char *name; /* long name without "--": "thread" */
	int key;	  /* what cli_getopt returns; a letter is also the short option */
	const char *arg;  /* "TID": the option takes a value; NULL: a flag */
	const char *help; /* one line for --help ('\n' starts a continuation line) */
};
/* Rows locals and poke share with cli_frame_option's parsing (the frame
 * row's help differs: poke picks the frame where NAME is visible). */
#define CLI_OPT_THREAD                                                                             \
	{.name = "thread", .key = 't', .arg = "TID", .help = "a thread of PID (default: the main thread)"}
#define CLI_OPT_FUNCTION                                                                           \
	{.name = "function", .key = 'F', .arg = "NAME", .help = "the innermost frame in function NAME"}
/* Keys of long-only options start here (keys below are short letters too). */
#define CLI_LONG_ONLY 256

/* A subcommand, in the manner of tmux's cmd_entry: one per cmd_NAME.c. */
struct cli_cmd {
	const char *name;
	const char *args;	    /* positional arguments after [OPTIONS]: "PID" */
	const char *summary;	    /* one line for 'whytop --help' */
	const char *about;	    /* paragraph(s) of 'whytop NAME --help', '\n'-separated */
	const struct cli_opt *opts; /* ends with {NULL}; --help (-h) is implied */
	bool in_order;		    /* options end at the first argument (run's CMD) */
	void (*help_more)(FILE *f); /* what --help adds at the end, or NULL */
	int (*exec)(int argc, char **argv); /* argv[0] is the subcommand; returns exit status */
};

/* The table, in 'whytop --help' order; ends with NULL. */
extern const struct cli_cmd *const cli_commands[];
extern const struct cli_cmd cli_cmd_list, cli_cmd_kstack, cli_cmd_blocked, cli_cmd_stack,
    cli_cmd_locals, cli_cmd_poke, cli_cmd_syscalls, cli_cmd_run, cli_cmd_trace, cli_cmd_inject,
    cli_cmd_catch;
extern const struct cli_cmd cli_cmd_offcpu;
extern const struct cli_cmd cli_cmd_report, cli_cmd_demo;
extern const struct cli_cmd cli_cmd_profile, cli_cmd_libcalls;
extern const struct cli_cmd cli_cmd_files, cli_cmd_env;
const struct cli_cmd *cli_find(const char *name);
/* The subcommands and their summaries, for 'whytop --help'. */
void cli_print_help(FILE *f);
/* 'whytop NAME --help': usage, about, every option of the row. */
void cli_print_usage(FILE *f, const struct cli_cmd *cmd);

#define CLI_MAX_OPTS 24
/* getopt_long over a command's rows; see cli_getopt. */
struct cli_parse {
	const struct cli_cmd *cmd;
	int argc;
	char **argv;
	const char *arg; /* the option's value (optarg) */
	const char *opt; /* the option as named in messages: "--tid" as typed, else its long name */
	int status;	 /* exit status when cli_getopt returned CLI_STOP */
	char optbuf[48];
	struct option longopts[CLI_MAX_OPTS + 2];
	char shortopts[CLI_MAX_OPTS * 2 + 4];
};
enum { CLI_END = -1, CLI_STOP = -2 };
void cli_parse_init(struct cli_parse *p, const struct cli_cmd *cmd, int argc, char **argv);
/*
 * The next option's key (p->arg, p->opt set), CLI_END after the last one
 * (optind is then the first argument; "--" is taken), or CLI_STOP with
 * p->status set: --help was printed (0), or an unknown option or a missing
 * value was said on stderr in one line pointing at 'whytop NAME --help' (2).
 */
int cli_getopt(struct cli_parse *p);
/* "whytop NAME: unexpected argument 'ARG' (see 'whytop NAME --help')"; CLI_USAGE. */
int cli_extra_arg(const struct cli_cmd *cmd, const char *arg);

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
/*
 * -e trace=SET, or SET alone (as strace), into set (decode.h's syntax).
 * Another qualifier, or a bad set, is said on stderr ("no syscall named
 * 'opne'") and gives CLI_USAGE; 0 otherwise. `trace` handles its
 * status= before.
 */
struct sc_set;
int cli_parse_trace_set(const char *sub, const char *arg, struct sc_set *set);
/*
 * Every --json document ends here: built with the writer of src/cli/json.h,
 * written to f with a newline, then freed. CLI_OK, or CLI_FAIL with the
 * reason said on stderr (a write error, or a malformed document: a bug).
 */
struct json;
int cli_json_print(const char *sub, struct json *j, FILE *f);
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
