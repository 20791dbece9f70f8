/*
 * off_pingpong: a context-switch storm for the off-CPU benchmark. Two
 * threads pass a byte back and forth over two pipes, so each round trip
 * puts each thread to sleep once. Every second it prints the round trips of
 * that second and the round trips per second of the process's CPU time
 * ("WALL CPU", as sc_loop prints), so a benchmark can read the target's own
 * throughput while something watches its switches.
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static int ping[2], pong[2];

static double clock_s(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *echo(void *arg)
{
	(void)arg;
	char b;
	while (read(ping[0], &b, 1) == 1)
		if (write(pong[1], &b, 1) != 1)
			break;
	return NULL;
}

int main(void)
{
	pthread_t t;
	if (pipe(ping) < 0 || pipe(pong) < 0 || pthread_create(&t, NULL, echo, NULL) != 0)
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	unsigned long n = 0;
	double next = clock_s(CLOCK_MONOTONIC) + 1.0, c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	char b = 'x';
	for (;;) {
		if (write(ping[1], &b, 1) != 1 || read(pong[0], &b, 1) != 1)
			return 1;
		n++;
		if ((n & 63) == 0 && clock_s(CLOCK_MONOTONIC) >= next) {
			double c1 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
			printf("%lu %.0f\n", n, c1 > c0 ? (double)n / (c1 - c0) : 0.0);
			n = 0;
			c0 = c1;
			next += 1.0;
		}
	}
}
