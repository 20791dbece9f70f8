/*
 * crazy: the process whytop rescues. It spins at 100% CPU in a loop whose
 * condition is a local int that nothing in the program ever clears. Set
 * `flag` to 0 (whytop poke PID flag=0, or the Locals tab) and it prints its
 * completion line and exits 0. Built -O0 so the loop re-reads flag from its
 * stack slot on every turn, as a debug build would.
 */
#pragma GCC optimize("O0")
#include <stdio.h>
#include <unistd.h>

static unsigned long spin_until_cleared(void)
{
	int flag = 1;
	unsigned long spins = 0;

	while (flag)
		spins++;
	return spins;
}

int main(void)
{
	unsigned long spins;

	printf("crazy: pid %d spinning until flag is cleared\n", (int)getpid());
	fflush(stdout);
	spins = spin_until_cleared();
	printf("crazy: flag cleared after %lu spins, finishing normally\n", spins);
	return 0;
}
