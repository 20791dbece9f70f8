/*
 * test_trace_log.c: the writer (src/core/trace/log.c) on canned records:
 * the layout strace gives its lines. The text of a call's arguments is the
 * decoder's (tested on its own); here a call's expected line is built from
 * sysdecode_format's two parts, and everything the writer adds is spelled
 * out: prefix, timestamps, " <unfinished ...>", "<... NAME resumed>", the
 * result at column 40, -T, -z/-Z, signal, exit and lost lines, flush.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include <cmocka.h>

#include <whytop/sysnames.h>
#include <whytop/trace.h>

/* 2023-11-14 22:13:20 UTC and some microseconds */
#define T0 (1700000000ull * 1000000000ull + 123456789ull)

struct fixture {
	char *text;
	size_t len;
	FILE *f;
	struct trace_log *l;
};

static struct fixture *fx_new(struct trace_log_opts o)
{
	struct fixture *x = calloc(1, sizeof(*x));
	assert_non_null(x);
	x->f = open_memstream(&x->text, &x->len);
	assert_non_null(x->f);
	if (!o.dec.strsize)
		o.dec.strsize = 32;
	x->l = trace_log_new(&o, x->f);
	assert_non_null(x->l);
	return x;
}

/* Everything written so far. */
static const char *fx_text(struct fixture *x)
{
	fflush(x->f);
	return x->text;
}

static void fx_free(struct fixture *x)
{
	trace_log_free(x->l);
	fclose(x->f);
	free(x->text);
	free(x);
}

static struct trace_rec call(pid_t tid, long nr, unsigned part, int64_t ret, uint64_t t_entry,
			     uint64_t t_exit)
{
	struct trace_rec r = {.kind = TRACE_SYSCALL, .pid = 100, .tid = tid};
	r.t_ns = t_entry;
	r.sc.pid = 100;
	r.sc.tid = tid;
	r.sc.arch = sysname_native_arch();
	r.sc.nr = nr;
	r.sc.arg[0] = 3;
	r.sc.arg[1] = 0x1000;
	r.sc.arg[2] = 64;
	r.sc.ret = ret;
	r.sc.part = part;
	r.sc.t_entry_ns = t_entry;
	r.sc.t_exit_ns = t_exit;
	return r;
}

/* The decoder's text of a part of r's call. */
static char *part_text(const struct trace_rec *r, enum scev_part part)
{
	struct sysdecode_opts o = {.strsize = 32};
	struct wt_buf b;
	wt_buf_init(&b);
	sysdecode_format(&r->sc, part, &o, &b);
	return b.data ? wt_buf_steal(&b) : strdup("");
}

/*
 * lead + head (the call up to its exit's text) + exit text, with the
 * result moved to column 40 as strace does: "...) " then spaces, "= ...".
 * The canned calls carry no strings, so the last ") = " is the result's.
 */
static void line_of(char *out, size_t size, const char *lead, const char *head, const char *exit,
		    const char *tail)
{
	char all[1024];
	snprintf(all, sizeof(all), "%s%s%s", lead, head, exit);
	char *res = NULL;
	for (char *p = strstr(all, ") = "); p; p = strstr(p + 1, ") = "))
		res = p;
	assert_non_null(res);
	res[1] = '\0';
	int w = (int)strlen(all) + 1;
	int n = snprintf(out, size, "%s %*s%s%s\n", all, w < 40 ? 40 - w : 0, "", res + 2, tail);
	assert_true(n > 0 && (size_t)n < size);
}

static void test_whole_call(void **state)
{
	(void)state;
	struct fixture *x = fx_new((struct trace_log_opts){0});
	struct trace_rec en = call(101, SYS_read, SCEV_ENTRY, 0, T0, 0);
	struct trace_rec ex = call(101, SYS_read, SCEV_EXIT, 5, T0, T0 + 1000);
	trace_log_add(x->l, &en);
	trace_log_add(x->l, &ex);
	char *e = part_text(&en, SCEV_ENTRY), *t = part_text(&ex, SCEV_EXIT), want[1024];
	line_of(want, sizeof(want), "", e, t, "");
	assert_string_equal(fx_text(x), want);
	/* the result at column 40 */
	assert_int_equal(strstr(fx_text(x), "= 5") - fx_text(x), 40);
	/* a record holding both parts prints the same line */
	struct trace_rec both = call(101, SYS_read, SCEV_BOTH, 5, T0, T0 + 1000);
	trace_log_add(x->l, &both);
	char twice[2048];
	snprintf(twice, sizeof(twice), "%s%s", want, want);
	assert_string_equal(fx_text(x), twice);
	free(e), free(t);
	fx_free(x);
}

static void test_interleaved(void **state)
{
	(void)state;
	struct fixture *x = fx_new((struct trace_log_opts){.pid_prefix = true});
	struct trace_rec a_in = call(101, SYS_read, SCEV_ENTRY, 0, T0, 0);
	struct trace_rec b_in = call(102, SYS_getpid, SCEV_ENTRY, 0, T0 + 10, 0);
	struct trace_rec a_out = call(101, SYS_read, SCEV_EXIT, 7, T0, T0 + 20);
	struct trace_rec b_out = call(102, SYS_getpid, SCEV_EXIT, 102, T0 + 10, T0 + 30);
	trace_log_add(x->l, &a_in);
	trace_log_add(x->l, &b_in);
	trace_log_add(x->l, &a_out);
	trace_log_add(x->l, &b_out);
	char *ae = part_text(&a_in, SCEV_ENTRY), *ax = part_text(&a_out, SCEV_EXIT);
	char *be = part_text(&b_in, SCEV_ENTRY), *bx = part_text(&b_out, SCEV_EXIT);
	char l3[512], l4[512], want[2048];
	line_of(l3, sizeof(l3), "[pid   101] <... read resumed>", "", ax, "");
	line_of(l4, sizeof(l4), "[pid   102] <... getpid resumed>", "", bx, "");
	snprintf(want, sizeof(want),
		 "[pid   101] %s <unfinished ...>\n"
		 "[pid   102] %s <unfinished ...>\n%s%s",
		 ae, be, l3, l4);
	assert_string_equal(fx_text(x), want);
	free(ae), free(ax), free(be), free(bx);
	fx_free(x);
}

static void test_timestamps(void **state)
{
	(void)state;
	static const struct {
		enum trace_ts ts;
		const char *want;
	} cases[] = {
	    {TRACE_TS_SEC, "22:13:20 "},
	    {TRACE_TS_USEC, "22:13:20.123456 "},
	    {TRACE_TS_EPOCH, "1700000000.123456 "},
	};
	setenv("TZ", "UTC", 1);
	tzset();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fixture *x = fx_new((struct trace_log_opts){.ts = cases[i].ts});
		struct trace_rec r = {.kind = TRACE_EXIT, .pid = 100, .tid = 100, .t_ns = T0};
		trace_log_add(x->l, &r);
		char want[128];
		snprintf(want, sizeof(want), "%s+++ exited with 0 +++\n", cases[i].want);
		assert_string_equal(fx_text(x), want);
		fx_free(x);
	}
}

static void test_duration(void **state)
{
	(void)state;
	struct fixture *x = fx_new((struct trace_log_opts){.show_time = true});
	struct trace_rec en = call(101, SYS_close, SCEV_ENTRY, 0, T0, 0);
	struct trace_rec ex = call(101, SYS_close, SCEV_EXIT, 0, T0, T0 + 123456);
	trace_log_add(x->l, &en);
	trace_log_add(x->l, &ex);
	/* two seconds and a bit, across a resumed line */
	struct trace_rec en2 = call(101, SYS_close, SCEV_ENTRY, 0, T0, 0);
	struct trace_rec sig = {.kind = TRACE_SIGNAL, .pid = 100, .tid = 101, .t_ns = T0};
	sig.si.si_signo = SIGCHLD;
	sig.si.si_code = CLD_EXITED;
	struct trace_rec ex2 = call(101, SYS_close, SCEV_EXIT, 0, T0, T0 + 2000001000ull);
	trace_log_add(x->l, &en2);
	trace_log_add(x->l, &sig);
	trace_log_add(x->l, &ex2);
	char *e = part_text(&en, SCEV_ENTRY), *t = part_text(&ex, SCEV_EXIT);
	char l1[512], l4[512], want[2048];
	line_of(l1, sizeof(l1), "", e, t, " <0.000123>");
	line_of(l4, sizeof(l4), "<... close resumed>", "", t, " <2.000001>");
	snprintf(want, sizeof(want),
		 "%s%s <unfinished ...>\n"
		 "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=0, si_uid=0, "
		 "si_status=0, si_utime=0, si_stime=0} ---\n%s",
		 l1, e, l4);
	assert_string_equal(fx_text(x), want);
	free(e), free(t);
	fx_free(x);
}

/* -z / -Z: an entry waits for its result, then a whole line or nothing. */
static void test_status_filter(void **state)
{
	(void)state;
	for (int fail = 0; fail <= 1; fail++) {
		struct fixture *x = fx_new((struct trace_log_opts){
		    .only_ok = !fail, .only_fail = fail, .pid_prefix = true});
		struct trace_rec ok_in = call(101, SYS_read, SCEV_ENTRY, 0, T0, 0);
		struct trace_rec bad_in = call(102, SYS_openat, SCEV_ENTRY, 0, T0 + 1, 0);
		struct trace_rec ok_out = call(101, SYS_read, SCEV_EXIT, 4, T0, T0 + 5);
		struct trace_rec bad_out =
		    call(102, SYS_openat, SCEV_EXIT, -ENOENT, T0 + 1, T0 + 6);
		trace_log_add(x->l, &ok_in);
		trace_log_add(x->l, &bad_in);
		assert_string_equal(fx_text(x), ""); /* nothing before a result */
		trace_log_add(x->l, &ok_out);
		trace_log_add(x->l, &bad_out);
		const struct trace_rec *in = fail ? &bad_in : &ok_in,
				       *out = fail ? &bad_out : &ok_out;
		char *e = part_text(in, SCEV_ENTRY), *t = part_text(out, SCEV_EXIT), want[512];
		line_of(want, sizeof(want), fail ? "[pid   102] " : "[pid   101] ", e, t, "");
		assert_string_equal(fx_text(x), want);
		free(e), free(t);
		fx_free(x);
	}
}

static void test_signals(void **state)
{
	(void)state;
	struct fixture *x = fx_new((struct trace_log_opts){0});
	struct trace_rec r = {.kind = TRACE_SIGNAL, .pid = 100, .tid = 100};
	r.si.si_signo = SIGUSR1;
	r.si.si_code = SI_USER;
	r.si.si_pid = 123;
	r.si.si_uid = 1000;
	trace_log_add(x->l, &r);
	memset(&r.si, 0, sizeof(r.si));
	r.si.si_signo = SIGSEGV;
	r.si.si_code = SEGV_MAPERR;
	r.si.si_addr = (void *)0x10;
	trace_log_add(x->l, &r);
	r.si.si_code = SI_KERNEL;
	r.si.si_addr = NULL;
	trace_log_add(x->l, &r);
	memset(&r.si, 0, sizeof(r.si));
	r.si.si_signo = SIGCHLD;
	r.si.si_code = CLD_KILLED;
	r.si.si_pid = 77;
	r.si.si_status = SIGKILL;
	trace_log_add(x->l, &r);
	memset(&r.si, 0, sizeof(r.si));
	r.si.si_signo = SIGTERM;
	r.si.si_code = SI_TKILL;
	r.si.si_pid = 5;
	trace_log_add(x->l, &r);
	assert_string_equal(
	    fx_text(x),
	    "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=123, si_uid=1000} ---\n"
	    "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10} ---\n"
	    "--- SIGSEGV {si_signo=SIGSEGV, si_code=SI_KERNEL, si_addr=NULL} ---\n"
	    "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=77, si_uid=0, "
	    "si_status=SIGKILL, si_utime=0, si_stime=0} ---\n"
	    "--- SIGTERM {si_signo=SIGTERM, si_code=SI_TKILL, si_pid=5, si_uid=0} ---\n");
	fx_free(x);
}

static void test_exits_and_lost(void **state)
{
	(void)state;
	struct fixture *x = fx_new((struct trace_log_opts){.pid_prefix = true});
	struct trace_rec r = {.kind = TRACE_EXIT, .pid = 100, .tid = 100};
	r.status = 3 << 8; /* exited with 3 */
	trace_log_add(x->l, &r);
	r.tid = 101;
	r.status = SIGKILL;
	trace_log_add(x->l, &r);
	r.status = SIGSEGV | 0x80; /* core dumped */
	trace_log_add(x->l, &r);
	struct trace_rec lost = {.kind = TRACE_LOST, .lost = 12};
	trace_log_add(x->l, &lost);
	lost.lost = 1;
	trace_log_add(x->l, &lost);
	struct trace_rec att = {.kind = TRACE_ATTACH, .pid = 100, .tid = 104};
	trace_log_add(x->l, &att); /* nothing in the log */
	assert_string_equal(fx_text(x), "[pid   100] +++ exited with 3 +++\n"
					"[pid   101] +++ killed by SIGKILL +++\n"
					"[pid   101] +++ killed by SIGSEGV (core dumped) +++\n"
					"--- lost 12 events (the kernel's buffer was full) ---\n"
					"--- lost 1 event (the kernel's buffer was full) ---\n");
	fx_free(x);
}

/* A task that ends in a call (exit_group, or killed): " = ?" as strace. */
static void test_exit_in_call(void **state)
{
	(void)state;
	struct fixture *x = fx_new((struct trace_log_opts){.pid_prefix = true});
	struct trace_rec a = call(101, SYS_exit_group, SCEV_ENTRY, 0, T0, 0);
	struct trace_rec b = call(102, SYS_futex, SCEV_ENTRY, 0, T0, 0);
	trace_log_add(x->l, &b);
	trace_log_add(x->l, &a);
	struct trace_rec e = {.kind = TRACE_EXIT, .pid = 100, .tid = 101};
	trace_log_add(x->l, &e);
	e.tid = 102;
	trace_log_add(x->l, &e);
	char *ae = part_text(&a, SCEV_ENTRY), *be = part_text(&b, SCEV_ENTRY);
	char l2[512], l4[512], want[2048];
	line_of(l2, sizeof(l2), "[pid   101] ", ae, ") = ?", "");
	line_of(l4, sizeof(l4), "[pid   102] <... futex resumed>", "", ") = ?", "");
	snprintf(want, sizeof(want),
		 "[pid   102] %s <unfinished ...>\n%s"
		 "[pid   101] +++ exited with 0 +++\n%s"
		 "[pid   102] +++ exited with 0 +++\n",
		 be, l2, l4);
	assert_string_equal(fx_text(x), want);
	free(ae), free(be);
	fx_free(x);
}

static void test_flush(void **state)
{
	(void)state;
	struct fixture *x = fx_new((struct trace_log_opts){0});
	struct trace_rec en = call(101, SYS_nanosleep, SCEV_ENTRY, 0, T0, 0);
	trace_log_add(x->l, &en);
	char *e = part_text(&en, SCEV_ENTRY), want[512];
	trace_log_flush(x->l);
	snprintf(want, sizeof(want), "%s <unfinished ...>\n", e);
	assert_string_equal(fx_text(x), want);
	free(e);
	fx_free(x);
}

static void test_result_at(void **state)
{
	(void)state;
	assert_int_equal(trace_log_result_at("3) = 0"), 2);
	/* ") = " inside a string is an argument, not the result */
	const char *w = "1, \"x) = \\\"y\", 8) = 8";
	assert_int_equal(trace_log_result_at(w), strstr(w, "8) = 8") - w + 2);
	assert_int_equal(trace_log_result_at("\"a\\\\\") = 1"), 6);
	assert_int_equal(trace_log_result_at("no result"), (size_t)-1);
}

/*
 * -k: a call's frames follow the line that ends its first part: the whole
 * call's line, or its "<unfinished ...>" line; with -z they follow the
 * call printed with its result, and go with a call not printed.
 */
static void test_stack(void **state)
{
	(void)state;
	struct stack_frame fr[2] = {
	    {.pc = 0x7f0000001234, .module = "libc.so.6", .function = "__read", .offset = 0x14},
	    {.pc = 0x401136,
	     .module = "prog",
	     .function = "inner",
	     .offset = 0x6,
	     .file = "/src/prog.c",
	     .line = 12,
	     .flags = STACK_FRAME_INLINE}};
	struct stack_thread st = {.tid = 101, .frames = fr, .nframes = 2};
	const char *frames = " > libc.so.6(__read+0x14) [0x7f0000001234]\n"
			     " > prog(inner+0x6) [0x401136] /src/prog.c:12 [inline]\n";
	struct stack_thread bad = {.tid = 102, .error = "no stack: gone"};

	struct fixture *x = fx_new((struct trace_log_opts){.pid_prefix = true});
	struct trace_rec a_in = call(101, SYS_read, SCEV_ENTRY, 0, T0, 0);
	a_in.stack = &st;
	struct trace_rec a_out = call(101, SYS_read, SCEV_EXIT, 7, T0, T0 + 20);
	struct trace_rec b_in = call(102, SYS_getpid, SCEV_ENTRY, 0, T0 + 10, 0);
	b_in.stack = &bad;
	struct trace_rec b_out = call(102, SYS_getpid, SCEV_EXIT, 102, T0 + 10, T0 + 30);
	/* whole: a's line, then its frames */
	trace_log_add(x->l, &a_in);
	trace_log_add(x->l, &a_out);
	char *ae = part_text(&a_in, SCEV_ENTRY), *ax = part_text(&a_out, SCEV_EXIT);
	char *be = part_text(&b_in, SCEV_ENTRY), *bx = part_text(&b_out, SCEV_EXIT);
	char l1[1024], l3[1024], want[4096];
	line_of(l1, sizeof(l1), "[pid   101] ", ae, ax, "");
	snprintf(want, sizeof(want), "%s%s", l1, frames);
	assert_string_equal(fx_text(x), want);
	/* interrupted: b's frames (its error) after its unfinished line, not after the resumed */
	trace_log_add(x->l, &b_in);
	trace_log_add(x->l, &a_in);
	trace_log_add(x->l, &b_out);
	trace_log_add(x->l, &a_out);
	line_of(l3, sizeof(l3), "[pid   102] <... getpid resumed>", "", bx, "");
	char l4[1024];
	line_of(l4, sizeof(l4), "[pid   101] <... read resumed>", "", ax, "");
	size_t n = strlen(want);
	snprintf(want + n, sizeof(want) - n,
		 "[pid   102] %s <unfinished ...>\n > (no stack: gone)\n"
		 "[pid   101] %s <unfinished ...>\n%s%s%s",
		 be, ae, frames, l3, l4);
	assert_string_equal(fx_text(x), want);
	fx_free(x);

	/* -z: printed with the successful call, dropped with the failed one */
	x = fx_new((struct trace_log_opts){.only_ok = true});
	struct trace_rec f_out = call(101, SYS_read, SCEV_EXIT, -2, T0, T0 + 20);
	trace_log_add(x->l, &a_in);
	trace_log_add(x->l, &f_out);
	assert_string_equal(fx_text(x), "");
	trace_log_add(x->l, &a_in);
	trace_log_add(x->l, &a_out);
	line_of(l1, sizeof(l1), "", ae, ax, "");
	snprintf(want, sizeof(want), "%s%s", l1, frames);
	assert_string_equal(fx_text(x), want);
	free(ae), free(ax), free(be), free(bx);
	fx_free(x);
}

/*
 * pid_prefix_live: "[pid N] " while two tasks or more are known, as strace
 * on a terminal (nprocs > 1): a task counts from its attach or its first
 * record, until its exit line, which still has the prefix.
 */
static void test_prefix_live(void **state)
{
	(void)state;
	struct fixture *x = fx_new((struct trace_log_opts){.pid_prefix_live = true});
	struct trace_rec g = call(100, SYS_getpid, SCEV_BOTH, 100, T0, T0);
	struct trace_rec c = call(101, SYS_getpid, SCEV_BOTH, 101, T0, T0);
	struct trace_rec att = {.kind = TRACE_ATTACH, .pid = 100, .tid = 101};
	struct trace_rec ex = {.kind = TRACE_EXIT, .pid = 100, .tid = 101};
	trace_log_add(x->l, &g);   /* alone: bare */
	trace_log_add(x->l, &att); /* 101 born */
	trace_log_add(x->l, &g);
	trace_log_add(x->l, &c);
	trace_log_add(x->l, &ex); /* 101's exit line, prefixed; then alone again */
	trace_log_add(x->l, &g);
	struct trace_rec d = call(102, SYS_getpid, SCEV_BOTH, 102, T0, T0);
	trace_log_add(x->l, &d); /* a task seen without its attach counts too */
	char *gt = part_text(&g, SCEV_EXIT), *ct = part_text(&c, SCEV_EXIT);
	char *dt = part_text(&d, SCEV_EXIT), *head = part_text(&g, SCEV_ENTRY); /* "getpid(" */
	char l1[256], l2[256], l3[256], l4[256], l5[256], want[2048];
	line_of(l1, sizeof(l1), "", head, gt, "");
	line_of(l2, sizeof(l2), "[pid   100] ", head, gt, "");
	line_of(l3, sizeof(l3), "[pid   101] ", head, ct, "");
	line_of(l4, sizeof(l4), "", head, gt, "");
	line_of(l5, sizeof(l5), "[pid   102] ", head, dt, "");
	snprintf(want, sizeof(want), "%s%s%s[pid   101] +++ exited with 0 +++\n%s%s", l1, l2, l3,
		 l4, l5);
	assert_string_equal(fx_text(x), want);
	free(gt), free(ct), free(dt), free(head);
	fx_free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_whole_call),	   cmocka_unit_test(test_interleaved),
	    cmocka_unit_test(test_timestamps),	   cmocka_unit_test(test_duration),
	    cmocka_unit_test(test_status_filter),  cmocka_unit_test(test_signals),
	    cmocka_unit_test(test_exits_and_lost), cmocka_unit_test(test_exit_in_call),
	    cmocka_unit_test(test_flush),	   cmocka_unit_test(test_result_at),
	    cmocka_unit_test(test_stack),	   cmocka_unit_test(test_prefix_live),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
