/*
 * test_slide: the sliding window of the live views (src/core/profile/slide.c)
 * on a fake clock: values enter the bucket of their second, a window
 * younger than W holds all it saw, the oldest second leaves the window
 * gradually (weighted by its share still inside) and is gone exactly W s
 * after its own second ended, a slot reused by a later second forgets
 * the old one, and W can change with the buckets kept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/profile/slide.h"

#define S SLIDE_SEC_NS
#define T0 1000000000000ull /* an arbitrary start */

static uint64_t sum_of(const struct slide *w, uint64_t t, size_t id)
{
	uint64_t out[4] = {0};
	slide_sum(w, T0 + t, out, 4);
	return out[id];
}

static void test_partial_start(void **state)
{
	(void)state;
	struct slide w;
	slide_init(&w, 5, T0);
	slide_add(&w, T0 + S / 10, 1, 10);
	slide_add(&w, T0 + 2 * S + S / 2, 1, 5);
	slide_add(&w, T0 + 2 * S + S / 2, 2, 7);
	/* 2.5 s in: everything seen so far, over 2.5 s */
	assert_int_equal(sum_of(&w, 2 * S + S / 2, 1), 15);
	assert_int_equal(sum_of(&w, 2 * S + S / 2, 2), 7);
	assert_int_equal(slide_span_ns(&w, T0 + 2 * S + S / 2), 2 * S + S / 2);
	assert_int_equal(slide_span_ns(&w, T0 + 9 * S), 5 * S);
	/* an id past nids is left alone */
	uint64_t one[2] = {0};
	slide_sum(&w, T0 + 3 * S, one, 2);
	assert_int_equal(one[1], 15);
	slide_free(&w);
}

static void test_ages_out(void **state)
{
	(void)state;
	struct slide w;
	slide_init(&w, 5, T0);
	slide_add(&w, T0 + S / 2, 1, 100);	   /* second 0 */
	slide_add(&w, T0 + 3 * S + S / 2, 2, 40); /* second 3 */
	/* at 5 s the window [0, 5] still holds all of second 0 */
	assert_int_equal(sum_of(&w, 5 * S, 1), 100);
	/* at 5.25 s a quarter of second 0 is out */
	assert_int_equal(sum_of(&w, 5 * S + S / 4, 1), 75);
	assert_int_equal(sum_of(&w, 5 * S + S / 2, 1), 50);
	assert_int_equal(sum_of(&w, 6 * S - 1, 1), 0); /* 100 * 1 ns / 1 s */
	/* at 6 s: gone, W s after its second ended; second 3 still whole */
	assert_int_equal(sum_of(&w, 6 * S, 1), 0);
	assert_int_equal(sum_of(&w, 6 * S, 2), 40);
	assert_int_equal(sum_of(&w, 8 * S, 2), 40);
	assert_int_equal(sum_of(&w, 8 * S + S / 2, 2), 20);
	assert_int_equal(sum_of(&w, 9 * S, 2), 0);
	slide_free(&w);
}

/* A steady rate shows a steady total: no restart, no drop. */
static void test_steady(void **state)
{
	(void)state;
	struct slide w;
	slide_init(&w, 5, T0);
	for (uint64_t t = 0; t < 40 * S; t += S / 10) {
		slide_add(&w, T0 + t, 0, 1); /* 10 a second */
		if (t >= 5 * S) {
			uint64_t v = sum_of(&w, t, 0);
			assert_in_range(v, 49, 51);
		}
	}
	slide_free(&w);
}

/* A slot the ring reuses for a later second forgets the older one. */
static void test_reuse(void **state)
{
	(void)state;
	struct slide w;
	slide_init(&w, 5, T0);
	slide_add(&w, T0, 3, 9);
	uint64_t later = (uint64_t)(SLIDE_MAX_SECS + 1) * S; /* the same slot */
	slide_add(&w, T0 + later, 3, 1);
	assert_int_equal(sum_of(&w, later, 3), 1);
	slide_free(&w);
}

static void test_set_secs_and_clear(void **state)
{
	(void)state;
	struct slide w;
	slide_init(&w, 5, T0);
	for (uint64_t s = 0; s < 12; s++)
		slide_add(&w, T0 + s * S, 1, 1);
	assert_int_equal(sum_of(&w, 12 * S, 1), 5); /* seconds 7..11 */
	slide_set_secs(&w, 10);
	assert_int_equal(sum_of(&w, 12 * S, 1), 10); /* seconds 2..11, kept */
	slide_set_secs(&w, 2);
	assert_int_equal(sum_of(&w, 12 * S, 1), 2);
	slide_set_secs(&w, 0); /* clamped to 1 */
	assert_int_equal(w.secs, 1);
	slide_clear(&w, T0 + 12 * S);
	assert_int_equal(sum_of(&w, 12 * S + S / 2, 1), 0);
	assert_int_equal(slide_span_ns(&w, T0 + 12 * S + S / 2), S / 2);
	slide_free(&w);
}

/* A span that ended at now is spread back over the seconds it covered. */
static void test_add_back(void **state)
{
	(void)state;
	struct slide w;
	slide_init(&w, 5, T0);
	/* 2.5 s ending at 10.5 s: 0.5 s in second 10, 1 s in 9, 1 s in 8 */
	slide_add_back(&w, T0 + 10 * S + S / 2, 0, 2 * S + S / 2);
	assert_int_equal(sum_of(&w, 10 * S + S / 2, 0), 2 * S + S / 2);
	/* at 13.5 s the window [8.5, 13.5] keeps half of second 8 */
	assert_int_equal(sum_of(&w, 13 * S + S / 2, 0), 2 * S);
	assert_int_equal(sum_of(&w, 15 * S, 0), S / 2);
	assert_int_equal(sum_of(&w, 16 * S, 0), 0);
	/* longer than the ring reaches, or than the time since t0: cut */
	slide_add_back(&w, T0 + 40 * S, 1, 100 * S);
	slide_set_secs(&w, SLIDE_MAX_SECS);
	assert_int_equal(sum_of(&w, 40 * S, 1), SLIDE_MAX_SECS * S);
	struct slide y;
	slide_init(&y, 5, T0);
	slide_add_back(&y, T0 + 2 * S, 2, 10 * S);
	assert_int_equal(sum_of(&y, 2 * S, 2), 2 * S);
	slide_free(&y);
	slide_free(&w);
}

/* Ids still in the ring's reach are live; a remap renumbers and drops. */
static void test_live_remap(void **state)
{
	(void)state;
	struct slide w;
	slide_init(&w, 5, T0);
	slide_add(&w, T0, 0, 1);	      /* second 0: out of reach at 40 s */
	slide_add(&w, T0 + 20 * S, 1, 2);     /* in reach (30 s), not in the 5 s window */
	slide_add(&w, T0 + 38 * S, 2, 3);
	slide_add(&w, T0 + 39 * S, 3, 4);
	uint8_t live[4] = {0};
	slide_live(&w, T0 + 40 * S, live, 4);
	assert_int_equal(live[0], 0);
	assert_int_equal(live[1], 1);
	assert_int_equal(live[2], 1);
	assert_int_equal(live[3], 1);
	size_t map[4] = {SIZE_MAX, 0, SIZE_MAX, 1};
	slide_remap(&w, map, 4);
	uint64_t out[4] = {0};
	slide_set_secs(&w, SLIDE_MAX_SECS);
	slide_sum(&w, T0 + 40 * S, out, 4);
	assert_int_equal(out[0], 2); /* was 1 */
	assert_int_equal(out[1], 4); /* was 3 */
	assert_int_equal(out[2], 0); /* dropped */
	assert_int_equal(out[3], 0);
	slide_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_partial_start),
	    cmocka_unit_test(test_ages_out),
	    cmocka_unit_test(test_steady),
	    cmocka_unit_test(test_reuse),
	    cmocka_unit_test(test_set_secs_and_clear),
	    cmocka_unit_test(test_add_back),
	    cmocka_unit_test(test_live_remap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
