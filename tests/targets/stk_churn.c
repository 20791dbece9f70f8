/*
 * stk_churn [EXIT_MS]: threads come and go all the time (each lives about
 * a millisecond), so a walk meets threads that are born or exit while it
 * attaches. Prints "beat N made M" every 100 ms; with EXIT_MS, the whole
 * process exits after that many milliseconds (mid-walk, for a test).
 * A vfork'd child is not involved: see stk_vfork.
 */
#pragma GCC optimize("O0")
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static atomic_ulong stk_made;

static void *stk_churn_short(void *arg)
{
	struct timespec ts = { 0, 1000000 };
	nanosleep(&ts, NULL);
	return NULL;
}

static void *stk_churn_maker(void *arg)
{
	for (;;) {
		pthread_t t[4];
		int n = 0;
		for (int i = 0; i < 4; i++)
			if (pthread_create(&t[n], NULL, stk_churn_short, NULL) == 0)
				n++;
		for (int i = 0; i < n; i++)
			pthread_join(t[i], NULL);
		atomic_fetch_add(&stk_made, (unsigned long)n);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long exit_ms = argc > 1 ? atol(argv[1]) : 0;
	pthread_t m;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pthread_create(&m, NULL, stk_churn_maker, NULL) != 0)
		return 1;
	printf("ready %d\n", (int)getpid());
	for (unsigned long beat = 1;; beat++) {
		struct timespec ts = { 0, 100000000 };
		nanosleep(&ts, NULL);
		printf("beat %lu made %lu\n", beat, atomic_load(&stk_made));
		if (exit_ms && (long)beat * 100 >= exit_ms)
			exit(0);
	}
}
