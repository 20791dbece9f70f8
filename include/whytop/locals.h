/*
 * locals.h: the variables of one frame of a live process, read through
 * DWARF, and poke: changing one of them.
 *
 * A frame is described by what the unwinder (stack.h) found for it: its pc,
 * its CFA, the registers it could recover and where outer frames saved
 * them. locals_read evaluates every parameter, local (lexical blocks and
 * inline frames respected), function static and the CU's globals at that
 * pc, and formats each value by its type. Values come from /proc/PID/mem
 * while the process runs on; registers come from the frame as the walk
 * saw it.
 *
 * poke_write parses a text against a variable's type, writes exactly the
 * type's size where the variable lives (memory, a frame-0 register through
 * the thread's register set, or an outer frame's register save slot),
 * reads it back, and keeps the old bytes so poke_undo can restore them.
 * All text in these structs is escaped (wt_escape): safe to print.
 */
#ifndef WHYTOP_LOCALS_H
#define WHYTOP_LOCALS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <elfutils/libdwfl.h>

#include <whytop/stack.h>
#include <whytop/util.h>

/* One frame to look into: a copy of what stack_walk found. */
struct locals_frame {
	pid_t pid, tid;
	int index;		  /* frame number in the thread's stack (0 = innermost) */
	struct stack_frame frame; /* pc, cfa, regs, reg_addr; names are not used */
	/*
	 * Inline frames share one pc: inline_level says which function of the
	 * inline chain at pc this frame is (0 = the innermost inlined call,
	 * counting outwards to the physical function).
	 */
	int inline_level;
	/*
	 * The pc is where the thread is (frame 0, or interrupted by a signal),
	 * not a return address: look up scopes at pc rather than pc - 1.
	 */
	bool pc_exact;
};

/*
 * stack_walk for locals and poke: refuses an i386 program (its frames carry
 * no registers to read locals from).
 */
int locals_walk(struct debug_proc *dp, const struct stack_opts *opts, struct stack **out,
		struct wt_err *err);

/* Build a locals_frame for frame n of a walked thread (computes inline_level). */
int locals_frame_from_stack(const struct stack *st, pid_t tid, int n, struct locals_frame *out,
			    struct wt_err *err);

/*
 * Choose the frame to look into in a walk of thread tid (0: the main
 * thread, else the first): frame n when n >= 0; otherwise the innermost
 * frame that has debug info, whose function is `function` (when given) and
 * where variable `var` (the first name of a path, when given) is visible.
 */
int locals_pick_frame(struct debug_proc *dp, const struct stack *st, pid_t tid, int n, const char *function,
		      const char *var, struct locals_frame *out, struct wt_err *err);

/*
 * The one-shot start of `locals` and `poke`: open pid's debug info, walk
 * (thread tid, or all when 0) and pick the frame as locals_pick_frame does.
 * On success the caller owns *dp and *st (debug_proc_close, stack_free);
 * on failure nothing is left to free.
 */
int locals_open_frame(pid_t pid, pid_t tid, int n, const char *function, const char *var,
		      struct debug_proc **dp, struct stack **st, struct locals_frame *out,
		      struct wt_err *err);

/*
 * Find the activation of old (same CFA, pc in the same function, same
 * inline level) in a newer walk; -ENOENT with a sentence when it is gone.
 * Writes into a frame must use this: a stack address of a returned frame
 * belongs to whatever runs there now.
 */
int locals_frame_again(struct debug_proc *dp, const struct stack *st, const struct locals_frame *old,
		       struct locals_frame *out, struct wt_err *err);

enum locals_scope {
	LOCALS_PARAM,  /* a parameter of the frame's function */
	LOCALS_LOCAL,  /* a local visible at the pc */
	LOCALS_STATIC, /* a static inside the function */
	LOCALS_GLOBAL, /* a global or file static of the compilation unit */
	LOCALS_MEMBER, /* a member or element of an expanded variable */
};

enum locals_loc {
	LOCALS_LOC_STACK,	  /* in memory on the stack (or at a register-relative address) */
	LOCALS_LOC_STATIC,	  /* in memory at a fixed address (DW_OP_addr + load bias) */
	LOCALS_LOC_REGISTER,	  /* in a register, or the slot an outer frame saved it to */
	LOCALS_LOC_CONSTANT,	  /* DW_AT_const_value or an implicit value: nothing to write */
	LOCALS_LOC_COMPUTED,	  /* DW_OP_stack_value or pieces: shown read-only */
	LOCALS_LOC_OPTIMIZED_OUT, /* the compiler kept no location at all */
	LOCALS_LOC_NOT_LIVE,	  /* it has a location list, but none covers this pc */
	LOCALS_LOC_UNAVAILABLE,	  /* the location needs what this frame cannot give */
	LOCALS_LOC_MEMORY,	  /* in memory reached through a pointer (heap, stack, static) */
};

const char *locals_scope_name(enum locals_scope s); /* "param", "local", ... */
const char *locals_loc_name(enum locals_loc l);	    /* "stack", "register", ... */

struct locals_var {
	char *path; /* what poke takes: "flag", "cfg.limit", "arr[3]" (escaped) */
	char *name; /* last part of the path: "limit", "[3]" */
	char *type; /* "int", "struct cfg", "char *" */
	enum locals_scope scope;
	enum locals_loc loc;
	char *where; /* "stack 0x7ffd1234", "register rbx", "rbx saved at 0x7ffd..", ... */
	char *value; /* formatted value, or NULL when there is none (see note) */
	char *note;  /* why it is read-only or may not hold, or NULL */
	bool writable;
	bool expandable; /* struct, union, array, or a pointer to a struct or union */
	bool expanded;
	int depth;     /* 0 for variables, 1 for their members, ... */
	bool shadowed; /* an inner variable of the same name hides it */
	char *choices; /* an enum's names, '\n'-separated (for a menu), or NULL */
};

struct locals {
	pid_t pid, tid;
	int frame;
	uint64_t pc;
	char *function; /* escaped, NULL if unknown */
	char *file;	/* escaped, NULL if unknown */
	int line;
	struct locals_var *vars; /* in tree order: a member follows its parent */
	size_t nvars;
};

struct locals_opts {
	const char *const *expand; /* paths to show one level deeper */
	size_t nexpand;
	bool no_globals;    /* leave out the CU's globals */
	size_t max_globals; /* 0: default (200) */
};

/*
 * Read the frame's variables. Fails with a sentence when the frame has no
 * debug info (-ENODATA), the process is gone (-ESRCH), or memory cannot be
 * read (-EACCES).
 */
int locals_read(struct debug_proc *dp, const struct locals_frame *f, const struct locals_opts *opts,
		struct locals **out, struct wt_err *err);
void locals_free(struct locals *l);
/*
 * Why --expand PATH cannot be followed in frame f, as a sentence in err: no
 * such variable or member, '->' on a non-pointer, a NULL or unreadable
 * pointer, no value here, not a struct/union/array (or a pointer to one).
 * 0 when PATH can be expanded.
 */
int locals_expand_check(struct debug_proc *dp, const struct locals_frame *f, const char *path,
			struct wt_err *err);

/* Where a poke wrote, kept so that it can be undone. */
enum poke_dest {
	POKE_DEST_MEMORY,   /* at addr */
	POKE_DEST_REGISTER, /* register reg of thread tid (frame 0) */
};

struct poke_result {
	char *path, *type, *where;
	char *old_value, *new_value; /* formatted; new_value is what was read back */
	char *note;		     /* warnings (-O2 copies, loop conditions), or NULL */
	bool took;		     /* the value read back equals what was written */
	/* For undo: the destination and the bytes that were there. */
	pid_t pid, tid;
	enum poke_dest dest;
	uint64_t addr;
	int reg;
	size_t size, reg_offset;
	unsigned char old_bytes[16], new_bytes[16];
	bool global; /* a global or static (fixed address): its undo needs no frame */
};

/*
 * Parse text against the variable at path (in frame f) and write it.
 * Refuses with a sentence (-EINVAL bad or out-of-range value, -ENOENT no
 * such variable, -EROFS constant/computed/optimized out, -ENODATA no debug
 * info, -ESRCH process gone). Fills res on success; free with poke_result_free.
 */
int poke_write(struct debug_proc *dp, const struct locals_frame *f, const char *path,
	       const char *text, struct poke_result *res, struct wt_err *err);
/*
 * Undo: write res's old bytes back into the same variable of frame f (the
 * same activation, found again with locals_frame_again), only if it still
 * lives exactly where the poke wrote. res then describes the undo.
 */
int poke_undo(struct debug_proc *dp, const struct locals_frame *f, struct poke_result *res,
	      struct wt_err *err);
/*
 * The frame to undo res in: old's activation (locals_frame_again), or, for
 * a global or static (res->global) whose frame has returned since, the
 * innermost frame of thread old->tid where its name is visible (poke_undo
 * still checks that it is at the address the poke wrote).
 */
int poke_undo_frame(struct debug_proc *dp, const struct stack *st, const struct locals_frame *old,
		    const struct poke_result *res, struct locals_frame *out, struct wt_err *err);
void poke_result_free(struct poke_result *res);

/* What happened after a poke, watched for a short while. */
enum poke_outcome {
	POKE_STILL_IN_FRAME, /* the thread is still in the same frame */
	POKE_LEFT_FRAME,     /* the frame is gone from the thread's stack */
	POKE_THREAD_GONE,    /* the thread (or the whole process) exited */
	POKE_STOPPED,	     /* the process is stopped (T): it runs on when continued */
};

/*
 * Watch the thread for up to wait_ms: re-walk it a few times and report
 * whether the frame (same function, same CFA) is still on its stack.
 */
int poke_watch(struct debug_proc *dp, const struct locals_frame *f, unsigned wait_ms,
	       enum poke_outcome *out, struct wt_err *err);
const char *poke_outcome_text(enum poke_outcome o);

#endif
