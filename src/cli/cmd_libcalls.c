/*
 * cmd_libcalls.c: 'whytop libcalls PID' -- calls into shared libraries,
 * counted in the kernel by uprobes (whytop/libcalls.h), printed as a table
 * like `ltrace -c`: calls, calls/s, share, function, library; by calls.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/json.h"
#include <whytop/cli.h>
#include <whytop/libcalls.h>
#include <whytop/proc.h>

#define SUB "libcalls"
#define LC_MAX_GLOBS 64

enum { LC_JSON = CLI_LONG_ONLY, LC_DURATION, LC_LIB };

static const struct cli_opt libcalls_opts[] = {
    {.name = "lib",
     .key = LC_LIB,
     .arg = "NAME",
     .help = "every function library NAME exports (libc, libc.so.6, m);\n"
	     "default: the functions the program's executable imports"},
    {.name = "expr",
     .key = 'e',
     .arg = "GLOB",
     .help = "only functions whose name matches GLOB (str*, get?id);\n"
	     "repeat or separate with commas for several"},
    {.name = "duration",
     .key = LC_DURATION,
     .arg = "S",
     .help = "count for S seconds (default: until Ctrl-C)"},
    {.name = "json", .key = LC_JSON, .help = "one JSON object on stdout"},
    {NULL},
};

static int libcalls_exec(int argc, char **argv);

const struct cli_cmd cli_cmd_libcalls = {
    .name = "libcalls",
    .args = "PID",
    .summary = "count a process's calls into its shared libraries, live (like ltrace -c)",
    .about = "Count the calls process PID makes to library functions, from uprobes in\n"
	     "the kernel (eBPF): the process never stops and is never ptraced. Prints\n"
	     "calls, calls per second, share, function and library, most called first.",
    .opts = libcalls_opts,
    .exec = libcalls_exec,
};

static const struct lc_func *lc_sorted_funcs;

static int libcalls_cmp(const void *a, const void *b)
{
	const struct lc_func *x = &lc_sorted_funcs[*(const size_t *)a];
	const struct lc_func *y = &lc_sorted_funcs[*(const size_t *)b];
	if (x->calls != y->calls)
		return x->calls > y->calls ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void libcalls_print_text(const struct lc_session *s, pid_t pid, const size_t *order,
				size_t n, double secs, uint64_t total)
{
	const struct lc_func *f = lc_funcs(s, &n);
	printf("library calls of pid %d over %.1f s (%s)\n", (int)pid, secs, lc_backend(s));
	printf("%12s %10s %6s  %-28s %s\n", "calls", "calls/s", "share", "function", "library");
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		const struct lc_func *x = &f[order[i]];
		if (!x->calls)
			continue;
		char *name = wt_escape(x->name, strlen(x->name), 1);
		char *lib = wt_escape(x->lib, strlen(x->lib), 1);
		const char *base = lib ? strrchr(lib, '/') : NULL;
		printf("%12llu %10.1f %5.1f%%  %-28s %s\n", (unsigned long long)x->calls,
		       secs > 0 ? (double)x->calls / secs : 0.0,
		       total ? 100.0 * (double)x->calls / (double)total : 0.0, name ? name : "?",
		       base ? base + 1 : (lib ? lib : "?"));
		free(name);
		free(lib);
		shown++;
	}
	printf("%12llu %10.1f %6s  total (%zu of %zu functions called)\n",
	       (unsigned long long)total, secs > 0 ? (double)total / secs : 0.0, "100%", shown, n);
	if (lc_skipped_ifuncs(s))
		printf("note: %zu IFUNC function%s (strlen, memcpy...: the implementation is "
		       "chosen at load time) not counted\n",
		       lc_skipped_ifuncs(s), lc_skipped_ifuncs(s) == 1 ? "" : "s");
	if (lc_refused(s)) {
		printf("note: %zu function%s the kernel would not put a uprobe on (its first "
		       "instruction), not counted:",
		       lc_refused(s), lc_refused(s) == 1 ? "" : "s");
		for (size_t i = 0, k = 0; i < n && k < 8; i++) {
			if (!f[i].refused)
				continue;
			char *name = wt_escape(f[i].name, strlen(f[i].name), 1);
			printf(" %s", name ? name : "?");
			free(name);
			k++;
		}
		printf("%s\n", lc_refused(s) > 8 ? " ..." : "");
	}
	printf("cost: %s\n", lc_cost(s));
}

static int libcalls_print_json(const struct lc_session *s, pid_t pid, const size_t *order, size_t n,
			       double secs, uint64_t total)
{
	const struct lc_func *f = lc_funcs(s, &n);
	struct json j;
	json_init(&j);
	json_object_begin(&j);
	json_field_int(&j, "pid", pid);
	json_field_double(&j, "seconds", secs, 3);
	json_field_string(&j, "backend", lc_backend(s));
	json_field_uint(&j, "total", total);
	json_field_uint(&j, "probed", n);
	json_field_uint(&j, "ifuncs_skipped", lc_skipped_ifuncs(s));
	json_key(&j, "refused");
	json_array_begin(&j);
	for (size_t i = 0; i < n; i++)
		if (f[i].refused)
			json_string(&j, f[i].name);
	json_array_end(&j);
	json_field_string(&j, "cost", lc_cost(s));
	json_key(&j, "functions");
	json_array_begin(&j);
	for (size_t i = 0; i < n; i++) {
		const struct lc_func *x = &f[order[i]];
		if (!x->calls)
			continue;
		json_newline(&j);
		json_object_begin(&j);
		json_field_string(&j, "function", x->name);
		json_field_string(&j, "library", x->lib);
		json_field_hex(&j, "offset", x->offset);
		json_field_uint(&j, "calls", x->calls);
		json_field_double(&j, "per_second", secs > 0 ? (double)x->calls / secs : 0.0, 1);
		json_field_double(&j, "share", total ? (double)x->calls / (double)total : 0.0, 4);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	return cli_json_print(SUB, &j, stdout);
}

static int libcalls_exec(int argc, char **argv)
{
	struct cli_parse p;
	bool json = false;
	double duration = -1;
	struct lc_opts o = {0};
	const char *globs[LC_MAX_GLOBS];
	char *globbuf[LC_MAX_GLOBS];
	size_t nbufs = 0;
	int c, status = CLI_OK;
	cli_parse_init(&p, &cli_cmd_libcalls, argc, argv);
	while ((c = cli_getopt(&p)) != CLI_END) {
		switch (c) {
		case CLI_STOP:
			status = p.status;
			goto out;
		case LC_JSON:
			json = true;
			break;
		case LC_LIB:
			o.lib = p.arg;
			break;
		case LC_DURATION:
			if (cli_parse_seconds(SUB, p.opt, p.arg, 366.0 * 86400, &duration)) {
				status = CLI_USAGE;
				goto out;
			}
			break;
		case 'e': {
			char *copy = strdup(p.arg), *save = NULL;
			if (!copy || nbufs == LC_MAX_GLOBS) {
				free(copy);
				status = cli_error(CLI_USAGE, SUB, "at most %d -e patterns",
						   LC_MAX_GLOBS);
				goto out;
			}
			globbuf[nbufs++] = copy;
			for (char *g = strtok_r(copy, ",", &save); g;
			     g = strtok_r(NULL, ",", &save)) {
				if (o.nglobs == LC_MAX_GLOBS) {
					status = cli_error(CLI_USAGE, SUB, "at most %d -e patterns",
							   LC_MAX_GLOBS);
					goto out;
				}
				globs[o.nglobs++] = g;
			}
			break;
		}
		}
	}
	o.globs = globs;
	if (optind >= argc) {
		status = cli_error(CLI_USAGE, SUB,
				   "which process? give its PID (see 'whytop %s --help')", SUB);
		goto out;
	}
	if (optind + 1 < argc) {
		status = cli_extra_arg(&cli_cmd_libcalls, argv[optind + 1]);
		goto out;
	}
	pid_t pid;
	if ((status = cli_parse_pid(SUB, argv[optind], &pid)))
		goto out;

	/* Ctrl-C, SIGTERM, SIGHUP end the count early but still print it. */
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &old);
	struct wt_err err;
	struct lc_session *s;
	if (lc_open(pid, &o, &s, &err)) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		status = cli_error(CLI_FAIL, SUB, "%s", err.msg);
		goto out;
	}
	size_t n;
	lc_funcs(s, &n);
	/* Tests and people wait for this line before the work they want counted. */
	fprintf(stderr,
		"whytop libcalls: counting %zu function%s of pid %d with %s; Ctrl-C to stop\n", n,
		n == 1 ? "" : "s", (int)pid, lc_backend(s));
	uint64_t start = wt_now_ns();
	uint64_t end = duration >= 0 ? start + (uint64_t)(duration * 1e9) : UINT64_MAX;
	for (;;) {
		uint64_t now = wt_now_ns();
		if (now >= end)
			break;
		char state;
		/* the process ended (gone, or a zombie): print what it did */
		if (proc_task_stat_read(pid, pid, &state, NULL) < 0 || state == 'Z' || state == 'X')
			break;
		uint64_t step = end - now < 100000000ull ? end - now : 100000000ull;
		struct timespec ts = {(time_t)(step / 1000000000ull), (long)(step % 1000000000ull)};
		if (sigtimedwait(&set, NULL, &ts) > 0)
			break;
	}
	double secs = (double)(wt_now_ns() - start) / 1e9;
	int r = lc_read(s, &err);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (r) {
		lc_close(s);
		status = cli_error(CLI_FAIL, SUB, "%s", err.msg);
		goto out;
	}
	const struct lc_func *f = lc_funcs(s, &n);
	size_t *order = calloc(n ? n : 1, sizeof(*order));
	if (!order) {
		lc_close(s);
		status = cli_error(CLI_FAIL, SUB, "out of memory");
		goto out;
	}
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++) {
		order[i] = i;
		total += f[i].calls;
	}
	lc_sorted_funcs = f;
	qsort(order, n, sizeof(*order), libcalls_cmp);
	if (json)
		status = libcalls_print_json(s, pid, order, n, secs, total);
	else
		libcalls_print_text(s, pid, order, n, secs, total);
	free(order);
	lc_close(s);
out:
	for (size_t i = 0; i < nbufs; i++)
		free(globbuf[i]);
	return status;
}
