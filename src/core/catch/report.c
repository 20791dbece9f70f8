/*
 * report.c: the crash report of a caught fatal signal: the signal and its
 * code in the decoder's words (strace's siginfo, trace_event_text), the
 * fault address against /proc/PID/maps (addr.c), every thread's stack
 * (the crashing thread, kept in its stop by the catch mode, is taken as
 * stopped by the walk's hold; the others are interrupted and stay
 * stopped), and the locals of the crashing thread's innermost frame with
 * debug info.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/catch.h>
#include <whytop/decode.h>
#include <whytop/locals.h>
#include <whytop/stack.h>
#include <whytop/trace.h>

#include "catch_int.h"

#define CATCH_MAX_FRAMES 8192

/* The si_code name out of the decoder's text: "..., si_code=SEGV_MAPERR, ...". */
static void catch_code_name(const char *text, char *out, size_t size)
{
	const char *p = text ? strstr(text, "si_code=") : NULL;
	out[0] = '\0';
	if (!p)
		return;
	p += 8;
	size_t n = strcspn(p, ",}");
	if (n >= size)
		n = size - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

static uint64_t catch_mmap_min_addr(void)
{
	char buf[64];
	ssize_t n = wt_read_at(AT_FDCWD, "/proc/sys/vm/mmap_min_addr", buf, sizeof(buf) - 1);
	if (n <= 0)
		return 4096;
	buf[n] = '\0';
	unsigned long long v = strtoull(buf, NULL, 10);
	return v ? v : 4096;
}

void catch_report_free(struct catch_report *r)
{
	if (!r)
		return;
	free(r->siginfo_text);
	stack_free(r->stack);
	locals_free(r->locals);
	free(r->locals_error);
	free(r->stack_error);
	free(r);
}

/* Frames of frame 0's function in the crashing thread: the recursion seen. */
static void catch_recursion(struct catch_report *r, const struct stack_thread *th)
{
	if (!th->nframes || !th->frames[0].function)
		return;
	for (size_t i = 0; i < th->nframes; i++)
		if (th->frames[i].function &&
		    strcmp(th->frames[i].function, th->frames[0].function) == 0)
			r->recursion++;
	r->walk_truncated = th->nframes >= CATCH_MAX_FRAMES || th->error != NULL;
}

static bool catch_locals_any(const struct locals *l)
{
	for (size_t i = 0; l && i < l->nvars; i++)
		if (l->vars[i].value)
			return true;
	return false;
}

int catch_report(struct catch *c, const struct catch_event *ev, struct catch_report **out,
		 struct wt_err *err)
{
	*out = NULL;
	struct catch_report *r = calloc(1, sizeof(*r));
	if (!r)
		return wt_err_set(err, ENOMEM, "out of memory");
	r->pid = c->pid;
	r->tid = ev->tid;
	r->si = ev->si;
	const char *name = sysdecode_signal_name(ev->si.si_signo);
	snprintf(r->signame, sizeof(r->signame), "%s", name ? name : "?");
	struct trace_rec rec;
	memset(&rec, 0, sizeof(rec));
	rec.kind = TRACE_SIGNAL;
	rec.si = ev->si;
	struct wt_buf b;
	wt_buf_init(&b);
	trace_event_text(&b, &rec);
	r->siginfo_text = wt_buf_steal(&b);
	catch_code_name(r->siginfo_text, r->code, sizeof(r->code));

	/* Every thread's stack; the crashing thread is already stopped. */
	struct debug_proc *dp = NULL;
	struct wt_err e2;
	wt_err_clear(&e2);
	int rc = debug_proc_open(c->pid, &dp, &e2);
	if (rc == 0) {
		struct stack_opts so = {.max_frames = CATCH_MAX_FRAMES, .consistent = true};
		rc = stack_walk(dp, &so, &r->stack, &e2);
	}
	if (rc < 0) {
		r->stack_error = strdup(e2.msg);
	} else {
		for (size_t i = 0; i < r->stack->nthreads; i++) {
			const struct stack_thread *th = &r->stack->threads[i];
			if (th->tid != ev->tid)
				continue;
			r->crash_thread = i;
			if (th->nframes) {
				r->pc_frame = &th->frames[0];
				r->pc = th->frames[0].pc;
			}
			catch_recursion(r, th);
		}
		struct locals_frame f;
		wt_err_clear(&e2);
		rc = locals_pick_frame(dp, r->stack, ev->tid, -1, NULL, NULL, &f, &e2);
		if (rc == 0) {
			struct locals_opts lo = {.no_globals = true};
			rc = locals_read(dp, &f, &lo, &r->locals, &e2);
			/*
			 * A frame that faulted while it was being set up (a stack
			 * overflow) has its variables in the unmapped guard: none
			 * has a value. Its caller's have.
			 */
			struct locals_frame f2;
			struct wt_err e3;
			if (rc == 0 && !catch_locals_any(r->locals) &&
			    locals_pick_frame(dp, r->stack, ev->tid, f.index + 1, NULL, NULL, &f2,
					      &e3) == 0) {
				struct locals *l2 = NULL;
				if (locals_read(dp, &f2, &lo, &l2, &e3) == 0 &&
				    catch_locals_any(l2)) {
					locals_free(r->locals);
					r->locals = l2;
				} else {
					locals_free(l2);
				}
			}
		}
		if (rc < 0)
			r->locals_error = strdup(e2.msg);
	}

	/* The fault address, against the maps of now (the process is stopped). */
	uint64_t sp = 0;
	if (r->pc_frame && (r->pc_frame->regs_valid & (1u << STACK_REG_SP)))
		sp = r->pc_frame->regs[STACK_REG_SP];
	char path[64], *maps = NULL;
	size_t len = 0;
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)c->pid);
	if (wt_read_all_at(AT_FDCWD, path, &maps, &len) < 0)
		maps = NULL;
	catch_addr_classify(maps ? maps : "", maps ? len : 0, ev->si.si_signo, ev->si.si_code,
			    (uint64_t)(uintptr_t)ev->si.si_addr, r->pc, sp, catch_mmap_min_addr(),
			    &r->addr);
	free(maps);
	catch_addr_text(&r->addr, r->addr_text, sizeof(r->addr_text));
	if (dp)
		debug_proc_close(dp);
	*out = r;
	return 0;
}
