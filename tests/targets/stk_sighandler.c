/*
 * stk_sighandler: main spins in stk_sig_busy; on SIGUSR1 its handler
 * stk_sig_handler sleeps forever (printing "beat N"), so a walk finds the
 * handler, the signal frame, and below it the code it interrupted.
 */
#pragma GCC optimize("O0")
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long stk_count;

static void stk_sig_handler(int sig)
{
	char buf[32];
	for (unsigned long beat = 1;; beat++) {
		struct timespec ts = { 0, 100000000 };
		nanosleep(&ts, NULL); /* STK_HANDLER_LINE */
		int n = snprintf(buf, sizeof(buf), "beat %lu\n", beat);
		if (write(1, buf, (size_t)n) < 0)
			return;
	}
}

__attribute__((noinline)) static void stk_sig_busy(void)
{
	for (;;) stk_count++; /* STK_BUSY_LINE */
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = stk_sig_handler;
	sigaction(SIGUSR1, &sa, NULL);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	stk_sig_busy(); /* STK_CALL_LINE */
	return 0;
}
