/*
 * commands.c: the table of subcommands (each row, with its options, help
 * and exec, lives in its cmd_NAME.c), the help printed from the rows, and
 * cli_getopt: getopt_long over a row's options, with --help and one message
 * for an unknown option shared by every subcommand.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/cli.h>
#include <whytop/decode.h>
#include <whytop/proc.h>
#include <whytop/util.h>

#include "cli/json.h"

/* Rows in 'whytop --help' order; each lives in its cmd_NAME.c. */
const struct cli_cmd *const cli_commands[] = {
    &cli_cmd_list, &cli_cmd_kstack,   &cli_cmd_blocked, &cli_cmd_stack, &cli_cmd_locals,
    &cli_cmd_poke, &cli_cmd_syscalls, &cli_cmd_libcalls, &cli_cmd_run,	&cli_cmd_trace,
    &cli_cmd_inject, &cli_cmd_catch, &cli_cmd_report, &cli_cmd_demo, &cli_cmd_profile,
    &cli_cmd_offcpu, &cli_cmd_files, &cli_cmd_env, NULL,
};

const struct cli_cmd *cli_find(const char *name)
{
	for (const struct cli_cmd *const *c = cli_commands; *c; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}

void cli_print_help(FILE *f)
{
	fprintf(f, "Subcommands ('whytop NAME --help' lists a subcommand's options):\n");
	for (const struct cli_cmd *const *c = cli_commands; *c; c++)
		fprintf(f, "  whytop %s [OPTIONS]%s%s\n      %s\n", (*c)->name,
			(*c)->args ? " " : "", (*c)->args ? (*c)->args : "", (*c)->summary);
}

/* Column where an option's help text starts. */
#define CLI_HELP_COL 24

/* "  -t, --thread TID      text", continuation lines under the text. */
static void cli_print_opt(FILE *f, int key, const char *name, const char *arg, const char *help)
{
	char label[80];
	if (key > 0 && key < CLI_LONG_ONLY)
		snprintf(label, sizeof(label), "  -%c, --%s%s%s", key, name, arg ? " " : "",
			 arg ? arg : "");
	else
		snprintf(label, sizeof(label), "      --%s%s%s", name, arg ? " " : "",
			 arg ? arg : "");
	int w = (int)strlen(label);
	fputs(label, f);
	if (w >= CLI_HELP_COL - 1) {
		fputc('\n', f);
		w = 0;
	}
	const char *line = help ? help : "";
	for (;;) {
		size_t len = strcspn(line, "\n");
		fprintf(f, "%*s%.*s\n", CLI_HELP_COL - w, "", (int)len, line);
		if (!line[len])
			break;
		line += len + 1;
		w = 0;
	}
}

void cli_print_usage(FILE *f, const struct cli_cmd *cmd)
{
	fprintf(f, "Usage: whytop %s [OPTIONS]%s%s\n%s\n", cmd->name, cmd->args ? " " : "",
		cmd->args ? cmd->args : "", cmd->about ? cmd->about : cmd->summary);
	fprintf(f, "\nOptions:\n");
	for (const struct cli_opt *o = cmd->opts; o && o->name; o++) {
		bool alias = false; /* (the short letter goes with the first name only) */
		for (const struct cli_opt *q = cmd->opts; q != o; q++)
			alias |= q->key == o->key;
		cli_print_opt(f, alias ? CLI_LONG_ONLY : o->key, o->name, o->arg, o->help);
	}
	cli_print_opt(f, 'h', "help", NULL, "this help");
	if (cmd->help_more)
		cmd->help_more(f);
}

void cli_parse_init(struct cli_parse *p, const struct cli_cmd *cmd, int argc, char **argv)
{
	size_t n = 0;
	char *s = p->shortopts;
	memset(p, 0, sizeof(*p));
	p->cmd = cmd;
	p->argc = argc;
	p->argv = argv;
	if (cmd->in_order)
		*s++ = '+'; /* stop at the program to run: its options are its own */
	*s++ = ':';	    /* a missing value is ':', not '?' */
	for (const struct cli_opt *o = cmd->opts; o && o->name && n < CLI_MAX_OPTS; o++, n++) {
		p->longopts[n] = (struct option){o->name, o->arg ? required_argument : no_argument,
						 NULL, o->key};
		if (o->key > 0 && o->key < CLI_LONG_ONLY && !strchr(p->shortopts, o->key)) {
			*s++ = (char)o->key;
			if (o->arg)
				*s++ = ':';
		}
	}
	p->longopts[n++] = (struct option){"help", no_argument, NULL, 'h'};
	p->longopts[n] = (struct option){NULL, 0, NULL, 0};
	*s++ = 'h';
	*s = '\0';
	optind = 0; /* (0: glibc starts afresh, taking the '+' into account) */
	opterr = 0;
}

/* The long name of the row with key c, for messages about short options. */
static const char *cli_key_name(const struct cli_parse *p, int c)
{
	for (const struct option *o = p->longopts; o->name; o++)
		if (o->val == c)
			return o->name;
	return "?";
}

/* The bad option as typed; *flag_value when it is "--flag=VALUE". */
static const char *cli_bad_option(const struct cli_parse *p, char *buf, size_t size,
				  bool *flag_value)
{
	const char *a = optind > 0 && optind <= p->argc ? p->argv[optind - 1] : "";
	*flag_value = false;
	if (a[0] == '-' && a[1] == '-') {
		if (!optopt)
			return a; /* an unknown (or ambiguous) long option */
		size_t len = strcspn(a + 2, "=");
		for (const struct option *o = p->longopts; o->name; o++)
			if (o->val == optopt && strncmp(o->name, a + 2, len) == 0) {
				*flag_value = a[2 + len] == '=' && o->has_arg == no_argument;
				return a;
			}
	}
	if (optopt > 0 && optopt < 128) {
		snprintf(buf, size, "-%c", optopt);
		return buf;
	}
	return a;
}

/* The argument that held the long option just parsed ("--sort" or "--sort=cpu"). */
static const char *cli_typed_long(const struct cli_parse *p)
{
	/* its value in the next argument: the option is the one before */
	int at = optind - (p->arg && p->arg == p->argv[optind - 1] ? 2 : 1);
	return at > 0 ? p->argv[at] : "";
}

int cli_getopt(struct cli_parse *p)
{
	char esc[128], shortbuf[4];
	bool flag_value;
	int li = -1;
	int c = getopt_long(p->argc, p->argv, p->shortopts, p->longopts, &li);
	p->arg = optarg;
	switch (c) {
	case -1:
		return CLI_END;
	case 'h':
		cli_print_usage(stdout, p->cmd);
		p->status = CLI_OK;
		return CLI_STOP;
	case ':':
	case '?': {
		const char *bad = cli_bad_option(p, shortbuf, sizeof(shortbuf), &flag_value);
		wt_escape_to(esc, sizeof(esc), bad, strlen(bad), 0);
		if (c == ':')
			p->status = cli_error(CLI_USAGE, p->cmd->name,
					      "option '%s' needs a value (see 'whytop %s --help')",
					      esc, p->cmd->name);
		else if (flag_value)
			p->status =
			    cli_error(CLI_USAGE, p->cmd->name,
				      "option '%.*s' takes no value (see 'whytop %s --help')",
				      (int)strcspn(esc, "="), esc, p->cmd->name);
		else
			p->status = cli_error(CLI_USAGE, p->cmd->name,
					      "unknown option '%s' (see 'whytop %s --help')", esc,
					      p->cmd->name);
		return CLI_STOP;
	}
	default:
		if (li >= 0) {
			/*
			 * No abbreviations ("--thr" for --thread): one would
			 * start to mean something else when an option is added.
			 */
			const char *a = cli_typed_long(p);
			size_t len = strcspn(a, "=");
			if (len != 2 + strlen(p->longopts[li].name)) {
				wt_escape_to(esc, sizeof(esc), a, len, 0);
				p->status =
				    cli_error(CLI_USAGE, p->cmd->name,
					      "unknown option '%s' (see 'whytop %s --help')", esc,
					      p->cmd->name);
				return CLI_STOP;
			}
		}
		snprintf(p->optbuf, sizeof(p->optbuf), "--%s",
			 li >= 0 ? p->longopts[li].name : cli_key_name(p, c));
		p->opt = p->optbuf;
		return c;
	}
}

int cli_extra_arg(const struct cli_cmd *cmd, const char *arg)
{
	char esc[128];
	return cli_error(CLI_USAGE, cmd->name, "unexpected argument '%s' (see 'whytop %s --help')",
			 wt_escape_to(esc, sizeof(esc), arg, strlen(arg), 0), cmd->name);
}

int cli_error(int status, const char *sub, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "whytop %s: ", sub);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

int cli_json_print(const char *sub, struct json *j, FILE *f)
{
	int rc = json_print(j, f);
	json_free(j);
	if (rc == -EINVAL)
		return cli_error(CLI_FAIL, sub,
				 "internal error: the JSON document came out malformed; "
				 "this is a bug in whytop, please report it with the command line");
	if (rc < 0)
		return cli_error(CLI_FAIL, sub, "cannot write the JSON document: %s",
				 strerror(-rc));
	return CLI_OK;
}

void cli_thread_hint(const char *sub, pid_t pid, pid_t tid, char *out, size_t size)
{
	if (strcmp(sub, "poke") == 0)
		snprintf(out, size, "whytop poke %d --thread %d NAME=VALUE", (int)pid, (int)tid);
	else if (strcmp(sub, "trace") == 0) /* -f: every thread of the process */
		snprintf(out, size, "whytop trace -f %d", (int)pid);
	else if (strcmp(sub, "list") == 0)
		snprintf(out, size, "whytop list --threads -p %d", (int)pid);
	else
		snprintf(out, size, "whytop %s %d --thread %d", sub, (int)pid, (int)tid);
}

int cli_parse_pid(const char *sub, const char *arg, pid_t *out)
{
	char esc[64], hint[128];
	long v;
	pid_t tgid;
	if (!arg)
		return cli_error(CLI_USAGE, sub, "missing PID (see 'whytop %s --help')", sub);
	if (wt_parse_long(arg, 1, 0x7fffffff, &v))
		return cli_error(CLI_USAGE, sub,
				 "'%s' is not a process id (a whole number from 1 to 2147483647)",
				 wt_escape_to(esc, sizeof(esc), arg, strlen(arg), 0));
	if (kill((pid_t)v, 0) < 0 && errno == ESRCH)
		return cli_error(CLI_FAIL, sub, "no process %ld (it may have exited)", v);
	/*
	 * /proc and kill() answer for a thread id as for a process: without
	 * this check a thread's id would silently stand for its whole process
	 * (or, in list, match nothing).
	 */
	if (proc_tgid_of((pid_t)v, &tgid) == 0 && tgid != (pid_t)v) {
		cli_thread_hint(sub, tgid, (pid_t)v, hint, sizeof(hint));
		return cli_error(CLI_USAGE, sub, "%ld is a thread of process %d, not a process; use '%s'",
				 v, (int)tgid, hint);
	}
	*out = (pid_t)v;
	return 0;
}

/* "1.5" -> 1.5: digits with an optional fraction, nothing else. */
static int cli_decimal(const char *s, double *out)
{
	double v = 0, scale = 1;
	const char *p = s;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++)
		v = v * 10 + (*p - '0');
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		for (; isdigit((unsigned char)*p); p++)
			v += (*p - '0') * (scale /= 10);
	}
	if (*p || !isfinite(v))
		return -EINVAL;
	*out = v;
	return 0;
}

int cli_parse_long(const char *sub, const char *opt, const char *what, const char *arg, long min,
		   long max, long *out)
{
	char esc[64];
	if (arg && wt_parse_long(arg, min, max, out) == 0)
		return 0;
	return cli_error(CLI_USAGE, sub, "%s wants %s from %ld to %ld, not '%s'", opt, what, min,
			 max, arg ? wt_escape_to(esc, sizeof(esc), arg, strlen(arg), 0) : "");
}

int cli_parse_seconds(const char *sub, const char *opt, const char *arg, double max, double *out)
{
	char esc[64];
	double v;
	if (arg && cli_decimal(arg, &v) == 0 && v <= max) {
		*out = v;
		return 0;
	}
	return cli_error(CLI_USAGE, sub, "%s wants seconds from 0 to %.0f (such as 2 or 0.5), not '%s'",
			 opt, max, arg ? wt_escape_to(esc, sizeof(esc), arg, strlen(arg), 0) : "");
}

int cli_parse_trace_set(const char *sub, const char *arg, struct sc_set *set)
{
	char esc[128];
	const char *expr = strncmp(arg, "trace=", 6) == 0 ? arg + 6 : arg;
	if (expr == arg && strchr(arg, '='))
		return cli_error(CLI_USAGE, sub, "-e takes trace=SET (as strace), not '%s'",
				 wt_escape_to(esc, sizeof(esc), arg, strlen(arg), 0));
	struct wt_err err;
	wt_err_clear(&err);
	if (sc_set_parse(set, expr, &err) < 0)
		return cli_error(CLI_USAGE, sub, "-e trace=: %s (see 'whytop %s --help')", err.msg,
				 sub);
	return 0;
}

int cli_frame_option(const char *sub, int c, const char *arg, struct cli_frame_sel *sel)
{
	switch (c) {
	case 't':
		if (cli_parse_long(sub, "--thread", "a thread id", arg, 1, 0x7fffffff, &sel->tid))
			return CLI_USAGE;
		return 1;
	case 'f':
		if (cli_parse_long(sub, "--frame", "a frame number", arg, 0, 100000, &sel->frame))
			return CLI_USAGE;
		return 1;
	case 'F':
		sel->function = arg;
		return 1;
	default:
		return 0;
	}
}

int cli_frame_check(const char *sub, const struct cli_frame_sel *sel)
{
	if (sel->frame >= 0 && sel->function)
		return cli_error(CLI_USAGE, sub, "give --frame or --function, not both");
	return 0;
}
