/*
 * test_target_stop.c: the stop classifier (src/core/target/stop.c) on wait
 * statuses built the way the kernel builds them, every event kind and the
 * edge cases between them; then on statuses a real kernel returns for a
 * child of ours that we seize (no root needed: it is our own child).
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <whytop/target.h>

/* A ptrace event stop: ptrace_notify((event << 8) | SIGTRAP) in the kernel. */
#define EVENT_STATUS(event, sig) W_STOPCODE(((event) << 8) | (sig))

static struct target_stop expect(int status, enum target_event ev, int sig)
{
	struct target_stop ts = target_classify(status);
	if (ts.event != ev)
		fail_msg("status %#x: got %s, want %s", (unsigned)status,
			 target_event_name(ts.event), target_event_name(ev));
	assert_int_equal(ts.sig, sig);
	return ts;
}

static void test_exit_and_kill(void **state)
{
	(void)state;
	struct target_stop ts = expect(W_EXITCODE(0, 0), TE_EXITED, 0);
	assert_int_equal(ts.code, 0);
	ts = expect(W_EXITCODE(3, 0), TE_EXITED, 0);
	assert_int_equal(ts.code, 3);
	ts = expect(W_EXITCODE(255, 0), TE_EXITED, 0);
	assert_int_equal(ts.code, 255);
	assert_int_equal(target_stop_signal(&ts), 0);

	ts = expect(W_EXITCODE(0, SIGKILL), TE_KILLED, SIGKILL);
	assert_false(ts.core);
	ts = expect(W_EXITCODE(0, SIGSEGV) | WCOREFLAG, TE_KILLED, SIGSEGV);
	assert_true(ts.core);
	ts = expect(W_EXITCODE(0, SIGRTMAX), TE_KILLED, SIGRTMAX);
	assert_false(ts.core);
	/* Killed: nothing left to deliver. */
	assert_int_equal(target_stop_signal(&ts), 0);

	expect(0xffff, TE_CONTINUED, 0);
}

/* SIGTRAP|0x80 is a syscall stop; a plain SIGTRAP is a signal like any other. */
static void test_syscall_stop_vs_sigtrap(void **state)
{
	(void)state;
	struct target_stop ts = expect(W_STOPCODE(SIGTRAP | 0x80), TE_SYSCALL_STOP, SIGTRAP | 0x80);
	assert_int_equal(ts.ptrace_event, 0);
	assert_int_equal(target_stop_signal(&ts), 0);

	ts = expect(W_STOPCODE(SIGTRAP), TE_SIGNAL_DELIVERY, SIGTRAP);
	assert_int_equal(target_stop_signal(&ts), SIGTRAP);
}

static void test_signal_delivery(void **state)
{
	(void)state;
	const int sigs[] = {SIGUSR1, SIGINT, SIGCHLD, SIGSEGV, SIGCONT, SIGRTMIN, SIGRTMAX};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct target_stop ts = expect(W_STOPCODE(sigs[i]), TE_SIGNAL_DELIVERY, sigs[i]);
		assert_int_equal(target_stop_signal(&ts), sigs[i]);
	}
	/*
	 * A seized thread reports a stop signal without an event when it is
	 * about to be delivered, not once the group stopped: it must go to the
	 * target (which then stops), not be taken for a group-stop.
	 */
	static const int stops[] = {SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU};
	for (size_t i = 0; i < 4; i++) {
		struct target_stop ts = expect(W_STOPCODE(stops[i]), TE_SIGNAL_DELIVERY, stops[i]);
		assert_int_equal(target_stop_signal(&ts), stops[i]);
	}
}

/* PTRACE_EVENT_STOP: a group-stop with a stopping signal, else an interrupt. */
static void test_event_stop(void **state)
{
	(void)state;
	static const int stops[] = {SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU};
	for (size_t i = 0; i < 4; i++) {
		struct target_stop ts =
		    expect(EVENT_STATUS(PTRACE_EVENT_STOP, stops[i]), TE_GROUP_STOP, stops[i]);
		assert_int_equal(ts.ptrace_event, PTRACE_EVENT_STOP);
		assert_int_equal(target_stop_signal(&ts), 0);
		assert_true(target_is_stop_signal(stops[i]));
	}
	struct target_stop ts =
	    expect(EVENT_STATUS(PTRACE_EVENT_STOP, SIGTRAP), TE_INTERRUPT, SIGTRAP);
	assert_int_equal(ts.ptrace_event, PTRACE_EVENT_STOP);
	assert_int_equal(target_stop_signal(&ts), 0);
	/* Not a stopping signal (SIGCONT resumes, SIGKILL cannot be stopped on). */
	expect(EVENT_STATUS(PTRACE_EVENT_STOP, SIGCONT), TE_INTERRUPT, SIGCONT);
	expect(EVENT_STATUS(PTRACE_EVENT_STOP, SIGUSR1), TE_INTERRUPT, SIGUSR1);
	assert_false(target_is_stop_signal(SIGTRAP));
	assert_false(target_is_stop_signal(SIGCONT));
	assert_false(target_is_stop_signal(SIGKILL));
	assert_false(target_is_stop_signal(0));
}

static void test_ptrace_events(void **state)
{
	(void)state;
	static const struct {
		int event;
		enum target_event want;
	} rows[] = {
	    {PTRACE_EVENT_FORK, TE_FORK},
	    {PTRACE_EVENT_VFORK, TE_VFORK},
	    {PTRACE_EVENT_CLONE, TE_CLONE},
	    {PTRACE_EVENT_EXEC, TE_EXEC},
	    {PTRACE_EVENT_VFORK_DONE, TE_VFORK_DONE},
	    {PTRACE_EVENT_EXIT, TE_EXIT_EVENT},
	    {PTRACE_EVENT_SECCOMP, TE_SECCOMP},
	    {0x42, TE_OTHER_EVENT},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct target_stop ts =
		    expect(EVENT_STATUS(rows[i].event, SIGTRAP), rows[i].want, SIGTRAP);
		assert_int_equal(ts.ptrace_event, rows[i].event);
		/* The SIGTRAP of an event is the kernel's, never the target's. */
		assert_int_equal(target_stop_signal(&ts), 0);
	}
}

static void test_names(void **state)
{
	(void)state;
	for (int ev = TE_NONE; ev <= TE_OTHER_EVENT; ev++)
		assert_string_not_equal(target_event_name((enum target_event)ev), "?");
	assert_string_equal(target_event_name(TE_GROUP_STOP), "group-stop");
	assert_string_equal(target_event_name((enum target_event)999), "?");
}

/* ---- the same on a real kernel: a child of ours, seized ---- */

static int wait_for(pid_t pid)
{
	int status;
	pid_t r;
	while ((r = waitpid(pid, &status, __WALL)) < 0 && errno == EINTR)
		;
	assert_int_equal(r, pid);
	return status;
}

static void test_real_kernel(void **state)
{
	(void)state;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(3);
	struct target_stop ts = expect(wait_for(pid), TE_EXITED, 0);
	assert_int_equal(ts.code, 3);

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		for (;;)
			pause();
	}
	/* EXITKILL: a failed assertion ends this process; the child goes with it. */
	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL;
	if (ptrace(PTRACE_SEIZE, pid, 0, (void *)opts) < 0) {
		int e = errno;
		kill(pid, SIGKILL);
		wait_for(pid);
		if (e == EPERM)
			skip(); /* ptrace forbidden here (seccomp, Yama 3) */
		fail_msg("PTRACE_SEIZE: %s", strerror(e));
	}
	assert_int_equal(ptrace(PTRACE_INTERRUPT, pid, 0, 0), 0);
	expect(wait_for(pid), TE_INTERRUPT, SIGTRAP);

	/* A syscall stop: pause() is restarted, its entry or exit stops. */
	assert_int_equal(ptrace(PTRACE_SYSCALL, pid, 0, 0), 0);
	expect(wait_for(pid), TE_SYSCALL_STOP, SIGTRAP | 0x80);

	/* A signal on its way in, then the group-stop it causes once delivered. */
	assert_int_equal(kill(pid, SIGSTOP), 0);
	assert_int_equal(ptrace(PTRACE_CONT, pid, 0, 0), 0);
	ts = expect(wait_for(pid), TE_SIGNAL_DELIVERY, SIGSTOP);
	assert_int_equal(ptrace(PTRACE_CONT, pid, 0, (void *)(long)target_stop_signal(&ts)), 0);
	expect(wait_for(pid), TE_GROUP_STOP, SIGSTOP);

	assert_int_equal(kill(pid, SIGKILL), 0);
	ts = expect(wait_for(pid), TE_KILLED, SIGKILL);
	assert_false(ts.core);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exit_and_kill),   cmocka_unit_test(test_syscall_stop_vs_sigtrap),
	    cmocka_unit_test(test_signal_delivery), cmocka_unit_test(test_event_stop),
	    cmocka_unit_test(test_ptrace_events),   cmocka_unit_test(test_names),
	    cmocka_unit_test(test_real_kernel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
