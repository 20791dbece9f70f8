/*
 * stack.h: user stacks of a live process.
 *
 * A debug_proc holds what is kept for one process between walks: its
 * modules and DWARF (kept inside the core, opened outside any stop), the
 * libunwind address space and caches, and names by pc. stack_walk stops
 * every thread (PTRACE_SEIZE + PTRACE_INTERRUPT), copies each one's
 * registers and live stack and lets it go at once (or all together, with
 * stack_opts.consistent), and only then unwinds and names the frames. The
 * stops are made by the process's target (target.h): stack_walk runs
 * itself on its thread, from whichever thread it is called. A debug_proc
 * is not thread-safe: use it from one thread at a time.
 */
#ifndef WHYTOP_STACK_H
#define WHYTOP_STACK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <whytop/util.h>

/* x86_64 DWARF register numbers 0..16: rax rdx rcx rbx rsi rdi rbp rsp r8..r15 rip. */
#define STACK_NREGS 17
#define STACK_REG_SP 7
#define STACK_REG_PC 16

enum stack_frame_flags {
	STACK_FRAME_FALLBACK = 1u << 0, /* found by a fallback unwinder (libdwfl, frame pointers) */
	STACK_FRAME_INLINE = 1u << 1,   /* an inlined call expanded from the frame below it */
	STACK_FRAME_SIGNAL = 1u << 2,   /* a signal frame */
};

struct stack_frame {
	uint64_t pc;       /* return address (or pc for frame 0) */
	uint64_t cfa;      /* canonical frame address, 0 if unknown */
	unsigned flags;    /* STACK_FRAME_* */
	/*
	 * Registers as they were in this frame, for reading locals. Bit i of
	 * regs_valid says regs[i] is known. For frames above 0, reg_addr[i] is
	 * the address in the target's memory where the register's value was
	 * saved (0: still in the register itself, or unknown); poke writes there.
	 */
	uint64_t regs[STACK_NREGS];
	uint32_t regs_valid;
	uint64_t reg_addr[STACK_NREGS];
	/* Names, all escaped; NULL when unknown. */
	char *module;      /* basename of the mapped file */
	char *function;    /* demangled */
	uint64_t offset;   /* pc - function start */
	char *file;        /* source file, joined with the CU's compilation directory */
	int line, column;  /* 0 if unknown */
	int inline_depth;  /* 0 for a physical frame */
	/* The same path, for opening the source (kept separate for front ends). */
	char *src_path;
};

struct stack_thread {
	pid_t tid;
	char *name;        /* comm, escaped */
	char state;        /* from /proc before the stop */
	struct stack_frame *frames;
	size_t nframes;
	char *error;       /* why the walk stopped early, or NULL */
};

struct stack {
	pid_t pid;
	struct stack_thread *threads;
	size_t nthreads;
	uint64_t pause_ns;   /* longest time any thread was held stopped (seen stopped to let go) */
	uint64_t walk_ns;    /* whole walk: attach to symbolized */
	bool was_stopped;    /* the process was in T state and was left so */
	/*
	 * Longest from a thread's interrupt to its release: an upper bound on
	 * the pause that also counts the time a thread needed to reach the
	 * stop (to wake from sleep, or to get a CPU on a busy machine).
	 */
	uint64_t hold_ns;
	/*
	 * Threads unwound while the walk still waited for others to stop
	 * (each let go as soon as it was copied); the rest after the hold.
	 */
	size_t unwound_early;
	/*
	 * Sentences about the process's modules, escaped: e.g. "debug info
	 * of FILE skipped: its compressed sections would inflate to 900 MiB
	 * (limit 32 MiB: ...)", whose frames are then named from symbols only.
	 */
	char **notes;
	size_t nnotes;
	bool loaded; /* walked from a saved snapshot (stack_load): no process, no pause */
};

struct stack_opts {
	pid_t only_tid;      /* 0: every thread */
	size_t max_frames;   /* 0: default (256) */
	bool no_symbols;     /* only pcs (for benchmarks) */
	/*
	 * Hold every thread until all are copied (one instant for the whole
	 * process). Default: each thread is let go as soon as its registers
	 * and stack are copied, so no thread waits for the slowest to stop.
	 */
	bool consistent;
	/*
	 * Also write what was copied to this file (a snapshot: registers,
	 * stack windows, maps, each module's path and build-id) for
	 * stack_load. Written after the threads were let go.
	 */
	const char *save;
};

struct debug_proc;

/* Report modules and load debug info for pid; does not stop it. */
int debug_proc_open(pid_t pid, struct debug_proc **out, struct wt_err *err);
void debug_proc_close(struct debug_proc *dp);
/*
 * Open every module's ELF, symbols and DWARF now rather than when a frame
 * first needs them (a front end can do this while idle; walks never need it).
 */
int debug_proc_preload(struct debug_proc *dp);
/* Re-report modules if the mappings changed (dlopen); cheap when not. */
int debug_proc_refresh(struct debug_proc *dp, struct wt_err *err);
/*
 * The process runs a 32-bit (i386) program. Its stacks are walked by the
 * fallback unwinders only (every frame STACK_FRAME_FALLBACK) and its
 * frames carry no registers (regs_valid 0): the x86_64 numbering of
 * stack_frame.regs does not fit, so locals and poke refuse such a process.
 */
bool debug_proc_is32(const struct debug_proc *dp);
pid_t debug_proc_pid(const struct debug_proc *dp);

int stack_walk(struct debug_proc *dp, const struct stack_opts *opts, struct stack **out,
	       struct wt_err *err);
void stack_free(struct stack *st);

/*
 * Unwind and name the threads of a snapshot file written by stack_walk
 * (stack_opts.save), with no process at all: no ptrace, no /proc. Each
 * module's file is looked for at its recorded path, then by its name in
 * modules_dir (NULL: none), and taken only if its build-id is the
 * recorded one; otherwise nothing is walked and err says which file is
 * missing or differs. opts: only_tid, max_frames, no_symbols.
 */
int stack_load(const char *path, const char *modules_dir, const struct stack_opts *opts,
	       struct stack **out, struct wt_err *err);

/*
 * Unwind and name one thread from registers and a stack copy taken by
 * someone else while it was stopped (trace -k, at a syscall stop), after
 * the thread went on: the stack_walk of one thread without the hold. The
 * copy win ([win_lo, win_lo + win_len), malloc'ed) is taken and freed;
 * memory outside it is read from the live process (code, unwind tables).
 * dp should be refreshed (debug_proc_refresh) if the mappings may have
 * changed. *out holds one thread (name ""), or 0 frames and its error.
 */
struct user_regs_struct;
int stack_unwind_copy(struct debug_proc *dp, pid_t tid, const struct user_regs_struct *regs,
		      uint64_t win_lo, uint8_t *win, size_t win_len, bool win_truncated,
		      size_t max_frames, struct stack **out, struct wt_err *err);

#endif
