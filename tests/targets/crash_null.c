/*
 * crash_null: a NULL dereference in a named function at a known line
 * (whytop catch). With an argument, waits until that file exists, so that
 * a test can attach first.
 */
#pragma GCC optimize("O0")
#include <stdio.h>
#include <unistd.h>

struct item {
	long id;
	int value;
};

void set_field(struct item *it, int v)
{
	int doubled = v * 2;
	it->value = doubled; /* CRASH_LINE */
}

int main(int argc, char **argv)
{
	struct item *volatile target = NULL;
	if (argc > 1) {
		printf("ready\n");
		fflush(stdout);
		while (access(argv[1], F_OK) != 0)
			usleep(10000);
	}
	set_field(target, 21);
	return 0;
}
