/*
 * cmd_locals.c: "whytop locals PID": the variables of one frame (parameters,
 * locals, statics, the CU's globals) with type, location and value, as text
 * or JSON. A thin front end on stack_walk (stack.h) and locals_read
 * (locals.h). The target is held only for the walk, never left stopped.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/cli.h>
#include <whytop/locals.h>
#include <whytop/stack.h>
#include <whytop/util.h>

static const char locals_usage[] =
    "usage: whytop locals PID [--thread TID] [--frame N | --function NAME] [--expand PATH]...\n"
    "                         [--no-globals] [--json]\n"
    "  Print the variables of one frame of a thread of PID: parameters, locals\n"
    "  visible at its pc, function statics and the globals of its source file,\n"
    "  each as PATH = VALUE, then type, scope and where it lives.\n"
    "  --thread TID     a thread of PID (default: the main thread)\n"
    "  --frame N        frame N of 'whytop stack' (default: the innermost frame\n"
    "                   that has debug info)\n"
    "  --function NAME  the innermost frame in function NAME\n"
    "  --expand PATH    also list the members of struct/union/array PATH (repeat)\n"
    "  --no-globals     leave out the globals\n"
    "  --json           one JSON object on stdout\n";

static void locals_print_text(const struct locals *l)
{
	printf("process %d, thread %d, frame %d: %s", (int)l->pid, (int)l->tid, l->frame,
	       l->function ? l->function : "??");
	if (l->file)
		printf(" at %s:%d", l->file, l->line);
	printf(" (pc 0x%" PRIx64 ")\n", l->pc);
	for (size_t i = 0; i < l->nvars; i++) {
		const struct locals_var *v = &l->vars[i];
		printf("%*s%s = ", 2 + 2 * v->depth, "", v->path);
		if (v->value)
			printf("%s", v->value);
		else
			printf("<%s>", locals_loc_name(v->loc));
		printf("\t%s; %s; %s", v->type, locals_scope_name(v->scope), v->where);
		if (!v->writable)
			printf("; read-only");
		if (v->shadowed)
			printf("; shadowed");
		if (v->note)
			printf("; %s", v->note);
		putchar('\n');
	}
}

static void locals_print_json(const struct locals *l)
{
	struct wt_buf b;
	wt_buf_init(&b);
	wt_buf_printf(&b, "{\"pid\":%d,\"tid\":%d,\"frame\":%d,\"pc\":\"0x%" PRIx64 "\"",
		      (int)l->pid, (int)l->tid, l->frame, l->pc);
	wt_json_field(&b, "function", l->function);
	wt_json_field(&b, "file", l->file);
	wt_buf_printf(&b, ",\"line\":%d,\"vars\":[", l->line);
	for (size_t i = 0; i < l->nvars; i++) {
		const struct locals_var *v = &l->vars[i];
		wt_buf_puts(&b, i ? ",{\"path\":" : "{\"path\":");
		wt_json_str(&b, v->path);
		wt_json_field(&b, "name", v->name);
		wt_json_field(&b, "type", v->type);
		wt_json_field(&b, "scope", locals_scope_name(v->scope));
		wt_json_field(&b, "location", locals_loc_name(v->loc));
		wt_json_field(&b, "where", v->where);
		wt_json_field(&b, "value", v->value);
		wt_json_field(&b, "note", v->note);
		wt_buf_printf(&b,
			      ",\"writable\":%s,\"expandable\":%s,\"shadowed\":%s,\"depth\":%d}",
			      v->writable ? "true" : "false", v->expandable ? "true" : "false",
			      v->shadowed ? "true" : "false", v->depth);
	}
	wt_buf_puts(&b, "]}\n");
	fputs(b.data, stdout);
	wt_buf_free(&b);
}

int cmd_locals(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"thread", required_argument, NULL, 't'},	{"frame", required_argument, NULL, 'f'},
	    {"function", required_argument, NULL, 'F'}, {"expand", required_argument, NULL, 'e'},
	    {"no-globals", no_argument, NULL, 'G'},	{"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},		{NULL, 0, NULL, 0},
	};
	const char *expand[64];
	struct locals_opts lo = {.expand = expand};
	struct cli_frame_sel sel = CLI_FRAME_SEL_INIT;
	bool json = false;
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "t:f:F:e:Gjh", longopts, NULL)) != -1) {
		if ((r = cli_frame_option("locals", c, optarg, &sel)) == 1)
			continue;
		if (r)
			return r;
		switch (c) {
		case 'e':
			if (lo.nexpand < WT_ARRAY_SIZE(expand))
				expand[lo.nexpand++] = optarg;
			break;
		case 'G':
			lo.no_globals = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(locals_usage, stdout);
			return CLI_OK;
		default:
			fputs(locals_usage, stderr);
			return CLI_USAGE;
		}
	}
	if (optind + 1 != argc) {
		fputs(locals_usage, stderr);
		return CLI_USAGE;
	}
	if ((r = cli_frame_check("locals", &sel)))
		return r;
	pid_t pid;
	if ((r = cli_parse_pid("locals", argv[optind], &pid)))
		return r;

	struct wt_err err = {0};
	struct debug_proc *dp = NULL;
	struct stack *st = NULL;
	struct locals_frame lf;
	struct locals *l = NULL;
	int status = CLI_FAIL;

	if (locals_open_frame(pid, (pid_t)sel.tid, (int)sel.frame, sel.function, NULL, &dp, &st, &lf, &err) < 0 ||
	    locals_read(debug_proc_dwfl(dp), &lf, &lo, &l, &err) < 0) {
		cli_error(CLI_FAIL, "locals", "%s", err.msg[0] ? err.msg : "failed");
		goto out;
	}
	if (json)
		locals_print_json(l);
	else
		locals_print_text(l);
	status = CLI_OK;
out:
	locals_free(l);
	if (st)
		stack_free(st);
	if (dp)
		debug_proc_close(dp);
	return status;
}
