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

#include <whytop/catch.h>
#include <whytop/cli.h>
#include <whytop/decode.h>
#include <whytop/syscalls.h>
#include <whytop/util.h>

#include "cmd_inject.h"
#include "cli/catch_print.h"
#include "syscalls_report.h"

#define SUB "run"

enum { RUN_JSON = CLI_LONG_ONLY, RUN_TRACE, RUN_SORT, RUN_INJECT, RUN_CATCH, RUN_HOLD };

static const struct cli_opt run_opts[] = {
    {.name = "trace",
     .key = RUN_TRACE,
     .arg = "SYSCALLS",
     .help = "openat,read,...: a seccomp filter stops the program only\n"
	     "for those calls; the rest run at full speed"},
    {.name = "expr",
     .key = 'e',
     .arg = "trace=SET",
     .help = "count only these calls, in strace's syntax (names,\n"
	     "%classes, !negation); like --trace, a seccomp filter\n"
	     "stops the program only for them"},
    {.name = "output", .key = 'o', .arg = "FILE", .help = "write the summary to FILE, not stderr"},
    {.name = "sort",
     .key = RUN_SORT,
     .arg = "KEY",
     .help = "time (default), calls, errors, avg, rate, name"},
    {.name = "json", .key = RUN_JSON, .help = "the summary (or the crash report) as one JSON object"},
    {.name = "catch",
     .key = RUN_CATCH,
     .help = "no syscall summary: catch a crash instead (as 'whytop catch'),\n"
	     "the program running at full speed; the report goes to stderr"},
    {.name = "hold",
     .key = RUN_HOLD,
     .help = "with --catch: leave the crashed program stopped for inspection;\n"
	     "whytop waits until it ends ('kill -CONT PID' lets it die)"},
    /* ---- inject (cmd_inject.c) ---- */
    {.name = "inject",
     .key = RUN_INJECT,
     .arg = "SET:error=E",
     .help = "fault injection instead of the summary, strace's -e inject=\n"
	     "syntax (SET:error=E|retval=N[:delay_enter=US][:delay_exit=US]\n"
	     "[:when=EXPR][:path=GLOB]), again for more rules; see\n"
	     "'whytop inject'"},
    /* ---- end inject ---- */
    {NULL},
};

static int run_exec(int argc, char **argv);

const struct cli_cmd cli_cmd_run = {
    .name = "run",
    .args = "-- CMD [ARGS...]",
    .summary = "run a program and print its syscall summary when it ends",
    .about = "Run CMD (and whatever it starts) under whytop and print its syscall summary\n"
	     "on stderr when it ends, like strace -c -f. whytop exits with the program's\n"
	     "status. Options end at CMD (or at \"--\"): CMD's own options are its own.",
    .opts = run_opts,
    .in_order = true,
    .exec = run_exec,
};

/* run --catch: the program under the catch mode; whytop exits with its status. */
static int run_catch(char **argv, FILE *out, bool json, bool hold)
{
	/* Ctrl-C reaches the program (same process group); we wait for it to end. */
	struct sigaction ign, old_int, old_quit;
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	struct wt_err err = {0};
	struct catch *c;
	pid_t pid;
	int code;
	if (catch_launch(argv, &c, &pid, &err) < 0) {
		code = cli_error(CLI_FAIL, SUB, "%s", err.msg);
	} else {
		struct catch_cli_opts o = {.out = out, .json = json, .hold = hold, .stop_fd = -1};
		code = catch_cli_run(SUB, c, pid, &o);
		if (catch_launch_error(c, &err) < 0)
			code = cli_error(CLI_FAIL, SUB, "%s", err.msg);
		catch_close(c);
		if (hold) {
			/* Held stopped and untraced: it is ours to reap when it ends. */
			int st;
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			code = WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
		}
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	return code;
}

static int run_exec(int argc, char **argv)
{
	const char *trace = NULL, *output = NULL, *expr = NULL;
	struct sc_set set;
	struct cli_parse p;
	char esc[64];
	int json = 0, sort = SC_SORT_TIME, i, opt;
	/* --inject: rules for cli_inject_loop (cmd_inject.c) */
	static struct trace_inject inj[TRACE_INJ_MAX];
	size_t ninj = 0;
	struct wt_err ierr;
	bool catch = false, hold = false;

	cli_parse_init(&p, &cli_cmd_run, argc, argv);
	while ((opt = cli_getopt(&p)) != CLI_END) {
		switch (opt) {
		case CLI_STOP:
			return p.status;
		case RUN_JSON:
			json = 1;
			break;
		case RUN_CATCH:
			catch = true;
			break;
		case RUN_HOLD:
			hold = true;
			break;
		case RUN_TRACE:
			trace = p.arg;
			break;
		case 'e':
			if (cli_parse_trace_set(SUB, p.arg, &set) != 0)
				return CLI_USAGE;
			expr = strncmp(p.arg, "trace=", 6) == 0 ? p.arg + 6 : p.arg;
			break;
		case 'o':
			output = p.arg;
			break;
		case RUN_INJECT:
			if (ninj == TRACE_INJ_MAX)
				return cli_error(CLI_USAGE, SUB, "at most %d --inject rules",
						 TRACE_INJ_MAX);
			wt_err_clear(&ierr);
			if (trace_inject_parse(&inj[ninj], p.arg, false, &ierr) < 0)
				return cli_error(CLI_USAGE, SUB, "--inject: %s", ierr.msg);
			ninj++;
			break;
		case RUN_SORT:
			sort = sc_report_sort_key(p.arg);
			if (sort < 0)
				return cli_error(
				    CLI_USAGE, SUB, "unknown --sort key '%s'",
				    wt_escape_to(esc, sizeof(esc), p.arg, strlen(p.arg), 0));
			break;
		}
	}
	i = optind;
	if (i >= argc)
		return cli_error(CLI_USAGE, SUB, "which program? (whytop run -- CMD ARGS)");
	if (ninj) { /* the program under whytop inject's loop: its calls tampered with, logged */
		if (trace || expr || output || json || catch || hold)
			return cli_error(
			    CLI_USAGE, SUB,
			    "--inject logs the calls it tampers with and counts nothing: "
			    "not with --trace, -e, -o, --json or --catch");
		return cli_inject_loop(SUB, inj, ninj, 0, argv + i, -1, false);
	}

	if (hold && !catch)
		return cli_error(CLI_USAGE, SUB, "--hold goes with --catch");
	if (catch && (trace || expr))
		return cli_error(CLI_USAGE, SUB,
				 "--catch does not count syscalls: leave out --trace and -e");
	FILE *out = stderr;
	if (output && !(out = fopen(output, "we"))) /* not inherited by the program */
		return cli_error(CLI_FAIL, SUB, "cannot write %s: %s", output, strerror(errno));
	if (catch) {
		int code = run_catch(argv + i, out, json, hold);
		if (out != stderr)
			fclose(out);
		return code;
	}

	struct sc_sample *sample = sc_sample_new();
	struct sc_counts *c = sc_counts_new();
	if (!sample || !c)
		return cli_error(CLI_FAIL, SUB, "out of memory");
	sample->t_ns = wt_now_ns();
	sc_counts_update(c, sample); /* zero at the start */

	struct wt_err err;
	wt_err_clear(&err);
	int status = 0;
	int r = sc_launch_run(argv + i, trace, expr ? &set : NULL, sample, &status, &err);
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
	char *esafe = expr ? wt_escape(expr, strlen(expr), 0) : NULL;
	snprintf(what, sizeof(what), "run %s%s%s%s%s", safe ? safe : "?",
		 trace ? ", watching " : "", trace ? trace : "", expr ? ", trace=" : "",
		 expr ? (esafe ? esafe : "?") : "");
	free(safe);
	free(esafe);
	snprintf(cost, sizeof(cost), "%s",
		 trace || expr ? "stops only at the watched syscalls (seccomp), the rest run freely"
			       : "the program stops twice per syscall");
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	char killed[96];
	catch_status_words(status, killed, sizeof(killed));
	struct sc_report_info ri = {
	    .cmd = "run",
	    .what = what,
	    .backend = "launch",
	    .backend_name = trace || expr ? "ptrace + seccomp filter" : "ptrace",
	    .cost = cost,
	    .pid = 0,
	    .tid = 0,
	    .exit_status = code,
	    .killed = WIFSIGNALED(status) ? killed : NULL,
	};
	if (json) {
		/* the summary is lost (said on stderr): not the program's status */
		if (sc_report_json(SUB, out, c, &ri) != CLI_OK)
			code = CLI_FAIL;
	} else {
		sc_report_text(out, c, &ri);
	}
	if (out != stderr)
		fclose(out);
	sc_counts_free(c);
	sc_sample_free(sample);
	/* A program killed by a signal: say so with the shell's convention. */
	return code;
}
