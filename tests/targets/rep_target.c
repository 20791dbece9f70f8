/*
 * rep_target: what 'whytop report' is tested on. It opens FILE and keeps
 * it open; a second thread loops in call_loop() making getppid
 * calls (a thousand, then a 1 ms sleep, so it does not take a CPU) with a
 * local tag = 777; the main thread waits in main_wait() in pause(2) with a
 * local marker = 4242. Both make their calls with the syscall instruction
 * in their own function, so each thread's innermost frame is ours (not
 * libc's, which may have debug info too). NAME, if given, becomes the
 * process's comm (for hostile names).
 * Usage: rep_target FILE [NAME]
 */
#pragma GCC optimize("O0")
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* A macro, not a function: the syscall instruction is in the caller's frame. */
#define RAW_SYSCALL2(nr, a, b)                                                                     \
	({                                                                                         \
		long ret_;                                                                         \
		__asm__ volatile("syscall"                                                         \
				 : "=a"(ret_)                                                      \
				 : "a"((long)(nr)), "D"((long)(a)), "S"((long)(b))                 \
				 : "rcx", "r11", "memory");                                        \
		ret_;                                                                              \
	})

static void *call_loop(void *arg)
{
	int tag = 777;
	long calls = 0;
	struct timespec ms = {0, 1000 * 1000};
	(void)arg;
	for (;;) {
		for (int i = 0; i < 1000 && tag == 777; i++)
			calls += RAW_SYSCALL2(SYS_getppid, 0, 0) > 0; /* REPORT_CALL_LINE */
		RAW_SYSCALL2(SYS_nanosleep, &ms, 0);		      /* REPORT_SLEEP_LINE */
	}
	return NULL;
}

static void main_wait(void)
{
	int marker = 4242;
	while (marker == 4242)
		RAW_SYSCALL2(SYS_pause, 0, 0); /* REPORT_MAIN_LINE */
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: rep_target FILE [NAME]\n");
		return 2;
	}
	if (open(argv[1], O_RDONLY) < 0) {
		perror(argv[1]);
		return 1;
	}
	if (argc == 3)
		prctl(PR_SET_NAME, argv[2]);
	pthread_t t;
	if (pthread_create(&t, NULL, call_loop, NULL)) {
		fprintf(stderr, "rep_target: cannot start a thread\n");
		return 1;
	}
	printf("rep_target: pid %d ready\n", (int)getpid());
	fflush(stdout);
	main_wait();
	return 0;
}
