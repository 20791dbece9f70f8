/*
 * tracer.h: the ptrace stop engine (tracer.c) shared by the ptrace backend
 * and launch mode. Private to src/core/syscalls.
 */
#ifndef WHYTOP_SC_TRACER_H
#define WHYTOP_SC_TRACER_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include <whytop/syscalls.h>
#include <whytop/target.h>

struct sc_tracee {
	pid_t tid;
	int gone;	/* tombstone in the table */
	int in_syscall; /* between a counted entry and its exit */
	unsigned slot;
	uint64_t entry_ns;
	/*
	 * Seized while running (ptrace backend): until its first stop the
	 * thread may sit in a syscall whose entry we never saw. If that call
	 * was interrupted to restart (-ERESTART*), its re-entry after we
	 * resume is the same call, not a new one: restart_pending with its
	 * number and arch (tracer.c).
	 */
	int attached;
	int restart_pending;
	uint32_t restart_arch;
	uint64_t restart_nr;
};

struct sc_tracer {
	struct sc_sample *acc; /* counters, guarded by lock when one is given */
	pthread_mutex_t *lock;
	int seccomp;	/* launch with a filter: only watched calls stop */
	int detaching;	/* every stop from now on is a detach */
	pid_t only_tid; /* 0, or count this thread only */
	pid_t tgid;	/* attach mode: tasks of other processes are let go */
	const struct sc_set *set; /* count only these calls (-e trace=); NULL: all */
	struct sc_tracee *tab;
	size_t cap, used, live;
};

void sc_tracer_init(struct sc_tracer *t, struct sc_sample *acc, pthread_mutex_t *lock,
		    int seccomp_mode);
void sc_tracer_fini(struct sc_tracer *t);
struct sc_tracee *sc_tracer_add(struct sc_tracer *t, pid_t tid);
struct sc_tracee *sc_tracer_find(struct sc_tracer *t, pid_t tid);
void sc_tracer_remove(struct sc_tracer *t, pid_t tid);
/* Handle one wait status of tid and resume it as it should be (launch mode). */
int sc_tracer_handle(struct sc_tracer *t, pid_t tid, int status);
/*
 * The same in two halves, for a task owned by a struct target (the ptrace
 * backend): account for a stop without resuming (the target may be holding
 * the task for a walk), then resume it as the count mode does from stop ts.
 */
void sc_tracer_account(struct sc_tracer *t, pid_t tid, int status);
void sc_tracer_resume(struct sc_tracer *t, pid_t tid, const struct target_stop *ts);

#endif
