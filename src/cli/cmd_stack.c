/*
 * cmd_stack.c: "whytop stack PID": the user stack of every thread, once,
 * as text or JSON. A thin front end on stack_walk (stack.h), printed by
 * stack_print.h (shared with report). --repeat N
 * walks N times with the same debug_proc and reports cold and warm times
 * on stderr (the benchmark uses it).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/cli.h>
#include <whytop/stack.h>
#include <whytop/util.h>

#include "cli/json.h"
#include "cli/stack_print.h"

static void stack_help_more(FILE *f)
{
	fputs("\nCompressed debug files (libc6-dbg's) are read through uncompressed copies\n"
	      "kept in ~/.cache/whytop/debug, with the names already given to frames;\n"
	      "WHYTOP_DEBUG_CACHE=0 turns both off.\n"
	      "The DWARF of a file whose compressed sections would inflate beyond a limit\n"
	      "(64x its size, 1 GiB, a quarter of free memory) is skipped with a note;\n"
	      "WHYTOP_DEBUG_INFLATE_MAX=BYTES sets that limit.\n",
	      f);
}

static const struct cli_opt stack_opts[] = {
    {.name = "thread", .key = 't', .arg = "TID", .help = "only thread TID of PID"},
    {.name = "json", .key = 'j', .help = "one JSON object on stdout"},
    {.name = "source",
     .key = 's',
     .help = "show the source line of each frame when the file exists"},
    {.name = "consistent",
     .key = 'c',
     .help = "hold every thread until all are copied (one instant\nfor the whole "
	     "process); by default each is let go\nonce copied"},
    {.name = "repeat",
     .key = 'r',
     .arg = "N",
     .help = "walk N times (keeping debug info loaded) and print\ntimings on stderr; "
	     "the last walk is printed"},
    {.name = "save",
     .key = 'S',
     .arg = "FILE",
     .help = "also write what the walk copied (registers, stacks,\nmaps, build-ids) "
	     "to FILE, for --load"},
    {.name = "load",
     .key = 'L',
     .arg = "FILE",
     .help = "walk a snapshot saved with --save, without any\nprocess (no PID, no "
	     "ptrace, no root)"},
    {.name = "modules",
     .key = 'M',
     .arg = "DIR",
     .help = "with --load: look for each module's file by its name\nin DIR when it is "
	     "not at its recorded path"},
    {NULL},
};

static int stack_exec(int argc, char **argv);

const struct cli_cmd cli_cmd_stack = {
    .name = "stack",
    .args = "PID | --load FILE",
    .summary = "user stacks of every thread: function, file:line, inline frames",
    .about = "Print the user stack of every thread of PID (or only TID): module,\n"
	     "function+offset, file:line, [inline] and [fallback] marks.\n"
	     "With --load, the stacks of a snapshot saved by --save: module files\n"
	     "are taken only when their build-id is the one the process had mapped.",
    .opts = stack_opts,
    .help_more = stack_help_more,
    .exec = stack_exec,
};

static int stack_print_json(const struct stack *st, bool source)
{
	struct json j;
	json_init(&j);
	stack_json(&j, st, source);
	return cli_json_print("stack", &j, stdout);
}

static int stack_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* --load FILE: no PID, no process; the options of a live walk do not apply. */
static int stack_exec_load(int argc, char **argv, const char *load, const char *modules, pid_t tid,
			   bool json, bool source, bool live_only)
{
	if (optind < argc)
		return cli_extra_arg(&cli_cmd_stack, argv[optind]);
	if (live_only)
		return cli_error(CLI_USAGE, "stack",
				 "--save, --consistent and --repeat walk a live process; with "
				 "--load FILE leave them out");
	struct wt_err err = {0};
	struct stack_opts opts = {.only_tid = tid};
	struct stack *st;
	if (stack_load(load, modules, &opts, &st, &err) < 0)
		return cli_error(CLI_FAIL, "stack", "%s", err.msg);
	if (json)
		stack_print_json(st, source);
	else
		stack_print_text(stdout, st, source);
	stack_free(st);
	return CLI_OK;
}

static int stack_exec(int argc, char **argv)
{
	struct cli_parse p;
	bool json = false, source = false, consistent = false;
	long tid = 0, repeat = 1;
	const char *save = NULL, *load = NULL, *modules = NULL;
	int c;
	cli_parse_init(&p, &cli_cmd_stack, argc, argv);
	while ((c = cli_getopt(&p)) != CLI_END) {
		switch (c) {
		case CLI_STOP:
			return p.status;
		case 't':
			if (cli_parse_long("stack", p.opt, "a thread id", p.arg, 1, 0x7fffffff,
					   &tid))
				return CLI_USAGE;
			break;
		case 'j':
			json = true;
			break;
		case 's':
			source = true;
			break;
		case 'c':
			consistent = true;
			break;
		case 'r':
			if (cli_parse_long("stack", p.opt, "a number of walks", p.arg, 1, 100000,
					   &repeat))
				return CLI_USAGE;
			break;
		case 'S':
			save = p.arg;
			break;
		case 'L':
			load = p.arg;
			break;
		case 'M':
			modules = p.arg;
			break;
		}
	}
	if (load)
		return stack_exec_load(argc, argv, load, modules, (pid_t)tid, json, source,
				       save || consistent || repeat > 1);
	if (modules)
		return cli_error(CLI_USAGE, "stack",
				 "--modules DIR goes with --load FILE (where a saved snapshot's "
				 "module files are looked for)");
	if (optind + 1 < argc)
		return cli_extra_arg(&cli_cmd_stack, argv[optind + 1]);
	pid_t pid;
	int r = cli_parse_pid("stack", optind < argc ? argv[optind] : NULL, &pid);
	if (r)
		return r;

	struct wt_err err = {0};
	uint64_t t0 = wt_now_ns();
	struct debug_proc *dp;
	if (debug_proc_open(pid, &dp, &err) < 0)
		return cli_error(CLI_FAIL, "stack", "%s", err.msg);
	uint64_t open_ns = wt_now_ns() - t0;
	struct stack_opts opts = {.only_tid = (pid_t)tid, .consistent = consistent, .save = save};
	struct stack *st = NULL;
	uint64_t *walks = calloc((size_t)repeat, sizeof(*walks));
	uint64_t *pauses = calloc((size_t)repeat, sizeof(*pauses));
	uint64_t *holds = calloc((size_t)repeat, sizeof(*holds));
	if (!walks || !pauses || !holds) {
		free(walks);
		free(pauses);
		free(holds);
		debug_proc_close(dp);
		return cli_error(CLI_FAIL, "stack", "out of memory");
	}
	for (long i = 0; i < repeat; i++) {
		stack_free(st);
		st = NULL;
		if (stack_walk(dp, &opts, &st, &err) < 0) {
			free(walks);
			free(pauses);
			free(holds);
			debug_proc_close(dp);
			return cli_error(CLI_FAIL, "stack", "%s", err.msg);
		}
		walks[i] = st->walk_ns;
		pauses[i] = st->pause_ns;
		holds[i] = st->hold_ns;
	}
	if (repeat > 1 || getenv("WHYTOP_STACK_TIMES")) {
		uint64_t cold = open_ns + walks[0];
		qsort(walks + 1, (size_t)(repeat - 1), sizeof(*walks), stack_cmp_u64);
		qsort(pauses, (size_t)repeat, sizeof(*pauses), stack_cmp_u64);
		qsort(holds, (size_t)repeat, sizeof(*holds), stack_cmp_u64);
		uint64_t warm = repeat > 1 ? walks[1 + (repeat - 1) / 2] : walks[0];
		fprintf(
		    stderr,
		    "whytop stack: walks %ld cold_ms %.3f warm_median_ms %.3f "
		    "pause_median_ms %.3f pause_max_ms %.3f hold_median_ms %.3f hold_max_ms %.3f\n",
		    repeat, cold / 1e6, warm / 1e6, pauses[repeat / 2] / 1e6,
		    pauses[repeat - 1] / 1e6, holds[repeat / 2] / 1e6, holds[repeat - 1] / 1e6);
	}
	free(walks);
	free(pauses);
	free(holds);
	int status = CLI_OK;
	if (json)
		status = stack_print_json(st, source);
	else
		stack_print_text(stdout, st, source);
#ifndef __SANITIZE_ADDRESS__
	/*
	 * The command ends here: the target was let go inside stack_walk and
	 * nothing below touches it. Exit takes the address space back at once,
	 * where freeing libdw's objects one by one (libc's 2,000 interned
	 * compilation units and their abbreviation tables) took 0.5 ms of a
	 * 4-7 ms command. Sanitizer builds free everything, so that their leak
	 * checker keeps proving nothing else is left behind.
	 */
	return status;
#endif
	stack_free(st);
	debug_proc_close(dp);
	return status;
}
