/*
 * att_target: processes whytop must refuse to attach to, with the reason.
 *
 *   att_target zombie      fork a child that exits at once and is never
 *                          reaped; prints "ready CHILD" once it is a zombie
 *   att_target trace PID   hold PID with PTRACE_SEIZE (every thread, no
 *                          stop: PID runs on) as another tool would; prints
 *                          "ready"
 *
 * Then it waits until killed.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static int att_seize_all(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	struct dirent *de;
	int n = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		if (ptrace(PTRACE_SEIZE, atoi(de->d_name), 0, 0) == 0)
			n++;
		else
			perror("PTRACE_SEIZE");
	}
	closedir(d);
	return n > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && strcmp(argv[1], "zombie") == 0) {
		pid_t c = fork();
		if (c < 0)
			return 1;
		if (c == 0)
			_exit(0);
		/* Wait for its exit without reaping it. */
		siginfo_t si;
		if (waitid(P_PID, (id_t)c, &si, WEXITED | WNOWAIT) < 0)
			return 1;
		printf("ready %d\n", (int)c);
	} else if (argc == 3 && strcmp(argv[1], "trace") == 0) {
		if (att_seize_all((pid_t)atoi(argv[2])) < 0)
			return 1;
		printf("ready\n");
	} else {
		fprintf(stderr, "usage: att_target zombie | trace PID\n");
		return 2;
	}
	for (;;)
		pause();
}
