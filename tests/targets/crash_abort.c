/* crash_abort: abort() (SIGABRT, SI_TKILL) from give_up(). */
#pragma GCC optimize("O0")
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void give_up(int reason)
{
	fprintf(stderr, "giving up: reason %d\n", reason);
	abort(); /* CRASH_LINE */
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		printf("ready\n");
		fflush(stdout);
		while (access(argv[1], F_OK) != 0)
			usleep(10000);
	}
	give_up(3);
	return 0;
}
