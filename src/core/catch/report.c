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
#include <inttypes.h>
#include <string.h>
#include <sys/wait.h>

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

static bool catch_locals_all(const struct locals *l)
{
	for (size_t i = 0; l && i < l->nvars; i++)
		if (!l->vars[i].value)
			return false;
	return true;
}

static bool catch_locals_any(const struct locals *l)
{
	for (size_t i = 0; l && i < l->nvars; i++)
		if (l->vars[i].value)
			return true;
	return false;
}

/* The fault address, against the maps of now (the process is stopped). */
static void catch_classify(struct catch *c, const struct catch_event *ev, struct catch_report *r)
{
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
		catch_classify(c, ev, r);
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
		catch_classify(c, ev, r);
		struct locals_frame f;
		wt_err_clear(&e2);
		rc = locals_pick_frame(dp, r->stack, ev->tid, -1, NULL, NULL, &f, &e2);
		if (rc == 0) {
			struct locals_opts lo = {.no_globals = true};
			rc = locals_read(dp, &f, &lo, &r->locals, &e2);
			/*
			 * A frame that faulted while it was being set up (a stack
			 * overflow) has its variables in the unmapped guard: some
			 * or all have no value, depending on where the guard's
			 * edge falls in the frame. Its caller's have.
			 */
			struct locals_frame f2;
			struct wt_err e3;
			bool overflow = r->addr.kind == CATCH_ADDR_STACK_GUARD;
			if (rc == 0 &&
			    (overflow ? !catch_locals_all(r->locals) : !catch_locals_any(r->locals)) &&
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

	if (dp)
		debug_proc_close(dp);
	*out = r;
	return 0;
}

/* ---- the report as text (whytop catch, the TUI) ---- */

static void catch_frame_text(struct wt_buf *b, size_t n, const struct stack_frame *fr)
{
	wt_buf_printf(b, "  #%-3zu 0x%016" PRIx64 " ", n, fr->pc);
	if (fr->function)
		wt_buf_printf(b, "%s+0x%" PRIx64, fr->function, fr->offset);
	else
		wt_buf_printf(b, "??");
	wt_buf_printf(b, " (%s)", fr->module ? fr->module : "?");
	if (fr->file)
		wt_buf_printf(b, " at %s:%d", fr->file, fr->line);
	if (fr->flags & STACK_FRAME_INLINE)
		wt_buf_printf(b, " [inline]");
	if (fr->flags & STACK_FRAME_SIGNAL)
		wt_buf_printf(b, " [signal]");
	wt_buf_puts(b, "\n");
}

/* A deep recursion prints its first and last frames only. */
#define CATCH_HEAD_FRAMES 24
#define CATCH_TAIL_FRAMES 8

static void catch_thread_text(struct wt_buf *b, const struct stack_thread *t, bool crashed)
{
	wt_buf_printf(b, "\nthread %d \"%s\"%s\n", (int)t->tid, t->name ? t->name : "?",
		      crashed ? " (crashed)" : "");
	for (size_t j = 0; j < t->nframes; j++) {
		if (t->nframes > CATCH_HEAD_FRAMES + CATCH_TAIL_FRAMES && j == CATCH_HEAD_FRAMES) {
			size_t skip = t->nframes - CATCH_HEAD_FRAMES - CATCH_TAIL_FRAMES;
			wt_buf_printf(b, "  ... %zu frames more ...\n", skip);
			j += skip - 1;
			continue;
		}
		catch_frame_text(b, j, &t->frames[j]);
	}
	if (t->error)
		wt_buf_printf(b, "  (%s)\n", t->error);
}

static void catch_locals_text(struct wt_buf *b, const struct catch_report *r)
{
	const struct locals *l = r->locals;
	if (!l) {
		wt_buf_printf(b, "\nlocals: %s\n", r->locals_error ? r->locals_error : "none");
		return;
	}
	wt_buf_printf(b, "\nlocals of frame %d, %s", l->frame, l->function ? l->function : "??");
	if (l->file)
		wt_buf_printf(b, " at %s:%d", l->file, l->line);
	wt_buf_printf(b, ":\n");
	for (size_t i = 0; i < l->nvars; i++) {
		const struct locals_var *v = &l->vars[i];
		wt_buf_printf(b, "%*s%s = ", 2 + 2 * v->depth, "", v->path);
		if (v->value)
			wt_buf_printf(b, "%s", v->value);
		else
			wt_buf_printf(b, "<%s>", locals_loc_name(v->loc));
		wt_buf_printf(b, "\t%s; %s\n", v->type, locals_scope_name(v->scope));
	}
}

void catch_report_text(const struct catch_report *r, struct wt_buf *b)
{
	wt_buf_printf(b, "crash: process %d, thread %d: %s (%s)\n", (int)r->pid, (int)r->tid,
		      r->signame, r->code[0] ? r->code : "?");
	wt_buf_printf(b, "%s\n", r->siginfo_text ? r->siginfo_text : "");
	wt_buf_printf(b, "address: %s\n", r->addr_text);
	const struct stack_frame *pf = r->pc_frame;
	if (pf) {
		wt_buf_printf(b, "at: 0x%" PRIx64 " in %s+0x%" PRIx64 " (%s)", r->pc,
			      pf->function ? pf->function : "??", pf->offset,
			      pf->module ? pf->module : "?");
		if (pf->file)
			wt_buf_printf(b, " at %s:%d", pf->file, pf->line);
		wt_buf_puts(b, "\n");
	}
	if (r->addr.kind == CATCH_ADDR_STACK_GUARD && pf && pf->function)
		wt_buf_printf(b, "stack overflow: %s%zu frames of %s seen in the walk%s\n",
			      r->walk_truncated ? "at least " : "", r->recursion, pf->function,
			      r->walk_truncated ? " (it stopped before the outermost frame)" : "");
	if (r->stack_error)
		wt_buf_printf(b, "\nstacks: %s\n", r->stack_error);
	if (r->stack)
		catch_thread_text(b, &r->stack->threads[r->crash_thread], true);
	catch_locals_text(b, r);
	if (r->stack && r->stack->nthreads > 1) {
		wt_buf_printf(b, "\nother threads:\n");
		for (size_t i = 0; i < r->stack->nthreads; i++)
			if (i != r->crash_thread)
				catch_thread_text(b, &r->stack->threads[i], false);
	}
}

/* "killed by SIGSEGV (core dumped)", "exited with status 3". */
void catch_status_words(int status, char *buf, size_t size)
{
	if (WIFSIGNALED(status)) {
		const char *n = sysdecode_signal_name(WTERMSIG(status));
		char num[16];
		snprintf(num, sizeof(num), "signal %d", WTERMSIG(status));
		snprintf(buf, size, "killed by %s%s", n ? n : num,
			 WCOREDUMP(status) ? " (core dumped)" : "");
	} else {
		snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
	}
}

void catch_event_text(const struct catch_event *ev, struct wt_buf *b)
{
	struct trace_rec rec;
	memset(&rec, 0, sizeof(rec));
	rec.kind = TRACE_SIGNAL;
	rec.si = ev->si;
	wt_buf_printf(b, "[pid %d] ", (int)ev->tid);
	trace_event_text(b, &rec);
	wt_buf_puts(b, " handled");
}
