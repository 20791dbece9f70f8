/*
 * replay.c: main() for a fuzz harness built without libFuzzer (plain make
 * check, with gcc). Calls LLVMFuzzerTestOneInput once on every file given,
 * or on every file of the directories given; with no argument, on the
 * harness's seed corpus and regression inputs,
 * $SRCDIR/tests/fuzz/{corpus,regress}/NAME for a program named fuzz_NAME.
 * A crash, a hang or a sanitizer report fails the test; so does an empty
 * corpus.
 *
 * In the libFuzzer build (--enable-fuzzers) libFuzzer brings its own main.
 */
#include "config.h"

#ifndef WHYTOP_LIBFUZZER
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t cap = 4096, len = 0, n;
	uint8_t *buf = malloc(cap);
	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	fclose(f);
	if (!buf)
		return -1;
	/* An exactly sized copy, as libFuzzer gives: ASan sees any read past the end. */
	uint8_t *data = malloc(len ? len : 1);
	memcpy(data, buf, len);
	free(buf);
	alarm(60); /* a hang fails the test (SIGALRM ends it) instead of stalling make check */
	LLVMFuzzerTestOneInput(data, len);
	alarm(0);
	free(data);
	return 0;
}

/* Run PATH (a file, or each file of a directory); count the inputs run. */
static int run_path(const char *path, int *count)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		fprintf(stderr, "cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	struct dirent **names;
	int n = scandir(path, &names, NULL, alphasort), r = 0;
	if (n < 0) {
		fprintf(stderr, "cannot list %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char file[4096];
		if (names[i]->d_name[0] != '.') {
			snprintf(file, sizeof(file), "%s/%s", path, names[i]->d_name);
			if (run_path(file, count) < 0)
				r = -1;
		}
		free(names[i]);
	}
	free(names);
	return r;
}

int main(int argc, char **argv)
{
	int count = 0, r = 0;
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			if (run_path(argv[i], &count) < 0)
				r = 1;
	} else {
		const char *src = getenv("SRCDIR"), *base = strrchr(argv[0], '/');
		base = base ? base + 1 : argv[0];
		if (!src || strncmp(base, "fuzz_", 5) != 0) {
			fprintf(stderr, "usage: %s FILE|DIR... (or set SRCDIR and run as fuzz_NAME)\n",
				argv[0]);
			return 2;
		}
		char dir[4096];
		snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s", src, base + 5);
		if (run_path(dir, &count) < 0)
			r = 1;
		snprintf(dir, sizeof(dir), "%s/tests/fuzz/regress/%s", src, base + 5);
		if (access(dir, F_OK) == 0 && run_path(dir, &count) < 0)
			r = 1;
	}
	printf("%s: %d inputs replayed\n", argv[0], count);
	if (count == 0) {
		fprintf(stderr, "%s: no input found: the seed corpus is missing\n", argv[0]);
		return 1;
	}
	return r;
}
#endif
