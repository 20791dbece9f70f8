/*
 * lib_calls: a target for whytop libcalls. On each SIGUSR1 it calls rand()
 * 100 times and getpid() 7 times (through the PLT: built with -O0
 * -fno-builtin; neither is an IFUNC in glibc), then writes the number of
 * signals handled so far to the file given as argv[1], so that a test can
 * wait for the work instead of sleeping. Prints "ready" when set up.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile sig_atomic_t pending;

static void on_usr1(int sig)
{
	(void)sig;
	pending++;
}

int main(int argc, char **argv)
{
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
