/*
 * cmd_demo.c: "whytop demo [NAME [ARGS]]": the classroom programs installed
 * with whytop (src/demos, doc/tutorial.md). Without NAME, each demo's name
 * and what it shows; with NAME, exec it with ARGS (so its pid is the one
 * the shell started). The directory is the build tree's src/demos when the
 * whytop running is the build tree's (make check), else the installed one;
 * WHYTOP_DEMO_DIR overrides both.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <whytop/cli.h>
#include <whytop/util.h>

struct demo {
	const char *name;
	const char *args;
	const char *line;
};

/* One row per program of src/demos (mk/demos.am), in the tutorial's order. */
static const struct demo demos[] = {
    {"loop", "", "spins on a local flag nothing sets: rescue it with 'whytop poke PID done=1'"},
    {"dstate", "[SECONDS]", "sleeps in state D (a vfork parent, no root needed) for SECONDS (120)"},
    {"storm", "", "a syscall storm: writes to /dev/null one byte per write(2)"},
    {"crash", "[SECONDS]", "dereferences NULL in lookup_user() after SECONDS (10)"},
    {"opener", "[PATH [COUNT]]", "opens PATH (/etc/passwd) every 100 ms and prints the result"},
};

static void demo_help_more(FILE *f)
{
	fputs("\nDemos (ARGS are the demo's own):\n", f);
	for (size_t i = 0; i < WT_ARRAY_SIZE(demos); i++)
		fprintf(f, "  %-8s %-15s %s\n", demos[i].name, demos[i].args, demos[i].line);
}

static const struct cli_opt demo_opts[] = {
    {NULL},
};

static int demo_exec(int argc, char **argv);

const struct cli_cmd cli_cmd_demo = {
    .name = "demo",
    .args = "[NAME [ARGS]]",
    .summary = "list the classroom demo programs, or start one",
    .about = "Without NAME, list the demo programs installed with whytop, one line each.\n"
	     "With NAME, run that demo in place of whytop (same pid), with ARGS.\n"
	     "doc/tutorial.md has a classroom section for each.",
    .opts = demo_opts,
    .in_order = true,
    .help_more = demo_help_more,
    .exec = demo_exec,
};

/* The directory holding the demos, into dir. */
static void demo_dir(char *dir, size_t size)
{
	const char *env = getenv("WHYTOP_DEMO_DIR");
	char self[PATH_MAX], build[PATH_MAX];
	if (env && *env) {
		snprintf(dir, size, "%s", env);
		return;
	}
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0 && realpath(WHYTOP_BUILDDIR, build)) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash)
			*slash = '\0';
		if (strcmp(self, build) == 0 && strlen(build) + sizeof("/src/demos") <= size) {
			memcpy(dir, build, strlen(build));
			memcpy(dir + strlen(build), "/src/demos", sizeof("/src/demos"));
			return;
		}
	}
	snprintf(dir, size, "%s", WHYTOP_DEMODIR);
}

static int demo_exec(int argc, char **argv)
{
	struct cli_parse p;
	char dir[PATH_MAX], path[PATH_MAX + 64], esc[128];
	int c;
	cli_parse_init(&p, &cli_cmd_demo, argc, argv);
	while ((c = cli_getopt(&p)) != CLI_END)
		if (c == CLI_STOP)
			return p.status;
	demo_dir(dir, sizeof(dir));
	if (optind >= argc) {
		for (size_t i = 0; i < WT_ARRAY_SIZE(demos); i++)
			printf("%-8s %s\n", demos[i].name, demos[i].line);
		printf("\nStart one with 'whytop demo NAME [ARGS]' (they are in %s).\n", dir);
		return CLI_OK;
	}
	const char *name = argv[optind];
	const struct demo *d = NULL;
	for (size_t i = 0; i < WT_ARRAY_SIZE(demos); i++)
		if (strcmp(demos[i].name, name) == 0)
			d = &demos[i];
	if (!d)
		return cli_error(CLI_USAGE, "demo",
				 "there is no demo named '%s'; 'whytop demo' lists them (loop, "
				 "dstate, storm, crash, opener)",
				 wt_escape_to(esc, sizeof(esc), name, strlen(name), 0));
	snprintf(path, sizeof(path), "%s/%s", dir, d->name);
	/* The demo's argv[0] is its name: its messages say "loop: ...". */
	argv[optind] = (char *)d->name;
	/* main() blocks SIGCHLD for whytop's threads; the demo gets a plain mask. */
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_UNBLOCK, &chld, NULL);
	execv(path, argv + optind);
	int e = errno;
	char epath[PATH_MAX * 4 + 1];
	wt_escape_to(epath, sizeof(epath), path, strlen(path), 0);
	if (e == ENOENT)
		return cli_error(CLI_FAIL, "demo",
				 "demo '%s' is not installed: %s does not exist (run 'make "
				 "install', or set WHYTOP_DEMO_DIR to the directory of the demos)",
				 d->name, epath);
	return cli_error(CLI_FAIL, "demo", "cannot run %s: %s", epath, strerror(e));
}
