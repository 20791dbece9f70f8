/*
 * task.c: reading one task in a refresh, and the cache that makes it cheap.
 *
 * The cache keeps, per task id and start time (a pid reused by a new
 * process has another start time):
 *   - what does not change: the command line and the user (both re-read
 *     only when comm changes, as it does on exec), the kernel-thread flag;
 *   - the open fds of the files read on every refresh (stat, wchan, syscall,
 *     io): pread at offset 0 on a kept fd makes the kernel regenerate the
 *     text and costs about half of open+read+close;
 *   - the previous utime+stime, for CPU% as a delta over wall time.
 * No stdio here: reads go into stack buffers and numbers are parsed by hand.
 * A task that vanishes mid-read is skipped; a file refused with EACCES
 * leaves its field unknown (proc_task.known), never zero.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <whytop/proc.h>
#include <whytop/sysnames.h>
#include <whytop/util.h>
#include "core/proc/table_int.h"

ssize_t proc_read_kept(int dirfd, const char *path, int *keep, bool want_keep, char *buf,
		       size_t size)
{
	ssize_t n;
	int fd = *keep;

	if (fd >= 0) {
		n = pread(fd, buf, size - 1, 0);
		if (n > 0) {
			buf[n] = '\0';
			return n;
		}
		/* The task behind a kept fd is gone (ESRCH, or empty): the caller decides. */
		return n < 0 ? -errno : -ESRCH;
	}
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pread(fd, buf, size - 1, 0);
	int e = errno;
	if (want_keep && n > 0)
		*keep = fd;
	else
		close(fd);
	if (n < 0)
		return -e;
	buf[n] = '\0';
	return n;
}

size_t proc_path_pid(char *out, pid_t pid, const char *rest)
{
	char tmp[16];
	size_t n = 0, o = 0;
	unsigned v = (unsigned)pid;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		out[o++] = tmp[--n];
	size_t rl = strlen(rest);
	memcpy(out + o, rest, rl + 1);
	return o + rl;
}

static size_t bucket_of(const struct proc_table *t, pid_t pid)
{
	return ((unsigned)pid * 2654435761u) & (t->nbuckets - 1);
}

static struct proc_ent *ent_find(struct proc_table *t, pid_t pid)
{
	for (struct proc_ent *e = t->bucket[bucket_of(t, pid)]; e; e = e->next)
		if (e->pid == pid)
			return e;
	return NULL;
}

static void ent_close_fds(struct proc_table *t, struct proc_ent *e)
{
	int *fds[] = { &e->fd_stat,   &e->fd_wchan,  &e->fd_syscall, &e->fd_io,
		       &e->fd_status, &e->fd_cgroup, &e->fd_oom };
	for (size_t i = 0; i < WT_ARRAY_SIZE(fds); i++) {
		if (*fds[i] >= 0) {
			close(*fds[i]);
			*fds[i] = -1;
			t->fd_budget++;
		}
	}
}

static void ent_free_text(struct proc_ent *e)
{
	free(e->comm);
	free(e->cmdline);
	free(e->cgroup_raw);
	free(e->cgroup);
	free(e->ccgroup);
	free(e->cpus);
	free(e->exe_raw);
	free(e->exe);
}

static void ent_init_fds(struct proc_ent *e)
{
	e->fd_stat = e->fd_wchan = e->fd_syscall = e->fd_io = -1;
	e->fd_status = e->fd_cgroup = e->fd_oom = -1;
	e->syscall_nr = -2;
	e->ioprio = -1;
}

/* Forget everything about the task that had this pid (it exited or exec'd into a reuse). */
static void ent_reset(struct proc_table *t, struct proc_ent *e)
{
	ent_close_fds(t, e);
	ent_free_text(e);
	struct proc_ent *next = e->next;
	pid_t pid = e->pid;
	memset(e, 0, sizeof(*e));
	e->pid = pid;
	e->next = next;
	ent_init_fds(e);
}

static int table_grow_buckets(struct proc_table *t)
{
	size_t n = t->nbuckets * 2;
	struct proc_ent **b = calloc(n, sizeof(*b));
	if (!b)
		return -ENOMEM;
	struct proc_ent **old = t->bucket;
	size_t oldn = t->nbuckets;
	t->bucket = b;
	t->nbuckets = n;
	for (size_t i = 0; i < oldn; i++) {
		struct proc_ent *e = old[i], *next;
		for (; e; e = next) {
			next = e->next;
			size_t k = bucket_of(t, e->pid);
			e->next = b[k];
			b[k] = e;
		}
	}
	free(old);
	return 0;
}

static struct proc_ent *ent_add(struct proc_table *t, pid_t pid)
{
	if (t->nents >= t->nbuckets * 2 && table_grow_buckets(t))
		return NULL;
	struct proc_ent *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->pid = pid;
	ent_init_fds(e);
	size_t k = bucket_of(t, pid);
	e->next = t->bucket[k];
	t->bucket[k] = e;
	t->nents++;
	return e;
}

/* Drop entries not seen in this refresh (all = drop everything). */
void proc_cache_evict(struct proc_table *t, bool all)
{
	for (size_t i = 0; i < t->nbuckets; i++) {
		struct proc_ent **pp = &t->bucket[i];
		while (*pp) {
			struct proc_ent *e = *pp;
			if (all || e->gen != t->gen) {
				*pp = e->next;
				ent_close_fds(t, e);
				ent_free_text(e);
				free(e);
				t->nents--;
			} else {
				pp = &e->next;
			}
		}
	}
}

static ssize_t table_read(struct proc_table *t, const char *path, int *keep, char *buf,
			  size_t size)
{
	bool want = t->keep_fds && *keep < 0 && t->fd_budget > 0;
	bool had = *keep >= 0;
	ssize_t n = proc_read_kept(t->procfd, path, keep, want, buf, size);
	if (!had && *keep >= 0)
		t->fd_budget--;
	return n;
}

static void ent_set_comm(struct proc_ent *e, const char *raw, size_t len)
{
	if (len > COMM_RAW_MAX)
		len = COMM_RAW_MAX;
	if (e->comm && len == e->comm_raw_len && memcmp(raw, e->comm_raw, len) == 0)
		return;
	if (e->comm) {
		/*
		 * A new name usually means an exec: the command line changed too,
		 * and so may the user (a set-uid program).
		 */
		e->cmdline_tried = false;
		e->user_tried = false;
	}
	memcpy(e->comm_raw, raw, len);
	e->comm_raw_len = len;
	char *c = wt_escape(raw, len, 0);
	if (c) {
		free(e->comm);
		e->comm = c;
	}
}

static void ent_read_user(struct proc_table *t, struct proc_ent *e, const char *dir)
{
	char path[64], buf[4096];
	uid_t uid;

	e->user_tried = true;
	e->user_known = false;
	strcpy(path, dir);
	strcat(path, "status");
	int keep = -1;
	ssize_t n = proc_read_kept(t->procfd, path, &keep, false, buf, sizeof(buf));
	if (n > 0 && proc_parse_status_uid(buf, (size_t)n, &uid) == 0) {
		e->uid = uid;
		e->user_known = true;
		e->user = proc_users_name(t->users, uid);
	}
}

static void ent_read_cmdline(struct proc_table *t, struct proc_ent *e, const char *dir)
{
	/* one byte more than is kept, to know whether there was more */
	char path[64], buf[CMDLINE_MAX + 2];
	int keep = -1;

	e->cmdline_tried = true;
	e->cmdline_cut = false;
	free(e->cmdline);
	e->cmdline = NULL;
	e->cmdline_known = false;
	if (e->is_kthread) {
		size_t l = strlen(e->comm);
		e->cmdline = malloc(l + 3);
		if (e->cmdline) {
			e->cmdline[0] = '[';
			memcpy(e->cmdline + 1, e->comm, l);
			memcpy(e->cmdline + 1 + l, "]", 2);
			e->cmdline_known = true;
		}
		return;
	}
	strcpy(path, dir);
	strcat(path, "cmdline");
	ssize_t n = proc_read_kept(t->procfd, path, &keep, false, buf, sizeof(buf));
	if (n > CMDLINE_MAX) {
		e->cmdline_cut = true;
		n = CMDLINE_MAX;
	}
	if (n > 0)
		e->cmdline = wt_escape(buf, (size_t)n, 1);
	if (n == 0 || (e->cmdline && !e->cmdline[0])) {
		/* A zombie, or a process that wiped its argv: its name is all there is. */
		free(e->cmdline);
		e->cmdline = strdup(e->comm);
	}
	e->cmdline_known = n >= 0 && e->cmdline != NULL;
}

static void ent_read_wchan(struct proc_table *t, struct proc_ent *e, const char *dir)
{
	char path[64], buf[128];
	strcpy(path, dir);
	strcat(path, "wchan");
	ssize_t n = table_read(t, path, &e->fd_wchan, buf, sizeof(buf));
	if (n < 0) {
		e->wchan_known = false; /* EACCES without ptrace rights */
		return;
	}
	/*
	 * "0" when not waiting, shown as "-" like ps. But the kernel also says
	 * "0" to a reader without ptrace rights over the task: for another
	 * user's process, unless we are root, "0" means unknown.
	 */
	if (n == 1 && buf[0] == '0') {
		if (t->euid != 0 && (!e->user_known || e->uid != t->euid)) {
			e->wchan_known = false;
			return;
		}
		n = 0;
	}
	wt_escape_to(e->wchan, sizeof(e->wchan), buf, (size_t)n, 0);
	e->wchan_known = true;
}

static void ent_read_syscall(struct proc_table *t, struct proc_ent *e, const char *dir)
{
	char path[64], buf[256];
	long nr;
	strcpy(path, dir);
	strcat(path, "syscall");
	ssize_t n = table_read(t, path, &e->fd_syscall, buf, sizeof(buf));
	if (n > 0 && proc_parse_syscall(buf, (size_t)n, &nr) == 0)
		e->syscall_nr = nr;
	else
		e->syscall_nr = -2;
}

/* a rate from two samples, or false when they do not come from consecutive refreshes */
static bool ent_rate(const struct proc_table *t, unsigned prev_gen, double dt, uint64_t prev,
		     uint64_t now, double *rate)
{
	if (prev_gen == 0 || prev_gen + 1 != t->gen || dt <= 0 || now < prev)
		return false;
	*rate = (double)(now - prev) / dt;
	return true;
}

static void ent_read_io(struct proc_table *t, struct proc_ent *e, const char *dir, double dt)
{
	char path[64], buf[512];
	uint64_t rb, wb;
	strcpy(path, dir);
	strcat(path, "io");
	ssize_t n = table_read(t, path, &e->fd_io, buf, sizeof(buf));
	bool ok = n > 0 && proc_parse_io(buf, (size_t)n, &rb, &wb) == 0;
	e->io_rate_known = ok && e->io_known &&
			   ent_rate(t, e->io_gen, dt, e->read_bytes, rb, &e->io_read_rate) &&
			   ent_rate(t, e->io_gen, dt, e->write_bytes, wb, &e->io_write_rate);
	e->io_known = ok;
	e->io_gen = ok ? t->gen : 0;
	if (ok) {
		e->read_bytes = rb;
		e->write_bytes = wb;
	}
}

/* Replace *dst by the escaped text unless it already says that. */
static void ent_set_text(char **dst, const char *raw, size_t len)
{
	char tmp[512];
	const char *esc = wt_escape_to(tmp, sizeof(tmp), raw, len, 0);
	if (*dst && strcmp(*dst, esc) == 0)
		return;
	char *c = strdup(esc);
	if (c) {
		free(*dst);
		*dst = c;
	}
}

/* /sys/devices/system/cpu/possible, once: the list an unrestricted task is allowed. */
static const char *table_cpus_possible(struct proc_table *t)
{
	if (!t->cpus_possible_tried) {
		char buf[256];
		int keep = -1;
		t->cpus_possible_tried = true;
		ssize_t n = proc_read_kept(AT_FDCWD, "/sys/devices/system/cpu/possible", &keep,
					   false, buf, sizeof(buf));
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
			buf[--n] = '\0';
		if (n > 0)
			t->cpus_possible = strdup(buf);
	}
	return t->cpus_possible;
}

/* status on every refresh: affinity and context switches (no syscall per task). */
static void ent_read_sched(struct proc_table *t, struct proc_ent *e, const char *dir, double dt)
{
	char path[64], buf[4096];
	const char *cpus;
	size_t cl;
	uint64_t v, nv;
	strcpy(path, dir);
	strcat(path, "status");
	ssize_t n = table_read(t, path, &e->fd_status, buf, sizeof(buf));
	bool ok = n > 0 && proc_parse_status_sched(buf, (size_t)n, &cpus, &cl, &v, &nv) == 0;
	e->ctxt_rate_known = ok && e->sched_known &&
			     ent_rate(t, e->sched_gen, dt, e->vctxt, v, &e->vctxt_rate) &&
			     ent_rate(t, e->sched_gen, dt, e->nvctxt, nv, &e->nvctxt_rate);
	e->sched_known = ok;
	e->sched_gen = ok ? t->gen : 0;
	if (!ok)
		return;
	e->vctxt = v;
	e->nvctxt = nv;
	const char *all = table_cpus_possible(t);
	if (all && strlen(all) == cl && memcmp(all, cpus, cl) == 0)
		ent_set_text(&e->cpus, "all", 3);
	else
		ent_set_text(&e->cpus, cpus, cl);
	e->sched_known = e->cpus != NULL;
}

static void ent_read_cgroup(struct proc_table *t, struct proc_ent *e, const char *dir)
{
	char path[64], buf[8192], shortp[256];
	const char *cg;
	size_t cl;
	strcpy(path, dir);
	strcat(path, "cgroup");
	ssize_t n = table_read(t, path, &e->fd_cgroup, buf, sizeof(buf));
	e->cgroup_known = false;
	if (n <= 0 || proc_parse_cgroup(buf, (size_t)n, &cg, &cl))
		return;
	if (!e->cgroup_raw || cl != e->cgroup_raw_len || memcmp(cg, e->cgroup_raw, cl) != 0) {
		/* moved (or first read): shorten and escape again */
		char *raw = malloc(cl + 1);
		char *full = wt_escape(cg, cl, 0);
		proc_cgroup_shorten(cg, cl, shortp, sizeof(shortp));
		char *sh = wt_escape(shortp, strlen(shortp), 0);
		if (!raw || !full || !sh) {
			free(raw);
			free(full);
			free(sh);
			return;
		}
		memcpy(raw, cg, cl);
		raw[cl] = '\0';
		free(e->cgroup_raw);
		free(e->cgroup);
		free(e->ccgroup);
		e->cgroup_raw = raw;
		e->cgroup_raw_len = cl;
		e->cgroup = full;
		e->ccgroup = sh;
		proc_cgroup_container(cg, cl, e->container);
	}
	e->cgroup_known = true;
}

static void ent_read_oom(struct proc_table *t, struct proc_ent *e, const char *dir)
{
	char path[64], buf[64];
	uint64_t v;
	const char *p = buf;
	strcpy(path, dir);
	strcat(path, "oom_score");
	ssize_t n = table_read(t, path, &e->fd_oom, buf, sizeof(buf));
	e->oom_known = n > 0 && proc_parse_u64(&p, buf + n, &v) == 0 && p < buf + n && v <= 100000;
	if (e->oom_known)
		e->oom_score = (int)v;
}

/* The file the process runs, as the kernel sees it (the link, followed). */
static bool ent_stat_exe(struct proc_table *t, struct proc_ent *e, const char *path)
{
	struct stat st;
	e->exe_id_known = fstatat(t->procfd, path, &st, 0) == 0;
	if (e->exe_id_known) {
		e->exe_dev = (uint64_t)st.st_dev;
		e->exe_ino = (uint64_t)st.st_ino;
	}
	return e->exe_id_known;
}

/*
 * readlink exe on every refresh: " (deleted)" says the file was unlinked
 * (or renamed over, as package upgrades do). Otherwise the path is looked up
 * under the task's own root (/proc/PID/root, its mount namespace), and
 * another inode there means the path now names another file.
 */
static void ent_read_exe(struct proc_table *t, struct proc_ent *e, const char *dir)
{
	static const char del[] = " (deleted)";
	char path[64], link[4096 + 16], rpath[64 + 4096 + 16];
	struct stat st;
	strcpy(path, dir);
	strcat(path, "exe");
	ssize_t n = readlinkat(t->procfd, path, link, sizeof(link) - 1);
	if (n < 0) {
		/* a kernel thread runs no file; otherwise not ours to see (EACCES) or gone */
		e->exe_known = e->is_kthread;
		e->exe_state = PROC_EXE_OK;
		if (e->is_kthread)
			ent_set_text(&e->exe, "", 0);
		return;
	}
	link[n] = '\0';
	size_t dl = sizeof(del) - 1, len = (size_t)n;
	bool deleted = len >= dl && memcmp(link + len - dl, del, dl) == 0;
	size_t plen = deleted ? len - dl : len;
	if (!e->exe_raw || len != e->exe_raw_len || memcmp(link, e->exe_raw, len) != 0) {
		/* first read, or an exec: a new file to compare against */
		char *raw = strdup(link);
		if (!raw) {
			e->exe_known = false;
			return;
		}
		free(e->exe_raw);
		e->exe_raw = raw;
		e->exe_raw_len = (size_t)n;
		free(e->exe);
		e->exe = wt_escape(link, plen, 0);
		ent_stat_exe(t, e, path);
	}
	e->exe_known = e->exe != NULL;
	e->exe_state = PROC_EXE_OK;
	if (deleted) {
		e->exe_state = PROC_EXE_DELETED;
		return;
	}
	if (!e->exe_id_known || link[0] != '/')
		return; /* nothing to compare with: do not claim a change */
	strcpy(rpath, dir);
	strcat(rpath, "root");
	strcat(rpath, link);
	if (fstatat(t->procfd, rpath, &st, 0) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			e->exe_state = PROC_EXE_DELETED; /* a directory on the way was moved */
		return;
	}
	if ((uint64_t)st.st_dev == e->exe_dev && (uint64_t)st.st_ino == e->exe_ino)
		return;
	/* The same path after an exec of a new file there: look at the link again. */
	if (ent_stat_exe(t, e, path) && (uint64_t)st.st_dev == e->exe_dev &&
	    (uint64_t)st.st_ino == e->exe_ino)
		return;
	e->exe_state = PROC_EXE_REPLACED;
}

static bool wanted_pid(const struct proc_table_opts *o, pid_t tgid)
{
	if (!o->pids)
		return true;
	for (size_t i = 0; i < o->npids; i++)
		if (o->pids[i] == tgid)
			return true;
	return false;
}

static void count_state(struct proc_sysinfo *si, char s)
{
	switch (s) {
	case 'R': si->nrunning++; break;
	case 'S': si->nsleeping++; break;
	case 'D': si->ndisk++; break;
	case 'T': case 't': si->nstopped++; break;
	case 'Z': case 'X': si->nzombie++; break;
	case 'I': si->nidle++; break;
	default: break;
	}
}

/*
 * Read one task. dir is "PID/" or "PID/task/TID/" relative to /proc.
 * Returns 0, or -ENOMEM; a vanished or unreadable task is simply not added.
 */
int proc_task_scan(struct proc_table *t, const struct scan *sc, const char *dir, pid_t id,
		     pid_t tgid, bool is_thread)
{
	char path[64], buf[1024];
	struct proc_stat_raw st;
	struct proc_ent *e = ent_find(t, id);
	ssize_t n = -ESRCH;

	if (e && e->gen == t->gen)
		return 0; /* listed twice by a racing getdents: once is enough */
	if (e && e->fd_stat >= 0) {
		n = proc_read_kept(t->procfd, NULL, &e->fd_stat, false, buf, sizeof(buf));
		if (n < 0)
			ent_close_fds(t, e); /* that task is gone; the pid may be another's now */
	}
	int newfd = -1;
	if (n < 0) {
		strcpy(path, dir);
		strcat(path, "stat");
		n = table_read(t, path, &newfd, buf, sizeof(buf));
		if (n < 0)
			return 0; /* vanished (ENOENT/ESRCH) or hidden: skip silently */
	}
	if (proc_parse_stat(buf, (size_t)n, &st)) {
		if (newfd >= 0) {
			close(newfd);
			t->fd_budget++;
		}
		return 0;
	}
	if (!e)
		e = ent_add(t, id);
	if (!e) {
		if (newfd >= 0) {
			close(newfd);
			t->fd_budget++;
		}
		return -ENOMEM;
	}
	if (e->start != st.starttime || !e->comm) {
		/* A new task under a reused pid (or a fresh entry): start over, keep the stat fd. */
		int fd = newfd >= 0 ? newfd : e->fd_stat;
		e->fd_stat = -1;
		ent_reset(t, e);
		e->fd_stat = fd;
		e->start = st.starttime;
	} else if (newfd >= 0) {
		e->fd_stat = newfd;
	}
	e->gen = t->gen;
	e->tgid = tgid;
	e->is_kthread = (st.flags & PROC_PF_KTHREAD) != 0;
	ent_set_comm(e, st.comm, st.comm_len);

	/* Counts cover the whole system, before any filter. */
	struct proc_sysinfo *si = &t->si;
	if (e->is_kthread) {
		si->nkthreads++;
	} else if (is_thread) {
		si->nthreads++;
	} else {
		si->nprocs++;
		if (!t->threads_mode)
			si->nthreads += st.num_threads > 0 ? (unsigned)st.num_threads : 1;
		else
			si->nthreads++;
	}
	count_state(si, st.state);

	const struct proc_table_opts *o = sc->opts;
	uint64_t ticks = st.utime + st.stime;
	double cpu = 0;
	if (e->have_prev && sc->dt_s > 0 && ticks >= e->prev_ticks)
		cpu = (double)(ticks - e->prev_ticks) * 100.0 / ((double)t->si.clk_tck * sc->dt_s);
	e->prev_ticks = ticks;
	e->have_prev = true;

	if (o->hide_kthreads && e->is_kthread)
		return 0;
	if (!wanted_pid(o, tgid))
		return 0;
	bool uid_filter = o->uid != (uid_t)-1;
	/* Without root, wchan's "0" is only trusted for our own tasks: know the owner. */
	bool need_user = (sc->need & PROC_NEED_STATUS) || uid_filter ||
			 ((sc->need & PROC_NEED_WCHAN) && t->euid != 0);
	if (need_user) {
		if (!e->user_tried)
			ent_read_user(t, e, dir);
		if (uid_filter && (!e->user_known || e->uid != o->uid))
			return 0;
	}
	if ((sc->need & PROC_NEED_CMDLINE) && !e->cmdline_tried)
		ent_read_cmdline(t, e, dir);
	if (sc->need & PROC_NEED_WCHAN)
		ent_read_wchan(t, e, dir);
	if (sc->need & PROC_NEED_SYSCALL) {
		ent_read_syscall(t, e, dir);
		if (!e->arch && !e->is_kthread)
			e->arch = sysname_arch_of_pid(tgid); /* once per (pid, start) */
	}
	if (sc->need & PROC_NEED_IO)
		ent_read_io(t, e, dir, sc->dt_s);
	if (sc->need & PROC_NEED_IOPRIO) {
		long r = syscall(SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, (int)id);
		e->ioprio = r < 0 ? -1 : (int)r;
	}
	if (sc->need & PROC_NEED_SCHED)
		ent_read_sched(t, e, dir, sc->dt_s);
	if (sc->need & PROC_NEED_CGROUP)
		ent_read_cgroup(t, e, dir);
	if (sc->need & PROC_NEED_OOM)
		ent_read_oom(t, e, dir);
	if (sc->need & PROC_NEED_EXE)
		ent_read_exe(t, e, dir);

	if (t->ntasks == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		struct proc_task *nt = realloc(t->tasks, cap * sizeof(*nt));
		if (!nt)
			return -ENOMEM;
		t->tasks = nt;
		t->cap = cap;
	}
	struct proc_task *p = &t->tasks[t->ntasks++];
	memset(p, 0, sizeof(*p));
	p->pid = id;
	p->tgid = tgid;
	p->ppid = (pid_t)st.ppid;
	p->state = st.state;
	p->priority = st.priority;
	p->nice = st.nice;
	p->nthreads = st.num_threads;
	p->processor = st.processor;
	p->cpu_pct = cpu;
	p->rss_kb = st.rss_pages * (uint64_t)t->page_kb;
	p->virt_kb = st.vsize / 1024;
	p->mem_pct = si->mem_total_kb ? 100.0 * (double)p->rss_kb / (double)si->mem_total_kb : 0;
	p->time_ticks = ticks;
	p->start_ticks = st.starttime;
	p->minflt = st.minflt;
	p->majflt = st.majflt;
	p->known = PROC_KNOWN_STAT;
	p->is_kthread = e->is_kthread;
	p->is_thread = is_thread;
	p->comm = e->comm;
	p->uid = e->uid;
	p->user = "?";
	if (e->user_known) {
		p->known |= PROC_KNOWN_USER;
		p->user = e->user;
	}
	p->cmdline = e->comm;
	p->cmdline_cut = false;
	if (e->cmdline_known && e->cmdline) {
		p->known |= PROC_KNOWN_CMDLINE;
		p->cmdline = e->cmdline;
		p->cmdline_cut = e->cmdline_cut;
	}
	p->wchan = NULL;
	if ((sc->need & PROC_NEED_WCHAN) && e->wchan_known) {
		p->known |= PROC_KNOWN_WCHAN;
		p->wchan = e->wchan;
	}
	p->syscall_nr = -2;
	if ((sc->need & PROC_NEED_SYSCALL) && e->syscall_nr != -2) {
		p->known |= PROC_KNOWN_SYSCALL;
		p->syscall_nr = e->syscall_nr;
		p->syscall_arch = e->arch;
	}
	if ((sc->need & PROC_NEED_IO) && e->io_known) {
		p->known |= PROC_KNOWN_IO;
		p->read_bytes = e->read_bytes;
		p->write_bytes = e->write_bytes;
		if (e->io_rate_known) {
			p->known |= PROC_KNOWN_IO_RATE;
			p->io_read_rate = e->io_read_rate;
			p->io_write_rate = e->io_write_rate;
		}
	}
	if ((sc->need & PROC_NEED_IOPRIO) && e->ioprio >= 0) {
		p->known |= PROC_KNOWN_IOPRIO;
		p->ioprio = e->ioprio;
	}
	if ((sc->need & PROC_NEED_SCHED) && e->sched_known) {
		p->known |= PROC_KNOWN_SCHED;
		p->cpus_allowed = e->cpus;
		p->vctxt = e->vctxt;
		p->nvctxt = e->nvctxt;
		if (e->ctxt_rate_known) {
			p->known |= PROC_KNOWN_CTXT_RATE;
			p->vctxt_rate = e->vctxt_rate;
			p->nvctxt_rate = e->nvctxt_rate;
		}
	}
	if ((sc->need & PROC_NEED_CGROUP) && e->cgroup_known) {
		p->known |= PROC_KNOWN_CGROUP;
		p->cgroup = e->cgroup;
		p->ccgroup = e->ccgroup;
		memcpy(p->container, e->container, sizeof(p->container));
	}
	if ((sc->need & PROC_NEED_OOM) && e->oom_known) {
		p->known |= PROC_KNOWN_OOM;
		p->oom_score = e->oom_score;
	}
	if ((sc->need & PROC_NEED_EXE) && e->exe_known) {
		p->known |= PROC_KNOWN_EXE;
		p->exe = e->exe;
		p->exe_state = e->exe_state;
	}
	return 0;
}
