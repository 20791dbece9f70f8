/*
 * cmd_kstack.c: 'whytop kstack PID' -- every thread's state, wchan, the
 * syscall it sits in (decoded) and its kernel stack.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/kprint.h"
#include <whytop/cli.h>
#include <whytop/kernel.h>
#include <whytop/sysnames.h>

static void usage(FILE *f)
{
	fprintf(f, "Usage: whytop kstack PID [--json] [--tid TID] [--observe SECONDS]\n"
		   "Print the kernel side of every thread of PID: state, wait channel (wchan),\n"
		   "the system call it is in with its arguments decoded (fds shown with their\n"
		   "paths), and its kernel stack. With --observe, watch for SECONDS first and\n"
		   "report how long each thread stayed blocked.\n");
}

int cmd_kstack(int argc, char **argv)
{
	const char *pid_arg = NULL;
	bool json = false;
	long tid = 0, observe = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return CLI_OK;
		} else if (strcmp(argv[i], "--tid") == 0 && i + 1 < argc) {
			if (cli_parse_long("kstack", "--tid", "a thread id", argv[++i], 1,
					   0x7fffffff, &tid))
				return CLI_USAGE;
		} else if (strcmp(argv[i], "--observe") == 0 && i + 1 < argc) {
			if (cli_parse_long("kstack", "--observe", "whole seconds", argv[++i], 0,
					   3600, &observe))
				return CLI_USAGE;
		} else if (argv[i][0] == '-' || pid_arg) {
			usage(stderr);
			return CLI_USAGE;
		} else {
			pid_arg = argv[i];
		}
	}
	pid_t pid;
	int rc = cli_parse_pid("kstack", pid_arg, &pid);
	if (rc)
		return rc;

	struct kstack_opts opts = { .only_tid = (pid_t)tid };
	struct kblock_tracker *tr = observe ? kblock_tracker_new() : NULL;
	struct kproc *kp = NULL;
	struct wt_err err;
	uint64_t end = wt_now_ns() + (uint64_t)observe * 1000000000u;
	for (;;) {
		kproc_free(kp);
		kp = NULL;
		if (kstack_read(pid, &opts, &kp, &err)) {
			kblock_tracker_free(tr);
			return cli_error(CLI_FAIL, "kstack", "%s", err.msg);
		}
		if (tr)
			kblock_tracker_apply(tr, kp);
		if (!tr || wt_now_ns() >= end)
			break;
		usleep(200000);
	}
	kblock_tracker_free(tr);

	if (json) {
		struct wt_buf b;
		wt_buf_init(&b);
		kproc_json(&b, kp);
		puts(b.data);
		wt_buf_free(&b);
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
	kproc_free(kp);
	return CLI_OK;
}
