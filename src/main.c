/*
 * main.c: whytop's entry point. "whytop SUBCOMMAND ..." runs one of the
 * command-line subcommands (src/cli); anything else starts the terminal UI
 * (src/ui). Both are thin front ends on the core library.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complete.h"
#include "config.h"
#include "ui/ui.h"
#include <whytop/cli.h>
#include <whytop/util.h>

static void print_help(FILE *f)
{
	fprintf(f,
		"whytop %s: see why a process behaves as it does.\n\n"
		"Usage: whytop [OPTIONS]            start the terminal UI\n"
		"       whytop SUBCOMMAND [ARGS]    print once and exit (scriptable, --json)\n\n",
		PACKAGE_VERSION);
	ui_print_options(f);
	fputc('\n', f);
	cli_print_help(f);
	fprintf(f, "\nSee whytop(1) for keys, themes and configuration.\n");
}

int main(int argc, char **argv)
{
	/*
	 * SIGCHLD wakes the target threads (target.h), which take it in their
	 * ppoll; blocked here, before any thread starts, it cuts no sleep of
	 * the UI or of a command short.
	 */
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &chld, NULL);
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		print_help(stdout);
		return 0;
	}
	if (argc > 1 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
		printf("whytop %s\n", PACKAGE_VERSION);
		return 0;
	}
	/* Not a subcommand: the shell completion scripts' query (src/shell/). */
	if (argc > 1 && strcmp(argv[1], "__complete") == 0)
		return complete_main(argc - 1, argv + 1);
	if (argc > 1 && argv[1][0] != '-') {
		const struct cli_cmd *cmd = cli_find(argv[1]);
		if (!cmd) {
			/* Quoted escaped: it can be anything, even an escape sequence. */
			char *e = wt_escape(argv[1], strlen(argv[1]), 0);
			fprintf(stderr, "whytop: unknown subcommand '%s'; 'whytop --help' lists them\n",
				e ? e : "?");
			free(e);
			return CLI_USAGE;
		}
		return cmd->exec(argc - 1, argv + 1);
	}
	return ui_main(argc, argv);
}
