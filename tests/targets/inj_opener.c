/*
 * inj_opener: the fault injection tests' target. "inj_opener [-n ROUNDS]
 * PATH..." opens each PATH in turn (openat, O_RDONLY) every 100 ms, for
 * ROUNDS rounds (default: forever), and prints one line per open:
 *
 *   open ROUND INDEX fd=FD RESULT MICROSECONDS
 *
 * RESULT is "ok" or the errno's name; MICROSECONDS is how long the open
 * took, measured here (CLOCK_MONOTONIC around the call), so a delay
 * injection is seen by the program itself. "ready PID" comes first.
 * With "-t TPATH" first, a second thread opens TPATH every 100 ms too and
 * prints "topen N fd=FD RESULT MICROSECONDS".
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void *other_thread(void *arg)
{
	const char *path = arg;
	for (long r = 1;; r++) {
		long long t0 = now_us();
		int fd = open(path, O_RDONLY);
		int e = errno;
		long long dt = now_us() - t0;
		const char *res = fd >= 0 ? "ok" : strerrorname_np(e);
		printf("topen %ld fd=%d %s %lld\n", r, fd, res ? res : "?", dt);
		if (fd >= 0)
			close(fd);
		struct timespec ts = {0, 100000000};
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long rounds = -1;
	int first = 1;
	pthread_t th;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 2 && strcmp(argv[1], "-t") == 0) {
		if (pthread_create(&th, NULL, other_thread, argv[2]) != 0)
			return 1;
		argv += 2;
		argc -= 2;
	}
	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		rounds = atol(argv[2]);
		first = 3;
	}
	if (first >= argc) {
		fprintf(stderr, "usage: inj_opener [-n ROUNDS] PATH...\n");
		return 2;
	}
	printf("ready %d\n", (int)getpid());
	for (long r = 1; rounds < 0 || r <= rounds; r++) {
		for (int i = first; i < argc; i++) {
			long long t0 = now_us();
			int fd = open(argv[i], O_RDONLY);
			int e = errno;
			long long dt = now_us() - t0;
			const char *res = fd >= 0 ? "ok" : strerrorname_np(e);
			printf("open %ld %d fd=%d %s %lld\n", r, i - first, fd, res ? res : "?",
			       dt);
			if (fd >= 0)
				close(fd);
		}
		struct timespec ts = {0, 100000000};
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
	return 0;
}
