/*
 * crash_handled: a program that handles SIGSEGV itself: its handler jumps
 * back, it says so and exits 0. Not a crash.
 */
#pragma GCC optimize("O0")
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static sigjmp_buf back;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(back, 1);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_segv;
	sigaction(SIGSEGV, &sa, NULL);
	if (argc > 1) {
		printf("ready\n");
		fflush(stdout);
		while (access(argv[1], F_OK) != 0)
			usleep(10000);
	}
	if (sigsetjmp(back, 1) == 0) {
		volatile int *p = NULL;
		*p = 1;
	}
	printf("recovered\n");
	return 0;
}
