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
	int fd_stat, fd_wchan, fd_syscall, fd_io, fd_status, fd_cgroup, fd_oom;
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
	/* The columns of issue 15; a rate needs the previous refresh's sample (gen - 1). */
	unsigned io_gen, sched_gen;       /* refresh that last read io / status, 0 never */
	double io_read_rate, io_write_rate;
	bool io_rate_known;
	int ioprio;                       /* -1 unknown */
	char *cgroup_raw;                 /* the path as read, to re-shorten only on change */
	size_t cgroup_raw_len;
	char *cgroup, *ccgroup;           /* escaped */
	char container[13];
	bool cgroup_known;
	char *cpus;                       /* escaped Cpus_allowed_list, or "all" */
	uint64_t vctxt, nvctxt;
	double vctxt_rate, nvctxt_rate;
	bool sched_known, ctxt_rate_known;
	int oom_score;
	bool oom_known;
	char *exe_raw;                    /* readlink text, " (deleted)" included */
	size_t exe_raw_len;
	char *exe;                        /* escaped, without " (deleted)" */
	uint64_t exe_dev, exe_ino;        /* of the file the process runs (stat of the link) */
	bool exe_id_known, exe_known;
	enum proc_exe_state exe_state;
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
	char *cpus_possible;              /* /sys/devices/system/cpu/possible, once; NULL unknown */
	bool cpus_possible_tried;
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
