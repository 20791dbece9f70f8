/*
 * poke.c: change one variable of a live frame, then say whether it took.
 *
 * Memory (stack slots, statics, and the slots where outer frames saved a
 * register) is written through /proc/PID/mem: exactly the type's size, no
 * word rounding, and it succeeds on read-only pages where
 * process_vm_writev fails. A variable living in a register of frame 0 is
 * written through the thread's register set, with the thread stopped, and
 * only if, walked again under that stop, the frame is still there and at
 * its pc now the variable is still in that register (poke_regs.c). Every
 * write is read back; the old bytes are kept for undo.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/stack/stack_int.h"
#include "core/vars/vars_int.h"
#include "core/vars/poke_regs.h"

static int mem_write(int fd, uint64_t addr, const void *buf, size_t n)
{
	ssize_t w = pwrite(fd, buf, n, (off_t)addr);
	if (w < 0)
		return -errno;
	return (size_t)w == n ? 0 : -EFAULT;
}

static char *format_bytes(struct vars_loc_ctx *c, const struct vtype *t, const unsigned char *b,
			  size_t n)
{
	struct wt_buf out;
	wt_buf_init(&out);
	vars_value_format(c, t, b, n, &out, 0);
	return wt_buf_steal(&out);
}

void poke_result_free(struct poke_result *res)
{
	free(res->path);
	free(res->type);
	free(res->where);
	free(res->old_value);
	free(res->new_value);
	free(res->note);
	memset(res, 0, sizeof(*res));
}

/* Refuse a location that has no place to write, saying why. */
static int refuse(const char *esc, const struct lval *v, struct wt_err *err)
{
	switch (v->kind) {
	case LV_NONE:
		if (v->loc == LOCALS_LOC_OPTIMIZED_OUT)
			return wt_err_set(err, EROFS, "cannot poke %s: %s", esc, v->why);
		return wt_err_set(err, EROFS, "cannot poke %s here: %s", esc, v->why);
	case LV_BYTES:
		return wt_err_set(err, EROFS, "cannot poke %s: %s", esc, v->why);
	default:
		break;
	}
	if (v->bit_size)
		return wt_err_set(err, ENOTSUP,
				  "cannot poke %s: writing bit-fields is not supported", esc);
	if (v->kind == LV_REG && v->reg >= STACK_NREGS)
		return wt_err_set(err, ENOTSUP,
				  "cannot poke %s: it lives in %s, which whytop cannot "
				  "write",
				  esc, vars_loc_reg_name(v->reg));
	return 0;
}

/*
 * Resolve path in frame f and write: text parsed against the type, or (undo)
 * raw bytes that must go exactly where an earlier poke wrote (prev).
 */
static int poke_apply(struct debug_proc *dp, const struct locals_frame *f, const char *path,
		      const char *text, const struct poke_result *prev, struct poke_result *res,
		      struct wt_err *err)
{
	Dwfl *dwfl = debug_proc_dwfl(dp);
	struct vars_loc_ctx c;
	struct vtype t, st;
	struct lval v;
	unsigned char newb[16], oldb[16], back[16];
	size_t size = 0;
	char esc[300];
	struct wt_buf b;
	int r;

	memset(res, 0, sizeof(*res));
	wt_escape_to(esc, sizeof(esc), path, strlen(path), 0);
	if ((r = vars_loc_open(dwfl, f, &c, true, err)) < 0)
		return r;
	if ((r = vars_loc_resolve(&c, path, &t, &v, err)) < 0)
		goto out;
	if ((r = refuse(esc, &v, err)) < 0)
		goto out;
	if (text) {
		if ((r = vars_value_parse(&c, &t, text, newb, &size, err)) < 0)
			goto out;
	} else {
		/* Undo: the variable must still be where the poke wrote it. */
		uint64_t a = v.kind == LV_MEM ? v.addr : v.save_addr;
		bool same = prev->dest == POKE_DEST_MEMORY
				? (v.kind == LV_MEM || v.save_addr) && a == prev->addr
				: v.kind == LV_REG && !v.save_addr && v.reg == prev->reg;
		if (!same) {
			r = wt_err_set(err, ESTALE,
				       "cannot undo: %s is no longer where it was "
				       "written (%s)",
				       esc, prev->where ? prev->where : "?");
			goto out;
		}
		size = prev->size;
		memcpy(newb, prev->old_bytes, size);
	}
	st = t;
	vars_type_strip(&st);

	res->pid = f->pid;
	res->tid = f->tid;
	res->size = size;
	/* At a fixed address, reached through no pointer: its undo needs no frame. */
	res->global = v.kind == LV_MEM && v.loc == LOCALS_LOC_STATIC && !strstr(path, "->");
	if (v.kind == LV_MEM || (v.kind == LV_REG && v.save_addr)) {
		res->dest = POKE_DEST_MEMORY;
		res->addr = v.kind == LV_MEM ? v.addr : v.save_addr;
		/*
		 * /proc/PID/mem writes even into read-only pages: right for a
		 * static in a read-only section, never for a place computed from
		 * registers, which must be writable memory (stack, heap).
		 */
		if (vars_loc_maps_check(f->pid, res->addr, size,
					v.loc == LOCALS_LOC_STATIC ? "" : "w")) {
			r = wt_err_set(err, EFAULT,
				       "refusing to poke %s: 0x%" PRIx64
				       " is not writable memory of "
				       "process %d (the frame's registers may be wrong)",
				       esc, res->addr, (int)f->pid);
			goto out;
		}
		if ((r = vars_loc_mem_read(&c, res->addr, oldb, size)) < 0) {
			r = wt_err_set(err, -r, "cannot read %s at 0x%" PRIx64 ": %s", esc,
				       res->addr,
				       kill(f->pid, 0) ? "the process has exited" : strerror(-r));
			goto out;
		}
		if ((r = mem_write(c.memfd, res->addr, newb, size)) < 0 ||
		    (r = vars_loc_mem_read(&c, res->addr, back, size)) < 0) {
			r = wt_err_set(err, -r, "cannot write %s at 0x%" PRIx64 ": %s", esc,
				       res->addr,
				       kill(f->pid, 0) ? "the process has exited" : strerror(-r));
			goto out;
		}
	} else {
		res->dest = POKE_DEST_REGISTER;
		res->reg = v.reg;
		r = poke_regs_write(dp, f, path, v.reg, newb, size, oldb, back, err);
		if (r < 0)
			goto out;
	}
	memcpy(res->old_bytes, oldb, size);
	memcpy(res->new_bytes, newb, size);
	res->took = memcmp(back, newb, size) == 0;
	res->path = strdup(esc);
	wt_buf_init(&b);
	vars_type_name(&t, &b);
	res->type = wt_buf_steal(&b);
	{
		char w[128];
		if (res->dest == POKE_DEST_MEMORY && v.kind == LV_REG)
			snprintf(w, sizeof(w), "%s of frame %d, saved at 0x%" PRIx64,
				 vars_loc_reg_name(v.reg), f->index, res->addr);
		else if (res->dest == POKE_DEST_MEMORY)
			snprintf(w, sizeof(w), "%s 0x%" PRIx64, locals_loc_name(v.loc), res->addr);
		else
			snprintf(w, sizeof(w), "register %s of thread %d", vars_loc_reg_name(v.reg),
				 (int)f->tid);
		res->where = strdup(w);
	}
	res->old_value = format_bytes(&c, &st, oldb, size);
	res->new_value = format_bytes(&c, &st, back, size);
	if (v.copies[0]) {
		char n[600];
		snprintf(n, sizeof(n),
			 "optimized code: elsewhere in the function %s lives in %s; "
			 "a copy there may overwrite or ignore this write",
			 esc, v.copies);
		res->note = strdup(n);
	}
	r = 0;
out:
	vars_loc_close(&c);
	return r;
}

int poke_write(struct debug_proc *dp, const struct locals_frame *f, const char *path,
	       const char *text, struct poke_result *res, struct wt_err *err)
{
	return poke_apply(dp, f, path, text, NULL, res, err);
}

int poke_undo(struct debug_proc *dp, const struct locals_frame *f, struct poke_result *res,
	      struct wt_err *err)
{
	struct poke_result u;
	int r;

	if (!res->path)
		return wt_err_set(err, ENOENT, "nothing to undo");
	r = poke_apply(dp, f, res->path, NULL, res, &u, err);
	if (r < 0)
		return r;
	poke_result_free(res);
	*res = u;
	return 0;
}

const char *poke_outcome_text(enum poke_outcome o)
{
	switch (o) {
	case POKE_STILL_IN_FRAME:
		return "still in the same frame";
	case POKE_LEFT_FRAME:
		return "left the frame";
	case POKE_THREAD_GONE:
		return "exited";
	case POKE_STOPPED:
		return "stopped";
	}
	return "?";
}

int poke_watch(struct debug_proc *dp, const struct locals_frame *f, unsigned wait_ms,
	       enum poke_outcome *out, struct wt_err *err)
{
	uint64_t end = wt_now_ns() + (uint64_t)wait_ms * 1000000;
	struct stack_opts so = {.only_tid = f->tid};

	for (;;) {
		struct stack *st = NULL;
		struct wt_err e2;
		bool found = false;
		struct timespec ts = {0, 50 * 1000000};

		nanosleep(&ts, NULL);
		if (!vars_loc_thread_alive(f->pid, f->tid)) {
			*out = POKE_THREAD_GONE;
			return 0;
		}
		/* A stopped process cannot act on the value until it is continued. */
		if (vars_loc_thread_state(f->pid, f->tid) == 'T') {
			*out = POKE_STOPPED;
			return 0;
		}
		if (locals_walk(dp, &so, &st, &e2) < 0) {
			if (!vars_loc_thread_alive(f->pid, f->tid)) {
				*out = POKE_THREAD_GONE;
				return 0;
			}
			/* A process on its way out refuses the attach before its
			 * threads are gone: ask again until the watch is over. */
			if (wt_now_ns() < end)
				continue;
			return wt_err_set(err, e2.code, "%s", e2.msg);
		}
		/* The same activation: same CFA and pc in the same function. */
		for (size_t i = 0; st && i < st->nthreads && !found; i++) {
			const struct stack_thread *th = &st->threads[i];
			if (th->tid != f->tid)
				continue;
			for (size_t k = 0; k < th->nframes && !found; k++)
				found = th->frames[k].cfa == f->frame.cfa &&
					vars_loc_same_function(debug_proc_dwfl(dp),
							       th->frames[k].pc, f->frame.pc);
		}
		stack_free(st);
		if (!found) {
			*out = POKE_LEFT_FRAME;
			return 0;
		}
		if (wt_now_ns() >= end) {
			*out = POKE_STILL_IN_FRAME;
			return 0;
		}
	}
}
