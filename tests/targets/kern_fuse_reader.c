/*
 * kern_fuse_reader: open a file and read it, for a test to watch where the
 * read waits. With --interrupt-after MS, a helper thread sends the reading
 * thread a caught SIGUSR1 after MS milliseconds: FUSE then gives up the
 * interruptible wait (S) for a killable one (D), as a task stuck on a hung
 * network filesystem shows in a hung-task report.
 * With --stat, stat(2) the file instead (the wait is then on a path).
 * With --mmap FILE STATPATH, a second thread stats STATPATH while the main
 * thread touches an mmap of FILE: one thread waits in a page fault (not in
 * a system call, holding its memory map's lock), the other in a syscall
 * whose path argument whytop must then not read.
 * Prints "read N" (or "stat 0") and exits 0 once answered.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static pthread_t reader;
static long interrupt_ms = -1;

static void *stat_thread(void *arg)
{
	struct stat st;
	stat(arg, &st);
	return NULL;
}

static int mmap_mode(const char *file, const char *statpath)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(file);
		return 1;
	}
	volatile const char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	/* Opened first: the stat's lookup would hold the directory against our open. */
	pthread_t th;
	pthread_create(&th, NULL, stat_thread, (void *)statpath);
	struct timespec ts = { 0, 100000000L };
	nanosleep(&ts, NULL);
	char c = p[0]; /* the fault waits for the filesystem */
	pthread_join(th, NULL);
	printf("mapped %d\n", c);
	return 0;
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void *interrupter(void *arg)
{
	(void)arg;
	struct timespec ts = { interrupt_ms / 1000, (interrupt_ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
	pthread_kill(reader, SIGUSR1);
	return NULL;
}

int main(int argc, char **argv)
{
	int do_stat = 0;
	if (argc == 4 && strcmp(argv[1], "--mmap") == 0)
		return mmap_mode(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "--stat") == 0) {
		do_stat = 1;
		argv++;
		argc--;
	}
	if (argc == 4 && strcmp(argv[1], "--interrupt-after") == 0) {
		interrupt_ms = atol(argv[2]);
		argv += 2;
		argc -= 2;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: kern_fuse_reader [--stat | --interrupt-after MS] FILE\n");
		return 2;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1; /* caught, no SA_RESTART: the kernel sees a real signal */
	sigaction(SIGUSR1, &sa, NULL);
	reader = pthread_self();
	if (do_stat) {
		struct stat st;
		int rc = stat(argv[1], &st);
		printf("stat %d\n", rc);
		return rc < 0 ? 1 : 0;
	}
	int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	if (interrupt_ms >= 0) {
		pthread_t th;
		pthread_create(&th, NULL, interrupter, NULL);
	}
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));
	printf("read %zd\n", n);
	return n < 0 ? 1 : 0;
}
