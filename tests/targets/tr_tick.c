/*
 * tr_tick: a slow, steady target for the live log's tests. Every 20 ms it
 * tries to open a path that does not exist and whose name holds an escape
 * sequence (ENOENT, a failed call that must reach the screen escaped),
 * then calls getppid (a call that succeeds). Runs until killed.
 */
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	const struct timespec tick = {0, 20 * 1000 * 1000};
	for (;;) {
		int fd = open("/nonexistent/whytop-\033[31m-tick", O_RDONLY);
		if (fd >= 0)
			close(fd);
		getppid();
		nanosleep(&tick, NULL);
	}
}
