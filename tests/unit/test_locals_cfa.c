/*
 * test_locals_cfa.c: DW_OP_call_frame_cfa without the unwinder's CFA. At
 * -O0 every local of loc_types is at DW_OP_fbreg from a frame base of
 * DW_OP_call_frame_cfa. Reading frame 0 and frame 1 (main) once with the
 * walk's CFA and once with the CFA cleared (so location.c evaluates the
 * module's CFI against the frame's registers) must give the same places
 * and values. Runs a real loc_types; skipped without $TARGETS.
 */
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

static int start_target(void **state)
{
	const char *dir = getenv("TARGETS");
	char path[4096], line[256];
	int fds[2];
	FILE *f;

	if (!dir)
		return -1;
	snprintf(path, sizeof(path), "%s/loc_types", dir);
	if (pipe(fds) < 0)
		return -1;
	child = fork();
	if (child == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		execl(path, path, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	/* Wait for "ready": the loop runs from then on. */
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "ready", 5) == 0)
			return 0;
	return -1;
}

static int stop_target(void **state)
{
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	return 0;
}

static void compare_frame(struct debug_proc *dp, const struct stack *st, int n, const char *fn,
			  size_t min_vars)
{
	struct locals_frame lf, nocfa;
	struct locals *a = NULL, *b = NULL;
	struct locals_opts o = {.no_globals = true};
	struct wt_err err = {0};

	assert_int_equal(locals_frame_from_stack(st, 0, n, &lf, &err), 0);
	assert_true(lf.frame.cfa != 0);
	nocfa = lf;
	nocfa.frame.cfa = 0;
	assert_int_equal(locals_read(dp, &lf, &o, &a, &err), 0);
	assert_int_equal(locals_read(dp, &nocfa, &o, &b, &err), 0);
	assert_string_equal(a->function, fn);
	assert_true(a->nvars >= min_vars);
	assert_int_equal(a->nvars, b->nvars);
	for (size_t i = 0; i < a->nvars; i++) {
		assert_string_equal(a->vars[i].path, b->vars[i].path);
		assert_string_equal(a->vars[i].where, b->vars[i].where);
		assert_int_equal(a->vars[i].loc, LOCALS_LOC_STACK);
		/* Spinning changes nothing in these frames: the values agree too. */
		assert_non_null(a->vars[i].value);
		assert_non_null(b->vars[i].value);
		assert_string_equal(a->vars[i].value, b->vars[i].value);
	}
	locals_free(a);
	locals_free(b);
}

static void test_cfa_from_cfi(void **state)
{
	struct debug_proc *dp = NULL;
	struct stack *st = NULL;
	struct stack_opts so = {0};
	struct wt_err err = {0};

	assert_int_equal(debug_proc_open(child, &dp, &err), 0);
	/* Right after "ready" it may still be in write(): wait for its loop. */
	for (int tries = 0; tries < 200; tries++) {
		assert_int_equal(stack_walk(dp, &so, &st, &err), 0);
		const struct stack_thread *th = &st->threads[0];
		if (th->nframes >= 2 && th->frames[0].function &&
		    strcmp(th->frames[0].function, "show_types") == 0)
			break;
		stack_free(st);
		st = NULL;
		usleep(10000);
	}
	assert_non_null(st);
	assert_true(st->nthreads == 1 && st->threads[0].nframes >= 2);
	compare_frame(dp, st, 0, "show_types", 20);
	compare_frame(dp, st, 1, "main", 2);
	stack_free(st);
	debug_proc_close(dp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_cfa_from_cfi, start_target, stop_target),
	};
	if (!getenv("TARGETS") || geteuid() != 0) {
		fprintf(stderr, "SKIP: needs root and $TARGETS (run through make check)\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
