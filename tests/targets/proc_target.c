/*
 * proc_target.c: a process for the process-table tests to look at.
 *
 *   proc_target [-t NTHREADS] [-n NAME] [-f] [-b] [-w] [ARGS...]
 *
 * -t starts NTHREADS extra threads that sleep; -n sets the process name
 * (comm) with prctl(PR_SET_NAME), so a test can give it a hostile one such
 * as "\033]0;pwned\007"; -f forks a child named "proc_child" that dies with
 * its parent; -b burns CPU in the main thread instead of sleeping; -w zeroes argv so
 * that /proc/PID/cmdline reads empty. ARGS are
 * ignored: they are there to put odd bytes in /proc/PID/cmdline. When
 * everything is set up it writes "ready\n" on stdout and waits.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static void *sleeper(void *arg)
{
	for (;;)
		pause();
	return arg;
}

int main(int argc, char **argv)
{
	int nthreads = 0, fork_child = 0, burn = 0, wipe = 0, c;
	const char *name = NULL;

	while ((c = getopt(argc, argv, "+t:n:fbw")) != -1) {
		switch (c) {
		case 't': nthreads = atoi(optarg); break;
		case 'n': name = optarg; break;
		case 'f': fork_child = 1; break;
		case 'b': burn = 1; break;
		case 'w': wipe = 1; break;
		default:
			fprintf(stderr, "usage: proc_target [-t N] [-n NAME] [-f] [-b] [-w] [ARGS...]\n");
			return 2;
		}
	}
	if (fork_child) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			/* Never outlive the parent the test knows about. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() == 1)
				_exit(0);
			prctl(PR_SET_NAME, "proc_child");
			for (;;)
				pause();
		}
	}
	for (int i = 0; i < nthreads; i++) {
		pthread_t th;
		if (pthread_create(&th, NULL, sleeper, NULL) != 0) {
			perror("pthread_create");
			return 1;
		}
	}
	if (name)
		prctl(PR_SET_NAME, name);
	if (wipe) {
		/* An empty /proc/PID/cmdline: tools fall back to the name (comm). */
		for (int i = 0; i < argc; i++)
			memset(argv[i], 0, strlen(argv[i]));
	}
	printf("ready\n");
	fflush(stdout);
	if (burn) {
		volatile unsigned long x = 0;
		for (;;)
			x++;
	}
	for (;;)
		pause();
}
