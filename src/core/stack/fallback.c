/*
 * fallback.c: unwinders for what libunwind-ptrace cannot walk: the vDSO
 * (libunwind 1.6 cannot open it remotely, so a thread in clock_gettime
 * would end at frame 0), code whose file is not visible to us, and code
 * without unwind tables. First libdwfl's unwinder, which reads the vDSO
 * image from the process and uses .eh_frame and .debug_frame; then frame
 * pointers. Both run on the same snapshot as libunwind: libdwfl gets our
 * own thread callbacks (registers and memory from the copy) rather than
 * dwfl_linux_proc_attach, whose ptrace reads would lengthen the pause.
 * Frames found here are marked STACK_FRAME_FALLBACK.
 *
 * An i386 program (debug_proc.is32) is walked here alone: its Dwfl has i386
 * modules, so libdwfl's ebl is i386 and expects i386 DWARF registers; its
 * frame pointers are 4-byte words. Its frames keep no registers (the
 * x86_64 numbering of stack_frame.regs does not fit them), only pc and cfa.
 * The i386 vDSO has CFI only for __kernel_vsyscall, not for its C functions
 * (__vdso_clock_gettime64), which keep a frame pointer: where libdwfl stops
 * with an error, one frame-pointer step gives the caller, and libdwfl
 * resumes from there with its CFI.
 */
#include <errno.h>
#include <string.h>

#include "core/stack/stack_int.h"

/* *thread_argp is the snap_thread itself, so set_initial_registers can find it. */
static pid_t fallback_next_thread(Dwfl *dwfl, void *dwfl_arg, void **thread_argp)
{
	struct debug_proc *dp = dwfl_arg;
	if (!dp->snap)
		return 0;
	struct snap_thread *prev = *thread_argp;
	size_t i = prev ? (size_t)(prev - dp->snap->threads) + 1 : 0;
	while (i < dp->snap->nthreads && !dp->snap->threads[i].ok)
		i++;
	if (i >= dp->snap->nthreads)
		return 0;
	*thread_argp = &dp->snap->threads[i];
	return dp->snap->threads[i].tid;
}

static bool fallback_get_thread(Dwfl *dwfl, pid_t tid, void *dwfl_arg, void **thread_argp)
{
	struct debug_proc *dp = dwfl_arg;
	/* The thread being walked may be a copy with other registers (a resumed i386 walk). */
	if (dp->cur && dp->cur->tid == tid && dp->cur->ok) {
		*thread_argp = dp->cur;
		return true;
	}
	for (size_t i = 0; dp->snap && i < dp->snap->nthreads; i++)
		if (dp->snap->threads[i].tid == tid && dp->snap->threads[i].ok) {
			*thread_argp = &dp->snap->threads[i];
			return true;
		}
	return false;
}

static bool fallback_memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *dwfl_arg)
{
	struct debug_proc *dp = dwfl_arg;
	uint64_t v;
	/* i386: 4-byte words (an 8-byte read could cross the end of a mapping). */
	int r = dp->is32 ? debug_mem_read_word32(dp, addr, &v) : debug_mem_read_word(dp, addr, &v);
	if (r < 0)
		return false;
	*result = v;
	return true;
}

/* i386 DWARF numbers 0..8 (eax ecx edx ebx esp ebp esi edi eip) as x86_64 slots of snap regs. */
#define FALLBACK_I386_NREGS 9
#define FALLBACK_I386_SP 4
#define FALLBACK_I386_FP 5
static const unsigned char fallback_i386_from_x86_64[FALLBACK_I386_NREGS] = {
    0, 2, 1, 3, STACK_REG_SP, 6, 4, 5, STACK_REG_PC,
};

static bool fallback_set_initial_registers(Dwfl_Thread *thread, void *thread_arg)
{
	const struct snap_thread *t = thread_arg;
	if (t->is32) {
		Dwarf_Word r[FALLBACK_I386_NREGS];
		for (unsigned i = 0; i < FALLBACK_I386_NREGS; i++)
			r[i] = t->regs[fallback_i386_from_x86_64[i]] & 0xffffffffu;
		return dwfl_thread_state_registers(thread, 0, FALLBACK_I386_NREGS, r);
	}
	return dwfl_thread_state_registers(thread, 0, STACK_NREGS, t->regs);
}

static const Dwfl_Thread_Callbacks fallback_callbacks = {
    .next_thread = fallback_next_thread,
    .get_thread = fallback_get_thread,
    .memory_read = fallback_memory_read,
    .set_initial_registers = fallback_set_initial_registers,
};

struct fallback_walk {
	struct stack_frame *frames;
	size_t n, max;
	bool is32;
	/* i386: the next frame starts a resumed run (libdwfl calls it an activation). */
	bool resumed;
	/* i386: the registers of the last frame seen (i386 DWARF numbers), for a resume. */
	Dwarf_Word last[FALLBACK_I386_NREGS];
	uint32_t last_valid;
};

static int fallback_frame_cb(Dwfl_Frame *state, void *arg)
{
	struct fallback_walk *w = arg;
	Dwarf_Addr pc;
	bool activation;
	if (w->n >= w->max || !dwfl_frame_pc(state, &pc, &activation) || pc == 0)
		return DWARF_CB_ABORT;
	struct stack_frame *f = &w->frames[w->n];
	memset(f, 0, sizeof(*f));
	f->pc = pc;
	f->flags = STACK_FRAME_FALLBACK;
	if (w->is32) {
		/* No registers kept in the frame (see the top); the stack pointer gives the cfa. */
		w->last_valid = 0;
		for (unsigned r = 0; r < FALLBACK_I386_NREGS; r++)
			if (dwfl_frame_reg(state, r, &w->last[r]) == 0)
				w->last_valid |= 1u << r;
		if (w->n > 0 && (w->last_valid & (1u << FALLBACK_I386_SP)))
			w->frames[w->n - 1].cfa = w->last[FALLBACK_I386_SP];
		if (w->n > 0 && activation && !w->resumed)
			w->frames[w->n - 1].flags |= STACK_FRAME_SIGNAL;
		w->resumed = false;
		w->n++;
		return DWARF_CB_OK;
	}
	for (unsigned r = 0; r < STACK_NREGS; r++) {
		Dwarf_Word v;
		if (dwfl_frame_reg(state, r, &v) == 0) {
			f->regs[r] = v;
			f->regs_valid |= 1u << r;
		}
	}
	if (w->n > 0) {
		if (f->regs_valid & (1u << STACK_REG_SP))
			w->frames[w->n - 1].cfa = f->regs[STACK_REG_SP];
		/* An activation above frame 0: the frame below was a signal frame. */
		if (activation)
			w->frames[w->n - 1].flags |= STACK_FRAME_SIGNAL;
	}
	w->n++;
	return DWARF_CB_OK;
}

/*
 * One frame-pointer step from the last frame libdwfl saw in an i386 walk:
 * [ebp] is the caller's ebp, [ebp + 4] its return address. Sets t's
 * registers to the caller's (the others as last known). False if the
 * step does not look like a frame.
 */
static bool fallback_fp_step32(struct debug_proc *dp, const struct fallback_walk *w,
			       struct snap_thread *t)
{
	const uint32_t need = (1u << FALLBACK_I386_SP) | (1u << FALLBACK_I386_FP);
	if ((w->last_valid & need) != need)
		return false;
	uint64_t fp = w->last[FALLBACK_I386_FP], sp = w->last[FALLBACK_I386_SP], next_fp, ret;
	if (fp < sp || (fp & 3) || debug_mem_read_word32(dp, fp, &next_fp) < 0 ||
	    debug_mem_read_word32(dp, fp + 4, &ret) < 0)
		return false;
	const struct debug_map *m = debug_proc_find_map(dp, ret);
	if (!m || !m->exec)
		return false;
	for (unsigned r = 0; r < FALLBACK_I386_NREGS; r++)
		if (w->last_valid & (1u << r))
			t->regs[fallback_i386_from_x86_64[r]] = w->last[r];
	t->regs[fallback_i386_from_x86_64[FALLBACK_I386_FP]] = next_fp;
	t->regs[STACK_REG_SP] = fp + 8;
	t->regs[STACK_REG_PC] = ret;
	return true;
}

static int fallback_run32(struct debug_proc *dp, struct fallback_walk *w, struct snap_thread *t)
{
	struct snap_thread *real = dp->cur;
	dp->cur = t;
	int r = dwfl_getthread_frames(dp->dwfl, t->tid, fallback_frame_cb, w);
	dp->cur = real;
	return r;
}

/* Back to where the walk was stuck (a trial resume overwrote the last frame's cfa). */
static void fallback_back32(struct fallback_walk *w, const struct fallback_walk *stuck,
			    uint64_t cfa)
{
	*w = *stuck;
	w->frames[w->n - 1].cfa = cfa;
}

/*
 * Frame 0 without CFI or a frame of its own yet (a prologue, a leaf): try
 * the first words at sp as its return address, keeping one only if libdwfl
 * then walks on from it to the outermost frame. Registers as at frame 0:
 * a prologue has not changed the callee-saved ones yet.
 */
static int fallback_leaf32(struct debug_proc *dp, struct fallback_walk *w,
			   const struct fallback_walk *stuck, uint64_t cfa, struct snap_thread *out)
{
	const struct snap_thread *t = dp->cur;
	for (uint64_t k = 0; k < 8; k++) {
		uint64_t addr = t->regs[STACK_REG_SP] + 4 * k, ret;
		if (debug_mem_read_word32(dp, addr, &ret) < 0)
			break;
		const struct debug_map *m = debug_proc_find_map(dp, ret);
		if (!m || !m->exec)
			continue;
		struct snap_thread cand = *t;
		cand.regs[STACK_REG_SP] = addr + 4;
		cand.regs[STACK_REG_PC] = ret;
		fallback_back32(w, stuck, cfa);
		w->resumed = true;
		int r = fallback_run32(dp, w, &cand);
		if (r != -1 && w->n >= 3) {
			*out = cand;
			return r;
		}
	}
	fallback_back32(w, stuck, cfa);
	return -1;
}

/*
 * An i386 thread: libdwfl, and where it stops, a frame-pointer step and
 * libdwfl again. At frame 0 ebp may still be the caller's (a prologue):
 * a return address found on the stack is tried too, and of the two the
 * walk that goes further is kept (a stale ebp skips frames).
 */
static size_t fallback_thread32(struct debug_proc *dp, struct stack_frame *frames, size_t max,
				const char **why)
{
	struct snap_thread tmp = *dp->cur;
	struct fallback_walk w = {.frames = frames, .max = max, .is32 = true};
	int r = fallback_run32(dp, &w, &tmp);
	while (r == -1 && w.n > 0 && w.n < max) {
		*why = dwfl_errmsg(-1);
		const struct fallback_walk stuck = w;
		uint64_t cfa = frames[w.n - 1].cfa;
		struct snap_thread step = tmp, leaf;
		bool have_step = fallback_fp_step32(dp, &stuck, &step);
		if (stuck.n == 1) {
			size_t n_step = 0;
			if (have_step) {
				w.resumed = true;
				if (fallback_run32(dp, &w, &step) != -1)
					n_step = w.n;
				fallback_back32(&w, &stuck, cfa);
			}
			r = fallback_leaf32(dp, &w, &stuck, cfa, &leaf);
			if (r != -1 && w.n > n_step) {
				tmp = leaf;
				continue;
			}
			fallback_back32(&w, &stuck, cfa);
		}
		if (!have_step)
			break;
		w.resumed = true;
		r = fallback_run32(dp, &w, &step);
		tmp = step;
	}
	if (r != -1)
		*why = NULL; /* the outermost frame, or the callback ended the walk */
	return w.n;
}

size_t fallback_thread(struct debug_proc *dp, struct stack_frame *frames, size_t max,
		       const char **why)
{
	*why = NULL;
	if (!dp->dwfl_state) {
		if (!dwfl_attach_state(dp->dwfl, NULL, dp->pid, &fallback_callbacks, dp)) {
			*why = dwfl_errmsg(-1);
			return 0;
		}
		dp->dwfl_state = true;
	}
	if (dp->is32)
		return fallback_thread32(dp, frames, max, why);
	struct fallback_walk w = {.frames = frames, .max = max};
	int r = dwfl_getthread_frames(dp->dwfl, dp->cur->tid, fallback_frame_cb, &w);
	if (r < 0 && w.n < 2)
		*why = dwfl_errmsg(-1);
	return w.n;
}

/* Frame pointers of an i386 program: [ebp] is the caller's ebp, [ebp + 4] the return address. */
static size_t fallback_fp_thread32(struct debug_proc *dp, struct stack_frame *frames, size_t max)
{
	const struct snap_thread *t = dp->cur;
	uint64_t fp = t->regs[6] & 0xffffffffu, sp = t->regs[STACK_REG_SP] & 0xffffffffu;
	memset(&frames[0], 0, sizeof(frames[0]));
	frames[0].pc = t->regs[STACK_REG_PC] & 0xffffffffu;
	frames[0].flags = STACK_FRAME_FALLBACK;
	size_t n = 1;
	while (n < max && fp > sp && (fp & 3) == 0) {
		uint64_t next_fp, ret;
		if (debug_mem_read_word32(dp, fp, &next_fp) < 0 ||
		    debug_mem_read_word32(dp, fp + 4, &ret) < 0 || ret == 0)
			break;
		struct stack_frame *f = &frames[n];
		memset(f, 0, sizeof(*f));
		f->pc = ret;
		f->flags = STACK_FRAME_FALLBACK;
		frames[n - 1].cfa = fp + 8;
		n++;
		if (next_fp <= fp)
			break;
		sp = fp;
		fp = next_fp;
	}
	return n;
}

size_t fallback_fp_thread(struct debug_proc *dp, struct stack_frame *frames, size_t max)
{
	if (max == 0)
		return 0;
	if (dp->is32)
		return fallback_fp_thread32(dp, frames, max);
	const struct snap_thread *t = dp->cur;
	uint64_t fp = t->regs[6], sp = t->regs[STACK_REG_SP];
	size_t n = 0;
	memset(&frames[0], 0, sizeof(frames[0]));
	frames[0].pc = t->regs[STACK_REG_PC];
	memcpy(frames[0].regs, t->regs, sizeof(t->regs));
	frames[0].regs_valid = (1u << STACK_NREGS) - 1;
	frames[0].flags = STACK_FRAME_FALLBACK;
	n = 1;
	while (n < max && fp > sp && (fp & 7) == 0) {
		uint64_t next_fp, ret;
		if (debug_mem_read_word(dp, fp, &next_fp) < 0 ||
		    debug_mem_read_word(dp, fp + 8, &ret) < 0)
			break;
		if (ret == 0)
			break;
		struct stack_frame *f = &frames[n];
		memset(f, 0, sizeof(*f));
		f->pc = ret;
		f->flags = STACK_FRAME_FALLBACK;
		f->regs[STACK_REG_PC] = ret;
		f->regs[STACK_REG_SP] = fp + 16;
		f->regs[6] = next_fp;
		f->reg_addr[6] = fp;
		f->regs_valid = (1u << STACK_REG_PC) | (1u << STACK_REG_SP) | (1u << 6);
		frames[n - 1].cfa = fp + 16;
		n++;
		if (next_fp <= fp)
			break;
		sp = fp;
		fp = next_fp;
	}
	return n;
}
