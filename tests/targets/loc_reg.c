/*
 * loc_reg: a loop budget that changes every few hundred nanoseconds, kept
 * in a register, for whytop poke (the value read by a walk is stale by the
 * time of the write; the place is not).
 *
 *   loc_reg outer  crunch() keeps `budget` in a callee-saved register across
 *                  calls to helper(), a short leaf that never saves it and
 *                  runs most of the time: frame 0 is helper, frame 1 crunch.
 *                  poke --frame 1 budget=0 ends the loop.
 *   loc_reg mixed  crunch_mixed() spins in a loop of its own, then calls
 *                  helper(): the walk finds it as frame 0 or frame 1, and
 *                  by the time of the write it may be either again.
 *   loc_reg reg0   countdown() keeps `budget` in a register of frame 0 and
 *                  counts it down every turn; poke budget=0 ends it.
 *
 *   loc_reg phase  phase_one() spins until SIGUSR1, then returns for good
 *                  and phase_two() spins: a frame that is really gone. It
 *                  prints "phase knob=N" (a global) on SIGUSR2.
 *
 * outer and mixed print "MODE progress N" now and then, and "MODE done" then exit 0
 * when the budget reaches 0 (which takes days without a poke).
 */
#pragma GCC optimize("O2")
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile unsigned long sink;
/* A global for the Locals tab's poke and undo (phase mode). */
volatile int knob = 7;
static volatile sig_atomic_t moved, dump;

static void on_usr1(int sig)
{
	(void)sig;
	moved = 1;
}

static void on_usr2(int sig)
{
	(void)sig;
	dump = 1;
}

/* A leaf using caller-saved registers only: the caller's stay live in theirs. */
__attribute__((noipa)) static unsigned long helper(unsigned long x)
{
	unsigned long i;

	for (i = 0; i < 300; i++)
		__asm__ volatile("");
	return x ^ i;
}

__attribute__((noipa)) static void progress(const char *mode, long budget)
{
	printf("%s progress %ld\n", mode, budget);
	fflush(stdout);
}

__attribute__((noipa)) static unsigned long crunch(long budget)
{
	unsigned long total = 0;

	/*
	 * The empty asm after the call makes budget live in its register
	 * across the call, and the only copy: a poke of it is what the loop
	 * tests (poke 0: it ends after this turn).
	 */
	while (budget > 0) {
		total += helper(total);
		__asm__ volatile("" : "+r"(budget));
		budget--;
		if ((budget & 0x3fffff) == 0)
			progress("outer", budget);
	}
	return total;
}

/* Half its time in its own loop (frame 0), half in helper (frame 1). */
__attribute__((noipa)) static unsigned long crunch_mixed(long budget)
{
	unsigned long total = 0;

	while (budget > 0) {
		for (unsigned i = 0; i < 300; i++)
			__asm__ volatile("");
		total += helper(total);
		__asm__ volatile("" : "+r"(budget));
		budget--;
		if ((budget & 0x3fffff) == 0)
			progress("mixed", budget);
	}
	return total;
}

__attribute__((noipa)) static unsigned long countdown(long budget)
{
	unsigned long turns = 0;

	while (budget > 0) {
		turns++;
		budget--;
		__asm__ volatile("" : "+r"(budget));
	}
	return turns;
}

/* Until SIGUSR1: then this frame returns for good. */
__attribute__((noipa)) static long phase_one(long budget)
{
	while (!moved && budget > 0) {
		budget--;
		__asm__ volatile("" : "+r"(budget));
	}
	return budget;
}

/* Prints knob on SIGUSR2. */
__attribute__((noipa)) static long phase_two(long budget)
{
	while (budget > 0) {
		if (dump) {
			dump = 0;
			printf("phase knob=%d\n", knob);
			fflush(stdout);
		}
		budget--;
		__asm__ volatile("" : "+r"(budget));
	}
	return budget;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "outer";
	long budget = 1L << 50;
	unsigned long r;

	printf("loc_reg %s ready pid %d\n", mode, (int)getpid());
	fflush(stdout);
	signal(SIGUSR1, on_usr1);
	signal(SIGUSR2, on_usr2);
	if (strcmp(mode, "reg0") == 0) {
		r = countdown(budget);
	} else if (strcmp(mode, "phase") == 0) {
		r = (unsigned long)phase_one(budget);
		printf("phase two\n");
		fflush(stdout);
		r += (unsigned long)phase_two(budget);
	} else if (strcmp(mode, "mixed") == 0) {
		r = crunch_mixed(budget);
	} else {
		r = crunch(budget);
	}
	sink = r;
	printf("%s done\n", mode);
	return 0;
}
