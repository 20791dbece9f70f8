/*
 * cmd_syscalls.c: "whytop syscalls PID": count a running process's syscalls
 * for a while (or until Ctrl-C, or until it ends) and print a summary like
 * strace -c, with the backend used and what it cost.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <whytop/cli.h>
#include <whytop/syscalls.h>
#include <whytop/util.h>

#include "syscalls_report.h"

#define SUB "syscalls"
/* --duration at most a year */
#define SC_MAX_DURATION 31536000.0

static void usage(FILE *f)
{
	fprintf(f, "Usage: whytop syscalls PID [--duration SEC] [--backend kernel|ptrace]\n"
		   "                           [--thread TID] [--sort KEY] [--cost] [--json]\n"
		   "Count the syscalls of a running process (all its threads, or one) and print\n"
		   "calls, errors (most common errno) and time per syscall, like strace -c.\n"
		   "Counts until SEC seconds have passed (0 to 31536000, such as 2 or 0.5),\n"
		   "the process ends, or Ctrl-C. PID is a process: for one of its threads\n"
		   "give --thread TID.\n"
		   "  --backend kernel   in-kernel eBPF counting, the target never stops (root;\n"
		   "                     the default when possible)\n"
		   "  --backend ptrace   stop the target at every syscall (slows it a lot)\n"
		   "  --sort KEY         time (default), calls, errors, avg, rate, name\n"
		   "  --cost             kernel: have the kernel time our programs and show it\n"
		   "                     (that timing itself slows every syscall further)\n");
}

static void describe(char *buf, size_t size, pid_t pid, pid_t tid)
{
	char path[64], comm[64] = "", safe[128];
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	ssize_t n = wt_read_at(AT_FDCWD, path, comm, sizeof(comm));
	if (n > 0 && comm[n - 1] == '\n')
		comm[--n] = '\0';
	wt_escape_to(safe, sizeof(safe), comm, n > 0 ? (size_t)n : 0, 0);
	if (tid)
		snprintf(buf, size, "pid %d (%s), thread %d", (int)pid, safe, (int)tid);
	else
		snprintf(buf, size, "pid %d (%s), all threads", (int)pid, safe);
}

int cmd_syscalls(int argc, char **argv)
{
	struct sc_opts o = {.backend = SC_BACKEND_AUTO};
	double duration = -1;
	int json = 0, sort = SC_SORT_TIME;
	const char *pid_arg = NULL;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return CLI_OK;
		} else if (strcmp(a, "--json") == 0) {
			json = 1;
		} else if (strcmp(a, "--cost") == 0) {
			o.measure_cost = 1;
		} else if (strcmp(a, "--duration") == 0 && v) {
			/* a bound: the end is computed in nanoseconds, in 64 bits */
			if (cli_parse_seconds(SUB, "--duration", v, SC_MAX_DURATION, &duration))
				return CLI_USAGE;
			i++;
		} else if (strcmp(a, "--backend") == 0 && v) {
			if (strcmp(v, "kernel") == 0)
				o.backend = SC_BACKEND_KERNEL;
			else if (strcmp(v, "ptrace") == 0)
				o.backend = SC_BACKEND_PTRACE;
			else
				return cli_error(CLI_USAGE, SUB,
						 "--backend is kernel or ptrace, not '%s'", v);
			i++;
		} else if (strcmp(a, "--thread") == 0 && v) {
			long t;
			if (cli_parse_long(SUB, "--thread", "a thread id", v, 1, 0x7fffffff, &t))
				return CLI_USAGE;
			o.tid = (pid_t)t;
			i++;
		} else if (strcmp(a, "--sort") == 0 && v) {
			sort = sc_report_sort_key(v);
			if (sort < 0)
				return cli_error(CLI_USAGE, SUB, "unknown --sort key '%s'", v);
			i++;
		} else if (a[0] == '-' || pid_arg) {
			usage(stderr);
			return CLI_USAGE;
		} else {
			pid_arg = a;
		}
	}
	int r = cli_parse_pid(SUB, pid_arg, &o.pid);
	if (r)
		return r;

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
	char what[200];
	describe(what, sizeof(what), o.pid, o.tid);
	/* Tests and people wait for this line before the work they want counted. */
	fprintf(stderr, "whytop syscalls: counting pid %d with %s; Ctrl-C to stop\n", (int)o.pid,
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
	};
	if (json)
		sc_report_json(stdout, c, &ri);
	else
		sc_report_text(stdout, c, &ri);
	sc_counts_free(c);
	sc_sample_free(sample);
	return CLI_OK;
}
