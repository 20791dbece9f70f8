/*
 * catch_print.h: the catch loop and report printing of cmd_catch.c, shared
 * with "whytop run --catch" (cmd_run.c).
 */
#ifndef WHYTOP_CLI_CATCH_PRINT_H
#define WHYTOP_CLI_CATCH_PRINT_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include <whytop/catch.h>

struct catch_cli_opts {
	FILE *out; /* the report (text or JSON) */
	bool json;
	bool hold;
	/* Readable: stop watching, let the process go untraced (whytop catch's
	 * SIGINT, SIGTERM, SIGHUP); -1 none (run --catch waits for its program). */
	int stop_fd;
};

/*
 * Wait for c's process to crash or end, print handled signals and the
 * report; returns the exit status as a shell gives it (128+N: killed by
 * signal N; with hold, the held signal), CLI_FAIL on an error (said);
 * CLI_OK when stop_fd ended the watch before the process ended.
 */
int catch_cli_run(const char *sub, struct catch *c, pid_t pid, const struct catch_cli_opts *o);

#endif
