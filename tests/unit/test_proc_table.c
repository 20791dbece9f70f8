/*
 * test_proc_table.c: columns (names, needs, formatting of known and unknown
 * fields) on made-up tasks, then the table itself on the real /proc: this
 * process found with the right fields, CPU% of a busy loop, threads view,
 * a child that exits between refreshes, births between refreshes, filters,
 * sort and tree order, and the Overview reads.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <whytop/proc.h>
#include <whytop/sysnames.h>
#include "core/proc/internal.h"

static void test_col_names(void **state)
{
	assert_int_equal(proc_col_by_name("cpu"), PROC_COL_CPU);
	assert_int_equal(proc_col_by_name("CPU%"), PROC_COL_CPU);
	assert_int_equal(proc_col_by_name("MEM%"), PROC_COL_MEM);
	assert_int_equal(proc_col_by_name("res"), PROC_COL_RSS);
	assert_int_equal(proc_col_by_name("Command"), PROC_COL_COMMAND);
	assert_int_equal(proc_col_by_name("processor"), PROC_COL_PROCESSOR);
	assert_int_equal(proc_col_by_name("TIME+"), PROC_COL_TIME);
	assert_int_equal(proc_col_by_name("nosuch"), -1);
	assert_int_equal(proc_col_by_name(""), -1);
	assert_int_equal(proc_col_by_name(NULL), -1);
	for (int i = 0; i < PROC_COL_COUNT; i++) {
		assert_non_null(proc_columns[i].name);
		assert_int_equal(proc_col_by_name(proc_columns[i].name), i);
	}
}

/* The one parser of column lists, for the CLI's --columns and the config. */
static void test_cols_parse(void **state)
{
	enum proc_col cols[PROC_COL_COUNT];
	struct wt_err err;
	assert_int_equal(proc_cols_parse("pid,user cpu\tCOMMAND", cols, PROC_COL_COUNT, &err), 4);
	assert_int_equal(cols[0], PROC_COL_PID);
	assert_int_equal(cols[1], PROC_COL_USER);
	assert_int_equal(cols[2], PROC_COL_CPU);
	assert_int_equal(cols[3], PROC_COL_COMMAND);
	/* The command takes the rest of the line: moved last. */
	assert_int_equal(proc_cols_parse("command, pid,,cpu", cols, PROC_COL_COUNT, &err), 3);
	assert_int_equal(cols[0], PROC_COL_PID);
	assert_int_equal(cols[2], PROC_COL_COMMAND);
	assert_int_equal(proc_cols_parse("pid,bogus", cols, PROC_COL_COUNT, &err), -EINVAL);
	assert_string_equal(err.msg, "unknown column 'bogus'");
	assert_int_equal(proc_cols_parse("pid cpu PID", cols, PROC_COL_COUNT, &err), -EINVAL);
	assert_string_equal(err.msg, "column 'PID' given twice");
	assert_int_equal(proc_cols_parse(" , ", cols, PROC_COL_COUNT, &err), -EINVAL);
	assert_string_equal(err.msg, "no columns");
	assert_int_equal(proc_cols_parse(NULL, cols, PROC_COL_COUNT, &err), -EINVAL);
	/* A name longer than any column is unknown, not cut into a known one. */
	char longname[200];
	memset(longname, 'p', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(proc_cols_parse(longname, cols, PROC_COL_COUNT, &err), -EINVAL);
	/* No more than max kept. */
	assert_int_equal(proc_cols_parse("pid,user,cpu", cols, 2, &err), 2);
}

static void test_col_needs(void **state)
{
	enum proc_col few[] = { PROC_COL_PID, PROC_COL_CPU };
	enum proc_col more[] = { PROC_COL_USER, PROC_COL_WCHAN, PROC_COL_COMMAND };
	assert_int_equal(proc_cols_need(few, 2), PROC_NEED_STAT);
	assert_int_equal(proc_cols_need(more, 3), PROC_NEED_STAT | PROC_NEED_STATUS |
							  PROC_NEED_WCHAN | PROC_NEED_CMDLINE);
}

static struct proc_task fake_task(void)
{
	struct proc_task t;
	memset(&t, 0, sizeof(t));
	t.pid = 42;
	t.ppid = 1;
	t.state = 'S';
	t.priority = 20;
	t.known = PROC_KNOWN_STAT;
	t.user = "?";
	t.comm = "x";
	t.cmdline = "x --y";
	t.syscall_nr = -2;
	return t;
}

#define FMT(t, col, want)                                                                          \
	do {                                                                                       \
		char b_[128];                                                                      \
		proc_col_format(&(t), (col), &si, b_, sizeof(b_));                                 \
		assert_string_equal(b_, (want));                                                   \
	} while (0)

static void test_col_format(void **state)
{
	struct proc_sysinfo si;
	memset(&si, 0, sizeof(si));
	si.clk_tck = 100;
	struct proc_task t = fake_task();

	FMT(t, PROC_COL_PID, "42");
	FMT(t, PROC_COL_STATE, "S");
	FMT(t, PROC_COL_USER, "?"); /* unknown: never a made-up name or 0 */
	FMT(t, PROC_COL_WCHAN, "?");
	FMT(t, PROC_COL_SYSCALL, "?");
	FMT(t, PROC_COL_START, "?"); /* no boot time yet */
	FMT(t, PROC_COL_COMMAND, "x --y");
	t.time_ticks = 12345;
	FMT(t, PROC_COL_TIME, "2:03.45");
	t.time_ticks = 100 * 3600 * 2 + 100 * 61;
	FMT(t, PROC_COL_TIME, "2h01:01");
	t.rss_kb = 5432;
	FMT(t, PROC_COL_RSS, "5432K");
	t.rss_kb = 200 * 1024;
	FMT(t, PROC_COL_RSS, "200M");
	t.rss_kb = 3 * 1024 * 1024 + 300 * 1024;
	FMT(t, PROC_COL_RSS, "3.3G");
	t.priority = -100;
	FMT(t, PROC_COL_PRIORITY, "RT");
	t.cpu_pct = 12.345;
	FMT(t, PROC_COL_CPU, "12.3");
	t.processor = -1;
	FMT(t, PROC_COL_PROCESSOR, "?");

	t.known |= PROC_KNOWN_USER | PROC_KNOWN_WCHAN | PROC_KNOWN_SYSCALL;
	t.user = "alice";
	t.wchan = "";
	t.syscall_nr = -1;
	FMT(t, PROC_COL_USER, "alice");
	FMT(t, PROC_COL_WCHAN, "-");
	FMT(t, PROC_COL_SYSCALL, "-");
	t.wchan = "do_wait";
	t.syscall_nr = 61;
	t.syscall_arch = sysname_native_arch();
	FMT(t, PROC_COL_WCHAN, "do_wait");
	FMT(t, PROC_COL_SYSCALL, "wait4");

	/* Without stat everything from it is unknown. */
	t.known = 0;
	FMT(t, PROC_COL_STATE, "?");
	FMT(t, PROC_COL_CPU, "?");
	FMT(t, PROC_COL_RSS, "?");
}

static double clock_ms(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Use ms of CPU time (not wall time: the machine may be busy with other tests). */
static void burn_cpu_ms(double ms)
{
	volatile unsigned long x = 0;
	double start = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	while (clock_ms(CLOCK_PROCESS_CPUTIME_ID) - start < ms)
		for (int i = 0; i < 100000; i++)
			x++;
}

static void test_table_self(void **state)
{
	struct proc_table *t = proc_table_new();
	struct proc_table_opts o = PROC_TABLE_OPTS_INIT;
	struct wt_err err;
	assert_non_null(t);
	o.need = PROC_NEED_STATUS | PROC_NEED_CMDLINE | PROC_NEED_WCHAN | PROC_NEED_SYSCALL |
		 PROC_NEED_IO;
	/*
	 * Each refresh reads the clock and our stat somewhere between a and b
	 * (first) and c and d (second): the interval it divides by and the CPU
	 * time it saw are bounded by what we measure around them, however busy
	 * the machine is.
	 */
	double wa = clock_ms(CLOCK_MONOTONIC), ca = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	assert_int_equal(proc_table_refresh(t, &o, &err), 0);
	double wb = clock_ms(CLOCK_MONOTONIC), cb = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	assert_non_null(proc_table_find(t, getpid()));
	uint64_t ticks1 = proc_table_find(t, getpid())->time_ticks;
	burn_cpu_ms(300);
	double wc = clock_ms(CLOCK_MONOTONIC), cc = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	assert_int_equal(proc_table_refresh(t, &o, &err), 0);
	double wd = clock_ms(CLOCK_MONOTONIC), cd = clock_ms(CLOCK_PROCESS_CPUTIME_ID);

	const struct proc_sysinfo *si = proc_table_sysinfo(t);
	assert_int_equal(si->ncpu, sysconf(_SC_NPROCESSORS_ONLN));
	assert_true(si->mem_total_kb > 0 && si->mem_used_kb <= si->mem_total_kb);
	assert_true(si->uptime_s > 0 && si->boot_time > 0);
	assert_true(si->nprocs >= 2 && si->ntasks >= si->nprocs);
	assert_true(si->nrunning >= 1); /* this process, at least */
	assert_true(si->all.total_pct > 0.0 && si->all.total_pct <= 100.0);

	struct proc_task *me = proc_table_find(t, getpid());
	assert_non_null(me);
	assert_int_equal(me->ppid, getppid());
	assert_int_equal(me->state, 'R');
	assert_int_equal(me->nthreads, 1);
	assert_int_equal(me->tgid, getpid());
	assert_false(me->is_kthread);
	assert_true(me->known & PROC_KNOWN_USER);
	assert_int_equal(me->uid, geteuid());
	assert_true(me->known & PROC_KNOWN_CMDLINE);
	assert_non_null(strstr(me->cmdline, "test_proc_table"));
	assert_string_equal(me->comm, "test_proc_table");
	assert_true(me->rss_kb > 0 && me->virt_kb > me->rss_kb);
	assert_true(me->mem_pct > 0.0);
	/*
	 * The ticks the table saw go by are the CPU time we used between the
	 * two reads, within the tick resolution: a tick at each end, and a
	 * third for the kernel's lag in accounting a running task.
	 */
	double tick_ms = 1000.0 / (double)sysconf(_SC_CLK_TCK);
	double seen_ms = (double)(me->time_ticks - ticks1) * tick_ms;
	if (seen_ms < cc - cb - 3 * tick_ms || seen_ms > cd - ca + 3 * tick_ms)
		fail_msg("%.0f ms of CPU seen, used between %.0f and %.0f ms", seen_ms, cc - cb,
			 cd - ca);
	/* And CPU% is those ticks over the interval between the two refreshes. */
	double lo = 100.0 * seen_ms / (wd - wa), hi = 100.0 * seen_ms / (wc - wb);
	if (me->cpu_pct < lo - 0.01 || me->cpu_pct > hi + 0.01)
		fail_msg("CPU%% %.2f, want between %.2f and %.2f", me->cpu_pct, lo, hi);
	assert_true(me->cpu_pct > 0.0); /* 300 ms of CPU burnt: at least a tick seen */
	assert_true(me->known & PROC_KNOWN_SYSCALL);
	assert_true(me->known & PROC_KNOWN_IO);
	assert_non_null(me->wchan);

	/* Kernel threads have [comm] as their command. */
	struct proc_task *kt = proc_table_find(t, 2);
	if (kt && kt->is_kthread) {
		assert_int_equal(kt->cmdline[0], '[');
		assert_string_equal(kt->cmdline + 1 + strlen(kt->comm), "]");
	}
	proc_table_free(t);
}

static void *idle_thread(void *arg)
{
	pause();
	return arg;
}

static void test_table_threads_and_filters(void **state)
{
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, idle_thread, NULL), 0);
	struct proc_table *t = proc_table_new();
	struct proc_table_opts o = PROC_TABLE_OPTS_INIT;
	struct wt_err err;
	pid_t me = getpid();

	o.threads = true;
	o.pids = &me;
	o.npids = 1;
	assert_int_equal(proc_table_refresh(t, &o, &err), 0);
	assert_int_equal(proc_table_count(t), 3);
	int others = 0;
	for (size_t i = 0; i < proc_table_count(t); i++) {
		struct proc_task *p = proc_table_get(t, i);
		assert_int_equal(p->tgid, me);
		assert_int_equal(p->nthreads, 3);
		others += p->is_thread;
	}
	assert_int_equal(others, 2);
	/* Every thread of the system was counted although only ours are listed. */
	assert_true(proc_table_sysinfo(t)->ntasks > 3);

	/* Back to processes: one row. */
	o.threads = false;
	assert_int_equal(proc_table_refresh(t, &o, &err), 0);
	assert_int_equal(proc_table_count(t), 1);

	o.pids = NULL;
	o.npids = 0;
	o.hide_kthreads = true;
	assert_int_equal(proc_table_refresh(t, &o, &err), 0);
	for (size_t i = 0; i < proc_table_count(t); i++)
		assert_false(proc_table_get(t, i)->is_kthread);

	o.hide_kthreads = false;
	o.uid = geteuid();
	assert_int_equal(proc_table_refresh(t, &o, &err), 0);
	assert_non_null(proc_table_find(t, me));
	for (size_t i = 0; i < proc_table_count(t); i++) {
		struct proc_task *p = proc_table_get(t, i);
		assert_true(p->known & PROC_KNOWN_USER);
		assert_int_equal(p->uid, geteuid());
	}
	o.uid = 4000000; /* nobody has it */
	assert_int_equal(proc_table_refresh(t, &o, &err), 0);
	assert_int_equal(proc_table_count(t), 0);
	proc_table_free(t);
	for (int i = 0; i < 2; i++) {
		pthread_cancel(th[i]);
		pthread_join(th[i], NULL);
	}
}

static void test_table_vanished(void **state)
{
	struct proc_table *t = proc_table_new();
	struct proc_table_opts o = PROC_TABLE_OPTS_INIT;
	struct wt_err err;
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	o.need = PROC_NEED_CMDLINE | PROC_NEED_STATUS | PROC_NEED_WCHAN;
	assert_int_equal(proc_table_refresh(t, &o, &err), 0);
	assert_non_null(proc_table_find(t, child));
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	assert_int_equal(proc_table_refresh(t, &o, &err), 0);
	assert_null(proc_table_find(t, child));
	proc_table_free(t);
}

/* A child born between two refreshes is in the second, and gone after it is reaped. */
static void test_table_new_child_appears(void **state)
{
	struct proc_table *t = proc_table_new();
	struct proc_table_opts o = PROC_TABLE_OPTS_INIT;
	struct wt_err err;
	size_t before;

	for (int threads = 0; threads < 2; threads++) {
		o.threads = threads;
		assert_int_equal(proc_table_refresh(t, &o, &err), 0);
		assert_int_equal(proc_table_refresh(t, &o, &err), 0);
		before = proc_table_count(t);
		assert_non_null(proc_table_find(t, getpid()));
		pid_t child = fork();
		assert_true(child >= 0);
		if (child == 0) {
			pause();
			_exit(0);
		}
		assert_int_equal(proc_table_refresh(t, &o, &err), 0);
		assert_non_null(proc_table_find(t, child));
		assert_true(proc_table_count(t) >= before / 2);
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		assert_int_equal(proc_table_refresh(t, &o, &err), 0);
		assert_null(proc_table_find(t, child));
		assert_non_null(proc_table_find(t, getpid()));
	}
	proc_table_free(t);
}

static pid_t spawn_sleeper(void)
{
	pid_t p = fork();
	assert_true(p >= 0);
	if (p == 0) {
		pause();
		_exit(0);
	}
	return p;
}

/* Bursts of births and deaths between refreshes: none missed, none left over. */
static void test_table_churn(void **state)
{
	struct proc_table *t = proc_table_new();
	struct proc_table_opts o = PROC_TABLE_OPTS_INIT;
	struct wt_err err;
	pid_t kids[60];

	for (int threads = 0; threads < 2; threads++) {
		o.threads = threads;
		assert_int_equal(proc_table_refresh(t, &o, &err), 0);
		assert_int_equal(proc_table_refresh(t, &o, &err), 0);
		for (int i = 0; i < 40; i++)
			kids[i] = spawn_sleeper();
		assert_int_equal(proc_table_refresh(t, &o, &err), 0);
		for (int i = 0; i < 40; i++)
			assert_non_null(proc_table_find(t, kids[i]));
		for (int round = 0; round < 3; round++) {
			for (int i = 0; i < 20; i++) {
				kill(kids[i], SIGKILL);
				waitpid(kids[i], NULL, 0);
				kids[i] = spawn_sleeper();
			}
			for (int i = 40; i < 60; i++)
				kids[i] = spawn_sleeper();
			assert_int_equal(proc_table_refresh(t, &o, &err), 0);
			for (int i = 0; i < 60; i++)
				assert_non_null(proc_table_find(t, kids[i]));
			for (int i = 40; i < 60; i++) {
				kill(kids[i], SIGKILL);
				waitpid(kids[i], NULL, 0);
			}
			assert_int_equal(proc_table_refresh(t, &o, &err), 0);
			for (int i = 40; i < 60; i++)
				assert_null(proc_table_find(t, kids[i]));
		}
		for (int i = 0; i < 40; i++) {
			kill(kids[i], SIGKILL);
			waitpid(kids[i], NULL, 0);
		}
	}
	proc_table_free(t);
}

static size_t count_tgid(struct proc_table *t, pid_t tgid)
{
	size_t n = 0;
	for (size_t i = 0; i < proc_table_count(t); i++)
		n += proc_table_get(t, i)->tgid == tgid;
	return n;
}

/* A thread born between refreshes: one more row in the threads view only. */
static void test_table_new_thread(void **state)
{
	struct proc_table *t = proc_table_new();
	struct proc_table_opts o = PROC_TABLE_OPTS_INIT;
	struct wt_err err;
	pthread_t th;

	for (int threads = 0; threads < 2; threads++) {
		o.threads = threads;
		assert_int_equal(proc_table_refresh(t, &o, &err), 0);
		assert_int_equal(proc_table_refresh(t, &o, &err), 0);
		size_t before = count_tgid(t, getpid());
		assert_int_equal(before, 1);
		assert_int_equal(pthread_create(&th, NULL, idle_thread, NULL), 0);
		assert_int_equal(proc_table_refresh(t, &o, &err), 0);
		assert_int_equal(count_tgid(t, getpid()), threads ? 2 : 1);
		assert_int_equal(proc_table_find(t, getpid())->nthreads, 2);
		pthread_cancel(th);
		pthread_join(th, NULL);
		assert_int_equal(proc_table_refresh(t, &o, &err), 0);
		assert_int_equal(count_tgid(t, getpid()), 1);
	}
	proc_table_free(t);
}

static void test_overview(void **state)
{
	struct proc_overview ov;
	struct wt_err err;
	char cwd[4096];

	assert_int_equal(proc_overview_read(getpid(), &ov, &err), 0);
	assert_int_equal(ov.pid, getpid());
	assert_string_equal(ov.name, "test_proc_table");
	assert_non_null(ov.exe);
	assert_non_null(strstr(ov.exe, "test_proc_table"));
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_string_equal(ov.cwd, cwd);
	assert_non_null(strstr(ov.cmdline, "test_proc_table"));
	assert_non_null(strstr(ov.status_text, "PPid:"));
	assert_non_null(strstr(ov.limits_text, "Max open files"));
	assert_non_null(strstr(ov.namespaces_text, "pid:["));
	assert_non_null(ov.cgroup);
	assert_true(ov.nfds >= 3);
	assert_true(ov.vol_ctxt + ov.nonvol_ctxt > 0);
	proc_overview_free(&ov);

	/* A pid that is surely gone: one of ours, reaped. */
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	assert_int_equal(proc_overview_read(child, &ov, &err), -ESRCH);
	assert_non_null(strstr(err.msg, "no process"));
	assert_null(ov.name);
}

/* '\n' between lines, and no other control character anywhere. */
static size_t assert_lines(const char *text)
{
	size_t lines = 1;
	assert_non_null(text);
	for (const char *p = text; *p; p++) {
		if (*p == '\n') {
			assert_true(p[1] != '\0'); /* none after the last line */
			lines++;
		} else {
			assert_false((unsigned char)*p < 0x20 || *p == 0x7f);
		}
	}
	return lines;
}

static size_t file_lines(const char *path)
{
	char buf[65536];
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	assert_true(n > 0);
	size_t lines = 0;
	for (ssize_t i = 0; i < n; i++)
		lines += buf[i] == '\n';
	return lines;
}

/*
 * Multi-line fields come as escaped lines joined by '\n': as many as the
 * file has, and a cgroup named with a newline-looking backslash and a tab
 * stays one line with both visible.
 */
static void test_overview_lines(void **state)
{
	struct proc_overview ov;
	struct wt_err err;
	char path[600];

	assert_int_equal(proc_overview_read(getpid(), &ov, &err), 0);
	assert_int_equal(assert_lines(ov.cgroup), file_lines("/proc/self/cgroup"));
	assert_int_equal(assert_lines(ov.limits_text), file_lines("/proc/self/limits"));
	assert_true(assert_lines(ov.status_text) >= 5);
	assert_non_null(strstr(ov.status_text, "Name: test_proc_table"));
	proc_overview_free(&ov);

	/* cgroup v2, where it is mounted and we may make one. */
	const char *roots[] = { "/sys/fs/cgroup/unified", "/sys/fs/cgroup" };
	const char *root = NULL;
	for (size_t i = 0; i < 2 && !root; i++) {
		snprintf(path, sizeof(path), "%s/cgroup.procs", roots[i]);
		if (access(path, W_OK) == 0 && access(roots[i], W_OK) == 0)
			root = roots[i];
	}
	if (!root)
		return;
	char name[64];
	snprintf(name, sizeof(name), "wt%d\\nx\ty", (int)getpid());
	snprintf(path, sizeof(path), "%s/%s", root, name);
	if (mkdir(path, 0755) != 0)
		return; /* no rights, or no such names here: the rest is covered above */
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	char procs[700], num[16];
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", path);
	int fd = open(procs, O_WRONLY);
	int n = snprintf(num, sizeof(num), "%d", (int)child);
	bool moved = fd >= 0 && write(fd, num, (size_t)n) == n;
	if (fd >= 0)
		close(fd);
	int rc = proc_overview_read(child, &ov, &err);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	rmdir(path);
	assert_int_equal(rc, 0);
	if (moved) {
		char want[80];
		snprintf(want, sizeof(want), "/wt%d\\nx\\ty", (int)getpid());
		assert_non_null(strstr(ov.cgroup, want));
		assert_int_equal(assert_lines(ov.cgroup), file_lines("/proc/self/cgroup"));
		print_message("hostile cgroup name: %s\n", want);
	}
	proc_overview_free(&ov);
}

static void test_sort_and_tree(void **state)
{
	struct proc_table *t = proc_table_new();
	struct proc_table_opts o = PROC_TABLE_OPTS_INIT;
	struct wt_err err;
	o.threads = true;
	assert_int_equal(proc_table_refresh(t, &o, &err), 0);
	size_t n = proc_table_count(t);
	assert_true(n > 2);

	proc_table_sort(t, PROC_COL_PID, false);
	for (size_t i = 1; i < n; i++)
		assert_true(proc_table_get(t, i - 1)->pid < proc_table_get(t, i)->pid);
	proc_table_sort(t, PROC_COL_TIME, true);
	for (size_t i = 1; i < n; i++)
		assert_true(proc_table_get(t, i - 1)->time_ticks >= proc_table_get(t, i)->time_ticks);

	proc_table_tree(t, PROC_COL_PID, false);
	assert_int_equal(proc_table_count(t), n); /* nothing lost, nothing doubled */
	pid_t *stack = calloc(n + 1, sizeof(pid_t));
	for (size_t i = 0; i < n; i++) {
		struct proc_task *p = proc_table_get(t, i);
		assert_true(p->depth >= 0 && (size_t)p->depth <= n);
		if (p->depth > 0) {
			/* The nearest row above at depth-1 is the parent (or the leader). */
			pid_t parent = p->is_thread ? p->tgid : p->ppid;
			assert_int_equal(stack[p->depth - 1], parent);
		}
		stack[p->depth] = p->pid;
	}
	/* Siblings in pid order, and a last child is followed by nothing deeper at its level. */
	for (size_t i = 0; i + 1 < n; i++) {
		struct proc_task *a = proc_table_get(t, i), *b = proc_table_get(t, i + 1);
		if (b->depth == a->depth && a->depth > 0) {
			assert_false(a->last_child);
			assert_true(a->pid < b->pid);
		}
	}
	assert_true(proc_table_get(t, n - 1)->last_child);
	free(stack);
	proc_table_free(t);
}

/* The thread of test_pidfile_readers: says its tid, then waits on a pipe. */
struct reader_thread {
	int fds[2];
	pid_t tid;
};
static void *reader_thread(void *arg)
{
	struct reader_thread *rt = arg;
	char c;
	__atomic_store_n(&rt->tid, gettid(), __ATOMIC_RELEASE);
	while (read(rt->fds[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/* A child that names itself name and stops; returns its pid once it is stopped. */
static pid_t stopped_child(const char *name)
{
	pid_t c = fork();
	assert_true(c >= 0);
	if (c == 0) {
		prctl(PR_SET_NAME, name);
		raise(SIGSTOP);
		_exit(0);
	}
	int st;
	assert_int_equal(waitpid(c, &st, WUNTRACED), c);
	assert_true(WIFSTOPPED(st));
	return c;
}

static bool has_tid(const pid_t *v, size_t n, pid_t tid)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == tid)
			return true;
	return false;
}

/* pidfiles.c's readers on the real /proc: this process, a thread, hostile children. */
static void test_pidfile_readers(void **state)
{
	struct proc_status st;
	pid_t *tids, tgid;
	size_t n0, n;

	assert_int_equal(proc_status_read(0, &st), 0);
	assert_int_equal(st.tgid, getpid());
	assert_int_equal(st.ppid, getppid());
	assert_int_equal(st.state, 'R');
	assert_true(st.threads >= 1);
	assert_true(st.have & PROC_STATUS_CAPEFF);
	assert_int_equal(proc_status_read(getpid(), &st), 0);
	assert_int_equal(st.tgid, getpid());
	assert_int_equal(proc_task_state(getpid(), 0), 'R');
	assert_int_equal(proc_task_state(getpid(), gettid()), 'R');
	assert_false(proc_is_kthread(getpid()));

	/* A new thread is listed, has this process as its group, and sleeps on the pipe. */
	assert_int_equal(proc_threads(getpid(), &tids, &n0), 0);
	assert_true(has_tid(tids, n0, getpid()));
	free(tids);
	struct reader_thread rt = {.tid = 0};
	pthread_t th;
	assert_int_equal(pipe(rt.fds), 0);
	assert_int_equal(pthread_create(&th, NULL, reader_thread, &rt), 0);
	while (!__atomic_load_n(&rt.tid, __ATOMIC_ACQUIRE))
		sched_yield();
	assert_int_equal(proc_threads(getpid(), &tids, &n), 0);
	assert_int_equal(n, n0 + 1);
	assert_true(has_tid(tids, n, rt.tid));
	free(tids);
	assert_int_equal(proc_tgid_of(rt.tid, &tgid), 0);
	assert_int_equal(tgid, getpid());
	assert_int_equal(proc_status_read(rt.tid, &st), 0);
	assert_int_equal(st.tgid, getpid());
	/* Running to the read, then asleep in it: wait for the condition, no sleep. */
	while (proc_task_state(getpid(), rt.tid) != 'S')
		sched_yield();
	assert_int_equal(write(rt.fds[1], "x", 1), 1);
	assert_int_equal(pthread_join(th, NULL), 0);
	close(rt.fds[0]);
	close(rt.fds[1]);

	/* A name that fakes the fields after it: the state follows the LAST ')'. */
	pid_t c = stopped_child("a) Z 1 (");
	char letter;
	unsigned long flags;
	assert_int_equal(proc_task_state(c, 0), 'T');
	assert_int_equal(proc_task_state(c, c), 'T');
	assert_int_equal(proc_task_stat_read(c, 0, &letter, &flags), 0);
	assert_int_equal(letter, 'T');
	assert_false(flags & PROC_PF_KTHREAD);
	assert_int_equal(proc_status_read(c, &st), 0);
	assert_int_equal(st.state, 'T');
	assert_int_equal(st.ppid, getpid());
	assert_int_equal(st.threads, 1);
	assert_int_equal(proc_threads(c, &tids, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(tids[0], c);
	free(tids);
	/* Exited, not reaped: a zombie, still readable. */
	kill(c, SIGKILL);
	siginfo_t si;
	assert_int_equal(waitid(P_PID, (id_t)c, &si, WEXITED | WNOWAIT), 0);
	assert_int_equal(proc_task_state(c, 0), 'Z');
	assert_int_equal(proc_status_read(c, &st), 0);
	assert_int_equal(st.state, 'Z');
	/* Reaped: gone, and each reader says so. */
	assert_int_equal(waitpid(c, NULL, 0), c);
	assert_int_equal(proc_task_state(c, 0), '?');
	assert_int_equal(proc_task_stat_read(c, 0, &letter, NULL), -ESRCH);
	assert_int_equal(proc_status_read(c, &st), -ESRCH);
	assert_int_equal(proc_tgid_of(c, &tgid), -ESRCH);
	assert_int_equal(proc_threads(c, &tids, &n), -ENOENT);
	assert_null(tids);

	/* A name posing as a status line cannot make the process look traced. */
	c = stopped_child("TracerPid:\t9");
	assert_int_equal(proc_status_read(c, &st), 0);
	assert_true(st.have & PROC_STATUS_TRACER);
	assert_int_equal(st.tracer_pid, 0);
	kill(c, SIGKILL);
	assert_int_equal(waitpid(c, NULL, 0), c);

	/* kthreadd, where this pid namespace has it. */
	char comm[32] = "";
	if (wt_read_at(AT_FDCWD, "/proc/2/comm", comm, sizeof(comm)) > 0 &&
	    strcmp(comm, "kthreadd\n") == 0)
		assert_true(proc_is_kthread(2));
}


/*
 * The columns of issue 15 on a real child: affinity set to CPU 0, IO
 * priority idle, and the values the files give. Without their needs the
 * refresh reads none of it (no known bit).
 */
static void test_table_new_columns(void **state)
{
	pid_t kid = fork();
	assert_true(kid >= 0);
	if (kid == 0) {
		for (;;)
			pause();
	}
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	assert_int_equal(sched_setaffinity(kid, sizeof(set), &set), 0);
	assert_int_equal(syscall(SYS_ioprio_set, 1, kid, PROC_IOPRIO_IDLE << 13), 0);

	struct proc_table *t = proc_table_new();
	struct proc_table_opts o = PROC_TABLE_OPTS_INIT;
	struct wt_err err;
	const struct proc_task *p;
	char cell[4096], want[4096];
	o.pids = &kid;
	o.npids = 1;
	/* stat only: nothing of the new columns is read */
	assert_int_equal(proc_table_refresh(t, &o, &err), 0);
	assert_non_null(p = proc_table_find(t, kid));
	assert_int_equal(p->known & (PROC_KNOWN_IO | PROC_KNOWN_IOPRIO | PROC_KNOWN_CGROUP |
				     PROC_KNOWN_SCHED | PROC_KNOWN_OOM | PROC_KNOWN_EXE), 0);
	proc_col_format(p, PROC_COL_IO_WRITE_RATE, NULL, cell, sizeof(cell));
	assert_string_equal(cell, "?");

	o.need = PROC_NEED_IO | PROC_NEED_IOPRIO | PROC_NEED_CGROUP | PROC_NEED_SCHED |
		 PROC_NEED_OOM | PROC_NEED_EXE;
	assert_int_equal(proc_table_refresh(t, &o, &err), 0);
	assert_non_null(p = proc_table_find(t, kid));
	/* one io sample after a refresh without io: no rate yet, and no 0 */
	assert_false(p->known & PROC_KNOWN_IO_RATE);
	assert_false(p->known & PROC_KNOWN_CTXT_RATE);
	assert_int_equal(proc_table_refresh(t, &o, &err), 0);
	assert_non_null(p = proc_table_find(t, kid));
	const struct proc_sysinfo *si = proc_table_sysinfo(t);
	assert_true(p->known & PROC_KNOWN_IO_RATE);
	assert_true(p->known & PROC_KNOWN_CTXT_RATE);
	proc_col_format(p, PROC_COL_IO_PRIORITY, si, cell, sizeof(cell));
	assert_string_equal(cell, "id");
	proc_col_format(p, PROC_COL_AFFINITY, si, cell, sizeof(cell));
	/* "all" only if CPU 0 is every CPU the kernel could ever allow */
	FILE *pf = fopen("/sys/devices/system/cpu/possible", "r");
	char possible[64] = "";
	if (pf) {
		if (!fgets(possible, sizeof(possible), pf))
			possible[0] = '\0';
		fclose(pf);
	}
	assert_string_equal(cell, strcmp(possible, "0\n") == 0 ? "all" : "0");

	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/oom_score", (int)kid);
	FILE *f = fopen(path, "r");
	int oom = -1;
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%d", &oom), 1);
	fclose(f);
	assert_int_equal(p->oom_score, oom);

	ssize_t n = readlink("/proc/self/exe", want, sizeof(want) - 1);
	assert_true(n > 0);
	want[n] = '\0';
	proc_col_format(p, PROC_COL_EXE, si, cell, sizeof(cell));
	assert_string_equal(cell, want);
	proc_col_format(p, PROC_COL_EXE_STATE, si, cell, sizeof(cell));
	assert_string_equal(cell, "-");
	assert_string_equal(proc_task_exe_mark(p), "");

	/* the v2 path, as /proc/self/cgroup says */
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)kid);
	f = fopen(path, "r");
	assert_non_null(f);
	want[0] = '\0';
	while (fgets(cell, sizeof(cell), f))
		if (strncmp(cell, "0::", 3) == 0)
			snprintf(want, sizeof(want), "%.*s", (int)strcspn(cell + 3, "\n"), cell + 3);
	fclose(f);
	if (want[0]) {
		proc_col_format(p, PROC_COL_CGROUP, si, cell, sizeof(cell));
		assert_string_equal(cell, want);
	}
	proc_col_format(p, PROC_COL_ELAPSED, si, cell, sizeof(cell));
	assert_true(strcmp(cell, "00:00") == 0 || strcmp(cell, "00:01") == 0 || strlen(cell) == 5);

	proc_table_free(t);
	kill(kid, SIGKILL);
	waitpid(kid, NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_col_names),
		cmocka_unit_test(test_cols_parse),
		cmocka_unit_test(test_col_needs),
		cmocka_unit_test(test_col_format),
		cmocka_unit_test(test_table_self),
		cmocka_unit_test(test_table_threads_and_filters),
		cmocka_unit_test(test_table_vanished),
		cmocka_unit_test(test_table_new_child_appears),
		cmocka_unit_test(test_table_new_thread),
		cmocka_unit_test(test_table_churn),
		cmocka_unit_test(test_overview),
		cmocka_unit_test(test_overview_lines),
		cmocka_unit_test(test_sort_and_tree),
		cmocka_unit_test(test_pidfile_readers),
		cmocka_unit_test(test_table_new_columns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
