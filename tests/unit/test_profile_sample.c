/*
 * test_profile_sample: the perf sample parser of the CPU profile
 * (profile_parse_sample in src/core/profile/profile.c) on records laid out
 * as the kernel writes them: fields in order, the call chain's context
 * markers dropped, registers by perf's numbers, the stack copy and its
 * dyn_size; a record cut short at any byte, or whose counts point past
 * its end, is refused and never read beyond.
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/profile/profile_int.h"

struct rec {
	uint8_t b[4096];
	size_t n;
};

static void put(struct rec *r, uint64_t v)
{
	memcpy(r->b + r->n, &v, 8);
	r->n += 8;
}

/* ip, pid/tid, time, [callchain], regs (17 of them), stack of 64 bytes with dyn 40. */
static void build(struct rec *r, bool callchain)
{
	memset(r, 0, sizeof(*r));
	put(r, 0x401000);
	put(r, (uint64_t)4321 << 32 | 1234); /* pid 1234, tid 4321 */
	put(r, 99);
	if (callchain) {
		put(r, 4);
		put(r, (uint64_t)PERF_CONTEXT_KERNEL);
		put(r, 0xffffffff81000010ull);
		put(r, 0xffffffff81000020ull);
		put(r, (uint64_t)PERF_CONTEXT_USER);
	}
	put(r, PERF_SAMPLE_REGS_ABI_64);
	for (int i = 0; i < 17; i++)
		put(r, 0x1000 + (uint64_t)i); /* ax bx cx dx si di bp sp ip r8..r15 */
	put(r, 64);
	for (int i = 0; i < 64; i++)
		r->b[r->n++] = (uint8_t)i;
	put(r, 40);
}

static void test_fields(void **state)
{
	(void)state;
	struct rec r;
	struct profile_sample s;
	build(&r, true);
	assert_int_equal(profile_parse_sample(r.b, r.n, true, &s), 0);
	assert_int_equal(s.ip, 0x401000);
	assert_int_equal(s.pid, 1234);
	assert_int_equal(s.tid, 4321);
	assert_int_equal(s.time, 99);
	assert_int_equal(s.nk, 2);
	assert_int_equal(s.kips[0], 0xffffffff81000010ull);
	assert_int_equal(s.kips[1], 0xffffffff81000020ull);
	assert_true(s.has_regs);
	assert_int_equal(s.regs[0], 0x1000); /* ax */
	assert_int_equal(s.regs[7], 0x1007); /* sp */
	assert_int_equal(s.regs[8], 0x1008); /* ip */
	assert_int_equal(s.regs[9], 0);	     /* flags and segments are not asked for */
	assert_int_equal(s.regs[10], 0);
	assert_int_equal(s.regs[16], 0x1009); /* r8 */
	assert_int_equal(s.regs[23], 0x1010); /* r15 */
	assert_int_equal(s.stack_size, 64);
	assert_int_equal(s.stack_len, 40);
	assert_non_null(s.stack);
	assert_int_equal(s.stack[0], 0);
	assert_int_equal(s.stack[39], 39);
}

static void test_no_callchain(void **state)
{
	(void)state;
	struct rec r;
	struct profile_sample s;
	build(&r, false);
	assert_int_equal(profile_parse_sample(r.b, r.n, false, &s), 0);
	assert_int_equal(s.nk, 0);
	assert_int_equal(s.regs[8], 0x1008);
	assert_int_equal(s.stack_len, 40);
}

/* A kernel thread's sample: ABI NONE, no registers, no stack. */
static void test_no_regs(void **state)
{
	(void)state;
	struct rec r = {0};
	struct profile_sample s;
	put(&r, 0xffffffff81000000ull);
	put(&r, 7);
	put(&r, 1);
	put(&r, PERF_SAMPLE_REGS_ABI_NONE);
	put(&r, 0);
	assert_int_equal(profile_parse_sample(r.b, r.n, false, &s), 0);
	assert_false(s.has_regs);
	assert_int_equal(s.stack_size, 0);
	assert_null(s.stack);
}

/* Every shorter length is refused (the parser never reads past len). */
static void test_cut_short(void **state)
{
	(void)state;
	struct rec r;
	struct profile_sample s;
	build(&r, true);
	for (size_t n = 0; n < r.n; n++) {
		uint8_t *copy = malloc(n ? n : 1); /* exactly n bytes: ASan sees an overread */
		memcpy(copy, r.b, n);
		assert_int_equal(profile_parse_sample(copy, n, true, &s), -EINVAL);
		free(copy);
	}
}

/* Counts that point past the end (or would overflow) are refused. */
static void test_huge_counts(void **state)
{
	(void)state;
	struct rec r;
	struct profile_sample s;
	build(&r, true);
	uint64_t huge = (1ull << 61) + 1; /* nr * 8 wraps to 8 */
	memcpy(r.b + 24, &huge, 8);
	assert_int_equal(profile_parse_sample(r.b, r.n, true, &s), -EINVAL);
	build(&r, false);
	size_t size_at = 24 + 8 + 17 * 8;
	uint64_t big = UINT64_MAX - 4; /* size + 8 wraps */
	memcpy(r.b + size_at, &big, 8);
	assert_int_equal(profile_parse_sample(r.b, r.n, false, &s), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fields),	cmocka_unit_test(test_no_callchain),
	    cmocka_unit_test(test_no_regs),	cmocka_unit_test(test_cut_short),
	    cmocka_unit_test(test_huge_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
