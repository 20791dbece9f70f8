/*
 * poke_regs.h: writing a variable that lives in a live register of a
 * thread (frame 0, or an outer frame whose callees never saved it).
 */
#ifndef WHYTOP_POKE_REGS_H
#define WHYTOP_POKE_REGS_H

#include <stddef.h>
#include <sys/types.h>

#include <elfutils/libdwfl.h>

#include <whytop/locals.h>
#include <whytop/stack.h>
#include <whytop/util.h>

/*
 * Stop thread f->tid, walk it again and find f's activation, check that
 * the variable at path is live in register reg at the pc the thread now
 * has, write size bytes (the rest of the register is kept), read back, and
 * let the thread go. old and back get the bytes before and after.
 */
int poke_regs_write(struct debug_proc *dp, const struct locals_frame *f, const char *path, int reg,
		    const unsigned char *bytes, size_t size, unsigned char *old,
		    unsigned char *back, struct wt_err *err);

#endif
