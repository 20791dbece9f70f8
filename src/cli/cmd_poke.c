/*
 * cmd_poke.c: "whytop poke PID NAME=VALUE": change one variable of a live
 * frame, print the old and the new (read back) value, then watch the thread
 * for a moment and say whether it left the frame. A thin front end on
 * stack_walk (stack.h), poke_write and poke_watch (locals.h). Every refusal
 * is a sentence from the core; the target is never left stopped.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/cli.h>
#include <whytop/locals.h>
#include <whytop/stack.h>
#include <whytop/util.h>

#include "cli/json.h"

static const struct cli_opt poke_opts[] = {
    CLI_OPT_THREAD,
    {.name = "frame",
     .key = 'f',
     .arg = "N",
     .help = "frame N of 'whytop stack' (default: the innermost frame\n"
	     "with debug info where NAME is visible)"},
    CLI_OPT_FUNCTION,
    {.name = "watch",
     .key = 'w',
     .arg = "MS",
     .help = "afterwards, watch the thread this long (0 to 60000,\ndefault 500, 0: no)"},
    {.name = "json", .key = 'j', .help = "one JSON object on stdout"},
    {NULL},
};

static int poke_exec(int argc, char **argv);

const struct cli_cmd cli_cmd_poke = {
    .name = "poke",
    .args = "PID NAME=VALUE",
    .summary = "change a variable of a live frame (rescue a stuck loop); prints old and new",
    .about = "Write VALUE into variable NAME of a frame of PID, read it back and print\n"
	     "old and new value. NAME may be a path: cfg.limit, arr[3], p->next.\n"
	     "VALUE is checked against the type: integers (decimal, 0x, 0b, 0 octal),\n"
	     "'c' for char, true/false, an enum's name, a float, 0x... or NULL; no\n"
	     "space around it and no leading '+'.",
    .opts = poke_opts,
    .exec = poke_exec,
};

static int poke_exec(int argc, char **argv)
{
	struct cli_parse p;
	struct cli_frame_sel sel = CLI_FRAME_SEL_INIT;
	bool json = false;
	long watch_ms = 500;
	int c, r, json_status = CLI_OK;

	cli_parse_init(&p, &cli_cmd_poke, argc, argv);
	while ((c = cli_getopt(&p)) != CLI_END) {
		if (c == CLI_STOP)
			return p.status;
		if ((r = cli_frame_option("poke", c, p.arg, &sel)) == 1)
			continue;
		if (r)
			return r;
		switch (c) {
		case 'w':
			if (cli_parse_long("poke", p.opt, "milliseconds", p.arg, 0, 60000,
					   &watch_ms))
				return CLI_USAGE;
			break;
		case 'j':
			json = true;
			break;
		}
	}
	if (optind + 2 < argc)
		return cli_extra_arg(&cli_cmd_poke, argv[optind + 2]);
	if ((r = cli_frame_check("poke", &sel)))
		return r;
	pid_t pid;
	if ((r = cli_parse_pid("poke", optind < argc ? argv[optind] : NULL, &pid)))
		return r;
	if (optind + 1 >= argc)
		return cli_error(CLI_USAGE, "poke",
				 "expected NAME=VALUE after the PID, such as "
				 "flag=0 (see 'whytop poke --help')");
	char *assign = strdup(argv[optind + 1]);
	char *eq = assign ? strchr(assign, '=') : NULL;
	if (!eq || eq == assign) {
		free(assign);
		return cli_error(CLI_USAGE, "poke", "expected NAME=VALUE, such as flag=0");
	}
	*eq = '\0';
	const char *name = assign, *text = eq + 1;

	struct wt_err err = {0};
	struct debug_proc *dp = NULL;
	struct stack *st = NULL;
	struct locals_frame lf;
	struct poke_result res = {0};
	enum poke_outcome outcome = POKE_STILL_IN_FRAME;
	bool watched = false;
	char fname[256] = "??";
	int status = CLI_FAIL;

	if (locals_open_frame(pid, (pid_t)sel.tid, (int)sel.frame, sel.function, name, &dp, &st, &lf, &err) < 0) {
		cli_error(CLI_FAIL, "poke", "%s", err.msg[0] ? err.msg : "failed");
		goto out;
	}
	for (size_t i = 0; i < st->nthreads; i++)
		if (st->threads[i].tid == lf.tid && st->threads[i].frames[lf.index].function)
			snprintf(fname, sizeof(fname), "%s",
				 st->threads[i].frames[lf.index].function);
	if (poke_write(dp, &lf, name, text, &res, &err) < 0) {
		cli_error(CLI_FAIL, "poke", "%s", err.msg);
		goto out;
	}
	struct wt_err werr = {0};
	if (watch_ms > 0)
		watched = poke_watch(dp, &lf, (unsigned)watch_ms, &outcome, &werr) == 0;
	if (json) {
		struct json j;
		json_init(&j);
		json_object_begin(&j);
		json_field_int(&j, "pid", lf.pid);
		json_field_int(&j, "tid", lf.tid);
		json_field_int(&j, "frame", lf.index);
		json_field_string(&j, "function", fname);
		json_field_string(&j, "path", res.path);
		json_field_string(&j, "type", res.type);
		json_field_string(&j, "where", res.where);
		json_field_string(&j, "old", res.old_value);
		json_field_string(&j, "new", res.new_value);
		json_field_string(&j, "note", res.note);
		json_field_bool(&j, "took", res.took);
		json_field_string(&j, "after", watched ? poke_outcome_text(outcome) : NULL);
		json_field_string(&j, "watch_error", !watched && watch_ms > 0 ? werr.msg : NULL);
		json_object_end(&j);
		json_status = cli_json_print("poke", &j, stdout);
	} else {
		printf("%s: %s -> %s (%s, %s; frame %d %s, thread %d)\n", res.path, res.old_value,
		       res.new_value, res.type, res.where, lf.index, fname, (int)lf.tid);
		if (!res.took)
			printf("warning: read back %s, which is not what was written\n",
			       res.new_value);
		if (res.note)
			printf("note: %s\n", res.note);
		if (watched) {
			if (outcome == POKE_THREAD_GONE)
				printf("after: %s exited\n",
				       kill(lf.pid, 0) == 0 && lf.tid != lf.pid ? "the thread"
										: "the process");
			else if (outcome == POKE_STOPPED)
				printf("after: the process is stopped (T) and stays so; it acts on "
				       "the "
				       "new value when continued (kill -CONT %d)\n",
				       (int)lf.pid);
			else if (outcome == POKE_LEFT_FRAME)
				printf("after: thread %d left %s (frame %d)\n", (int)lf.tid, fname,
				       lf.index);
			else
				printf(
				    "after: thread %d is still in %s after %ld ms (if this was to "
				    "end a loop: the code may not re-read %s, keeping a copy in a "
				    "register, or its test is not ended by the new value)\n",
				    (int)lf.tid, fname, watch_ms, res.path);
		} else if (watch_ms > 0) {
			printf("after: thread %d could not be watched: %s\n", (int)lf.tid, werr.msg);
		}
	}
	status = res.took ? json_status : CLI_FAIL;
out:
	poke_result_free(&res);
	free(assign);
	if (st)
		stack_free(st);
	if (dp)
		debug_proc_close(dp);
	return status;
}
