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
int cmd_syscalls(int argc, char **argv);
int cmd_run(int argc, char **argv);

const struct cli_cmd cli_commands[] = {
	/* (rows are added here, one per subcommand) */
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
