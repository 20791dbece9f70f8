/*
 * stk_loop: a single-threaded program that spins in stk_loop_spin, called
 * from stk_loop_outer, and prints "beat N" about every 100 ms so a test can
 * see that it keeps running. Every signal it gets is reported as
 * "signal N", so a test can tell a delivered signal from a lost or stray one.
 */
/* Lines and frames are asserted exactly: keep -O0 whatever CFLAGS say. */
#pragma GCC optimize("O0")
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stk_last_signal;
static volatile unsigned long stk_count;

static void stk_on_signal(int sig)
{
	stk_last_signal = sig;
}

static unsigned long stk_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long)ts.tv_sec * 1000 + (unsigned long)ts.tv_nsec / 1000000;
}

static void stk_loop_beat(unsigned long *beat)
{
	if (stk_last_signal) {
		printf("signal %d\n", (int)stk_last_signal);
		stk_last_signal = 0;
	}
	printf("beat %lu\n", ++*beat);
	fflush(stdout);
}

__attribute__((noinline)) static void stk_loop_spin(void)
{
	unsigned long beat = 0, next = stk_ms() + 100;
	/* One line, so that wherever the walk catches it the line is the same. */
	// clang-format off
	for (;;) { stk_count++; if ((stk_count & 0xfff) == 0 && stk_ms() >= next) { stk_loop_beat(&beat); next += 100; } } /* STK_SPIN_LINE */
	// clang-format on
}

__attribute__((noinline)) void stk_loop_outer(void)
{
	stk_loop_spin(); /* STK_OUTER_LINE */
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = stk_on_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ready %d\n", (int)getpid());
	stk_loop_outer(); /* STK_MAIN_LINE */
	return 0;
}
