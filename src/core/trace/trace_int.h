/*
 * trace_int.h: the inside of a trace session, shared by session.c (choosing
 * a backend, starting a program) and the two backends (bpf.c, ptrace.c).
 */
#ifndef WHYTOP_TRACE_INT_H
#define WHYTOP_TRACE_INT_H

#include <whytop/trace.h>

struct trace_session;

/* A backend: the same five operations whatever the source of the records. */
struct trace_backend {
	const char *name; /* "in-kernel (eBPF ring buffer)", "ptrace" */
	/*
	 * Start logging s->pids (or s->child, a program session.c forked and
	 * holds stopped before its exec). Fills err and returns -errno when it
	 * cannot (then session.c may try the next backend with AUTO).
	 */
	int (*open)(struct trace_session *s, struct wt_err *err);
	int (*fd)(const struct trace_session *s);
	int (*drain)(struct trace_session *s, trace_cb cb, void *ctx, struct wt_err *err);
	/* 1 while a traced task lives; 0 once none is left */
	int (*alive)(const struct trace_session *s);
	void (*close)(struct trace_session *s);
};

struct trace_session {
	const struct trace_backend *be;
	void *priv; /* the backend's state */
	/* a copy of the options: */
	pid_t *pids;
	size_t npids;
	bool follow;
	bool all_calls; /* no -e trace= set given */
	struct sc_set set;
	unsigned strsize;
	bool fd_paths; /* -y: add sysdecode_fd_captures' regions */
	/* launch mode: the program, stopped until session.c lets it exec */
	pid_t child;
	int child_status; /* its wait status once it ended */
	bool child_done; /* ptrace backend: stored with __ATOMIC_RELEASE by its thread */
	/* AUTO that fell back to ptrace: why not the kernel (trace_backend_note) */
	char be_note[200];
	bool stacks; /* -k: the ptrace backend copies each logged entry's stack */
	/* fault injection (ptrace only): the rules, copied */
	struct trace_inject *inject;
	size_t ninject;
	/*
	 * Launch mode with rules and -f: the program runs under a seccomp
	 * filter (SECCOMP_RET_TRACE for the calls of the rules and the log, and
	 * execve) and ptrace.c resumes it with PTRACE_CONT, stopping only there;
	 * it cannot run without its tracer, so it dies with the session.
	 */
	bool seccomp;
};

/* inject.c: that filter, as a classic BPF program (prog->filter malloc'd). */
struct sock_fprog;
int trace_seccomp_filter(const struct sc_set *set, struct sock_fprog *prog, struct wt_err *err);

/*
 * ptrace.c: copy one region that spec sp names from task tid's memory, for
 * call ev (its arguments; its result when ev->part has SCEV_EXIT), into buf
 * (SCEV_CAP_MAX bytes); c says what came (state, len, cut; data = buf).
 * Strings are read page by page. Needs no stop.
 */
void trace_ptrace_capture(pid_t tid, const struct scev *ev, const struct sccap *sp,
			  unsigned char *buf, struct scev_cap *c);

extern const struct trace_backend trace_backend_bpf;
extern const struct trace_backend trace_backend_ptrace;

/* Where the in-kernel backend gets its capture specs: sysdecode_captures,
 * or a test's own (tests/unit/test_trace_bpf.c), set before trace_open. */
extern int (*trace_bpf_captures)(uint32_t arch, long nr, unsigned strsize,
				 struct sccap out[SCEV_MAX_CAPS]);

#endif
