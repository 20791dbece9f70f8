/*
 * test_poke_hold.c: what a poke does with a frame that has really gone.
 * poke_regs.c walks the held thread again before writing a register and
 * writes only into the same activation (function and CFA); a frame whose
 * CFA is on no stack now (as after a return) must be refused, in frame 0
 * and in an outer frame, with nothing written. An undo of a global does not
 * depend on a frame: poke_undo_frame finds one that sees it. Runs real
 * loc_reg targets; skipped without $TARGETS.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <whytop/locals.h>
#include <whytop/stack.h>

static pid_t child = -1;

static int start_mode(const char *mode)
{
	const char *dir = getenv("TARGETS");
	char path[4096], line[256];
	int fds[2];
	FILE *f;

	if (!dir)
		return -1;
	snprintf(path, sizeof(path), "%s/loc_reg", dir);
	if (pipe(fds) < 0)
		return -1;
	child = fork();
	if (child == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		execl(path, path, mode, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "ready"))
			return 0;
	return -1;
}

static int start_outer(void **state)
{
	(void)state;
	return start_mode("outer");
}

static int start_reg0(void **state)
{
	(void)state;
	return start_mode("reg0");
}

static int stop_target(void **state)
{
	(void)state;
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	return 0;
}

/* The frame of function fn where var is visible; waits for the target's loop to be there. */
static void open_in(const char *fn, const char *var, struct debug_proc **dp, struct stack **st,
		    struct locals_frame *lf)
{
	struct wt_err err = {0};
	for (int tries = 0; tries < 200; tries++) {
		if (locals_open_frame(child, 0, -1, fn, var, dp, st, lf, &err) == 0)
			return;
		usleep(10000);
	}
	fail_msg("no frame in %s: %s", fn, err.msg);
}

/* A frame at a CFA no stack has now: poke must refuse and write nothing. */
static void refuse_returned(const char *fn, int want_index)
{
	struct debug_proc *dp;
	struct stack *st;
	struct locals_frame lf, gone;
	struct poke_result res = {0};
	struct wt_err err = {0};
	char big[32];

	open_in(fn, "budget", &dp, &st, &lf);
	if (want_index >= 0)
		assert_int_equal(lf.index, want_index);
	gone = lf;
	gone.frame.cfa += 0x10000;
	assert_int_equal(poke_write(dp, &gone, "budget", "5", &res, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "has returned since it was read"));
	/* Nothing was written: the budget still counts down from 2^50. */
	snprintf(big, sizeof(big), "%ld", 1000000000000L);
	assert_int_equal(poke_write(dp, &lf, "budget", big, &res, &err), 0);
	assert_true(strtoll(res.old_value, NULL, 10) > 1000000000000LL);
	assert_true(res.dest == POKE_DEST_REGISTER && !res.global);
	/* A local's undo in a frame that has returned: refused as well. */
	{
		struct locals_frame f2;
		struct stack *st2 = NULL;
		struct stack_opts so = {.only_tid = lf.tid};
		assert_int_equal(locals_walk(dp, &so, &st2, &err), 0);
		assert_int_equal(poke_undo_frame(dp, st2, &gone, &res, &f2, &err),
				 -ENOENT);
		stack_free(st2);
	}
	poke_result_free(&res);
	stack_free(st);
	debug_proc_close(dp);
}

static void test_outer_frame_returned(void **state)
{
	(void)state;
	refuse_returned("crunch", -1);
}

static void test_frame0_returned(void **state)
{
	(void)state;
	refuse_returned("countdown", 0);
}

static void test_undo_global_frame_gone(void **state)
{
	struct debug_proc *dp;
	struct stack *st, *st2 = NULL;
	struct locals_frame lf, gone, f2;
	struct poke_result res = {0};
	struct stack_opts so = {0};
	struct wt_err err = {0};

	(void)state;
	open_in("crunch", "sink", &dp, &st, &lf);
	assert_int_equal(poke_write(dp, &lf, "sink", "77", &res, &err), 0);
	assert_true(res.global && res.dest == POKE_DEST_MEMORY);
	assert_string_equal(res.old_value, "0");
	assert_string_equal(res.new_value, "77");
	/* The frame it was poked in is gone; the global is still there. */
	gone = lf;
	gone.frame.cfa += 0x10000;
	so.only_tid = lf.tid;
	assert_int_equal(locals_walk(dp, &so, &st2, &err), 0);
	assert_int_equal(locals_frame_again(dp, st2, &gone, &f2, &err), -ENOENT);
	assert_int_equal(poke_undo_frame(dp, st2, &gone, &res, &f2, &err), 0);
	assert_int_equal(poke_undo(dp, &f2, &res, &err), 0);
	assert_string_equal(res.old_value, "77");
	assert_string_equal(res.new_value, "0");
	assert_true(res.took);
	poke_result_free(&res);
	stack_free(st2);
	stack_free(st);
	debug_proc_close(dp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_outer_frame_returned, start_outer, stop_target),
	    cmocka_unit_test_setup_teardown(test_frame0_returned, start_reg0, stop_target),
	    cmocka_unit_test_setup_teardown(test_undo_global_frame_gone, start_outer, stop_target),
	};
	if (!getenv("TARGETS") || geteuid() != 0) {
		fprintf(stderr, "SKIP: needs root and $TARGETS (run through make check)\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
