/*
 * test_target.c: a process's target runs jobs in order on its own thread,
 * hands them back through its eventfd, is shared by every view of the
 * process, walks a real child process (ptrace from its thread only) and
 * leaves it running, also while it counts the child's syscalls by ptrace.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <whytop/attach.h>
#include <whytop/catch.h>
#include <whytop/stack.h>
#include <whytop/syscalls.h>
#include <whytop/target.h>

struct job {
	int order;
	pid_t ran_on;
	int *counter;
	int done_order;
};

static int done_counter;

static void job_run(void *p)
{
	struct job *j = p;
	j->ran_on = (pid_t)syscall(SYS_gettid);
	j->order = (*j->counter)++;
}

static void job_done(void *p)
{
	struct job *j = p;
	j->done_order = ++done_counter;
}

static void test_jobs_in_order_off_thread(void **state)
{
	struct target *tr, *again;
	struct wt_err err = {0};
	assert_int_equal(target_get(getpid(), &tr, &err), 0);
	/* A second view of the same process gets the same target. */
	assert_int_equal(target_get(getpid(), &again, &err), 0);
	assert_ptr_equal(tr, again);
	target_put(again);
	int counter = 0;
	struct job jobs[5];
	memset(jobs, 0, sizeof(jobs));
	for (int i = 0; i < 5; i++) {
		jobs[i].counter = &counter;
		assert_int_equal(target_submit(tr, job_run, job_done, &jobs[i]), 0);
	}
	int collected = 0;
	while (collected < 5) {
		struct pollfd p = {.fd = target_fd(tr), .events = POLLIN};
		assert_int_equal(poll(&p, 1, 5000), 1);
		collected += target_collect(tr);
	}
	pid_t me = (pid_t)syscall(SYS_gettid);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(jobs[i].order, i);
		assert_int_not_equal(jobs[i].ran_on, me);
		assert_int_equal(jobs[i].ran_on, jobs[0].ran_on);
		assert_int_equal(jobs[i].done_order, i + 1);
	}
	struct job sync = {.counter = &counter};
	assert_int_equal(target_call(tr, job_run, &sync), 0);
	assert_int_equal(sync.order, 5);
	assert_int_equal(sync.ran_on, jobs[0].ran_on);
	target_put(tr);
}

struct walk_job {
	pid_t pid;
	struct debug_proc *dp;
	struct stack *st;
	struct wt_err err;
	int r;
};

static void walk_run(void *p)
{
	struct walk_job *w = p;
	if (!w->dp && (w->r = debug_proc_open(w->pid, &w->dp, &w->err)) < 0)
		return;
	w->r = stack_walk(w->dp, NULL, &w->st, &w->err);
}

static void close_run(void *p)
{
	struct walk_job *w = p;
	debug_proc_close(w->dp);
	w->dp = NULL;
}

static volatile unsigned long spin;

static void spin_forever(void)
{
	for (;;)
		spin++;
}

static void syscalls_forever(void)
{
	for (;;)
		getppid();
}

static void pause_forever(void)
{
	for (;;)
		pause();
}

/* A child of the test running body for ever (the tests kill it); needs root. */
static pid_t fork_child(void (*body)(void))
{
	if (geteuid() != 0)
		skip();
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0)
		body();
	return child;
}

static void test_walk_child(void **state)
{
	pid_t child = fork_child(spin_forever);
	struct target *tr;
	struct wt_err err = {0};
	assert_int_equal(target_get(child, &tr, &err), 0);
	struct walk_job w = {.pid = child};
	for (int i = 0; i < 3; i++) {
		assert_int_equal(target_call(tr, walk_run, &w), 0);
		assert_int_equal(w.r, 0);
		assert_int_equal(w.st->nthreads, 1);
		assert_true(w.st->threads[0].nframes >= 2);
		/* this very function is among the frames: the child is our fork */
		bool found = false;
		for (size_t f = 0; f < w.st->threads[0].nframes; f++)
			if (w.st->threads[0].frames[f].function &&
			    strcmp(w.st->threads[0].frames[f].function, "test_walk_child") == 0)
				found = true;
		assert_true(found);
		stack_free(w.st);
		w.st = NULL;
	}
	target_call(tr, close_run, &w);
	target_put(tr);
	/* still running, not traced: it can be killed and reaped normally */
	int status;
	assert_int_equal(waitpid(child, &status, WNOHANG), 0);
	kill(child, SIGKILL);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

/* The TracerPid of pid, -1 if unreadable. */
static long tracer_of(pid_t pid)
{
	char path[64], buf[2048];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	const char *p = strstr(buf, "TracerPid:");
	return p ? atol(p + 10) : -1;
}

static uint64_t total_calls(struct sc_session *s, struct sc_sample *smp)
{
	struct wt_err err = {0};
	uint64_t n = 0;
	assert_int_equal(sc_session_read(s, smp, &err), 0);
	for (size_t i = 0; i < SC_SLOTS; i++)
		n += smp->slot[i].calls;
	return n;
}

/*
 * Counting by ptrace and walking the same process: the walk is a job of
 * the same target, which holds the counted thread, walks it, and lets it
 * count on; closing the count lets the child go, running and untraced.
 */
static void test_walk_while_counting(void **state)
{
	pid_t child = fork_child(syscalls_forever);
	struct wt_err err = {0};
	struct sc_opts o = {.pid = child, .backend = SC_BACKEND_PTRACE};
	struct sc_session *s;
	struct sc_sample *smp = sc_sample_new();
	assert_int_equal(sc_session_open(&s, &o, &err), 0);
	uint64_t before = 0;
	for (int i = 0; i < 500 && (before = total_calls(s, smp)) == 0; i++)
		usleep(10000);
	assert_true(before > 0);

	struct debug_proc *dp;
	assert_int_equal(debug_proc_open(child, &dp, &err), 0);
	for (int i = 0; i < 3; i++) {
		struct stack *st;
		int r = stack_walk(dp, NULL, &st, &err);
		if (r < 0)
			fail_msg("walk %d while counting: %s", i, err.msg);
		assert_int_equal(st->nthreads, 1);
		bool found = false;
		for (size_t f = 0; f < st->threads[0].nframes; f++)
			if (st->threads[0].frames[f].function &&
			    strcmp(st->threads[0].frames[f].function, "test_walk_while_counting") == 0)
				found = true;
		assert_true(found);
		stack_free(st);
	}
	debug_proc_close(dp);
	/* Still counted after the walks. */
	uint64_t after = before;
	for (int i = 0; i < 500 && (after = total_calls(s, smp)) <= before; i++)
		usleep(10000);
	assert_true(after > before);
	sc_session_close(s);
	sc_sample_free(smp);
	assert_int_equal(tracer_of(child), 0);
	int status;
	assert_int_equal(waitpid(child, &status, WNOHANG), 0);
	kill(child, SIGKILL);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

/*
 * A process has one ptrace mode at a time: while one view counts its
 * syscalls, catching its crashes from another is refused with a sentence
 * that says what the first view is doing, and the counting goes on.
 */
static void test_second_mode_refused(void **state)
{
	(void)state;
	pid_t child = fork_child(syscalls_forever);
	struct wt_err err = {0};
	struct sc_opts o = {.pid = child, .backend = SC_BACKEND_PTRACE};
	struct sc_session *s;
	struct sc_sample *smp = sc_sample_new();
	assert_int_equal(sc_session_open(&s, &o, &err), 0);
	uint64_t before = 0;
	for (int i = 0; i < 500 && (before = total_calls(s, smp)) == 0; i++)
		usleep(10000);
	assert_true(before > 0);

	struct catch *c = NULL;
	wt_err_clear(&err);
	assert_int_equal(catch_open(child, &c, &err), -EBUSY);
	assert_null(c);
	if (!strstr(err.msg, "counting its syscalls") || !strstr(err.msg, "close that view"))
		fail_msg("unexpected refusal: %s", err.msg);

	uint64_t after = before;
	for (int i = 0; i < 500 && (after = total_calls(s, smp)) <= before; i++)
		usleep(10000);
	assert_true(after > before);
	sc_session_close(s);
	sc_sample_free(smp);
	assert_int_equal(tracer_of(child), 0);
	kill(child, SIGKILL);
	int status;
	assert_int_equal(waitpid(child, &status, 0), child);
}

/*
 * Counting a process that makes no syscall at all (it sits in pause): the
 * target's thread blocks in waitpid with nothing to report, and only its
 * wake signal brings a job to it. Each walk must come back (an alarm ends
 * the test if one hangs).
 */
static void test_job_while_counting_idle(void **state)
{
	pid_t child = fork_child(pause_forever);
	struct wt_err err = {0};
	struct sc_opts o = {.pid = child, .backend = SC_BACKEND_PTRACE};
	struct sc_session *s;
	assert_int_equal(sc_session_open(&s, &o, &err), 0);
	struct debug_proc *dp;
	assert_int_equal(debug_proc_open(child, &dp, &err), 0);
	alarm(60);
	for (int i = 0; i < 20; i++) {
		struct stack *st;
		if (stack_walk(dp, NULL, &st, &err) < 0)
			fail_msg("walk %d of an idle counted process: %s", i, err.msg);
		assert_int_equal(st->nthreads, 1);
		stack_free(st);
		usleep(20000); /* the thread goes back to waitpid in between */
	}
	alarm(0);
	debug_proc_close(dp);
	sc_session_close(s);
	assert_int_equal(tracer_of(child), 0);
	kill(child, SIGKILL);
	int status;
	assert_int_equal(waitpid(child, &status, 0), child);
}

/*
 * A process held by one of whytop's own threads (not its main thread:
 * TracerPid names the thread) is not "already traced by another tool".
 */
struct seizer {
	pid_t child;
	long rc;
	pid_t tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int step; /* 1: seized; 2: told to let go */
};

static void *seizer_run(void *p)
{
	struct seizer *s = p;
	s->tid = (pid_t)syscall(SYS_gettid);
	s->rc = ptrace(PTRACE_SEIZE, s->child, 0, 0);
	pthread_mutex_lock(&s->mu);
	s->step = 1;
	pthread_cond_broadcast(&s->cv);
	while (s->step != 2)
		pthread_cond_wait(&s->cv, &s->mu);
	pthread_mutex_unlock(&s->mu);
	if (s->rc == 0)
		ptrace(PTRACE_DETACH, s->child, 0, 0);
	return NULL;
}

static void test_held_by_our_thread(void **state)
{
	struct seizer s = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
	pthread_t th;
	struct wt_err err = {0};
	s.child = fork();
	assert_true(s.child >= 0);
	if (s.child == 0) {
		pause();
		_exit(0);
	}
	assert_int_equal(pthread_create(&th, NULL, seizer_run, &s), 0);
	pthread_mutex_lock(&s.mu);
	while (s.step != 1)
		pthread_cond_wait(&s.cv, &s.mu);
	pthread_mutex_unlock(&s.mu);
	if (s.rc != 0) {
		/* No ptrace here (a sandbox): nothing to check. */
		s.step = 2;
		pthread_cond_broadcast(&s.cv);
		pthread_join(th, NULL);
		kill(s.child, SIGKILL);
		waitpid(s.child, NULL, 0);
		skip();
	}
	assert_true(s.tid != getpid());
	assert_true(attach_tid_is_ours(s.tid));
	assert_false(attach_tid_is_ours(s.child));
	assert_false(attach_tid_is_ours(1));
	/* Held by us: no refusal that blames another tool. */
	assert_int_equal(attach_check(s.child, &err), 0);
	assert_int_equal(attach_refusal(s.child, s.child, EPERM, &err), -EBUSY);
	assert_non_null(strstr(err.msg, "another part of whytop is holding it"));
	pthread_mutex_lock(&s.mu);
	s.step = 2;
	pthread_cond_broadcast(&s.cv);
	pthread_mutex_unlock(&s.mu);
	pthread_join(th, NULL);
	kill(s.child, SIGKILL);
	waitpid(s.child, NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_jobs_in_order_off_thread),
	    cmocka_unit_test(test_walk_child),
	    cmocka_unit_test(test_walk_while_counting),
	    cmocka_unit_test(test_job_while_counting_idle),
	    cmocka_unit_test(test_second_mode_refused),
	    cmocka_unit_test(test_held_by_our_thread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
