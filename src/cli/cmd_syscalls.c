/*
 * cmd_syscalls.c: "whytop syscalls PID[,PID...]": count running processes'
 * syscalls for a while (or until Ctrl-C, or until they end) and print a
 * summary like strace -c, with the backend used and what it cost.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <whytop/cli.h>
#include <whytop/decode.h>
#include <whytop/syscalls.h>
#include <whytop/util.h>

#include "syscalls_report.h"

#define SUB "syscalls"
/* --duration at most a year */
#define SC_MAX_DURATION 31536000.0
/* processes counted at once (the kernel's process map holds more, for -f) */
#define SC_MAX_PIDS 1024

enum { SC_OPT_JSON = CLI_LONG_ONLY, SC_OPT_COST, SC_OPT_DURATION, SC_OPT_BACKEND, SC_OPT_SORT };

static const struct cli_opt syscalls_opts[] = {
    {.name = "duration",
     .key = SC_OPT_DURATION,
     .arg = "SEC",
     .help = "count this long (0 to 31536000, such as 2 or 0.5); by\n"
	     "default until the process ends or Ctrl-C"},
    {.name = "backend",
     .key = SC_OPT_BACKEND,
     .arg = "kernel|ptrace",
     .help = "kernel: in-kernel eBPF counting, the target never stops\n"
	     "(root; the default when possible); ptrace: stop the\n"
	     "target at every syscall (slows it a lot)"},
    {.name = "thread", .key = 't', .arg = "TID", .help = "only thread TID of PID"},
    {.name = "follow-forks",
     .key = 'f',
     .help = "also count the children the processes fork from now on\n"
	     "(and theirs), as strace -f"},
    {.name = "expr",
     .key = 'e',
     .arg = "trace=SET",
     .help = "count only these calls, in strace's syntax: names,\n"
	     "%classes, !negation (e.g. trace=openat,read or trace=%file)"},
    {.name = "sort",
     .key = SC_OPT_SORT,
     .arg = "KEY",
     .help = "time (default), calls, errors, avg, rate, name"},
    {.name = "cost",
     .key = SC_OPT_COST,
     .help = "kernel: have the kernel time our programs and show it\n"
	     "(that timing itself slows every syscall further)"},
    {.name = "json", .key = SC_OPT_JSON, .help = "one JSON object on stdout"},
    {NULL},
};

static int syscalls_exec(int argc, char **argv);

const struct cli_cmd cli_cmd_syscalls = {
    .name = "syscalls",
    .args = "PID[,PID...]",
    .summary = "count processes' syscalls (calls, errors, time) like strace -c",
    .about = "Count the syscalls of running processes (all their threads, or one) and print\n"
	     "calls, errors (most common errno) and time per syscall, like strace -c.\n"
	     "PID is a process (several: PID,PID,...); for one of its threads give\n"
	     "--thread TID. The count ends when every PID (and with -f, every child\n"
	     "followed) has ended.",
    .opts = syscalls_opts,
    .exec = syscalls_exec,
};

static void describe(char *buf, size_t size, const pid_t *pids, size_t npids, pid_t tid, int follow)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < npids && len + 1 < size; i++) {
		char path[64], comm[64] = "", safe[128];
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)pids[i]);
		ssize_t n = wt_read_at(AT_FDCWD, path, comm, sizeof(comm));
		if (n > 0 && comm[n - 1] == '\n')
			comm[--n] = '\0';
		wt_escape_to(safe, sizeof(safe), comm, n > 0 ? (size_t)n : 0, 0);
		snprintf(buf + len, size - len, "%spid %d (%s)", i ? ", " : "", (int)pids[i], safe);
		len += strlen(buf + len);
	}
	if (len + 1 >= size)
		return;
	if (tid)
		snprintf(buf + len, size - len, ", thread %d", (int)tid);
	else
		snprintf(buf + len, size - len, ", all threads%s", follow ? " and children" : "");
}

/* PID[,PID...] into pids (at most SC_MAX_PIDS); 0 or a CLI_ status. */
static int parse_pids(const char *arg, pid_t *pids, size_t *n)
{
	if (!arg)
		return cli_parse_pid(SUB, NULL, pids);
	char *dup = strdup(arg), *save = NULL;
	if (!dup)
		return cli_error(CLI_FAIL, SUB, "out of memory");
	int r = 0;
	*n = 0;
	for (char *t = strtok_r(dup, ",", &save); t && !r; t = strtok_r(NULL, ",", &save)) {
		if (*n == SC_MAX_PIDS)
			r = cli_error(CLI_USAGE, SUB, "at most %d processes at once", SC_MAX_PIDS);
		else
			r = cli_parse_pid(SUB, t, &pids[(*n)++]);
	}
	free(dup);
	if (!r && !*n)
		r = cli_parse_pid(SUB, arg, pids); /* "," alone: says it is not a pid */
	return r;
}

static int syscalls_exec(int argc, char **argv)
{
	struct sc_opts o = {.backend = SC_BACKEND_AUTO};
	static pid_t pids[SC_MAX_PIDS];
	struct sc_set calls;
	struct cli_parse p;
	char esc[64];
	double duration = -1;
	int json = 0, sort = SC_SORT_TIME, opt;
	long t;

	cli_parse_init(&p, &cli_cmd_syscalls, argc, argv);
	while ((opt = cli_getopt(&p)) != CLI_END) {
		switch (opt) {
		case CLI_STOP:
			return p.status;
		case SC_OPT_JSON:
			json = 1;
			break;
		case SC_OPT_COST:
			o.measure_cost = 1;
			break;
		case SC_OPT_DURATION:
			/* a bound: the end is computed in nanoseconds, in 64 bits */
			if (cli_parse_seconds(SUB, p.opt, p.arg, SC_MAX_DURATION, &duration))
				return CLI_USAGE;
			break;
		case SC_OPT_BACKEND:
			if (strcmp(p.arg, "kernel") == 0)
				o.backend = SC_BACKEND_KERNEL;
			else if (strcmp(p.arg, "ptrace") == 0)
				o.backend = SC_BACKEND_PTRACE;
			else
				return cli_error(
				    CLI_USAGE, SUB, "--backend is kernel or ptrace, not '%s'",
				    wt_escape_to(esc, sizeof(esc), p.arg, strlen(p.arg), 0));
			break;
		case 't':
			if (cli_parse_long(SUB, p.opt, "a thread id", p.arg, 1, 0x7fffffff, &t))
				return CLI_USAGE;
			o.tid = (pid_t)t;
			break;
		case 'f':
			o.follow = 1;
			break;
		case 'e':
			if (cli_parse_trace_set(SUB, p.arg, &calls) != 0)
				return CLI_USAGE;
			o.trace = &calls;
			break;
		case SC_OPT_SORT:
			sort = sc_report_sort_key(p.arg);
			if (sort < 0)
				return cli_error(
				    CLI_USAGE, SUB, "unknown --sort key '%s'",
				    wt_escape_to(esc, sizeof(esc), p.arg, strlen(p.arg), 0));
			break;
		}
	}
	if (optind + 1 < argc)
		return cli_extra_arg(&cli_cmd_syscalls, argv[optind + 1]);
	const char *pid_arg = optind < argc ? argv[optind] : NULL;
	int r = parse_pids(pid_arg, pids, &o.npids);
	if (r)
		return r;
	o.pid = pids[0];
	o.pids = pids;

	/* Ctrl-C, SIGTERM, SIGHUP end the count early but still print it. */
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &old);

	struct wt_err err;
	wt_err_clear(&err);
	struct sc_session *s;
	if (sc_session_open(&s, &o, &err) < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return cli_error(CLI_FAIL, SUB, "%s", err.msg);
	}
	/* its name now: it may be gone by the end */
	char what[512];
	describe(what, sizeof(what), o.pids, o.npids, o.tid, o.follow);
	/* Tests and people wait for this line before the work they want counted. */
	fprintf(stderr, "whytop syscalls: counting %s %s%s with %s; Ctrl-C to stop\n",
		o.npids > 1 ? "pids" : "pid", pid_arg, o.follow ? " and children" : "",
		sc_session_backend_name(s));
	struct sc_sample *sample = sc_sample_new();
	struct sc_counts *c = sc_counts_new();
	if (!sample || !c) {
		sc_session_close(s);
		return cli_error(CLI_FAIL, SUB, "out of memory");
	}
	sc_session_read(s, sample, &err);
	/* the first sample is zero by construction; rates start from it */
	memset(sample->slot, 0, sizeof(sample->slot));
	sample->lost = 0;
	sc_counts_update(c, sample);

	uint64_t end = duration >= 0 ? wt_now_ns() + (uint64_t)(duration * 1e9) : UINT64_MAX;
	int ended = 0;
	for (;;) {
		uint64_t now = wt_now_ns();
		if (now >= end)
			break;
		if (sc_session_alive(s) < 0) {
			ended = 1;
			break;
		}
		uint64_t step = end - now < 100000000ull ? end - now : 100000000ull;
		struct timespec ts = {(time_t)(step / 1000000000ull), (long)(step % 1000000000ull)};
		if (sigtimedwait(&set, NULL, &ts) > 0)
			break;
	}
	r = sc_session_read(s, sample, &err);
	char cost[256];
	sc_session_cost(s, sample, cost, sizeof(cost));
	/* the name lives in the session, which is closed before printing */
	char bname[80];
	snprintf(bname, sizeof(bname), "%s", sc_session_backend_name(s));
	int kind = sc_session_backend(s);
	sc_session_close(s);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (r < 0) {
		sc_counts_free(c);
		sc_sample_free(sample);
		return cli_error(CLI_FAIL, SUB, "%s", err.msg);
	}
	sc_counts_update(c, sample);
	sc_counts_sort(c, (enum sc_sort)sort);
	struct sc_report_info ri = {
	    .what = what,
	    .backend = kind == SC_BACKEND_KERNEL ? "kernel" : "ptrace",
	    .backend_name = bname,
	    .cost = cost,
	    .pid = o.pid,
	    .tid = o.tid,
	    .exit_status = -1,
	    .ended = ended,
	    .pids = o.pids,
	    .npids = o.npids,
	    .follow = o.follow,
	};
	int status = CLI_OK;
	if (json)
		status = sc_report_json("syscalls", stdout, c, &ri);
	else
		sc_report_text(stdout, c, &ri);
	sc_counts_free(c);
	sc_sample_free(sample);
	return status;
}
