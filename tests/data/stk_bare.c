/*
 * stk_bare: a stack target without any libc (-nostdlib -static), so that
 * its snapshot in tests/data and this binary (kept beside it) give the
 * same frames on any machine: no library of the machine is mapped.
 *
 *   stk_bare          _start <- bare_start <- bare_outer <- bare_inner <- bare_wait <- bare_syscall
 *   stk_bare N        the same with bare_recurse N times between bare_outer and bare_inner
 *
 * It writes "ready" and then waits in pause(2) until killed. Built by
 * tests/data/regen.sh; the frames are asserted by tests/unit/test_stack_stored.c.
 */
#define SYS_write 1
#define SYS_pause 34
#define SYS_exit 60

__asm__(".text\n"
	".globl _start\n"
	".type _start, @function\n"
	"_start:\n"
	".cfi_startproc\n"
	".cfi_undefined rip\n" /* the outermost frame: nothing above */
	"	xor %ebp, %ebp\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call bare_start\n"
	"	hlt\n"
	".cfi_endproc\n"
	".size _start, . - _start\n");

__attribute__((noinline)) static long bare_syscall(long n, long a, long b, long c)
{
	long r;
	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return r;
}

__attribute__((noinline)) static void bare_wait(void)
{
	for (;;)
		bare_syscall(SYS_pause, 0, 0, 0); /* BARE_WAIT_LINE */
}

__attribute__((noinline)) static void bare_inner(int x)
{
	if (x >= 0)
		bare_wait(); /* BARE_INNER_LINE */
}

__attribute__((noinline)) static int bare_recurse(int depth)
{
	if (depth > 1)
		bare_recurse(depth - 1); /* BARE_RECURSE_LINE */
	else
		bare_inner(depth); /* BARE_RECURSE_BOTTOM_LINE */
	return depth;
}

__attribute__((noinline)) static void bare_outer(int depth)
{
	bare_syscall(SYS_write, 1, (long)"ready\n", 6);
	if (depth > 0)
		bare_recurse(depth); /* BARE_OUTER_RECURSE_LINE */
	else
		bare_inner(depth); /* BARE_OUTER_LINE */
}

__attribute__((noinline)) void bare_start(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)(sp + 1);
	int depth = 0;
	if (argc > 1)
		for (const char *p = argv[1]; *p >= '0' && *p <= '9'; p++)
			depth = depth * 10 + (*p - '0');
	bare_outer(depth); /* BARE_START_LINE */
	bare_syscall(SYS_exit, 0, 0, 0);
}
