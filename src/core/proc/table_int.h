/*
 * table_int.h: what table.c (finding tasks, the refresh) and task.c (reading
 * one task, the cache) share: the table's and the cache entry's layout.
 */
#ifndef WHYTOP_CORE_PROC_TABLE_INT_H
#define WHYTOP_CORE_PROC_TABLE_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <whytop/proc.h>
#include "core/proc/internal.h"

#define COMM_RAW_MAX 64  /* kworker names carry their workqueue: longer than TASK_COMM_LEN */
#define CMDLINE_MAX 4096 /* bytes of a command line kept; longer ones are cut (cmdline_cut) */
#define FD_RESERVE 256   /* fds left for everything else in the process */

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
	bool cmdline_cut;                 /* longer than CMDLINE_MAX: cut there */
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
	uid_t euid;                       /* ours: whose tasks' wchan we may read */
};

/* What one refresh passes down to the per-task reader. */
struct scan {
	const struct proc_table_opts *opts;
	unsigned need;
	double dt_s;
};

/* task.c */
/* "1234" + rest, without snprintf. Returns the length. */
size_t proc_path_pid(char *out, pid_t pid, const char *rest);
/* Read one task (dir is "PID/" or "PID/task/TID/"); 0, or -ENOMEM. */
int proc_task_scan(struct proc_table *t, const struct scan *sc, const char *dir, pid_t id,
		   pid_t tgid, bool is_thread);
/* Drop cache entries not seen in this refresh (all: every entry). */
void proc_cache_evict(struct proc_table *t, bool all);

#endif
