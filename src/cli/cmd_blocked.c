/*
 * cmd_blocked.c: 'whytop blocked' -- every task of the system in D state,
 * grouped by the kernel frame it waits in, once, with how long each has
 * been blocked: from the kernel (eBPF, root) when it tells, else as
 * observed over --observe.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/kjson.h"
#include "cli/kprint.h"
#include <whytop/cli.h>
#include <whytop/kernel.h>

enum { BLOCKED_JSON = CLI_LONG_ONLY, BLOCKED_OBSERVE };

static const struct cli_opt blocked_opts[] = {
    {.name = "json", .key = BLOCKED_JSON, .help = "one JSON object on stdout"},
    {.name = "observe",
     .key = BLOCKED_OBSERVE,
     .arg = "SECONDS",
     .help = "watch for SECONDS (0 to 3600) and report how long\neach task stayed blocked"},
    {NULL},
};

static int blocked_exec(int argc, char **argv);

const struct cli_cmd cli_cmd_blocked = {
    .name = "blocked",
    .summary = "every D-state task of the system, grouped by the kernel frame it waits in",
    .about = "List every task in uninterruptible sleep (D) right now, grouped by the\n"
	     "innermost meaningful kernel frame (as in a hung-task report), with the\n"
	     "process, the system call and the file it concerns.",
    .opts = blocked_opts,
    .exec = blocked_exec,
};

static int blocked_exec(int argc, char **argv)
{
	struct cli_parse p;
	bool json = false;
	long observe = 0;
	int c;
	cli_parse_init(&p, &cli_cmd_blocked, argc, argv);
	while ((c = cli_getopt(&p)) != CLI_END) {
		switch (c) {
		case CLI_STOP:
			return p.status;
		case BLOCKED_JSON:
			json = true;
			break;
		case BLOCKED_OBSERVE:
			if (cli_parse_long("blocked", p.opt, "whole seconds", p.arg, 0, 3600,
					   &observe))
				return CLI_USAGE;
			break;
		}
	}
	if (optind < argc)
		return cli_extra_arg(&cli_cmd_blocked, argv[optind]);
	/* always: the kernel may know since when each task waits (waitstart.c) */
	struct kernel_block_tracker *tr = kernel_block_tracker_new();
	if (!tr)
		return cli_error(CLI_FAIL, "blocked", "out of memory");
	struct kernel_blocked *bl = NULL;
	struct wt_err err;
	uint64_t end = wt_now_ns() + (uint64_t)observe * 1000000000u;
	for (;;) {
		kernel_blocked_free(bl);
		bl = NULL;
		if (kernel_blocked_scan(tr, &bl, &err)) {
			kernel_block_tracker_free(tr);
			return cli_error(CLI_FAIL, "blocked", "%s", err.msg);
		}
		if (!observe || wt_now_ns() >= end)
			break;
		usleep(250000);
	}
	/* A single look observed nothing: only the kernel's times are worth showing. */
	for (size_t i = 0; !observe && i < bl->ngroups; i++)
		for (size_t k = 0; k < bl->groups[i].ntasks; k++) {
			struct kernel_thread *t = &bl->groups[i].tasks[k].t;
			t->blocked = t->blocked && t->blocked_exact;
		}
	kernel_block_tracker_free(tr);

	if (json) {
		struct json j;
		json_init(&j);
		kjson_blocked(&j, bl);
		int rc = cli_json_print("blocked", &j, stdout);
		kernel_blocked_free(bl);
		return rc;
	}
	printf("%zu task%s in D state (of %zu scanned)\n", bl->ntasks, bl->ntasks == 1 ? "" : "s",
	       bl->nscanned);
	if (bl->note)
		printf("note: %s\n", bl->note);
	for (size_t i = 0; i < bl->ngroups; i++) {
		const struct kernel_blocked_group *g = &bl->groups[i];
		printf("\n%zu blocked in %s%s\n", g->ntasks, g->key,
		       g->from_stack ? "" : " (from wchan: no kernel stack)");
		for (size_t j = 0; j < g->ntasks; j++) {
			const struct kernel_blocked_task *t = &g->tasks[j];
			printf("  process %d (%s)", (int)t->pid, t->pcomm);
			if (t->t.sc.file)
				printf(" on %s", t->t.sc.file);
			putchar('\n');
			kprint_thread(stdout, &t->t, "    ", j == 0);
		}
	}
	kernel_blocked_free(bl);
	return CLI_OK;
}
