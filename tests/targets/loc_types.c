/*
 * loc_types: locals of every type class whytop formats, at -O0, and globals
 * of a PIE binary. It prints every value itself ("name=value", in the
 * format whytop uses) at start, on SIGUSR1, and at the end, so tests can
 * compare what whytop reads with what the program holds, and see that
 * pokes took effect. It spins in show_types() until its local `go` is 0.
 * With an argument N it exits by itself (status 3) after N milliseconds,
 * from a timer signal, so that its loop stays in show_types.
 */
#pragma GCC optimize("O0")
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

enum color { RED, GREEN = 5, BLUE };

struct inner {
	short a, b;
};

struct cfg {
	int limit;
	char name[8];
	double ratio;
	struct inner in;
	unsigned flags : 3;
};

union num {
	int i;
	float f;
};

int g_counter = 42;	  /* a global of a PIE binary: DW_OP_addr + load bias */
static long s_total = -7; /* a file static */
const char *g_greeting = "hello, whytop";
/* In a read-only page (.rodata), read through a volatile pointer: a poke must reach it there. */
static const int ro_limit = 5;
/* A const array of an anonymous struct: GCC qualifies array and element both. */
static const struct {
	int id;
	char tag;
} g_table[3] = {{1, 'a'}, {2, 'b'}, {3, 'c'}};

static volatile sig_atomic_t dump_now;

static void on_usr1(int sig)
{
	(void)sig;
	dump_now = 1;
}

static void on_alarm(int sig)
{
	(void)sig;
	_exit(3);
}

static int twice(int x)
{
	return 2 * x;
}

static void show_types(long exit_after_ms)
{
	signed char sc = -100;
	unsigned char uc = 200;
	char ch = 'q';
	short sh = -12345;
	unsigned short us = 54321;
	int i = -123456;
	unsigned int ui = 4000000000u;
	long l = -1234567890123L;
	unsigned long ul = 18000000000000000000ul;
	long long ll = -9000000000000000000LL;
	bool b = true;
	enum color color = GREEN;
	float f = 3.25f;
	double d = -2.5e-3;
	int *ip = &g_counter;
	const char *str = "a string";
	char arr_c[12] = "buffer";
	int arr[5] = {10, 20, 30, 40, 50};
	struct cfg cfg = {7, "cfgname", 0.5, {3, -4}, 5};
	union num num = {.i = 1065353216};
	int (*fn)(int) = twice;
	const char *evil = "\033]0;pwned\007\033[31mred\n"; /* must reach no terminal raw */
	struct cfg *pcfg = malloc(sizeof(*pcfg)); /* a struct on the heap, behind a pointer */
	struct cfg *nocfg = NULL;
	int go = 1;
	int depth = 1; /* hidden by the inner block's own depth while the loop runs */

#define DUMP(tag)                                                                                  \
	do {                                                                                       \
		printf("%s sc=%d\n", tag, sc);                                                     \
		printf("%s uc=%u\n", tag, uc);                                                     \
		printf("%s ch=%d\n", tag, ch);                                                     \
		printf("%s sh=%d\n", tag, sh);                                                     \
		printf("%s us=%u\n", tag, us);                                                     \
		printf("%s i=%d\n", tag, i);                                                       \
		printf("%s ui=%u\n", tag, ui);                                                     \
		printf("%s l=%ld\n", tag, l);                                                      \
		printf("%s ul=%lu\n", tag, ul);                                                    \
		printf("%s ll=%lld\n", tag, ll);                                                   \
		printf("%s b=%s\n", tag, b ? "true" : "false");                                    \
		printf("%s color=%s\n", tag,                                                       \
		       color == RED	? "RED"                                                    \
		       : color == GREEN ? "GREEN"                                                  \
		       : color == BLUE	? "BLUE"                                                   \
					: "?");                                                     \
		printf("%s f=%.9g\n", tag, (double)f);                                             \
		printf("%s d=%.17g\n", tag, d);                                                    \
		printf("%s ip=%p\n", tag, (void *)ip);                                             \
		printf("%s str=%s\n", tag, str);                                                   \
		printf("%s arr_c=%s\n", tag, arr_c);                                               \
		printf("%s arr[3]=%d\n", tag, arr[3]);                                             \
		printf("%s cfg.limit=%d\n", tag, cfg.limit);                                       \
		printf("%s cfg.name=%s\n", tag, cfg.name);                                         \
		printf("%s cfg.ratio=%.17g\n", tag, cfg.ratio);                                    \
		printf("%s cfg.in.b=%d\n", tag, cfg.in.b);                                         \
		printf("%s num.i=%d\n", tag, num.i);                                               \
		printf("%s fn=%p\n", tag, (void *)fn);                                             \
		printf("%s g_counter=%d\n", tag, g_counter);                                       \
		printf("%s s_total=%ld\n", tag, s_total);                                          \
		printf("%s ro_limit=%d\n", tag, *(const volatile int *)&ro_limit);                 \
		printf("%s pcfg->limit=%d\n", tag, pcfg->limit);                                   \
		printf("%s &g_counter=%p\n", tag, (void *)&g_counter);                             \
		printf("%s g_table[1].id=%d\n", tag, g_table[1].id);                               \
		fflush(stdout);                                                                    \
	} while (0)

	*pcfg = cfg;
	pcfg->limit = 11;
	(void)nocfg;
	if (exit_after_ms > 0) {
		struct itimerval it = {{0, 0}, {exit_after_ms / 1000, exit_after_ms % 1000 * 1000}};
		signal(SIGALRM, on_alarm);
		setitimer(ITIMER_REAL, &it, NULL);
	}
	DUMP("start");
	printf("ready pid %d\n", (int)getpid());
	fflush(stdout);
	{
		long depth = 2;

		while (go) {
			if (dump_now) {
				dump_now = 0;
				DUMP("usr1");
				printf("usr1 inner depth=%ld\n", depth);
				fflush(stdout);
			}
		}
	}
	DUMP("end");
	printf("end outer depth=%d\n", depth);
	free(pcfg);
}

int main(int argc, char **argv)
{
	signal(SIGUSR1, on_usr1);
	show_types(argc > 1 ? atol(argv[1]) : 0);
	printf("loc_types: done\n");
	return 0;
}
