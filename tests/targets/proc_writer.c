/*
 * proc_writer.c: a process that writes at a known pace, for the I/O
 * columns' test (tests/cli/list_columns.sh).
 *
 *   proc_writer FILE CHUNK PERIOD_MS
 *
 * Appends CHUNK bytes to FILE every PERIOD_MS milliseconds (new pages each
 * time: the kernel counts write_bytes when a page is first dirtied, so
 * rewriting the same pages would count nothing; no fsync, so a slow disk
 * does not hold the pace), and reads CHUNK/2 bytes of FILE.r (written and
 * synced once at the start) after dropping them from the page cache, so
 * read_bytes grows too where the filesystem honours the advice (by up to
 * CHUNK: readahead reads the rest of the file). "ready" on
 * stdout after the first write; runs until killed.
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
	char rpath[4096];
	snprintf(rpath, sizeof(rpath), "%s.r", argv[1]);
	int rfd = open(rpath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (rfd < 0 || write(rfd, buf, (size_t)chunk) != chunk || fsync(rfd) != 0) {
		perror(rpath);
		return 1;
	}
	for (int first = 1;; first = 0) {
		if (write(fd, buf, (size_t)chunk) != chunk) {
			perror("write");
			return 1;
		}
		posix_fadvise(rfd, 0, chunk, POSIX_FADV_DONTNEED);
		if (pread(rfd, buf, (size_t)chunk / 2, 0) < 0) {
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
