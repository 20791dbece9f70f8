/*
 * stk_split: its debug info (and symbol table) is moved into a separate
 * file, stk_split.debug, found through .gnu_debuglink next to the binary.
 * A walk must still name stk_split_wait with its file and line.
 */
/* Lines and frames are asserted exactly: keep -O0 whatever CFLAGS say. */
#pragma GCC optimize("O0")
#include <stdio.h>
#include <time.h>
#include <unistd.h>

__attribute__((noinline)) static void stk_split_wait(void)
{
	for (unsigned long beat = 1;; beat++) {
		struct timespec ts = { 0, 100000000 };
		nanosleep(&ts, NULL); /* STK_SPLIT_LINE */
		printf("beat %lu\n", beat);
		fflush(stdout);
	}
}

int main(void)
{
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	stk_split_wait();
	return 0;
}
