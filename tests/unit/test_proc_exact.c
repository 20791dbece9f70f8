/*
 * test_proc_exact.c: the process table against the kernel's own listing,
 * under churn. A churner process forks children that live from nothing to
 * a fifth of a second (some with threads of their own) and starts threads
 * that come and go; long-lived sleepers and threads must be in every
 * refresh. Around every refresh the test lists /proc itself (and each
 * /proc/PID/task in the threads view), with each task's start time: a task
 * (same id, same start time) listed both before and after the refresh was
 * alive throughout it, so the refresh must show it. A row must also not be
 * doubled, and in the process view must not be a thread.
 *
 * It runs once freely and once with everything pinned to one CPU, where the
 * refresh and the forks interleave at the scheduler's whim. A last test
 * gives a child a chosen pid (clone3's set_tid, as CRIU does), away from
 * the pids the kernel is handing out.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/sched.h>
#include <sys/syscall.h>

#include <whytop/proc.h>
#include "core/proc/internal.h"

#define N_SLEEPERS 8
#define STRESS_REFRESHES 100

struct snap_ent {
	pid_t id;
	uint64_t start;
};

struct snap {
	struct snap_ent *e;
	size_t n, cap;
};

static void snap_add(struct snap *s, pid_t id, uint64_t start)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->e = realloc(s->e, s->cap * sizeof(*s->e));
		assert_non_null(s->e);
	}
	s->e[s->n].id = id;
	s->e[s->n].start = start;
	s->n++;
}

/* Start time (field 22) of a /proc stat file; false if the task is gone. */
static bool read_start(const char *path, uint64_t *start)
{
	char buf[1024];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	if (!p)
		return false;
	p += 2; /* field 3, state */
	for (int f = 3; f < 22; f++) {
		p = strchr(p, ' ');
		if (!p)
			return false;
		p++;
	}
	*start = strtoull(p, NULL, 10);
	return true;
}

static bool numeric(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* What the kernel lists right now: every process, or every thread. */
static void snap_take(struct snap *s, bool threads)
{
	char path[600];
	uint64_t start;
	s->n = 0;
	DIR *d = opendir("/proc");
	assert_non_null(d);
	for (struct dirent *de; (de = readdir(d));) {
		if (!numeric(de->d_name))
			continue;
		if (!threads) {
			snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
			if (read_start(path, &start))
				snap_add(s, atoi(de->d_name), start);
			continue;
		}
		snprintf(path, sizeof(path), "/proc/%s/task", de->d_name);
		DIR *td = opendir(path);
		if (!td)
			continue;
		for (struct dirent *te; (te = readdir(td));) {
			if (!numeric(te->d_name))
				continue;
			snprintf(path, sizeof(path), "/proc/%s/task/%s/stat", de->d_name, te->d_name);
			if (read_start(path, &start))
				snap_add(s, atoi(te->d_name), start);
		}
		closedir(td);
	}
	closedir(d);
}

static int ent_cmp(const void *a, const void *b)
{
	const struct snap_ent *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

static bool snap_has(const struct snap *s, pid_t id, uint64_t start)
{
	struct snap_ent k = { id, start };
	return bsearch(&k, s->e, s->n, sizeof(k), ent_cmp) != NULL;
}

/* The Tgid line of /proc/ID/status, or 0 if the task is gone. */
static pid_t read_tgid(pid_t id)
{
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)id);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *p = strstr(buf, "\nTgid:");
	return p ? (pid_t)atoi(p + 6) : 0;
}

/* ---- the churner, a child process ---- */

static void *short_thread(void *arg)
{
	struct timespec ts = { 0, (long)(uintptr_t)arg };
	nanosleep(&ts, NULL);
	return NULL;
}

static void churn_child(unsigned seed)
{
	pthread_t th[3];
	int nth = 0;
	if (seed % 4 == 0) {
		nth = 1 + (int)(seed / 4 % 3);
		for (int i = 0; i < nth; i++)
			if (pthread_create(&th[i], NULL, short_thread,
					   (void *)(uintptr_t)(seed % 50 * 1000000L)))
				nth = i;
	}
	struct timespec ts = { 0, (long)(seed % 7 == 0 ? 0 : seed % 200) * 1000000L };
	nanosleep(&ts, NULL);
	for (int i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	_exit(0);
}

static void *thread_churner(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg;
	for (;;) {
		pthread_t th;
		seed = seed * 1103515245u + 12345u;
		if (pthread_create(&th, NULL, short_thread, (void *)(uintptr_t)(seed % 30 * 1000000L)) == 0)
			pthread_detach(th);
		struct timespec ts = { 0, 2000000 };
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static void churner(void)
{
	unsigned seed = (unsigned)getpid();
	int live = 0;
	pthread_t tc;
	pthread_create(&tc, NULL, thread_churner, (void *)(uintptr_t)seed);
	for (;;) {
		seed = seed * 1103515245u + 12345u;
		if (live < 150) {
			pid_t churner_pid = getpid();
			pid_t p = fork();
			if (p == 0) {
				/*
				 * Dies with the churner: a child forked while the
				 * churner's other thread held a lock (a sanitizer's
				 * allocator) can hang in pthread_create, and must not
				 * outlive the test.
				 */
				prctl(PR_SET_PDEATHSIG, SIGKILL);
				if (getppid() != churner_pid)
					_exit(0);
				churn_child(seed >> 8);
			}
			if (p > 0)
				live++;
		}
		/* Reap only some: zombies are tasks too, and must be listed. */
		while (live > 100 && waitpid(-1, NULL, WNOHANG) > 0)
			live--;
		if (live >= 150 && waitpid(-1, NULL, 0) > 0)
			live--;
		/* About a thousand pids a second, a few dozen between two refreshes. */
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
	}
}

static void *long_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static pid_t start_proc(void (*fn)(void))
{
	pid_t p = fork();
	assert_true(p >= 0);
	if (p == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* a failed test leaves nothing behind */
		fn();
		_exit(0);
	}
	return p;
}

static void sleeper(void)
{
	for (;;)
		pause();
}

static void threaded_sleeper(void)
{
	pthread_t th;
	for (int i = 0; i < 4; i++)
		pthread_create(&th, NULL, long_thread, NULL);
	for (;;)
		pause();
}

static void pin_to_one_cpu(pid_t pid)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	int cpu = 0;
	while (cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &set))
		cpu++;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(pid, sizeof(set), &set);
}

static void check_refresh(struct proc_table *t, bool threads, const struct snap *before,
			  const struct snap *after, const pid_t *must, size_t nmust, int round,
			  unsigned *missed)
{
	size_t n = proc_table_count(t);
	struct snap rows = { 0 };
	for (size_t i = 0; i < n; i++) {
		const struct proc_task *p = proc_table_get(t, i);
		snap_add(&rows, p->pid, p->start_ticks);
		if (!threads) {
			assert_false(p->is_thread);
			assert_int_equal(p->pid, p->tgid);
		}
	}
	qsort(rows.e, rows.n, sizeof(*rows.e), ent_cmp);
	for (size_t i = 1; i < rows.n; i++) {
		if (rows.e[i].id == rows.e[i - 1].id)
			fail_msg("refresh %d: pid %d shown twice", round, (int)rows.e[i].id);
	}
	for (size_t i = 0; i < before->n; i++) {
		const struct snap_ent *b = &before->e[i];
		if (!snap_has(after, b->id, b->start) || snap_has(&rows, b->id, b->start))
			continue;
		print_message("refresh %d (%s): %d (start %llu) alive before and after, not shown\n",
			      round, threads ? "threads" : "processes", (int)b->id,
			      (unsigned long long)b->start);
		(*missed)++;
	}
	/* A row no listing showed: it must at least be what the table says it is. */
	for (size_t i = 0; i < n; i++) {
		const struct proc_task *p = proc_table_get(t, i);
		if (snap_has(before, p->pid, p->start_ticks) || snap_has(after, p->pid, p->start_ticks))
			continue;
		pid_t tgid = read_tgid(p->pid);
		uint64_t start;
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)p->pid);
		if (tgid && read_start(path, &start) && start == p->start_ticks && tgid != p->tgid) {
			print_message("refresh %d: %d shown with tgid %d, is %d's\n", round, (int)p->pid,
				      (int)p->tgid, (int)tgid);
			(*missed)++;
		}
	}
	for (size_t i = 0; i < nmust; i++) {
		if (!proc_table_find(t, must[i])) {
			print_message("refresh %d: long-lived %d not shown\n", round, (int)must[i]);
			(*missed)++;
		}
	}
	free(rows.e);
}

static void stress(bool one_cpu)
{
	pid_t must[N_SLEEPERS + 2 + 4 + 1];
	size_t nmust = 0;
	pid_t threaded = -1;

	for (int i = 0; i < N_SLEEPERS; i++)
		must[nmust++] = start_proc(sleeper);
	threaded = start_proc(threaded_sleeper);
	must[nmust++] = threaded;
	must[nmust++] = getpid();
	pid_t churn = start_proc(churner);
	if (one_cpu) {
		pin_to_one_cpu(0);
		pin_to_one_cpu(churn);
	}
	/* The threaded sleeper's threads, once it has made them. */
	size_t nmust_proc = nmust;
	pid_t tids[8];
	size_t ntids = 0;
	for (int tries = 0; tries < 200 && ntids < 4; tries++) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/task", (int)threaded);
		ntids = 0;
		DIR *d = opendir(path);
		assert_non_null(d);
		for (struct dirent *de; (de = readdir(d));)
			if (numeric(de->d_name) && atoi(de->d_name) != threaded && ntids < 8)
				tids[ntids++] = atoi(de->d_name);
		closedir(d);
		if (ntids < 4)
			usleep(10000);
	}
	assert_int_equal(ntids, 4);

	struct proc_table *t = proc_table_new();
	assert_non_null(t);
	struct proc_table_opts o = PROC_TABLE_OPTS_INIT;
	struct wt_err err;
	struct snap before = { 0 }, after = { 0 };
	unsigned missed = 0;
	unsigned seed = 1;
	for (int round = 0; round < STRESS_REFRESHES; round++) {
		bool threads = (round / 25) % 2;
		o.threads = threads;
		snap_take(&before, threads);
		assert_int_equal(proc_table_refresh(t, &o, &err), 0);
		snap_take(&after, threads);
		qsort(before.e, before.n, sizeof(*before.e), ent_cmp);
		qsort(after.e, after.n, sizeof(*after.e), ent_cmp);
		pid_t all[sizeof(must) / sizeof(must[0]) + 8];
		size_t nall = nmust_proc;
		memcpy(all, must, nmust_proc * sizeof(pid_t));
		if (threads)
			for (size_t i = 0; i < ntids; i++)
				all[nall++] = tids[i];
		check_refresh(t, threads, &before, &after, all, nall, round, &missed);
		seed = seed * 1103515245u + 12345u;
		usleep(seed % 30000);
	}
	print_message("%s: %d refreshes, %u misses\n", one_cpu ? "one cpu" : "free",
		      STRESS_REFRESHES, missed);
	proc_table_free(t);
	free(before.e);
	free(after.e);

	kill(churn, SIGKILL);
	waitpid(churn, NULL, 0);
	for (size_t i = 0; i < nmust_proc; i++) {
		if (must[i] == getpid())
			continue;
		kill(must[i], SIGKILL);
		waitpid(must[i], NULL, 0);
	}
	if (one_cpu) {
		cpu_set_t set;
		CPU_ZERO(&set);
		for (int c = 0; c < CPU_SETSIZE; c++)
			CPU_SET(c, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	assert_int_equal(missed, 0);
}

static void test_stress_free(void **state)
{
	(void)state;
	stress(false);
}

static void test_stress_one_cpu(void **state)
{
	(void)state;
	stress(true);
}

/*
 * A pid need not come from the kernel's cursor: clone3's set_tid (and a
 * write to ns_last_pid) choose it, as CRIU does when it restores a tree.
 * Such a process, born between two refreshes, must be in the second one.
 */
static void test_chosen_pid(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip(); /* set_tid needs CAP_SYS_ADMIN over the pid namespace */
	struct proc_table *t = proc_table_new();
	assert_non_null(t);
	struct proc_table_opts o = PROC_TABLE_OPTS_INIT;
	struct wt_err err;
	for (int threads = 0; threads < 2; threads++) {
		o.threads = threads;
		assert_int_equal(proc_table_refresh(t, &o, &err), 0);
		assert_int_equal(proc_table_refresh(t, &o, &err), 0);
		/* A free pid well away from the last one handed out. */
		pid_t self = getpid(), want = 0;
		for (pid_t c = self > 20000 ? self - 10000 : self + 10000; c > 300 && !want; c -= 7) {
			char path[32];
			snprintf(path, sizeof(path), "/proc/%d", (int)c);
			if (access(path, F_OK) != 0)
				want = c;
		}
		assert_true(want > 0);
		pid_t tid = want;
		struct clone_args ca;
		memset(&ca, 0, sizeof(ca));
		ca.exit_signal = SIGCHLD;
		ca.set_tid = (uint64_t)(uintptr_t)&tid;
		ca.set_tid_size = 1;
		long child = syscall(SYS_clone3, &ca, sizeof(ca));
		if (child < 0 && (errno == ENOSYS || errno == EPERM || errno == EEXIST))
			skip();
		assert_true(child >= 0);
		if (child == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				pause();
		}
		assert_int_equal(child, want);
		assert_int_equal(proc_table_refresh(t, &o, &err), 0);
		bool found = proc_table_find(t, (pid_t)child) != NULL;
		kill((pid_t)child, SIGKILL);
		waitpid((pid_t)child, NULL, 0);
		if (!found)
			fail_msg("%s view: pid %ld, born with a chosen pid, not shown",
				 threads ? "threads" : "process", child);
	}
	proc_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chosen_pid),
		cmocka_unit_test(test_stress_free),
		cmocka_unit_test(test_stress_one_cpu),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
