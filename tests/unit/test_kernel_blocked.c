/* test_kernel_blocked.c: the blocked-for tracker and the choice of a group's frame. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <whytop/kernel.h>

#define S(x) ((uint64_t)(x) * 1000000000u)

static void test_generic_frames(void **state)
{
	assert_true(kernel_blocked_frame_generic("__schedule"));
	assert_true(kernel_blocked_frame_generic("schedule"));
	assert_true(kernel_blocked_frame_generic("io_schedule"));
	assert_true(kernel_blocked_frame_generic("schedule_timeout.constprop.0"));
	assert_true(kernel_blocked_frame_generic("rwsem_down_write_slowpath"));
	assert_false(kernel_blocked_frame_generic("request_wait_answer"));
	assert_false(kernel_blocked_frame_generic("kernel_clone"));
	assert_false(kernel_blocked_frame_generic("schedulex"));
	assert_false(kernel_blocked_frame_generic("sched"));
}

static void test_key_frame(void **state)
{
	const char text[] = "[<0>] __schedule+0x1/0x2\n[<0>] schedule+0x1/0x2\n"
			    "[<0>] io_schedule+0x1/0x2\n[<0>] folio_wait_bit_common+0x1/0x2\n"
			    "[<0>] filemap_fault+0x1/0x2\n";
	struct kernel_frame *f;
	size_t n;
	assert_int_equal(kernel_stack_parse_stack(text, sizeof(text) - 1, &f, &n), 0);
	const struct kernel_frame *k = kernel_blocked_key_frame(f, n);
	assert_non_null(k);
	assert_string_equal(k->func, "filemap_fault"); /* waiting on a page: the fault is why */
	assert_null(kernel_blocked_key_frame(f, 3)); /* only scheduler frames: nothing meaningful */
	kernel_frames_free(f, n);
}

static void test_tracker_d(void **state)
{
	struct kernel_block_tracker *tr = kernel_block_tracker_new();
	uint64_t ns;
	time_t since;
	assert_true(kernel_block_tracker_observe(tr, 10, 500, 'D', "kernel_clone", 7, S(100), 1000,
						 &ns, &since));
	assert_int_equal(ns, 0);
	assert_int_equal(since, 1000);
	assert_true(kernel_block_tracker_observe(tr, 10, 500, 'D', "kernel_clone", 7, S(103), 1003,
						 &ns, &since));
	assert_int_equal(ns, S(3));
	assert_int_equal(since, 1000);
	/* It ran in between (one more context switch): a new wait starts now. */
	assert_true(kernel_block_tracker_observe(tr, 10, 500, 'D', "kernel_clone", 8, S(104), 1004,
						 &ns, &since));
	assert_int_equal(ns, 0);
	assert_int_equal(since, 1004);
	/* Running: no longer blocked, forgotten. */
	assert_false(
	    kernel_block_tracker_observe(tr, 10, 500, 'R', "", 9, S(105), 1005, &ns, &since));
	assert_int_equal(kernel_block_tracker_count(tr), 0);
	/* Same tid, another start time: another task (pid reuse). */
	kernel_block_tracker_observe(tr, 10, 500, 'D', "x", UINT64_MAX, S(106), 1006, &ns, &since);
	assert_true(kernel_block_tracker_observe(tr, 10, 999, 'D', "x", UINT64_MAX, S(110), 1010,
						 &ns, &since));
	assert_int_equal(ns, 0);
	assert_int_equal(kernel_block_tracker_count(tr), 2);
	kernel_block_tracker_free(tr);
}

static void test_tracker_s_same_wchan(void **state)
{
	struct kernel_block_tracker *tr = kernel_block_tracker_new();
	uint64_t ns;
	time_t since;
	kernel_block_tracker_observe(tr, 20, 1, 'S', "request_wait_answer", UINT64_MAX, S(1), 1,
				     &ns, &since);
	assert_true(kernel_block_tracker_observe(tr, 20, 1, 'S', "request_wait_answer", UINT64_MAX,
						 S(5), 5, &ns, &since));
	assert_int_equal(ns, S(4));
	/* S on another wchan: another wait. */
	assert_true(kernel_block_tracker_observe(tr, 20, 1, 'S', "do_epoll_wait", UINT64_MAX, S(6),
						 6, &ns, &since));
	assert_int_equal(ns, 0);
	/* S -> D (FUSE gives up the interruptible wait): a new, uninterruptible wait. */
	assert_true(kernel_block_tracker_observe(tr, 20, 1, 'D', "request_wait_answer", UINT64_MAX,
						 S(7), 7, &ns, &since));
	assert_int_equal(ns, 0);
	/* S with a hidden or empty wchan says nothing. */
	assert_false(
	    kernel_block_tracker_observe(tr, 21, 1, 'S', NULL, UINT64_MAX, S(7), 7, &ns, &since));
	assert_false(
	    kernel_block_tracker_observe(tr, 22, 1, 'S', "", UINT64_MAX, S(7), 7, &ns, &since));
	kernel_block_tracker_free(tr);
}

static void test_tracker_prune(void **state)
{
	struct kernel_block_tracker *tr = kernel_block_tracker_new();
	uint64_t ns;
	time_t since;
	for (int i = 0; i < 100; i++)
		kernel_block_tracker_observe(tr, i + 1, 1, 'D', "w", 1, S(1), 1, &ns, &since);
	kernel_block_tracker_observe(tr, 5, 1, 'D', "w", 1, S(2), 2, &ns, &since);
	assert_int_equal(kernel_block_tracker_count(tr), 100);
	kernel_block_tracker_prune(tr, S(2));
	assert_int_equal(kernel_block_tracker_count(tr), 1);
	assert_true(kernel_block_tracker_observe(tr, 5, 1, 'D', "w", 1, S(9), 9, &ns, &since));
	assert_int_equal(ns, S(8));
	kernel_block_tracker_free(tr);
}

static void test_duration_words(void **state)
{
	char b[32];
	assert_string_equal(kernel_duration_format(S(4) + 200000000u, b, sizeof(b)), "4.2s");
	assert_string_equal(kernel_duration_format(S(187), b, sizeof(b)), "3m07s");
	assert_string_equal(kernel_duration_format(S(7500), b, sizeof(b)), "2h05m");
	assert_string_equal(kernel_state_name('D'), "disk sleep (uninterruptible)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generic_frames),  cmocka_unit_test(test_key_frame),
		cmocka_unit_test(test_tracker_d),       cmocka_unit_test(test_tracker_s_same_wchan),
		cmocka_unit_test(test_tracker_prune),   cmocka_unit_test(test_duration_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
