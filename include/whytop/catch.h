/*
 * catch.h: catching a crash of a live process.
 *
 * A catch is a mode of the process's target (target.h): every thread is
 * seized (PTRACE_SEIZE, no stop; TRACECLONE and TRACEEXEC so threads born
 * later are caught too) and runs on with PTRACE_CONT, at full speed: the
 * only stops are signals. At a signal-delivery-stop the mode decides: a
 * signal the program handles (or that does not kill) is reported as an
 * event and delivered; a fatal one (SIG_DFL with a terminate or core
 * action, or a fault the kernel forces through a block or SIG_IGN) keeps
 * that thread in its stop. Then catch_report stops the other threads
 * (the hold of attach.h, which takes the kept thread as stopped), walks
 * every stack and reads the locals, and catch_finish either delivers the
 * signal (the process dies exactly as it would have: same wait status,
 * core dump if enabled) or leaves the process group-stopped and untraced,
 * the signal queued again, so that any whytop can inspect it and a SIGCONT
 * lets it die.
 */
#ifndef WHYTOP_CATCH_H
#define WHYTOP_CATCH_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <whytop/locals.h>
#include <whytop/stack.h>
#include <whytop/util.h>

/* ---- what a fault address is (addr.c: pure, on /proc/PID/maps text) ---- */

enum catch_addr_kind {
	CATCH_ADDR_NONE = 0,	/* the signal carries no address (abort, kill) */
	CATCH_ADDR_NULL,	/* below mmap_min_addr: a NULL pointer (plus an offset) */
	CATCH_ADDR_STACK_GUARD, /* just below a stack: a stack overflow */
	CATCH_ADDR_UNMAPPED,	/* no mapping there */
	CATCH_ADDR_NO_ACCESS,	/* a mapping with no access at all (---p, a guard page) */
	CATCH_ADDR_READ_ONLY,	/* a mapping that cannot be written */
	CATCH_ADDR_NO_EXEC,	/* the pc in a mapping that is not executable */
	CATCH_ADDR_MAPPED,	/* a mapping with the access the fault needed (FPE, ILL, BUS) */
};

struct catch_addr {
	enum catch_addr_kind kind;
	uint64_t addr;
	/* The mapping it is in (or, for a stack guard, the stack above it); start == end: none. */
	uint64_t map_start, map_end, map_offset; /* map_offset: of addr, in the file */
	char perms[5];
	char path[256];	       /* as maps writes it (escaped there), "" anonymous */
	uint64_t below, above; /* UNMAPPED: the ends of the neighbouring mappings (0: none) */
};

/* "NULL page", "stack overflow", "unmapped", "no access", "read-only", "not executable", "mapped"
 */
const char *catch_addr_kind_name(enum catch_addr_kind k);

/*
 * Classify addr, the si_addr of signal sig (si_code code) in a thread
 * whose stack pointer is sp and pc is pc, against the maps text (as
 * /proc/PID/maps reads). min_addr: the kernel's mmap_min_addr (0: 4096).
 * The guard gap below a stack is taken as 1 MiB (the kernel's default
 * stack_guard_gap), and a ---p mapping right below the stack holding sp
 * (glibc's guard page of a thread) counts as the guard too.
 */
void catch_addr_classify(const char *maps, size_t len, int sig, int code, uint64_t addr,
			 uint64_t pc, uint64_t sp, uint64_t min_addr, struct catch_addr *out);
/* One sentence for a person, into buf: "the NULL page (address 0x10: ...)". */
void catch_addr_text(const struct catch_addr *a, char *buf, size_t size);

/* ---- a catch (catch.c) ---- */

/* Is signal sig, with the task's handler state, fatal? Pure (unit tested). */
bool catch_sig_fatal(int sig, int code, uint64_t caught, uint64_t ignored, uint64_t blocked);

enum catch_ev_kind {
	CATCH_EV_HANDLED, /* a signal the program handles (or that does not kill): delivered */
	CATCH_EV_CRASH,	  /* a fatal signal: the thread is kept in its stop */
	CATCH_EV_EXITED,  /* the process ended (status: its wait status) */
};

struct catch_event {
	enum catch_ev_kind kind;
	pid_t tid;
	siginfo_t si;
	int status;
};

struct catch;

/*
 * Catch process pid: seize every thread into the catch mode. Refusals as
 * attach_all's (a sentence in err). The process runs on.
 */
int catch_open(pid_t pid, struct catch **out, struct wt_err *err);
/*
 * Run argv stopped, then catch it (whytop is its parent): its wait status
 * comes as a CATCH_EV_EXITED event. *pid: the program's pid.
 */
int catch_launch(char *const argv[], struct catch **out, pid_t *pid, struct wt_err *err);
/* Readable while events wait (a front end's poll); catch_poll takes them. */
int catch_fd(const struct catch *c);
/* The next event if one waits: 0, or -EAGAIN (none; catch_fd is then not readable). */
int catch_poll(struct catch *c, struct catch_event *ev);
/* After catch_launch: why the program could not be run (exec failed), 0 if it ran. */
int catch_launch_error(struct catch *c, struct wt_err *err);
/*
 * The next event, waiting for it (timeout_ns 0: no limit). 0, or
 * -ETIMEDOUT. After CATCH_EV_CRASH, call catch_report and catch_finish.
 */
int catch_next(struct catch *c, uint64_t timeout_ns, struct catch_event *ev);

struct catch_report {
	pid_t pid, tid;
	siginfo_t si;
	char signame[32];   /* "SIGSEGV" */
	char code[32];	    /* "SEGV_MAPERR", "SI_TKILL" (the decoder's names) */
	char *siginfo_text; /* strace's "--- SIGSEGV {si_signo=...} ---" */
	struct catch_addr addr;
	char addr_text[512];
	uint64_t pc;			    /* of the crashing thread */
	const struct stack_frame *pc_frame; /* frame 0 of the crashing thread (names), or NULL */
	struct stack *stack;		    /* every thread; the crashing thread is crash_thread */
	size_t crash_thread;
	size_t recursion;      /* frames of frame 0's function in the crashing thread's walk */
	bool walk_truncated;   /* the walk stopped before the thread's outermost frame */
	struct locals *locals; /* innermost frame with debug info, or NULL (locals_error) */
	char *locals_error;
	char *stack_error;
};

/*
 * On a CATCH_EV_CRASH: stop the other threads, walk every stack, read the
 * locals, classify the address. The process stays stopped.
 */
int catch_report(struct catch *c, const struct catch_event *ev, struct catch_report **out,
		 struct wt_err *err);
void catch_report_free(struct catch_report *r);
/*
 * The report as text, appended to b: the crash line, strace's siginfo, the
 * address, where, the recursion seen, the crashing thread's stack (a deep
 * one as its first 24 and last 8 frames), its locals, the other threads.
 */
void catch_report_text(const struct catch_report *r, struct wt_buf *b);
/* "[pid TID] --- SIGSEGV {...} --- handled" (no newline), appended to b. */
void catch_event_text(const struct catch_event *ev, struct wt_buf *b);
/* A wait status in words: "killed by SIGSEGV (core dumped)", "exited with status 3". */
void catch_status_words(int status, char *buf, size_t size);

/*
 * After a crash: hold false delivers the signal (the process dies as it
 * would have; catch_next then gives its exit when whytop sees it). hold
 * true leaves it group-stopped and untraced, the signal queued again
 * (SIGCONT lets it die). Without a crash: lets every thread go.
 */
int catch_finish(struct catch *c, bool hold, struct wt_err *err);
/* Let go of everything (as catch_finish(false) when needed) and free. */
void catch_close(struct catch *c);

#endif
