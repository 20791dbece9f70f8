/*
 * table.c: the process table's refresh loop: finding the tasks, then
 * handing each to task.c, then the system-wide figures and the accessors.
 *
 * Tasks are found by listing /proc with getdents64 on a kept directory fd
 * (and /proc/PID/task for the threads view), on every refresh. Walking the
 * tasks already known and probing only the pids handed out since (from the
 * last pid in /proc/loadavg) was tried and dropped: a pid chosen with
 * clone3's set_tid or ns_last_pid (CRIU) is outside that range, and a pid
 * handed out but not yet attached to its task when probed is never probed
 * again, so a live process could be missing for several refreshes
 * (tests/unit/test_proc_exact.c shows the first). Listing costs a fifth
 * of a refresh; a table that is not exact costs more.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <whytop/proc.h>
#include <whytop/util.h>
#include "core/proc/table_int.h"

struct proc_table *proc_table_new(void)
{
	struct proc_table *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	t->nbuckets = 1024;
	t->bucket = calloc(t->nbuckets, sizeof(*t->bucket));
	t->dents_sz = 64 * 1024;
	t->dents = malloc(t->dents_sz);
	t->sys = proc_sysreader_new();
	t->users = proc_users_new();
	if (t->procfd < 0 || !t->bucket || !t->dents || !t->sys || !t->users) {
		proc_table_free(t);
		return NULL;
	}
	t->euid = geteuid();
	long page = sysconf(_SC_PAGESIZE);
	t->page_kb = page > 0 ? page / 1024 : 4;
	t->si.clk_tck = sysconf(_SC_CLK_TCK);
	if (t->si.clk_tck <= 0)
		t->si.clk_tck = 100;

	/*
	 * Keeping an fd per task needs more than the usual 1024: raise the soft
	 * limit towards the hard one (at most 64k) and keep fds while there is
	 * room, falling back to open+read+close beyond it.
	 */
	struct rlimit rl;
	t->keep_fds = true;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rlim_t want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > 65536 ? 65536 : rl.rlim_max;
		if (rl.rlim_cur < want) {
			rl.rlim_cur = want;
			setrlimit(RLIMIT_NOFILE, &rl);
			getrlimit(RLIMIT_NOFILE, &rl);
		}
		t->fd_budget = (long)rl.rlim_cur - FD_RESERVE;
	} else {
		t->fd_budget = 1024 - FD_RESERVE;
	}
	if (getenv("WHYTOP_PROC_NO_KEEP_FDS"))
		t->keep_fds = false; /* for the benchmark: measure both ways */

	return t;
}

void proc_table_free(struct proc_table *t)
{
	if (!t)
		return;
	if (t->bucket)
		proc_cache_evict(t, true);
	free(t->bucket);
	if (t->procfd >= 0)
		close(t->procfd);
	free(t->dents);
	free(t->tasks);
	free(t->cpus_possible);
	proc_sysreader_free(t->sys);
	proc_users_free(t->users);
	free(t);
}

/* A /proc entry's name as a pid: digits only, no leading zero. */
static bool parse_pid_name(const char *s, pid_t *out)
{
	unsigned long v = 0;
	if (*s < '1' || *s > '9')
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 0x7fffffff / 10)
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*out = (pid_t)v;
	return true;
}

/*
 * Calls fn for every numeric entry of the directory fd, rewinding it first.
 * The buffer is the table's; callers must not nest two walks.
 */
static int walk_pids(int fd, char *dents, size_t size, pid_t *out, size_t *nout, size_t cap)
{
	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	*nout = 0;
	for (;;) {
		long n = syscall(SYS_getdents64, fd, dents, size);
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		for (long off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(dents + off);
			pid_t pid;
			off += d->d_reclen;
			if (parse_pid_name(d->d_name, &pid)) {
				if (*nout == cap)
					return -ENOBUFS;
				out[(*nout)++] = pid;
			}
		}
	}
}

/* The pids of a directory into a growing array. */
static int list_pids(struct proc_table *t, int fd, pid_t **arr, size_t *cap, size_t *n)
{
	for (;;) {
		int rc = walk_pids(fd, t->dents, t->dents_sz, *arr, n, *cap);
		if (rc != -ENOBUFS)
			return rc;
		size_t ncap = *cap ? *cap * 2 : 4096;
		pid_t *a = realloc(*arr, ncap * sizeof(*a));
		if (!a)
			return -ENOMEM;
		*arr = a;
		*cap = ncap;
	}
}

static int scan_threads(struct proc_table *t, const struct scan *sc, pid_t pid, pid_t **tids,
			size_t *tcap)
{
	char dir[64];
	size_t n;
	proc_path_pid(dir, pid, "/task");
	int fd = openat(t->procfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0; /* gone */
	int rc = list_pids(t, fd, tids, tcap, &n);
	close(fd);
	if (rc)
		return rc == -ENOMEM ? rc : 0;
	for (size_t i = 0; i < n; i++) {
		size_t l = proc_path_pid(dir, pid, "/task/");
		proc_path_pid(dir + l, (*tids)[i], "/");
		rc = proc_task_scan(t, sc, dir, (*tids)[i], pid, (*tids)[i] != pid);
		if (rc)
			return rc;
	}
	return 0;
}

int proc_table_refresh(struct proc_table *t, const struct proc_table_opts *opts,
		       struct wt_err *err)
{
	static const struct proc_table_opts defaults = { .uid = (uid_t)-1 };
	const struct proc_table_opts *o = opts ? opts : &defaults;
	struct scan sc = { .opts = o, .need = o->need };
	pid_t *pids = NULL, *tids = NULL;
	size_t npids = 0, pcap = 0, tcap = 0;
	uint64_t now = wt_now_ns();
	int rc;

	wt_err_clear(err);
	if (t->have_mode && t->threads_mode != o->threads) {
		/* Process and thread views keep different stat files: start afresh. */
		proc_cache_evict(t, true);
	}
	t->threads_mode = o->threads;
	t->have_mode = true;
	sc.dt_s = t->last_ns ? (double)(now - t->last_ns) / 1e9 : 0;
	t->last_ns = now;
	t->gen++;
	t->ntasks = 0;

	struct proc_sysinfo *si = &t->si;
	si->ntasks = si->nprocs = si->nthreads = si->nkthreads = 0;
	si->nrunning = si->nsleeping = si->ndisk = si->nstopped = si->nzombie = si->nidle = 0;
	rc = proc_sysreader_read(t->sys, t->procfd, si);
	if (rc == -ENOMEM)
		return wt_err_set(err, ENOMEM, "out of memory reading /proc/stat");
	if (rc)
		return wt_err_set(err, rc, "cannot read /proc/stat: %s; is /proc mounted?",
				  strerror(-rc));

	rc = list_pids(t, t->procfd, &pids, &pcap, &npids);
	if (rc) {
		free(pids);
		return wt_err_set(err, rc, "cannot list /proc: %s; is /proc mounted?", strerror(-rc));
	}
	for (size_t i = 0; i < npids && !rc; i++) {
		if (o->threads) {
			rc = scan_threads(t, &sc, pids[i], &tids, &tcap);
		} else {
			char dir[24];
			proc_path_pid(dir, pids[i], "/");
			rc = proc_task_scan(t, &sc, dir, pids[i], pids[i], false);
		}
	}
	free(pids);
	free(tids);
	si->ntasks = si->nthreads + si->nkthreads;
	proc_cache_evict(t, false);
	if (rc)
		return wt_err_set(err, rc, "out of memory while reading the process table");
	return 0;
}

size_t proc_table_count(const struct proc_table *t)
{
	return t->ntasks;
}

struct proc_task *proc_table_get(struct proc_table *t, size_t i)
{
	return i < t->ntasks ? &t->tasks[i] : NULL;
}

struct proc_task *proc_table_find(struct proc_table *t, pid_t pid)
{
	for (size_t i = 0; i < t->ntasks; i++)
		if (t->tasks[i].pid == pid)
			return &t->tasks[i];
	return NULL;
}

const struct proc_sysinfo *proc_table_sysinfo(const struct proc_table *t)
{
	return &t->si;
}

/* For tree.c: the task array, to reorder in place. */
struct proc_task *proc_table_tasks_(struct proc_table *t, size_t *n)
{
	*n = t->ntasks;
	return t->tasks;
}
