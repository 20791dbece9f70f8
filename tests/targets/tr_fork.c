/*
 * tr_fork: a process that forks once, for whytop trace -f
 * (tests/cli/trace_strace.sh: which lines carry "[pid N] "; tests/cli/
 * trace_stack.sh: -k on the child's calls).
 *
 *   tr_fork [PATH [PROGRAM]]
 *     openat("/tr_fork-begin") (fails: the marker), SIGCHLD blocked (no
 *     signal line, whose place would depend on timing), fork; the child
 *     waits on a pipe until its parent's fork has returned, then opens
 *     PATH (default /dev/null) from tr_fork_child, closes it, calls getpid
 *     and exits 0 -- or, given PROGRAM, opens /dev/null from tr_fork_child,
 *     then execs "PROGRAM PATH" (a process image of its own, for -k); the parent releases it, reaps
 *     it, calls openat("/tr_fork-end") (fails) and exits with the child's
 *     status.
 *
 * The pipe and wait4 keep every call of one task apart from the other's
 * in time, except read, write and wait4 themselves: a log restricted to
 * the other calls (-e trace=!read,write,wait4...) has one order only.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline)) int tr_fork_child(const char *path)
{
	int fd = open(path, O_RDONLY); /* TR_CHILD_LINE */
	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/null";
	int p[2], st = 0;
	char c;
	sigset_t chld;

	syscall(SYS_openat, AT_FDCWD, "/tr_fork-begin", O_RDONLY);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	if (pipe(p) < 0)
		return 2;
	pid_t pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		if (read(p[0], &c, 1) != 1)
			_exit(3);
		if (argc > 2) {
			tr_fork_child("/dev/null"); /* TR_PRE_EXEC_LINE: the same pid, two images */
			execl(argv[2], argv[2], path, (char *)NULL);
			_exit(6);
		}
		int ok = tr_fork_child(path); /* TR_CHILD_MAIN_LINE */
		syscall(SYS_getpid);
		_exit(ok ? 0 : 4);
	}
	if (write(p[1], "x", 1) != 1)
		return 2;
	if (waitpid(pid, &st, 0) != pid)
		return 2;
	syscall(SYS_openat, AT_FDCWD, "/tr_fork-end", O_RDONLY); /* TR_END_LINE */
	return WIFEXITED(st) ? WEXITSTATUS(st) : 5;
}
