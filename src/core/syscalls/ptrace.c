/*
 * ptrace.c: the ptrace counting backend, a mode of the process's target
 * (target.h): on the target's thread, the count mode is switched on (its
 * ptrace options: TRACESYSGOOD, TRACEEXEC, TRACECLONE) and every thread is
 * held once by attach_all, the one seize-all, which seizes each with those
 * options; let go from that hold, each resumes into PTRACE_SYSCALL. From
 * then on the target's loop hands every stop of a counted thread to this
 * file (the stop engine, tracer.c: account, then resume).
 *
 * Being a mode of the target, counting does not own the process: a stack
 * walk or a poke of the same process is a job of the same target, which
 * holds the counted threads a moment (their stops still counted) and lets
 * them count on.
 *
 * Several processes: one target (and one pt_state) each, summed when read.
 * -f: the count mode also takes TRACEFORK/TRACEVFORK and follows forks, as
 * launch mode does: a child is seized by the kernel at its birth and
 * counted like a thread of the process.
 *
 * Ending: the target interrupts every counted thread and detaches each at
 * whatever stop it reports first, handing a pending genuine signal back.
 * A thread in group-stop is detached from that stop and the kernel
 * leaves it stopped, so a stopped process stays stopped.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>

#include <whytop/attach.h>
#include <whytop/target.h>

#include "core/target/target_int.h"
#include "sc_internal.h"
#include "tracer.h"

struct pt_state {
	struct sc_session *s;
	pid_t pid; /* this target's process */
	struct target *target;
	struct target_mode mode;
	pthread_mutex_t lock; /* guards acc */
	struct sc_sample *acc;
	struct sc_tracer tr; /* the target's thread only */
	atomic_ullong stops;
	atomic_int live; /* tasks the tracer counts (children too, with -f) */
	int rc;
	struct wt_err err;
};

static void pt_stop(void *ctx, pid_t tid, int status)
{
	struct pt_state *st = ctx;
	sc_tracer_handle(&st->tr, tid, status);
	atomic_fetch_add_explicit(&st->stops, 1, memory_order_relaxed);
	atomic_store(&st->live, (int)st->tr.live);
}

static void pt_held(void *ctx, pid_t tid, int status)
{
	struct pt_state *st = ctx;
	sc_tracer_account(&st->tr, tid, status);
	atomic_fetch_add_explicit(&st->stops, 1, memory_order_relaxed);
	atomic_store(&st->live, (int)st->tr.live);
}

static void pt_resume(void *ctx, pid_t tid, const struct target_stop *ts)
{
	struct pt_state *st = ctx;
	sc_tracer_resume(&st->tr, tid, ts);
}

static void pt_gone(void *ctx, pid_t tid)
{
	struct pt_state *st = ctx;
	sc_tracer_remove(&st->tr, tid);
	atomic_store(&st->live, (int)st->tr.live);
}

/* On the target's thread: count mode on, then every thread held once and let go into it. */
static void pt_begin_job(void *arg)
{
	struct pt_state *st = arg;
	struct target *t = st->target;
	if ((st->rc = target_begin_mode(t, &st->mode, st, &st->err)) < 0)
		return;
	struct attach_opts ao = {.only_tid = st->s->opts.tid};
	struct attach_set *as;
	int r = attach_all(st->pid, &ao, &as, &st->err);
	if (r == -ETIMEDOUT || r == -EAGAIN) {
		/* Threads asleep in D are seized: each counts from its first stop. */
		wt_err_clear(&st->err);
		r = 0;
	} else if (r == 0) {
		attach_detach(as);
	}
	if (r < 0)
		target_end_mode(t, 3000000000ull);
	st->rc = r;
}

static void pt_end_job(void *arg)
{
	struct pt_state *st = arg;
	target_end_mode(st->target, 3000000000ull);
}

/* The session's processes, one target each. */
struct pt_group {
	size_t n;
	struct pt_state *st[];
};

static int pt_read(struct sc_session *s, struct sc_sample *out, struct wt_err *err)
{
	(void)err;
	struct pt_group *g = s->priv;
	memset(out->slot, 0, sizeof(out->slot));
	out->overhead_runs = 0;
	for (size_t i = 0; i < g->n; i++) {
		struct pt_state *st = g->st[i];
		pthread_mutex_lock(&st->lock);
		for (unsigned k = 0; k < SC_SLOTS; k++) {
			const struct sc_raw *a = &st->acc->slot[k];
			struct sc_raw *r = &out->slot[k];
			if (!a->calls && !a->timed)
				continue;
			r->calls += a->calls;
			r->errors += a->errors;
			r->timed += a->timed;
			r->time_ns += a->time_ns;
			for (int e = 0; e < SC_ERRNO_TOP; e++)
				if (a->errno_calls[e])
					sc_raw_add_errno(r, a->errnos[e], a->errno_calls[e]);
		}
		pthread_mutex_unlock(&st->lock);
		out->overhead_runs += atomic_load(&st->stops);
	}
	out->lost = 0;
	out->overhead_ns = 0;
	return 0;
}

/* -f: a task is still counted (a child, when the given processes have ended). */
static int pt_alive(const struct sc_session *s)
{
	struct pt_group *g = s->priv;
	for (size_t i = 0; i < g->n; i++)
		if (atomic_load(&g->st[i]->live) > 0)
			return 1;
	return 0;
}

static void pt_cost(const struct sc_session *s, const struct sc_sample *now, char *buf, size_t size)
{
	(void)s;
	snprintf(buf, size, "target slowed: it stops twice per syscall (%llu stops so far)",
		 now ? (unsigned long long)now->overhead_runs : 0ull);
}

static void pt_free(struct pt_state *st)
{
	target_put(st->target);
	sc_tracer_fini(&st->tr);
	sc_sample_free(st->acc);
	pthread_mutex_destroy(&st->lock);
	free(st);
}

static void pt_group_close(struct pt_group *g)
{
	for (size_t i = 0; i < g->n; i++) {
		target_call(g->st[i]->target, pt_end_job, g->st[i]);
		pt_free(g->st[i]);
	}
	free(g);
}

static void pt_close(struct sc_session *s)
{
	pt_group_close(s->priv);
	s->priv = NULL;
}

static const struct sc_backend_ops pt_ops = {
    .name = "ptrace",
    .read = pt_read,
    .cost = pt_cost,
    .alive = pt_alive,
    .close = pt_close,
};

/* Count process pid: its target in count mode. */
static int pt_open_one(struct sc_session *s, pid_t pid, struct pt_state **out, struct wt_err *err)
{
	struct pt_state *st = calloc(1, sizeof(*st));
	if (!st || !(st->acc = sc_sample_new())) {
		free(st);
		return wt_err_set(err, ENOMEM, "out of memory");
	}
	st->s = s;
	st->pid = pid;
	pthread_mutex_init(&st->lock, NULL);
	sc_tracer_init(&st->tr, st->acc, &st->lock, 0);
	st->tr.only_tid = s->opts.tid;
	/* -f: children are counted as the process's own tasks */
	st->tr.tgid = s->opts.follow ? 0 : pid;
	st->tr.set = s->set;
	/* TRACEEXEC: a thread that execs takes the leader's tid; we are told */
	st->mode = (struct target_mode){
	    .doing = "counting its syscalls",
	    .options = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC |
		       (s->opts.tid ? 0 : PTRACE_O_TRACECLONE) |
		       (s->opts.follow ? PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK : 0),
	    .follow_forks = s->opts.follow != 0,
	    .stop = pt_stop,
	    .held = pt_held,
	    .resume = pt_resume,
	    .gone = pt_gone,
	};
	int r = target_get(pid, &st->target, err);
	if (r < 0) {
		sc_sample_free(st->acc);
		pthread_mutex_destroy(&st->lock);
		free(st);
		return r;
	}
	wt_err_clear(&st->err);
	r = target_call(st->target, pt_begin_job, st);
	if (r < 0 || st->rc < 0) {
		if (r < 0)
			wt_err_set(err, -r, "the tracer thread of %d has stopped", (int)pid);
		else if (err)
			*err = st->err;
		r = r < 0 ? r : st->rc;
		pt_free(st);
		return r;
	}
	*out = st;
	return 0;
}

int sc_ptrace_open(struct sc_session *s, struct wt_err *err)
{
	struct pt_group *g = calloc(1, sizeof(*g) + s->npids * sizeof(g->st[0]));
	if (!g)
		return wt_err_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < s->npids; i++) {
		int r = pt_open_one(s, s->pids[i], &g->st[i], err);
		if (r < 0) {
			pt_group_close(g);
			return r;
		}
		g->n++;
	}
	s->priv = g;
	s->ops = &pt_ops;
	return 0;
}
