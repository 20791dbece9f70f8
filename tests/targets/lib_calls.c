/*
 * lib_calls: a target for whytop libcalls. On each SIGUSR1 it calls rand()
 * 100 times and getpid() 7 times (through the PLT: built with -O0
 * -fno-builtin; neither is an IFUNC in glibc), then writes the number of
 * signals handled so far to the file given as argv[1], so that a test can
 * wait for the work instead of sleeping. Prints "ready" when set up.
 *
 * "lib_calls --loop" is the benchmark's loop instead (libcalls_overhead.sh):
 * rand in a tight loop, printing each second the calls made in that second
 * and the calls per second of its own CPU time (user + system: the uprobe
 * traps are system time of the target).
 */
#include <signal.h>
#include <string.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile sig_atomic_t pending;

static void on_usr1(int sig)
{
	(void)sig;
	pending++;
}

static double lc_clock(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

__attribute__((noreturn)) static void lc_loop(void)
{
	unsigned long n = 0;
	double next = lc_clock(CLOCK_MONOTONIC) + 1.0, c0 = lc_clock(CLOCK_THREAD_CPUTIME_ID);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (;;) {
		for (int i = 0; i < 256; i++)
			(void)rand();
		n += 256;
		double t =
		    lc_clock(CLOCK_MONOTONIC); /* vDSO: neither a call counted nor a syscall */
		if (t >= next) {
			double c1 = lc_clock(CLOCK_THREAD_CPUTIME_ID);
			printf("%lu %.0f\n", n, c1 > c0 ? (double)n / (c1 - c0) : 0.0);
			c0 = c1;
			n = 0;
			next += 1.0;
			if (t > next)
				next = t + 1.0;
		}
	}
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--loop") == 0)
		lc_loop();
	if (argc != 2) {
		fprintf(stderr, "usage: lib_calls DONE_FILE\n");
		return 2;
	}
	struct sigaction sa = {.sa_handler = on_usr1};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	printf("ready\n");
	fflush(stdout);
	unsigned long done = 0;
	for (;;) {
		while (!pending)
			sigsuspend(&old);
		pending--;
		for (int i = 0; i < 100; i++)
			(void)rand();
		for (int i = 0; i < 7; i++)
			(void)getpid();
		done++;
		FILE *f = fopen(argv[1], "w");
		if (f) {
			fprintf(f, "%lu\n", done);
			fclose(f);
		}
	}
}
