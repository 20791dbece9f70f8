/*
 * pidfiles.c: the one reader of each /proc/PID file that the core outside
 * the process table needs -- a task's stat (state, flags), status (Tgid,
 * PPid, TracerPid, Threads, State, CapEff), its thread list -- each on the
 * one parser of that file in parse.c. Not the refresh path (that keeps its
 * fds, table.c): these open, read and close.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <whytop/proc.h>
#include <whytop/util.h>
#include "core/proc/parse.h"

int proc_task_stat_read(pid_t pid, pid_t tid, char *state, unsigned long *flags)
{
	char path[64], buf[1024]; /* a stat line is under 400 bytes */
	struct proc_stat_raw st;
	if (tid)
		snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid, (int)tid);
	else
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	ssize_t n = wt_read_at(AT_FDCWD, path, buf, sizeof(buf));
	if (n <= 0)
		return n == 0 || n == -ENOENT ? -ESRCH : (int)n;
	if (proc_parse_stat(buf, (size_t)n, &st))
		return -EINVAL;
	if (state)
		*state = st.state;
	if (flags)
		*flags = st.flags;
	return 0;
}

char proc_task_state(pid_t pid, pid_t tid)
{
	char c;
	return proc_task_stat_read(pid, tid, &c, NULL) == 0 ? c : '?';
}

bool proc_is_kthread(pid_t pid)
{
	unsigned long flags;
	return proc_task_stat_read(pid, 0, NULL, &flags) == 0 && (flags & PROC_PF_KTHREAD);
}

int proc_status_read(pid_t id, struct proc_status *st)
{
	char path[64], buf[8192]; /* CapEff sits after the Groups line, which can be long */
	if (id)
		snprintf(path, sizeof(path), "/proc/%d/status", (int)id);
	else
		snprintf(path, sizeof(path), "/proc/self/status");
	memset(st, 0, sizeof(*st));
	st->state = '?';
	ssize_t n = wt_read_at(AT_FDCWD, path, buf, sizeof(buf));
	if (n < 0)
		return n == -ENOENT ? -ESRCH : (int)n;
	return proc_parse_status(buf, (size_t)n, st);
}

int proc_tgid_of(pid_t id, pid_t *tgid)
{
	struct proc_status st;
	int r = proc_status_read(id, &st);
	if (r < 0)
		return r;
	if (st.tgid < 1)
		return -EINVAL;
	*tgid = st.tgid;
	return 0;
}

int proc_threads_at(int piddir, pid_t **tids, size_t *n)
{
	*tids = NULL;
	*n = 0;
	int fd = openat(piddir, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = errno;
		close(fd);
		return -e;
	}
	pid_t *v = NULL;
	size_t cnt = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		long tid;
		if (wt_parse_long(de->d_name, 1, 0x7fffffff, &tid) < 0)
			continue; /* "." and ".." */
		if (cnt == cap) {
			size_t nc = cap ? cap * 2 : 16;
			pid_t *nv = realloc(v, nc * sizeof(*nv));
			if (!nv) {
				free(v);
				closedir(d);
				return -ENOMEM;
			}
			v = nv;
			cap = nc;
		}
		v[cnt++] = (pid_t)tid;
	}
	closedir(d);
	*tids = v;
	*n = cnt;
	return 0;
}

int proc_threads(pid_t pid, pid_t **tids, size_t *n)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	int dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0) {
		*tids = NULL;
		*n = 0;
		return -errno;
	}
	int r = proc_threads_at(dir, tids, n);
	close(dir);
	return r;
}

static int proc_file_cmp(const void *a, const void *b)
{
	const struct proc_file *x = a, *y = b;
	return (x->fd > y->fd) - (x->fd < y->fd);
}

void proc_files_free(struct proc_file *files, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(files[i].target);
	free(files);
}

int proc_files_read(pid_t pid, struct proc_file **files, size_t *n, struct wt_err *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		int e = errno;
		if (dfd >= 0)
			close(dfd);
		if (e == ENOENT)
			e = ESRCH;
		if (e == ESRCH)
			return wt_err_set(err, -e, "process %d is gone", (int)pid);
		return wt_err_set(err, -e,
				  "cannot list the open files of process %d (%s): run whytop as "
				  "its user or as root",
				  (int)pid, strerror(e));
	}
	struct proc_file *v = NULL;
	size_t cnt = 0, cap = 0;
	struct dirent *de;
	int rc = 0;
	while ((de = readdir(d))) {
		char *end, link[4096];
		long fd = strtol(de->d_name, &end, 10);
		if (de->d_name[0] == '.' || *end)
			continue;
		if (fd == dfd && pid == getpid())
			continue; /* the directory being read, not one of the process's files */
		ssize_t len = readlinkat(dfd, de->d_name, link, sizeof(link));
		if (len < 0)
			continue; /* closed meanwhile */
		if (cnt == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			struct proc_file *nv = realloc(v, ncap * sizeof(*v));
			if (!nv) {
				rc = -ENOMEM;
				break;
			}
			v = nv;
			cap = ncap;
		}
		v[cnt].fd = (int)fd;
		if (!(v[cnt].target = wt_escape(link, (size_t)len, 0))) {
			rc = -ENOMEM;
			break;
		}
		cnt++;
	}
	closedir(d);
	if (rc < 0) {
		proc_files_free(v, cnt);
		return wt_err_set(err, rc, "out of memory listing the open files of process %d",
				  (int)pid);
	}
	if (cnt)
		qsort(v, cnt, sizeof(*v), proc_file_cmp);
	*files = v;
	*n = cnt;
	return 0;
}
