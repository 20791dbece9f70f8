/*
 * commands.c: the table of subcommands. One row each; the body of
 * each lives in cmd_NAME.c.
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
#include <whytop/proc.h>
#include <whytop/util.h>

/* (one declaration per subcommand, kept in table order) */
int cmd_list_run(int argc, char **argv);
int cmd_kstack(int argc, char **argv);
int cmd_blocked(int argc, char **argv);
int cmd_stack(int argc, char **argv);
int cmd_locals(int argc, char **argv);
int cmd_poke(int argc, char **argv);
int cmd_syscalls(int argc, char **argv);
int cmd_run(int argc, char **argv);

const struct cli_cmd cli_commands[] = {
	/* (rows are added here, one per subcommand) */
	{ "list",
	  "[--sort COL] [--filter TEXT] [--threads] [--tree] [--limit N] [--interval MS] "
	  "[--columns A,B] [--json]",
	  "print the process table once (CPU% over a short interval) and exit", cmd_list_run },
	{ "kstack", "PID [--json] [--tid TID] [--observe SECONDS]",
	  "each thread's state, wchan, decoded syscall and kernel stack", cmd_kstack },
	{ "blocked", "[--json] [--observe SECONDS]",
	  "every D-state task of the system, grouped by the kernel frame it waits in", cmd_blocked },
	{ "stack", "PID [--thread TID] [--json] [--source] [--consistent]",
	  "user stacks of every thread: function, file:line, inline frames", cmd_stack },
	{ "locals", "PID [--thread TID] [--frame N | --function NAME] [--expand PATH] [--json]",
	  "a frame's parameters, locals and globals with type, location and value", cmd_locals },
	{ "poke", "PID [--thread TID] [--frame N | --function NAME] [--json] NAME=VALUE",
	  "change a variable of a live frame (rescue a stuck loop); prints old and new", cmd_poke },
	{ "syscalls", "PID [--duration SEC] [--backend kernel|ptrace] [--thread TID] [--json]",
	  "count a process's syscalls (calls, errors, time) like strace -c", cmd_syscalls },
	{ "run", "[--trace SYSCALLS] [--json] -- CMD ARGS",
	  "run a program and print its syscall summary when it ends", cmd_run },
	{ NULL, NULL, NULL, NULL },
};

const struct cli_cmd *cli_find(const char *name)
{
	for (const struct cli_cmd *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

void cli_print_help(FILE *f)
{
	fprintf(f, "Subcommands (each takes --help):\n");
	for (const struct cli_cmd *c = cli_commands; c->name; c++)
		fprintf(f, "  whytop %s %s\n      %s\n", c->name, c->usage, c->summary);
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

void cli_thread_hint(const char *sub, pid_t pid, pid_t tid, char *out, size_t size)
{
	if (strcmp(sub, "kstack") == 0)
		snprintf(out, size, "whytop kstack %d --tid %d", (int)pid, (int)tid);
	else if (strcmp(sub, "poke") == 0)
		snprintf(out, size, "whytop poke %d --thread %d NAME=VALUE", (int)pid, (int)tid);
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
