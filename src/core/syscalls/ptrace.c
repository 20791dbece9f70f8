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
	struct target *target;
	struct target_mode mode;
	pthread_mutex_t lock; /* guards acc */
	struct sc_sample *acc;
	struct sc_tracer tr; /* the target's thread only */
	atomic_ullong stops;
	int rc;
	struct wt_err err;
};

static void pt_stop(void *ctx, pid_t tid, int status)
{
	struct pt_state *st = ctx;
	sc_tracer_handle(&st->tr, tid, status);
	atomic_fetch_add_explicit(&st->stops, 1, memory_order_relaxed);
}

static void pt_held(void *ctx, pid_t tid, int status)
{
	struct pt_state *st = ctx;
	sc_tracer_account(&st->tr, tid, status);
	atomic_fetch_add_explicit(&st->stops, 1, memory_order_relaxed);
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
}

/* On the target's thread: count mode on, then every thread held once and let go into it. */
static void pt_begin_job(void *arg)
{
	struct pt_state *st = arg;
	struct target *t = st->target;
	if (t->mode) {
		st->rc = wt_err_set(&st->err, EBUSY,
				    "process %d is counted by ptrace already in this whytop",
				    (int)st->s->opts.pid);
		return;
	}
	target_set_mode(t, &st->mode, st);
	struct attach_opts ao = {.only_tid = st->s->opts.tid};
	struct attach_set *as;
	int r = attach_all(st->s->opts.pid, &ao, &as, &st->err);
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

static int pt_read(struct sc_session *s, struct sc_sample *out, struct wt_err *err)
{
	struct pt_state *st = s->priv;
	pthread_mutex_lock(&st->lock);
	memcpy(out->slot, st->acc->slot, sizeof(out->slot));
	pthread_mutex_unlock(&st->lock);
	out->lost = 0;
	out->overhead_runs = atomic_load(&st->stops);
	out->overhead_ns = 0;
	return 0;
}

static void pt_cost(const struct sc_session *s, const struct sc_sample *now, char *buf, size_t size)
{
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

static void pt_close(struct sc_session *s)
{
	struct pt_state *st = s->priv;
	target_call(st->target, pt_end_job, st);
	pt_free(st);
	s->priv = NULL;
}

static const struct sc_backend_ops pt_ops = {
    .name = "ptrace",
    .read = pt_read,
    .cost = pt_cost,
    .close = pt_close,
};

int sc_ptrace_open(struct sc_session *s, struct wt_err *err)
{
	struct pt_state *st = calloc(1, sizeof(*st));
	if (!st || !(st->acc = sc_sample_new())) {
		free(st);
		return wt_err_set(err, ENOMEM, "out of memory");
	}
	st->s = s;
	pthread_mutex_init(&st->lock, NULL);
	sc_tracer_init(&st->tr, st->acc, &st->lock, 0);
	st->tr.only_tid = s->opts.tid;
	st->tr.tgid = s->opts.pid;
	/* TRACEEXEC: a thread that execs takes the leader's tid; we are told */
	st->mode = (struct target_mode){
	    .options = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC |
		       (s->opts.tid ? 0 : PTRACE_O_TRACECLONE),
	    .stop = pt_stop,
	    .held = pt_held,
	    .resume = pt_resume,
	    .gone = pt_gone,
	};
	int r = target_get(s->opts.pid, &st->target, err);
	if (r < 0) {
		sc_sample_free(st->acc);
		free(st);
		return r;
	}
	wt_err_clear(&st->err);
	r = target_call(st->target, pt_begin_job, st);
	if (r < 0 || st->rc < 0) {
		if (r < 0)
			wt_err_set(err, -r, "the tracer thread of %d has stopped", (int)s->opts.pid);
		else if (err)
			*err = st->err;
		r = r < 0 ? r : st->rc;
		pt_free(st);
		return r;
	}
	s->priv = st;
	s->ops = &pt_ops;
	return 0;
}
