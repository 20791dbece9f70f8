/*
 * cmd_run.c: "whytop run [--trace SYSCALLS] -- CMD ARGS": run a program
 * under whytop and print its syscall summary (on stderr, or --output FILE)
 * when it ends. whytop exits with the program's own status.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <whytop/cli.h>
#include <whytop/syscalls.h>
#include <whytop/util.h>

#include "syscalls_report.h"

#define SUB "run"

static void usage(FILE *f)
{
	fprintf(f, "Usage: whytop run [--trace SYSCALLS] [--json] [--output FILE] [--sort KEY]\n"
		   "                  -- CMD [ARGS...]\n"
		   "Run CMD (and whatever it starts) under whytop and print its syscall summary\n"
		   "on stderr when it ends, like strace -c -f. With --trace openat,read,... a\n"
		   "seccomp filter stops the program only for those calls; the rest run at\n"
		   "full speed. whytop exits with the program's status.\n");
}

int cmd_run(int argc, char **argv)
{
	const char *trace = NULL, *output = NULL;
	int json = 0, sort = SC_SORT_TIME, i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return CLI_OK;
		} else if (strcmp(a, "--json") == 0) {
			json = 1;
		} else if (strcmp(a, "--trace") == 0 && v) {
			trace = v;
			i++;
		} else if ((strcmp(a, "--output") == 0 || strcmp(a, "-o") == 0) && v) {
			output = v;
			i++;
		} else if (strcmp(a, "--sort") == 0 && v) {
			sort = sc_report_sort_key(v);
			if (sort < 0)
				return cli_error(CLI_USAGE, SUB, "unknown --sort key '%s'", v);
			i++;
		} else if (a[0] == '-') {
			usage(stderr);
			return CLI_USAGE;
		} else {
			break; /* the command, without "--" */
		}
	}
	if (i >= argc)
		return cli_error(CLI_USAGE, SUB, "which program? (whytop run -- CMD ARGS)");

	FILE *out = stderr;
	if (output && !(out = fopen(output, "we"))) /* not inherited by the program */
		return cli_error(CLI_FAIL, SUB, "cannot write %s: %s", output, strerror(errno));

	struct sc_sample *sample = sc_sample_new();
	struct sc_counts *c = sc_counts_new();
	if (!sample || !c)
		return cli_error(CLI_FAIL, SUB, "out of memory");
	sample->t_ns = wt_now_ns();
	sc_counts_update(c, sample); /* zero at the start */

	struct wt_err err;
	wt_err_clear(&err);
	int status = 0;
	int r = sc_launch_run(argv + i, trace, sample, &status, &err);
	if (r < 0) {
		sc_counts_free(c);
		sc_sample_free(sample);
		if (out != stderr)
			fclose(out);
		return cli_error(CLI_FAIL, SUB, "%s", err.msg);
	}
	sc_counts_update(c, sample);
	sc_counts_sort(c, (enum sc_sort)sort);

	char what[300], cost[200];
	snprintf(what, sizeof(what), "%s%s", argv[i], argc - i > 1 ? " ..." : "");
	char *safe = wt_escape(what, strlen(what), 0);
	snprintf(what, sizeof(what), "run %s%s%s", safe ? safe : "?", trace ? ", watching " : "",
		 trace ? trace : "");
	free(safe);
	snprintf(cost, sizeof(cost), "%s",
		 trace ? "stops only at the watched syscalls (seccomp), the rest run freely"
		       : "the program stops twice per syscall");
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	struct sc_report_info ri = {
	    .what = what,
	    .backend = "launch",
	    .backend_name = trace ? "ptrace + seccomp filter" : "ptrace",
	    .cost = cost,
	    .pid = 0,
	    .tid = 0,
	    .exit_status = code,
	};
	if (json)
		sc_report_json(out, c, &ri);
	else
		sc_report_text(out, c, &ri);
	if (out != stderr)
		fclose(out);
	sc_counts_free(c);
	sc_sample_free(sample);
	/* A program killed by a signal: say so with the shell's convention. */
	return code;
}
