/*
 * crash_thread: a segfault in a thread named "worker", started only once
 * the trigger file exists (so a tracer that attached before is told of it
 * by the kernel, not by /proc); main waits in pthread_join.
 */
#pragma GCC optimize("O0")
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

void worker_store(int *slot, int v)
{
	*slot = v; /* CRASH_LINE */
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "worker");
	worker_store((int *)0x10, 5);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;
	if (argc > 1) {
		printf("ready\n");
		fflush(stdout);
		while (access(argv[1], F_OK) != 0)
			usleep(10000);
	}
	pthread_create(&th, NULL, worker, NULL);
	pthread_join(th, NULL);
	return 0;
}
