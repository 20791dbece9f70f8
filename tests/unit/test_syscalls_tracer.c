/* test_syscalls_tracer.c: the ptrace engine's table of traced threads
 * (open addressing with tombstones; no ptrace needed to test it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core/syscalls/tracer.h"

static void test_add_find_remove(void **state)
{
	struct sc_tracer t;
	struct sc_sample *acc = sc_sample_new();
	sc_tracer_init(&t, acc, NULL, 0);
	/* tids that collide in a small table, and many of them: growth */
	for (pid_t tid = 100; tid < 3100; tid += 3)
		assert_non_null(sc_tracer_add(&t, tid));
	assert_int_equal(t.live, 1000);
	for (pid_t tid = 100; tid < 3100; tid += 3)
		assert_non_null(sc_tracer_find(&t, tid));
	assert_null(sc_tracer_find(&t, 101));
	/* remove every other one: the rest stay reachable past the tombstones */
	for (pid_t tid = 100; tid < 3100; tid += 6)
		sc_tracer_remove(&t, tid);
	assert_int_equal(t.live, 500);
	for (pid_t tid = 100; tid < 3100; tid += 3) {
		if ((tid - 100) % 6 == 0)
			assert_null(sc_tracer_find(&t, tid));
		else
			assert_non_null(sc_tracer_find(&t, tid));
	}
	/* a tid that comes back (reused) is a fresh entry */
	struct sc_tracee *e = sc_tracer_add(&t, 100);
	assert_non_null(e);
	assert_int_equal(e->in_syscall, 0);
	assert_int_equal(t.live, 501);
	/* adding twice does not count twice */
	assert_ptr_equal(sc_tracer_add(&t, 100), e);
	assert_int_equal(t.live, 501);
	sc_tracer_fini(&t);
	sc_sample_free(acc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_add_find_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
