/*
 * trace.h: the live log of one or more processes' system calls, signals and
 * exits (what `strace` prints), from one of two backends:
 *
 *  - kernel: eBPF programs on the raw syscall tracepoints copy the numbers
 *    and the memory decode.h's capture specs name into a BPF ring buffer,
 *    filtered in the kernel by the traced pids and the set of calls asked
 *    for; the tasks never stop. Lost events are counted and reported.
 *  - ptrace: syscall stops through each process's target (target.h), as a
 *    mode, reading the same regions with process_vm_readv.
 *
 * A session hands out records (struct trace_rec) through trace_drain; the
 * writer (trace_log) turns them into strace's lines. Front ends poll
 * trace_fd and drain; nothing blocks on the tasks.
 */
#ifndef WHYTOP_TRACE_H
#define WHYTOP_TRACE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <whytop/decode.h>
#include <whytop/stack.h>
#include <whytop/syscalls.h>
#include <whytop/util.h>

enum trace_kind {
	TRACE_SYSCALL, /* sc holds entry, exit or both (sc.part) */
	TRACE_SIGNAL,  /* a signal delivered to tid: si */
	TRACE_EXIT,    /* tid ended: status is its wait status */
	TRACE_LOST,    /* lost events since the last such record */
	TRACE_ATTACH,  /* tid joined the log (attached, or born under -f) */
};

struct trace_rec {
	enum trace_kind kind;
	pid_t pid, tid; /* thread group and thread */
	uint64_t t_ns;	/* CLOCK_REALTIME of the record (entry's for a syscall) */
	struct scev sc; /* TRACE_SYSCALL; its cap[].data valid during the callback only */
	siginfo_t si;	/* TRACE_SIGNAL */
	int status;	/* TRACE_EXIT */
	uint64_t lost;	/* TRACE_LOST */
	/*
	 * -k (trace_opts.stacks): the user stack of a call's entry record,
	 * unwound and named after the task went on (frames, or error alone);
	 * valid during the callback only. NULL: none asked for or none taken.
	 */
	const struct stack_thread *stack;
	unsigned injected; /* TRACE_INJ_*: what fault injection did to this call */
};

struct trace_opts {
	const pid_t *pids; /* processes to attach to (thread ids refused), or */
	size_t npids;
	char *const *argv;	 /* a program to start (NULL when attaching) */
	enum sc_backend backend; /* AUTO: kernel when possible, else ptrace */
	bool follow;		 /* -f: threads and children born later, every thread of pids */
	const struct sc_set *set; /* calls to log (NULL: all) */
	unsigned strsize;	  /* -s, bounds the memory copied too */
	bool fd_paths;		  /* -y: the backends capture fd paths at the call */
	/*
	 * -k: each logged call's user stack (trace_rec.stack). Needs the
	 * ptrace backend (a KERNEL or AUTO backend is refused with EINVAL:
	 * the front end chooses ptrace and says so).
	 */
	bool stacks;
	/* Fault injection (ptrace backend only: KERNEL is refused, AUTO picks ptrace). */
	const struct trace_inject *inject;
	size_t ninject;
};

struct trace_session;

int trace_open(struct trace_session **out, const struct trace_opts *o, struct wt_err *err);
/* Readable when records wait. */
int trace_fd(const struct trace_session *s);
typedef void (*trace_cb)(const struct trace_rec *r, void *ctx);
/* Hand every waiting record to cb, in order; returns how many, or -errno. */
int trace_drain(struct trace_session *s, trace_cb cb, void *ctx, struct wt_err *err);
/* 1 while a traced task lives; 0 once all are gone (launch: *status = the program's). */
int trace_alive(const struct trace_session *s, int *status);
/*
 * The tasks traced from the start, up to max of them into out; returns how
 * many: each process attached (with follow, each of its threads now), or
 * the program started. A writer counts them before their first record
 * (trace_log_task), as strace counts every task it attached at once.
 */
size_t trace_tasks(const struct trace_session *s, pid_t *out, size_t max);
/* "in-kernel (eBPF ring buffer)" or "ptrace" */
const char *trace_backend_name(const struct trace_session *s);
/* With AUTO on ptrace: why not in-kernel (bpf's refusal, or "needs root"); else NULL. */
const char *trace_backend_note(const struct trace_session *s);
/* Stop: detach everything, remove every program; the tasks run on untouched. */
void trace_close(struct trace_session *s);

/* ---- the writer: records into strace's lines ---- */

enum trace_ts { TRACE_TS_NONE, TRACE_TS_SEC /* -t */, TRACE_TS_USEC /* -tt */, TRACE_TS_EPOCH /* -ttt */ };

struct trace_log_opts {
	struct sysdecode_opts dec;
	enum trace_ts ts;
	bool show_time;	 /* -T: <0.000123> after the result */
	bool only_ok;	 /* -z / -e status=successful */
	bool only_fail;	 /* -Z / -e status=failed */
	bool pid_prefix; /* "[pid N] " on every line */
	/*
	 * "[pid N] " while two or more tasks are traced, as strace prints to a
	 * terminal (its printleader: nprocs > 1): the tasks the writer has seen
	 * (TRACE_ATTACH, or any record of theirs) less those whose exit line
	 * it printed. A task's own exit line still has the prefix.
	 */
	bool pid_prefix_live;
	bool pid_column; /* instead, "1234  " as strace writes a file (-o with -f) */
};

struct trace_log;
struct trace_log *trace_log_new(const struct trace_log_opts *o, FILE *out);
/* One record: prints zero or more lines (an entry may wait for its exit). */
void trace_log_add(struct trace_log *l, const struct trace_rec *r);
/* pid_prefix_live: tid is traced from the start (trace_tasks), before any record of it. */
void trace_log_task(struct trace_log *l, pid_t tid);
/* Print what still waits ("<unfinished ...>" for calls in progress). */
void trace_log_flush(struct trace_log *l);
void trace_log_free(struct trace_log *l);
/* Where the result starts in a call's text: the ')' of ") = ..." outside
 * quoted strings (strace pads the result to a column there); -1 if none. */
size_t trace_log_result_at(const char *text);
/*
 * -y: the path behind fd (AT_FDCWD: the working directory) of task tid, as
 * /proc links it, raw (not escaped, not NUL-terminated); its length or -errno.
 */
ssize_t trace_fd_link(pid_t tid, int fd, char *buf, size_t size);
/* A signal's, an exit's or a loss's line as the log prints it, without leader. */
void trace_event_text(struct wt_buf *b, const struct trace_rec *r);
/* -k: a call's frames as the log prints them, " > " lines (trace_rec.stack). */
void trace_log_stack_text(struct wt_buf *b, const struct stack_thread *st);

/* ---- the ring: the last records as lines, for a screen ---- */

/*
 * A screen shows the newest calls and updates a call in place when it
 * returns, so it keeps lines rather than printing them: a call is one line
 * from its entry (text ends with " ...") to its exit (the whole call and
 * its result). Signals, exits and lost events are lines too. The oldest
 * lines go once max are kept. All text is escaped (sysdecode_format).
 */
struct trace_line {
	enum trace_kind kind;
	pid_t pid, tid;
	uint32_t arch;
	long nr;	 /* TRACE_SYSCALL */
	bool done;	 /* TRACE_SYSCALL: its exit was seen */
	bool failed;	 /* a call that failed, a fatal signal, lost events */
	unsigned classes; /* SC_CLASS_* of the call */
	uint64_t t_ns;	 /* entry (or the record's time) */
	uint64_t dur_ns; /* exit - entry, once done */
	char *text;	 /* "openat(AT_FDCWD, \"/x\", O_RDONLY) = -1 ENOENT (...)" */
	char name[40];	 /* the call's name ("" for other kinds) */
	char *stack;	 /* -k: the call's user stack, " > " lines (NULL: none) */
};

struct trace_ring;
struct trace_ring *trace_ring_new(size_t max, const struct sysdecode_opts *o);
void trace_ring_add(struct trace_ring *r, const struct trace_rec *rec);
/* Lines kept, oldest first; the pointer is valid until the next add. */
size_t trace_ring_count(const struct trace_ring *r);
const struct trace_line *trace_ring_get(const struct trace_ring *r, size_t i);
/* Lines ever added (a screen following the end compares it) and lines dropped. */
uint64_t trace_ring_serial(const struct trace_ring *r);
uint64_t trace_ring_lost(const struct trace_ring *r);
void trace_ring_clear(struct trace_ring *r);
void trace_ring_free(struct trace_ring *r);
/*
 * A screen's filter as typed: words separated by spaces, all must match;
 * a word is a part of the call's name ("open"), a class ("%file", "%net"),
 * "!" alone for failed calls only, or "!word" to exclude. Empty: all.
 */
bool trace_line_matches(const struct trace_line *l, const char *filter);

/* ---- fault injection (strace's -e inject=), in the ptrace backend ---- */

enum { TRACE_INJ_TAMPERED = 1 /* "(INJECTED)" */, TRACE_INJ_DELAYED = 2 /* "(DELAYED)" */ };
#define TRACE_INJ_MAX 16	     /* rules at once */
#define TRACE_INJ_DELAY_MAX 60000000 /* µs: a minute */

/*
 * One rule: calls of set (and, with path, whose path argument matches the
 * glob, fnmatch without FNM_PATHNAME, on the path as the call gives it)
 * are counted per rule; invocations first, first+step, ... up to last are
 * tampered with: not run and made to return -error (error > 0) or retval
 * (has_retval), and/or held delay_enter_us before and delay_exit_us after.
 */
struct trace_inject {
	struct sc_set set;
	int error;
	bool has_retval;
	int64_t retval;
	uint64_t delay_enter_us, delay_exit_us;
	unsigned first, last, step; /* when=; default 1, UINT_MAX, 1: every call */
	char path[256];		    /* "" any */
};

/* A rule that applies to every call of an empty set: fill set, then the rest. */
void trace_inject_init(struct trace_inject *in);
/* when=FIRST[..LAST][+[STEP]] (strace's): "3" the third only, "3+" from the third on. */
int trace_inject_when(struct trace_inject *in, const char *expr, struct wt_err *err);
/* "ENOENT" or a number from 1 to 4095 into *e. */
int trace_inject_errno(const char *name, int *e, struct wt_err *err);
/*
 * strace's -e inject=SET:error=E|retval=N[:delay_enter=US][:delay_exit=US]
 * [:when=EXPR] (fault: -e fault=SET[:error=E][:when=EXPR], ENOSYS by
 * default), the text after "inject=" or "fault="; whytop adds :path=GLOB.
 */
int trace_inject_parse(struct trace_inject *in, const char *spec, bool fault, struct wt_err *err);
/* Does invocation n (from 1) of its calls fall on when? */
bool trace_inject_due(const struct trace_inject *in, uint64_t n);

#endif
