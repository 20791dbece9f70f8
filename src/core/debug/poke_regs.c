/*
 * poke_regs.c: write a variable that lives in a thread's live register.
 *
 * Only the one thread is held (attach.h, only_tid), for as long as it takes
 * to read its registers, check, write and read back. A register is only
 * meaningful where the compiler said so: between the walk that showed the
 * variable and this write the thread ran on, so for frame 0 the location is
 * evaluated again at the pc where the thread now stopped, and the write is
 * refused if the variable moved. For an outer frame whose callees never
 * saved the register, the register must still hold what the walk saw.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include <whytop/attach.h>

#include "locals_int.h"
#include "poke_regs.h"

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

int poke_regs_write(Dwfl *dwfl, const struct locals_frame *f, const char *path, int reg,
		    const unsigned char *bytes, size_t size, unsigned char *old,
		    unsigned char *back, struct wt_err *err)
{
	struct user_regs_struct regs;
	struct attach_set *as;
	int r;

	if (reg < 0 || reg >= STACK_NREGS || size > 8)
		return wt_err_set(err, ENOTSUP, "cannot write register %s", lx_reg_name(reg));
	if (!(as = hold(f->pid, f->tid, &regs, err)))
		return -(err && err->code ? err->code : ESRCH);
	if (f->pc_exact && f->index == f->inline_level) {
		/* Frame 0 (or inlined into it): where is the variable at the pc it stopped at? */
		struct locals_frame now = *f;
		struct lx_ctx c;
		struct vtype t;
		struct lval v;
		now.frame.pc = regs.rip;
		now.frame.cfa = 0;
		now.frame.regs_valid = (1u << STACK_NREGS) - 1;
		for (int i = 0; i < STACK_NREGS; i++)
			now.frame.regs[i] = *reg_slot(&regs, i);
		r = lx_open(dwfl, &now, &c, false, err);
		if (r == 0) {
			r = lx_resolve(&c, path, &t, &v, err);
			if (r == 0 && (v.kind != LV_REG || v.reg != reg))
				r = wt_err_set(
				    err, EAGAIN,
				    "the thread moved on: at pc 0x%llx the variable is no "
				    "longer in %s; look again and retry",
				    (unsigned long long)regs.rip, lx_reg_name(reg));
			lx_close(&c);
		}
	} else if (*reg_slot(&regs, reg) != f->frame.regs[reg]) {
		r = wt_err_set(
		    err, EAGAIN,
		    "register %s changed since the stack was read (the thread moved on); "
		    "look again and retry",
		    lx_reg_name(reg));
	} else {
		r = 0;
	}
	if (r == 0)
		r = set_and_check(as, f->tid, &regs, reg, bytes, size, old, back, err);
	attach_detach(as);
	return r;
}
