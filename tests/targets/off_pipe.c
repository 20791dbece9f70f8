/*
 * off_pipe: a thread that blocks in read on a pipe for a known share of its
 * time. A feeder thread writes a byte every PERIOD_MS (on an absolute
 * schedule); the reader thread ("reader") reads it in off_pipe_wait, then
 * sleeps NAP_MS in off_pipe_nap, so it waits in read about
 * (PERIOD_MS - NAP_MS) / PERIOD_MS of the time, CPU load or not. It
 * measures itself: after each round it prints "tick TID IN_READ_NS
 * WALL_NS" (the wall time spent inside read, and since it started), so a
 * test can compare what off-CPU profiling reports with what the thread saw
 * over the same window. Prints "ready TID" once the reader runs.
 * Usage: off_pipe PERIOD_MS NAP_MS
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int fds[2];
static long period_ms, nap_ms;

static unsigned long long clock_ns(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

static void *feeder(void *arg)
{
	(void)arg;
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (;;) {
		next.tv_nsec += period_ms * 1000000L;
		while (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		if (write(fds[1], "x", 1) != 1)
			_exit(1);
	}
	return NULL;
}

/* Blocks until the feeder's next byte; returns the wall time it waited. */
__attribute__((noinline)) static unsigned long long off_pipe_wait(void)
{
	char c;
	unsigned long long t0 = clock_ns(CLOCK_MONOTONIC);
	if (read(fds[0], &c, 1) != 1) /* OFF_PIPE_READ */
		_exit(1);
	return clock_ns(CLOCK_MONOTONIC) - t0;
}

__attribute__((noinline)) static void off_pipe_nap(void)
{
	struct timespec ts = {0, nap_ms * 1000000L};
	nanosleep(&ts, NULL); /* OFF_PIPE_NAP */
}

static void *reader(void *arg)
{
	(void)arg;
	pid_t tid = (pid_t)syscall(SYS_gettid);
	unsigned long long start = clock_ns(CLOCK_MONOTONIC), in_read = 0;
	printf("ready %d\n", (int)tid);
	fflush(stdout);
	for (;;) {
		in_read += off_pipe_wait();
		printf("tick %d %llu %llu\n", (int)tid, in_read, clock_ns(CLOCK_MONOTONIC) - start);
		fflush(stdout);
		off_pipe_nap();
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: off_pipe PERIOD_MS NAP_MS\n");
		return 2;
	}
	period_ms = atol(argv[1]);
	nap_ms = atol(argv[2]);
	if (pipe(fds) < 0)
		return 1;
	pthread_t f, r;
	pthread_create(&f, NULL, feeder, NULL);
	pthread_create(&r, NULL, reader, NULL);
	pthread_setname_np(f, "feeder");
	pthread_setname_np(r, "reader");
	pthread_join(r, NULL);
	return 0;
}
