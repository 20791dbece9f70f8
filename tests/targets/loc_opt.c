/*
 * loc_opt: variables of optimized (-O2) code, for whytop locals and poke.
 *
 *   loc_opt reg0   spin() keeps `run` in a register (frame 0) and re-tests it
 *                  every turn; poke run=0 through the register set ends it.
 *   loc_opt outer  outer() keeps `keep` in a callee-saved register across
 *                  calls to inner(), which saves that register on its stack;
 *                  poke --function outer keep=0 writes the save slot.
 *   loc_opt noloc  a flag nothing writes: the compiler keeps no location for
 *                  it, and whytop must say there is nothing to poke.
 *   loc_opt live   outer_live() keeps `keep` in a callee-saved register across
 *                  calls to spin_leaf(), which never saves it: in the outer
 *                  frame it is still in the live register, written through
 *                  the register set of the thread.
 *   loc_opt pieces a struct split into registers (DW_OP_piece): shown, never
 *                  written.
 *   loc_opt inline inl_spin() is inlined into with_inline(): frame 0 is the
 *                  inline frame, with its own parameter `limit_inl` in a
 *                  register; poke --function inl_spin limit_inl=0 ends it.
 *
 * Each mode prints "MODE done VALUE" and exits 0 when its loop ends.
 */
#pragma GCC optimize("O2")
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile unsigned long sink;

__attribute__((noipa)) static unsigned long spin(int run)
{
	unsigned long turns = 0;

	/* The empty asm says `run` may change here: it must live in a register, re-tested. */
	while (run) {
		turns++;
		__asm__ volatile("" : "+r"(run));
	}
	return turns;
}

__attribute__((noipa)) static unsigned long leaf(unsigned long a, unsigned long i)
{
	sink = a + i;
	return (a * 2654435761u) ^ i;
}

/* Keeps a, b, s and i across calls to leaf: it must save callee-saved registers. */
__attribute__((noipa)) static unsigned long inner(unsigned long n)
{
	unsigned long a = n + 1, b = n * 3 + 7, s = 0;

	for (unsigned long i = 0; i < 20000000; i++)
		s += leaf(a, i) ^ b;
	return s;
}

__attribute__((noipa)) static unsigned long outer(long keep)
{
	unsigned long total = 0;

	while (keep) {
		total += inner(total);
		__asm__ volatile("" : "+r"(keep));
	}
	return total;
}

__attribute__((noipa)) static unsigned long noloc(void)
{
	int stop = 0;
	unsigned long turns = 0;

	while (!stop)
		sink = ++turns;
	return turns;
}

struct pair {
	long a, b;
};

/* The compiler keeps p.a and p.b in two registers: p's location is pieces. */
__attribute__((noipa)) static long pieces(long x)
{
	struct pair p = {x, x * 2};
	long s = 0;

	while (p.a) {
		s += p.b;
		__asm__ volatile("" : "+r"(p.a), "+r"(p.b));
	}
	return s;
}

/* Uses no callee-saved register: the caller's live in them untouched. */
__attribute__((noipa)) static unsigned long spin_leaf(unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		__asm__ volatile("");
	return i;
}

__attribute__((noipa)) static unsigned long outer_live(long keep)
{
	unsigned long total = 0;

	while (keep) {
		total += spin_leaf(50000000);
		__asm__ volatile("" : "+r"(keep));
	}
	return total;
}

static inline __attribute__((always_inline)) unsigned long inl_spin(int limit_inl)
{
	unsigned long k = 0;

	while (limit_inl) {
		k++;
		__asm__ volatile("" : "+r"(limit_inl));
	}
	return k;
}

__attribute__((noipa)) static unsigned long with_inline(int arg)
{
	unsigned long r = inl_spin(arg);

	sink = r;
	return r + (unsigned long)arg;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "reg0";
	unsigned long r;

	printf("loc_opt %s ready pid %d\n", mode, (int)getpid());
	fflush(stdout);
	if (strcmp(mode, "outer") == 0)
		r = outer(argc);
	else if (strcmp(mode, "noloc") == 0)
		r = noloc();
	else if (strcmp(mode, "pieces") == 0)
		r = (unsigned long)pieces(argc);
	else if (strcmp(mode, "live") == 0)
		r = outer_live(argc);
	else if (strcmp(mode, "inline") == 0)
		r = with_inline(argc);
	else
		r = spin(argc);
	printf("%s done %lu\n", mode, r);
	return 0;
}
