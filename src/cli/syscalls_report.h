/*
 * syscalls_report.h: the strace -c like summary (text and JSON) that
 * "whytop syscalls" and "whytop run" both print.
 */
#ifndef WHYTOP_CLI_SYSCALLS_REPORT_H
#define WHYTOP_CLI_SYSCALLS_REPORT_H

#include <stdio.h>

#include <whytop/syscalls.h>

struct sc_report_info {
	const char *what;    /* "pid 1234 (comm), all threads" */
	const char *backend; /* "kernel", "ptrace", "launch" */
	const char *backend_name;
	const char *cost;
	long pid, tid;
	int exit_status; /* -1 if none */
	/* How the program ended when a signal killed it: "killed by SIGSEGV (core dumped)", or NULL. */
	const char *killed;
	int ended;	 /* the process ended while it was counted */
	const pid_t *pids; /* the processes counted (syscalls), npids of them */
	size_t npids;
	int follow; /* -f: their children too */
	const char *cmd; /* the command the first line names: "run", "trace" (NULL: "syscalls") */
};

void sc_report_text(FILE *f, const struct sc_counts *c, const struct sc_report_info *ri);
/* Through the CLI's JSON writer; CLI_OK, or CLI_FAIL said on stderr as "whytop SUB: ...". */
int sc_report_json(const char *sub, FILE *f, const struct sc_counts *c,
		   const struct sc_report_info *ri);
/* The same object into a document being built (report's "syscalls"). */
struct json;
void sc_report_json_object(struct json *j, const struct sc_counts *c,
			   const struct sc_report_info *ri);
/* --sort NAME -> key; -1 if unknown */
int sc_report_sort_key(const char *name);

#endif
