/*
 * crash: a NULL dereference in a named function. After SECONDS (default
 * 10: time to attach, e.g. `whytop catch PID`) main() calls
 * lookup_user("nobody"), which finds no such user and reads through the
 * NULL pointer it got back: SIGSEGV at address 0 in lookup_user, on the
 * line marked below. 0 crashes at once.
 * Usage: crash [SECONDS]
 */
#pragma GCC optimize("O0")
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct user {
	const char *name;
	int id;
};

static struct user users[] = {{"alice", 1000}, {"bob", 1001}};

static struct user *find_user(const char *name)
{
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++)
		if (strcmp(users[i].name, name) == 0)
			return &users[i];
	return NULL;
}

static int lookup_user(const char *name)
{
	struct user *u = find_user(name);
	return u->id; /* crash: u is NULL for an unknown name */
}

int main(int argc, char **argv)
{
	long secs = argc > 1 ? atol(argv[1]) : 10;
	if (argc > 2 || secs < 0) {
		fprintf(stderr, "usage: crash [SECONDS]\n");
		return 2;
	}
	printf("crash: pid %d will dereference NULL in lookup_user() in %ld s\n", (int)getpid(),
	       secs);
	fflush(stdout);
	sleep((unsigned)secs);
	printf("crash: user id %d\n", lookup_user("nobody"));
	return 0;
}
