/*
 * prof_phase: a CPU profile that changes. It spins in prof_phase_a until
 * SIGUSR1, then in prof_phase_b, each call a short run of the same loop
 * body, so a sliding window sees a's share fall and b's rise.
 *
 * prof_phase [SECONDS]: prints "ready PID", "phase b" once it has switched
 * (after SIGUSR1), and exits after SECONDS (default 120).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define PHASE_K 100000

#include "prof_body.h"

__attribute__((noinline)) unsigned long prof_phase_a(unsigned long x, long n)
{
	for (long i = 0; i < n; i++)
		PROF_BODY(x);
	return x;
}

__attribute__((noinline)) unsigned long prof_phase_b(unsigned long x, long n)
{
	for (long i = 0; i < n; i++)
		PROF_BODY(x);
	return x;
}

static volatile sig_atomic_t phase_switch;
static volatile unsigned long phase_sink;

static void phase_on_usr1(int sig)
{
	(void)sig;
	phase_switch = 1;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 120;
	signal(SIGUSR1, phase_on_usr1);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	unsigned long x = 88172645463325252ul;
	int b = 0;
	do {
		if (!b && phase_switch) {
			b = 1;
			printf("phase b\n");
			fflush(stdout);
		}
		x = b ? prof_phase_b(x, PHASE_K) : prof_phase_a(x, PHASE_K);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9 < secs);
	phase_sink = x;
	return 0;
}
