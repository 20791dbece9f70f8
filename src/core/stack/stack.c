/*
 * stack.c: one walk of a process's user stacks, in the order that keeps
 * the target's pause short: refresh modules (before stopping), hold every
 * thread, copy registers and stack windows, let go, then unwind each thread
 * (libunwind first, libdwfl and frame pointers where it fails) and name the
 * frames (an i386 program: the fallbacks alone, see fallback.c). Owns
 * stack_walk and stack_free; the pieces live in attach.c,
 * snapshot.c, unwind.c, fallback.c and symbols.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <whytop/stack.h>
#include <whytop/target.h>

#include "core/stack/stack_int.h"

#define STACK_DEFAULT_FRAMES 256
#define STACK_WINDOW_MAX (512 * 1024)

static char *stack_thread_name(pid_t pid, pid_t tid)
{
	char path[64], buf[64];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", pid, tid);
	ssize_t n = wt_read_at(AT_FDCWD, path, buf, sizeof(buf));
	if (n <= 0)
		return NULL;
	if (buf[n - 1] == '\n')
		n--;
	return wt_escape(buf, (size_t)n, 0);
}

/*
 * libunwind stopped after n frames (the vDSO, code without an FDE) where
 * the fallback went on. Take the fallback's frame n (marked) and let
 * libunwind continue from its registers: the frames above then come from
 * libunwind again, with their save locations. Returns the new count.
 */
static size_t stack_resume_libunwind(struct debug_proc *dp, struct stack_frame *frames, size_t n,
				     const struct stack_frame *alt, size_t m, size_t max,
				     const char **why)
{
	while (n < m && n < max) {
		const struct stack_frame *a = &alt[n];
		uint32_t need = (1u << STACK_REG_PC) | (1u << STACK_REG_SP);
		if ((a->regs_valid & need) != need)
			break;
		struct snap_thread *real = dp->cur, tmp = *real;
		memcpy(tmp.regs, a->regs, sizeof(tmp.regs));
		dp->cur = &tmp;
		const char *why2 = NULL;
		size_t k = unwind_thread(dp, frames + n, max - n, &why2);
		dp->cur = real;
		if (k == 0 || frames[n].pc != a->pc)
			break; /* they disagree: the caller keeps the fallback's frames */
		/* Frame n itself is the fallback's: its registers came from there. */
		uint64_t cfa = frames[n].cfa;
		frames[n] = *a;
		if (cfa)
			frames[n].cfa = cfa;
		if (n > 0 && !frames[n - 1].cfa)
			frames[n - 1].cfa = a->regs[STACK_REG_SP];
		n += k;
		*why = why2;
		if (!why2)
			break;
		/* libunwind stopped again; continue only where the fallback agrees. */
		if (n > m || frames[n - 1].pc != alt[n - 1].pc)
			break;
	}
	return n;
}

/*
 * Frame 0 in code without unwind information where neither unwinder got
 * further (glibc ends __clone3's FDE before the syscall; hand-written
 * assembly): if the word at sp is a return address into code, and
 * libunwind can walk on from there, the thread is in a leaf without a
 * frame of its own. The guessed frame is marked; nothing is kept unless
 * libunwind confirms it.
 */
static size_t stack_try_leaf(struct debug_proc *dp, struct stack_frame *frames, size_t max,
			     const char **why)
{
	const struct snap_thread *t = dp->cur;
	uint64_t sp = t->regs[STACK_REG_SP], ret;
	if (max < 2 || debug_mem_read_word(dp, sp, &ret) < 0)
		return 1;
	const struct debug_map *map = debug_proc_find_map(dp, ret);
	if (!map || !map->exec)
		return 1;
	struct stack_frame alt[2];
	memset(alt, 0, sizeof(alt));
	alt[0] = frames[0];
	struct stack_frame *a = &alt[1];
	a->pc = ret;
	a->flags = STACK_FRAME_FALLBACK;
	/* A leaf keeps the callee-saved registers as they are. */
	for (int r = 0; r < STACK_NREGS; r++)
		if (r == 3 || r == 6 || (r >= 12 && r <= 15)) {
			a->regs[r] = t->regs[r];
			a->regs_valid |= 1u << r;
		}
	a->regs[STACK_REG_SP] = sp + 8;
	a->regs[STACK_REG_PC] = ret;
	a->regs_valid |= (1u << STACK_REG_SP) | (1u << STACK_REG_PC);
	const char *why2 = *why;
	size_t n = stack_resume_libunwind(dp, frames, 1, alt, 2, max, &why2);
	if (n > 1) {
		frames[0].cfa = sp + 8;
		*why = why2;
	}
	return n;
}

/*
 * A thread just born from clone or clone3, stopped before its first user
 * instruction: the pc follows the syscall instruction inside glibc's
 * clone, and rax (the child's return value) is 0. glibc ends the FDE
 * before that syscall and marks the return address undefined from the
 * child's entry on, so there is nothing above this frame: the stack ends
 * here. The parent's side (rax the new tid) returns to its caller and is
 * walked as a leaf.
 */
static bool stack_newborn_thread(struct debug_proc *dp, const struct stack_frame *f0)
{
	const struct snap_thread *t = dp->cur;
	uint64_t pc = f0->pc, insn, start;
	if (dp->is32 || t->regs[0] != 0 || pc < 2 || debug_mem_read_word(dp, pc - 2, &insn) < 0 ||
	    (insn & 0xffff) != 0x050f) /* syscall */
		return false;
	/* The child's registers are a copy of its parent's at the syscall, so
	 * orig_ax still names it; this holds where glibc's local symbols are
	 * gone (no libc debug file: __clone3 is not in the dynamic table). */
	if (t->orig_ax == SYS_clone || t->orig_ax == SYS_clone3)
		return true;
	Dwfl_Module *mod = dwfl_addrmodule(dp->dwfl, pc);
	const char *name = mod ? symidx_lookup(dp, mod, pc, &start) : NULL;
	if (!name)
		return false;
	if (strncmp(name, "__GI_", 5) == 0)
		name += 5;
	while (*name == '_')
		name++;
	size_t len = strcspn(name, "@");
	return (len == 5 && strncmp(name, "clone", 5) == 0) ||
	       (len == 6 && strncmp(name, "clone3", 6) == 0);
}

/*
 * Unwind the current thread of dp: libunwind, and where it stops with an
 * error, libdwfl or frame pointers on the same copy. Frames that agree with
 * libunwind's are kept from libunwind (they carry save locations); those
 * beyond come from the fallback and say so.
 */
#define STACK_FIRST_FRAMES 48

static size_t stack_unwind_one(struct debug_proc *dp, struct stack_frame *frames, size_t max,
			       bool other_root, char **error)
{
	const char *why = NULL;
	/* libunwind opens files by host path, and speaks x86_64 only: neither fits these. */
	bool no_libunwind = other_root || dp->is32;
	size_t n = no_libunwind ? 0 : unwind_thread(dp, frames, max, &why);
	if (n > 0 && !why)
		return n;
	struct stack_frame *alt = malloc(max * sizeof(*alt));
	if (!alt)
		return n;
	const char *why2 = NULL;
	size_t m = fallback_thread(dp, alt, max, &why2);
	if (m <= 1) {
		size_t k = fallback_fp_thread(dp, alt, max);
		if (k > m) {
			m = k;
			why2 = NULL;
		}
	}
	if (m > n) {
		/* Keep the frames libunwind found where the fallback agrees on them. */
		size_t same = 0;
		while (same < n && same < m && frames[same].pc == alt[same].pc)
			same++;
		if (same == n && n > 0 && !no_libunwind)
			n = stack_resume_libunwind(dp, frames, n, alt, m, max, &why);
		if (m > n) {
			same = 0;
			while (same < n && frames[same].pc == alt[same].pc)
				same++;
			for (size_t i = same; i < m; i++)
				frames[i] = alt[i];
			if (same > 0 && same < m && !frames[same - 1].cfa)
				frames[same - 1].cfa = alt[same - 1].cfa;
			n = m;
			why = why2;
		}
	}
	free(alt);
	/* A return address outside executable code means the chain was lost: stop there. */
	for (size_t i = 1; i < n; i++) {
		const struct debug_map *map = debug_proc_find_map(dp, frames[i].pc);
		if (!map || !map->exec) {
			n = i;
			if (!why)
				why = "a return address points outside the code";
			break;
		}
	}
	/*
	 * Only where the unwinders stopped with an error: after a clean end
	 * (the CFI said the return address is undefined: the outermost frame)
	 * a word at sp is not a return address.
	 */
	if (n == 1 && why && !no_libunwind)
		n = stack_try_leaf(dp, frames, max, &why);
	if (n == 1 && why && stack_newborn_thread(dp, &frames[0]))
		why = NULL;
	if (why && n < 2) {
		char buf[256];
		snprintf(buf, sizeof(buf), "the stack could not be unwound: %s", why);
		*error = strdup(buf);
	}
	return n;
}

/*
 * Unwind one copied thread into *frames (not named yet). Room for
 * STACK_FIRST_FRAMES first, walked again with room for max only when that
 * fills up: zeroing max frames (256 of 360 bytes) per thread was a fifth
 * of a cold walk's page faults. -ENOMEM, or 0 with *error set when the
 * stack could not be unwound.
 */
static int stack_unwind_thread(struct debug_proc *dp, struct snap_thread *t, size_t max,
			       bool other_root, struct stack_frame **frames, size_t *n,
			       char **error)
{
	size_t room = max < STACK_FIRST_FRAMES ? max : STACK_FIRST_FRAMES;
	struct stack_frame *v = calloc(room, sizeof(*v));
	if (!v)
		return -ENOMEM;
	struct snap_thread *cur = dp->cur;
	dp->cur = t;
	*error = NULL;
	size_t k = stack_unwind_one(dp, v, room, other_root, error);
	if (k == room && room < max) {
		struct stack_frame *all = calloc(max, sizeof(*all));
		if (all) {
			free(v);
			v = all;
			free(*error);
			*error = NULL;
			k = stack_unwind_one(dp, v, max, other_root, error);
		}
	}
	dp->cur = cur;
	*frames = v;
	*n = k;
	return 0;
}

/* libunwind opens files by their host path: not valid in another root. */
static bool stack_other_root(const struct debug_proc *dp)
{
	if (dp->stored)
		return false;
	char path[64], link[8];
	snprintf(path, sizeof(path), "/proc/%d/root", dp->pid);
	ssize_t l = readlink(path, link, sizeof(link));
	return l > 0 && !(l == 1 && link[0] == '/');
}

static int stack_cmp_thread(const void *a, const void *b)
{
	pid_t x = ((const struct stack_thread *)a)->tid, y = ((const struct stack_thread *)b)->tid;
	return x < y ? -1 : x > y;
}

struct stack_rolling {
	struct debug_proc *dp;
	struct snap *snap;
	int err;
	size_t max;	 /* frames per thread */
	bool other_root; /* stack_other_root */
	size_t next;	 /* the first thread not yet unwound early */
	bool no_symbols; /* stack_opts.no_symbols */
};

/*
 * Rolling hold, while other threads are yet to stop (attach_opts.on_idle):
 * unwind one thread already copied and let go, so that this work is done
 * by the time the last thread stops, instead of after, when the threads
 * let go compete for the CPU with it (8 spinning threads on 2 CPUs: the
 * unwinding of a cold walk took 4-5 times its CPU time in wall time).
 */
static bool stack_on_idle(void *arg)
{
	struct stack_rolling *roll = arg;
	struct snap *s = roll->snap;
	while (roll->next < s->nthreads && !s->threads[roll->next].ok)
		roll->next++;
	if (roll->next >= s->nthreads)
		return false;
	struct snap_thread *t = &s->threads[roll->next++];
	struct snap *prev = roll->dp->snap;
	roll->dp->snap = s;
	if (stack_unwind_thread(roll->dp, t, roll->max, roll->other_root, &t->early, &t->nearly,
				&t->early_error) == 0)
		t->early_done = true;
	if (!t->name && !t->early_name && !roll->dp->stored)
		t->early_name = stack_thread_name(roll->dp->pid, t->tid);
	/* Names too, when all are kept ones (loading DWARF here would hold up the stops). */
	if (t->early_done && !roll->no_symbols &&
	    symbols_name_frames_cached(roll->dp, &t->early, &t->nearly) == 0)
		t->early_named = true;
	roll->dp->snap = prev;
	return true;
}

/* Rolling hold: copy this thread now and let it go (attach_opts.on_stop). */
static bool stack_on_stop(struct attach_set *as, struct attach_thread *t, void *arg)
{
	struct stack_rolling *roll = arg;
	int r = snap_copy_one(roll->dp, as, t, STACK_WINDOW_MAX, roll->snap);
	if (r < 0 && !roll->err)
		roll->err = r;
	return true;
}

static int stack_from_snap(struct debug_proc *dp, struct snap *snap, size_t max, bool no_symbols,
			   int other_root, struct stack **out, struct wt_err *err);

/* stack_walk on the target's thread. */
static int stack_walk_here(struct debug_proc *dp, const struct stack_opts *opts,
			   struct stack **out, struct wt_err *err)
{
	static const struct stack_opts defaults;
	if (!opts)
		opts = &defaults;
	*out = NULL;
	uint64_t t0 = wt_now_ns();
	size_t max = opts->max_frames ? opts->max_frames : STACK_DEFAULT_FRAMES;

	int r = debug_proc_refresh(dp, err);
	if (r < 0)
		return r;

	/* The pause: each thread's from its interrupt to its detach; the longest. */
	struct attach_opts ao = {.only_tid = opts->only_tid, .fetch_regs = opts->consistent};
	struct stack_rolling roll = {.dp = dp,
				     .snap = snap_new(dp->pid),
				     .max = max,
				     .other_root = stack_other_root(dp),
				     .no_symbols = opts->no_symbols};
	if (!roll.snap)
		return wt_err_set(err, ENOMEM, "out of memory");
	if (!opts->consistent) {
		ao.on_stop = stack_on_stop;
		ao.on_stop_arg = &roll;
		/* Not when saving: the snapshot file wants the copies alone. */
		if (!opts->save)
			ao.on_idle = stack_on_idle;
	}
	struct attach_set *as;
	r = attach_all(dp->pid, &ao, &as, err);
	if (r == -EAGAIN) {
		/* Nothing stopped in time (a stalled machine?): once more, then say so. */
		snap_free(roll.snap);
		roll.snap = snap_new(dp->pid);
		roll.err = 0;
		roll.next = 0;
		r = roll.snap ? attach_all(dp->pid, &ao, &as, err) : -ENOMEM;
	}
	if (r < 0) {
		snap_free(roll.snap);
		return r;
	}
	bool was_stopped = as->was_stopped;
	struct snap *snap = NULL;
	int sr;
	if (opts->consistent) {
		snap_free(roll.snap);
		sr = snap_take(dp, as, STACK_WINDOW_MAX, &snap);
	} else {
		snap = roll.snap;
		sr = roll.err ? roll.err : snap_add_missing(snap, as);
	}
	uint64_t pause_ns = 0, hold_ns = 0;
	attach_detach_held(as, &pause_ns, &hold_ns);
	if (sr < 0) {
		snap_free(snap);
		return wt_err_set(err, -sr, "out of memory copying the stacks of %d", dp->pid);
	}
	if (opts->save && (r = snapfile_write(dp, snap, opts->save, err)) < 0) {
		snap_free(snap);
		return r;
	}
	if ((r = stack_from_snap(dp, snap, max, opts->no_symbols, roll.other_root, out, err)) < 0)
		return r;
	(*out)->was_stopped = was_stopped;
	(*out)->pause_ns = pause_ns;
	(*out)->hold_ns = hold_ns;
	(*out)->walk_ns = wt_now_ns() - t0;
	return 0;
}

struct stack_walk_call {
	struct debug_proc *dp;
	const struct stack_opts *opts;
	struct stack **out;
	struct wt_err *err;
	int rc;
};

static void stack_walk_job(void *arg)
{
	struct stack_walk_call *c = arg;
	c->rc = stack_walk_here(c->dp, c->opts, c->out, c->err);
}

int stack_walk(struct debug_proc *dp, const struct stack_opts *opts, struct stack **out,
	       struct wt_err *err)
{
	/* Only the process's target holds it: from any other thread, a job on it. */
	struct stack_walk_call c = {dp, opts, out, err, 0};
	*out = NULL;
	int r = target_call(dp->target, stack_walk_job, &c);
	if (r < 0)
		return wt_err_set(err, -r, "cannot walk %d: its tracer thread has stopped",
				  dp->pid);
	return c.rc;
}

int stack_walk_held(struct debug_proc *dp, struct attach_set *as, struct stack **out,
		    struct wt_err *err)
{
	struct snap *snap = NULL;
	uint64_t t0 = wt_now_ns();
	int r;

	*out = NULL;
	/* No refresh: that reads maps, and a mapping that changed would show as a wrong frame. */
	if ((r = snap_take(dp, as, STACK_WINDOW_MAX, &snap)) < 0)
		return wt_err_set(err, -r, "out of memory copying the stacks of %d", dp->pid);
	if ((r = stack_from_snap(dp, snap, STACK_DEFAULT_FRAMES, false, -1, out, err)) < 0)
		return r;
	(*out)->walk_ns = wt_now_ns() - t0;
	return 0;
}

/*
 * Unwind and name the threads of a snapshot (the target may run again);
 * frees snap. other_root: stack_other_root(dp) if known, else -1.
 */
static int stack_from_snap(struct debug_proc *dp, struct snap *snap, size_t max, bool no_symbols,
			   int other_root, struct stack **out, struct wt_err *err)
{
	struct stack *st = calloc(1, sizeof(*st));
	if (!st) {
		snap_free(snap);
		return wt_err_set(err, ENOMEM, "out of memory");
	}
	st->pid = dp->pid;
	st->threads = calloc(snap->nthreads ? snap->nthreads : 1, sizeof(*st->threads));
	if (!st->threads) {
		free(st);
		snap_free(snap);
		return wt_err_set(err, ENOMEM, "out of memory");
	}

	dp->snap = snap;
	for (size_t i = 0; i < snap->nthreads; i++) {
		struct snap_thread *t = &snap->threads[i];
		struct stack_thread *out_t = &st->threads[st->nthreads++];
		out_t->tid = t->tid;
		out_t->state = t->state;
		if (t->name) {
			out_t->name = wt_escape(t->name, strlen(t->name), 0);
		} else if (t->early_name) {
			out_t->name = t->early_name;
			t->early_name = NULL;
		} else {
			out_t->name = stack_thread_name(dp->pid, t->tid);
		}
		if (!t->ok) {
			out_t->error = strdup(t->error ? t->error : "the thread was not stopped");
			continue;
		}
		struct stack_frame *frames;
		size_t n;
		bool named = false;
		if (t->early_done) {
			named = t->early_named;
			/* Unwound while the other threads were being stopped. */
			st->unwound_early++;
			frames = t->early;
			n = t->nearly;
			out_t->error = t->early_error;
			t->early = NULL;
			t->early_error = NULL;
		} else {
			if (other_root < 0)
				other_root = stack_other_root(dp);
			if (stack_unwind_thread(dp, t, max, other_root, &frames, &n,
						&out_t->error) < 0) {
				out_t->error = strdup("out of memory");
				continue;
			}
		}
		if (!no_symbols && !named && symbols_name_frames(dp, &frames, &n) < 0) {
			free(frames);
			out_t->error = strdup("out of memory naming frames");
			continue;
		}
		out_t->frames = frames;
		out_t->nframes = n;
		/* The outermost frame's sp (i386 frames keep no registers: the cfa below it). */
		uint64_t top_sp = n >= 2 ? frames[n - 1].regs[STACK_REG_SP] : 0;
		if (n >= 2 && !(frames[n - 1].regs_valid & (1u << STACK_REG_SP)))
			top_sp = frames[n - 2].cfa;
		if (!out_t->error && t->win_truncated && n >= 2 &&
		    top_sp >= t->win_lo + t->win_len - 64) {
			char buf[128];
			snprintf(buf, sizeof(buf), "the stack is deeper than the %zu KiB copied",
				 t->win_len / 1024);
			out_t->error = strdup(buf);
		}
	}
	dp->snap = NULL;
	snap_free(snap);
	st->nnotes = inflate_notes(dp->dwfl, &st->notes);
	/* /proc lists threads in no useful order: main thread first, then by tid. */
	qsort(st->threads, st->nthreads, sizeof(*st->threads), stack_cmp_thread);
	*out = st;
	return 0;
}

int stack_unwind_copy(struct debug_proc *dp, pid_t tid, const struct user_regs_struct *regs,
		      uint64_t win_lo, uint8_t *win, size_t win_len, bool win_truncated,
		      size_t max_frames, struct stack **out, struct wt_err *err)
{
	uint64_t t0 = wt_now_ns();
	*out = NULL;
	const struct debug_map *m = debug_proc_find_map(dp, regs->rip);
	if (!m || !m->exec) {
		/* code mapped since the last report (a library loaded, an exec) */
		struct wt_err e;
		debug_proc_refresh(dp, &e);
	}
	struct snap *snap =
	    snap_from_regs(dp, tid, regs, win_lo, win, win_len, win_truncated);
	if (!snap)
		return wt_err_set(err, ENOMEM, "out of memory");
	int r = stack_from_snap(dp, snap, max_frames ? max_frames : STACK_DEFAULT_FRAMES, false,
				-1, out, err);
	if (r < 0)
		return r;
	(*out)->walk_ns = wt_now_ns() - t0;
	return 0;
}

void stack_frames_free(struct stack_frame *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].module);
		free(v[i].function);
		free(v[i].file);
		free(v[i].src_path);
	}
	free(v);
}

void stack_free(struct stack *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->nthreads; i++) {
		struct stack_thread *t = &st->threads[i];
		stack_frames_free(t->frames, t->nframes);
		free(t->name);
		free(t->error);
	}
	free(st->threads);
	for (size_t i = 0; i < st->nnotes; i++)
		free(st->notes[i]);
	free(st->notes);
	free(st);
}

int stack_load(const char *path, const char *modules_dir, const struct stack_opts *opts,
	       struct stack **out, struct wt_err *err)
{
	static const struct stack_opts defaults;
	if (!opts)
		opts = &defaults;
	*out = NULL;
	uint64_t t0 = wt_now_ns();
	struct debug_proc *dp;
	struct snap *snap;
	pid_t pid;
	int r = snapfile_read(path, modules_dir, &dp, &snap, &pid, err);
	if (r < 0)
		return r;
	if (opts->only_tid) {
		size_t k = 0;
		for (size_t i = 0; i < snap->nthreads; i++) {
			if (snap->threads[i].tid == opts->only_tid) {
				struct snap_thread keep = snap->threads[i];
				snap->threads[i] = snap->threads[k];
				snap->threads[k++] = keep;
			}
		}
		for (size_t i = k; i < snap->nthreads; i++) {
			free(snap->threads[i].win);
			free(snap->threads[i].name);
		}
		snap->nthreads = k;
		if (!k) {
			snap_free(snap);
			debug_proc_close(dp);
			return wt_err_set(err, ESRCH,
					  "thread %d is not in the snapshot of process %d; leave "
					  "out --thread to see the threads it has",
					  (int)opts->only_tid, (int)pid);
		}
	}
	size_t max = opts->max_frames ? opts->max_frames : STACK_DEFAULT_FRAMES;
	r = stack_from_snap(dp, snap, max, opts->no_symbols, -1, out, err);
	debug_proc_close(dp);
	if (r < 0)
		return r;
	(*out)->pid = pid;
	(*out)->loaded = true;
	(*out)->walk_ns = wt_now_ns() - t0;
	return 0;
}
