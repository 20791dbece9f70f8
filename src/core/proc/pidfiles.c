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
