/*
 * catch.c: the catch mode of a process's target (catch.h): every thread
 * seized and running under PTRACE_CONT, each signal-delivery-stop judged
 * fatal or handled, a fatal one kept in its stop for the report; then the
 * signal delivered, or the process left group-stopped with the signal
 * queued again. Events go to the front end through a small queue.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <whytop/attach.h>
#include <whytop/catch.h>
#include <whytop/target.h>

#include "catch_int.h"
#include "core/target/target_int.h"

#define CATCH_EVENTS_MAX 256

/* ---- fatal or handled ---- */

static uint64_t catch_bit(int sig)
{
	return sig >= 1 && sig <= 64 ? 1ull << (sig - 1) : 0;
}

/* Signals whose default action is to ignore, stop or continue: not a crash. */
static bool catch_default_kills(int sig)
{
	switch (sig) {
	case SIGCHLD:
	case SIGCONT:
	case SIGURG:
	case SIGWINCH:
	case SIGSTOP:
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
		return false;
	default:
		return sig >= 1 && sig <= 64;
	}
}

/* A fault the kernel raises at an instruction: it cannot be blocked or ignored. */
static bool catch_sync_fault(int sig, int code)
{
	return code > 0 && (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
			    sig == SIGTRAP || sig == SIGSYS);
}

bool catch_sig_fatal(int sig, int code, uint64_t caught, uint64_t ignored, uint64_t blocked)
{
	uint64_t b = catch_bit(sig);
	if (!b || !catch_default_kills(sig))
		return false;
	/* The kernel resets the action to SIG_DFL and unblocks (force_sig_info). */
	if (catch_sync_fault(sig, code) && (b & (blocked | ignored)))
		return true;
	return !(b & (caught | ignored));
}

/* SigCgt, SigIgn, SigBlk of a task, from its status file. */
static int catch_task_sigs(pid_t pid, pid_t tid, uint64_t *cgt, uint64_t *ign, uint64_t *blk)
{
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)pid, (int)tid);
	ssize_t n = wt_read_at(AT_FDCWD, path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -ESRCH;
	buf[n] = '\0';
	const struct {
		const char *key;
		uint64_t *out;
	} f[] = {{"\nSigCgt:", cgt}, {"\nSigIgn:", ign}, {"\nSigBlk:", blk}};
	for (size_t i = 0; i < 3; i++) {
		const char *p = strstr(buf, f[i].key);
		*f[i].out = p ? strtoull(p + strlen(f[i].key), NULL, 16) : 0;
	}
	return 0;
}

/* ---- events ---- */

static void catch_push(struct catch *c, enum catch_ev_kind kind, pid_t tid, const siginfo_t *si,
		       int status)
{
	pthread_mutex_lock(&c->lock);
	if (c->nev < CATCH_EVENTS_MAX) {
		struct catch_event *e = &c->ev[(c->ev_head + c->nev) % CATCH_EVENTS_MAX];
		memset(e, 0, sizeof(*e));
		e->kind = kind;
		e->tid = tid;
		if (si)
			e->si = *si;
		e->status = status;
		c->nev++;
	} else {
		c->ev_lost++;
	}
	uint64_t one = 1;
	ssize_t w = write(c->ev_fd, &one, sizeof(one));
	(void)w;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

int catch_fd(const struct catch *c)
{
	return c->ev_fd;
}

int catch_poll(struct catch *c, struct catch_event *ev)
{
	pthread_mutex_lock(&c->lock);
	if (!c->nev) {
		uint64_t v;
		ssize_t r = read(c->ev_fd, &v, sizeof(v)); /* empty: not readable until the next */
		(void)r;
		pthread_mutex_unlock(&c->lock);
		return -EAGAIN;
	}
	*ev = c->ev[c->ev_head];
	c->ev_head = (c->ev_head + 1) % CATCH_EVENTS_MAX;
	c->nev--;
	pthread_mutex_unlock(&c->lock);
	return 0;
}

int catch_next(struct catch *c, uint64_t timeout_ns, struct catch_event *ev)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	uint64_t ns = (uint64_t)until.tv_nsec + timeout_ns;
	until.tv_sec += (time_t)(ns / 1000000000ull);
	until.tv_nsec = (long)(ns % 1000000000ull);
	pthread_mutex_lock(&c->lock);
	while (!c->nev) {
		if (!timeout_ns) {
			pthread_cond_wait(&c->cond, &c->lock);
		} else if (pthread_cond_timedwait(&c->cond, &c->lock, &until) == ETIMEDOUT) {
			pthread_mutex_unlock(&c->lock);
			return -ETIMEDOUT;
		}
	}
	*ev = c->ev[c->ev_head];
	c->ev_head = (c->ev_head + 1) % CATCH_EVENTS_MAX;
	c->nev--;
	pthread_mutex_unlock(&c->lock);
	return 0;
}

/* ---- the mode (on the target's thread) ---- */

/* Keep task tid in the stop ts: a crash is being reported. */
static void catch_keep(struct catch *c, pid_t tid, const struct target_stop *ts)
{
	struct target_task *k = target_task_find(c->target, tid);
	if (!k)
		return;
	k->kept = true;
	k->held = true;
	k->stop = *ts;
	k->stopped_ns = wt_now_ns();
}

static void catch_signal(struct catch *c, pid_t tid, const struct target_stop *ts)
{
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	if (ptrace(PTRACE_GETSIGINFO, tid, 0, &si) < 0)
		si.si_signo = ts->sig;
	if (c->crashed) {
		catch_keep(c, tid, ts); /* everything stays still until the report is done */
		return;
	}
	uint64_t cgt = 0, ign = 0, blk = 0;
	bool fatal = catch_task_sigs(c->pid, tid, &cgt, &ign, &blk) == 0 &&
		     catch_sig_fatal(ts->sig, si.si_code, cgt, ign, blk);
	if (fatal) {
		c->crashed = true;
		c->crash_tid = tid;
		c->crash_sig = ts->sig;
		catch_keep(c, tid, ts);
		catch_push(c, CATCH_EV_CRASH, tid, &si, 0);
		return;
	}
	/* Reported when the program handles it; ignored or stopping signals pass silently. */
	if (cgt & (1ull << (ts->sig - 1)))
		catch_push(c, CATCH_EV_HANDLED, tid, &si, 0);
	ptrace(PTRACE_CONT, tid, 0, (void *)(long)ts->sig);
}

static void catch_go_on(struct catch *c, pid_t tid, const struct target_stop *ts)
{
	if (ts->event == TE_SIGNAL_DELIVERY && ts->sig) {
		catch_signal(c, tid, ts);
	} else if (c->crashed) {
		catch_keep(c, tid, ts);
	} else if (ts->event == TE_GROUP_STOP) {
		ptrace(PTRACE_LISTEN, tid, 0, 0); /* a stopped process stays stopped */
	} else {
		ptrace(PTRACE_CONT, tid, 0, 0);
	}
}

static void catch_stop(void *ctx, pid_t tid, int status)
{
	struct catch *c = ctx;
	struct target_stop ts = target_classify(status);
	catch_go_on(c, tid, &ts);
}

static void catch_held(void *ctx, pid_t tid, int status)
{
	struct catch *c = ctx;
	(void)status;
	struct target_task *k = target_task_find(c->target, tid);
	if (k && c->crashed)
		k->kept = true; /* stopped for the report's walk: stays so until the end */
}

static void catch_resume(void *ctx, pid_t tid, const struct target_stop *ts)
{
	catch_go_on(ctx, tid, ts);
}

static void catch_gone(void *ctx, pid_t tid)
{
	(void)ctx;
	(void)tid;
}

static void catch_exited(void *ctx, pid_t tid, int status)
{
	struct catch *c = ctx;
	if (tid == c->pid)
		catch_push(c, CATCH_EV_EXITED, tid, NULL, status);
}

/* ---- jobs ---- */

static void catch_begin_job(void *arg)
{
	struct catch *c = arg;
	struct target *t = c->target;
	if ((c->rc = target_begin_mode(t, &c->mode, c, &c->err)) < 0)
		return;
	if (c->launched) {
		struct target_task *k;
		int r = target_seize(t, c->pid, &k);
		if (r < 0) {
			target_set_mode(t, NULL, NULL);
			c->rc = wt_err_set(&c->err, -r, "cannot trace the new process: %s",
					   strerror(-r));
			return;
		}
		kill(c->pid, SIGCONT); /* it stopped itself before exec */
		c->rc = 0;
		return;
	}
	struct attach_set *as;
	int r = attach_all(c->pid, NULL, &as, &c->err);
	if (r == -ETIMEDOUT || r == -EAGAIN) {
		/* Threads asleep in D are seized: each is caught from its first stop. */
		wt_err_clear(&c->err);
		r = 0;
	} else if (r == 0) {
		attach_detach(as);
	}
	if (r < 0)
		target_end_mode(t, 3000000000ull);
	c->rc = r;
}

/* Resume every task still kept (the crash is over, one way or the other). */
static void catch_unkeep_all(struct catch *c, bool detach)
{
	struct target *t = c->target;
	for (size_t i = 0; i < t->ntasks; i++) {
		struct target_task *k = &t->tasks[i];
		if (!k->kept)
			continue;
		k->kept = false;
		k->held = false;
		int sig = target_stop_signal(&k->stop);
		if (detach) {
			ptrace(PTRACE_DETACH, k->tid, 0, (void *)(long)sig);
			k->counting = false;
			target_task_drop(t, k->tid);
			i--;
		} else if (k->stop.event == TE_GROUP_STOP) {
			ptrace(PTRACE_LISTEN, k->tid, 0, 0);
		} else {
			ptrace(PTRACE_CONT, k->tid, 0, (void *)(long)sig);
		}
	}
}

static void catch_finish_job(void *arg)
{
	struct catch *c = arg;
	struct target *t = c->target;
	c->rc = 0;
	if (!t->mode)
		return;
	if (!c->crashed) {
		target_end_mode(t, 3000000000ull);
		return;
	}
	struct target_task *k = target_task_find(t, c->crash_tid);
	if (c->hold_req) {
		/*
		 * Left for any whytop to inspect: the signal queued again for
		 * the crashing thread, the process group-stopped (a SIGSTOP
		 * pending for all, and the crashing thread let go into it), and
		 * untraced. SIGCONT lets the queued signal kill it.
		 */
		syscall(SYS_tgkill, (int)c->pid, (int)c->crash_tid, c->crash_sig);
		kill(c->pid, SIGSTOP);
		if (k) {
			k->kept = false;
			k->held = false;
			ptrace(PTRACE_DETACH, k->tid, 0, (void *)(long)SIGSTOP);
			k->counting = false;
			target_task_drop(t, c->crash_tid);
		}
		catch_unkeep_all(c, true);
		target_end_mode(t, 3000000000ull);
		c->crashed = false;
		return;
	}
	/*
	 * Delivered as it would have been: the crashing thread goes on with
	 * its signal while the others stay stopped; the kernel kills them
	 * (SIGKILL wakes a traced thread) and dumps core if enabled. Should
	 * the process survive after all (a handler installed meanwhile),
	 * the others are resumed when the crashing thread's end is seen.
	 */
	if (k) {
		k->kept = false;
		k->held = false;
		ptrace(PTRACE_CONT, k->tid, 0, (void *)(long)c->crash_sig);
	}
	uint64_t end = wt_now_ns() + 5000000000ull;
	while (target_task_find(t, c->crash_tid) && wt_now_ns() < end)
		target_wait(t, end);
	c->crashed = false;
	catch_unkeep_all(c, false);
}

static void catch_end_job(void *arg)
{
	struct catch *c = arg;
	if (c->target->mode == &c->mode) {
		catch_unkeep_all(c, true);
		target_end_mode(c->target, 3000000000ull);
	}
}

/* ---- the session ---- */

static struct catch *catch_new(pid_t pid, bool launched)
{
	struct catch *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->pid = pid;
	c->launched = launched;
	c->ev_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (c->ev_fd < 0) {
		free(c);
		return NULL;
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cond, NULL);
	c->mode = (struct target_mode){
	    .doing = "catching its crashes",
	    .options =
		PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | (launched ? PTRACE_O_EXITKILL : 0),
	    .stop = catch_stop,
	    .held = catch_held,
	    .resume = catch_resume,
	    .gone = catch_gone,
	    .exited = catch_exited,
	};
	return c;
}

static void catch_free(struct catch *c)
{
	close(c->ev_fd);
	pthread_cond_destroy(&c->cond);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static int catch_start(struct catch *c, struct wt_err *err)
{
	int r = target_get(c->pid, &c->target, err);
	if (r < 0)
		return r;
	wt_err_clear(&c->err);
	r = target_call(c->target, catch_begin_job, c);
	if (r < 0 || c->rc < 0) {
		if (r < 0)
			wt_err_set(err, -r, "the tracer thread of %d has stopped", (int)c->pid);
		else if (err)
			*err = c->err;
		r = r < 0 ? r : c->rc;
		target_put(c->target);
		c->target = NULL;
		return r;
	}
	return 0;
}

int catch_open(pid_t pid, struct catch **out, struct wt_err *err)
{
	*out = NULL;
	struct catch *c = catch_new(pid, false);
	if (!c)
		return wt_err_set(err, ENOMEM, "out of memory");
	int r = catch_start(c, err);
	if (r < 0) {
		catch_free(c);
		return r;
	}
	*out = c;
	return 0;
}

int catch_launch(char *const argv[], struct catch **out, pid_t *pidp, struct wt_err *err)
{
	*out = NULL;
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return wt_err_set(err, errno, "pipe: %s", strerror(errno));
	pid_t child = fork();
	if (child == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		close(pfd[0]);
		raise(SIGSTOP); /* until the parent's target has seized us */
		execvp(argv[0], argv);
		dprintf(pfd[1], "cannot run %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	if (child < 0) {
		int e = errno;
		close(pfd[0]);
		return wt_err_set(err, e, "fork: %s", strerror(e));
	}
	int st;
	while (waitpid(child, &st, WUNTRACED) < 0 && errno == EINTR)
		;
	struct catch *c = catch_new(child, true);
	int r = !c		  ? wt_err_set(err, ENOMEM, "out of memory")
		: !WIFSTOPPED(st) ? wt_err_set(err, ECHILD, "the new process ended at once")
				  : catch_start(c, err);
	if (r < 0) {
		kill(child, SIGKILL);
		waitpid(child, &st, 0);
		close(pfd[0]);
		if (c)
			catch_free(c);
		return r;
	}
	c->exec_fd = pfd[0];
	*pidp = child;
	*out = c;
	return 0;
}

int catch_launch_error(struct catch *c, struct wt_err *err)
{
	if (c->exec_fd <= 0)
		return 0;
	char msg[300];
	ssize_t n = read(c->exec_fd, msg, sizeof(msg) - 1);
	if (n <= 0)
		return 0;
	msg[n] = '\0';
	return wt_err_set(err, ENOEXEC, "%s", msg);
}

int catch_finish(struct catch *c, bool hold, struct wt_err *err)
{
	c->hold_req = hold;
	int r = target_call(c->target, catch_finish_job, c);
	if (r < 0)
		return wt_err_set(err, -r, "the tracer thread of %d has stopped", (int)c->pid);
	return 0;
}

void catch_close(struct catch *c)
{
	if (!c)
		return;
	if (c->target) {
		target_call(c->target, catch_end_job, c);
		target_put(c->target);
	}
	if (c->exec_fd > 0)
		close(c->exec_fd);
	catch_free(c);
}
