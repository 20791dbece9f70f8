/*
 * cmd_profile.c: 'whytop profile PID' -- where the process spends its CPU,
 * from perf samples over a few seconds: functions by self and total share
 * with their hottest source line, the hottest call paths; or the folded
 * stacks flamegraph.pl reads, or JSON. The target is never stopped.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/json.h"
#include <whytop/cli.h>
#include <whytop/profile.h>

enum { PROFILE_JSON = CLI_LONG_ONLY, PROFILE_FOLDED, PROFILE_HZ, PROFILE_DURATION, PROFILE_OFFCPU };

static const struct cli_opt profile_opts[] = {
    {.name = "duration",
     .key = PROFILE_DURATION,
     .arg = "SECONDS",
     .help = "sample for SECONDS (default 5; Ctrl-C ends early)"},
    {.name = "hz",
     .key = PROFILE_HZ,
     .arg = "N",
     .help = "samples per second of CPU time per thread (default 99)"},
    {.name = "thread", .key = 't', .arg = "TID", .help = "only thread TID of PID"},
    {.name = "json", .key = PROFILE_JSON, .help = "one JSON object on stdout"},
    {.name = "folded",
     .key = PROFILE_FOLDED,
     .help = "folded stacks 'a;b;c N', root first (flamegraph.pl)"},
    {.name = "off-cpu",
     .key = PROFILE_OFFCPU,
     .help = "where it waits instead of where it runs: time off the CPU\n"
	     "by thread, state and stack, from eBPF ('whytop offcpu';\n"
	     "not with --hz)"},
    {NULL},
};

static int profile_exec(int argc, char **argv);

const struct cli_cmd cli_cmd_profile = {
    .name = "profile",
    .args = "PID",
    .summary = "where a process spends its CPU, from perf samples (never stopped)",
    .about = "Sample every thread of PID (new threads too) with perf events for a few\n"
	     "seconds, unwind each sample's copied user stack with the stack command's\n"
	     "unwinder, and print the functions by self and total share with their\n"
	     "hottest source line, and the hottest call paths. The process is never\n"
	     "traced or stopped.",
    .opts = profile_opts,
    .exec = profile_exec,
};

static volatile sig_atomic_t profile_stop;

static void profile_on_signal(int sig)
{
	(void)sig;
	profile_stop = 1;
}

static double profile_pct(uint64_t n, uint64_t of)
{
	return of ? 100.0 * (double)n / (double)of : 0.0;
}

static void profile_print_text(const struct profile *p)
{
	printf("profile of process %d", (int)p->pid);
	if (p->only_tid)
		printf(" thread %d", (int)p->only_tid);
	printf(": %llu samples in %.1f s (%s, %u Hz), %zu thread%s", (unsigned long long)p->samples,
	       (double)p->duration_ns / 1e9, p->event, p->hz, p->threads,
	       p->threads == 1 ? "" : "s");
	if (p->lost)
		printf(", %llu lost", (unsigned long long)p->lost);
	if (p->unwind_errors)
		printf(", %llu stacks cut short", (unsigned long long)p->unwind_errors);
	printf("\n");
	if (!p->samples) {
		printf("no samples: the process used no CPU while it was watched\n");
		return;
	}
	printf("\n  self%%  total%%  function (module) hottest line\n");
	for (size_t i = 0; i < p->nfns && i < 25; i++) {
		const struct profile_fn *f = &p->fns[i];
		printf("%7.1f %7.1f  %s", profile_pct(f->self, p->samples),
		       profile_pct(f->total, p->samples), f->name);
		if (f->module)
			printf(" (%s)", f->module);
		if (f->nlines && f->lines[0].file && f->self)
			printf(" %s:%d %.0f%%", f->lines[0].file, f->lines[0].line,
			       profile_pct(f->lines[0].self, f->self));
		else if (f->file)
			printf(" %s", f->file);
		printf("\n");
	}
	printf("\nhottest paths (root first):\n");
	for (size_t i = 0; i < p->npaths && i < 10; i++)
		printf("%7.1f  %s\n", profile_pct(p->paths[i].count, p->samples),
		       p->paths[i].folded);
}

static void profile_print_json(struct json *j, const struct profile *p)
{
	json_object_begin(j);
	json_field_int(j, "pid", p->pid);
	if (p->only_tid)
		json_field_int(j, "thread", p->only_tid);
	json_field_string(j, "event", p->event);
	json_field_uint(j, "hz", p->hz);
	json_field_double(j, "duration_s", (double)p->duration_ns / 1e9, 3);
	json_field_uint(j, "samples", p->samples);
	json_field_uint(j, "lost", p->lost);
	json_field_uint(j, "stacks_cut_short", p->unwind_errors);
	json_field_uint(j, "threads", p->threads);
	json_field_bool(j, "kernel_frames", p->kernel_frames);
	json_key(j, "functions");
	json_array_begin(j);
	for (size_t i = 0; i < p->nfns; i++) {
		const struct profile_fn *f = &p->fns[i];
		json_object_begin(j);
		json_field_string(j, "name", f->name);
		json_field_string(j, "module", f->module);
		json_field_string(j, "file", f->file);
		json_field_uint(j, "self", f->self);
		json_field_uint(j, "total", f->total);
		json_key(j, "lines");
		json_array_begin(j);
		for (size_t k = 0; k < f->nlines; k++) {
			json_object_begin(j);
			json_field_string(j, "file", f->lines[k].file);
			json_field_int(j, "line", f->lines[k].line);
			json_field_uint(j, "self", f->lines[k].self);
			json_object_end(j);
		}
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
	json_key(j, "paths");
	json_array_begin(j);
	for (size_t i = 0; i < p->npaths; i++) {
		json_object_begin(j);
		json_field_string(j, "folded", p->paths[i].folded);
		json_field_uint(j, "count", p->paths[i].count);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

/* profile --off-cpu ARGS is offcpu ARGS: one command's options, the other's engine */
static int profile_off_cpu(int argc, char **argv)
{
	char **args = calloc((size_t)argc + 1, sizeof(*args));
	if (!args)
		return cli_error(CLI_FAIL, "profile", "out of memory");
	int n = 0;
	args[n++] = (char *)"offcpu";
	bool opts = true;
	for (int i = 1; i < argc; i++) {
		if (opts && strcmp(argv[i], "--") == 0)
			opts = false;
		if (opts && strcmp(argv[i], "--off-cpu") == 0)
			continue;
		if (opts && (strcmp(argv[i], "--hz") == 0 || strncmp(argv[i], "--hz=", 5) == 0)) {
			free(args);
			return cli_error(CLI_USAGE, "profile",
					 "--off-cpu counts every switch, it does not sample: "
					 "leave out --hz");
		}
		args[n++] = argv[i];
	}
	int r = cli_cmd_offcpu.exec(n, args);
	free(args);
	return r;
}

static int profile_exec(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--off-cpu") == 0)
			return profile_off_cpu(argc, argv);
	struct cli_parse p;
	bool json = false, folded = false;
	long tid = 0, hz = PROFILE_DEFAULT_HZ;
	double duration = 5;
	int c;
	cli_parse_init(&p, &cli_cmd_profile, argc, argv);
	while ((c = cli_getopt(&p)) != CLI_END) {
		switch (c) {
		case CLI_STOP:
			return p.status;
		case PROFILE_JSON:
			json = true;
			break;
		case PROFILE_FOLDED:
			folded = true;
			break;
		case 't':
			if (cli_parse_long("profile", p.opt, "a thread id", p.arg, 1, 0x7fffffff,
					   &tid))
				return CLI_USAGE;
			break;
		case PROFILE_HZ:
			if (cli_parse_long("profile", p.opt, "samples per second", p.arg, 1, 10000,
					   &hz))
				return CLI_USAGE;
			break;
		case PROFILE_DURATION:
			if (cli_parse_seconds("profile", p.opt, p.arg, 86400, &duration))
				return CLI_USAGE;
			break;
		}
	}
	if (json && folded)
		return cli_error(CLI_USAGE, "profile", "choose one of --json and --folded");
	if (optind + 1 < argc)
		return cli_extra_arg(&cli_cmd_profile, argv[optind + 1]);
	pid_t pid;
	int rc = cli_parse_pid("profile", optind < argc ? argv[optind] : NULL, &pid);
	if (rc)
		return rc;

	struct profile_opts o = {.only_tid = (pid_t)tid, .hz = (unsigned)hz};
	struct profile_session *s;
	struct wt_err err;
	if (profile_open(pid, &o, &s, &err) < 0)
		return cli_error(CLI_FAIL, "profile", "%s", err.msg);
	struct sigaction sa = {.sa_handler = profile_on_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	uint64_t end = wt_now_ns() + (uint64_t)(duration * 1e9);
	bool gone = false;
	while (!profile_stop) {
		uint64_t now = wt_now_ns();
		if (now >= end)
			break;
		uint64_t left_ms = (end - now) / 1000000 + 1;
		if (profile_poll(s, left_ms < 100 ? (int)left_ms : 100, &err) < 0) {
			gone = true; /* what was counted until it went is still shown */
			break;
		}
	}
	struct profile *pr;
	if (profile_result(s, &pr, &err) < 0) {
		profile_close(s);
		return cli_error(CLI_FAIL, "profile", "%s", err.msg);
	}
	profile_close(s);
	if (gone)
		fprintf(stderr, "whytop profile: %s; the profile ends there\n", err.msg);
	rc = CLI_OK;
	if (json) {
		struct json j;
		json_init(&j);
		profile_print_json(&j, pr);
		rc = cli_json_print("profile", &j, stdout);
	} else if (folded) {
		for (size_t i = 0; i < pr->npaths; i++)
			printf("%s %llu\n", pr->paths[i].folded,
			       (unsigned long long)pr->paths[i].count);
	} else {
		profile_print_text(pr);
	}
	profile_free(pr);
	return rc;
}
