/* crash_fpe: an integer division by zero (SIGFPE, FPE_INTDIV) in divide(). */
#pragma GCC optimize("O0")
#include <stdio.h>
#include <unistd.h>

int divide(int num, int den)
{
	int quotient = num / den; /* CRASH_LINE */
	return quotient;
}

int main(int argc, char **argv)
{
	volatile int zero = 0;
	if (argc > 1) {
		printf("ready\n");
		fflush(stdout);
		while (access(argv[1], F_OK) != 0)
			usleep(10000);
	}
	return divide(7, zero);
}
