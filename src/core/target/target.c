/*
 * target.c: the owner of a traced process (target.h): the registry of
 * targets, the thread of each with its one loop, the job queue, the table
 * of seized tasks and the dispatch of every wait status to whoever the task
 * belongs to (a hold, the count mode, or nobody: then it is let go).
 *
 * How the loop sleeps without losing a wake-up: SIGCHLD (sent to whytop
 * for every ptrace-stop and exit of a tracee) is blocked in the target
 * threads except inside their ppoll. Its handler writes every target's
 * eventfd, and a job's submitter writes it too, so a status or a job that
 * comes between the last reap and the ppoll leaves the eventfd readable.
 * The eventfds are never closed (a handler may be writing to one): a
 * target that ends gives its slot back for the next.
 *
 * Counting by ptrace is the hot path: a stop per syscall entry and exit.
 * There the thread, with no job waiting, blocks in waitpid itself (as
 * strace does) rather than in ppoll: no signal handler, eventfd and second
 * waitpid per stop. A job then wakes it with a signal of its own
 * (TARGET_WAKE_SIG, no SA_RESTART: waitpid returns EINTR). Should that
 * signal land between the thread's look at the queue and its waitpid, a
 * timer of the thread's, armed by the submitter, sends it again every
 * 5 ms until the thread takes the jobs.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <whytop/proc.h>
#include <whytop/target.h>

#include "core/target/target_int.h"

struct target_job {
	target_fn run, done;
	void *arg;
	bool sync_done; /* target_call: finished */
	struct target_job *next;
};

/* ---- the registry and SIGCHLD ---- */

#define TARGET_WAKE_MAX 256

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct target **reg;
static size_t nreg, reg_cap;

/* Eventfds the handler writes: created on demand, never closed. */
static int wake_fds[TARGET_WAKE_MAX];
static volatile sig_atomic_t wake_n;
static bool wake_busy[TARGET_WAKE_MAX];
static struct sigaction old_chld;
static bool chld_installed;
static __thread struct target *current;
static bool wake_sig_installed;

#define TARGET_WAKE_SIG (SIGRTMIN + 6)
#define TARGET_KICK_NS 5000000L

static void target_wake_handler(int sig)
{
	(void)sig; /* only here to make waitpid return EINTR */
}

static void target_sigchld(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;
	uint64_t one = 1;
	int n = wake_n;
	for (int i = 0; i < n; i++) {
		ssize_t w = write(wake_fds[i], &one, sizeof(one));
		(void)w;
	}
	errno = saved;
	if ((old_chld.sa_flags & SA_SIGINFO) && old_chld.sa_sigaction)
		old_chld.sa_sigaction(sig, si, uc);
	else if (!(old_chld.sa_flags & SA_SIGINFO) && old_chld.sa_handler != SIG_DFL &&
		 old_chld.sa_handler != SIG_IGN)
		old_chld.sa_handler(sig);
}

/* A wake slot for a new target (registry lock held); -1 when none is left. */
static int target_wake_take(struct wt_err *err)
{
	for (int i = 0; i < wake_n; i++) {
		if (!wake_busy[i]) {
			wake_busy[i] = true;
			return i;
		}
	}
	if (wake_n == TARGET_WAKE_MAX) {
		wt_err_set(err, EMFILE, "whytop traces %d processes already; close some views first",
			   TARGET_WAKE_MAX);
		return -1;
	}
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (fd < 0) {
		wt_err_set(err, errno, "cannot create an eventfd: %s", strerror(errno));
		return -1;
	}
	wake_fds[wake_n] = fd;
	wake_busy[wake_n] = true;
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* the fd is stored before the handler sees n */
	wake_n = wake_n + 1;
	return wake_n - 1;
}

static int target_install_sigchld(struct wt_err *err)
{
	if (!wake_sig_installed) {
		struct sigaction ws;
		memset(&ws, 0, sizeof(ws));
		ws.sa_handler = target_wake_handler; /* no SA_RESTART */
		sigemptyset(&ws.sa_mask);
		if (sigaction(TARGET_WAKE_SIG, &ws, NULL) < 0)
			return wt_err_set(err, errno, "cannot handle signal %d: %s",
					  TARGET_WAKE_SIG, strerror(errno));
		wake_sig_installed = true;
	}
	if (chld_installed)
		return 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = target_sigchld;
	/* SA_RESTART: a read elsewhere in whytop goes on; no SA_NOCLDSTOP: stops wake us. */
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGCHLD, &sa, &old_chld) < 0)
		return wt_err_set(err, errno, "cannot handle SIGCHLD: %s", strerror(errno));
	chld_installed = true;
	return 0;
}

/* ---- tasks ---- */

struct target_task *target_task_find(struct target *t, pid_t tid)
{
	for (size_t i = 0; i < t->ntasks; i++)
		if (t->tasks[i].tid == tid)
			return &t->tasks[i];
	return NULL;
}

struct target_task *target_task_add(struct target *t, pid_t tid)
{
	struct target_task *k = target_task_find(t, tid);
	if (k)
		return k;
	if (t->ntasks == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		void *p = realloc(t->tasks, cap * sizeof(*t->tasks));
		if (!p)
			return NULL;
		t->tasks = p;
		t->cap = cap;
	}
	k = &t->tasks[t->ntasks++];
	memset(k, 0, sizeof(*k));
	k->tid = tid;
	return k;
}

void target_task_drop(struct target *t, pid_t tid)
{
	struct target_task *k = target_task_find(t, tid);
	if (!k)
		return;
	if (k->counting && t->mode)
		t->mode->gone(t->mode_ctx, tid);
	*k = t->tasks[--t->ntasks];
}

int target_seize(struct target *t, pid_t tid, struct target_task **out)
{
	struct target_task *k = target_task_find(t, tid);
	*out = NULL;
	if (k && k->seized) {
		if (t->mode && !k->counting) {
			/* Seized by an earlier hold that gave up on it: counted from its stop on. */
			k->counting = true;
			k->options_set = false;
		}
		*out = k;
		return 0;
	}
	long opts = t->mode ? t->mode->options : 0;
	if (ptrace(PTRACE_SEIZE, tid, 0, (void *)opts) < 0) {
		int e = errno;
		/*
		 * A thread born while counting (PTRACE_O_TRACECLONE) is ours
		 * before its first stop reaches us: then we may interrupt it.
		 */
		if (e != EPERM || !t->mode || ptrace(PTRACE_INTERRUPT, tid, 0, 0) < 0)
			return -e;
	}
	if (!(k = target_task_add(t, tid))) {
		ptrace(PTRACE_DETACH, tid, 0, 0);
		return -ENOMEM;
	}
	k->seized = true;
	k->counting = t->mode != NULL;
	k->options_set = t->mode != NULL;
	*out = k;
	return 0;
}

int target_release_task(struct target *t, struct target_task *k, int sig)
{
	int ret = 0;
	k->held = false;
	k->hold_want = false;
	if (k->kept) {
		k->held = true; /* its mode resumes it, not the hold */
		return 0;
	}
	if (k->counting && t->mode) {
		struct target_stop ts = k->stop;
		if (ts.event == TE_SIGNAL_DELIVERY)
			ts.sig = sig; /* what the hold kept for it */
		t->mode->resume(t->mode_ctx, k->tid, &ts);
		return 0;
	}
	if (ptrace(PTRACE_DETACH, k->tid, 0, (void *)(long)sig) < 0) {
		int e = errno;
		int status;
		/* ESRCH: killed while held; its exit status is reaped below or later. */
		if (waitpid(k->tid, &status, __WALL | WNOHANG) == 0 && e != ESRCH)
			ret = -e;
	}
	target_task_drop(t, k->tid);
	return ret;
}

/* ---- the dispatch: one status of one task ---- */

static void target_dispatch(struct target *t, pid_t tid, int status)
{
	struct target_stop ts = target_classify(status);
	struct target_task *k = target_task_find(t, tid);

	if (ts.event == TE_EXITED || ts.event == TE_KILLED) {
		if (k && k->counting && t->mode && t->mode->exited)
			t->mode->exited(t->mode_ctx, tid, status);
		if (k) {
			struct attach_thread *at = t->hold ? attach_find(t->hold, tid) : NULL;
			if (at) {
				at->seized = false;
				at->gone = true;
			}
			target_task_drop(t, tid);
		}
		return;
	}
	if (ts.event == TE_NONE || ts.event == TE_CONTINUED)
		return;
	if (!k) {
		/*
		 * A task we did not seize: one born while counting (TRACECLONE),
		 * whose first stop came before its parent's clone event. A
		 * clone that made another process is let go, unless the mode
		 * follows forks (launch mode follows the program's children).
		 */
		pid_t tgid = 0;
		if (!t->mode ||
		    (!t->mode->follow_forks &&
		     (proc_tgid_of(tid, &tgid) < 0 || tgid != t->pid)) ||
		    !(k = target_task_add(t, tid))) {
			ptrace(PTRACE_DETACH, tid, 0, 0);
			return;
		}
		k->seized = true;
		k->counting = true;
		k->options_set = true;
		if (t->hold && !attach_find(t->hold, tid))
			k->hold_want = false; /* the hold's next scan will find it */
	}
	if (ts.event == TE_EXEC) {
		/* A thread that execs takes over the leader's tid; its old tid is gone. */
		unsigned long msg = 0;
		if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) == 0 && (pid_t)msg != tid) {
			struct target_task *old = target_task_find(t, (pid_t)msg);
			if (old && !old->counting)
				target_task_drop(t, (pid_t)msg);
			else if (old)
				*old = t->tasks[--t->ntasks]; /* the mode moves its own state */
			k = target_task_find(t, tid);
		}
	}
	if (k->counting && !k->options_set && t->mode) {
		ptrace(PTRACE_SETOPTIONS, tid, 0, (void *)t->mode->options);
		k->options_set = true;
	}
	if (k->hold_want) {
		k->hold_want = false;
		k->held = true;
		k->stop = ts;
		k->stopped_ns = wt_now_ns();
		if (k->counting && t->mode)
			t->mode->held(t->mode_ctx, tid, status);
		if (t->hold)
			attach_hold_stopped(t->hold, k); /* k may be gone after this */
		return;
	}
	if (k->detach_at_stop || !k->counting || !t->mode) {
		/* Its purpose is over (a hold that gave up on it, a mode that ended). */
		ptrace(PTRACE_DETACH, tid, 0, (void *)(long)target_stop_signal(&ts));
		k->counting = false;
		target_task_drop(t, tid);
		return;
	}
	t->mode->stop(t->mode_ctx, tid, status);
}

static int target_reap(struct target *t)
{
	int n = 0, status;
	pid_t tid;
	while ((tid = waitpid(-1, &status, __WALL | __WNOTHREAD | WNOHANG)) > 0) {
		target_dispatch(t, tid, status);
		n++;
	}
	return n;
}

int target_wait(struct target *t, uint64_t deadline_ns)
{
	int n = target_reap(t);
	if (n || !deadline_ns)
		return n;
	uint64_t now = wt_now_ns();
	struct timespec ts, *tsp = NULL;
	if (deadline_ns != UINT64_MAX) {
		uint64_t left = deadline_ns > now ? deadline_ns - now : 0;
		ts.tv_sec = (time_t)(left / 1000000000ull);
		ts.tv_nsec = (long)(left % 1000000000ull);
		tsp = &ts;
	}
	sigset_t mask;
	pthread_sigmask(SIG_SETMASK, NULL, &mask);
	sigdelset(&mask, SIGCHLD);
	struct pollfd p = {.fd = t->wake_fd, .events = POLLIN};
	ppoll(&p, 1, tsp, &mask);
	uint64_t v;
	ssize_t rd = read(t->wake_fd, &v, sizeof(v));
	(void)rd;
	return target_reap(t);
}

/* ---- modes ---- */

int target_begin_mode(struct target *t, const struct target_mode *mode, void *ctx,
		      struct wt_err *err)
{
	if (t->mode)
		return wt_err_set(err, EBUSY,
				  "another view of this whytop is %s (process %d) already, and a "
				  "process has one such mode at a time; close that view first",
				  t->mode->doing ? t->mode->doing : "tracing it", (int)t->pid);
	target_set_mode(t, mode, ctx);
	return 0;
}

void target_set_mode(struct target *t, const struct target_mode *mode, void *ctx)
{
	t->mode = mode;
	t->mode_ctx = ctx;
}

void target_end_mode(struct target *t, uint64_t timeout_ns)
{
	if (!t->mode)
		return;
	/* Each counted task reports a stop soon after the interrupt; it is let go there. */
	for (size_t i = 0; i < t->ntasks; i++) {
		struct target_task *k = &t->tasks[i];
		if (k->kept) {
			/* Stopped by its mode (a caught crash): let go with its signal. */
			t->mode->gone(t->mode_ctx, k->tid);
			ptrace(PTRACE_DETACH, k->tid, 0, (void *)(long)target_stop_signal(&k->stop));
			k->counting = false;
			target_task_drop(t, k->tid);
			i--;
			continue;
		}
		if (!k->counting)
			continue;
		t->mode->gone(t->mode_ctx, k->tid);
		k->counting = false;
		k->detach_at_stop = true;
		ptrace(PTRACE_INTERRUPT, k->tid, 0, 0);
	}
	t->mode = NULL;
	t->mode_ctx = NULL;
	uint64_t end = wt_now_ns() + timeout_ns;
	for (;;) {
		size_t left = 0;
		for (size_t i = 0; i < t->ntasks; i++)
			left += t->tasks[i].detach_at_stop;
		if (!left || wt_now_ns() >= end)
			break;
		target_wait(t, end);
	}
}

/* ---- the thread ---- */

static void target_push(struct target_job ***tail, struct target_job *j)
{
	j->next = NULL;
	**tail = j;
	*tail = &j->next;
}

/*
 * Wake the thread for a job. in_waitpid: t->in_waitpid as read under the
 * lock that queued the job (then the thread, which decides to block under
 * that lock, either sees the job or is in waitpid and gets the signal).
 */
static void target_wake(struct target *t, bool in_waitpid)
{
	uint64_t one = 1;
	ssize_t w = write(t->wake_fd, &one, sizeof(one));
	(void)w;
	if (!in_waitpid)
		return; /* in ppoll (the eventfd wakes it) or running: it looks at the queue */
	/* Blocked in waitpid (count mode): interrupt it, again until the job is taken. */
	pthread_kill(t->thread, TARGET_WAKE_SIG);
	if (t->kick_ok) {
		struct itimerspec it = {{0, TARGET_KICK_NS}, {0, TARGET_KICK_NS}};
		timer_settime(t->kick, 0, &it, NULL);
	}
}

static void target_kick_off(struct target *t)
{
	static const struct itimerspec off;
	if (t->kick_ok)
		timer_settime(t->kick, 0, &off, NULL);
}

/*
 * Count mode with no job waiting: block in waitpid for the next stop, the
 * way strace does. EINTR: a job or the end was asked for.
 */
void target_wait_counting(struct target *t)
{
	int status;
	pid_t tid = waitpid(-1, &status, __WALL | __WNOTHREAD);
	if (tid > 0) {
		target_dispatch(t, tid, status);
	} else if (errno == ECHILD) {
		target_wait(t, UINT64_MAX); /* nothing traced: sleep as an idle target */
	}
}

static void *target_main(void *p)
{
	struct target *t = p;
	current = t;
	t->thread_tid = gettid();
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &chld, NULL);
	sigset_t wake;
	sigemptyset(&wake);
	sigaddset(&wake, TARGET_WAKE_SIG);
	pthread_sigmask(SIG_UNBLOCK, &wake, NULL);
	struct sigevent sev;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = TARGET_WAKE_SIG;
	sev._sigev_un._tid = t->thread_tid;
	bool kick_ok = timer_create(CLOCK_MONOTONIC, &sev, &t->kick) == 0;

	pthread_mutex_lock(&t->lock);
	t->kick_ok = kick_ok;
	while (!t->stopping) {
		struct target_job *j = t->queue;
		if (!j) {
			bool counting = t->mode && t->ntasks > 0;
			t->in_waitpid = counting;
			pthread_mutex_unlock(&t->lock);
			if (counting)
				target_wait_counting(t);
			else
				target_wait(t, UINT64_MAX);
			pthread_mutex_lock(&t->lock);
			t->in_waitpid = false;
			continue;
		}
		target_kick_off(t);
		t->queue = j->next;
		if (!t->queue)
			t->queue_tail = &t->queue;
		pthread_mutex_unlock(&t->lock);
		target_reap(t);
		j->run(j->arg);
		pthread_mutex_lock(&t->lock);
		t->pending--;
		if (j->sync_done) {
			/* target_call waits on this job itself */
			j->sync_done = false;
			j->run = NULL;
			pthread_cond_broadcast(&t->synced);
			continue;
		}
		target_push(&t->finished_tail, j);
		uint64_t one = 1;
		ssize_t w = write(t->done_fd, &one, sizeof(one));
		(void)w;
	}
	pthread_mutex_unlock(&t->lock);
	target_kick_off(t);

	/*
	 * Going away. A mode still on ends (its owner should have ended it);
	 * tasks that did not stop in time (D state) get a moment; the kernel
	 * lets go of whatever is left when this thread exits.
	 */
	target_end_mode(t, 3000000000ull);
	uint64_t end = wt_now_ns() + 200000000ull;
	while (t->ntasks && wt_now_ns() < end)
		target_wait(t, end);
	return NULL;
}

int target_get(pid_t pid, struct target **out, struct wt_err *err)
{
	*out = NULL;
	pthread_mutex_lock(&reg_lock);
	for (size_t i = 0; i < nreg; i++) {
		if (reg[i]->pid == pid) {
			reg[i]->refs++;
			*out = reg[i];
			pthread_mutex_unlock(&reg_lock);
			return 0;
		}
	}
	int r = target_install_sigchld(err);
	if (r < 0) {
		pthread_mutex_unlock(&reg_lock);
		return r;
	}
	if (nreg == reg_cap) {
		size_t cap = reg_cap ? reg_cap * 2 : 8;
		void *p = realloc(reg, cap * sizeof(*reg));
		if (!p) {
			pthread_mutex_unlock(&reg_lock);
			return wt_err_set(err, ENOMEM, "out of memory");
		}
		reg = p;
		reg_cap = cap;
	}
	struct target *t = calloc(1, sizeof(*t));
	if (!t) {
		pthread_mutex_unlock(&reg_lock);
		return wt_err_set(err, ENOMEM, "out of memory");
	}
	t->pid = pid;
	t->refs = 1;
	t->wake_slot = target_wake_take(err);
	t->done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (t->wake_slot < 0 || t->done_fd < 0) {
		int e = t->wake_slot < 0 ? err->code : errno;
		if (t->wake_slot >= 0)
			wake_busy[t->wake_slot] = false;
		else
			e = e ? e : EMFILE;
		if (t->done_fd >= 0)
			close(t->done_fd);
		else
			wt_err_set(err, e, "cannot create an eventfd: %s", strerror(e));
		free(t);
		pthread_mutex_unlock(&reg_lock);
		return -e;
	}
	t->wake_fd = wake_fds[t->wake_slot];
	uint64_t v;
	ssize_t rd = read(t->wake_fd, &v, sizeof(v)); /* what the last user left */
	(void)rd;
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->synced, NULL);
	t->queue_tail = &t->queue;
	t->finished_tail = &t->finished;
	/* The thread starts with SIGCHLD blocked; it takes it only in its ppoll. */
	sigset_t chld, old;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &chld, &old);
	r = pthread_create(&t->thread, NULL, target_main, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r) {
		wake_busy[t->wake_slot] = false;
		close(t->done_fd);
		free(t);
		pthread_mutex_unlock(&reg_lock);
		return wt_err_set(err, r, "cannot start the tracer thread: %s", strerror(r));
	}
	/* Named, so that ps -L and whytop -H tell it apart (and it shows as TracerPid). */
	pthread_setname_np(t->thread, "whytop-tracer");
	/*
	 * Not waiting for it to start: a job queued meanwhile is seen when it
	 * first looks at its queue, and it is signalled (its timer used) only
	 * once it blocks in waitpid, which it decides under the lock.
	 */
	reg[nreg++] = t;
	pthread_mutex_unlock(&reg_lock);
	*out = t;
	return 0;
}

void target_put(struct target *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&reg_lock);
	if (--t->refs > 0) {
		pthread_mutex_unlock(&reg_lock);
		return;
	}
	for (size_t i = 0; i < nreg; i++) {
		if (reg[i] == t) {
			reg[i] = reg[--nreg];
			break;
		}
	}
	pthread_mutex_unlock(&reg_lock);

	pthread_mutex_lock(&t->lock);
	t->stopping = true;
	bool in_waitpid = t->in_waitpid;
	pthread_mutex_unlock(&t->lock);
	target_wake(t, in_waitpid);
	pthread_join(t->thread, NULL);
	/* Finished jobs get their done; queued ones too, marked cancelled. */
	target_collect(t);
	t->cancelling = true;
	struct target_job *j = t->queue;
	while (j) {
		struct target_job *next = j->next;
		if (j->sync_done) {
			j->run = NULL; /* release a (theoretical) waiting target_call */
		} else {
			if (j->done)
				j->done(j->arg);
			free(j);
		}
		j = next;
	}
	pthread_mutex_lock(&t->lock);
	pthread_cond_broadcast(&t->synced);
	pthread_mutex_unlock(&t->lock);
	close(t->done_fd);
	if (t->kick_ok)
		timer_delete(t->kick);
	pthread_mutex_lock(&reg_lock);
	wake_busy[t->wake_slot] = false;
	pthread_mutex_unlock(&reg_lock);
	pthread_cond_destroy(&t->synced);
	pthread_mutex_destroy(&t->lock);
	free(t->tasks);
	free(t);
}

pid_t target_pid(const struct target *t)
{
	return t->pid;
}

int target_fd(const struct target *t)
{
	return t->done_fd;
}

int target_submit(struct target *t, target_fn run, target_fn done, void *arg)
{
	struct target_job *j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	j->run = run;
	j->done = done;
	j->arg = arg;
	pthread_mutex_lock(&t->lock);
	if (t->stopping) {
		pthread_mutex_unlock(&t->lock);
		free(j);
		return -ESHUTDOWN;
	}
	target_push(&t->queue_tail, j);
	t->pending++;
	bool in_waitpid = t->in_waitpid;
	pthread_mutex_unlock(&t->lock);
	target_wake(t, in_waitpid);
	return 0;
}

int target_collect(struct target *t)
{
	uint64_t v;
	ssize_t rd = read(t->done_fd, &v, sizeof(v));
	(void)rd;
	pthread_mutex_lock(&t->lock);
	struct target_job *list = t->finished;
	t->finished = NULL;
	t->finished_tail = &t->finished;
	pthread_mutex_unlock(&t->lock);
	int n = 0;
	while (list) {
		struct target_job *next = list->next;
		if (list->done)
			list->done(list->arg);
		free(list);
		list = next;
		n++;
	}
	return n;
}

int target_call(struct target *t, target_fn run, void *arg)
{
	if (target_on_thread(t)) {
		run(arg);
		return 0;
	}
	struct target_job j = {.run = run, .arg = arg, .sync_done = true};
	pthread_mutex_lock(&t->lock);
	if (t->stopping) {
		pthread_mutex_unlock(&t->lock);
		return -ESHUTDOWN;
	}
	target_push(&t->queue_tail, &j);
	t->pending++;
	target_wake(t, t->in_waitpid);
	while (j.run)
		pthread_cond_wait(&t->synced, &t->lock);
	pthread_mutex_unlock(&t->lock);
	return 0;
}

bool target_on_thread(const struct target *t)
{
	return current == t;
}

struct target *target_current(void)
{
	return current;
}

bool target_cancelled(const struct target *t)
{
	return t->cancelling;
}

unsigned target_pending(struct target *t)
{
	pthread_mutex_lock(&t->lock);
	unsigned n = t->pending;
	pthread_mutex_unlock(&t->lock);
	return n;
}
