/*
 * loop: the process to rescue. wait_for_done() spins at 100% CPU on a
 * local flag, `done`, that nothing in the program ever sets: the bug a
 * classroom fixes live. `whytop locals PID` shows done = 0; `whytop poke
 * PID done=1` sets it, and the program prints how many turns it made and
 * exits 0. Built -O0 (also by the pragma, whatever CFLAGS say) so the loop
 * re-reads done from its stack slot on every turn, as a debug build does.
 */
#pragma GCC optimize("O0")
#include <stdio.h>
#include <unistd.h>

static unsigned long wait_for_done(void)
{
	int done = 0;
	unsigned long turns = 0;

	while (!done) /* the bug: nothing sets done */
		turns++;
	return turns;
}

int main(void)
{
	printf("loop: pid %d spinning until done is set (try: whytop poke %d done=1)\n",
	       (int)getpid(), (int)getpid());
	fflush(stdout);
	unsigned long turns = wait_for_done();
	printf("loop: done was set after %lu turns, exiting normally\n", turns);
	return 0;
}
