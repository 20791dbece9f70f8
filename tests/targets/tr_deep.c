/*
 * tr_deep: openat calls made from known functions of this file, for
 * `whytop trace -k` (tests/cli/trace_stack.sh). Built -O2 -g so that
 * tr_deep_middle is inlined into tr_deep_outer: the log must show it as an
 * inline frame. Prints "ready PID", then for each line read on stdin opens
 * (and closes) the path named on the command line once, and says "done N";
 * at end of input it exits 0. The opens wait for a line, so a tracer
 * attached after "ready" sees all of them.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

volatile int tr_deep_opened;

__attribute__((noinline)) int tr_deep_open(const char *path)
{
	int fd = open(path, O_RDONLY); /* TR_OPEN_LINE */
	if (fd >= 0)
		tr_deep_opened++;
	return fd;
}

static inline __attribute__((always_inline)) int tr_deep_middle(const char *path)
{
	int fd = tr_deep_open(path); /* TR_MIDDLE_LINE */
	tr_deep_opened += fd >= 0;
	return fd;
}

__attribute__((noinline)) int tr_deep_outer(const char *path)
{
	int fd = tr_deep_middle(path); /* TR_OUTER_LINE */
	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/null";
	char line[64];
	int n = 0;
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		n += tr_deep_outer(path); /* TR_MAIN_LINE */
		printf("done %d\n", n);
		fflush(stdout);
	}
	return 0;
}
