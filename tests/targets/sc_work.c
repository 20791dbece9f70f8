/*
 * sc_work: a target that makes an exact, known number of syscalls, some of
 * them failing, from a thread it creates only when told to (so that the
 * thread is born after whytop attached), and checks every result itself.
 *
 *   sc_work DIR [INT80]
 *     mkdir DIR/ready; wait for DIR/go; a new thread makes
 *       1000 getppid, 300 close(-1) (EBADF), 250 getcwd,
 *       125 chdir("/nonexistent...") (ENOENT), and INT80 i386 getpid via int $0x80;
 *     mkdir DIR/worked; wait for DIR/finish; do it all once more in the main
 *     thread, checking results; print "sc_work: ok" (exit 0) or what was wrong.
 *   sc_work --int80-probe: exit 0 if int $0x80 works in a 64-bit process here.
 *   sc_work --idle-thread: a second thread and the main one just sleep.
 *
 * Each SIGUSR1 it receives is acknowledged with mkdir DIR/sigN (N = 1, 2,
 * ...), from the main thread's wait loop, and counted in the last line.
 *
 * Markers are directories (mkdir, no fd), and the main thread only polls
 * with access() and nanosleep(), so none of the counted calls is made by
 * anything but the work itself.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N_GETPPID 1000
#define N_CLOSE 300
#define N_GETCWD 250
#define N_CHDIR 125

static const char *dir;
static int n_int80;
static int bad;
static pid_t parent, self;
static char cwd[4096];
static volatile sig_atomic_t sigs;
static int sigs_marked;

static void on_usr1(int sig)
{
	(void)sig;
	sigs++;
}

static long int80_getpid(void)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

static void check(int ok, const char *what)
{
	if (!ok && !bad++)
		fprintf(stderr, "sc_work: BAD %s\n", what);
}

static void *work(void *arg)
{
	char buf[4096];
	for (int i = 0; i < N_GETPPID; i++)
		check(syscall(SYS_getppid) == parent, "getppid result");
	for (int i = 0; i < N_CLOSE; i++)
		check(syscall(SYS_close, -1) == -1 && errno == EBADF, "close(-1) result");
	for (int i = 0; i < N_GETCWD; i++)
		check(syscall(SYS_getcwd, buf, sizeof(buf)) > 0 && strcmp(buf, cwd) == 0,
		      "getcwd result");
	for (int i = 0; i < N_CHDIR; i++)
		check(syscall(SYS_chdir, "/nonexistent-sc_work") == -1 && errno == ENOENT,
		      "chdir result");
	for (int i = 0; i < n_int80; i++)
		check(int80_getpid() == self, "int 0x80 getpid result");
	return arg;
}

static void *idle(void *arg)
{
	for (;;)
		pause();
	return arg;
}

static void mark(const char *name)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if (mkdir(p, 0700) < 0)
		exit(2);
}

static void await(const char *name)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	while (access(p, F_OK) < 0) {
		struct timespec ts = {0, 10000000};
		nanosleep(&ts, NULL);
		while (sigs_marked < sigs) {
			char m[32];
			snprintf(m, sizeof(m), "sig%d", ++sigs_marked);
			mark(m);
		}
	}
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--int80-probe") == 0) {
		pid_t c = fork();
		if (c == 0)
			_exit(int80_getpid() == getpid() ? 0 : 1);
		int st;
		waitpid(c, &st, 0);
		return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
	}
	if (argc > 1 && strcmp(argv[1], "--idle-thread") == 0) {
		pthread_t t;
		if (pthread_create(&t, NULL, idle, NULL) != 0)
			return 2;
		idle(NULL);
	}
	if (argc < 2)
		return 2;
	dir = argv[1];
	n_int80 = argc > 2 ? atoi(argv[2]) : 0;
	parent = getppid();
	self = getpid();
	signal(SIGUSR1, on_usr1);
	if (!getcwd(cwd, sizeof(cwd)))
		return 2;

	mark("ready");
	await("go");
	pthread_t t;
	if (pthread_create(&t, NULL, work, NULL) != 0)
		return 2;
	pthread_join(t, NULL);
	mark("worked");
	await("finish");
	/* After whytop let go: everything must still behave. */
	work(NULL);
	if (bad) {
		printf("sc_work: %d bad results\n", bad);
		return 1;
	}
	printf("sc_work: ok, %d signals\n", (int)sigs);
	return 0;
}
