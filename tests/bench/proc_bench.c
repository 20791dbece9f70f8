/*
 * proc_bench.c: the C half of tests/bench/proc_refresh.sh.
 *
 *   proc_bench spawn N            fork N children that sleep (and die with
 *                                 us); print "ready N"; on SIGTERM kill
 *                                 them by pid and reap them
 *   proc_bench loop MS            refresh whytop's table every MS ms (the
 *                                 default columns: stat, user, cmdline) and
 *                                 sort it, like the TUI; forever
 *   proc_bench core N             N refreshes back to back: CPU us per task
 *   proc_bench loop MS COLS,      the same with the columns COLS (as for
 *   proc_bench core N COLS        `whytop list -c`) instead of the default
 *   proc_bench floor N            N passes of open+read+close /proc/PID/stat
 *                                 for every pid, and N passes of pread on
 *                                 kept fds: the kernel's floor, us per task
 *
 * CPU time is getrusage(RUSAGE_SELF) (user+system), so the figures include
 * the kernel's cost of generating /proc text, which dominates.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <whytop/proc.h>

static double cpu_us(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int cmd_spawn(long n)
{
	pid_t *kids = calloc((size_t)n, sizeof(pid_t));
	pid_t me = getpid();
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	for (long i = 0; i < n && !stop; i++) {
		pid_t p = fork();
		if (p < 0) {
			perror("fork");
			n = i;
			break;
		}
		if (p == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != me)
				_exit(0);
			signal(SIGTERM, SIG_DFL);
			for (;;)
				pause();
		}
		kids[i] = p;
	}
	printf("ready %ld\n", n);
	fflush(stdout);
	while (!stop)
		pause();
	for (long i = 0; i < n; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGKILL);
	for (long i = 0; i < n; i++)
		if (kids[i] > 0)
			waitpid(kids[i], NULL, 0);
	free(kids);
	return 0;
}

static const enum proc_col default_cols[] = {
	PROC_COL_PID, PROC_COL_USER, PROC_COL_PRIORITY, PROC_COL_NICE, PROC_COL_VIRT, PROC_COL_RSS,
	PROC_COL_STATE, PROC_COL_CPU, PROC_COL_MEM, PROC_COL_TIME, PROC_COL_COMMAND,
};

/* The need of the default columns, or of a column list given on the command line. */
static unsigned bench_need(const char *cols)
{
	enum proc_col c[PROC_COL_COUNT];
	struct wt_err err;
	if (!cols)
		return proc_cols_need(default_cols, sizeof(default_cols) / sizeof(default_cols[0]));
	int n = proc_cols_parse(cols, c, PROC_COL_COUNT, &err);
	if (n < 0) {
		fprintf(stderr, "proc_bench: %s\n", err.msg);
		exit(2);
	}
	return proc_cols_need(c, (size_t)n);
}

static int refresh_once(struct proc_table *t, const struct proc_table_opts *o)
{
	struct wt_err err;
	if (proc_table_refresh(t, o, &err)) {
		fprintf(stderr, "proc_bench: %s\n", err.msg);
		return -1;
	}
	proc_table_sort(t, PROC_COL_CPU, true);
	return 0;
}

static int cmd_loop(long ms, const char *cols)
{
	struct proc_table *t = proc_table_new();
	struct proc_table_opts o = PROC_TABLE_OPTS_INIT;
	o.need = bench_need(cols);
	signal(SIGTERM, on_term);
	while (!stop) {
		if (refresh_once(t, &o))
			return 1;
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
	}
	proc_table_free(t);
	return 0;
}

static int cmd_core(long n, const char *cols)
{
	struct proc_table *t = proc_table_new();
	struct proc_table_opts o = PROC_TABLE_OPTS_INIT;
	o.need = bench_need(cols);
	if (refresh_once(t, &o)) /* the first refresh fills the caches: not steady state */
		return 1;
	double c0 = cpu_us();
	for (long i = 0; i < n; i++)
		if (refresh_once(t, &o))
			return 1;
	double per = (cpu_us() - c0) / (double)n;
	size_t tasks = proc_table_count(t);
	printf("core %zu %.1f %.3f\n", tasks, per, per / (double)tasks);
	proc_table_free(t);
	return 0;
}

static size_t list_pids(pid_t *pids, size_t cap)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	size_t n = 0;
	while (d && (de = readdir(d)) && n < cap)
		if (de->d_name[0] >= '1' && de->d_name[0] <= '9')
			pids[n++] = (pid_t)atoi(de->d_name);
	if (d)
		closedir(d);
	return n;
}

static int cmd_floor(long passes)
{
	size_t cap = 1 << 20;
	pid_t *pids = malloc(cap * sizeof(pid_t));
	int *fds = malloc(cap * sizeof(int));
	char path[64], buf[1024];
	size_t n = 0, tasks = 0;
	struct rlimit rl;

	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);

	/* open + read + close, as a tool without kept fds must. */
	double c0 = cpu_us();
	for (long p = 0; p < passes; p++) {
		n = list_pids(pids, cap);
		for (size_t i = 0; i < n; i++) {
			snprintf(path, sizeof(path), "/proc/%d/stat", (int)pids[i]);
			int fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			if (read(fd, buf, sizeof(buf)) > 0)
				tasks++;
			close(fd);
		}
	}
	double open_us = (cpu_us() - c0) / (double)(tasks ? tasks : 1);

	/* pread at offset 0 on fds kept open. */
	n = list_pids(pids, cap);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pids[i]);
		fds[i] = open(path, O_RDONLY | O_CLOEXEC);
	}
	tasks = 0;
	c0 = cpu_us();
	for (long p = 0; p < passes; p++)
		for (size_t i = 0; i < n; i++)
			if (fds[i] >= 0 && pread(fds[i], buf, sizeof(buf), 0) > 0)
				tasks++;
	double kept_us = (cpu_us() - c0) / (double)(tasks ? tasks : 1);
	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	printf("floor %zu %.3f %.3f\n", n, open_us, kept_us);
	free(pids);
	free(fds);
	return 0;
}

int main(int argc, char **argv)
{
	bool cols_ok = argc > 1 && (strcmp(argv[1], "loop") == 0 || strcmp(argv[1], "core") == 0);
	if (argc != 3 && !(argc == 4 && cols_ok)) {
		fprintf(stderr,
			"usage: proc_bench spawn N | loop MS [COLS] | core N [COLS] | floor N\n");
		return 2;
	}
	long v = atol(argv[2]);
	if (v <= 0) {
		fprintf(stderr, "proc_bench: '%s' is not a positive number\n", argv[2]);
		return 2;
	}
	if (strcmp(argv[1], "spawn") == 0)
		return cmd_spawn(v);
	if (strcmp(argv[1], "loop") == 0)
		return cmd_loop(v, argc == 4 ? argv[3] : NULL);
	if (strcmp(argv[1], "core") == 0)
		return cmd_core(v, argc == 4 ? argv[3] : NULL);
	if (strcmp(argv[1], "floor") == 0)
		return cmd_floor(v);
	fprintf(stderr, "proc_bench: unknown mode '%s'\n", argv[1]);
	return 2;
}
