/*
 * stk_spin: main plus 8 threads that never block, the case where a walk
 * waits longest for its stops: each worker ("spin-0" .. "spin-7") spins in
 * a CPU loop in spin_inner, called from its thread function spin_worker,
 * so every busy thread's stack reads spin_inner <- spin_worker. No system
 * call and no vDSO call in the loop: the threads are caught in user code.
 * Main prints "ready PID" once all 8 workers are in spin_inner, then
 * sleeps, printing "beat N spins S" every 100 ms (S: the workers' loops
 * so far, so a test sees they still make progress). It exits on SIGTERM (left at its default
 * action) or after ARG seconds (default 600), so it never lingers.
 */
/* Lines and frames are asserted exactly: keep -O0 whatever CFLAGS say. */
#pragma GCC optimize("O0")
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pthread_setname_np */
#endif
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define SPIN_WORKERS 8

/* One counter per worker, each on its own cache line: the workers do not
 * slow each other down, main only reads. */
static struct {
	_Alignas(64) atomic_ulong n;
} spin_count[SPIN_WORKERS];
static atomic_int spin_started;

__attribute__((noinline)) static void spin_inner(atomic_ulong *n)
{
	unsigned long x = 1;
	/* Counted here, not in spin_worker: once "ready" is out, every worker
	 * is in this function. */
	atomic_fetch_add(&spin_started, 1);
	for (;;) {
		for (int i = 0; i < 100000; i++)
			x = x * 6364136223846793005ul + 1442695040888963407ul; /* SPIN_INNER_LINE */
		atomic_store_explicit(n, atomic_load_explicit(n, memory_order_relaxed) + 1,
				      memory_order_relaxed);
	}
}

static void *spin_worker(void *arg)
{
	spin_inner(arg); /* SPIN_WORKER_LINE */
	return NULL;
}

static unsigned long spin_total(void)
{
	unsigned long s = 0;
	for (int i = 0; i < SPIN_WORKERS; i++)
		s += atomic_load_explicit(&spin_count[i].n, memory_order_relaxed);
	return s;
}

int main(int argc, char **argv)
{
	long limit = argc > 1 ? strtol(argv[1], NULL, 10) : 600;
	struct timespec start, now;

	signal(SIGTERM, SIG_DFL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < SPIN_WORKERS; i++) {
		pthread_t t;
		char name[16];
		if (pthread_create(&t, NULL, spin_worker, &spin_count[i].n) != 0)
			return 1;
		snprintf(name, sizeof(name), "spin-%d", i);
		pthread_setname_np(t, name);
	}
	/* "ready" once every worker has entered its loop. */
	while (atomic_load(&spin_started) < SPIN_WORKERS) {
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
	}
	printf("ready %d\n", (int)getpid());
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (unsigned long beat = 1;; beat++) {
		struct timespec ts = { 0, 100000000 };
		nanosleep(&ts, NULL); /* SPIN_MAIN_LINE */
		printf("beat %lu spins %lu\n", beat, spin_total());
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= limit) {
			printf("timeout after %ld s\n", limit);
			return 0;
		}
	}
}
