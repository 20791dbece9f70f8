/*
 * off_phase: a process that waits in one place, then in another. Its main
 * thread sleeps in poll() from off_phase_a, 10 ms at a time, until
 * SIGUSR1, then in nanosleep() from off_phase_b; a sliding off-CPU window
 * sees a's time fall and b's rise.
 *
 * off_phase [SECONDS]: prints "ready PID", "phase b" once it has switched,
 * and exits after SECONDS (default 120).
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t phase_switch;

static void phase_on_usr1(int sig)
{
	(void)sig;
	phase_switch = 1;
}

__attribute__((noinline)) void off_phase_a(void)
{
	poll(NULL, 0, 10);
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void off_phase_b(void)
{
	struct timespec ts = {0, 10000000};
	nanosleep(&ts, NULL);
	__asm__ volatile("" ::: "memory");
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 120;
	struct sigaction sa = {.sa_handler = phase_on_usr1}; /* no SA_RESTART needed: both return */
	sigaction(SIGUSR1, &sa, NULL);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int b = 0;
	do {
		if (!b && phase_switch) {
			b = 1;
			printf("phase b\n");
			fflush(stdout);
		}
		if (b)
			off_phase_b();
		else
			off_phase_a();
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9 < secs);
	return 0;
}
