/*
 * cmd_inject.c: "whytop inject PID -e trace=SET [--error ERRNO | --retval N]
 * [--delay-enter US] [--delay-exit US] [--when EXPR] [--path GLOB]" and the
 * same with "-- CMD ARGS": strace's --inject as one rule given by options.
 * The injecting is the ptrace log's (src/core/trace/ptrace.c); this file
 * builds the rule, runs the session and prints the calls tampered with, in
 * strace's format ("= -1 ENOENT (No such file or directory) (INJECTED)").
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <whytop/cli.h>
#include <whytop/decode.h>
#include <whytop/trace.h>
#include <whytop/util.h>

#include "cmd_inject.h"
#include "trace_loop.h"

#define SUB "inject"
#define INJ_MAX_DURATION 31536000.0

enum {
	INJ_ERROR = CLI_LONG_ONLY,
	INJ_RETVAL,
	INJ_DELAY_ENTER,
	INJ_DELAY_EXIT,
	INJ_WHEN,
	INJ_PATH,
	INJ_DURATION,
	INJ_ALL,
};

static const struct cli_opt inject_opts[] = {
    {.name = "trace",
     .key = 'e',
     .arg = "SET",
     .help = "the calls to tamper with: names, %classes, !negation\n"
	     "(strace's -e trace= syntax; required)"},
    {.name = "error",
     .key = INJ_ERROR,
     .arg = "ERRNO",
     .help = "the call is not run and fails with ERRNO (ENOENT, EIO, 5...)"},
    {.name = "retval",
     .key = INJ_RETVAL,
     .arg = "N",
     .help = "the call is not run and returns N (0 or more)"},
    {.name = "delay-enter",
     .key = INJ_DELAY_ENTER,
     .arg = "US",
     .help = "hold the task US microseconds before the call runs"},
    {.name = "delay-exit",
     .key = INJ_DELAY_EXIT,
     .arg = "US",
     .help = "hold the task US microseconds after the call returns"},
    {.name = "when",
     .key = INJ_WHEN,
     .arg = "EXPR",
     .help = "which calls, counted from 1: N (the Nth only), N+ (from\n"
	     "the Nth on), N+S (every Sth from the Nth), N..M, N..M+S;\n"
	     "default every call"},
    {.name = "path",
     .key = INJ_PATH,
     .arg = "GLOB",
     .help = "only calls whose path argument matches GLOB (as given\n"
	     "to the call; * also matches /)"},
    {.name = "duration",
     .key = INJ_DURATION,
     .arg = "SEC",
     .help = "stop injecting after SEC seconds (default: until the\n"
	     "process ends or Ctrl-C)"},
    {.name = "all", .key = INJ_ALL, .help = "log every call of SET, not only those tampered with"},
    {NULL},
};

static int inject_exec(int argc, char **argv);

static void inject_help_more(FILE *f)
{
	fprintf(f, "\nExamples:\n"
		   "  whytop inject 1234 -e trace=openat --error ENOENT --when 2+2\n"
		   "  whytop inject 1234 -e openat --path '*.conf' --error EACCES\n"
		   "  whytop inject 1234 -e write --delay-enter 200000\n"
		   "  whytop inject -e trace=read --retval 0 -- ./prog\n");
}

const struct cli_cmd cli_cmd_inject = {
    .name = "inject",
    .args = "PID | -- CMD [ARGS...]",
    .summary = "make chosen syscalls of a process fail, return a value, or wait",
    .about = "Tamper with the calls of SET made by process PID (or by CMD, started under\n"
	     "whytop), as strace -e inject=: make them fail with an errno or return a value\n"
	     "without running, or hold them before or after they run. Each call tampered\n"
	     "with is logged as strace logs it, with (INJECTED) or (DELAYED). The process\n"
	     "stops at every call (ptrace); when whytop ends, by Ctrl-C, SIGTERM, SIGHUP or\n"
	     "--duration, nothing stays injected and the process runs on untraced.",
    .opts = inject_opts,
    .in_order = false, /* PID before or after the options; a program after "--" */
    .help_more = inject_help_more,
    .exec = inject_exec,
};

/* ---- the loop ---- */

struct inj_ctx {
	struct trace_log *log;
	bool all;
};

static void inj_record(const struct trace_rec *r, void *ctx)
{
	struct inj_ctx *c = ctx;
	if (r->kind == TRACE_SYSCALL && !c->all && !r->injected)
		return;
	trace_log_add(c->log, r);
}

static int inj_flush(void *ctx)
{
	(void)ctx;
	fflush(stderr);
	return CLI_OK;
}

int cli_inject_loop(const char *sub, const struct trace_inject *rules, size_t n, pid_t pid,
		    char *const *argv, double duration, bool all)
{
	static char outbuf[1 << 16];
	setvbuf(stderr, outbuf, _IOFBF, sizeof(outbuf));
	struct trace_log_opts lo = {.dec = {.strsize = 32}};
	struct inj_ctx c = {.log = trace_log_new(&lo, stderr), .all = all};
	if (!c.log)
		return cli_error(CLI_FAIL, sub, "out of memory");
	/* the log: the union of the rules' sets */
	struct sc_set set;
	memset(&set, 0, sizeof(set));
	for (size_t i = 0; i < n; i++)
		for (size_t w = 0; w < sizeof(set.bits) / sizeof(set.bits[0]); w++)
			set.bits[w] |= rules[i].set.bits[w];

	/* as whytop trace: Ctrl-C, SIGTERM, SIGHUP end the session cleanly */
	struct cli_endsig sig;
	bool sp_ok = cli_endsig_start(&sig);
	struct trace_opts to = {.pids = argv ? NULL : &pid,
				.npids = argv ? 0 : 1,
				.argv = argv,
				.backend = SC_BACKEND_PTRACE,
				.follow = true, /* every thread, and what it starts */
				.set = &set,
				.strsize = 32,
				.inject = rules,
				.ninject = n};
	struct wt_err err;
	wt_err_clear(&err);
	struct trace_session *s = NULL;
	int status = CLI_OK, code = -1;
	if (!sp_ok || trace_open(&s, &to, &err) < 0) {
		status =
		    cli_error(CLI_FAIL, sub, "%s",
			      !sp_ok ? "cannot create a pipe (too many open files?)" : err.msg);
		goto out;
	}
	/* Tests and people wait for this line before the calls they want tampered with. */
	if (argv) /* session.c puts the program under a seccomp filter (with -f and a set) */
		fprintf(stderr,
			"whytop %s: ptrace and a seccomp filter, the program stops only at "
			"the calls of the set; Ctrl-C to stop (it ends with whytop)\n",
			sub);
	else
		fprintf(stderr,
			"whytop %s: ptrace, every call of process %d stops it; Ctrl-C to stop\n",
			sub, (int)pid);
	fflush(stderr);
	struct cli_trace_loop loop = {
	    .sub = sub,
	    .s = s,
	    .sig = &sig,
	    .end_ns = duration >= 0 ? wt_now_ns() + (uint64_t)(duration * 1e9) : UINT64_MAX,
	    .cb = inj_record,
	    .ctx = &c,
	    .flush = inj_flush};
	status = cli_trace_loop(&loop);
	if (loop.ended && argv)
		code = WIFEXITED(loop.wstatus) ? WEXITSTATUS(loop.wstatus) : 128 + WTERMSIG(loop.wstatus);
	/* detach: every call tampered with gets its result first (ptrace.c) */
	trace_close(s);
	s = NULL;
out:
	trace_log_flush(c.log);
	fflush(stderr);
	trace_log_free(c.log);
	setvbuf(stderr, NULL, _IONBF, 0);
	cli_endsig_stop(&sig);
	return status == CLI_OK && code >= 0 ? code : status;
}

/* ---- options ---- */

static int inject_exec(int argc, char **argv)
{
	struct trace_inject in;
	trace_inject_init(&in);
	struct cli_parse p;
	struct wt_err err;
	char esc[128];
	bool have_set = false, all = false, have_when = false;
	double duration = -1;
	long v;
	int opt;
	cli_parse_init(&p, &cli_cmd_inject, argc, argv);
	while ((opt = cli_getopt(&p)) != CLI_END) {
		wt_err_clear(&err);
		switch (opt) {
		case CLI_STOP:
			return p.status;
		case 'e':
			if (cli_parse_trace_set(SUB, p.arg, &in.set) != 0)
				return CLI_USAGE;
			have_set = true;
			break;
		case INJ_ERROR:
			if (trace_inject_errno(p.arg, &in.error, &err) < 0)
				return cli_error(CLI_USAGE, SUB, "--error: %s", err.msg);
			break;
		case INJ_RETVAL:
			if (cli_parse_long(SUB, p.opt, "a return value", p.arg, 0, LONG_MAX, &v))
				return CLI_USAGE;
			in.has_retval = true;
			in.retval = v;
			break;
		case INJ_DELAY_ENTER:
		case INJ_DELAY_EXIT:
			if (cli_parse_long(SUB, p.opt, "microseconds", p.arg, 0,
					   TRACE_INJ_DELAY_MAX, &v))
				return CLI_USAGE;
			*(opt == INJ_DELAY_ENTER ? &in.delay_enter_us : &in.delay_exit_us) =
			    (uint64_t)v;
			break;
		case INJ_WHEN:
			if (trace_inject_when(&in, p.arg, &err) < 0)
				return cli_error(CLI_USAGE, SUB, "--when: %s", err.msg);
			have_when = true;
			break;
		case INJ_PATH:
			if (!*p.arg || strlen(p.arg) >= sizeof(in.path))
				return cli_error(CLI_USAGE, SUB,
						 "--path wants a glob of 1 to %zu bytes",
						 sizeof(in.path) - 1);
			snprintf(in.path, sizeof(in.path), "%s", p.arg);
			break;
		case INJ_DURATION:
			if (cli_parse_seconds(SUB, p.opt, p.arg, INJ_MAX_DURATION, &duration))
				return CLI_USAGE;
			break;
		case INJ_ALL:
			all = true;
			break;
		}
	}
	(void)have_when;
	if (!have_set)
		return cli_error(CLI_USAGE, SUB,
				 "which calls? give -e trace=SET (e.g. -e trace=openat)");
	if (in.error && in.has_retval)
		return cli_error(CLI_USAGE, SUB, "give --error or --retval, not both");
	if (!in.error && !in.has_retval && !in.delay_enter_us && !in.delay_exit_us)
		return cli_error(
		    CLI_USAGE, SUB,
		    "nothing to inject: give --error ERRNO, --retval N, --delay-enter US "
		    "or --delay-exit US");
	pid_t pid = 0;
	if (optind >= argc)
		return cli_error(CLI_USAGE, SUB,
				 "which process or program? (whytop inject PID ..., or whytop "
				 "inject ... -- CMD ARGS)");
	if (argv[optind][0] >= '0' && argv[optind][0] <= '9') {
		if (optind + 1 < argc)
			return cli_extra_arg(&cli_cmd_inject, argv[optind + 1]);
		if (cli_parse_pid(SUB, argv[optind], &pid))
			return CLI_USAGE;
		return cli_inject_loop(SUB, &in, 1, pid, NULL, duration, all);
	}
	(void)esc;
	return cli_inject_loop(SUB, &in, 1, 0, argv + optind, duration, all);
}
