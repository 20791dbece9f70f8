/*
 * stk_vfork [SECONDS]: the main thread waits in vfork (uninterruptible,
 * state D) while the child sleeps SECONDS (default 2; a test gives more and
 * ends the child itself, so that a loaded machine cannot end the vfork
 * before the test looked); a second thread keeps running. A walk must not
 * wait for the D thread forever: it reports it and walks the other.
 * Afterwards the parent prints "resumed" and then "beat N" lines.
 */
#pragma GCC optimize("O0")
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void *stk_vfork_other(void *arg)
{
	for (;;) {
		struct timespec ts = { 0, 10000000 };
		nanosleep(&ts, NULL); /* STK_OTHER_LINE */
	}
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned secs = argc > 1 ? (unsigned)atoi(argv[1]) : 2;
	pthread_t t;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pthread_create(&t, NULL, stk_vfork_other, NULL) != 0)
		return 1;
	printf("ready %d\n", (int)getpid());
	pid_t c = vfork();
	if (c == 0) {
		sleep(secs);
		_exit(0);
	}
	printf("resumed\n");
	for (unsigned long beat = 1;; beat++) {
		struct timespec ts = { 0, 100000000 };
		nanosleep(&ts, NULL);
		printf("beat %lu\n", beat);
	}
}
