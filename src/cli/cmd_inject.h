/*
 * cmd_inject.h: the loop of `whytop inject`, shared with `whytop run
 * --inject` (which hands it its rules and program).
 */
#ifndef WHYTOP_CMD_INJECT_H
#define WHYTOP_CMD_INJECT_H

#include <stdbool.h>
#include <sys/types.h>

#include <whytop/trace.h>

/*
 * Inject rules[n] into process pid (argv NULL) or into the program argv
 * starts, logging the tampered calls (every call of the rules' sets with
 * all) in strace's format on stderr, until the process ends, duration
 * seconds pass (< 0: no end) or SIGINT/SIGTERM/SIGHUP. Returns the exit
 * status: a launched program's own, else CLI_OK or CLI_FAIL.
 */
int cli_inject_loop(const char *sub, const struct trace_inject *rules, size_t n, pid_t pid,
		    char *const *argv, double duration, bool all);

#endif
