/*
 * cmd_trace.c: "whytop trace [options] PID[,PID...]" and "whytop trace
 * [options] -- CMD ARGS": the live log of syscalls, signals and exits in
 * strace's format (the writer, src/core/trace/log.c), as JSON Lines
 * (--json), or strace -c's summary (-c, the counter's report). Options
 * have strace's letters and long names.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <whytop/cli.h>
#include <whytop/sysnames.h>
#include <whytop/trace.h>
#include <whytop/util.h>

#include "cli/json.h"
#include "syscalls_report.h"
#include "trace_loop.h"

#define SUB "trace"
/* --duration at most a year (the end is computed in 64-bit nanoseconds) */
#define TR_MAX_DURATION 31536000.0
#define TR_MAX_PIDS 64

enum { TR_OPT_STATUS = CLI_LONG_ONLY, TR_OPT_DURATION, TR_OPT_JSON, TR_OPT_BACKEND };

static const struct cli_opt trace_opts[] = {
    {.name = "trace",
     .key = 'e',
     .arg = "SET",
     .help = "the calls to log: names, classes (%file, %desc, %process,\n"
	     "%network, %signal, %ipc, %memory, %creds, %clock, %pure),\n"
	     "!negation, all, none; -e trace=SET and -e status=... too"},
    {.name = "status",
     .key = TR_OPT_STATUS,
     .arg = "successful|failed",
     .help = "only the calls that succeeded (-z) or failed (-Z)"},
    {.name = "successful-only", .key = 'z', .help = "only calls that succeeded"},
    {.name = "failed-only", .key = 'Z', .help = "only calls that failed"},
    {.name = "follow-forks",
     .key = 'f',
     .help = "every thread, and the threads and children born later"},
    {.name = "attach", .key = 'p', .arg = "PID", .help = "trace process PID (PID,PID... or again)"},
    {.name = "syscall-times", .key = 'T', .help = "the time spent in each call: <0.000123>"},
    {.name = "absolute-timestamps",
     .key = 't',
     .help = "the time of day on each line; -tt with microseconds,\n"
	     "-ttt seconds since the epoch"},
    {.name = "decode-fds", .key = 'y', .help = "fd arguments with their paths: 3</etc/passwd>"},
    {.name = "string-limit",
     .key = 's',
     .arg = "STRSIZE",
     .help = "bytes of a string shown (1 to 4096, default 32)"},
    {.name = "output", .key = 'o', .arg = "FILE", .help = "write the log to FILE, not stderr"},
    {.name = "summary-only",
     .key = 'c',
     .help = "no log: a summary per syscall at the end (as strace -c)"},
    {.name = "duration",
     .key = TR_OPT_DURATION,
     .arg = "SEC",
     .help = "trace this long (0 to 31536000); by default until every\n"
	     "traced task ends or Ctrl-C"},
    {.name = "json",
     .key = TR_OPT_JSON,
     .help = "on stdout (or -o FILE), one JSON object a line per call,\n"
	     "signal and exit"},
    {.name = "stack-trace",
     .key = 'k',
     .help = "after each call, its user stack: function, file:line,\n"
	     "inline frames (from ptrace stops: implies --backend ptrace)"},
    {.name = "backend",
     .key = TR_OPT_BACKEND,
     .arg = "kernel|ptrace|auto",
     .help = "kernel: eBPF, the tasks never stop (root); ptrace: every\n"
	     "call stops the task; auto (default): kernel when possible"},
    {NULL},
};

static int trace_exec(int argc, char **argv);

static void trace_help_more(FILE *f)
{
	fprintf(f, "\nExamples:\n"
		   "  whytop trace 1234                      every call of process 1234\n"
		   "  whytop trace -f -e trace=%%file -p 1234  its file calls, all its threads\n"
		   "  whytop trace -o log -tt -T -- make     run make, log to a file\n"
		   "  whytop trace -k -e trace=openat 1234   who opens files, with the stacks\n");
}

const struct cli_cmd cli_cmd_trace = {
    .name = "trace",
    .args = "PID[,PID...] | -- CMD [ARGS...]",
    .summary = "a live log of a process's syscalls, signals and exits, as strace prints",
    .about = "Log each syscall of running processes (or of CMD, started under whytop) with\n"
	     "its arguments decoded, and the signals and exits, in strace's format, on\n"
	     "stderr (or -o FILE). As root the log comes from the kernel (eBPF) and the\n"
	     "tasks never stop; otherwise from ptrace stops. Options end at CMD. When CMD\n"
	     "ends, whytop exits with its status. PID is a process: -f for its threads.",
    .opts = trace_opts,
    .in_order = true,
    .help_more = trace_help_more,
    .exec = trace_exec,
};

/* ---- what the loop hands records to ---- */

/* A call in progress, for --json and -c (the text writer keeps its own). */
struct tr_call {
	pid_t pid, tid;
	uint32_t arch;
	long nr;
	uint64_t t_entry;
	char *text; /* the entry's part (--json) */
	/* -k with --json: the entry's frames, copied (the record's are gone by the exit) */
	struct tr_frame *frames;
	size_t nframes;
	char *stack_error;
	bool has_stack;
};

struct tr_frame {
	char *module, *function, *file;
	uint64_t pc, offset;
	int line;
	bool inl;
};

struct tr_ctx {
	struct trace_log *log; /* text, unless json or -c */
	FILE *out;
	bool json, summary, only_ok, only_fail;
	struct sysdecode_opts dec;
	struct sc_sample *sample;      /* -c */
	struct sc_sample *counts_zero; /* -c: the start, all zero */
	struct tr_call *calls;
	size_t ncalls, cap;
	int status; /* CLI_FAIL once output failed */
};

static struct tr_call *tr_find(struct tr_ctx *c, pid_t tid)
{
	for (size_t i = 0; i < c->ncalls; i++)
		if (c->calls[i].tid == tid)
			return &c->calls[i];
	return NULL;
}

static void tr_stack_clear(struct tr_call *k)
{
	for (size_t i = 0; i < k->nframes; i++) {
		free(k->frames[i].module);
		free(k->frames[i].function);
		free(k->frames[i].file);
	}
	free(k->frames);
	free(k->stack_error);
	k->frames = NULL;
	k->nframes = 0;
	k->stack_error = NULL;
	k->has_stack = false;
}

static char *tr_dup(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* -k --json: keep the entry's frames until the call's object is written. */
static void tr_stack_keep(struct tr_call *k, const struct stack_thread *st)
{
	tr_stack_clear(k);
	if (!st)
		return;
	k->has_stack = true;
	k->stack_error = tr_dup(st->error);
	if (!st->nframes || !(k->frames = calloc(st->nframes, sizeof(*k->frames))))
		return;
	k->nframes = st->nframes;
	for (size_t i = 0; i < st->nframes; i++) {
		const struct stack_frame *f = &st->frames[i];
		struct tr_frame *t = &k->frames[i];
		t->module = tr_dup(f->module);
		t->function = tr_dup(f->function);
		t->file = tr_dup(f->file);
		t->pc = f->pc;
		t->offset = f->offset;
		t->line = f->line;
		t->inl = f->flags & STACK_FRAME_INLINE;
	}
}

static void tr_drop(struct tr_ctx *c, struct tr_call *k)
{
	free(k->text);
	tr_stack_clear(k);
	*k = c->calls[--c->ncalls];
}

static struct tr_call *tr_get(struct tr_ctx *c, pid_t tid)
{
	struct tr_call *k = tr_find(c, tid);
	if (k) {
		free(k->text);
		k->text = NULL;
		tr_stack_clear(k);
		return k;
	}
	if (c->ncalls == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct tr_call *n = realloc(c->calls, cap * sizeof(*n));
		if (!n)
			return NULL;
		c->calls = n;
		c->cap = cap;
	}
	k = &c->calls[c->ncalls++];
	memset(k, 0, sizeof(*k));
	k->tid = tid;
	return k;
}

static enum sc_abi tr_abi(uint32_t arch)
{
	return arch == sc_abi_arch(SC_ABI_I386) ? SC_ABI_I386 : SC_ABI_X86_64;
}

static bool tr_failed(int64_t ret)
{
	return ret < 0 && ret >= -4095;
}

static void tr_json_head(struct json *j, const char *type, const struct trace_rec *r, uint64_t t)
{
	json_init(j);
	json_object_begin(j);
	json_field_string(j, "type", type);
	json_field_int(j, "pid", r->pid);
	json_field_int(j, "tid", r->tid);
	json_field_double(j, "time", (double)t / 1e9, 6);
}

static void tr_json_end(struct tr_ctx *c, struct json *j)
{
	json_object_end(j);
	if (c->status != CLI_OK) /* said once; the loop ends at the drain's end */
		json_free(j);
	else if (cli_json_print(SUB, j, c->out) != CLI_OK)
		c->status = CLI_FAIL;
}

/*
 * One call as JSON: its text split as strace's line is: name, the
 * arguments between "name(" and the result's ')', the result. ret is null
 * for a call that did not return.
 */
static void tr_json_call(struct tr_ctx *c, const struct trace_rec *r, const struct tr_call *k,
			 const char *exit_text, bool returned)
{
	char nbuf[48];
	const char *name = sysname(k->arch, k->nr, nbuf, sizeof(nbuf));
	struct wt_buf all;
	wt_buf_init(&all);
	wt_buf_puts(&all, k->text ? k->text : "");
	wt_buf_puts(&all, exit_text);
	const char *t = all.data ? all.data : "";
	size_t open = strlen(name);
	if (strncmp(t, name, open) == 0 && t[open] == '(')
		t += open + 1;
	/* the arguments: up to the result's ')', or all of an entry's text */
	size_t at = returned ? trace_log_result_at(t) : (size_t)-1;
	size_t nargs = at != (size_t)-1 ? at - 1 : strlen(t);
	struct json j;
	tr_json_head(&j, "syscall", r, k->t_entry);
	json_field_string(&j, "name", name);
	json_key(&j, "args");
	json_string_len(&j, t, nargs);
	if (returned) {
		json_field_int(&j, "ret", (long long)r->sc.ret);
		const char *e = tr_failed(r->sc.ret) ? sysdecode_errno_name((int)-r->sc.ret) : NULL;
		json_field_string(&j, "errno", e);
		if (r->injected) { /* -e inject=: what was done to it, as the log's marks */
			json_field_bool(&j, "injected", r->injected & TRACE_INJ_TAMPERED);
			json_field_bool(&j, "delayed", r->injected & TRACE_INJ_DELAYED);
		}
		uint64_t t_exit = r->sc.t_exit_ns ? r->sc.t_exit_ns : r->t_ns;
		json_key(&j, "duration");
		if (k->t_entry && t_exit >= k->t_entry)
			json_double(&j, (double)(t_exit - k->t_entry) / 1e9, 6);
		else
			json_null(&j);
	} else {
		json_key(&j, "ret");
		json_null(&j);
		json_field_string(&j, "errno", NULL);
		json_key(&j, "duration");
		json_null(&j);
	}
	if (k->has_stack) {
		/* -k: the frames, innermost first, as the text log's " > " lines */
		json_key(&j, "stack");
		json_array_begin(&j);
		for (size_t i = 0; i < k->nframes; i++) {
			const struct tr_frame *f = &k->frames[i];
			json_object_begin(&j);
			json_field_hex(&j, "pc", f->pc);
			json_field_string(&j, "module", f->module);
			json_field_string(&j, "function", f->function);
			json_field_hex(&j, "offset", f->offset);
			json_field_string(&j, "file", f->file);
			json_key(&j, "line");
			if (f->line > 0)
				json_int(&j, f->line);
			else
				json_null(&j);
			json_field_bool(&j, "inline", f->inl);
			json_object_end(&j);
		}
		json_array_end(&j);
		json_field_string(&j, "stack_error", k->stack_error);
	}
	tr_json_end(c, &j);
	wt_buf_free(&all);
}

static void tr_syscall(struct tr_ctx *c, const struct trace_rec *r)
{
	const struct scev *ev = &r->sc;
	struct tr_call *k = NULL;
	if (ev->part & SCEV_ENTRY) {
		k = tr_get(c, r->tid);
		if (!k)
			return;
		k->pid = r->pid;
		k->arch = ev->arch;
		k->nr = ev->nr;
		k->t_entry = ev->t_entry_ns ? ev->t_entry_ns : r->t_ns;
		if (c->json) {
			struct wt_buf b;
			wt_buf_init(&b);
			sysdecode_format(ev, SCEV_ENTRY, &c->dec, &b);
			k->text = b.data ? wt_buf_steal(&b) : NULL;
			if (r->stack)
				tr_stack_keep(k, r->stack);
		}
		if (c->summary && !(c->only_ok || c->only_fail) && ev->nr >= 0)
			c->sample->slot[sc_slot(tr_abi(ev->arch), ev->nr)].calls++;
	}
	if (!(ev->part & SCEV_EXIT))
		return;
	k = tr_find(c, r->tid);
	if (k && (k->arch != ev->arch || k->nr != ev->nr)) {
		tr_drop(c, k);
		k = NULL;
	}
	bool failed = tr_failed(ev->ret);
	bool shown = !(c->only_ok || c->only_fail) || (failed ? c->only_fail : c->only_ok);
	if (c->summary && shown && ev->nr >= 0) {
		struct sc_raw *s = &c->sample->slot[sc_slot(tr_abi(ev->arch), ev->nr)];
		uint64_t t_exit = ev->t_exit_ns ? ev->t_exit_ns : r->t_ns;
		if (c->only_ok || c->only_fail)
			s->calls++; /* counted with their result, as strace -c -z */
		if (failed) {
			s->errors++;
			sc_raw_add_errno(s, (int)-ev->ret, 1);
		}
		if (k && t_exit >= k->t_entry) {
			s->timed++;
			s->time_ns += t_exit - k->t_entry;
		}
	}
	if (c->json && shown) {
		struct wt_buf b;
		wt_buf_init(&b);
		sysdecode_format(ev, SCEV_EXIT, &c->dec, &b);
		struct tr_call none = {
		    .pid = r->pid, .tid = r->tid, .arch = ev->arch, .nr = ev->nr};
		tr_json_call(c, r, k ? k : &none, b.data ? b.data : "", true);
		wt_buf_free(&b);
	}
	if (k)
		tr_drop(c, k);
}

static void tr_signame(char *buf, size_t size, int sig)
{
	const char *n = sysdecode_signal_name(sig);
	if (n)
		snprintf(buf, size, "%s", n);
	else
		snprintf(buf, size, "%d", sig);
}

static void tr_record(const struct trace_rec *r, void *ctx)
{
	struct tr_ctx *c = ctx;
	char sig[32];
	struct json j;
	if (c->log)
		trace_log_add(c->log, r);
	if (r->kind == TRACE_SYSCALL) {
		tr_syscall(c, r);
		return;
	}
	if (r->kind == TRACE_LOST && c->sample)
		c->sample->lost += r->lost;
	if (r->kind == TRACE_EXIT) {
		struct tr_call *k = tr_find(c, r->tid);
		if (k) { /* a call that never returned: exit_group, or killed */
			if (c->json && !(c->only_ok || c->only_fail))
				tr_json_call(c, r, k, "", false);
			tr_drop(c, k);
		}
	}
	if (!c->json)
		return;
	switch (r->kind) {
	case TRACE_SIGNAL:
		tr_json_head(&j, "signal", r, r->t_ns);
		tr_signame(sig, sizeof(sig), r->si.si_signo);
		json_field_string(&j, "signal", sig);
		json_field_int(&j, "code", r->si.si_code);
		json_field_int(&j, "sender", r->si.si_pid);
		tr_json_end(c, &j);
		break;
	case TRACE_EXIT:
		tr_json_head(&j, "exit", r, r->t_ns);
		if (WIFSIGNALED(r->status)) {
			tr_signame(sig, sizeof(sig), WTERMSIG(r->status));
			json_key(&j, "status");
			json_null(&j);
			json_field_string(&j, "signal", sig);
			json_field_bool(&j, "core_dumped", WCOREDUMP(r->status));
		} else {
			json_field_int(&j, "status", WEXITSTATUS(r->status));
			json_field_string(&j, "signal", NULL);
			json_field_bool(&j, "core_dumped", false);
		}
		tr_json_end(c, &j);
		break;
	case TRACE_LOST:
		tr_json_head(&j, "lost", r, r->t_ns);
		json_field_uint(&j, "count", r->lost);
		tr_json_end(c, &j);
		break;
	default:
		break;
	}
}

/* -y: the path behind fd (AT_FDCWD: the directory), escaped, or NULL. */
static const char *tr_fd_path(void *ctx, pid_t pid, int fd, char *buf, size_t size)
{
	(void)ctx;
	char target[4096];
	ssize_t n = trace_fd_link(pid, fd, target, sizeof(target)); /* AT_FDCWD: its cwd */
	if (n < 0)
		return NULL;
	return wt_escape_to(buf, size, target, (size_t)n, 0);
}

/* ---- options ---- */

struct tr_args {
	pid_t pids[TR_MAX_PIDS];
	size_t npids;
	const char *set_expr; /* -e trace= */
	struct sc_set set;
	int ts;
	bool only_ok, only_fail, follow, show_time, fd_paths, summary, json;
	bool stacks; /* -k */
	long strsize;
	const char *output;
	double duration;
	enum sc_backend backend;
	struct trace_inject inject[TRACE_INJ_MAX]; /* -e inject= / fault= */
	size_t ninject;
};

/* "1,2,3": each a process (thread ids refused); said on stderr. */
static int tr_add_pids(struct tr_args *a, const char *list)
{
	char *dup = strdup(list), *save = NULL;
	int r = 0;
	if (!dup)
		return cli_error(CLI_FAIL, SUB, "out of memory");
	if (!*list || list[strlen(list) - 1] == ',' || *list == ',' || strstr(list, ",,")) {
		char esc[128];
		free(dup);
		return cli_error(CLI_USAGE, SUB, "'%s' is not a list of process ids (PID,PID,...)",
				 wt_escape_to(esc, sizeof(esc), list, strlen(list), 0));
	}
	for (char *t = strtok_r(dup, ",", &save); t && !r; t = strtok_r(NULL, ",", &save)) {
		if (a->npids == TR_MAX_PIDS) {
			r = cli_error(CLI_USAGE, SUB, "at most %d processes at once", TR_MAX_PIDS);
			break;
		}
		r = cli_parse_pid(SUB, t, &a->pids[a->npids]);
		if (!r)
			a->npids++;
	}
	free(dup);
	return r;
}

/* -e: trace=SET, status=..., or SET alone, as strace. */
static int tr_expr(struct tr_args *a, const char *arg)
{
	char esc[128];
	bool fault = strncmp(arg, "fault=", 6) == 0;
	if (fault || strncmp(arg, "inject=", 7) == 0) {
		/* strace's fault injection: done at ptrace stops (trace.h) */
		struct wt_err e;
		wt_err_clear(&e);
		if (a->ninject == TRACE_INJ_MAX)
			return cli_error(CLI_USAGE, SUB, "at most %d -e inject= rules",
					 TRACE_INJ_MAX);
		if (trace_inject_parse(&a->inject[a->ninject], arg + (fault ? 6 : 7), fault, &e) <
		    0)
			return cli_error(CLI_USAGE, SUB, "-e %s %s",
					 fault ? "fault=:" : "inject=:", e.msg);
		a->ninject++;
		return 0;
	}
	if (strncmp(arg, "status=", 7) == 0) {
		const char *v = arg + 7;
		if (strcmp(v, "successful") == 0)
			a->only_ok = true;
		else if (strcmp(v, "failed") == 0)
			a->only_fail = true;
		else
			return cli_error(CLI_USAGE, SUB,
					 "-e status= is successful or failed, not '%s'",
					 wt_escape_to(esc, sizeof(esc), v, strlen(v), 0));
		return 0;
	}
	const char *set = strncmp(arg, "trace=", 6) == 0 ? arg + 6 : arg;
	if (strchr(arg, '=') && set == arg)
		return cli_error(CLI_USAGE, SUB,
				 "-e takes trace=SET or status=successful|failed, not '%s'",
				 wt_escape_to(esc, sizeof(esc), arg, strlen(arg), 0));
	if (cli_parse_trace_set(SUB, arg, &a->set) != 0)
		return CLI_USAGE;
	a->set_expr = set;
	return 0;
}

static int tr_parse(struct tr_args *a, int argc, char **argv, int *first)
{
	struct cli_parse p;
	char esc[64];
	int opt, r;
	cli_parse_init(&p, &cli_cmd_trace, argc, argv);
	while ((opt = cli_getopt(&p)) != CLI_END) {
		switch (opt) {
		case CLI_STOP:
			*first = -1; /* --help printed, or a bad option said */
			return p.status;
		case 'e':
			if ((r = tr_expr(a, p.arg)))
				return r;
			break;
		case TR_OPT_STATUS:
			if (strcmp(p.arg, "successful") == 0)
				a->only_ok = true;
			else if (strcmp(p.arg, "failed") == 0)
				a->only_fail = true;
			else
				return cli_error(
				    CLI_USAGE, SUB, "--status is successful or failed, not '%s'",
				    wt_escape_to(esc, sizeof(esc), p.arg, strlen(p.arg), 0));
			break;
		case 'z':
			a->only_ok = true;
			break;
		case 'Z':
			a->only_fail = true;
			break;
		case 'f':
			a->follow = true;
			break;
		case 'p':
			if ((r = tr_add_pids(a, p.arg)))
				return r;
			break;
		case 'T':
			a->show_time = true;
			break;
		case 't':
			if (a->ts < TRACE_TS_EPOCH)
				a->ts++;
			break;
		case 'y':
			a->fd_paths = true;
			break;
		case 's':
			if (cli_parse_long(SUB, p.opt, "a string size in bytes", p.arg, 1,
					   SCEV_CAP_MAX, &a->strsize))
				return CLI_USAGE;
			break;
		case 'o':
			a->output = p.arg;
			break;
		case 'k':
			a->stacks = true;
			break;
		case 'c':
			a->summary = true;
			break;
		case TR_OPT_DURATION:
			if (cli_parse_seconds(SUB, p.opt, p.arg, TR_MAX_DURATION, &a->duration))
				return CLI_USAGE;
			break;
		case TR_OPT_JSON:
			a->json = true;
			break;
		case TR_OPT_BACKEND:
			if (strcmp(p.arg, "kernel") == 0)
				a->backend = SC_BACKEND_KERNEL;
			else if (strcmp(p.arg, "ptrace") == 0)
				a->backend = SC_BACKEND_PTRACE;
			else if (strcmp(p.arg, "auto") == 0)
				a->backend = SC_BACKEND_AUTO;
			else
				return cli_error(
				    CLI_USAGE, SUB, "--backend is kernel, ptrace or auto, not '%s'",
				    wt_escape_to(esc, sizeof(esc), p.arg, strlen(p.arg), 0));
			break;
		}
	}
	if (a->only_ok && a->only_fail)
		return cli_error(CLI_USAGE, SUB,
				 "-z (successful) and -Z (failed) together leave nothing to log; "
				 "give one of them");
	if (a->json && a->summary)
		return cli_error(CLI_USAGE, SUB,
				 "give --json (the log) or -c (the summary), not both");
	if (a->ninject && a->backend == SC_BACKEND_KERNEL)
		return cli_error(CLI_USAGE, SUB,
				 "-e inject= tampers with calls at ptrace stops: not with "
				 "--backend kernel");
	if (a->stacks && a->summary)
		return cli_error(CLI_USAGE, SUB,
				 "-k prints stacks in the log and -c prints no log: give one of them");
	/* after "--" a program; without it, "PID[,PID...]" when it starts with a
	 * digit, else a program (as strace takes one) */
	bool dashdash = optind > 0 && optind <= argc && strcmp(argv[optind - 1], "--") == 0;
	*first = optind;
	if (optind < argc && !dashdash && argv[optind][0] >= '0' && argv[optind][0] <= '9') {
		if (optind + 1 < argc)
			return cli_extra_arg(&cli_cmd_trace, argv[optind + 1]);
		if ((r = tr_add_pids(a, argv[optind])))
			return r;
		*first = argc;
	}
	if (*first < argc && a->npids)
		return cli_error(CLI_USAGE, SUB,
				 "give processes (-p PID) or a program (-- CMD), not both");
	if (*first >= argc && !a->npids)
		return cli_error(
		    CLI_USAGE, SUB,
		    "which process or program? (whytop trace PID, or whytop trace -- CMD "
		    "ARGS; see 'whytop trace --help')");
	return 0;
}

/* ---- the loop ---- */

static const char *tr_header(const char *backend)
{
	return strncmp(backend, "in-kernel", 9) == 0 ? "the process never stops"
						     : "every call stops the process";
}

/* The lines so far reach the file (or a reader) now; a reader gone ends the log. */
static int tr_flush(void *ctx)
{
	struct tr_ctx *c = ctx;
	if (fflush(c->out) != 0 || ferror(c->out) || c->status != CLI_OK) {
		if (c->status == CLI_OK)
			cli_error(CLI_FAIL, SUB, "cannot write the log: %s", strerror(errno));
		return CLI_FAIL;
	}
	return CLI_OK;
}

static int trace_exec(int argc, char **argv)
{
	struct tr_args a = {.strsize = 32, .duration = -1, .backend = SC_BACKEND_AUTO};
	int first = 0;
	int r = tr_parse(&a, argc, argv, &first);
	if (r || first < 0)
		return r;

	/* the log on stderr as strace's; JSON on stdout as every --json */
	FILE *out = a.json ? stdout : stderr;
	if (a.output && !(out = fopen(a.output, "we"))) /* not inherited by the program */
		return cli_error(CLI_FAIL, SUB,
				 "cannot write %s: %s; check the directory exists and "
				 "is writable",
				 a.output, strerror(errno));
	/*
	 * Lines are written whole drains at a time: the loop flushes after
	 * each drain, so a reader sees every call as soon as it was read, and
	 * a busy log makes one write(2) per 64 KiB rather than one per piece
	 * of a line (stderr is unbuffered by default).
	 */
	static char outbuf[1 << 16];
	setvbuf(out, outbuf, _IOFBF, sizeof(outbuf));

	struct tr_ctx c = {.out = out,
			   .json = a.json,
			   .summary = a.summary,
			   .only_ok = a.only_ok,
			   .only_fail = a.only_fail};
	c.dec = (struct sysdecode_opts){.strsize = (unsigned)a.strsize,
					.fd_paths = a.fd_paths,
					.fd_path = a.fd_paths ? tr_fd_path : NULL};
	if (a.summary && (!(c.sample = sc_sample_new()) || !(c.counts_zero = sc_sample_new()))) {
		if (a.output)
			fclose(out);
		return cli_error(CLI_FAIL, SUB, "out of memory");
	}
	if (!a.json && !a.summary) {
		struct trace_log_opts lo = {.dec = c.dec,
					    .ts = (enum trace_ts)a.ts,
					    .show_time = a.show_time,
					    .only_ok = a.only_ok,
					    .only_fail = a.only_fail,
					    /* as strace: "[pid N] " while several tasks live, on
					     * stderr; a file has a bare pid column, always with
					     * -f or several processes */
					    .pid_prefix_live = !a.output,
					    .pid_column = a.output && (a.follow || a.npids > 1)};
		c.log = trace_log_new(&lo, out);
		if (!c.log) {
			if (a.output)
				fclose(out);
			return cli_error(CLI_FAIL, SUB, "out of memory");
		}
	}

	/* Ctrl-C, SIGTERM, SIGHUP end the log cleanly (every task detached) */
	struct cli_endsig sig;
	bool sp_ok = cli_endsig_start(&sig);

	struct trace_opts to = {.pids = a.npids ? a.pids : NULL,
				.npids = a.npids,
				.argv = a.npids ? NULL : argv + first,
				.backend = a.backend,
				.follow = a.follow, /* as strace: without -f, one task each */
				.set = a.set_expr ? &a.set : NULL,
				.strsize = (unsigned)a.strsize,
				.fd_paths = a.fd_paths,
				.stacks = a.stacks,
				.inject = a.ninject ? a.inject : NULL,
				.ninject = a.ninject};
	/* -k: stacks come from ptrace stops; said in the header line when not asked for */
	const char *k_note = "";
	if (a.stacks && a.backend != SC_BACKEND_PTRACE) {
		k_note = a.backend == SC_BACKEND_KERNEL
			     ? " (not in-kernel: -k needs ptrace stops)"
			     : " (-k: stacks need ptrace stops)";
		to.backend = SC_BACKEND_PTRACE;
	}
	struct wt_err err;
	wt_err_clear(&err);
	struct trace_session *s = NULL;
	int status = CLI_OK, code = -1;
	if (!sp_ok || trace_open(&s, &to, &err) < 0) {
		status =
		    cli_error(CLI_FAIL, SUB, "%s",
			      !sp_ok ? "cannot create a pipe (too many open files?)" : err.msg);
		goto out;
	}
	if (c.log) { /* strace counts every task it attached before the first line */
		pid_t tasks[256];
		size_t nt = trace_tasks(s, tasks, WT_ARRAY_SIZE(tasks));
		for (size_t i = 0; i < nt; i++)
			trace_log_task(c.log, tasks[i]);
	}
	char bname[80];
	snprintf(bname, sizeof(bname), "%s", trace_backend_name(s));
	/* Tests and people wait for this line before the work they want logged. */
	fprintf(stderr, "whytop trace: %s%s, %s%s; Ctrl-C to stop\n", bname, k_note,
		tr_header(bname), a.stacks ? " and its stack is copied" : "");
	/* AUTO fell back to ptrace: say why the kernel could not (root, no BTF, a build without) */
	const char *why = trace_backend_note(s);
	if (why && !a.stacks)
		fprintf(stderr, "whytop trace: %s\n", why);

	if (c.counts_zero)
		c.counts_zero->t_ns = wt_now_ns();
	struct cli_trace_loop loop = {
	    .sub = SUB,
	    .s = s,
	    .sig = &sig,
	    .end_ns = a.duration >= 0 ? wt_now_ns() + (uint64_t)(a.duration * 1e9) : UINT64_MAX,
	    .cb = tr_record,
	    .ctx = &c,
	    .flush = tr_flush};
	status = cli_trace_loop(&loop);
	if (loop.ended && !a.npids)
		code = WIFEXITED(loop.wstatus) ? WEXITSTATUS(loop.wstatus) : 128 + WTERMSIG(loop.wstatus);
	trace_close(s);
	if (c.log)
		trace_log_flush(c.log);
	if (c.json)
		for (size_t i = c.ncalls; i-- > 0;) {
			struct trace_rec none = {
			    .kind = TRACE_SYSCALL, .pid = c.calls[i].pid, .tid = c.calls[i].tid};
			if (!(c.only_ok || c.only_fail))
				tr_json_call(&c, &none, &c.calls[i], "", false);
		}
	if (c.summary) {
		struct sc_counts *counts = sc_counts_new();
		if (!counts) {
			status = cli_error(CLI_FAIL, SUB, "out of memory");
			goto out;
		}
		char what[300];
		if (a.npids)
			snprintf(what, sizeof(what), "trace of %zu process%s%s", a.npids,
				 a.npids > 1 ? "es" : "", a.follow ? " and what they start" : "");
		else {
			char *safe = wt_escape(argv[first], strlen(argv[first]), 0);
			snprintf(what, sizeof(what), "trace of %s%s", safe ? safe : "?",
				 argc - first > 1 ? " ..." : "");
			free(safe);
		}
		c.sample->t_ns = wt_now_ns();
		sc_counts_update(counts, c.counts_zero);
		sc_counts_update(counts, c.sample);
		sc_counts_sort(counts, SC_SORT_TIME);
		struct sc_report_info ri = {
		    .cmd = "trace",
		    .what = what,
		    .backend = strncmp(bname, "in-kernel", 9) == 0 ? "kernel" : "ptrace",
		    .backend_name = bname,
		    .cost = tr_header(bname),
		    .pid = a.npids ? a.pids[0] : 0,
		    .exit_status = code,
		    .ended = code >= 0,
		};
		sc_report_text(out, counts, &ri);
		sc_counts_free(counts);
	}
out:
	if (fflush(out) != 0 && status == CLI_OK)
		status = cli_error(CLI_FAIL, SUB, "cannot write the log: %s", strerror(errno));
	if (a.output)
		fclose(out);
	trace_log_free(c.log);
	for (size_t i = 0; i < c.ncalls; i++)
		free(c.calls[i].text);
	free(c.calls);
	sc_sample_free(c.sample);
	sc_sample_free(c.counts_zero);
	cli_endsig_stop(&sig);
	/* a program's status becomes whytop's, as strace does */
	return status == CLI_OK && code >= 0 ? code : status;
}
