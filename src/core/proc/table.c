/*
 * table.c: the refresh loop of the process table.
 *
 * One refresh lists /proc with getdents64 on a kept directory fd, then for
 * every process (or every thread, /proc/PID/task/TID) reads /proc/.../stat
 * and whatever else the caller's opts->need asks for. It keeps, per task id
 * and start time (a pid reused by a new process has another start time):
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
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <whytop/proc.h>
#include <whytop/sysnames.h>
#include <whytop/util.h>
#include "core/proc/internal.h"

#define COMM_RAW_MAX 64  /* kworker names carry their workqueue: longer than TASK_COMM_LEN */
#define CMDLINE_MAX 4096 /* what any front end can show of a command line */
#define FD_RESERVE 256   /* fds left for everything else in the process */
#define PROC_LIST_EVERY 10 /* list /proc at least every this many refreshes */

/* One task in the cache, keyed by (pid, start time). */
struct proc_ent {
	pid_t pid, tgid;
	uint64_t start;
	unsigned gen;                     /* last refresh that saw it */
	int fd_stat, fd_wchan, fd_syscall, fd_io;
	char comm_raw[COMM_RAW_MAX];
	size_t comm_raw_len;
	char *comm;                       /* escaped */
	char *cmdline;                    /* escaped; NULL until read */
	bool cmdline_known, cmdline_tried;
	bool user_tried, user_known;
	uid_t uid;
	const char *user;                 /* owned by the users cache */
	bool is_kthread;
	uint64_t prev_ticks;
	bool have_prev;
	char wchan[64];                   /* escaped */
	bool wchan_known;
	long syscall_nr;
	uint32_t arch;                    /* of the process's executable, 0 until needed */
	uint64_t read_bytes, write_bytes;
	bool io_known;
	struct proc_ent *next;
};

struct proc_table {
	int procfd;
	struct proc_ent **bucket;
	size_t nbuckets, nents;
	unsigned gen;
	bool threads_mode, have_mode;
	struct proc_task *tasks;
	size_t ntasks, cap;
	struct proc_sysinfo si;
	struct proc_sysreader *sys;
	struct proc_users *users;
	uint64_t last_ns;
	char *dents;
	size_t dents_sz;
	long page_kb;
	long fd_budget;                   /* fds we may still keep open */
	bool keep_fds;
	/*
	 * Every task the last refresh found. Listing /proc costs a dentry
	 * lookup per task, about a fifth of a refresh; but pids are handed out
	 * in cyclic order, so a task born since the last refresh has a pid
	 * between the last pids /proc/loadavg showed then and now. A refresh
	 * walks this list and probes that range instead of listing /proc,
	 * unless the range is large, the fork counter says the pids may have
	 * gone round, or PROC_LIST_EVERY refreshes went by (pids can also be
	 * chosen, with clone3's set_tid or ns_last_pid, as CRIU does).
	 */
	struct task_id *ids, *ids_next;
	size_t nids, nids_next, ids_cap, ids_next_cap;
	struct proc_pid_clock clk;        /* at the start of the last refresh */
	bool ids_valid;
	bool may_skip_listing;            /* /proc is our pid namespace's */
	unsigned since_listing;           /* refreshes since /proc was last listed */
	uint64_t pid_max;
};

struct task_id {
	pid_t id, tgid;
};

/* What one refresh passes down to the per-task reader. */
struct scan {
	const struct proc_table_opts *opts;
	unsigned need;
	double dt_s;
};

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

/* "1234/" + rest, without snprintf. Returns the length. */
static size_t path_pid(char *out, pid_t pid, const char *rest)
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
	int *fds[] = { &e->fd_stat, &e->fd_wchan, &e->fd_syscall, &e->fd_io };
	for (size_t i = 0; i < WT_ARRAY_SIZE(fds); i++) {
		if (*fds[i] >= 0) {
			close(*fds[i]);
			*fds[i] = -1;
			t->fd_budget++;
		}
	}
}

/* Forget everything about the task that had this pid (it exited or exec'd into a reuse). */
static void ent_reset(struct proc_table *t, struct proc_ent *e)
{
	ent_close_fds(t, e);
	free(e->comm);
	free(e->cmdline);
	struct proc_ent *next = e->next;
	pid_t pid = e->pid;
	memset(e, 0, sizeof(*e));
	e->pid = pid;
	e->next = next;
	e->fd_stat = e->fd_wchan = e->fd_syscall = e->fd_io = -1;
	e->syscall_nr = -2;
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
	e->fd_stat = e->fd_wchan = e->fd_syscall = e->fd_io = -1;
	e->syscall_nr = -2;
	size_t k = bucket_of(t, pid);
	e->next = t->bucket[k];
	t->bucket[k] = e;
	t->nents++;
	return e;
}

/* Drop entries not seen in this refresh (all = drop everything). */
static void table_evict(struct proc_table *t, bool all)
{
	for (size_t i = 0; i < t->nbuckets; i++) {
		struct proc_ent **pp = &t->bucket[i];
		while (*pp) {
			struct proc_ent *e = *pp;
			if (all || e->gen != t->gen) {
				*pp = e->next;
				ent_close_fds(t, e);
				free(e->comm);
				free(e->cmdline);
				free(e);
				t->nents--;
			} else {
				pp = &e->next;
			}
		}
	}
}

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

	/*
	 * The last pid in /proc/loadavg is our own pid namespace's; it only
	 * says something about this /proc if /proc is of that namespace.
	 */
	char self[24];
	ssize_t sl = readlinkat(t->procfd, "self", self, sizeof(self) - 1);
	if (sl > 0) {
		const char *p = self;
		uint64_t v;
		self[sl] = '\0';
		t->may_skip_listing = proc_parse_u64(&p, self + sl, &v) == 0 && *p == '\0' &&
				      v == (uint64_t)getpid();
	}
	char pm[32];
	int pmfd = -1;
	ssize_t pml = proc_read_kept(t->procfd, "sys/kernel/pid_max", &pmfd, false, pm, sizeof(pm));
	const char *pmp = pm;
	if (pml <= 0 || proc_parse_u64(&pmp, pm + pml, &t->pid_max) || t->pid_max < 2)
		t->may_skip_listing = false;
	if (getenv("WHYTOP_PROC_ALWAYS_LIST"))
		t->may_skip_listing = false; /* for the benchmark */
	return t;
}

void proc_table_free(struct proc_table *t)
{
	if (!t)
		return;
	if (t->bucket)
		table_evict(t, true);
	free(t->bucket);
	if (t->procfd >= 0)
		close(t->procfd);
	free(t->dents);
	free(t->tasks);
	free(t->ids);
	free(t->ids_next);
	proc_sysreader_free(t->sys);
	proc_users_free(t->users);
	free(t);
}

/* Read a per-refresh file, keeping its fd if the budget allows. */
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
	char path[64], buf[CMDLINE_MAX];
	int keep = -1;

	e->cmdline_tried = true;
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
	/* "0" when not waiting: shown empty, as ps shows "-". */
	if (n == 1 && buf[0] == '0')
		n = 0;
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

static void ent_read_io(struct proc_table *t, struct proc_ent *e, const char *dir)
{
	char path[64], buf[512];
	strcpy(path, dir);
	strcat(path, "io");
	ssize_t n = table_read(t, path, &e->fd_io, buf, sizeof(buf));
	e->io_known = n > 0 && proc_parse_io(buf, (size_t)n, &e->read_bytes, &e->write_bytes) == 0;
}

/* Remember a task for the next refresh's walk. */
static void ids_push(struct proc_table *t, pid_t id, pid_t tgid)
{
	if (t->nids_next == t->ids_next_cap) {
		size_t cap = t->ids_next_cap ? t->ids_next_cap * 2 : 4096;
		struct task_id *n = realloc(t->ids_next, cap * sizeof(*n));
		if (!n) {
			t->ids_valid = false; /* the next refresh lists /proc instead */
			return;
		}
		t->ids_next = n;
		t->ids_next_cap = cap;
	}
	t->ids_next[t->nids_next].id = id;
	t->ids_next[t->nids_next].tgid = tgid;
	t->nids_next++;
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
static int scan_task(struct proc_table *t, const struct scan *sc, const char *dir, pid_t id,
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
	ids_push(t, id, tgid);
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
	if ((sc->need & PROC_NEED_STATUS) || uid_filter) {
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
		ent_read_io(t, e, dir);

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
	if (e->cmdline_known && e->cmdline) {
		p->known |= PROC_KNOWN_CMDLINE;
		p->cmdline = e->cmdline;
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
	}
	return 0;
}

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
	path_pid(dir, pid, "/task");
	int fd = openat(t->procfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0; /* gone */
	int rc = list_pids(t, fd, tids, tcap, &n);
	close(fd);
	if (rc)
		return rc == -ENOMEM ? rc : 0;
	for (size_t i = 0; i < n; i++) {
		size_t l = path_pid(dir, pid, "/task/");
		path_pid(dir + l, (*tids)[i], "/");
		rc = scan_task(t, sc, dir, (*tids)[i], pid, (*tids)[i] != pid);
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * Whether this refresh may walk the known tasks instead of listing /proc,
 * and if so the pids handed out since the last refresh: count of them from
 * first on, cyclically below pid_max.
 */
static bool table_new_pids(struct proc_table *t, const struct proc_pid_clock *now,
			   uint64_t *first, uint64_t *count)
{
	const struct proc_pid_clock *was = &t->clk;
	if (!t->may_skip_listing || !t->ids_valid || t->since_listing + 1 >= PROC_LIST_EVERY ||
	    !now->last_pid || !was->last_pid || !now->forks || !was->forks ||
	    now->last_pid >= t->pid_max || was->last_pid >= t->pid_max)
		return false;
	/* Every fork takes a pid: fewer forks than pids means no full turn. */
	if (now->forks < was->forks || now->forks - was->forks >= t->pid_max - 1)
		return false;
	*first = was->last_pid + 1;
	if (now->last_pid >= was->last_pid)
		*count = now->last_pid - was->last_pid;
	else
		*count = t->pid_max - *first + now->last_pid; /* wrapped: ..pid_max-1, 1.. */
	/* Probing costs about what listing does per pid: beyond a share, list. */
	return *count <= 64 + t->nids / 4;
}

/*
 * A pid born since the last refresh: a process, or (in /proc, unlisted
 * but reachable) a thread of one. Its status says which.
 */
static int table_probe_pid(struct proc_table *t, const struct scan *sc, pid_t pid)
{
	char dir[64], buf[4096];
	uint64_t tgid;
	int keep = -1;

	path_pid(dir, pid, "/status");
	ssize_t n = proc_read_kept(t->procfd, dir, &keep, false, buf, sizeof(buf));
	if (n <= 0 || proc_parse_key_u64(buf, (size_t)n, "Tgid", &tgid) || tgid > INT32_MAX)
		return 0; /* already gone, or never was */
	if ((pid_t)tgid == pid) {
		path_pid(dir, pid, "/");
		return scan_task(t, sc, dir, pid, pid, false);
	}
	if (!t->threads_mode)
		return 0;
	size_t l = path_pid(dir, (pid_t)tgid, "/task/");
	path_pid(dir + l, pid, "/");
	return scan_task(t, sc, dir, pid, (pid_t)tgid, true);
}

static int table_walk_known(struct proc_table *t, const struct scan *sc, uint64_t first,
			    uint64_t count)
{
	char dir[64];
	int rc = 0;
	for (size_t i = 0; i < t->nids && !rc; i++) {
		const struct task_id *k = &t->ids[i];
		if (k->id != k->tgid) {
			size_t l = path_pid(dir, k->tgid, "/task/");
			path_pid(dir + l, k->id, "/");
		} else {
			path_pid(dir, k->id, "/");
		}
		rc = scan_task(t, sc, dir, k->id, k->tgid, k->id != k->tgid);
	}
	uint64_t pid = first;
	for (uint64_t i = 0; i < count && !rc; i++, pid++) {
		if (pid >= t->pid_max)
			pid = 1;
		rc = table_probe_pid(t, sc, (pid_t)pid);
	}
	return rc;
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
	struct proc_pid_clock clk;
	int rc;

	wt_err_clear(err);
	if (t->have_mode && t->threads_mode != o->threads) {
		/* Process and thread views keep different stat files: start afresh. */
		table_evict(t, true);
		t->ids_valid = false;
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
	rc = proc_sysreader_read(t->sys, t->procfd, si, &clk);
	if (rc == -ENOMEM)
		return wt_err_set(err, ENOMEM, "out of memory reading /proc/stat");
	if (rc)
		return wt_err_set(err, rc, "cannot read /proc/stat: %s; is /proc mounted?",
				  strerror(-rc));

	/*
	 * Read the pid clock before the tasks: a fork during this refresh then
	 * shows as a moved last pid next time.
	 */
	uint64_t first, count;
	bool walk_known = table_new_pids(t, &clk, &first, &count);
	t->clk = clk;
	t->ids_valid = true;
	t->nids_next = 0;
	if (walk_known) {
		t->since_listing++;
		rc = table_walk_known(t, &sc, first, count);
		goto done;
	}
	t->since_listing = 0;
	rc = list_pids(t, t->procfd, &pids, &pcap, &npids);
	if (rc) {
		free(pids);
		t->ids_valid = false;
		return wt_err_set(err, rc, "cannot list /proc: %s; is /proc mounted?", strerror(-rc));
	}
	for (size_t i = 0; i < npids && !rc; i++) {
		if (o->threads) {
			rc = scan_threads(t, &sc, pids[i], &tids, &tcap);
		} else {
			char dir[24];
			path_pid(dir, pids[i], "/");
			rc = scan_task(t, &sc, dir, pids[i], pids[i], false);
		}
	}
	free(pids);
	free(tids);
done:;
	/* This refresh's tasks are the next one's list. */
	struct task_id *swap = t->ids;
	size_t swap_cap = t->ids_cap;
	t->ids = t->ids_next;
	t->nids = t->nids_next;
	t->ids_cap = t->ids_next_cap;
	t->ids_next = swap;
	t->ids_next_cap = swap_cap;
	t->nids_next = 0;

	si->ntasks = si->nthreads + si->nkthreads;
	table_evict(t, false);
	if (rc) {
		t->ids_valid = false;
		return wt_err_set(err, rc, "out of memory while reading the process table");
	}
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
