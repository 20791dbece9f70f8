/*
 * test_catch_addr.c: what a fault address is (catch_addr_classify, on
 * canned /proc/PID/maps text): the NULL page, a stack overflow below the
 * main stack and in a thread's guard page, unmapped (with its neighbours),
 * no access, read-only, not executable, which mapping and offset, an
 * escaped file name; and which signals are fatal (catch_sig_fatal).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <whytop/catch.h>

static const char maps[] =
    "00400000-00401000 r--p 00000000 08:01 123 /usr/bin/prog\n"
    "00401000-00402000 r-xp 00001000 08:01 123 /usr/bin/prog\n"
    "00402000-00403000 r--p 00002000 08:01 123 /usr/bin/prog\n"
    "00403000-00404000 rw-p 00003000 08:01 123 /usr/bin/prog\n"
    "00500000-00501000 r--p 00000000 08:01 77 /tmp/odd\033name\n"
    "7f0000000000-7f0000001000 ---p 00000000 00:00 0 \n"
    "7f0000001000-7f0000801000 rw-p 00000000 00:00 0 \n"
    "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]\n";

#define MAIN_SP 0x7ffd00000100ull
#define THREAD_SP 0x7f0000700000ull

static struct catch_addr classify(int sig, int code, uint64_t addr, uint64_t pc, uint64_t sp)
{
	struct catch_addr a;
	catch_addr_classify(maps, sizeof(maps) - 1, sig, code, addr, pc, sp, 65536, &a);
	return a;
}

static void test_null_page(void **state)
{
	(void)state;
	struct catch_addr a = classify(SIGSEGV, SEGV_MAPERR, 0, 0x401010, MAIN_SP);
	assert_int_equal(a.kind, CATCH_ADDR_NULL);
	a = classify(SIGSEGV, SEGV_MAPERR, 0x8, 0x401010, MAIN_SP);
	assert_int_equal(a.kind, CATCH_ADDR_NULL);
	/* below mmap_min_addr (64 KiB here): NULL plus an offset */
	a = classify(SIGSEGV, SEGV_MAPERR, 0xfff0, 0x401010, MAIN_SP);
	assert_int_equal(a.kind, CATCH_ADDR_NULL);
	/* at mmap_min_addr: no longer the NULL page */
	a = classify(SIGSEGV, SEGV_MAPERR, 0x10000, 0x401010, MAIN_SP);
	assert_int_equal(a.kind, CATCH_ADDR_UNMAPPED);
	char text[256];
	catch_addr_text(&a, text, sizeof(text));
	assert_non_null(strstr(text, "unmapped"));
}

static void test_stack_overflow(void **state)
{
	(void)state;
	/* just below the main thread's stack, in the guard gap */
	struct catch_addr a = classify(SIGSEGV, SEGV_MAPERR, 0x7ffcfffffff8ull, 0x401010, MAIN_SP);
	assert_int_equal(a.kind, CATCH_ADDR_STACK_GUARD);
	assert_string_equal(a.path, "[stack]");
	assert_int_equal(a.map_start, 0x7ffd00000000ull);
	char text[256];
	catch_addr_text(&a, text, sizeof(text));
	assert_non_null(strstr(text, "stack overflow"));
	/* far below it (2 MiB): just unmapped */
	a = classify(SIGSEGV, SEGV_MAPERR, 0x7ffcffe00000ull - 8, 0x401010, MAIN_SP);
	assert_int_equal(a.kind, CATCH_ADDR_UNMAPPED);
	/* a thread's stack: glibc's ---p guard page right below it */
	a = classify(SIGSEGV, SEGV_ACCERR, 0x7f0000000ff8ull, 0x401010, THREAD_SP);
	assert_int_equal(a.kind, CATCH_ADDR_STACK_GUARD);
	assert_int_equal(a.map_start, 0x7f0000001000ull);
	/* the same page from another thread's point of view: a no-access mapping */
	a = classify(SIGSEGV, SEGV_ACCERR, 0x7f0000000ff8ull, 0x401010, MAIN_SP);
	assert_int_equal(a.kind, CATCH_ADDR_NO_ACCESS);
}

static void test_unmapped(void **state)
{
	(void)state;
	struct catch_addr a = classify(SIGSEGV, SEGV_MAPERR, 0x600000, 0x401010, MAIN_SP);
	assert_int_equal(a.kind, CATCH_ADDR_UNMAPPED);
	assert_int_equal(a.below, 0x501000);
	assert_int_equal(a.above, 0x7f0000000000ull);
	char text[256];
	catch_addr_text(&a, text, sizeof(text));
	assert_non_null(strstr(text, "0x501000"));
	assert_non_null(strstr(text, "0x7f0000000000"));
}

static void test_permissions(void **state)
{
	(void)state;
	/* a write to read-only data: which file, at which offset */
	struct catch_addr a = classify(SIGSEGV, SEGV_ACCERR, 0x402010, 0x401010, MAIN_SP);
	assert_int_equal(a.kind, CATCH_ADDR_READ_ONLY);
	assert_string_equal(a.path, "/usr/bin/prog");
	assert_int_equal(a.map_offset, 0x2010);
	assert_string_equal(a.perms, "r--p");
	/* a jump into data: the pc is the address */
	a = classify(SIGSEGV, SEGV_ACCERR, 0x403010, 0x403010, MAIN_SP);
	assert_int_equal(a.kind, CATCH_ADDR_NO_EXEC);
	/* SIGFPE: the address is the instruction, in the code mapping */
	a = classify(SIGFPE, FPE_INTDIV, 0x401234, 0x401234, MAIN_SP);
	assert_int_equal(a.kind, CATCH_ADDR_MAPPED);
	assert_int_equal(a.map_offset, 0x1234);
	/* a file name is the program's: escaped */
	a = classify(SIGBUS, BUS_ADRERR, 0x500010, 0x401010, MAIN_SP);
	assert_string_equal(a.path, "/tmp/odd\\ename");
}

static void test_no_address(void **state)
{
	(void)state;
	/* abort(): sent with tgkill, si_code SI_TKILL; no address to classify */
	struct catch_addr a = classify(SIGABRT, SI_TKILL, 0x1234, 0x401010, MAIN_SP);
	assert_int_equal(a.kind, CATCH_ADDR_NONE);
	a = classify(SIGSEGV, SI_USER, 0, 0x401010, MAIN_SP);
	assert_int_equal(a.kind, CATCH_ADDR_NONE);
}

#define BIT(s) (1ull << ((s)-1))

static void test_fatal(void **state)
{
	(void)state;
	assert_true(catch_sig_fatal(SIGSEGV, SEGV_MAPERR, 0, 0, 0));
	/* the program handles it: not a crash */
	assert_false(catch_sig_fatal(SIGSEGV, SEGV_MAPERR, BIT(SIGSEGV), 0, 0));
	/* a fault while blocked or ignored: the kernel forces it */
	assert_true(catch_sig_fatal(SIGSEGV, SEGV_MAPERR, BIT(SIGSEGV), 0, BIT(SIGSEGV)));
	assert_true(catch_sig_fatal(SIGFPE, FPE_INTDIV, 0, BIT(SIGFPE), 0));
	/* the same signal sent by kill() and ignored is not */
	assert_false(catch_sig_fatal(SIGSEGV, SI_USER, 0, BIT(SIGSEGV), 0));
	assert_true(catch_sig_fatal(SIGABRT, SI_TKILL, 0, 0, 0));
	assert_true(catch_sig_fatal(SIGTERM, SI_USER, 0, 0, 0));
	assert_false(catch_sig_fatal(SIGTERM, SI_USER, BIT(SIGTERM), 0, 0));
	/* default actions that do not kill */
	assert_false(catch_sig_fatal(SIGCHLD, CLD_EXITED, 0, 0, 0));
	assert_false(catch_sig_fatal(SIGWINCH, SI_KERNEL, 0, 0, 0));
	assert_false(catch_sig_fatal(SIGSTOP, SI_USER, 0, 0, 0));
	assert_false(catch_sig_fatal(SIGCONT, SI_USER, 0, 0, 0));
	/* a real-time signal's default action is to terminate */
	assert_true(catch_sig_fatal(SIGRTMIN + 2, SI_QUEUE, 0, 0, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_null_page),	 cmocka_unit_test(test_stack_overflow),
	    cmocka_unit_test(test_unmapped),	 cmocka_unit_test(test_permissions),
	    cmocka_unit_test(test_no_address),	 cmocka_unit_test(test_fatal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
