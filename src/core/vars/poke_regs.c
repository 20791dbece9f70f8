/*
 * poke_regs.c: write a variable that lives in a thread's live register.
 *
 * Only the one thread is held (attach.h, only_tid), for as long as it takes
 * to walk it again, check, write and read back. Between the walk that
 * showed the variable and this write the thread ran on: its value is
 * stale (a loop counter changes every microsecond), and the thread may be
 * in another call of a helper or back in the frame. So under the hold the
 * thread is walked again (stack_walk_held, warm: well under a millisecond),
 * the same activation found (same function and CFA, at whatever depth),
 * and the variable's location evaluated at the pc it has now. The write is
 * refused only if that activation has returned or the variable is no
 * longer live in that register there.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include <whytop/attach.h>
#include <whytop/target.h>

#include "core/stack/stack_int.h"
#include "core/vars/vars_int.h"
#include "core/vars/poke_regs.h"

/* Offsets in user_regs_struct of DWARF registers 0..16. */
static const size_t reg_offsets[STACK_NREGS] = {
    offsetof(struct user_regs_struct, rax), offsetof(struct user_regs_struct, rdx),
    offsetof(struct user_regs_struct, rcx), offsetof(struct user_regs_struct, rbx),
    offsetof(struct user_regs_struct, rsi), offsetof(struct user_regs_struct, rdi),
    offsetof(struct user_regs_struct, rbp), offsetof(struct user_regs_struct, rsp),
    offsetof(struct user_regs_struct, r8),  offsetof(struct user_regs_struct, r9),
    offsetof(struct user_regs_struct, r10), offsetof(struct user_regs_struct, r11),
    offsetof(struct user_regs_struct, r12), offsetof(struct user_regs_struct, r13),
    offsetof(struct user_regs_struct, r14), offsetof(struct user_regs_struct, r15),
    offsetof(struct user_regs_struct, rip),
};

static uint64_t *reg_slot(struct user_regs_struct *r, int reg)
{
	return (uint64_t *)((char *)r + reg_offsets[reg]);
}

/* Hold one thread; NULL with err set when it cannot be held. */
static struct attach_set *hold(pid_t pid, pid_t tid, struct user_regs_struct *regs,
			       struct wt_err *err)
{
	struct attach_opts ao = {.only_tid = tid, .fetch_regs = true};
	struct attach_set *as = NULL;
	struct attach_thread *th;

	if (attach_all(pid, &ao, &as, err) < 0)
		return NULL;
	th = attach_find(as, tid);
	if (!th || th->gone || th->stop == ATTACH_STOP_NONE) {
		attach_detach(as);
		wt_err_set(err, ESRCH,
			   "thread %d of process %d could not be stopped (it may have "
			   "exited)",
			   (int)tid, (int)pid);
		return NULL;
	}
	if (attach_get_regs(as, tid, regs, err) < 0) {
		attach_detach(as);
		return NULL;
	}
	return as;
}

/* Write the low size bytes of reg, keep the rest, and read back from the kernel. */
static int set_and_check(struct attach_set *as, pid_t tid, struct user_regs_struct *regs, int reg,
			 const unsigned char *bytes, size_t size, unsigned char *old,
			 unsigned char *back, struct wt_err *err)
{
	struct user_regs_struct now;
	uint64_t *slot = reg_slot(regs, reg), v = *slot;
	int r;

	if (old)
		memcpy(old, &v, size);
	memcpy(&v, bytes, size);
	*slot = v;
	if ((r = attach_set_regs(as, tid, regs, err)) < 0)
		return r;
	/* Read back what the kernel holds now, not a cached copy. */
	if (ptrace(PTRACE_GETREGS, tid, NULL, &now) < 0)
		return wt_err_set(err, errno, "cannot read back the registers of thread %d: %s",
				  (int)tid, strerror(errno));
	v = *reg_slot(&now, reg);
	memcpy(back, &v, size);
	return 0;
}

/* poke_regs_write on the target's thread. */
static int poke_regs_write_here(struct debug_proc *dp, const struct locals_frame *f,
				const char *path, int reg, const unsigned char *bytes, size_t size,
				unsigned char *old, unsigned char *back, struct wt_err *err)
{
	Dwfl *dwfl = debug_proc_dwfl(dp);
	struct user_regs_struct regs;
	struct attach_set *as;
	struct stack *st = NULL;
	struct locals_frame now;
	struct vars_loc_ctx c;
	struct vtype t;
	struct lval v;
	int r;

	if (reg < 0 || reg >= STACK_NREGS || size > 8)
		return wt_err_set(err, ENOTSUP, "cannot write register %s", vars_loc_reg_name(reg));
	if (!(as = hold(f->pid, f->tid, &regs, err)))
		return -(err && err->code ? err->code : ESRCH);
	/*
	 * The thread ran on since the walk: the variable's value is stale, and
	 * the thread may be in another call of a helper, or back in the frame
	 * itself. Walk it again as it is held now, find the same activation
	 * (function and CFA), and ask where the variable is at that pc.
	 */
	r = stack_walk_held(dp, as, &st, err);
	if (r == 0)
		r = locals_frame_again(dp, st, f, &now, err);
	if (r == 0 && (r = vars_loc_open(dwfl, &now, &c, false, err)) == 0) {
		r = vars_loc_resolve(&c, path, &t, &v, err);
		if (r == 0 && (v.kind != LV_REG || v.reg != reg || v.save_addr))
			r = wt_err_set(err, EAGAIN,
				       "the thread moved on: at pc 0x%" PRIx64
				       " (frame %d) the variable is no longer in register %s; "
				       "nothing was written; look again and retry",
				       now.frame.pc, now.index, vars_loc_reg_name(reg));
		/* Live in the register: the frame's value of it is the thread's. */
		else if (r == 0 && (!(now.frame.regs_valid & (1u << reg)) ||
				    now.frame.regs[reg] != *reg_slot(&regs, reg)))
			r = wt_err_set(err, EAGAIN,
				       "register %s of frame %d is not the thread's live "
				       "register %s any more; nothing was written; look again "
				       "and retry",
				       vars_loc_reg_name(reg), now.index, vars_loc_reg_name(reg));
		vars_loc_close(&c);
	}
	if (st)
		stack_free(st);
	if (r == 0)
		r = set_and_check(as, f->tid, &regs, reg, bytes, size, old, back, err);
	attach_detach(as);
	return r;
}

struct poke_regs_call {
	struct debug_proc *dp;
	const struct locals_frame *f;
	const char *path;
	int reg;
	const unsigned char *bytes;
	size_t size;
	unsigned char *old, *back;
	struct wt_err *err;
	int rc;
};

static void poke_regs_job(void *arg)
{
	struct poke_regs_call *c = arg;
	c->rc = poke_regs_write_here(c->dp, c->f, c->path, c->reg, c->bytes, c->size, c->old,
				     c->back, c->err);
}

int poke_regs_write(struct debug_proc *dp, const struct locals_frame *f, const char *path, int reg,
		    const unsigned char *bytes, size_t size, unsigned char *old,
		    unsigned char *back, struct wt_err *err)
{
	/* The hold is the target's to make: a job on its thread. */
	struct poke_regs_call c = {dp, f, path, reg, bytes, size, old, back, err, 0};
	int r = target_call(dp->target, poke_regs_job, &c);
	if (r < 0)
		return wt_err_set(err, -r, "cannot poke %d: its tracer thread has stopped",
				  (int)f->pid);
	return c.rc;
}
