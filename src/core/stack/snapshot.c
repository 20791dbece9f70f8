/*
 * snapshot.c: what is copied while the target is held, and nothing more:
 * each thread's registers and the live part of its stack (from just below
 * the stack pointer, the red zone, to the end of its stack mapping, capped).
 * An i386 program's registers come in the same x86_64 slots, cut to 32 bits.
 * All windows are read with one process_vm_readv, because the threads share
 * one address space. The unwinders then work on this copy after detach.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "core/stack/stack_int.h"

#define SNAP_RED_ZONE 128

/*
 * PTRACE_GETREGS answers a 64-bit tracer in the x86_64 layout even for an
 * i386 (compat) task: eax in rax and so on, sign-extended in places (rax
 * after a syscall). Such a thread's values are cut to 32 bits.
 */
static void snap_regs_from_user(struct snap_thread *t, const struct user_regs_struct *u, bool is32)
{
	uint64_t *r = t->regs;
	/* DWARF order on x86_64: rax rdx rcx rbx rsi rdi rbp rsp r8..r15 rip */
	r[0] = u->rax;
	r[1] = u->rdx;
	r[2] = u->rcx;
	r[3] = u->rbx;
	r[4] = u->rsi;
	r[5] = u->rdi;
	r[6] = u->rbp;
	r[7] = u->rsp;
	r[8] = u->r8;
	r[9] = u->r9;
	r[10] = u->r10;
	r[11] = u->r11;
	r[12] = u->r12;
	r[13] = u->r13;
	r[14] = u->r14;
	r[15] = u->r15;
	r[16] = u->rip;
	t->orig_ax = u->orig_rax;
	t->is32 = is32;
	if (is32)
		for (int i = 0; i < STACK_NREGS; i++)
			r[i] &= 0xffffffffu;
}

/* Choose [lo, hi) to copy for a thread whose stack pointer is sp. */
static bool snap_window(const struct debug_proc *dp, uint64_t sp, size_t window_max, uint64_t *lo,
			uint64_t *hi, bool *truncated)
{
	const struct debug_map *m = debug_proc_find_map(dp, sp);
	if (!m || !m->readable)
		return false;
	*lo = sp - SNAP_RED_ZONE >= m->start ? (sp - SNAP_RED_ZONE) & ~7ull : m->start;
	*hi = m->end;
	*truncated = false;
	if (*hi - *lo > window_max) {
		*hi = *lo + window_max;
		*truncated = true;
	}
	return true;
}

int snap_take(struct debug_proc *dp, struct attach_set *as, size_t window_max, struct snap **out)
{
	struct snap *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->pid = as->pid;
	s->threads = calloc(as->nthreads ? as->nthreads : 1, sizeof(*s->threads));
	if (!s->threads) {
		free(s);
		return -ENOMEM;
	}
	struct iovec *local = calloc(as->nthreads + 1, sizeof(*local));
	struct iovec *remote = calloc(as->nthreads + 1, sizeof(*remote));
	if (!local || !remote) {
		free(local);
		free(remote);
		snap_free(s);
		return -ENOMEM;
	}
	bool maps_reread = false;
	size_t niov = 0;
	for (size_t i = 0; i < as->nthreads; i++) {
		struct attach_thread *at = &as->threads[i];
		struct snap_thread *t = &s->threads[s->nthreads++];
		t->tid = at->tid;
		t->state = at->state;
		if (at->gone) {
			t->error = "the thread exited during the walk";
			continue;
		}
		if (at->stop == ATTACH_STOP_NONE) {
			t->error = "the thread did not stop in time (uninterruptible sleep in the "
				   "kernel?); see its kernel stack";
			continue;
		}
		struct user_regs_struct u;
		if (attach_get_regs(as, at->tid, &u, NULL) < 0) {
			t->error = "its registers could not be read";
			continue;
		}
		snap_regs_from_user(t, &u, dp->is32);
		t->ok = true;
		uint64_t lo, hi;
		bool trunc;
		uint64_t sp = t->regs[STACK_REG_SP];
		if (!snap_window(dp, sp, window_max, &lo, &hi, &trunc) && !maps_reread) {
			/* A thread started after the map was read: its stack is new. */
			bool changed;
			maps_reread = true;
			debug_proc_read_maps(dp, &changed);
		}
		if (!snap_window(dp, sp, window_max, &lo, &hi, &trunc))
			continue; /* stack not in any mapping: unwinders read live memory */
		t->win = malloc(hi - lo);
		if (!t->win)
			continue;
		t->win_lo = lo;
		t->win_len = hi - lo;
		t->win_truncated = trunc;
		local[niov] = (struct iovec){t->win, t->win_len};
		remote[niov] = (struct iovec){(void *)(uintptr_t)lo, t->win_len};
		niov++;
	}
	size_t total = 0;
	for (size_t i = 0; i < niov; i++)
		total += local[i].iov_len;
	ssize_t n = niov ? process_vm_readv(as->pid, local, niov, remote, niov, 0) : 0;
	if (niov && n != (ssize_t)total) {
		/* One window failed (a stack unmapped meanwhile?): read them one by one. */
		for (size_t i = 0; i < s->nthreads; i++) {
			struct snap_thread *t = &s->threads[i];
			if (!t->win)
				continue;
			ssize_t m = attach_read_mem(as->pid, t->win_lo, t->win, t->win_len);
			if (m < 0)
				m = 0;
			t->win_len = (size_t)m;
		}
	}
	free(local);
	free(remote);
	*out = s;
	return 0;
}

/* A new, empty snapshot for rolling copies (snap_copy_one). */
struct snap *snap_new(pid_t pid)
{
	struct snap *s = calloc(1, sizeof(*s));
	if (s)
		s->pid = pid;
	return s;
}

static struct snap_thread *snap_add(struct snap *s, pid_t tid)
{
	if (s->nthreads == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		void *p = realloc(s->threads, cap * sizeof(*s->threads));
		if (!p)
			return NULL;
		s->threads = p;
		s->cap = cap;
	}
	struct snap_thread *t = &s->threads[s->nthreads++];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	return t;
}

int snap_copy_one(struct debug_proc *dp, struct attach_set *as, struct attach_thread *at,
		  size_t window_max, struct snap *s)
{
	struct snap_thread *t = snap_add(s, at->tid);
	if (!t)
		return -ENOMEM;
	t->state = at->state;
	struct user_regs_struct u;
	if (attach_get_regs(as, at->tid, &u, NULL) < 0) {
		t->error = "its registers could not be read";
		return 0;
	}
	snap_regs_from_user(t, &u, dp->is32);
	t->ok = true;
	uint64_t lo, hi;
	bool trunc;
	if (!snap_window(dp, t->regs[STACK_REG_SP], window_max, &lo, &hi, &trunc)) {
		bool changed;
		debug_proc_read_maps(dp, &changed);
		if (!snap_window(dp, t->regs[STACK_REG_SP], window_max, &lo, &hi, &trunc))
			return 0;
	}
	t->win = malloc(hi - lo);
	if (!t->win)
		return 0;
	ssize_t n = attach_read_mem(as->pid, lo, t->win, hi - lo);
	t->win_lo = lo;
	t->win_len = n > 0 ? (size_t)n : 0;
	t->win_truncated = trunc;
	return 0;
}

/* Threads the rolling copy did not see (gone, not stopped) get their reason. */
int snap_add_missing(struct snap *s, struct attach_set *as)
{
	for (size_t i = 0; i < as->nthreads; i++) {
		struct attach_thread *at = &as->threads[i];
		bool seen = false;
		for (size_t j = 0; j < s->nthreads && !seen; j++)
			seen = s->threads[j].tid == at->tid;
		if (seen)
			continue;
		struct snap_thread *t = snap_add(s, at->tid);
		if (!t)
			return -ENOMEM;
		t->state = at->state;
		t->error = at->gone
			       ? "the thread exited during the walk"
			       : "the thread did not stop in time (uninterruptible sleep in the "
				 "kernel?); see its kernel stack";
	}
	return 0;
}

struct snap *snap_from_regs(struct debug_proc *dp, pid_t tid, const struct user_regs_struct *u,
			    uint64_t win_lo, uint8_t *win, size_t win_len, bool win_truncated)
{
	struct snap *s = snap_new(dp->pid);
	struct snap_thread *t = s ? snap_add(s, tid) : NULL;
	if (!t) {
		free(win);
		snap_free(s);
		return NULL;
	}
	t->state = 't';
	t->name = strdup(""); /* not read from /proc: the caller knows whose it is */
	snap_regs_from_user(t, u, dp->is32);
	t->ok = true;
	t->win = win;
	t->win_lo = win_lo;
	t->win_len = win ? win_len : 0;
	t->win_truncated = win_truncated;
	return s;
}

void snap_free(struct snap *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nthreads; i++) {
		free(s->threads[i].win);
		free(s->threads[i].name);
		free(s->threads[i].early);
		free(s->threads[i].early_error);
		free(s->threads[i].early_name);
	}
	free(s->threads);
	free(s);
}
