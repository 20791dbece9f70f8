/*
 * sched.c: changing how a process is scheduled, for the front ends: the
 * CPU affinity of every one of its threads.
 */
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include <whytop/proc.h>
#include <whytop/util.h>

int proc_affinity_set(pid_t pid, const cpu_set_t *set, size_t size, struct wt_err *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return wt_err_set(err, errno, "cannot list the threads of %d: %s", (int)pid,
				  strerror(errno));
	int r = 0, nset = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		long tid;
		if (e->d_name[0] == '.' || wt_parse_long(e->d_name, 1, 0x7fffffff, &tid))
			continue;
		if (sched_setaffinity((pid_t)tid, size, set) == 0) {
			nset++;
			continue;
		}
		if (errno == ESRCH) /* the thread ended meanwhile */
			continue;
		int e2 = errno;
		r = wt_err_set(err, e2, "thread %ld: %s%s", tid, strerror(e2),
			       e2 == EPERM    ? " (run as root or as its owner)"
			       : e2 == EINVAL ? " (none of the CPUs allowed is online)"
					      : "");
		break;
	}
	closedir(d);
	if (!r && !nset)
		r = wt_err_set(err, ESRCH, "it has exited");
	return r;
}
