/*
 * kern_vfork: a parent held in D state by vfork. The child shares the
 * parent's memory and sleeps SECONDS before _exit; until then the kernel
 * keeps the parent in an uninterruptible wait (kernel_clone, waiting for
 * the vfork to be done).
 * Usage: kern_vfork SECONDS
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: kern_vfork SECONDS\n");
		return 2;
	}
	long secs = atol(argv[1]);
	pid_t child = vfork();
	if (child == 0) {
		/* Only async-signal-safe calls in a vfork child, then _exit. */
		struct timespec ts = { secs, 0 };
		nanosleep(&ts, NULL);
		_exit(0);
	}
	if (child < 0) {
		perror("vfork");
		return 1;
	}
	int status;
	waitpid(child, &status, 0);
	return 0;
}
