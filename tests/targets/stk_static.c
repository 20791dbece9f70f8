/*
 * stk_static: a statically linked target, so a test can run it in a chroot
 * (another root directory, as in a container) where its path means nothing
 * on the host; whytop must read it through /proc/PID/root.
 */
#pragma GCC optimize("O0")
#include <stdio.h>
#include <time.h>
#include <unistd.h>

__attribute__((noinline)) static void stk_static_wait(void)
{
	for (unsigned long beat = 1;; beat++) {
		struct timespec ts = { 0, 100000000 };
		nanosleep(&ts, NULL); /* STK_STATIC_LINE */
		printf("beat %lu\n", beat);
		fflush(stdout);
	}
}

int main(void)
{
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	stk_static_wait();
	return 0;
}
