/*
 * commands.c: the table of subcommands. One row each; the body of
 * each lives in cmd_NAME.c.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/cli.h>
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

int cli_parse_pid(const char *sub, const char *arg, pid_t *out)
{
	long v;
	if (!arg)
		return cli_error(CLI_USAGE, sub, "missing PID (see 'whytop %s --help')", sub);
	if (wt_parse_long(arg, 1, 0x7fffffff, &v))
		return cli_error(CLI_USAGE, sub, "'%s' is not a process id", arg);
	if (kill((pid_t)v, 0) < 0 && errno == ESRCH)
		return cli_error(CLI_FAIL, sub, "no process %ld (it may have exited)", v);
	*out = (pid_t)v;
	return 0;
}

int cli_frame_option(const char *sub, int c, const char *arg, struct cli_frame_sel *sel)
{
	switch (c) {
	case 't':
		if (wt_parse_long(arg, 1, 0x7fffffff, &sel->tid))
			return cli_error(CLI_USAGE, sub, "'%s' is not a thread id", arg);
		return 1;
	case 'f':
		if (wt_parse_long(arg, 0, 100000, &sel->frame))
			return cli_error(CLI_USAGE, sub, "'%s' is not a frame number", arg);
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
