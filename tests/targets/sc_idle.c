/*
 * sc_idle N: N threads sleeping in pause() and N in a one-hour nanosleep
 * (which the kernel restarts as restart_syscall when interrupted), and the
 * main thread in pause(). They make no system call until killed, so a
 * counter attached to them must count none: attaching interrupts each
 * sleep, and the kernel restarts it, which is not a new call.
 * Prints "ready" once every thread was started; a test then waits until
 * each one sits in its call (/proc/PID/task/TID/syscall).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void *sc_idle_pause(void *arg)
{
	for (;;)
		pause();
	return arg;
}

static void *sc_idle_sleep(void *arg)
{
	for (;;) {
		struct timespec ts = {3600, 0};
		nanosleep(&ts, NULL);
	}
	return arg;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 4;
	setvbuf(stdout, NULL, _IOLBF, 0);
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 * 1024);
	for (int i = 0; i < n; i++) {
		pthread_t t;
		if (pthread_create(&t, &a, sc_idle_pause, NULL) != 0 ||
		    pthread_create(&t, &a, sc_idle_sleep, NULL) != 0) {
			perror("pthread_create");
			return 1;
		}
	}
	printf("ready\n");
	for (;;)
		pause();
}
