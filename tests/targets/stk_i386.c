/*
 * stk_i386: a 32-bit (i386, built with -m32) program for walking compat
 * tasks. The main thread spins in stk32_inner, called from stk32_outer,
 * and prints "beat N" about every 100 ms so a test can see it keeps
 * running; a second thread ("stk32_sleep") sleeps in nanosleep under
 * stk32_sleeper, so its frame 0 is in the i386 vDSO (__kernel_vsyscall).
 */
/* Lines and frames are asserted exactly: keep -O0 whatever CFLAGS say. */
#pragma GCC optimize("O0")
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pthread_setname_np */
#endif
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long stk32_count;

static unsigned long stk32_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long)ts.tv_sec * 1000 + (unsigned long)ts.tv_nsec / 1000000;
}

__attribute__((noinline)) static void stk32_beat(unsigned long *beat)
{
	printf("beat %lu\n", ++*beat);
	fflush(stdout);
}

__attribute__((noinline)) static void stk32_inner(void)
{
	unsigned long beat = 0, next = stk32_ms() + 100;
	/* One line, so that wherever the walk catches it the line is the same. */
	// clang-format off
	for (;;) { stk32_count++; if ((stk32_count & 0xfff) == 0 && stk32_ms() >= next) { stk32_beat(&beat); next += 100; } } /* STK32_INNER_LINE */
	// clang-format on
}

__attribute__((noinline)) void stk32_outer(void)
{
	stk32_inner(); /* STK32_OUTER_LINE */
}

__attribute__((noinline)) static void stk32_sleeper(void)
{
	for (;;) {
		struct timespec ts = {10, 0};
		nanosleep(&ts, NULL); /* STK32_SLEEP_LINE */
	}
}

static void *stk32_thread(void *arg)
{
	pthread_setname_np(pthread_self(), "stk32_sleep");
	stk32_sleeper();
	return arg;
}

int main(void)
{
	pthread_t th;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pthread_create(&th, NULL, stk32_thread, NULL) != 0)
		return 1;
	printf("ready %d\n", (int)getpid());
	stk32_outer(); /* STK32_MAIN_LINE */
	return 0;
}
