/*
 * opener: opens a file every 100 ms and prints what open(2) returned, for
 * fault injection: `whytop inject PID -e trace=openat --error ENOENT` makes
 * its lines say ENOENT on the chosen calls, and they succeed again once
 * whytop is gone. PATH defaults to /etc/passwd; COUNT opens then exits
 * (default 0: for ever).
 * Usage: opener [PATH [COUNT]]
 */
#pragma GCC optimize("O0")
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void open_once(const char *path, long n)
{
	int fd = open(path, O_RDONLY);
	if (fd >= 0) {
		printf("opener: #%ld open(\"%s\") = %d\n", n, path, fd);
		close(fd);
	} else {
		int e = errno;
		printf("opener: #%ld open(\"%s\") failed: %s (%s)\n", n, path,
		       strerrorname_np(e) ? strerrorname_np(e) : "?", strerror(e));
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/etc/passwd";
	long count = argc > 2 ? atol(argv[2]) : 0;
	if (argc > 3 || count < 0) {
		fprintf(stderr, "usage: opener [PATH [COUNT]]\n");
		return 2;
	}
	printf("opener: pid %d opening %s every 100 ms\n", (int)getpid(), path);
	fflush(stdout);
	struct timespec tick = {0, 100 * 1000 * 1000};
	for (long n = 1; count == 0 || n <= count; n++) {
		open_once(path, n);
		nanosleep(&tick, NULL);
	}
	return 0;
}
