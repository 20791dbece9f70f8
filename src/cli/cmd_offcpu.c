/*
 * cmd_offcpu.c: 'whytop offcpu PID' -- where a process waits: time each
 * thread spent off the CPU over a window, split S/D/R, and the kernel and
 * user stacks it waited in, heaviest first (text, --folded, --json). The
 * process never stops. (To be joined with 'whytop profile' as --off-cpu.)
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/json.h"
#include <whytop/cli.h>
#include <whytop/offcpu.h>

#define SUB "offcpu"

enum { OC_JSON = CLI_LONG_ONLY, OC_FOLDED, OC_DURATION };

static const struct cli_opt offcpu_opts[] = {
    {.name = "duration",
     .key = OC_DURATION,
     .arg = "S",
     .help = "count for S seconds (default 5; Ctrl-C ends early)"},
    {.name = "thread", .key = 't', .arg = "TID", .help = "only thread TID of PID"},
    {.name = "json", .key = OC_JSON, .help = "one JSON object on stdout"},
    {.name = "folded",
     .key = OC_FOLDED,
     .help = "collapsed stacks (\"a;b;c N\", N in microseconds),\nas flamegraph.pl reads"},
    {NULL},
};

static int offcpu_exec(int argc, char **argv);

const struct cli_cmd cli_cmd_offcpu = {
    .name = "offcpu",
    .args = "PID",
    .summary = "where a process waits: off-CPU time by thread, state and stack",
    .about = "Count, in the kernel (eBPF on sched_switch), the time each thread of PID\n"
	     "spends off the CPU, by how it left it (S sleeping, D uninterruptible,\n"
	     "R preempted while runnable) and by its kernel and user stacks at that\n"
	     "moment; then print the totals per thread and the stacks, heaviest first,\n"
	     "with their share of the window. The process never stops. Needs root.",
    .opts = offcpu_opts,
    .exec = offcpu_exec,
};

static volatile sig_atomic_t offcpu_stop;
static void offcpu_on_signal(int sig)
{
	(void)sig;
	offcpu_stop = 1;
}

static double secs(uint64_t ns)
{
	return (double)ns / 1e9;
}

static const char *thread_name(const struct offcpu_report *r, pid_t tid)
{
	for (size_t i = 0; i < r->nthreads; i++)
		if (r->threads[i].tid == tid)
			return r->threads[i].name;
	return "?";
}

static void print_frame(const struct offcpu_frame *f, bool kernel)
{
	printf("      %s", kernel ? "[k] " : "");
	if (f->function)
		printf("%s", f->function);
	else
		printf("0x%llx", (unsigned long long)f->pc);
	if (kernel && f->function)
		printf("+0x%llx", (unsigned long long)f->offset);
	if (f->file)
		printf(" (%s:%d)", f->file, f->line);
	else if (f->module)
		printf(" (%s)", f->module);
	putchar('\n');
}

static void print_text(const struct offcpu_report *r)
{
	printf("off-CPU time of process %d over %.2fs (S sleeping, D uninterruptible, "
	       "R preempted)\n",
	       (int)r->pid, secs(r->window_ns));
	for (size_t i = 0; i < r->nthreads; i++) {
		const struct offcpu_thread *t = &r->threads[i];
		printf("  thread %d (%s): S %.3fs  D %.3fs  R %.3fs", (int)t->tid, t->name,
		       secs(t->ns[OFFCPU_S]), secs(t->ns[OFFCPU_D]), secs(t->ns[OFFCPU_R]));
		if (t->ns[OFFCPU_OTHER])
			printf("  T %.3fs", secs(t->ns[OFFCPU_OTHER]));
		putchar('\n');
	}
	if (!r->nthreads)
		printf("  no thread left the CPU\n");
	if (r->note)
		printf("note: %s\n", r->note);
	if (r->lost)
		printf("note: %llu waits not counted (the kernel's maps were full)\n",
		       (unsigned long long)r->lost);
	size_t shown = 0;
	uint64_t rest_ns = 0;
	for (size_t i = 0; i < r->nentries; i++) {
		const struct offcpu_entry *e = &r->entries[i];
		/* the heaviest 25 above a millisecond; --folded and --json list all */
		if (shown == 25 || e->ns < 1000000) {
			rest_ns += e->ns;
			continue;
		}
		shown++;
		printf("\n%.3fs %5.1f%% %c thread %d (%s), %llu wait%s%s\n", secs(e->ns),
		       r->window_ns ? 100.0 * (double)e->ns / (double)r->window_ns : 0.0,
		       offcpu_state_letter(e->state), (int)e->tid, thread_name(r, e->tid),
		       (unsigned long long)e->count, e->count == 1 ? "" : "s",
		       e->count ? "" : " (in progress)");
		printf("    kernel:%s\n", e->nk ? "" : " unknown");
		for (size_t j = 0; j < e->nk; j++)
			print_frame(&e->kframes[j], true);
		printf("    user:%s\n", e->nu ? "" : " unknown");
		for (size_t j = 0; j < e->nu; j++)
			print_frame(&e->uframes[j], false);
		if (e->note)
			printf("    note: %s\n", e->note);
	}
	if (shown < r->nentries)
		printf("\n%zu more stacks (%.3fs in all) not shown; --folded and --json list every "
		       "one\n",
		       r->nentries - shown, secs(rest_ns));
}

/* A frame's name in a folded line: no ';' (the separator) nor spaces. */
static void folded_name(const struct offcpu_frame *f, const char *suffix)
{
	char buf[512];
	if (f->function)
		snprintf(buf, sizeof(buf), "%s%s", f->function, suffix);
	else
		snprintf(buf, sizeof(buf), "0x%llx%s", (unsigned long long)f->pc, suffix);
	for (char *p = buf; *p; p++)
		if (*p == ';' || *p == ' ')
			*p = '_';
	printf(";%s", buf);
}

static void print_folded(const struct offcpu_report *r)
{
	for (size_t i = 0; i < r->nentries; i++) {
		const struct offcpu_entry *e = &r->entries[i];
		char head[300];
		snprintf(head, sizeof(head), "%s-%d", thread_name(r, e->tid), (int)e->tid);
		for (char *p = head; *p; p++)
			if (*p == ';' || *p == ' ')
				*p = '_';
		printf("%s", head);
		for (size_t j = e->nu; j-- > 0;)
			folded_name(&e->uframes[j], "");
		for (size_t j = e->nk; j-- > 0;)
			folded_name(&e->kframes[j], "_[k]");
		printf(" %llu\n", (unsigned long long)(e->ns / 1000));
	}
}

static void json_frames(struct json *j, const struct offcpu_frame *f, size_t n, bool kernel)
{
	json_array_begin(j);
	for (size_t i = 0; i < n; i++) {
		json_object_begin(j);
		json_field_string(j, "func", f[i].function);
		if (kernel) {
			json_field_hex(j, "offset", f[i].offset);
		} else {
			json_field_hex(j, "pc", f[i].pc);
			json_field_string(j, "file", f[i].file);
			json_field_int(j, "line", f[i].line);
		}
		json_field_string(j, "module", f[i].module);
		json_object_end(j);
	}
	json_array_end(j);
}

static int print_json(const struct offcpu_report *r)
{
	struct json j;
	json_init(&j);
	json_object_begin(&j);
	json_field_int(&j, "pid", r->pid);
	json_field_double(&j, "window_s", secs(r->window_ns), 3);
	json_field_uint(&j, "lost", r->lost);
	json_field_string(&j, "note", r->note);
	json_key(&j, "threads");
	json_array_begin(&j);
	for (size_t i = 0; i < r->nthreads; i++) {
		const struct offcpu_thread *t = &r->threads[i];
		json_object_begin(&j);
		json_field_int(&j, "tid", t->tid);
		json_field_string(&j, "name", t->name);
		json_field_double(&j, "S_s", secs(t->ns[OFFCPU_S]), 6);
		json_field_double(&j, "D_s", secs(t->ns[OFFCPU_D]), 6);
		json_field_double(&j, "R_s", secs(t->ns[OFFCPU_R]), 6);
		json_field_double(&j, "T_s", secs(t->ns[OFFCPU_OTHER]), 6);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_key(&j, "stacks");
	json_array_begin(&j);
	for (size_t i = 0; i < r->nentries; i++) {
		const struct offcpu_entry *e = &r->entries[i];
		json_object_begin(&j);
		json_field_int(&j, "tid", e->tid);
		json_field_char(&j, "state", offcpu_state_letter(e->state));
		json_field_double(&j, "seconds", secs(e->ns), 6);
		json_field_double(&j, "share",
				  r->window_ns ? (double)e->ns / (double)r->window_ns : 0.0, 4);
		json_field_uint(&j, "waits", e->count);
		json_key(&j, "kernel");
		json_frames(&j, e->kframes, e->nk, true);
		json_key(&j, "user");
		json_frames(&j, e->uframes, e->nu, false);
		json_field_string(&j, "note", e->note);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	return cli_json_print(SUB, &j, stdout);
}

static int offcpu_exec(int argc, char **argv)
{
	struct cli_parse p;
	bool json = false, folded = false;
	double duration = 5;
	long tid = 0;
	int c;
	cli_parse_init(&p, &cli_cmd_offcpu, argc, argv);
	while ((c = cli_getopt(&p)) != CLI_END) {
		switch (c) {
		case CLI_STOP:
			return p.status;
		case OC_JSON:
			json = true;
			break;
		case OC_FOLDED:
			folded = true;
			break;
		case OC_DURATION:
			if (cli_parse_seconds(SUB, p.opt, p.arg, 86400, &duration))
				return CLI_USAGE;
			break;
		case 't':
			if (cli_parse_long(SUB, p.opt, "a thread id", p.arg, 1, 0x7fffffff, &tid))
				return CLI_USAGE;
			break;
		}
	}
	if (json && folded)
		return cli_error(CLI_USAGE, SUB,
				 "--json and --folded exclude each other; pick one");
	if (optind >= argc)
		return cli_error(CLI_USAGE, SUB, "which process? (whytop offcpu PID; see --help)");
	pid_t pid;
	int rc = cli_parse_pid(SUB, argv[optind], &pid);
	if (rc)
		return rc;
	if (optind + 1 < argc)
		return cli_extra_arg(&cli_cmd_offcpu, argv[optind + 1]);
	if (tid) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/task/%ld", (int)pid, tid);
		FILE *f = fopen(path, "r");
		if (!f)
			return cli_error(CLI_USAGE, SUB, "process %d has no thread %ld", (int)pid,
					 tid);
		fclose(f);
	}

	struct offcpu *oc;
	struct wt_err err;
	if (offcpu_open(pid, (pid_t)tid, &oc, &err) < 0)
		return cli_error(CLI_FAIL, SUB, "%s", err.msg);
	struct sigaction sa = {.sa_handler = offcpu_on_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	uint64_t end = wt_now_ns() + (uint64_t)(duration * 1e9);
	while (!offcpu_stop) {
		uint64_t now = wt_now_ns();
		if (now >= end)
			break;
		uint64_t left = end - now;
		if (left > 100000000u)
			left = 100000000u;
		struct timespec ts = {0, (long)left};
		nanosleep(&ts, NULL);
	}
	struct offcpu_report *r;
	if (offcpu_read(oc, &r, &err) < 0) {
		offcpu_close(oc);
		return cli_error(CLI_FAIL, SUB, "%s", err.msg);
	}
	offcpu_close(oc);
	rc = CLI_OK;
	if (json)
		rc = print_json(r);
	else if (folded)
		print_folded(r);
	else
		print_text(r);
	offcpu_report_free(r);
	return rc;
}
