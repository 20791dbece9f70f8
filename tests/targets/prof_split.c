/*
 * prof_split: a CPU split 2:1 between two functions by instruction count.
 * Each round calls prof_work_a for 2*K turns and prof_work_b for K turns
 * of the same loop body, so prof_work_a takes two thirds of the work
 * whatever the load (a profile's self shares should say 2:1). Built at
 * -O2 -fomit-frame-pointer (prof_split) and at -O0 (prof_split_O0).
 *
 * prof_split [SECONDS [threads]]: prints "ready PID" and runs SECONDS
 * (default 600), then prints "rounds N cpu S" (S: its CPU seconds) and exits. With "threads", a
 * second thread ("other") spins in prof_work_c and "ready" also says its
 * tid: "ready PID other TID". With "late", that thread is started only
 * on SIGUSR1 (a thread born while a profile runs), which prints "other TID".
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PROF_K 200000

#include "prof_body.h"

__attribute__((noinline)) unsigned long prof_work_a(unsigned long x, long n)
{
	for (long i = 0; i < n; i++) /* PROF_A_BEGIN */
		PROF_BODY(x);
	return x; /* PROF_A_END */
}

__attribute__((noinline)) unsigned long prof_work_b(unsigned long x, long n)
{
	for (long i = 0; i < n; i++) /* PROF_B_BEGIN */
		PROF_BODY(x);
	return x; /* PROF_B_END */
}

__attribute__((noinline)) unsigned long prof_work_c(unsigned long x, long n)
{
	for (long i = 0; i < n; i++)
		PROF_BODY(x);
	return x;
}

static volatile unsigned long prof_sink;
static volatile pid_t prof_other_tid;
static volatile sig_atomic_t prof_late;

static void *prof_other(void *arg)
{
	(void)arg;
	unsigned long x = 7;
	prof_other_tid = (pid_t)syscall(SYS_gettid);
	for (;;)
		x = prof_work_c(x, PROF_K);
	prof_sink = x;
	return NULL;
}

static double prof_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void prof_on_usr1(int sig)
{
	(void)sig;
	prof_late = 1;
}

static void prof_start_other(void)
{
	pthread_t t;
	pthread_create(&t, NULL, prof_other, NULL);
	pthread_setname_np(t, "other");
	while (!prof_other_tid)
		usleep(1000);
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 600;
	if (argc > 2 && !strcmp(argv[2], "threads")) {
		prof_start_other();
		printf("ready %d other %d\n", (int)getpid(), (int)prof_other_tid);
	} else if (argc > 2 && !strcmp(argv[2], "late")) {
		signal(SIGUSR1, prof_on_usr1);
		printf("ready %d\n", (int)getpid());
	} else {
		printf("ready %d\n", (int)getpid());
	}
	fflush(stdout);
	double end = prof_now() + secs;
	unsigned long x = 88172645463325252ul, rounds = 0;
	do {
		x = prof_work_a(x, 2 * PROF_K);
		x = prof_work_b(x, PROF_K);
		rounds++;
		if (prof_late == 1) {
			prof_late = 2;
			prof_start_other();
			printf("other %d\n", (int)prof_other_tid);
			fflush(stdout);
		}
	} while (prof_now() < end);
	prof_sink = x;
	struct timespec cpu;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	printf("rounds %lu cpu %.3f\n", rounds, (double)cpu.tv_sec + cpu.tv_nsec / 1e9);
	fflush(stdout);
	return 0;
}
