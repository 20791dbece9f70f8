/*
 * spawn_ms: run one command and print how long it took, in milliseconds,
 * from just before it is spawned to its exit. Benchmarks time short
 * commands (a few ms) with it rather than with the shell's clock, whose
 * fork of a large bash process adds a millisecond of its own to every run.
 *
 *   spawn_ms OUTFILE CMD [ARGS...]
 *
 * CMD's stdout and stderr go to OUTFILE, its stdin is /dev/null. Exits with
 * CMD's status (1 if it could not be run).
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: spawn_ms OUTFILE CMD [ARGS...]\n", stderr);
		return 2;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	pid_t pid;
	double t0 = now_ms();
	if (posix_spawnp(&pid, argv[2], &fa, NULL, argv + 2, environ) != 0) {
		perror(argv[2]);
		return 1;
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		;
	double t1 = now_ms();
	printf("%.3f\n", t1 - t0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
