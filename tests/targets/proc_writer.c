/*
 * proc_writer.c: a process that writes at a known pace, for the I/O
 * columns' test (tests/cli/list_columns.sh).
 *
 *   proc_writer FILE CHUNK PERIOD_MS
 *
 * Appends CHUNK bytes to FILE every PERIOD_MS milliseconds (new pages each
 * time: the kernel counts write_bytes when a page is first dirtied, so
 * rewriting the same pages would count nothing), and reads the file's first
 * CHUNK bytes back after dropping them from the page cache, so read_bytes
 * grows too where the filesystem honours the advice. "ready" on stdout
 * after the first write; runs until killed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: proc_writer FILE CHUNK PERIOD_MS\n");
		return 2;
	}
	long chunk = atol(argv[2]), ms = atol(argv[3]);
	char *buf = malloc((size_t)chunk);
	int fd = open(argv[1], O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (!buf || fd < 0 || chunk <= 0 || ms <= 0) {
		perror("proc_writer");
		return 1;
	}
	memset(buf, 'w', (size_t)chunk);
	for (int first = 1;; first = 0) {
		if (write(fd, buf, (size_t)chunk) != chunk) {
			perror("write");
			return 1;
		}
		fdatasync(fd);
		posix_fadvise(fd, 0, chunk, POSIX_FADV_DONTNEED);
		if (pread(fd, buf, (size_t)chunk, 0) < 0) {
			perror("pread");
			return 1;
		}
		if (first) {
			printf("ready\n");
			fflush(stdout);
		}
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
	}
}
