/*
 * test_kernel_parse.c: parsers of /proc/PID/task/TID/{stack,syscall,wchan,status}
 * (the stat line is proc's parser: test_stat_kernel_view in test_proc_parse.c).
 */
#include <linux/audit.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include <whytop/kernel.h>

static void test_stack_lines(void **state)
{
	const char text[] = "[<0>] request_wait_answer+0x112/0x210\n"
			    "[<0>] __fuse_simple_request+0x120/0x330 [fuse]\n"
			    "[<ffffffff81234567>] kernel_clone+0x1af/0x3e0\n"
			    "\n"
			    "[<0>] entry_SYSCALL_64_after_hwframe+0x76/0x7e\n";
	struct kernel_frame *f;
	size_t n;
	assert_int_equal(kernel_stack_parse_stack(text, sizeof(text) - 1, &f, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(f[0].func, "request_wait_answer");
	assert_int_equal(f[0].offset, 0x112);
	assert_int_equal(f[0].size, 0x210);
	assert_null(f[0].module);
	assert_string_equal(f[1].func, "__fuse_simple_request");
	assert_string_equal(f[1].module, "fuse");
	assert_string_equal(f[2].func, "kernel_clone");
	assert_int_equal(f[2].offset, 0x1af);
	assert_string_equal(f[3].func, "entry_SYSCALL_64_after_hwframe");
	kernel_frames_free(f, n);
}

static void test_stack_odd_lines(void **state)
{
	/* No trailing newline, no offset, a hostile module name, an address only. */
	const char text[] = "[<0>] 0xffffffffc0a01234\n"
			    "[<0>] sym_without_offset\n"
			    "[<0>] evil+0x1/0x2 [m\033]0;x\007]\n"
			    "[<0>] last+0x10/0x20";
	struct kernel_frame *f;
	size_t n;
	assert_int_equal(kernel_stack_parse_stack(text, sizeof(text) - 1, &f, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(f[0].func, "0xffffffffc0a01234");
	assert_string_equal(f[1].func, "sym_without_offset");
	assert_int_equal(f[1].offset, 0);
	assert_string_equal(f[2].func, "evil");
	assert_non_null(f[2].module);
	assert_null(strchr(f[2].module, '\033'));
	assert_string_equal(f[2].module, "m\\e]0;x\\x07");
	assert_string_equal(f[3].func, "last");
	assert_int_equal(f[3].size, 0x20);
	kernel_frames_free(f, n);

	assert_int_equal(kernel_stack_parse_stack("", 0, &f, &n), 0);
	assert_int_equal(n, 0);
	free(f);
}

static void test_syscall_lines(void **state)
{
	struct kernel_syscall sc;
	memset(&sc, 0, sizeof(sc));
	assert_int_equal(kernel_stack_parse_syscall("running\n", &sc), 0);
	assert_int_equal(sc.state, KSYS_RUNNING);

	memset(&sc, 0, sizeof(sc));
	assert_int_equal(kernel_stack_parse_syscall("-1 0x7ffe9363b410 0x7f7f477ff3b8\n", &sc), 0);
	assert_int_equal(sc.state, KSYS_NONE);
	assert_int_equal(sc.sp, 0x7ffe9363b410ULL);
	assert_int_equal(sc.pc, 0x7f7f477ff3b8ULL);

	memset(&sc, 0, sizeof(sc));
	assert_int_equal(
	    kernel_stack_parse_syscall("0 0x3 0x7ffee90c3be0 0x1000 0x7f69f0b9ab60 0x0 "
				       "0x7f69f0d866d0 0x7ffee90c3bb8 0x7f69f0c832ad\n",
				       &sc),
	    0);
	assert_int_equal(sc.state, KSYS_IN);
	assert_int_equal(sc.nr, 0);
	assert_int_equal(sc.raw[0], 3);
	assert_int_equal(sc.raw[2], 0x1000);
	assert_int_equal(sc.raw[5], 0x7f69f0d866d0ULL);
	assert_int_equal(sc.sp, 0x7ffee90c3bb8ULL);
	assert_int_equal(sc.pc, 0x7f69f0c832adULL);

	memset(&sc, 0, sizeof(sc));
	assert_int_equal(
	    kernel_stack_parse_syscall("58 0x55b97d824193 0x3 0x0 0x7f7f4773e850 "
				       "0x1999999999999999 0x0 0x7ffe9363b410 0x7f7f477ff3b8",
				       &sc),
	    0);
	assert_int_equal(sc.nr, 58);
	assert_int_equal(sc.raw[4], 0x1999999999999999ULL);
}

static void test_syscall_malformed(void **state)
{
	struct kernel_syscall sc;
	const char *bad[] = {
		"",                                 /* empty */
		"0 0x3 0x7ffe 0x1000",              /* truncated args */
		"0 0x3 0x1 0x2 0x3 0x4 0x5 0x6",    /* pc missing */
		"-1 0x7ffe",                        /* pc missing */
		"-1",                               /* nothing after -1 */
		"runnin",                           /* truncated word */
		"abc 0x1 0x2",                      /* not a number */
		"-2 0x1 0x2",                       /* no such state */
		"0 0x3 0x1 0x2 0x3 0x4 0x5 0x6 0x7 0x8", /* one too many */
		"0 0x 0x1 0x2 0x3 0x4 0x5 0x6 0x7",  /* empty hex */
		"0 0x11112222333344445 0x1 0x2 0x3 0x4 0x5 0x6 0x7", /* 17 hex digits */
		"1234567890123 0x1 0x2 0x3 0x4 0x5 0x6 0x7 0x8",     /* huge nr */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&sc, 0, sizeof(sc));
		if (kernel_stack_parse_syscall(bad[i], &sc) != -22)
			fail_msg("accepted malformed syscall line '%s'", bad[i]);
	}
}

static void test_wchan(void **state)
{
	char *w = kernel_stack_clean_wchan("0", 1);
	assert_string_equal(w, "");
	free(w);
	w = kernel_stack_clean_wchan("", 0);
	assert_string_equal(w, "");
	free(w);
	w = kernel_stack_clean_wchan("do_epoll_wait\n", 14);
	assert_string_equal(w, "do_epoll_wait");
	free(w);
	/* A wchan is a kernel symbol, but whytop never trusts text it prints. */
	w = kernel_stack_clean_wchan("x\033]0;owned\007\xff", 12);
	assert_string_equal(w, "x\\e]0;owned\\x07\\xff");
	free(w);
}

static void test_switches(void **state)
{
	const char text[] = "Name:\tx\nState:\tS (sleeping)\n"
			    "voluntary_ctxt_switches:\t374\nnonvoluntary_ctxt_switches:\t95\n";
	uint64_t n = 0;
	assert_int_equal(kernel_stack_parse_switches(text, &n), 0);
	assert_int_equal(n, 469);
	assert_int_equal(kernel_stack_parse_switches("Name:\tx\n", &n), -22);
}

static void test_decode_names_and_args(void **state)
{
	struct kernel_syscall sc;
	memset(&sc, 0, sizeof(sc));
	sc.state = KSYS_IN;
	sc.nr = 0; /* read on x86_64 */
	sc.raw[0] = 3;
	sc.raw[1] = 0x7ffc1000;
	sc.raw[2] = 4096;
	kernel_sys_decode(&sc, AUDIT_ARCH_X86_64, 0, 0);
	assert_string_equal(sc.name, "read");
	assert_int_equal(sc.nargs, 3);
	assert_int_equal(sc.arg[0].kind, KARG_FD);
	assert_string_equal(sc.arg[0].name, "fd");
	assert_string_equal(sc.arg[2].text, "4096");
	assert_string_equal(sc.summary, "read(3, 0x7ffc1000, 4096)");
	kernel_sys_clear(&sc);

	/* The same number means another call on i386: 3 is read, 190 is vfork. */
	memset(&sc, 0, sizeof(sc));
	sc.state = KSYS_IN;
	sc.nr = 190;
	kernel_sys_decode(&sc, AUDIT_ARCH_I386, 0, 0);
	assert_string_equal(sc.name, "vfork");
	assert_string_equal(sc.summary, "vfork()");
	kernel_sys_clear(&sc);

	/* openat(AT_FDCWD, ...): a 32-bit -100 in a 64-bit register. */
	memset(&sc, 0, sizeof(sc));
	sc.state = KSYS_IN;
	sc.nr = 257;
	sc.raw[0] = 0xffffffffffffff9cULL;
	sc.raw[1] = 0;
	sc.raw[2] = 0x80000;
	sc.raw[3] = 0644;
	kernel_sys_decode(&sc, AUDIT_ARCH_X86_64, 0, 0);
	assert_string_equal(sc.name, "openat");
	assert_string_equal(sc.summary, "openat(AT_FDCWD, NULL, 0x80000, 0644)");
	kernel_sys_clear(&sc);

	/* A number libseccomp does not know is named by number, with raw args. */
	memset(&sc, 0, sizeof(sc));
	sc.state = KSYS_IN;
	sc.nr = 999;
	kernel_sys_decode(&sc, AUDIT_ARCH_X86_64, 0, 0);
	assert_string_equal(sc.name, "syscall_999");
	assert_int_equal(sc.nargs, 6);
	kernel_sys_clear(&sc);

	memset(&sc, 0, sizeof(sc));
	sc.state = KSYS_NONE;
	kernel_sys_decode(&sc, AUDIT_ARCH_X86_64, 0, 0);
	assert_string_equal(sc.summary, "not in a syscall");
	kernel_sys_clear(&sc);
	sc.state = KSYS_RUNNING;
	kernel_sys_decode(&sc, AUDIT_ARCH_X86_64, 0, 0);
	assert_string_equal(sc.summary, "running");
	kernel_sys_clear(&sc);
}

static void test_mm_frames(void **state)
{
	const char fault[] = "[<0>] folio_wait_bit_common+0x1/0x2\n[<0>] filemap_fault+0x1/0x2\n"
			     "[<0>] __do_fault+0x1/0x2\n[<0>] handle_mm_fault+0x1/0x2\n"
			     "[<0>] do_user_addr_fault.constprop.0+0x1/0x2\n"
			     "[<0>] exc_page_fault+0x1/0x2\n";
	struct kernel_frame *f;
	size_t n;
	assert_int_equal(kernel_stack_parse_stack(fault, sizeof(fault) - 1, &f, &n), 0);
	assert_string_equal(kernel_stack_mm_frame(f, n), "handle_mm_fault");
	kernel_frames_free(f, n);
	const char fuse[] = "[<0>] request_wait_answer+0xaa/0x210\n[<0>] fuse_direct_io+0x1/0x2\n"
			    "[<0>] vfs_read+0x1/0x2\n[<0>] kernel_sys_read+0x1/0x2\n";
	assert_int_equal(kernel_stack_parse_stack(fuse, sizeof(fuse) - 1, &f, &n), 0);
	assert_null(kernel_stack_mm_frame(f, n));
	kernel_frames_free(f, n);
}

static void test_no_memory_reason(void **state)
{
	/* With a reason, a path argument is not read, even from a live task (ourselves). */
	static const char path[] = "/etc/hostname";
	struct kernel_syscall sc;
	memset(&sc, 0, sizeof(sc));
	sc.state = KSYS_IN;
	sc.nr = 4; /* stat on x86_64 */
	sc.raw[0] = (uintptr_t)path;
	kernel_sys_decode_ex(&sc, AUDIT_ARCH_X86_64, getpid(), getpid(), "not read: because");
	assert_string_equal(sc.name, "stat");
	assert_null(sc.arg[0].target);
	assert_string_equal(sc.arg[0].note, "not read: because");
	kernel_sys_clear(&sc);
	memset(&sc, 0, sizeof(sc));
	sc.state = KSYS_IN;
	sc.nr = 4;
	sc.raw[0] = (uintptr_t)path;
	kernel_sys_decode(&sc, AUDIT_ARCH_X86_64, getpid(), getpid());
	assert_string_equal(sc.arg[0].target, "/etc/hostname");
	assert_string_equal(sc.summary, "stat(\"/etc/hostname\", 0x0)");
	kernel_sys_clear(&sc);
}

static void test_signatures(void **state)
{
	assert_string_equal(kernel_sys_signature("read"), "fd:f buf:x count:n");
	assert_string_equal(kernel_sys_signature("vfork"), "");
	assert_null(kernel_sys_signature("no_such_call"));
}

/* Paths are read from the task's memory: here our own, against a real unmapped page. */
static void test_read_string_bounds(void **state)
{
	long page = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	assert_true(m != MAP_FAILED);
	munmap(m + page, (size_t)page);
	char *s = m + page - 6;
	memcpy(s, "/a\nb", 5); /* ends with its NUL just before the hole */
	char *out = NULL;
	bool trunc = true;
	assert_int_equal(kernel_sys_read_string(getpid(), (uintptr_t)s, 1024, &out, &trunc), 0);
	assert_string_equal(out, "/a\\nb");
	assert_false(trunc);
	free(out);

	memset(m + page - 4, 'x', 4); /* no NUL before the hole */
	assert_int_equal(
	    kernel_sys_read_string(getpid(), (uintptr_t)(m + page - 4), 1024, &out, &trunc), 0);
	assert_string_equal(out, "xxxx");
	assert_true(trunc);
	free(out);

	/* Bounded: a long string is cut at max. */
	memset(m, 'y', 100);
	m[100] = 0;
	assert_int_equal(kernel_sys_read_string(getpid(), (uintptr_t)m, 10, &out, &trunc), 0);
	assert_int_equal(strlen(out), 10);
	assert_true(trunc);
	free(out);

	assert_true(kernel_sys_read_string(getpid(), (uintptr_t)(m + page), 16, &out, &trunc) < 0);
	munmap(m, (size_t)page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_stack_lines),	      cmocka_unit_test(test_stack_odd_lines),
	    cmocka_unit_test(test_syscall_lines),     cmocka_unit_test(test_syscall_malformed),
	    cmocka_unit_test(test_wchan),
	    cmocka_unit_test(test_switches),	      cmocka_unit_test(test_decode_names_and_args),
	    cmocka_unit_test(test_signatures),	      cmocka_unit_test(test_read_string_bounds),
	    cmocka_unit_test(test_mm_frames),	      cmocka_unit_test(test_no_memory_reason),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
