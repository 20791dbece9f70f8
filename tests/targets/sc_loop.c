/*
 * sc_loop: a syscall-heavy target for the syscall counting benchmark.
 * "sc_loop getppid" calls getppid in a tight loop; "sc_loop proc" opens,
 * reads and closes /proc/self/stat in a loop. Every second it prints how
 * many iterations it made in that second, so a benchmark can read the
 * target's own throughput while something counts its syscalls.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int proc = argc > 1 && strcmp(argv[1], "proc") == 0;
	char buf[512];
	unsigned long n = 0;
	double next = now() + 1.0, c0 = cpu();
	double end = argc > 2 ? now() + atof(argv[2]) : 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (;;) {
		for (int i = 0; i < 256; i++) {
			if (proc) {
				int fd = open("/proc/self/stat", O_RDONLY);
				if (fd >= 0) {
					if (read(fd, buf, sizeof(buf)) < 0)
						return 1;
					close(fd);
				}
			} else {
				getppid();
			}
		}
		n += 256;
		/* The clock is read through the vDSO: no syscall of its own. */
		double t = now();
		if (t >= next) {
			/* one clock_gettime syscall per second: negligible */
			double c1 = cpu();
			printf("%lu %.0f\n", n, c1 > c0 ? (double)n / (c1 - c0) : 0.0);
			c0 = c1;
			n = 0;
			next += 1.0;
			if (t > next)
				next = t + 1.0;
			if (end && t >= end)
				return 0;
		}
	}
}
