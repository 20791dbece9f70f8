/*
 * loc_clock: a loop on a local flag that calls clock_gettime on every turn,
 * so the thread is nearly always inside the vDSO: its variables are in an
 * outer frame that only the fallback unwinder reaches. Prints the number of
 * turns and exits 0 when `flag` is cleared.
 */
#pragma GCC optimize("O0")
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static long spin_on_clock(void)
{
	int flag = 1;
	long turns = 0;
	struct timespec ts;

	while (flag) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		turns++;
	}
	return turns;
}

int main(void)
{
	printf("loc_clock: pid %d ready\n", (int)getpid());
	fflush(stdout);
	printf("loc_clock: done after %ld turns\n", spin_on_clock());
	return 0;
}
