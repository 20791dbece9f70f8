/*
 * cmd_kstack.c: 'whytop kstack PID' -- every thread's state, wchan, the
 * syscall it sits in (decoded) and its kernel stack.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/kjson.h"
#include "cli/kprint.h"
#include <whytop/cli.h>
#include <whytop/kernel.h>
#include <whytop/sysnames.h>

enum { KSTACK_JSON = CLI_LONG_ONLY, KSTACK_OBSERVE };

static const struct cli_opt kernel_stack_opts[] = {
    {.name = "thread", .key = 't', .arg = "TID", .help = "only thread TID of PID"},
    {.name = "tid", .key = 't', .arg = "TID", .help = "the same as --thread (its older name)"},
    {.name = "json", .key = KSTACK_JSON, .help = "one JSON object on stdout"},
    {.name = "observe",
     .key = KSTACK_OBSERVE,
     .arg = "SECONDS",
     .help = "watch for SECONDS (0 to 3600) first and report how long\neach thread stayed blocked"},
    {NULL},
};

static int kernel_stack_exec(int argc, char **argv);

const struct cli_cmd cli_cmd_kstack = {
    .name = "kstack",
    .args = "PID",
    .summary = "each thread's state, wchan, decoded syscall and kernel stack",
    .about = "Print the kernel side of every thread of PID: state, wait channel (wchan),\n"
	     "the system call it is in with its arguments decoded (fds shown with their\n"
	     "paths), and its kernel stack.",
    .opts = kernel_stack_opts,
    .exec = kernel_stack_exec,
};

static int kernel_stack_exec(int argc, char **argv)
{
	struct cli_parse p;
	bool json = false;
	long tid = 0, observe = 0;
	int c;
	cli_parse_init(&p, &cli_cmd_kstack, argc, argv);
	while ((c = cli_getopt(&p)) != CLI_END) {
		switch (c) {
		case CLI_STOP:
			return p.status;
		case KSTACK_JSON:
			json = true;
			break;
		case 't':
			if (cli_parse_long("kstack", p.opt, "a thread id", p.arg, 1, 0x7fffffff,
					   &tid))
				return CLI_USAGE;
			break;
		case KSTACK_OBSERVE:
			if (cli_parse_long("kstack", p.opt, "whole seconds", p.arg, 0, 3600,
					   &observe))
				return CLI_USAGE;
			break;
		}
	}
	if (optind + 1 < argc)
		return cli_extra_arg(&cli_cmd_kstack, argv[optind + 1]);
	const char *pid_arg = optind < argc ? argv[optind] : NULL;
	pid_t pid;
	int rc = cli_parse_pid("kstack", pid_arg, &pid);
	if (rc)
		return rc;

	struct kernel_stack_opts opts = {.only_tid = (pid_t)tid};
	/* Always: the kernel may know since when each thread waits (waitstart.c). */
	struct kernel_block_tracker *tr = kernel_block_tracker_new();
	struct kernel_proc *kp = NULL;
	struct wt_err err;
	uint64_t end = wt_now_ns() + (uint64_t)observe * 1000000000u;
	for (;;) {
		kernel_proc_free(kp);
		kp = NULL;
		if (kernel_stack_read(pid, &opts, &kp, &err)) {
			kernel_block_tracker_free(tr);
			return cli_error(CLI_FAIL, "kstack", "%s", err.msg);
		}
		if (tr)
			kernel_block_tracker_apply(tr, kp);
		if (!observe || wt_now_ns() >= end)
			break;
		usleep(200000);
	}
	kernel_block_tracker_free(tr);

	rc = CLI_OK;
	if (json) {
		struct json j;
		json_init(&j);
		kjson_proc(&j, kp);
		rc = cli_json_print("kstack", &j, stdout);
	} else {
		printf("process %d (%s)", (int)kp->pid, kp->comm);
		if (kp->is_kthread)
			printf(", a kernel thread\n");
		else
			printf(", %s ABI, %zu thread%s\n", sysname_arch_label(kp->arch),
			       kp->nthreads, kp->nthreads == 1 ? "" : "s");
		for (size_t i = 0; i < kp->nthreads; i++) {
			putchar('\n');
			kprint_thread(stdout, &kp->threads[i], "", true);
		}
	}
	kernel_proc_free(kp);
	return rc;
}
