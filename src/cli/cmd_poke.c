/*
 * cmd_poke.c: "whytop poke PID NAME=VALUE": change one variable of a live
 * frame, print the old and the new (read back) value, then watch the thread
 * for a moment and say whether it left the frame. A thin front end on
 * stack_walk (stack.h), poke_write and poke_watch (locals.h). Every refusal
 * is a sentence from the core; the target is never left stopped.
 */
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/cli.h>
#include <whytop/locals.h>
#include <whytop/stack.h>
#include <whytop/util.h>

static const char poke_usage[] =
    "usage: whytop poke PID [--thread TID] [--frame N | --function NAME] [--watch MS]\n"
    "                       [--json] NAME=VALUE\n"
    "  Write VALUE into variable NAME of a frame of PID, read it back and print\n"
    "  old and new value. NAME may be a path: cfg.limit, arr[3], p->next.\n"
    "  VALUE is checked against the type: integers (decimal, 0x, 0b, 0 octal),\n"
    "  'c' for char, true/false, an enum's name, a float, 0x... or NULL; no\n"
    "  space around it and no leading '+'.\n"
    "  --thread TID     a thread of PID (default: the main thread)\n"
    "  --frame N        frame N of 'whytop stack' (default: the innermost frame\n"
    "                   with debug info where NAME is visible)\n"
    "  --function NAME  the innermost frame in function NAME\n"
    "  --watch MS       afterwards, watch the thread this long (default 500, 0: no)\n"
    "  --json           one JSON object on stdout\n";

int cmd_poke(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"thread", required_argument, NULL, 't'},
	    {"frame", required_argument, NULL, 'f'},
	    {"function", required_argument, NULL, 'F'},
	    {"watch", required_argument, NULL, 'w'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_frame_sel sel = CLI_FRAME_SEL_INIT;
	bool json = false;
	long watch_ms = 500;
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "t:f:F:w:jh", longopts, NULL)) != -1) {
		if ((r = cli_frame_option("poke", c, optarg, &sel)) == 1)
			continue;
		if (r)
			return r;
		switch (c) {
		case 'w':
			if (cli_parse_long("poke", "--watch", "milliseconds", optarg, 0, 60000,
					   &watch_ms))
				return CLI_USAGE;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(poke_usage, stdout);
			return CLI_OK;
		default:
			fputs(poke_usage, stderr);
			return CLI_USAGE;
		}
	}
	if (optind + 2 != argc) {
		fputs(poke_usage, stderr);
		return CLI_USAGE;
	}
	if ((r = cli_frame_check("poke", &sel)))
		return r;
	pid_t pid;
	if ((r = cli_parse_pid("poke", argv[optind], &pid)))
		return r;
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
	if (watch_ms > 0) {
		struct wt_err werr = {0};
		watched = poke_watch(dp, &lf, (unsigned)watch_ms, &outcome, &werr) == 0;
	}
	if (json) {
		struct wt_buf b;
		wt_buf_init(&b);
		wt_buf_printf(&b, "{\"pid\":%d,\"tid\":%d,\"frame\":%d", (int)lf.pid, (int)lf.tid,
			      lf.index);
		wt_json_field(&b, "function", fname);
		wt_json_field(&b, "path", res.path);
		wt_json_field(&b, "type", res.type);
		wt_json_field(&b, "where", res.where);
		wt_json_field(&b, "old", res.old_value);
		wt_json_field(&b, "new", res.new_value);
		wt_json_field(&b, "note", res.note);
		wt_buf_printf(&b, ",\"took\":%s", res.took ? "true" : "false");
		wt_json_field(&b, "after", watched ? poke_outcome_text(outcome) : NULL);
		wt_buf_puts(&b, "}\n");
		fputs(b.data, stdout);
		wt_buf_free(&b);
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
		}
	}
	status = res.took ? CLI_OK : CLI_FAIL;
out:
	poke_result_free(&res);
	free(assign);
	if (st)
		stack_free(st);
	if (dp)
		debug_proc_close(dp);
	return status;
}
