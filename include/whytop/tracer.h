/*
 * tracer.h: the one thread that owns every ptrace operation.
 *
 * ptrace requires that all requests on a tracee come from the thread that
 * attached it, and a target must never stay stopped because the UI was busy
 * drawing. So the UI never calls ptrace: it queues jobs here. A job's run
 * function executes on the tracer thread (attach, walk, peek, poke,
 * detach, all within the one call); its done function executes later on
 * the thread that calls tracer_collect, which the UI does when tracer_fd
 * (an eventfd) polls readable. Jobs run one at a time, in order.
 *
 * Anything holding ptrace or libdwfl state for a process (a debug_proc)
 * must be used only from run functions, i.e. only on the tracer thread.
 */
#ifndef WHYTOP_TRACER_H
#define WHYTOP_TRACER_H

#include <stdbool.h>

#include <whytop/util.h>

struct tracer;
typedef void (*tracer_fn)(void *arg);

int tracer_start(struct tracer **out, struct wt_err *err);
/*
 * Stop the thread: a running job finishes; queued jobs are not run, but
 * their done functions are (so they can free arg; check tracer_cancelled).
 */
void tracer_stop(struct tracer *tr);

/* Readable when finished jobs wait for tracer_collect. */
int tracer_fd(const struct tracer *tr);

/* Queue run(arg) for the tracer thread; done(arg) (may be NULL) comes later. */
int tracer_submit(struct tracer *tr, tracer_fn run, tracer_fn done, void *arg);

/* Run the done functions of finished jobs on this thread; returns how many. */
int tracer_collect(struct tracer *tr);

/* Run run(arg) on the tracer thread and wait for it (CLI, tests, shutdown). */
int tracer_call(struct tracer *tr, tracer_fn run, void *arg);

/* True when called on tr's thread (for assertions in ptrace code). */
bool tracer_on_thread(const struct tracer *tr);

/* Inside a done function during tracer_stop: the job never ran. */
bool tracer_cancelled(const struct tracer *tr);

/* How many jobs wait or run (for a "busy" mark on screen). */
unsigned tracer_pending(struct tracer *tr);

#endif
