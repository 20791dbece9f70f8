/*
 * stk_recurse: recurses STK_DEPTH (argv[1], default 100) times through
 * stk_recurse and then sleeps in stk_recurse_bottom, printing "beat N"
 * every 100 ms.
 */
/* Lines and frames are asserted exactly: keep -O0 whatever CFLAGS say. */
#pragma GCC optimize("O0")
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

__attribute__((noinline)) static void stk_recurse_bottom(void)
{
	unsigned long beat = 0;
	for (;;) {
		struct timespec ts = { 0, 100000000 };
		nanosleep(&ts, NULL); /* STK_BOTTOM_LINE */
		printf("beat %lu\n", ++beat);
		fflush(stdout);
	}
}

__attribute__((noinline)) int stk_recurse(int depth)
{
	if (depth <= 1)
		stk_recurse_bottom();
	else
		stk_recurse(depth - 1); /* STK_RECURSE_LINE */
	/* (not a tail call: keep every frame) */
	return depth + 1;
}

int main(int argc, char **argv)
{
	int depth = argc > 1 ? atoi(argv[1]) : 100;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ready %d\n", (int)getpid());
	return stk_recurse(depth); /* STK_MAIN_LINE */
}
