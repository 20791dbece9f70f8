/* crash_thread: a segfault in a thread named "worker"; main waits in pthread_join. */
#pragma GCC optimize("O0")
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static const char *trigger;

void worker_store(int *slot, int v)
{
	*slot = v; /* CRASH_LINE */
}

static void *worker(void *arg)
{
	(void)arg;
	if (trigger)
		while (access(trigger, F_OK) != 0)
			usleep(10000);
	worker_store((int *)0x10, 5);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;
	trigger = argc > 1 ? argv[1] : NULL;
	pthread_create(&th, NULL, worker, NULL);
	pthread_setname_np(th, "worker");
	if (trigger) {
		printf("ready\n");
		fflush(stdout);
	}
	pthread_join(th, NULL);
	return 0;
}
