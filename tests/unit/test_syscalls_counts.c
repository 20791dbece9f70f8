/* test_syscalls_counts.c: the per-syscall table: deltas, rates, errnos, reset, sort. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <whytop/syscalls.h>

#define NS 1000000000ull

static const struct sc_row *find(const struct sc_counts *c, const char *name, enum sc_abi abi)
{
	for (size_t i = 0; i < c->nrows; i++)
		if (strcmp(c->rows[i].name, name) == 0 && c->rows[i].abi == abi)
			return &c->rows[i];
	return NULL;
}

static void put(struct sc_sample *s, enum sc_abi abi, long nr, uint64_t calls, uint64_t errors,
		uint64_t time_ns)
{
	struct sc_raw *r = &s->slot[sc_slot(abi, nr)];
	r->calls = calls;
	r->timed = calls;
	r->errors = errors;
	r->time_ns = time_ns;
}

static void test_rates_and_totals(void **state)
{
	struct sc_counts *c = sc_counts_new();
	struct sc_sample *s = sc_sample_new();
	sc_counts_set_window(c, 2.0);
	for (int t = 0; t <= 4; t++) {
		s->t_ns = 100 * NS + (uint64_t)t * NS;
		put(s, SC_ABI_X86_64, 110, (uint64_t)t * 1000, 0, (uint64_t)t * 1000); /* getppid */
		put(s, SC_ABI_X86_64, 3, (uint64_t)t * 10, (uint64_t)t * 10, 0);       /* close */
		sc_counts_update(c, s);
	}
	const struct sc_row *g = find(c, "getppid", SC_ABI_X86_64);
	assert_non_null(g);
	assert_int_equal(g->calls, 4000);
	assert_true(g->rate > 999.0 && g->rate < 1001.0);
	assert_int_equal(c->total_calls, 4040);
	assert_int_equal(c->total_errors, 40);
	assert_true(c->elapsed_s > 3.99 && c->elapsed_s < 4.01);
	double spark[8];
	size_t n = sc_counts_spark(c, spark, 8);
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++)
		assert_true(spark[i] > 1009.0 && spark[i] < 1011.0);
	sc_counts_free(c);
	sc_sample_free(s);
}

static void test_errno_and_abi(void **state)
{
	struct sc_counts *c = sc_counts_new();
	struct sc_sample *s = sc_sample_new();
	s->t_ns = NS;
	sc_counts_update(c, s);
	s->t_ns = 2 * NS;
	put(s, SC_ABI_X86_64, 80, 7, 7, 0); /* chdir */
	sc_raw_add_errno(&s->slot[sc_slot(SC_ABI_X86_64, 80)], ENOENT, 5);
	sc_raw_add_errno(&s->slot[sc_slot(SC_ABI_X86_64, 80)], EACCES, 2);
	put(s, SC_ABI_I386, 20, 3, 0, 0);     /* i386 getpid, not x86_64 writev */
	put(s, SC_ABI_X86_64, 15, 4, 4, 0);   /* rt_sigreturn: its "errors" are not */
	put(s, SC_ABI_X86_64, 2000, 1, 0, 0); /* out of range */
	sc_counts_update(c, s);
	const struct sc_row *r = find(c, "chdir", SC_ABI_X86_64);
	assert_non_null(r);
	assert_int_equal(r->top_errno, ENOENT);
	assert_int_equal(r->top_errno_calls, 5);
	assert_non_null(find(c, "getpid", SC_ABI_I386));
	assert_null(find(c, "writev", SC_ABI_X86_64));
	r = find(c, "rt_sigreturn", SC_ABI_X86_64);
	assert_non_null(r);
	assert_int_equal(r->errors, 0);
	assert_non_null(find(c, "(out of range)", SC_ABI_X86_64));
	char buf[16];
	assert_string_equal(sc_errno_name(ENOENT, buf, sizeof(buf)), "ENOENT");
	assert_string_equal(sc_errno_name(512, buf, sizeof(buf)), "ERESTARTSYS");
	assert_string_equal(sc_errno_name(3999, buf, sizeof(buf)), "E3999");
	sc_counts_free(c);
	sc_sample_free(s);
}

static void test_reset_and_sort(void **state)
{
	struct sc_counts *c = sc_counts_new();
	struct sc_sample *s = sc_sample_new();
	s->t_ns = NS;
	put(s, SC_ABI_X86_64, 0, 100, 0, 5000); /* read */
	put(s, SC_ABI_X86_64, 1, 50, 0, 90000); /* write */
	sc_counts_update(c, s);
	sc_counts_reset(c);
	s->t_ns = 2 * NS;
	sc_counts_update(c, s); /* the new zero */
	s->t_ns = 3 * NS;
	put(s, SC_ABI_X86_64, 0, 130, 0, 6000);
	put(s, SC_ABI_X86_64, 1, 60, 0, 100000);
	sc_counts_update(c, s);
	assert_int_equal(c->total_calls, 40);
	sc_counts_sort(c, SC_SORT_CALLS);
	assert_string_equal(c->rows[0].name, "read");
	assert_int_equal(c->rows[0].calls, 30);
	sc_counts_sort(c, SC_SORT_TIME);
	assert_string_equal(c->rows[0].name, "write");
	assert_true(c->rows[0].share > 0.9 && c->rows[0].share < 0.92);
	sc_counts_sort(c, SC_SORT_NAME);
	assert_string_equal(c->rows[0].name, "read");
	sc_counts_free(c);
	sc_sample_free(s);
}

static void test_syscall_nnn(void **state)
{
	/* 462 (mseal) is newer than libseccomp 2.5.4 */
	struct sc_counts *c = sc_counts_new();
	struct sc_sample *s = sc_sample_new();
	s->t_ns = NS;
	sc_counts_update(c, s);
	s->t_ns = 2 * NS;
	put(s, SC_ABI_X86_64, 462, 1, 0, 0);
	sc_counts_update(c, s);
	assert_int_equal(c->nrows, 1);
	assert_true(strcmp(c->rows[0].name, "mseal") == 0 ||
		    strcmp(c->rows[0].name, "syscall_462") == 0);
	sc_counts_free(c);
	sc_sample_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rates_and_totals),
	    cmocka_unit_test(test_errno_and_abi),
	    cmocka_unit_test(test_reset_and_sort),
	    cmocka_unit_test(test_syscall_nnn),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
