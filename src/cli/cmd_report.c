/*
 * cmd_report.c: "whytop report PID": in one go what a person would collect
 * by hand for a ticket: the Overview facts, every thread's user stack with
 * source lines, the locals of each thread's innermost frame with debug info,
 * the kernel side (state, wchan, syscall, kernel stack), syscall rates over
 * --duration seconds and the open files; as text, Markdown or one JSON
 * object. The printing is the other commands' (stack_print.h,
 * locals_print.h, kprint.h/kjson.h, syscalls_report.h).
 *
 * The target is held once: one stack walk (each thread let go as soon as it
 * is copied); the locals are then read from that walk's registers and from
 * /proc/PID/mem while it runs. The kernel view and the open files come from
 * /proc; the syscall count uses the kernel backend when it can (no stop),
 * else ptrace (a stop of microseconds at each call, never a walk's length).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <whytop/cli.h>
#include <whytop/kernel.h>
#include <whytop/locals.h>
#include <whytop/proc.h>
#include <whytop/stack.h>
#include <whytop/syscalls.h>
#include <whytop/sysnames.h>
#include <whytop/util.h>

#include "cli/files_print.h"
#include "cli/json.h"
#include "cli/kjson.h"
#include "cli/kprint.h"
#include "cli/locals_print.h"
#include "cli/stack_print.h"
#include "cli/syscalls_report.h"

#define SUB "report"
/* --duration at most an hour: a report is a snapshot, not a recording */
#define REPORT_MAX_DURATION 3600.0

enum { REPORT_DURATION = CLI_LONG_ONLY, REPORT_JSON, REPORT_MARKDOWN };

static const struct cli_opt report_opts[] = {
    {.name = "duration",
     .key = REPORT_DURATION,
     .arg = "SEC",
     .help = "count syscalls this long (0 to 3600, default 1)"},
    {.name = "thread", .key = 't', .arg = "TID", .help = "only thread TID of PID"},
    {.name = "json", .key = REPORT_JSON, .help = "one JSON object on stdout"},
    {.name = "markdown",
     .key = REPORT_MARKDOWN,
     .help = "Markdown to paste into a ticket: a heading per section,\nits text in a code block"},
    {NULL},
};

static int report_exec(int argc, char **argv);

const struct cli_cmd cli_cmd_report = {
    .name = "report",
    .args = "PID",
    .summary = "one report for a ticket: overview, stacks, locals, kernel, syscalls, files",
    .about = "Gather in one go the Overview facts of PID, every thread's user stack with\n"
	     "source lines, the locals of each thread's innermost frame with debug info,\n"
	     "the kernel side (state, wchan, syscall, kernel stack), syscall rates over\n"
	     "--duration seconds and the open files. The process is held stopped once,\n"
	     "for one stack walk (each thread only while it is copied).",
    .opts = report_opts,
    .exec = report_exec,
};

/* What one report gathered; each part has its error instead when it failed. */
struct report {
	pid_t pid, tid;
	double duration;
	time_t when;
	struct proc_overview ov;
	struct wt_err ov_err;
	bool have_ov;
	struct debug_proc *dp;
	struct stack *st;
	struct wt_err st_err;
	struct locals **locals; /* one per st->threads, NULL where lerr says why */
	char **lerr;
	struct kernel_proc *kp;
	struct wt_err k_err;
	struct sc_counts *sc;
	struct sc_report_info ri;
	char what[256], bname[80], cost[256];
	struct wt_err sc_err;
	bool have_sc;
	struct proc_fd *files;
	size_t nfiles;
	struct wt_err f_err;
	bool have_files;
};

/* The walk and, from its registers, each thread's innermost frame with debug info. */
static void report_stacks(struct report *r)
{
	struct stack_opts so = {.only_tid = r->tid};
	if (debug_proc_open(r->pid, &r->dp, &r->st_err) < 0 ||
	    stack_walk(r->dp, &so, &r->st, &r->st_err) < 0)
		return;
	size_t n = r->st->nthreads;
	r->locals = calloc(n ? n : 1, sizeof(*r->locals));
	r->lerr = calloc(n ? n : 1, sizeof(*r->lerr));
	if (!r->locals || !r->lerr)
		return;
	/* The CU's globals would drown the frame's own variables: left out. */
	struct locals_opts lo = {.no_globals = true};
	for (size_t i = 0; i < n; i++) {
		struct wt_err err = {0};
		struct locals_frame lf;
		if (debug_proc_is32(r->dp))
			wt_err_set(&err, ENOTSUP, "locals are read only in 64-bit programs");
		else if (locals_pick_frame(r->dp, r->st, r->st->threads[i].tid, -1, NULL, NULL, &lf,
					   &err) == 0)
			locals_read(r->dp, &lf, &lo, &r->locals[i], &err);
		if (!r->locals[i])
			r->lerr[i] = strdup(err.msg[0] ? err.msg : "no frame with debug info");
	}
}

static void report_syscalls(struct report *r)
{
	struct sc_opts o = {.backend = SC_BACKEND_AUTO, .pid = r->pid, .tid = r->tid};
	struct sc_session *s;
	if (sc_session_open(&s, &o, &r->sc_err) < 0)
		return;
	struct sc_sample *sample = sc_sample_new();
	r->sc = sc_counts_new();
	if (!sample || !r->sc) {
		sc_session_close(s);
		sc_sample_free(sample);
		wt_err_set(&r->sc_err, ENOMEM, "out of memory");
		return;
	}
	sc_session_read(s, sample, &r->sc_err);
	memset(sample->slot, 0, sizeof(sample->slot)); /* rates start from zero */
	sample->lost = 0;
	sc_counts_update(r->sc, sample);
	/* Ctrl-C (or SIGTERM, SIGHUP) ends the count early; the report is still printed. */
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &old);
	uint64_t end = wt_now_ns() + (uint64_t)(r->duration * 1e9);
	int ended = 0;
	for (uint64_t now; (now = wt_now_ns()) < end;) {
		if (sc_session_alive(s) < 0) {
			ended = 1;
			break;
		}
		uint64_t step = end - now < 100000000ull ? end - now : 100000000ull;
		struct timespec ts = {(time_t)(step / 1000000000ull), (long)(step % 1000000000ull)};
		if (sigtimedwait(&set, NULL, &ts) > 0)
			break;
	}
	int rc = sc_session_read(s, sample, &r->sc_err);
	sc_session_cost(s, sample, r->cost, sizeof(r->cost));
	snprintf(r->bname, sizeof(r->bname), "%s", sc_session_backend_name(s));
	int kind = sc_session_backend(s);
	sc_session_close(s);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (rc == 0) {
		sc_counts_update(r->sc, sample);
		sc_counts_sort(r->sc, SC_SORT_CALLS);
		r->have_sc = true;
	}
	sc_sample_free(sample);
	if (r->tid)
		snprintf(r->what, sizeof(r->what), "pid %d (%s), thread %d", (int)r->pid,
			 r->ov.name ? r->ov.name : "?", (int)r->tid);
	else
		snprintf(r->what, sizeof(r->what), "pid %d (%s), all threads", (int)r->pid,
			 r->ov.name ? r->ov.name : "?");
	r->ri = (struct sc_report_info){
	    .what = r->what,
	    .backend = kind == SC_BACKEND_KERNEL ? "kernel" : "ptrace",
	    .backend_name = r->bname,
	    .cost = r->cost,
	    .pid = r->pid,
	    .tid = r->tid,
	    .exit_status = -1,
	    .ended = ended,
	    .cmd = SUB,
	};
}

static void report_gather(struct report *r)
{
	r->when = time(NULL);
	r->have_ov = proc_overview_read(r->pid, &r->ov, &r->ov_err) == 0;
	/* The kernel side first: after the walk's stop a sleep shows as restart_syscall. */
	struct kernel_stack_opts ko = {.only_tid = r->tid};
	kernel_stack_read(r->pid, &ko, &r->kp, &r->k_err);
	report_stacks(r);
	report_syscalls(r);
	r->have_files = proc_fds_read(r->pid, &r->files, &r->nfiles, &r->f_err) == 0;
}

static void report_free(struct report *r)
{
	if (r->have_ov)
		proc_overview_free(&r->ov);
	for (size_t i = 0; r->st && i < r->st->nthreads; i++) {
		if (r->locals)
			locals_free(r->locals[i]);
		if (r->lerr)
			free(r->lerr[i]);
	}
	free(r->locals);
	free(r->lerr);
	stack_free(r->st);
	if (r->dp)
		debug_proc_close(r->dp);
	kernel_proc_free(r->kp);
	sc_counts_free(r->sc);
	proc_fds_free(r->files, r->nfiles);
}

/* ---- text and Markdown: the same section bodies, framed differently ---- */

/* "text" and each line of a multi-line overview field, under label. */
static void report_lines(FILE *f, const char *label, const char *text)
{
	if (!text)
		return;
	fprintf(f, "%s:\n", label);
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		fprintf(f, "  %.*s\n", (int)len, p);
		p += len + (p[len] == '\n');
	}
}

static void report_overview_text(FILE *f, const struct report *r)
{
	if (!r->have_ov) {
		fprintf(f, "(%s)\n", r->ov_err.msg);
		return;
	}
	const struct proc_overview *ov = &r->ov;
	fprintf(f, "pid: %d\n", (int)r->pid);
	fprintf(f, "name: %s\n", ov->name ? ov->name : "?");
	fprintf(f, "exe: %s\n", ov->exe ? ov->exe : "?");
	fprintf(f, "cmdline: %s\n", ov->cmdline ? ov->cmdline : "?");
	fprintf(f, "cwd: %s\n", ov->cwd ? ov->cwd : "?");
	fprintf(f, "open fds: %ld\n", ov->nfds);
	fprintf(f, "context switches: %llu voluntary, %llu involuntary\n",
		(unsigned long long)ov->vol_ctxt, (unsigned long long)ov->nonvol_ctxt);
	if (ov->namespaces_text)
		fprintf(f, "namespaces: %s\n", ov->namespaces_text);
	report_lines(f, "status", ov->status_text);
	report_lines(f, "cgroup", ov->cgroup);
	report_lines(f, "limits", ov->limits_text);
}

static void report_stacks_text(FILE *f, const struct report *r)
{
	if (r->st)
		stack_print_text(f, r->st, true);
	else
		fprintf(f, "(%s)\n", r->st_err.msg);
}

static void report_locals_text(FILE *f, const struct report *r)
{
	if (!r->st) {
		fprintf(f, "(no stack walk: %s)\n", r->st_err.msg);
		return;
	}
	for (size_t i = 0; i < r->st->nthreads; i++) {
		if (i)
			fputc('\n', f);
		if (r->locals && r->locals[i])
			locals_print_text(f, r->locals[i], "");
		else
			fprintf(f, "thread %d: (%s)\n", (int)r->st->threads[i].tid,
				r->lerr && r->lerr[i] ? r->lerr[i] : "out of memory");
	}
}

static void report_kernel_text(FILE *f, const struct report *r)
{
	if (!r->kp) {
		fprintf(f, "(%s)\n", r->k_err.msg);
		return;
	}
	fprintf(f, "process %d (%s), %s ABI, %zu thread%s\n", (int)r->kp->pid, r->kp->comm,
		sysname_arch_label(r->kp->arch), r->kp->nthreads, r->kp->nthreads == 1 ? "" : "s");
	for (size_t i = 0; i < r->kp->nthreads; i++) {
		fputc('\n', f);
		kprint_thread(f, &r->kp->threads[i], "", true);
	}
}

static void report_syscalls_text(FILE *f, const struct report *r)
{
	if (r->have_sc)
		sc_report_text(f, r->sc, &r->ri);
	else
		fprintf(f, "(%s)\n", r->sc_err.msg);
}

static void report_files_text(FILE *f, const struct report *r)
{
	if (!r->have_files) {
		fprintf(f, "(%s)\n", r->f_err.msg);
		return;
	}
	files_print_text(f, r->files, r->nfiles);
}

struct report_section {
	const char *title;
	void (*text)(FILE *f, const struct report *r);
};

static const struct report_section report_sections[] = {
    {"Overview", report_overview_text},
    {"User stacks", report_stacks_text},
    {"Locals of each thread's innermost frame with debug info", report_locals_text},
    {"Kernel: state, wait channel, syscall, kernel stack", report_kernel_text},
    {"Syscalls", report_syscalls_text},
    {"Open files", report_files_text},
};

/*
 * A fenced code block whose fence no line of body can close or extend: one
 * backtick more than the longest run of backticks in body (at least three).
 * Body lines are escaped text (no newline inside a name), so a hostile comm
 * or path can neither end the block nor start Markdown of its own.
 */
static void report_code_block(FILE *f, const char *body, size_t len)
{
	size_t run = 0, longest = 0;
	for (size_t i = 0; i < len; i++) {
		run = body[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	size_t n = longest < 3 ? 3 : longest + 1;
	for (size_t i = 0; i < n; i++)
		fputc('`', f);
	fputc('\n', f);
	fwrite(body, 1, len, f);
	if (len && body[len - 1] != '\n')
		fputc('\n', f);
	for (size_t i = 0; i < n; i++)
		fputc('`', f);
	fputc('\n', f);
}

static int report_print_text(const struct report *r, bool markdown)
{
	char when[64];
	struct tm tm;
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", gmtime_r(&r->when, &tm));
	if (markdown)
		printf("# whytop report: process %d\n\n%s; syscalls counted over %.1f s; "
		       "generated by whytop report.\n",
		       (int)r->pid, when, r->duration);
	else
		printf("whytop report: process %d (%s), %s, syscalls counted over %.1f s\n",
		       (int)r->pid, r->have_ov && r->ov.name ? r->ov.name : "?", when, r->duration);
	for (size_t i = 0; i < WT_ARRAY_SIZE(report_sections); i++) {
		const struct report_section *s = &report_sections[i];
		char *body = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&body, &len);
		if (!m)
			return cli_error(CLI_FAIL, SUB, "out of memory");
		s->text(m, r);
		fclose(m);
		if (markdown) {
			printf("\n## %s\n\n", s->title);
			report_code_block(stdout, body, len);
		} else {
			printf("\n== %s ==\n", s->title);
			fwrite(body, 1, len, stdout);
		}
		free(body);
	}
	return fflush(stdout) == 0 ? CLI_OK : cli_error(CLI_FAIL, SUB, "cannot write the report");
}

/* ---- JSON ---- */

static void report_json_overview(struct json *j, const struct report *r)
{
	const struct proc_overview *ov = &r->ov;
	json_object_begin(j);
	json_field_string(j, "name", ov->name);
	json_field_string(j, "exe", ov->exe);
	json_field_string(j, "cmdline", ov->cmdline);
	json_field_string(j, "cwd", ov->cwd);
	json_field_int(j, "nfds", ov->nfds);
	json_field_uint(j, "voluntary_ctxt_switches", ov->vol_ctxt);
	json_field_uint(j, "nonvoluntary_ctxt_switches", ov->nonvol_ctxt);
	json_field_string(j, "namespaces", ov->namespaces_text);
	json_field_string(j, "status", ov->status_text);
	json_field_string(j, "cgroup", ov->cgroup);
	json_field_string(j, "limits", ov->limits_text);
	json_object_end(j);
}

static int report_print_json(const struct report *r)
{
	struct json j;
	json_init(&j);
	json_object_begin(&j);
	json_field_int(&j, "pid", r->pid);
	json_field_int(&j, "time", (long long)r->when);
	json_field_double(&j, "duration_s", r->duration, 3);
	json_key(&j, "overview");
	if (r->have_ov)
		report_json_overview(&j, r);
	else
		json_null(&j);
	json_field_string(&j, "overview_error", r->have_ov ? NULL : r->ov_err.msg);
	json_key(&j, "stack");
	if (r->st)
		stack_json(&j, r->st, true);
	else
		json_null(&j);
	json_field_string(&j, "stack_error", r->st ? NULL : r->st_err.msg);
	json_key(&j, "locals");
	json_array_begin(&j);
	for (size_t i = 0; r->st && i < r->st->nthreads; i++) {
		if (r->locals && r->locals[i]) {
			locals_json(&j, r->locals[i]);
			continue;
		}
		json_object_begin(&j);
		json_field_int(&j, "tid", r->st->threads[i].tid);
		json_field_string(&j, "error",
				  r->lerr && r->lerr[i] ? r->lerr[i] : "out of memory");
		json_object_end(&j);
	}
	json_array_end(&j);
	json_key(&j, "kernel");
	if (r->kp)
		kjson_proc(&j, r->kp);
	else
		json_null(&j);
	json_field_string(&j, "kernel_error", r->kp ? NULL : r->k_err.msg);
	json_key(&j, "syscalls");
	if (r->have_sc)
		sc_report_json_object(&j, r->sc, &r->ri);
	else
		json_null(&j);
	json_field_string(&j, "syscalls_error", r->have_sc ? NULL : r->sc_err.msg);
	json_key(&j, "files");
	if (r->have_files) {
		files_json_array(&j, r->files, r->nfiles);
	} else {
		json_null(&j);
	}
	json_field_string(&j, "files_error", r->have_files ? NULL : r->f_err.msg);
	json_object_end(&j);
	return cli_json_print(SUB, &j, stdout);
}

static int report_exec(int argc, char **argv)
{
	struct cli_parse p;
	struct report r = {.duration = 1};
	bool json = false, markdown = false;
	long tid = 0;
	int c;
	cli_parse_init(&p, &cli_cmd_report, argc, argv);
	while ((c = cli_getopt(&p)) != CLI_END) {
		switch (c) {
		case CLI_STOP:
			return p.status;
		case REPORT_DURATION:
			if (cli_parse_seconds(SUB, p.opt, p.arg, REPORT_MAX_DURATION, &r.duration))
				return CLI_USAGE;
			break;
		case 't':
			if (cli_parse_long(SUB, p.opt, "a thread id", p.arg, 1, 0x7fffffff, &tid))
				return CLI_USAGE;
			break;
		case REPORT_JSON:
			json = true;
			break;
		case REPORT_MARKDOWN:
			markdown = true;
			break;
		}
	}
	if (json && markdown)
		return cli_error(CLI_USAGE, SUB, "give --json or --markdown, not both");
	if (optind + 1 < argc)
		return cli_extra_arg(&cli_cmd_report, argv[optind + 1]);
	int rc = cli_parse_pid(SUB, optind < argc ? argv[optind] : NULL, &r.pid);
	if (rc)
		return rc;
	r.tid = (pid_t)tid;
	pid_t tgid;
	if (r.tid && (proc_tgid_of(r.tid, &tgid) < 0 || tgid != r.pid))
		return cli_error(CLI_FAIL, SUB,
				 "%ld is not a thread of process %d; 'whytop list --threads -p %d' "
				 "lists its threads",
				 tid, (int)r.pid, (int)r.pid);
	report_gather(&r);
	if (!r.have_ov && !r.st && !r.kp) {
		rc = cli_error(CLI_FAIL, SUB, "%s", r.ov_err.msg);
		report_free(&r);
		return rc;
	}
	rc = json ? report_print_json(&r) : report_print_text(&r, markdown);
	report_free(&r);
	return rc;
}
