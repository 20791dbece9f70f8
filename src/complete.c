/*
 * complete.c: "whytop __complete CWORD WORD0 WORD1 ...": the candidates for
 * the word at index CWORD of a command line being typed, for the bash and
 * zsh completion scripts (src/shell/). The scripts stay thin: every name
 * comes from whytop itself (the subcommand rows, the TUI's option help, the
 * column table, the theme directories, /proc), so completion cannot drift
 * from what the parser accepts.
 *
 * Output: one candidate a line, "VALUE" or "VALUE<TAB>DESCRIPTION", already
 * filtered by the typed prefix; or one directive line the script acts on:
 * "!files", "!dirs" or "!commands". Descriptions (command names of pids)
 * are escaped like every untrusted string.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complete.h"
#include "ui/theme.h"
#include "ui/ui.h"
#include <whytop/cli.h>
#include <whytop/proc.h>
#include <whytop/util.h>

/* An option as the completion sees it: its spellings, its argument's name. */
struct copt {
	char longname[48]; /* without "--", or "" */
	char shortname;	   /* or 0 */
	char arg[48];	   /* "PID", "COL", "kernel|ptrace"; "" for a flag */
	char help[160];
};

static void put(const char *cur, const char *value, const char *desc)
{
	if (strncmp(value, cur, strlen(cur)) != 0)
		return;
	if (desc && *desc)
		printf("%s\t%s\n", value, desc);
	else
		printf("%s\n", value);
}

/* The help text of one line, first line only (candidates are one line). */
static void first_line(char *out, size_t sz, const char *text)
{
	size_t n = strcspn(text ? text : "", "\n");
	if (n >= sz)
		n = sz - 1;
	memcpy(out, text ? text : "", n);
	out[n] = '\0';
}

static size_t cmd_opts(const struct cli_cmd *cmd, struct copt *out, size_t max)
{
	size_t n = 0;
	for (const struct cli_opt *o = cmd->opts; o && o->name && n < max; o++, n++) {
		memset(&out[n], 0, sizeof(out[n]));
		snprintf(out[n].longname, sizeof(out[n].longname), "%s", o->name);
		if (o->key > 0 && o->key < CLI_LONG_ONLY)
			out[n].shortname = (char)o->key;
		snprintf(out[n].arg, sizeof(out[n].arg), "%s", o->arg ? o->arg : "");
		first_line(out[n].help, sizeof(out[n].help), o->help);
	}
	if (n < max) {
		memset(&out[n], 0, sizeof(out[n]));
		snprintf(out[n].longname, sizeof(out[n].longname), "help");
		out[n].shortname = 'h';
		snprintf(out[n].help, sizeof(out[n].help), "this help");
		n++;
	}
	return n;
}

/*
 * The terminal UI's options, read from the help it prints (ui_print_options),
 * so that a new flag is completed the day it is documented. A line reads
 * "  -d, --delay TENTHS     text" or "      --open             text".
 */
static size_t tui_opts(struct copt *out, size_t max)
{
	char *buf = NULL;
	size_t len = 0, n = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return 0;
	ui_print_options(f);
	fclose(f);
	for (char *line = strtok(buf, "\n"); line && n < max; line = strtok(NULL, "\n")) {
		char *s = line;
		while (*s == ' ')
			s++;
		struct copt o;
		memset(&o, 0, sizeof(o));
		if (s[0] == '-' && s[1] && s[1] != '-' && s[2] == ',') {
			o.shortname = s[1];
			s += 3;
			while (*s == ' ')
				s++;
		}
		if (strncmp(s, "--", 2) != 0)
			continue;
		s += 2;
		size_t k = strcspn(s, " =");
		if (k == 0 || k >= sizeof(o.longname))
			continue;
		memcpy(o.longname, s, k);
		s += k;
		if (s[0] == ' ' && s[1] && s[1] != ' ') {
			size_t a = strcspn(s + 1, " ");
			if (a < sizeof(o.arg))
				memcpy(o.arg, s + 1, a);
			s += 1 + a;
		}
		while (*s == ' ')
			s++;
		first_line(o.help, sizeof(o.help), s);
		out[n++] = o;
	}
	free(buf);
	if (n + 2 <= max) {
		struct copt h = { .longname = "help", .shortname = 'h', .help = "whytop's options and subcommands" };
		struct copt v = { .longname = "version", .shortname = 'V', .help = "print the version" };
		out[n++] = h;
		out[n++] = v;
	}
	return n;
}

/* Which option WORD names, or NULL; sets *inline_arg for "--name=value". */
static const struct copt *find_opt(const struct copt *opts, size_t n, const char *word,
				   const char **inline_arg)
{
	*inline_arg = NULL;
	if (strncmp(word, "--", 2) == 0 && word[2]) {
		size_t k = strcspn(word + 2, "=");
		for (size_t i = 0; i < n; i++)
			if (strlen(opts[i].longname) == k && strncmp(opts[i].longname, word + 2, k) == 0) {
				if (word[2 + k] == '=')
					*inline_arg = word + 3 + k;
				return &opts[i];
			}
		return NULL;
	}
	if (word[0] == '-' && word[1] && word[1] != '-') {
		/* "-p" alone, or the last letter of a cluster such as "-fp". */
		size_t len = strlen(word);
		for (size_t i = 0; i < n; i++)
			if (opts[i].shortname && opts[i].shortname == word[len - 1])
				return &opts[i];
	}
	return NULL;
}

static void put_pids(const char *cur, const char *prefix)
{
	DIR *d = opendir("/proc");
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		char path[300], *comm = NULL, value[300];
		size_t len = 0;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		snprintf(value, sizeof(value), "%s%s", prefix, de->d_name);
		if (strncmp(value, cur, strlen(cur)) != 0)
			continue;
		char *desc = NULL;
		if (wt_read_all_at(AT_FDCWD, path, &comm, &len) == 0) {
			while (len > 0 && comm[len - 1] == '\n')
				len--;
			desc = wt_escape(comm, len, 1);
		}
		put(cur, value, desc);
		free(desc);
		free(comm);
	}
	closedir(d);
}

/* The threads of PID (the first number among the words), else every pid. */
static void put_tids(const char *cur, long pid)
{
	if (pid <= 0) {
		put_pids(cur, "");
		return;
	}
	char dir[64];
	snprintf(dir, sizeof(dir), "/proc/%ld/task", pid);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)))
		if (isdigit((unsigned char)de->d_name[0]))
			put(cur, de->d_name, NULL);
	closedir(d);
}

static void put_columns(const char *cur)
{
	for (int i = 0; i < PROC_COL_COUNT; i++)
		put(cur, proc_columns[i].name, proc_columns[i].title);
}

static void put_themes(const char *cur)
{
	char **names;
	size_t n = theme_list(&names);
	for (size_t i = 0; i < n; i++)
		put(cur, names[i], NULL);
	theme_list_free(names, n);
}

/* The demos' names: the first word of each indented line of demo's help. */
static void put_demos(const char *cur, const struct cli_cmd *cmd)
{
	if (!cmd->help_more)
		return;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return;
	cmd->help_more(f);
	fclose(f);
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (strncmp(line, "  ", 2) != 0 || line[2] == ' ')
			continue;
		char name[64];
		if (sscanf(line, " %63s", name) == 1)
			put(cur, name, NULL);
	}
	free(buf);
}

/* The value of an option whose argument is named ARG ("PID", "COL", ...). */
static void put_arg(const char *arg, const char *cur, long pid, bool tui)
{
	if (strncmp(arg, "PID", 3) == 0) {
		/* A list: complete the element after the last comma. */
		const char *comma = strrchr(cur, ',');
		char prefix[256] = "";
		if (comma && (size_t)(comma - cur + 1) < sizeof(prefix))
			memcpy(prefix, cur, (size_t)(comma - cur + 1)), prefix[comma - cur + 1] = '\0';
		put_pids(cur, prefix);
	} else if (strcmp(arg, "TID") == 0) {
		put_tids(cur, pid);
	} else if (strcmp(arg, "COL") == 0 || strcmp(arg, "COLUMN") == 0) {
		put_columns(cur);
	} else if (tui && strcmp(arg, "NAME") == 0) {
		put_themes(cur);
	} else if (strcmp(arg, "FILE") == 0 || strcmp(arg, "PATH") == 0) {
		printf("!files\n");
	} else if (strcmp(arg, "DIR") == 0) {
		printf("!dirs\n");
	} else if (strcmp(arg, "USER") == 0) {
		printf("!users\n");
	} else if (strchr(arg, '|') && !strchr(arg, ' ')) {
		char alts[64];
		snprintf(alts, sizeof(alts), "%s", arg);
		for (char *a = strtok(alts, "|"); a; a = strtok(NULL, "|"))
			put(cur, a, NULL);
	}
}

static void put_opts(const struct copt *opts, size_t n, const char *cur)
{
	char name[64];
	for (size_t i = 0; i < n; i++) {
		if (opts[i].longname[0]) {
			snprintf(name, sizeof(name), "--%.*s", (int)sizeof(name) - 3, opts[i].longname);
			put(cur, name, opts[i].help);
		}
		if (opts[i].shortname && strncmp(cur, "--", 2) != 0 && cur[0] == '-') {
			snprintf(name, sizeof(name), "-%c", opts[i].shortname);
			put(cur, name, opts[i].help);
		}
	}
}

#define MAX_COPTS 64

int complete_main(int argc, char **argv)
{
	/* argv: "__complete" CWORD WORD0 WORD1 ... */
	if (argc < 3)
		return 2;
	char *end;
	long cword = strtol(argv[1], &end, 10);
	char **words = argv + 2;
	int nwords = argc - 2;
	if (*end || cword < 1 || cword > nwords)
		return 2;
	const char *cur = cword < nwords ? words[cword] : "";

	const struct cli_cmd *cmd = nwords > 1 && cword > 1 ? cli_find(words[1]) : NULL;
	struct copt opts[MAX_COPTS];
	size_t nopts;
	if (cword == 1 && cur[0] != '-') {
		for (const struct cli_cmd *const *c = cli_commands; *c; c++)
			put(cur, (*c)->name, (*c)->summary);
		return 0;
	}
	nopts = cmd ? cmd_opts(cmd, opts, MAX_COPTS) : tui_opts(opts, MAX_COPTS);

	/* Walk the words before the cursor: options, their values, "--", positionals. */
	int npos = 0;
	long pid = 0;
	bool dashdash = false;
	const struct copt *want = NULL; /* the option whose value is the current word */
	for (long i = cmd ? 2 : 1; i < cword; i++) {
		const char *w = words[i];
		if (want) {
			want = NULL;
			if (pid == 0 && isdigit((unsigned char)w[0]))
				pid = strtol(w, NULL, 10);
			continue;
		}
		if (dashdash) {
			npos++;
			continue;
		}
		if (strcmp(w, "--") == 0) {
			dashdash = true;
			continue;
		}
		const char *inl;
		const struct copt *o = w[0] == '-' && w[1] ? find_opt(opts, nopts, w, &inl) : NULL;
		if (o) {
			if (o->arg[0] && !inl)
				want = o;
			continue;
		}
		if (w[0] == '-' && w[1])
			continue; /* an option the rows do not know: leave it */
		if (npos == 0 && isdigit((unsigned char)w[0]))
			pid = strtol(w, NULL, 10);
		if (cmd && cmd->in_order && npos > 0)
			dashdash = true; /* run's CMD: the rest is the command's own */
		npos++;
	}
	if (want) {
		put_arg(want->arg, cur, pid, !cmd);
		return 0;
	}
	if (!dashdash && strncmp(cur, "--", 2) == 0 && strchr(cur, '=')) {
		const char *inl;
		const struct copt *o = find_opt(opts, nopts, cur, &inl);
		if (o && o->arg[0])
			put_arg(o->arg, inl, pid, !cmd); /* bash splits at '=': the value alone */
		return 0;
	}
	if (!dashdash && cur[0] == '-') {
		put_opts(opts, nopts, cur);
		return 0;
	}
	if (!cmd)
		return 0;
	if (dashdash) {
		printf(npos == 0 ? "!commands\n" : "!files\n");
		return 0;
	}
	const char *args = cmd->args ? cmd->args : "";
	if (npos == 0 && strncmp(args, "PID", 3) == 0)
		put_arg("PID", cur, 0, false);
	else if (npos == 0 && strncmp(args, "[NAME", 5) == 0)
		put_demos(cur, cmd);
	else if (npos == 0 && strncmp(args, "--", 2) == 0)
		printf("!commands\n");
	return 0;
}
