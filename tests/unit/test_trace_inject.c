/*
 * test_trace_inject.c: the words of fault injection (inject.c): strace's
 * when= (FIRST, FIRST+, FIRST+STEP, FIRST..LAST, FIRST..LAST+STEP) as the
 * calls it picks, errno names, -e inject= and -e fault= specs and their
 * refusals, and the writer's (INJECTED)/(DELAYED) marks.
 */
#include <errno.h>
#include <linux/audit.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include <cmocka.h>

#include <whytop/trace.h>

/* the calls 1..20 that when picks, as "1,3,5" */
static const char *picked(const char *when)
{
	static char buf[200];
	struct trace_inject in;
	struct wt_err err = {0};
	trace_inject_init(&in);
	if (when && trace_inject_when(&in, when, &err) < 0)
		return "refused";
	buf[0] = '\0';
	for (uint64_t n = 1; n <= 20; n++)
		if (trace_inject_due(&in, n))
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%llu",
				 buf[0] ? "," : "", (unsigned long long)n);
	return buf;
}

static void test_when(void **state)
{
	(void)state;
	assert_string_equal(picked(NULL), "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20");
	assert_string_equal(picked("3"), "3");
	assert_string_equal(picked("3+"), "3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20");
	assert_string_equal(picked("2+2"), "2,4,6,8,10,12,14,16,18,20");
	assert_string_equal(picked("2..5"), "2,3,4,5");
	assert_string_equal(picked("2..9+3"), "2,5,8");
	assert_string_equal(picked("2..9+"), "2,3,4,5,6,7,8,9");
	const char *bad[] = {"0",   "",	     "x",	 "2..1", "1..", "..3",
			     "1+x", "65536", "1..65535", "3+0",	 "-1",	"1 "};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (strcmp(picked(bad[i]), "refused") != 0)
			fail_msg("when='%s' was taken", bad[i]);
	}
}

static void test_errno(void **state)
{
	(void)state;
	struct wt_err err = {0};
	int e = 0;
	assert_int_equal(trace_inject_errno("ENOENT", &e, &err), 0);
	assert_int_equal(e, ENOENT);
	assert_int_equal(trace_inject_errno("EACCES", &e, &err), 0);
	assert_int_equal(e, EACCES);
	assert_int_equal(trace_inject_errno("5", &e, &err), 0);
	assert_int_equal(e, 5);
	assert_true(trace_inject_errno("EFOO", &e, &err) < 0);
	assert_non_null(strstr(err.msg, "'EFOO' is not an errno"));
	assert_true(trace_inject_errno("0", &e, &err) < 0);
	assert_true(trace_inject_errno("4096", &e, &err) < 0);
}

static void test_parse(void **state)
{
	(void)state;
	struct trace_inject in;
	struct wt_err err = {0};
	assert_int_equal(trace_inject_parse(&in, "openat,open:error=ENOENT:when=2+2", false, &err),
			 0);
	assert_int_equal(in.error, ENOENT);
	assert_int_equal(in.first, 2);
	assert_int_equal(in.step, 2);
	assert_true(sc_set_has(&in.set, AUDIT_ARCH_X86_64, SYS_openat));
	assert_false(sc_set_has(&in.set, AUDIT_ARCH_X86_64, SYS_read));

	assert_int_equal(trace_inject_parse(&in, "read:retval=0:delay_exit=500", false, &err), 0);
	assert_true(in.has_retval);
	assert_int_equal(in.retval, 0);
	assert_int_equal(in.delay_exit_us, 500);

	assert_int_equal(trace_inject_parse(&in, "openat:delay_enter=1000:path=*/x", false, &err),
			 0);
	assert_int_equal(in.delay_enter_us, 1000);
	assert_string_equal(in.path, "*/x");
	assert_int_equal(in.error, 0);

	/* fault=: ENOSYS unless told, and only error= and when= */
	assert_int_equal(trace_inject_parse(&in, "openat", true, &err), 0);
	assert_int_equal(in.error, ENOSYS);
	assert_int_equal(trace_inject_parse(&in, "openat:error=EIO:when=3", true, &err), 0);
	assert_int_equal(in.error, EIO);
	assert_true(trace_inject_parse(&in, "openat:retval=1", true, &err) < 0);

	static const char *const bad[][2] = {
	    {"openat", "does nothing"},
	    {"openat:error=EIO:retval=2", "not both"},
	    {"opne:error=EIO", "opne"},
	    {"openat:error", "wants a value"},
	    {"openat:signal=SIGSEGV", "not 'signal'"},
	    {"openat:retval=-1", "retval='-1'"},
	    {"openat:delay_enter=60000001", "delay_enter='60000001'"},
	    {"openat:error=EIO:when=0", "when='0'"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		if (trace_inject_parse(&in, bad[i][0], false, &err) == 0)
			fail_msg("'%s' was taken", bad[i][0]);
		if (!strstr(err.msg, bad[i][1]))
			fail_msg("'%s': want '%s' in '%s'", bad[i][0], bad[i][1], err.msg);
	}
}

/* the writer marks a tampered call as strace does, before -T */
static void test_writer_marks(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	struct trace_log_opts o = {.dec = {.strsize = 32}};
	struct trace_log *l = trace_log_new(&o, f);
	struct trace_rec r = {.kind = TRACE_SYSCALL, .pid = 10, .tid = 10, .t_ns = 1};
	r.sc.pid = r.sc.tid = 10;
	r.sc.arch = AUDIT_ARCH_X86_64;
	r.sc.nr = SYS_close;
	r.sc.arg[0] = 3;
	r.sc.part = SCEV_BOTH;
	r.sc.ret = -EBADF;
	r.injected = TRACE_INJ_TAMPERED;
	trace_log_add(l, &r);
	r.sc.ret = 0;
	r.injected = TRACE_INJ_DELAYED;
	trace_log_add(l, &r);
	r.injected = 0;
	trace_log_add(l, &r);
	trace_log_flush(l);
	trace_log_free(l);
	fclose(f);
	assert_non_null(strstr(buf, "= -1 EBADF (Bad file descriptor) (INJECTED)\n"));
	assert_non_null(strstr(buf, "= 0 (DELAYED)\n"));
	assert_non_null(strstr(buf, "= 0\n"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_when),
	    cmocka_unit_test(test_errno),
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_writer_marks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
