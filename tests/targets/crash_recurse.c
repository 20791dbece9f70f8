/* crash_recurse: a recursion without end overflows the main thread's stack. */
#pragma GCC optimize("O0")
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int recurse(int depth)
{
	char pad[256];
	memset(pad, depth & 0x7f, sizeof(pad));
	return recurse(depth + 1) + pad[depth % 256]; /* CRASH_LINE */
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		printf("ready\n");
		fflush(stdout);
		while (access(argv[1], F_OK) != 0)
			usleep(10000);
	}
	return recurse(0);
}
