/*
 * test_trace_ring.c: the lines a screen keeps of a trace (ring.c), from
 * canned records: a call updated in place from entry to exit, interleaved
 * threads, an exit without its entry, signals, exits, lost events, the
 * oldest lines dropped, and the filter a person types.
 */
#include <errno.h>
#include <linux/audit.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include <cmocka.h>

#include <whytop/trace.h>

static bool ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && strcmp(s + a - b, tail) == 0;
}

static bool starts_with(const char *s, const char *head)
{
	return strncmp(s, head, strlen(head)) == 0;
}

static struct trace_rec call(pid_t tid, long nr, unsigned part, int64_t ret, uint64_t t)
{
	struct trace_rec r;
	memset(&r, 0, sizeof(r));
	r.kind = TRACE_SYSCALL;
	r.pid = 100;
	r.tid = tid;
	r.t_ns = t;
	r.sc.pid = 100;
	r.sc.tid = tid;
	r.sc.arch = AUDIT_ARCH_X86_64;
	r.sc.nr = nr;
	r.sc.part = part;
	r.sc.ret = ret;
	if (part & SCEV_ENTRY)
		r.sc.t_entry_ns = t;
	if (part & SCEV_EXIT)
		r.sc.t_exit_ns = t;
	return r;
}

static void test_entry_then_exit(void **state)
{
	struct trace_ring *r = trace_ring_new(16, NULL);
	struct trace_rec e = call(101, SYS_openat, SCEV_ENTRY, 0, 1000);
	/* the path, captured at entry: the ring must keep its own copy */
	char path[] = "/nonexistent";
	e.sc.arg[0] = (uint64_t)-100;
	e.sc.arg[1] = 0x1000;
	e.sc.ncap = 1;
	e.sc.cap[0] = (struct scev_cap){.arg = 1, .state = SCEV_CAP_OK, .len = sizeof(path) - 1,
					.data = (const unsigned char *)path};
	trace_ring_add(r, &e);
	memset(path, 'X', sizeof(path) - 1); /* the backend's buffer is reused */
	assert_int_equal(trace_ring_count(r), 1);
	const struct trace_line *l = trace_ring_get(r, 0);
	assert_false(l->done);
	assert_string_equal(l->name, "openat");
	assert_true(starts_with(l->text, "openat("));
	assert_true(ends_with(l->text, " ..."));

	struct trace_rec x = call(101, SYS_openat, SCEV_EXIT, -ENOENT, 1500);
	trace_ring_add(r, &x);
	assert_int_equal(trace_ring_count(r), 1); /* the same line, completed */
	l = trace_ring_get(r, 0);
	assert_true(l->done);
	assert_true(l->failed);
	assert_int_equal(l->dur_ns, 500);
	assert_true(starts_with(l->text, "openat("));
	assert_true(ends_with(l->text, ") = -1 ENOENT (No such file or directory)"));
	assert_null(strstr(l->text, "XXXX"));
	trace_ring_free(r);
}

static void test_interleaved(void **state)
{
	struct trace_ring *r = trace_ring_new(16, NULL);
	struct trace_rec a = call(101, SYS_read, SCEV_ENTRY, 0, 10);
	struct trace_rec b = call(102, SYS_getpid, SCEV_BOTH, 100, 20);
	struct trace_rec c = call(101, SYS_read, SCEV_EXIT, 5, 30);
	trace_ring_add(r, &a);
	trace_ring_add(r, &b);
	trace_ring_add(r, &c);
	assert_int_equal(trace_ring_count(r), 2);
	/* the read keeps its place (first) and is completed there */
	const struct trace_line *l0 = trace_ring_get(r, 0), *l1 = trace_ring_get(r, 1);
	assert_int_equal(l0->tid, 101);
	assert_true(l0->done);
	assert_false(l0->failed);
	assert_true(ends_with(l0->text, ") = 5"));
	assert_int_equal(l1->tid, 102);
	assert_true(ends_with(l1->text, ") = 100"));
	assert_int_equal(trace_ring_serial(r), 2);
	trace_ring_free(r);
}

static void test_exit_without_entry(void **state)
{
	struct trace_ring *r = trace_ring_new(16, NULL);
	struct trace_rec c = call(101, SYS_read, SCEV_EXIT, -EINTR, 30);
	trace_ring_add(r, &c);
	const struct trace_line *l = trace_ring_get(r, 0);
	assert_true(starts_with(l->text, "<... read resumed>"));
	assert_true(l->failed);
	trace_ring_free(r);
}

static void test_signal_exit_lost(void **state)
{
	struct trace_ring *r = trace_ring_new(16, NULL);
	struct trace_rec s;
	memset(&s, 0, sizeof(s));
	s.kind = TRACE_SIGNAL;
	s.tid = 101;
	s.si.si_signo = SIGSEGV;
	trace_ring_add(r, &s);
	struct trace_rec e = s;
	e.kind = TRACE_EXIT;
	e.status = SIGSEGV | 0x80; /* killed, core dumped */
	trace_ring_add(r, &e);
	struct trace_rec z = s;
	z.kind = TRACE_LOST;
	z.lost = 7;
	trace_ring_add(r, &z);
	assert_int_equal(trace_ring_count(r), 3);
	assert_true(starts_with(trace_ring_get(r, 0)->text, "--- SIGSEGV {si_signo=SIGSEGV"));
	assert_true(trace_ring_get(r, 0)->failed);
	assert_string_equal(trace_ring_get(r, 1)->text, "+++ killed by SIGSEGV (core dumped) +++");
	assert_true(starts_with(trace_ring_get(r, 2)->text, "--- lost 7 events"));
	assert_int_equal(trace_ring_lost(r), 7);
	trace_ring_free(r);
}

static void test_oldest_dropped(void **state)
{
	struct trace_ring *r = trace_ring_new(3, NULL);
	/* a call in progress whose line is pushed out, then returns */
	struct trace_rec a = call(101, SYS_read, SCEV_ENTRY, 0, 1);
	trace_ring_add(r, &a);
	for (int i = 0; i < 5; i++) {
		struct trace_rec b = call(102, SYS_getpid, SCEV_BOTH, 100 + i, 2 + (uint64_t)i);
		trace_ring_add(r, &b);
	}
	assert_int_equal(trace_ring_count(r), 3);
	assert_true(ends_with(trace_ring_get(r, 0)->text, " = 102"));
	assert_true(ends_with(trace_ring_get(r, 2)->text, " = 104"));
	struct trace_rec c = call(101, SYS_read, SCEV_EXIT, 1, 9);
	trace_ring_add(r, &c);
	assert_int_equal(trace_ring_count(r), 3);
	assert_true(starts_with(trace_ring_get(r, 2)->text, "<... read resumed>"));
	assert_int_equal(trace_ring_serial(r), 7);
	assert_null(trace_ring_get(r, 3));
	trace_ring_free(r);
}

static void test_filter(void **state)
{
	struct trace_ring *r = trace_ring_new(16, NULL);
	struct trace_rec a = call(101, SYS_openat, SCEV_BOTH, -ENOENT, 1);
	struct trace_rec b = call(101, SYS_getpid, SCEV_BOTH, 100, 2);
	trace_ring_add(r, &a);
	trace_ring_add(r, &b);
	const struct trace_line *o = trace_ring_get(r, 0), *g = trace_ring_get(r, 1);
	assert_true(trace_line_matches(o, ""));
	assert_true(trace_line_matches(o, "open"));
	assert_false(trace_line_matches(g, "open"));
	assert_true(trace_line_matches(o, "!"));
	assert_false(trace_line_matches(g, "!"));
	assert_false(trace_line_matches(o, "!open"));
	assert_true(trace_line_matches(g, "!open"));
	assert_true(trace_line_matches(g, "  get   pid "));
	assert_false(trace_line_matches(g, "get open"));
	assert_false(trace_line_matches(g, "%nosuchclass"));
	/* a class works once the decoder knows the call's classes */
	if (sysdecode_classes(AUDIT_ARCH_X86_64, SYS_openat) & SC_CLASS_FILE) {
		assert_true(trace_line_matches(o, "%file"));
		assert_false(trace_line_matches(g, "%file"));
	}
	trace_ring_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_entry_then_exit), cmocka_unit_test(test_interleaved),
	    cmocka_unit_test(test_exit_without_entry), cmocka_unit_test(test_signal_exit_lost),
	    cmocka_unit_test(test_oldest_dropped), cmocka_unit_test(test_filter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
