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
 */
#include <errno.h>
#include <string.h>

#include "debug_int.h"

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
	for (size_t i = 0; dp->snap && i < dp->snap->nthreads; i++)
		if (dp->snap->threads[i].tid == tid && dp->snap->threads[i].ok) {
			*thread_argp = &dp->snap->threads[i];
			return true;
		}
	return false;
}

static bool fallback_memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *dwfl_arg)
{
	uint64_t v;
	if (debug_mem_read_word(dwfl_arg, addr, &v) < 0)
		return false;
	*result = v;
	return true;
}

static bool fallback_set_initial_registers(Dwfl_Thread *thread, void *thread_arg)
{
	const struct snap_thread *t = thread_arg;
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
	struct fallback_walk w = {frames, 0, max};
	int r = dwfl_getthread_frames(dp->dwfl, dp->cur->tid, fallback_frame_cb, &w);
	if (r < 0 && w.n < 2)
		*why = dwfl_errmsg(-1);
	return w.n;
}

size_t fallback_fp_thread(struct debug_proc *dp, struct stack_frame *frames, size_t max)
{
	const struct snap_thread *t = dp->cur;
	uint64_t fp = t->regs[6], sp = t->regs[STACK_REG_SP];
	size_t n = 0;
	if (max == 0)
		return 0;
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
