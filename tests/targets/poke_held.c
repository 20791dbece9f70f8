/*
 * poke_held: a process that, once rescued, is held by another tracer.
 * It spins on a local flag like crazy; when the flag is cleared it stays
 * in the same frame and asks its child to PTRACE_SEIZE it, so that no one
 * else can attach. whytop's watch after the poke then cannot walk the
 * thread and must say why instead of saying nothing. The child dies with
 * its parent (PR_SET_PDEATHSIG), and a seize stops nothing: the parent
 * sleeps on in pause() until the test kills it.
 */
#pragma GCC optimize("O0")
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <unistd.h>

static int to_child[2], to_parent[2];

static void held_loop(void)
{
	int flag = 1;
	char c = 'x';

	while (flag)
		;
	if (write(to_child[1], &c, 1) != 1 || read(to_parent[0], &c, 1) != 1)
		_exit(2);
	printf("held by %c\n", c);
	fflush(stdout);
	for (;;)
		pause(); /* still in this frame */
}

int main(void)
{
	pid_t parent = getpid();
	char c;

	if (pipe(to_child) < 0 || pipe(to_parent) < 0)
		return 2;
	switch (fork()) {
	case -1:
		return 2;
	case 0:
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		if (read(to_child[0], &c, 1) != 1)
			_exit(0);
		c = ptrace(PTRACE_SEIZE, parent, 0, 0) == 0 ? 'c' : 'n';
		if (write(to_parent[1], &c, 1) != 1)
			_exit(0);
		for (;;)
			pause();
	}
	printf("poke_held: pid %d spinning until flag is cleared\n", (int)getpid());
	fflush(stdout);
	held_loop();
	return 0;
}
