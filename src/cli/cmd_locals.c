/*
 * cmd_locals.c: "whytop locals PID": the variables of one frame (parameters,
 * locals, statics, the CU's globals) with type, location and value, as text
 * or JSON. A thin front end on stack_walk (stack.h) and locals_read
 * (locals.h), printed by locals_print.h (shared with report). The target
 * is held only for the walk, never left stopped.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/cli.h>
#include <whytop/locals.h>
#include <whytop/stack.h>
#include <whytop/util.h>

#include "cli/json.h"
#include "cli/locals_print.h"

static const struct cli_opt locals_opts[] = {
    CLI_OPT_THREAD,
    {.name = "frame",
     .key = 'f',
     .arg = "N",
     .help = "frame N of 'whytop stack' (default: the innermost frame\nthat has debug info)"},
    CLI_OPT_FUNCTION,
    {.name = "expand",
     .key = 'e',
     .arg = "PATH",
     .help = "also list the members of struct/union/array PATH, or of\n"
	     "the struct a pointer PATH points to (repeat); a deep\n"
	     "PATH (p->in.b) expands what leads to it; one that\n"
	     "cannot be followed is an error saying why"},
    {.name = "no-globals", .key = 'G', .help = "leave out the globals"},
    {.name = "json", .key = 'j', .help = "one JSON object on stdout"},
    {NULL},
};

static int locals_exec(int argc, char **argv);

const struct cli_cmd cli_cmd_locals = {
    .name = "locals",
    .args = "PID",
    .summary = "a frame's parameters, locals and globals with type, location and value",
    .about = "Print the variables of one frame of a thread of PID: parameters, locals\n"
	     "visible at its pc, function statics and the globals of its source file,\n"
	     "each as PATH = VALUE, then type, scope and where it lives.",
    .opts = locals_opts,
    .exec = locals_exec,
};

#define LOCALS_MAX_EXPAND 64
/* Listing what exists after "no such variable/member" only when it is short. */
#define LOCALS_LIST_MAX 16

/*
 * Add path and every path above it (c->arr[2] needs c and c->arr expanded
 * to be reached) to the expand list, once each.
 */
static int locals_add_expand(char **list, size_t *n, size_t max, const char *path)
{
	size_t len = strlen(path);
	for (size_t i = 1; i <= len; i++) {
		bool cut = i == len || path[i] == '.' || path[i] == '[' ||
			   (path[i] == '-' && path[i + 1] == '>');
		if (!cut)
			continue;
		bool have = false;
		for (size_t k = 0; k < *n && !have; k++)
			have = strlen(list[k]) == i && strncmp(list[k], path, i) == 0;
		if (have)
			continue;
		if (*n == max || !(list[*n] = strndup(path, i)))
			return -1;
		(*n)++;
	}
	return 0;
}

/* The row of l for path, or NULL. */
static const struct locals_var *locals_row(const struct locals *l, const char *path, size_t len)
{
	for (size_t i = 0; i < l->nvars; i++)
		if (strlen(l->vars[i].path) == len && strncmp(l->vars[i].path, path, len) == 0)
			return &l->vars[i];
	return NULL;
}

/*
 * After "no such variable" or "no member": what there is instead, when the
 * list is short: the variables of the frame, or the members of the deepest
 * expanded row above path.
 */
static void locals_what_exists(const struct locals *l, const char *path, char *out, size_t size)
{
	const struct locals_var *parent = NULL;
	size_t len = strlen(path), n = 0;
	struct wt_buf b;
	for (size_t i = 1; i < len; i++)
		if (path[i] == '.' || path[i] == '[' || (path[i] == '-' && path[i + 1] == '>')) {
			const struct locals_var *v = locals_row(l, path, i);
			if (v && v->expanded)
				parent = v;
		}
	int depth = parent ? parent->depth + 1 : 0;
	size_t from = parent ? (size_t)(parent - l->vars) + 1 : 0;
	wt_buf_init(&b);
	wt_buf_printf(&b, "; %s has:", parent ? parent->path : "the frame");
	for (size_t i = from; i < l->nvars; i++) {
		const struct locals_var *v = &l->vars[i];
		if (parent && v->depth < depth)
			break;
		if (v->depth != depth)
			continue;
		wt_buf_printf(&b, "%s %s", n++ ? "," : "", v->name);
	}
	out[0] = '\0';
	/* (names and paths come from the core escaped) */
	if (n > 0 && n <= LOCALS_LIST_MAX && b.data && b.len < size)
		snprintf(out, size, "%s", b.data);
	wt_buf_free(&b);
}

/*
 * Every --expand PATH must have been followed: if not, say why (the core
 * resolves the path again for the reason) and return CLI_USAGE.
 */
static int locals_check_expand(struct debug_proc *dp, const struct locals_frame *lf,
			       const struct locals *l, char **want, size_t nwant)
{
	for (size_t i = 0; i < nwant; i++) {
		const struct locals_var *v = locals_row(l, want[i], strlen(want[i]));
		struct wt_err err = {0};
		char more[900], esc[300];
		if (v && v->expanded)
			continue;
		wt_escape_to(esc, sizeof(esc), want[i], strlen(want[i]), 0);
		if (locals_expand_check(dp, lf, want[i], &err) == 0)
			return cli_error(CLI_USAGE, "locals",
					 "--expand '%s': it is not among the rows shown (past the "
					 "first 256 members or elements, or a global left out by "
					 "--no-globals)",
					 esc);
		more[0] = '\0';
		if (err.code == ENOENT)
			locals_what_exists(l, want[i], more, sizeof(more));
		return cli_error(CLI_USAGE, "locals", "--expand: %s%s", err.msg, more);
	}
	return 0;
}

static int locals_print_json(const struct locals *l)
{
	struct json j;
	json_init(&j);
	locals_json(&j, l);
	return cli_json_print("locals", &j, stdout);
}

static int locals_exec(int argc, char **argv)
{
	struct cli_parse p;
	char *expand[LOCALS_MAX_EXPAND * 4], *want[LOCALS_MAX_EXPAND];
	size_t nwant = 0, nexpand = 0;
	struct locals_opts lo = {.expand = (const char *const *)expand};
	struct cli_frame_sel sel = CLI_FRAME_SEL_INIT;
	bool json = false;
	int c, r;

	cli_parse_init(&p, &cli_cmd_locals, argc, argv);
	while ((c = cli_getopt(&p)) != CLI_END) {
		if (c == CLI_STOP)
			return p.status;
		if ((r = cli_frame_option("locals", c, p.arg, &sel)) == 1)
			continue;
		if (r)
			return r;
		switch (c) {
		case 'e':
			if (nwant == WT_ARRAY_SIZE(want))
				return cli_error(CLI_USAGE, "locals", "at most %d --expand paths",
						 LOCALS_MAX_EXPAND);
			want[nwant++] = (char *)p.arg;
			break;
		case 'G':
			lo.no_globals = true;
			break;
		case 'j':
			json = true;
			break;
		}
	}
	if (optind + 1 < argc)
		return cli_extra_arg(&cli_cmd_locals, argv[optind + 1]);
	if ((r = cli_frame_check("locals", &sel)))
		return r;
	for (size_t i = 0; i < nwant; i++) {
		if (!want[i][0])
			return cli_error(CLI_USAGE, "locals", "--expand wants a path such as cfg, "
					 "cfg.in, arr[2] or p->next");
		if (locals_add_expand(expand, &nexpand, WT_ARRAY_SIZE(expand), want[i]) < 0) {
			for (size_t k = 0; k < nexpand; k++)
				free(expand[k]);
			return cli_error(CLI_USAGE, "locals", "too many --expand paths");
		}
	}
	lo.nexpand = nexpand;
	pid_t pid;
	if ((r = cli_parse_pid("locals", optind < argc ? argv[optind] : NULL, &pid)))
		return r;

	struct wt_err err = {0};
	struct debug_proc *dp = NULL;
	struct stack *st = NULL;
	struct locals_frame lf;
	struct locals *l = NULL;
	int status = CLI_FAIL;

	if (locals_open_frame(pid, (pid_t)sel.tid, (int)sel.frame, sel.function, NULL, &dp, &st, &lf, &err) < 0 ||
	    locals_read(dp, &lf, &lo, &l, &err) < 0) {
		cli_error(CLI_FAIL, "locals", "%s", err.msg[0] ? err.msg : "failed");
		goto out;
	}
	if ((r = locals_check_expand(dp, &lf, l, want, nwant))) {
		status = r;
		goto out;
	}
	status = CLI_OK;
	if (json)
		status = locals_print_json(l);
	else
		locals_print_text(stdout, l, "");
out:
	for (size_t k = 0; k < nexpand; k++)
		free(expand[k]);
	locals_free(l);
	if (st)
		stack_free(st);
	if (dp)
		debug_proc_close(dp);
	return status;
}
