/*
 * sc_fork: a process that forks a child only when told to (so that the
 * child is born after whytop attached), for whytop syscalls -f.
 *
 *   sc_fork DIR [fork|vfork|hold]
 *     mkdir DIR/ready; wait for DIR/go; fork (or vfork) a child that makes
 *     777 getppid and 33 chdir("/nonexistent...") (ENOENT), checking each
 *     result, and _exits 0 (1 if a result was wrong) -- with hold, after
 *     mkdir DIR/childworked and waiting for DIR/release; the parent makes none
 *     of those calls itself; reap the child; mkdir DIR/worked; wait for
 *     DIR/finish; print "sc_fork: ok" (exit 0) or what was wrong.
 *   sc_fork DIR orphan
 *     the same, but the parent ends at once (mkdir DIR/worked, "sc_fork:
 *     ok", exit 0) and the child outlives it: it waits for DIR/release
 *     (60 s at most), then works (its parent is no longer us), mkdir
 *     DIR/childworked and _exits 0.
 *
 * Markers are directories and the parent only polls with access() and
 * nanosleep(), so every getppid and chdir counted is the child's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N_GETPPID 777
#define N_CHDIR 33

static const char *dir;

static void mark(const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (mkdir(path, 0700) < 0 && errno != EEXIST) {
		printf("sc_fork: mkdir %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

/* Wait for DIR/name (at most about limit_s seconds if limit_s > 0); 0 if it came. */
static int wait_for_at_most(const char *name, int limit_s)
{
	char path[4096];
	struct timespec ts = {0, 10000000};
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	for (long n = 0; access(path, F_OK) < 0; n++) {
		if (limit_s > 0 && n >= limit_s * 100L)
			return -1;
		nanosleep(&ts, NULL);
	}
	return 0;
}

static void wait_for(const char *name)
{
	wait_for_at_most(name, 0);
}

/* The child's work: raw syscalls, no libc caching, results checked. */
static int work(pid_t parent)
{
	int bad = 0;
	for (int i = 0; i < N_GETPPID; i++)
		bad |= parent ? syscall(SYS_getppid) != parent : syscall(SYS_getppid) <= 0;
	for (int i = 0; i < N_CHDIR; i++)
		bad |= syscall(SYS_chdir, "/nonexistent/sc_fork") != -1 || errno != ENOENT;
	return bad;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: sc_fork DIR [vfork]\n");
		return 2;
	}
	dir = argv[1];
	int use_vfork = argc > 2 && strcmp(argv[2], "vfork") == 0;
	int hold = argc > 2 && strcmp(argv[2], "hold") == 0;
	int orphan = argc > 2 && strcmp(argv[2], "orphan") == 0;
	pid_t self = getpid();
	mark("ready");
	wait_for("go");
	pid_t child = use_vfork ? vfork() : fork();
	if (child == 0 && orphan) {
		if (wait_for_at_most("release", 60) < 0)
			_exit(3);
		int bad = work(0);
		mark("childworked");
		_exit(bad);
	}
	if (child == 0) {
		int bad = work(self);
		if (hold) {
			mark("childworked");
			wait_for("release");
		}
		_exit(bad);
	}
	if (child < 0) {
		printf("sc_fork: fork: %s\n", strerror(errno));
		return 1;
	}
	if (orphan && child > 0) {
		mark("worked");
		printf("sc_fork: ok\n");
		return 0;
	}
	int st;
	while (waitpid(child, &st, 0) < 0)
		if (errno != EINTR) {
			printf("sc_fork: waitpid: %s\n", strerror(errno));
			return 1;
		}
	mark("worked");
	wait_for("finish");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		printf("sc_fork: the child ended with status %#x\n", st);
		return 1;
	}
	printf("sc_fork: ok\n");
	return 0;
}
