/*
 * test_profile_window: the Profile tab's sliding window as profile_result
 * composes it (src/core/profile/profile.c), on a session without perf fed
 * samples at times of the test's: functions enter, the report covers the
 * last W s only (self and total per function), a function that stopped
 * leaves it W s later, the first seconds are a partial window; stacks gone
 * from the ring are forgotten (pruned) without changing any report.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <whytop/profile.h>

#include "core/profile/profile_int.h"

#define S 1000000000ull
#define T0 5000000000000ull

static const struct profile_fn *fn(const struct profile *p, const char *name)
{
	for (size_t i = 0; i < p->nfns; i++)
		if (!strcmp(p->fns[i].name, name))
			return &p->fns[i];
	return NULL;
}

static struct profile *at(struct profile_session *s, uint64_t t)
{
	struct profile *p = NULL;
	struct wt_err err;
	assert_int_equal(profile_result_at(s, T0 + t, &p, &err), 0);
	return p;
}

/* 10 samples a second: main -> prof_a for 10 s, then main -> prof_b. */
static void test_phases(void **state)
{
	(void)state;
	struct profile_session *s = profile_session_bare(T0, 5, 4096);
	const char *a[] = {"prof_a", "main"}, *b[] = {"prof_b", "main"};
	struct profile *p;
	for (uint64_t t = 0; t <= 20 * S; t += S / 10) {
		profile_count_names(s, T0 + t, t < 10 * S ? a : b, 2);
		if (t == 2 * S + S / 2) { /* partial: all 26 samples, over 2.5 s */
			p = at(s, t);
			assert_int_equal(p->samples, 26);
			assert_int_equal(p->duration_ns, 2 * S + S / 2);
			assert_int_equal(p->window_secs, 5);
			assert_int_equal(fn(p, "prof_a")->self, 26);
			profile_free(p);
		} else if (t == 10 * S) { /* seconds 5..9 of a, b's first */
			p = at(s, t);
			assert_int_equal(p->duration_ns, 5 * S);
			assert_int_equal(fn(p, "prof_a")->self, 50);
			assert_int_equal(fn(p, "prof_b")->self, 1);
			assert_int_equal(fn(p, "main")->self, 0);
			assert_int_equal(fn(p, "main")->total, 51);
			assert_int_equal(p->samples, 51);
			profile_free(p);
		} else if (t == 12 * S) { /* a fading: 7..9; b: 10, 11, one of 12 */
			p = at(s, t);
			assert_int_equal(fn(p, "prof_a")->self, 30);
			assert_int_equal(fn(p, "prof_b")->self, 21);
			assert_string_equal(p->fns[0].name, "prof_a"); /* by self, then total */
			assert_string_equal(p->fns[2].name, "main");
			profile_free(p);
		} else if (t == 14 * S + S / 2) { /* half of second 9 still inside */
			p = at(s, t);
			assert_int_equal(fn(p, "prof_a")->self, 5);
			profile_free(p);
		} else if (t == 15 * S) { /* a is gone, 5 s after its last second */
			p = at(s, t);
			assert_null(fn(p, "prof_a"));
			assert_int_equal(fn(p, "prof_b")->self, 51);
			assert_int_equal(p->npaths, 1);
			assert_string_equal(p->paths[0].folded, "main;prof_b");
			profile_free(p);
		}
	}
	/* a wider window over what the buckets hold; 0: the totals since t0 */
	profile_window_set(s, 30);
	p = at(s, 20 * S);
	assert_int_equal(fn(p, "prof_a")->self, 100);
	assert_int_equal(fn(p, "prof_b")->self, 101);
	profile_free(p);
	profile_window_set(s, 0);
	p = at(s, 20 * S);
	assert_int_equal(p->samples, 201);
	profile_free(p);
	profile_close(s);
}

/* One new stack every 10 s: past 8 of them, those out of the ring's 30 s go. */
static void test_prune(void **state)
{
	(void)state;
	struct profile_session *s = profile_session_bare(T0, 5, 8);
	char name[20][8];
	struct profile *p;
	for (int k = 0; k < 20; k++) {
		snprintf(name[k], sizeof(name[k]), "f%d", k);
		const char *st[] = {name[k], "main"};
		profile_count_names(s, T0 + (uint64_t)k * 10 * S, st, 2);
		assert_true(profile_nstacks(s) <= 8);
		if (k == 8) {
			/* at f7 (70 s) f0..f3 were forgotten, f4..f7 in the ring's reach kept */
			assert_int_equal(profile_nstacks(s), 5);
			p = at(s, 80 * S);
			assert_int_equal(p->samples, 1);
			assert_non_null(fn(p, "f8"));
			profile_free(p);
			profile_window_set(s, 30);
			p = at(s, 80 * S);
			assert_int_equal(p->samples, 4);
			assert_non_null(fn(p, "f5"));
			assert_non_null(fn(p, "f8"));
			assert_null(fn(p, "f4"));
			profile_free(p);
			profile_window_set(s, 5);
		}
	}
	/* a forgotten stack seen again counts afresh */
	const char *again[] = {"f0", "main"};
	profile_count_names(s, T0 + 200 * S, again, 2);
	profile_count_names(s, T0 + 200 * S, again, 2);
	p = at(s, 200 * S);
	assert_int_equal(p->samples, 2);
	assert_int_equal(fn(p, "f0")->self, 2);
	assert_null(fn(p, "f19")); /* 190 s: out of the 5 s window */
	profile_free(p);
	profile_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_phases),
	    cmocka_unit_test(test_prune),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
