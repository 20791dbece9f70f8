/*
 * kern_vfork32: kern_vfork for the i386 ABI, with no libc at all (built with
 * -m32 -nostdlib, so no 32-bit libc needs to be installed). The same
 * numbers mean other calls on x86_64 (190 is vfork here, fsetxattr there;
 * 162 is nanosleep here, sync there), so a decoder that ignores the task's
 * ABI is caught. The parent waits in D until the child's 600 s sleep ends
 * or the child is killed.
 */
static long sys3(long nr, long a, long b, long c)
{
	long r;
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return r;
}

struct ts32 {
	long sec, nsec;
};

void _start(void)
{
	struct ts32 t = { 600, 0 };
	long pid = sys3(190, 0, 0, 0); /* vfork */
	if (pid == 0) {
		sys3(162, (long)&t, 0, 0); /* nanosleep */
		sys3(1, 0, 0, 0);          /* exit(0) */
	}
	sys3(1, 0, 0, 0);
	for (;;)
		;
}
