/*
 * proc.h: the process table, read from /proc.
 *
 * A proc_table is refreshed again and again; each refresh reads only the
 * /proc files that the requested fields need (PROC_NEED_*), keeps what never
 * changes for a process (cmdline, user, exe) keyed by (pid, start time), and
 * computes rates (CPU%) from the difference with the previous refresh.
 * All text in a proc_task is already escaped (wt_escape): safe to print.
 */
#ifndef WHYTOP_PROC_H
#define WHYTOP_PROC_H

#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <whytop/util.h>

/* Which /proc files a refresh must read. */
enum proc_need {
	PROC_NEED_STAT = 1u << 0,    /* /proc/PID/stat: state, ppid, prio, nice, threads, times, vsize, rss */
	PROC_NEED_STATUS = 1u << 1,  /* /proc/PID/status: uid (user) */
	PROC_NEED_CMDLINE = 1u << 2, /* /proc/PID/cmdline, read once per (pid, start) */
	PROC_NEED_WCHAN = 1u << 3,   /* /proc/PID/wchan */
	PROC_NEED_SYSCALL = 1u << 4, /* /proc/PID/syscall (number only) */
	PROC_NEED_IO = 1u << 5,      /* /proc/PID/io */
	PROC_NEED_IOPRIO = 1u << 6,  /* ioprio_get(2), one syscall (no file) */
	PROC_NEED_CGROUP = 1u << 7,  /* /proc/PID/cgroup */
	PROC_NEED_SCHED = 1u << 8,   /* /proc/PID/status every refresh: affinity, ctxt switches */
	PROC_NEED_OOM = 1u << 9,     /* /proc/PID/oom_score */
	PROC_NEED_EXE = 1u << 10,    /* readlink /proc/PID/exe, stat of the path it names */
};

/* Fields that could not be read (EACCES, vanished) are unknown, not zero. */
enum proc_known {
	PROC_KNOWN_STAT = 1u << 0,
	PROC_KNOWN_USER = 1u << 1,
	PROC_KNOWN_CMDLINE = 1u << 2,
	PROC_KNOWN_WCHAN = 1u << 3,
	PROC_KNOWN_SYSCALL = 1u << 4,
	PROC_KNOWN_IO = 1u << 5,
	PROC_KNOWN_IO_RATE = 1u << 6,   /* io read twice: the rates are measured */
	PROC_KNOWN_IOPRIO = 1u << 7,
	PROC_KNOWN_CGROUP = 1u << 8,
	PROC_KNOWN_SCHED = 1u << 9,     /* cpus_allowed, vctxt, nvctxt */
	PROC_KNOWN_CTXT_RATE = 1u << 10,
	PROC_KNOWN_OOM = 1u << 11,
	PROC_KNOWN_EXE = 1u << 12,      /* exe and exe_state */
};

/* What became of a process's executable since it started (PROC_NEED_EXE). */
enum proc_exe_state {
	PROC_EXE_OK,       /* the path still names the file the process runs */
	PROC_EXE_DELETED,  /* the link ends in " (deleted)": unlinked or renamed over */
	PROC_EXE_REPLACED, /* the path now names another file (another inode or device) */
};

/* I/O scheduling classes of ioprio_get(2), as the kernel numbers them. */
enum { PROC_IOPRIO_NONE, PROC_IOPRIO_RT, PROC_IOPRIO_BE, PROC_IOPRIO_IDLE };

struct proc_task {
	pid_t pid;  /* the task's id (tid when listing threads) */
	pid_t tgid; /* its process */
	pid_t ppid;
	uid_t uid;
	char state; /* R S D T t Z I X (P W K on older kernels) */
	long priority, nice;
	long nthreads;
	int processor;           /* CPU it last ran on */
	double cpu_pct;          /* since last refresh; 100 = one whole core */
	double mem_pct;          /* rss / MemTotal */
	uint64_t rss_kb, virt_kb;
	uint64_t time_ticks;     /* utime + stime, in clock ticks */
	uint64_t start_ticks;    /* start time, clock ticks after boot */
	uint64_t minflt, majflt;
	long syscall_nr;         /* -1 running, -2 unknown */
	uint64_t read_bytes, write_bytes;
	unsigned known;          /* PROC_KNOWN_* */
	bool is_kthread;
	bool is_thread;          /* a non-leader thread (threads view only) */
	const char *user;        /* name, or the number as text */
	const char *comm;        /* escaped */
	const char *cmdline;     /* escaped; "[comm]" for kernel threads */
	const char *wchan;       /* escaped, "" if not waiting, NULL if unknown */
	int depth;               /* tree depth, set by proc_table_tree */
	bool last_child;         /* for tree drawing */
	uint32_t syscall_arch;   /* AUDIT_ARCH_* of the process, for syscall_nr's name; 0 unknown */
	bool cmdline_cut;        /* the command line is longer than the 4096 bytes kept */
	/* Filled only when their PROC_NEED_* was asked and their PROC_KNOWN_* is set. */
	double io_read_rate, io_write_rate; /* bytes/s of read_bytes, write_bytes */
	int ioprio;              /* raw ioprio_get value: class << 13 | level */
	const char *cgroup;      /* the v2 path ("0::" line), escaped */
	const char *ccgroup;     /* the same, shortened ("[S]cron", "docker:0123456789ab") */
	char container[13];      /* 12 hex digits of a container id in the cgroup path, or "" */
	const char *cpus_allowed; /* "0-3,8", or "all" when every possible CPU is allowed */
	uint64_t vctxt, nvctxt;  /* voluntary / involuntary context switches (the task's own) */
	double vctxt_rate, nvctxt_rate; /* per second */
	int oom_score;
	const char *exe;         /* the executable's path, " (deleted)" cut off, escaped */
	enum proc_exe_state exe_state;
};

struct proc_cpu {
	double user_pct, system_pct, iowait_pct, irq_pct, steal_pct, total_pct;
};

struct proc_sysinfo {
	int ncpu;                  /* online CPUs */
	struct proc_cpu all;       /* aggregate since last refresh */
	struct proc_cpu *cpu;      /* ncpu entries */
	uint64_t mem_total_kb, mem_used_kb, mem_buffers_kb, mem_cached_kb, mem_avail_kb;
	uint64_t swap_total_kb, swap_used_kb;
	double load[3];
	double uptime_s;
	uint64_t boot_time;        /* seconds since the epoch */
	long clk_tck;
	/*
	 * Tasks of the whole system (filters do not apply): nprocs user-space
	 * processes, nthreads user-space threads (leaders included), nkthreads
	 * kernel threads, ntasks = nthreads + nkthreads. The state counts are
	 * over processes in the process view (a process counts with its
	 * leader's state) and over every thread in the threads view.
	 */
	unsigned ntasks, nprocs, nthreads, nkthreads;
	unsigned nrunning, nsleeping, ndisk, nstopped, nzombie, nidle;
	/*
	 * Pressure stall information, /proc/pressure/{cpu,io,memory} (index
	 * PROC_PSI_*): the "some" and "full" lines' avg10, avg60, avg300 in %.
	 * have is false when the file is missing or unreadable (a kernel
	 * without CONFIG_PSI, or booted with psi=0); has_full is false for
	 * the cpu file of kernels before 5.13.
	 */
	struct proc_psi {
		bool have, has_full;
		double some[3], full[3];
	} psi[3];
};
enum { PROC_PSI_CPU, PROC_PSI_IO, PROC_PSI_MEMORY };

struct proc_table_opts {
	unsigned need;        /* PROC_NEED_* beyond stat */
	bool threads;         /* list every thread, not just processes */
	bool hide_kthreads;
	const pid_t *pids;    /* only these processes (and their threads), or NULL */
	size_t npids;
	uid_t uid;            /* only this user's, or (uid_t)-1 */
};

/* The opts that list everything with only stat read ({ .uid = (uid_t)-1 }). */
#define PROC_TABLE_OPTS_INIT { .uid = (uid_t)-1 }

struct proc_table;

struct proc_table *proc_table_new(void);
void proc_table_free(struct proc_table *t);
/* Rescan /proc. Vanished processes are skipped silently. */
int proc_table_refresh(struct proc_table *t, const struct proc_table_opts *opts, struct wt_err *err);
size_t proc_table_count(const struct proc_table *t);
struct proc_task *proc_table_get(struct proc_table *t, size_t i);
struct proc_task *proc_table_find(struct proc_table *t, pid_t pid);
const struct proc_sysinfo *proc_table_sysinfo(const struct proc_table *t);

/* Columns: what a front end may show; each declares what it needs. */
enum proc_col {
	PROC_COL_PID, PROC_COL_PPID, PROC_COL_USER, PROC_COL_STATE, PROC_COL_PRIORITY,
	PROC_COL_NICE, PROC_COL_THREADS, PROC_COL_CPU, PROC_COL_MEM, PROC_COL_RSS,
	PROC_COL_VIRT, PROC_COL_TIME, PROC_COL_START, PROC_COL_WCHAN, PROC_COL_SYSCALL,
	PROC_COL_PROCESSOR,
	PROC_COL_IO_READ_RATE, PROC_COL_IO_WRITE_RATE, PROC_COL_IO_RATE, PROC_COL_IO_PRIORITY,
	PROC_COL_CGROUP, PROC_COL_CCGROUP, PROC_COL_CONTAINER, PROC_COL_AFFINITY,
	PROC_COL_VCTXT, PROC_COL_NVCTXT, PROC_COL_OOM, PROC_COL_ELAPSED, PROC_COL_EXE,
	PROC_COL_EXE_STATE,
	PROC_COL_COMMAND,
	PROC_COL_COUNT
};

struct proc_col_info {
	const char *name;  /* for -s, --sort, config: "pid", "cpu", ... */
	const char *title; /* header text: "PID", "CPU%", ... */
	int width;         /* 0: takes the rest of the line */
	bool right;        /* right-aligned */
	bool desc_default; /* sorts descending first (CPU%, MEM%, ...) */
	unsigned need;     /* PROC_NEED_* */
};

extern const struct proc_col_info proc_columns[PROC_COL_COUNT];
/* -1 if unknown. Accepts names and titles, case-insensitively. */
int proc_col_by_name(const char *name);
/*
 * A column list, "pid,user,cpu" or "pid user cpu" (commas, spaces, tabs),
 * into cols (room for max). Each column at most once; the command, which
 * takes the rest of the line, is moved last. Returns how many, or -EINVAL
 * with err saying which name is unknown or given twice, or that none was.
 */
int proc_cols_parse(const char *list, enum proc_col *cols, size_t max, struct wt_err *err);
/* Union of needs of the given columns. */
unsigned proc_cols_need(const enum proc_col *cols, size_t n);
/* Format one cell, width-independent ("12.3", "1.2G", "0:03.45", "?"). */
void proc_col_format(const struct proc_task *t, enum proc_col col,
		     const struct proc_sysinfo *si, char *out, size_t outsz);
/*
 * "[deleted] " or "[replaced] " when the executable is known (PROC_NEED_EXE
 * was asked) to be gone or replaced since the process started, else "".
 * The COMMAND cell starts with it.
 */
const char *proc_task_exe_mark(const struct proc_task *t);

void proc_table_sort(struct proc_table *t, enum proc_col col, bool descending);
/* Reorder as a tree (children under parents, siblings sorted by col). */
void proc_table_tree(struct proc_table *t, enum proc_col col, bool descending);

/* One-off reads for a single process (Overview tab, CLI). */
struct proc_overview {
	pid_t pid;
	/*
	 * All escaped; NULL if unreadable. cgroup, status_text and limits_text
	 * have several lines, each escaped on its own and joined with '\n',
	 * the only control character in them (no '\n' after the last line;
	 * the kernel's layout tabs are spaces).
	 */
	char *name, *exe, *cwd, *cgroup, *cmdline;
	char *status_text;        /* the interesting lines of /proc/PID/status */
	char *limits_text;        /* /proc/PID/limits */
	char *namespaces_text;    /* "mnt:[4026531841] pid:[...] ...", escaped */
	long nfds;                /* -1 if unreadable */
	uint64_t vol_ctxt, nonvol_ctxt;
};
int proc_overview_read(pid_t pid, struct proc_overview *ov, struct wt_err *err);
/*
 * The same, leaving out what flags say. Reading /proc/PID/cmdline takes the
 * target's memory-map lock, which a thread stuck in a page fault (a hung
 * filesystem) can hold for ever: a front end that re-reads the overview on
 * every refresh reads the command line once and then passes
 * PROC_OVERVIEW_NO_CMDLINE (ov->cmdline stays NULL).
 */
enum { PROC_OVERVIEW_NO_CMDLINE = 1u << 0 };
int proc_overview_read_flags(pid_t pid, unsigned flags, struct proc_overview *ov,
			     struct wt_err *err);
void proc_overview_free(struct proc_overview *ov);

/*
 * The process (thread group) task id belongs to, from /proc/ID/status: id
 * itself for a process, its leader's id for a thread. /proc answers for a
 * thread id too (hidden from listings), so front ends taking a PID use this
 * to refuse a thread. 0 or -errno (-ESRCH: no such task).
 */
int proc_tgid_of(pid_t id, pid_t *tgid);

/*
 * One reader per /proc/PID file for the rest of the core (pidfiles.c), each
 * on the one parser of that file (core/proc/parse.h). tid 0 means the
 * process itself (/proc/PID/...), otherwise /proc/PID/task/TID/....
 */

/* A task's state letter and flags from its stat. 0, -errno (-ESRCH: gone), -EINVAL. */
int proc_task_stat_read(pid_t pid, pid_t tid, char *state, unsigned long *flags);
/* Its state letter alone; '?' if it cannot be read. */
char proc_task_state(pid_t pid, pid_t tid);
/* Is pid a kernel thread (PF_KTHREAD in its stat's flags)? false if unreadable. */
bool proc_is_kthread(pid_t pid);

/* What the core acts on in /proc/PID/status. */
enum proc_status_have {
	PROC_STATUS_TGID = 1u << 0,
	PROC_STATUS_PPID = 1u << 1,
	PROC_STATUS_TRACER = 1u << 2,
	PROC_STATUS_THREADS = 1u << 3,
	PROC_STATUS_STATE = 1u << 4,
	PROC_STATUS_CAPEFF = 1u << 5,
};
struct proc_status {
	pid_t tgid, ppid;
	pid_t tracer_pid; /* the tracing *thread*, 0: not traced */
	long threads;
	char state;	  /* '?' if absent */
	uint64_t cap_eff;
	unsigned have;	  /* PROC_STATUS_* read from the file; the others are 0 */
};
/* /proc/ID/status (id 0: whytop's own). 0, -errno (-ESRCH: no such task), -EINVAL. */
int proc_status_read(pid_t id, struct proc_status *st);

/* One line of /proc/PID/maps. */
struct proc_map {
	uint64_t start, end, offset, inode;
	unsigned dev_major, dev_minor;
	char perms[5];	  /* "r-xp" */
	const char *path; /* into the parsed text, path_len bytes, escaped as maps escapes it */
	size_t path_len;  /* 0: an anonymous mapping */
};

/*
 * The ids of a process's threads (/proc/PID/task, or the "task" directory
 * under a /proc/PID directory fd), in the kernel's order; *tids malloc'd.
 * 0 or -errno (the directory cannot be read: the process is gone or hidden).
 */
int proc_threads(pid_t pid, pid_t **tids, size_t *n);
int proc_threads_at(int piddir, pid_t **tids, size_t *n);

/* A process's open fds, with types, sockets, flags and offsets: whytop/files.h. */

/*
 * Set the CPU affinity of every thread of pid (sched_setaffinity is per
 * thread: /proc/PID/task lists them; sched.c). 0 or -errno with a
 * sentence in err (EPERM: run as root or as its owner; EINVAL: none of
 * the CPUs is online; ESRCH: it has exited).
 */
int proc_affinity_set(pid_t pid, const cpu_set_t *set, size_t size, struct wt_err *err);

#endif
