/*
 * kern_fusefs: a tiny FUSE filesystem whose reads of one file never answer
 * until told to, so that a reader sits inside the kernel waiting on a
 * filesystem the way a process does on a hung network filesystem.
 *
 * Usage: kern_fusefs MOUNTPOINT READYFILE
 *   /hang   4096 bytes; read(2) waits until the next SIGUSR1 (then answers) or exit
 *   /slowstat*, /dir/slowstat*  looking one up (stat, open) waits the same way
 *   /mapped    like /hang, through the page cache: a page fault on an mmap of it waits
 *   /ok     answers at once
 * READYFILE is created once the filesystem is mounted. SIGUSR1 answers
 * every waiting read; SIGTERM/SIGINT/SIGHUP answer them and unmount (as root), so the
 * filesystem never stays hung after a test. If this process is killed,
 * the kernel aborts the connection and waiting readers get ENOTCONN.
 */
#define FUSE_USE_VERSION 31
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t answered = PTHREAD_COND_INITIALIZER;
static unsigned long generation; /* bumped by SIGUSR1: answers the reads waiting then */
static int exiting;
static struct fuse *fs;
static const char *mountpoint;
static volatile int detached; /* the signal thread unmounted it already */
static const char content[] = "whytop kern_fusefs: this read was answered\n";

/* Wait until the next SIGUSR1 (or exit): the request stays unanswered meanwhile. */
static void wait_for_answer(void)
{
	pthread_mutex_lock(&lock);
	unsigned long gen = generation;
	while (gen == generation && !exiting)
		pthread_cond_wait(&answered, &lock);
	pthread_mutex_unlock(&lock);
}

static int fs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	/* /slowstat, /dir/slowstat2, ... */
	bool slow = strncmp(path, "/slowstat", 9) == 0 || strncmp(path, "/dir/slowstat", 13) == 0;
	if (slow)
		wait_for_answer();
	memset(st, 0, sizeof(*st));
	if (strcmp(path, "/") == 0 || strcmp(path, "/dir") == 0) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
	} else if (strcmp(path, "/hang") == 0 || strcmp(path, "/ok") == 0 ||
		   slow || strcmp(path, "/mapped") == 0) {
		st->st_mode = S_IFREG | 0444;
		st->st_nlink = 1;
		st->st_size = 4096;
	} else {
		return -ENOENT;
	}
	return 0;
}

static int fs_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
		      struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	if (strcmp(path, "/") != 0)
		return -ENOENT;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	fill(buf, "hang", NULL, 0, 0);
	fill(buf, "ok", NULL, 0, 0);
	fill(buf, "mapped", NULL, 0, 0);
	fill(buf, "dir", NULL, 0, 0);
	return 0;
}

static int fs_open(const char *path, struct fuse_file_info *fi)
{
	if (strcmp(path, "/hang") != 0 && strcmp(path, "/ok") != 0 && strcmp(path, "/mapped") != 0)
		return -ENOENT;
	/*
	 * Bypass the page cache: the reader's own read(2) waits for our answer.
	 * /mapped keeps it, so that mmap works and a page fault waits for us.
	 */
	fi->direct_io = strcmp(path, "/mapped") != 0;
	return 0;
}

static int fs_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	if (strcmp(path, "/hang") == 0 || strcmp(path, "/mapped") == 0)
		wait_for_answer();
	if (off >= (off_t)sizeof(content) - 1)
		return 0;
	size_t n = sizeof(content) - 1 - (size_t)off;
	if (n > size)
		n = size;
	memcpy(buf, content + off, n);
	return (int)n;
}

static void release_reads(int for_good)
{
	pthread_mutex_lock(&lock);
	generation++;
	if (for_good)
		exiting = 1;
	pthread_cond_broadcast(&answered);
	pthread_mutex_unlock(&lock);
}

/* Signals are taken by this thread only, so no FUSE worker is interrupted. */
static void *signal_thread(void *arg)
{
	sigset_t *set = arg;
	for (;;) {
		int sig;
		if (sigwait(set, &sig) != 0)
			continue;
		release_reads(sig != SIGUSR1);
		if (sig != SIGUSR1) {
			fuse_exit(fs);
			/*
			 * Detach the mount: once its last user is gone the kernel ends
			 * the connection and the workers' reads of /dev/fuse return, so
			 * fuse_loop_mt returns and main unmounts and frees everything
			 * (on its own thread: libfuse's unmount is not thread-safe).
			 */
			detached = 1; /* before: the loop may end inside umount2 */
			if (umount2(mountpoint, MNT_DETACH) != 0)
				detached = 0;
			return NULL;
		}
	}
}

/*
 * A lookup waiting for us holds its directory (fuse_lock_inode), and every
 * other lookup in that directory queues behind it. Names the tests look up
 * once stay valid for an hour, so later opens need no lookup, and /dir
 * gives a second directory to wait in independently.
 */
static void *fs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	if (conn->capable & FUSE_CAP_PARALLEL_DIROPS)
		conn->want |= FUSE_CAP_PARALLEL_DIROPS;
	cfg->entry_timeout = 3600;
	cfg->attr_timeout = 3600;
	return NULL;
}

static const struct fuse_operations ops = {
	.init = fs_init,
	.getattr = fs_getattr,
	.readdir = fs_readdir,
	.open = fs_open,
	.read = fs_read,
};

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: kern_fusefs MOUNTPOINT READYFILE\n");
		return 2;
	}
	static sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	char *fargv[] = { argv[0], "-o", "fsname=whytopfuse,subtype=whytop", NULL };
	struct fuse_args args = FUSE_ARGS_INIT(3, fargv);
	fs = fuse_new(&args, &ops, sizeof(ops), NULL);
	fuse_opt_free_args(&args);
	if (!fs)
		return 1;
	mountpoint = argv[1];
	if (fuse_mount(fs, argv[1]) != 0) {
		fuse_destroy(fs);
		return 1;
	}
	pthread_t th;
	pthread_create(&th, NULL, signal_thread, &set);
	int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	int rc = fuse_loop_mt(fs, 0);
	release_reads(1);
	if (detached) {
		/* Already unmounted: libfuse would complain that it cannot unmount. */
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (null >= 0)
			dup2(null, STDERR_FILENO);
	}
	fuse_unmount(fs); /* also frees what fuse_mount kept */
	/* The signal thread may still sit in sigwait (the loop ended otherwise). */
	pthread_cancel(th);
	pthread_join(th, NULL);
	fuse_destroy(fs);
	return rc < 0 ? 1 : 0;
}
