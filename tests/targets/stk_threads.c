/*
 * stk_threads: main plus 8 threads, each waiting or working in its own
 * function, so a walk has nine distinct stacks to find:
 *   stk-clock  spins on clock_gettime (the vDSO) and measures the longest
 *              gap between two readings: the pause a tracer causes;
 *   stk-sleep  nanosleep;  stk-cond  pthread_cond_wait;  stk-pipe  read;
 *   stk-poll   poll with a timeout;  stk-mutex  a locked mutex;
 *   stk-deep   a recursion of 20 frames, then nanosleep;
 *   stk-sigwait sigwaitinfo on a signal nobody sends.
 * Main prints "beat N gap_us G clock C sleep S poll P" every 100 ms: G is
 * the longest gap stk-clock saw in that interval; the counters show the
 * threads make progress. Any signal is reported as "signal N", and an
 * EINTR that a hold must never cause as "STRAY ...".
 */
/* Lines and frames are asserted exactly: keep -O0 whatever CFLAGS say. */
#pragma GCC optimize("O0")
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static atomic_ulong stk_gap_ns, stk_clock_n, stk_sleep_n, stk_poll_n;
static volatile sig_atomic_t stk_last_signal;
static int stk_pipe[2];
static pthread_mutex_t stk_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t stk_cond_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t stk_cond = PTHREAD_COND_INITIALIZER;

static void stk_on_signal(int sig)
{
	stk_last_signal = sig;
}

static unsigned long stk_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts); /* STK_CLOCK_LINE */
	return (unsigned long)ts.tv_sec * 1000000000ul + (unsigned long)ts.tv_nsec;
}

__attribute__((noinline)) static void stk_t_clock_loop(void)
{
	unsigned long last = stk_now_ns();
	for (;;) {
		unsigned long now = stk_now_ns(); /* STK_CLOCK_CALL_LINE */
		unsigned long gap = now - last;
		if (gap > atomic_load(&stk_gap_ns))
			atomic_store(&stk_gap_ns, gap);
		last = now;
		atomic_fetch_add(&stk_clock_n, 1);
	}
}

static void *stk_t_clock(void *arg)
{
	stk_t_clock_loop();
	return NULL;
}

static void *stk_t_sleep(void *arg)
{
	for (;;) {
		struct timespec ts = { 0, 10000000 };
		if (nanosleep(&ts, NULL) < 0) /* STK_SLEEP_LINE */
			printf("STRAY nanosleep %s\n", strerror(errno));
		atomic_fetch_add(&stk_sleep_n, 1);
	}
	return NULL;
}

static void *stk_t_cond(void *arg)
{
	pthread_mutex_lock(&stk_cond_mutex);
	for (;;)
		pthread_cond_wait(&stk_cond, &stk_cond_mutex); /* STK_COND_LINE */
	return NULL;
}

static void *stk_t_pipe(void *arg)
{
	char c;
	for (;;) {
		ssize_t n = read(stk_pipe[0], &c, 1); /* STK_PIPE_LINE */
		if (n < 0)
			printf("STRAY read %s\n", strerror(errno));
	}
	return NULL;
}

static void *stk_t_poll(void *arg)
{
	for (;;) {
		struct pollfd p = { .fd = stk_pipe[0], .events = POLLIN };
		if (poll(&p, 1, 20) < 0) /* STK_POLL_LINE */
			printf("STRAY poll %s\n", strerror(errno));
		atomic_fetch_add(&stk_poll_n, 1);
	}
	return NULL;
}

static void *stk_t_mutex(void *arg)
{
	pthread_mutex_lock(&stk_mutex); /* STK_MUTEX_LINE */
	return NULL;
}

__attribute__((noinline)) static int stk_t_deep_rec(int n)
{
	if (n == 0) {
		for (;;) {
			struct timespec ts = { 1, 0 };
			nanosleep(&ts, NULL); /* STK_DEEP_LINE */
		}
	}
	return stk_t_deep_rec(n - 1) + 1; /* STK_DEEP_REC_LINE */
}

static void *stk_t_deep(void *arg)
{
	stk_t_deep_rec(20);
	return NULL;
}

static void *stk_t_sigwait(void *arg)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 3);
	for (;;)
		sigwaitinfo(&set, NULL); /* STK_SIGWAIT_LINE */
	return NULL;
}

int main(void)
{
	static const struct {
		const char *name;
		void *(*fn)(void *);
	} threads[] = {
		{ "stk-clock", stk_t_clock }, { "stk-sleep", stk_t_sleep },
		{ "stk-cond", stk_t_cond },   { "stk-pipe", stk_t_pipe },
		{ "stk-poll", stk_t_poll },   { "stk-mutex", stk_t_mutex },
		{ "stk-deep", stk_t_deep },   { "stk-sigwait", stk_t_sigwait },
	};
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = stk_on_signal;
	sa.sa_flags = SA_RESTART;
	for (int s = 1; s < 32; s++)
		if (s != SIGKILL && s != SIGSTOP && s != SIGCONT && s != SIGCHLD &&
		    s != SIGTSTP && s != SIGTTIN && s != SIGTTOU && s != SIGWINCH)
			sigaction(s, &sa, NULL);
	/* Only stk-sigwait waits for this one. */
	sigset_t rt;
	sigemptyset(&rt);
	sigaddset(&rt, SIGRTMIN + 3);
	pthread_sigmask(SIG_BLOCK, &rt, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pipe(stk_pipe) < 0)
		return 1;
	pthread_mutex_lock(&stk_mutex);
	for (size_t i = 0; i < sizeof(threads) / sizeof(threads[0]); i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, threads[i].fn, NULL) != 0)
			return 1;
		pthread_setname_np(t, threads[i].name);
	}
	printf("ready %d\n", (int)getpid());
	for (unsigned long beat = 1;; beat++) {
		struct timespec ts = { 0, 100000000 };
		if (nanosleep(&ts, NULL) < 0 && !stk_last_signal) /* STK_MAIN_LINE */
			printf("STRAY main nanosleep %s\n", strerror(errno));
		if (stk_last_signal) {
			printf("signal %d\n", (int)stk_last_signal);
			stk_last_signal = 0;
		}
		printf("beat %lu gap_us %lu clock %lu sleep %lu poll %lu\n", beat,
		       atomic_exchange(&stk_gap_ns, 0) / 1000, atomic_load(&stk_clock_n),
		       atomic_load(&stk_sleep_n), atomic_load(&stk_poll_n));
	}
}
