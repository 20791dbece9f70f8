/*
 * kernel.h: the kernel side of a task -- why a thread is not making progress.
 *
 * For every thread of a process: its scheduler state, wchan, kernel stack
 * (/proc/PID/task/TID/stack) and the system call it sits in
 * (/proc/PID/task/TID/syscall), decoded for the task's own ABI: name,
 * arguments, the path behind each fd argument and the string behind each
 * path argument. Where the kernel refuses to tell (no CAP_SYS_ADMIN for the
 * stack, another user's process, a kernel thread) the thread carries a
 * sentence saying so and what would allow it; no field is ever left blank
 * without a reason. All text is escaped (wt_escape): safe to print.
 *
 * The blocked view (kernel_blocked_scan) lists every task of the system in D
 * state, grouped by the innermost meaningful kernel frame, the way one reads
 * a hung-task report. A kernel_block_tracker remembers across refreshes how long
 * each task has been continuously blocked, as whytop has observed it, and
 * takes the kernel's own answer where it has one (waitstart.c, below).
 */
#ifndef WHYTOP_KERNEL_H
#define WHYTOP_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <whytop/util.h>

/* One line of /proc/PID/stack: "[<0>] request_wait_answer+0x112/0x210 [fuse]". */
struct kernel_frame {
	char *func;      /* escaped symbol, or the raw text when it is not a symbol */
	uint64_t offset; /* from the symbol's start */
	uint64_t size;   /* the symbol's size; 0 when not given */
	char *module;    /* escaped module name, NULL for the core kernel */
};

enum kernel_sys_state {
	KSYS_UNKNOWN, /* could not be read: see kthread.syscall_error */
	KSYS_RUNNING, /* "running": on a CPU when read, nothing to decode */
	KSYS_NONE,    /* "-1 SP PC": blocked, but not inside a system call */
	KSYS_IN,      /* inside system call nr */
	KSYS_KTHREAD, /* a kernel thread: it makes no system calls */
	KSYS_EXITED,  /* a zombie: it makes no more system calls */
};

enum kernel_sys_arg_kind {
	KARG_HEX,   /* a pointer, flags, or an argument we know nothing about */
	KARG_NUM,   /* a signed decimal number (count, size, pid, timeout) */
	KARG_FD,    /* a file descriptor: decoded to the path behind it */
	KARG_DIRFD, /* like KARG_FD, and AT_FDCWD */
	KARG_PATH,  /* a pointer to a NUL-terminated path in the task's memory */
	KARG_OCT,   /* a file mode */
};

struct kernel_sys_arg {
	enum kernel_sys_arg_kind kind;
	const char *name; /* "fd", "buf", "count", ... (static) */
	uint64_t raw;
	char *text;       /* as shown: "3</mnt/x/hang>", "\"/etc/passwd\"", "4096", "0x7ffe..." */
	char *target;     /* the path behind an fd, or the path string; NULL otherwise/unreadable */
	char *note;       /* why target is missing (permission, unmapped memory), or NULL */
};

/* The decoded content of /proc/PID/task/TID/syscall. */
struct kernel_syscall {
	enum kernel_sys_state state;
	long nr;
	uint32_t arch;   /* AUDIT_ARCH_* the name was resolved for */
	char name[48];   /* "read", "vfork", "syscall_462" */
	uint64_t raw[6]; /* arguments as the kernel printed them */
	uint64_t sp, pc; /* user stack pointer and program counter at entry */
	int nargs;       /* how many of arg[] are meaningful for this call */
	struct kernel_sys_arg arg[6];
	char *summary;   /* "read(3</mnt/x/hang>, 0x7ffc..., 4096)", or "running", ... */
	char *file;      /* the file this call concerns (first fd/path target), or NULL */
};

struct kernel_thread {
	pid_t tid;
	char *comm;        /* escaped */
	char state;        /* R S D T t Z I X */
	uint64_t start_ticks;
	uint64_t nswitches; /* voluntary + involuntary context switches; UINT64_MAX unknown */
	char *wchan;       /* escaped symbol; "" when not waiting; NULL when hidden */
	struct kernel_frame *frames;
	size_t nframes;
	struct kernel_syscall sc;
	/* Sentences explaining what could not be read and what would allow it. */
	char *wchan_error;
	char *stack_error;
	char *syscall_error;
	/* Filled by kernel_block_tracker_apply; 0 when not blocked or not tracked. */
	bool blocked;      /* D, or S on a wchan */
	uint64_t blocked_ns;  /* continuously blocked for, as observed */
	time_t blocked_since; /* wall clock time of the first such observation */
	/*
	 * blocked_ns and blocked_since come from the kernel (since the task last
	 * left the CPU, kernel_waitstart_read); false: as observed, so at least.
	 */
	bool blocked_exact;
};

struct kernel_proc {
	pid_t pid;
	char *comm;        /* escaped */
	uid_t uid;
	bool is_kthread;
	uint32_t arch;     /* AUDIT_ARCH_* of the executable */
	struct kernel_thread *threads;
	size_t nthreads;
};

struct kernel_stack_opts {
	pid_t only_tid;    /* 0: every thread */
	bool no_decode;    /* do not read fd links or the task's memory */
	bool defer_decode; /* kernel_thread_read: leave sc undecoded (the caller decodes) */
};

/* Read the kernel side of every thread of pid. Fails only if pid is gone. */
int kernel_stack_read(pid_t pid, const struct kernel_stack_opts *opts, struct kernel_proc **out,
		      struct wt_err *err);
void kernel_proc_free(struct kernel_proc *kp);
/* Is /proc mounted with hidepid (other users' processes hidden)? opt gets "hidepid=..." */
bool kernel_stack_proc_hidepid(char *opt, size_t optsz);

/* Read one thread, given the process's directory fd (/proc/PID). Used by the blocked scan. */
int kernel_thread_read(int piddir, pid_t pid, pid_t tid, uid_t uid, bool is_kthread, uint32_t arch,
		       const struct kernel_stack_opts *opts, struct kernel_thread *kt);
void kernel_thread_clear(struct kernel_thread *kt);

/* ---- parsers, exposed for unit tests ---- */

/* Parse /proc/.../stack text; *out is malloc'd. Lines that do not parse are kept raw. */
int kernel_stack_parse_stack(const char *text, size_t len, struct kernel_frame **out, size_t *n);
void kernel_frames_free(struct kernel_frame *f, size_t n);
/* Parse /proc/.../syscall text into sc->state, nr, raw[], sp, pc. -EINVAL if malformed. */
int kernel_stack_parse_syscall(const char *text, struct kernel_syscall *sc);
/* Sum of voluntary_ctxt_switches and nonvoluntary_ctxt_switches in /proc/.../status text. */
int kernel_stack_parse_switches(const char *text, uint64_t *out);
/*
 * A frame showing the task inside its memory map's lock (a page fault, mmap,
 * munmap...), or NULL. Reading such a process's memory takes the same lock
 * and could wait as long as the stuck task: whytop does not, and says why.
 */
const char *kernel_stack_mm_frame(const struct kernel_frame *f, size_t n);
/* Is any thread of the process (directory fd /proc/PID) inside its memory map? why says which. */
bool kernel_stack_mm_busy(int piddir, char *why, size_t whysz);
/* Clean a /proc/.../wchan reading: "0" and "" mean not waiting; the rest escaped. Malloc'd. */
char *kernel_stack_clean_wchan(const char *text, size_t len);

/* ---- syscall decoding (sysdecode.c) ---- */

/*
 * Fill sc->name, nargs, arg[], summary and file from the raw numbers, for
 * arch. pid/tid name the task, for fd links and reading path strings; with
 * pid 0 nothing is read from the task (unit tests, --no-decode).
 */
void kernel_sys_decode(struct kernel_syscall *sc, uint32_t arch, pid_t pid, pid_t tid);
/* The same; when no_memory is a sentence, path arguments are not read and carry it as note. */
void kernel_sys_decode_ex(struct kernel_syscall *sc, uint32_t arch, pid_t pid, pid_t tid,
			  const char *no_memory);
void kernel_sys_clear(struct kernel_syscall *sc);
/* Read a NUL-terminated string of at most max bytes at addr in pid; escaped, malloc'd. */
int kernel_sys_read_string(pid_t pid, uint64_t addr, size_t max, char **out, bool *truncated);
/* The signature of a known call: "fd:f buf:x count:n", or NULL. */
const char *kernel_sys_signature(const char *name);

/* ---- blocked tasks (blocked.c) ---- */

/* Is this frame a generic scheduling/waiting primitive, not where the task is stuck? */
bool kernel_blocked_frame_generic(const char *func);
/* The innermost meaningful frame of a stack, or NULL if the stack has none. */
const struct kernel_frame *kernel_blocked_key_frame(const struct kernel_frame *f, size_t n);

struct kernel_block_tracker;
struct kernel_block_tracker *kernel_block_tracker_new(void);
void kernel_block_tracker_free(struct kernel_block_tracker *tr);
/*
 * Record an observation of tid (identified with its start time) at
 * monotonic time now_ns / wall time now_wall. A task is blocked while it is
 * in D, or in S on the same wchan, observation after observation, and --
 * as the kernel's hung-task detector checks -- has not been switched in
 * meanwhile (nswitches unchanged; UINT64_MAX if unknown).
 * Returns true if blocked; *for_ns and *since get how long and since when.
 */
bool kernel_block_tracker_observe(struct kernel_block_tracker *tr, pid_t tid, uint64_t start_ticks,
				  char state, const char *wchan, uint64_t nswitches,
				  uint64_t now_ns, time_t now_wall, uint64_t *for_ns,
				  time_t *since);
size_t kernel_block_tracker_count(const struct kernel_block_tracker *tr);
/* Observe every thread of kp now and fill their blocked fields. */
void kernel_block_tracker_apply(struct kernel_block_tracker *tr, struct kernel_proc *kp);
/* Forget tasks not observed at or after the given monotonic time (exited, or no longer blocked). */
void kernel_block_tracker_prune(struct kernel_block_tracker *tr, uint64_t older_than_ns);

/* One D task in the system-wide view. */
struct kernel_blocked_task {
	pid_t pid;
	char *pcomm;       /* the process's comm, escaped */
	struct kernel_thread t; /* the thread, fully read */
};

struct kernel_blocked_group {
	char *key; /* the frame ("request_wait_answer [fuse]"), or "wchan X", or why unknown */
	bool from_stack;   /* key came from the kernel stack (else from wchan) */
	struct kernel_blocked_task *tasks;
	size_t ntasks;
};

struct kernel_blocked {
	struct kernel_blocked_group *groups; /* most tasks first */
	size_t ngroups;
	size_t ntasks;
	size_t nscanned;   /* tasks looked at */
	char *note;        /* a sentence when something was hidden (no CAP_SYS_ADMIN...), or NULL */
};

/* Scan every task of the system once. tr may be NULL (no "blocked for"). */
int kernel_blocked_scan(struct kernel_block_tracker *tr, struct kernel_blocked **out,
			struct wt_err *err);
void kernel_blocked_free(struct kernel_blocked *b);

/* ---- reading on a worker thread, for the TUI (kwatch.c) ---- */

/*
 * A kwatch reads one process's kernel view (KWATCH_PROC) or the blocked
 * view (KWATCH_BLOCKED) on its own thread, keeping a blocked-for tracker
 * across reads. kernel_watch_request asks for a read (ignored while one is in
 * flight); kernel_watch_fd becomes readable when a result is ready; kernel_watch_take
 * hands it over (the caller frees it) or returns -EAGAIN. kernel_watch_stuck
 * says a read has been in flight for *for_ns (a target's memory locked).
 * kernel_watch_free never blocks.
 */
enum kernel_watch_kind { KWATCH_PROC, KWATCH_BLOCKED };
struct kernel_watch;
struct kernel_watch *kernel_watch_new(enum kernel_watch_kind kind, pid_t pid);
void kernel_watch_free(struct kernel_watch *w);
int kernel_watch_fd(const struct kernel_watch *w);
void kernel_watch_request(struct kernel_watch *w);
bool kernel_watch_stuck(struct kernel_watch *w, uint64_t *for_ns);
/* Returns the read's own result (0 or -errno with err filled), or -EAGAIN if none yet. */
int kernel_watch_take(struct kernel_watch *w, struct kernel_proc **kp, struct kernel_blocked **bl,
		      struct wt_err *err);

/* ---- words shared by the front ends (kformat.c) ---- */

/* "disk sleep (uninterruptible)" for 'D', ... */
const char *kernel_state_name(char state);
/* "4.2s", "3m07s", "2h05m". */
char *kernel_duration_format(uint64_t ns, char *out, size_t outsz);

/*
 * /proc/kallsyms (ksyms.c): the kernel's text symbols, sorted, to name the
 * kernel addresses of a perf call chain or a BPF stack map. Names and
 * modules are escaped.
 */
struct ksym {
	uint64_t addr;
	char *name;
	char *module; /* "[nf_tables]" without brackets; NULL: the kernel itself */
};
struct ksyms {
	struct ksym *v;
	size_t n;
	bool hidden; /* kallsyms shows zero addresses (kptr_restrict; not root) */
};
/* Read and sort; 0, or -errno (nothing read: every lookup then finds none). */
int ksyms_load(struct ksyms *ks);
/* The symbol addr is in (the last one at or below it), NULL none. */
const struct ksym *ksyms_find(const struct ksyms *ks, uint64_t addr);
void ksyms_free(struct ksyms *ks);

/*
 * ---- since when tasks have been off the CPU (waitstart.c) ----
 *
 * "Blocked for" as observed starts when whytop first saw the wait. The
 * kernel knows when the task last left the CPU (se.exec_start against its
 * run queue's clock); an eBPF task iterator reads it for every task not
 * running, of one process or (only_d) every D task of the system. Needs
 * root and a build with the eBPF programs; err says which is missing.
 */
struct kernel_offcpu_since {
	pid_t tid, tgid;
	uint64_t off_ns;    /* off the CPU for this long when read; 0: unknown */
	uint64_t nswitches; /* its context switches then: the same wait if /proc agrees */
};
struct kernel_waitstart;
int kernel_waitstart_open(struct kernel_waitstart **out, struct wt_err *err);
/* tgid 0: every task. *out is malloc'd. */
int kernel_waitstart_read(struct kernel_waitstart *ws, pid_t tgid, bool only_d,
			  struct kernel_offcpu_since **out, size_t *n, struct wt_err *err);
void kernel_waitstart_close(struct kernel_waitstart *ws);
/* "" for a time from the kernel; "≥" (UTF-8 locale) or ">= " for one as observed. */
const char *kernel_blocked_for_mark(const struct kernel_thread *t);

#endif
