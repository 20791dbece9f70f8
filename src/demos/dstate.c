/*
 * dstate: a process asleep in state D (uninterruptible) without any
 * privilege. It vforks: until the child exits, the kernel keeps the parent
 * in an uninterruptible wait for the vfork to be done (kernel_clone ->
 * wait_for_vfork_done), and no signal but SIGKILL reaches it. The child
 * sleeps SECONDS (default 120) and exits; the parent then reports and
 * exits 0. `whytop kstack PID` shows where it waits; stack, locals and poke
 * say at once that it cannot be stopped.
 * Usage: dstate [SECONDS]
 */
#pragma GCC optimize("O0")
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long secs = argc > 1 ? atol(argv[1]) : 120;
	if (argc > 2 || secs < 0) {
		fprintf(stderr, "usage: dstate [SECONDS]\n");
		return 2;
	}
	printf("dstate: pid %d will sleep in state D for %ld s, until its vfork child %s\n",
	       (int)getpid(), secs, "exits");
	fflush(stdout);
	pid_t child = vfork();
	if (child == 0) {
		/* A vfork child shares the parent's memory: only nanosleep and _exit. */
		struct timespec ts = {secs, 0};
		nanosleep(&ts, NULL);
		_exit(0);
	}
	if (child < 0) {
		perror("dstate: vfork");
		return 1;
	}
	int status;
	waitpid(child, &status, 0);
	printf("dstate: the vfork child %d ended; no longer in D, exiting\n", (int)child);
	return 0;
}
