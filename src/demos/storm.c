/*
 * storm: a syscall storm. log_byte() writes its message to /dev/null one
 * byte per write(2), in a loop without end: hundreds of thousands of
 * syscalls a second for what one buffered write would do. `whytop
 * syscalls PID --duration 2` shows write at the top with its rate; `whytop
 * trace PID` shows the calls one by one. Ends on a signal (Ctrl-C).
 */
#pragma GCC optimize("O0")
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void log_byte(int fd, const char *msg)
{
	for (size_t i = 0; msg[i]; i++)
		if (write(fd, &msg[i], 1) != 1) /* the bug: one syscall per byte */
			return;
}

int main(void)
{
	int fd = open("/dev/null", O_WRONLY);
	if (fd < 0) {
		perror("storm: /dev/null");
		return 1;
	}
	printf("storm: pid %d writing to /dev/null one byte per write(2)\n", (int)getpid());
	fflush(stdout);
	for (;;)
		log_byte(fd, "storm: another line of the log\n");
}
