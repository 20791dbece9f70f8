/*
 * tr_calls.c: a fixed list of system calls for tests/cli/trace_strace.sh,
 * which runs it under strace and under whytop trace and compares the lines.
 * The list covers the classes of issue 12 (file, desc, memory, network,
 * signal, process, clock); each call goes through syscall(2) so that libc
 * cannot pick another call, and nothing else runs between the markers (an
 * openat of "/tr_calls-begin", which fails, and getcwd) and exit_group:
 * no stdio.
 * Every argument and result is the same from run to run, except pids,
 * addresses and times, which the test normalises. It exits with argv[1]
 * (0 by default), or 3 if its SIGUSR1 handler did not run.
 */
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got;
/* an execve that fails: its argv and envp as strace prints them */
static char *const ex_argv[] = {"tr_calls", "-x", "a\tb", "0123456789abcdefghijklmnopqrstuvwxyz!", "5", "6", "7", "8", "9", NULL};
static char *const ex_envp[] = {"A=1", "B=2", NULL};

static void on_usr1(int sig)
{
	got = sig;
}

int main(int argc, char **argv)
{
	char buf[256];
	int p[2], n = 0;
	struct stat st;
	struct utsname un;
	struct timespec ts = {0, 1000000};
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct sigaction act = {.sa_handler = on_usr1};

	sigemptyset(&act.sa_mask);
	strcpy(sa.sun_path, "/nonexistent/tr_calls.sock");

	/* the markers: everything before them is the loader's and libc's; a
	 * call that fails and one that succeeds, for the logs of -z and -Z */
	syscall(SYS_openat, AT_FDCWD, "/tr_calls-begin", O_RDONLY);
	syscall(SYS_getcwd, buf, sizeof(buf));

	/* file and desc */
	long fd = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC);
	syscall(SYS_openat, AT_FDCWD, "/nonexistent/tr_calls", O_WRONLY | O_CREAT, 0644);
	syscall(SYS_fstat, fd, &st);
	syscall(SYS_newfstatat, AT_FDCWD, "/dev/null", &st, 0);
	syscall(SYS_lseek, fd, 0L, SEEK_SET);
	syscall(SYS_read, fd, buf, 16);
	syscall(SYS_access, "/dev/null", R_OK);
	syscall(SYS_access, "/nonexistent/tr_calls", F_OK);
	syscall(SYS_readlink, "/dev/stdin", buf, sizeof(buf));
	syscall(SYS_pipe2, p, O_CLOEXEC);
	syscall(SYS_write, p[1], "hello\n", 6);
	syscall(SYS_ioctl, p[0], FIONREAD, &n);
	syscall(SYS_read, p[0], buf, sizeof(buf));
	syscall(SYS_write, p[1], "0123456789abcdefghijklmnopqrstuvwxyz\t\"\\\n", 40);
	syscall(SYS_read, p[0], buf, 64);
	syscall(SYS_fcntl, p[0], F_GETFD);
	syscall(SYS_fcntl, p[0], F_SETFL, O_NONBLOCK);
	syscall(SYS_read, p[0], buf, 8); /* empty: EAGAIN */
	{
		struct iovec wv[2] = {{"hel", 3}, {"lo, world\n", 10}};
		struct iovec rv[3] = {{buf, 4}, {buf + 4, 20}, {buf + 24, 8}};
		syscall(SYS_writev, p[1], wv, 2);
		syscall(SYS_readv, p[0], rv, 3);
	}
	long d = syscall(SYS_dup, fd);
	syscall(SYS_dup3, fd, 20, O_CLOEXEC);
	syscall(SYS_close, d);
	syscall(SYS_close, 20);
	syscall(SYS_close, 99); /* EBADF */

	/* memory */
	void *m = (void *)syscall(SYS_mmap, NULL, 8192, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	syscall(SYS_mprotect, m, 4096, PROT_READ);
	syscall(SYS_munmap, m, 8192);

	/* network: a unix socket path that does not exist */
	long s = syscall(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	syscall(SYS_connect, s, &sa,
		(socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(sa.sun_path) + 1));
	syscall(SYS_close, s);
	/* sendmsg and recvmsg on a socketpair: iovecs, a name the kernel empties
	 * (110 => 0), a recvmsg that fails (its msg_namelen at entry) */
	{
		int sv[2];
		struct sockaddr_un from;
		struct iovec wv[2] = {{"hel", 3}, {"lo, msg", 7}};
		struct iovec rv[2] = {{buf, 3}, {buf + 3, 20}};
		struct msghdr wm = {.msg_iov = wv, .msg_iovlen = 2};
		struct msghdr rm = {
		    .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = rv, .msg_iovlen = 2};
		syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
		syscall(SYS_sendmsg, sv[0], &wm, 0);
		syscall(SYS_recvmsg, sv[1], &rm, 0);
		rm.msg_namelen = 16;
		syscall(SYS_recvmsg, sv[1], &rm, MSG_DONTWAIT); /* empty: EAGAIN */
		syscall(SYS_close, sv[0]);
		syscall(SYS_close, sv[1]);
	}
	/* sendmmsg and recvmmsg on a datagram socketpair: two messages sent, a
	 * recvmmsg of three (two come, the first with a name the kernel empties:
	 * 110 => 0), then one with a timeout that fails (nothing left) */
	{
		int sv[2];
		struct sockaddr_un from;
		struct iovec w0 = {"one", 3}, w1[2] = {{"tw", 2}, {"o!", 2}};
		struct iovec r0 = {buf, 8}, r1[2] = {{buf + 8, 1}, {buf + 9, 8}},
			     r2 = {buf + 17, 8};
		struct mmsghdr wm[2] = {{.msg_hdr = {.msg_iov = &w0, .msg_iovlen = 1}},
					{.msg_hdr = {.msg_iov = w1, .msg_iovlen = 2}}};
		struct mmsghdr rm[3] = {{.msg_hdr = {.msg_name = &from,
						     .msg_namelen = sizeof(from),
						     .msg_iov = &r0,
						     .msg_iovlen = 1}},
					{.msg_hdr = {.msg_iov = r1, .msg_iovlen = 2}},
					{.msg_hdr = {.msg_iov = &r2, .msg_iovlen = 1}}};
		struct timespec to = {5, 0};
		syscall(SYS_socketpair, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv);
		syscall(SYS_sendmmsg, sv[0], wm, 2, 0);
		syscall(SYS_recvmmsg, sv[1], rm, 3, MSG_DONTWAIT, NULL);
		syscall(SYS_recvmmsg, sv[1], rm, 3, MSG_DONTWAIT, &to); /* empty: EAGAIN */
		syscall(SYS_close, sv[0]);
		syscall(SYS_close, sv[1]);
	}
	/* an ioctl request no table names (type 'T', nr 0x99, reads an int):
	 * strace's _IOC(...) form; /dev/null says ENOTTY */
	syscall(SYS_ioctl, fd, _IOR(0x54, 0x99, int), &n);
	/* getdents64 of a directory of three entries (., .., a), then at its end */
	{
		char dir[64] = "/tmp/tr_calls.", file[72];
		size_t k = strlen(dir);
		char digits[16];
		int nd = 0;
		for (long v = syscall(SYS_getpid); v > 0 && nd < 15; v /= 10)
			digits[nd++] = (char)('0' + v % 10);
		while (nd > 0)
			dir[k++] = digits[--nd];
		dir[k] = 0;
		strcpy(file, dir);
		strcat(file, "/a");
		syscall(SYS_mkdir, dir, 0700);
		long f = syscall(SYS_openat, AT_FDCWD, file, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		syscall(SYS_close, f);
		long dfd = syscall(SYS_openat, AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		syscall(SYS_getdents64, dfd, buf, sizeof(buf));
		syscall(SYS_getdents64, dfd, buf, sizeof(buf));
		syscall(SYS_close, dfd);
		syscall(SYS_unlink, file);
		syscall(SYS_rmdir, dir);
	}

	/* clock */
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	ts.tv_sec = 0;
	ts.tv_nsec = 1000000;
	syscall(SYS_nanosleep, &ts, NULL);

	/* process, signal */
	syscall(SYS_execve, "/nonexistent/tr_calls", ex_argv, ex_envp);
	syscall(SYS_getpid);
	syscall(SYS_getppid);
	syscall(SYS_uname, &un);
	syscall(SYS_kill, (pid_t)syscall(SYS_getpid), 0);
	sigaction(SIGUSR1, &act, NULL); /* rt_sigaction, with libc's restorer */
	syscall(SYS_kill, (pid_t)syscall(SYS_getpid), SIGUSR1);
	syscall(SYS_close, fd);
	/* the status asked for (argv[1]), if the signal came */
	syscall(SYS_exit_group, got != SIGUSR1 ? 3 : argc > 1 ? atoi(argv[1]) : 0);
	return 1;
}
