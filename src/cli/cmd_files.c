/*
 * cmd_files.c: 'whytop files PID' -- every open fd of PID with its type,
 * flags, offset and target (a socket's protocol, addresses and state), or
 * with --maps its memory maps with their RSS -- and 'whytop env PID', its
 * environment. Thin: the reading is files.h's.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/files_print.h"
#include "cli/json.h"
#include <whytop/cli.h>
#include <whytop/files.h>

enum { FILES_JSON = CLI_LONG_ONLY, FILES_MAPS };

static const struct cli_opt files_opts[] = {
    {.name = "maps",
     .key = FILES_MAPS,
     .help = "the memory maps (range, permissions, RSS, path)\ninstead of the fds"},
    {.name = "json", .key = FILES_JSON, .help = "one JSON object on stdout"},
    {NULL},
};
static const struct cli_opt env_opts[] = {
    {.name = "json", .key = FILES_JSON, .help = "one JSON object on stdout"},
    {NULL},
};

static int files_exec(int argc, char **argv);
static int env_exec(int argc, char **argv);

const struct cli_cmd cli_cmd_files = {
    .name = "files",
    .args = "PID",
    .summary = "every open fd (type, flags, offset, socket addresses) or the memory maps",
    .about = "Print every open file descriptor of PID: its type, open flags, offset and\n"
	     "target -- a path, a pipe, or a socket's protocol, local and remote address and\n"
	     "state from the process's own /proc/PID/net. With --maps, the memory maps and\n"
	     "the resident size of each.",
    .opts = files_opts,
    .exec = files_exec,
};

const struct cli_cmd cli_cmd_env = {
    .name = "env",
    .args = "PID",
    .summary = "the environment of a process, one NAME=value a line, escaped",
    .about = "Print the environment of PID (/proc/PID/environ), one variable a line, every\n"
	     "control character escaped.",
    .opts = env_opts,
    .exec = env_exec,
};

/* Options and the PID; 0, or the exit status to return at once (--help: 0 with *stop). */
static int files_args(const struct cli_cmd *cmd, int argc, char **argv, bool *json, bool *maps,
		      pid_t *pid, bool *stop)
{
	struct cli_parse p;
	int c;
	cli_parse_init(&p, cmd, argc, argv);
	while ((c = cli_getopt(&p)) != CLI_END) {
		switch (c) {
		case CLI_STOP:
			*stop = true;
			return p.status;
		case FILES_JSON:
			*json = true;
			break;
		case FILES_MAPS:
			*maps = true;
			break;
		}
	}
	if (optind + 1 < argc)
		return cli_extra_arg(cmd, argv[optind + 1]);
	return cli_parse_pid(cmd->name, optind < argc ? argv[optind] : NULL, pid);
}

static int files_maps(pid_t pid, bool json)
{
	struct proc_mapping *m;
	size_t n;
	bool have_rss;
	uint64_t total;
	struct wt_err err;
	if (proc_maps_read(pid, &m, &n, &have_rss, &total, &err) < 0)
		return cli_error(CLI_FAIL, "files", "%s", err.msg);
	int rc = CLI_OK;
	if (json) {
		struct json j;
		json_init(&j);
		json_object_begin(&j);
		json_field_int(&j, "pid", pid);
		if (have_rss)
			json_field_uint(&j, "rss_kb", total);
		json_key(&j, "maps");
		json_array_begin(&j);
		for (size_t i = 0; i < n; i++) {
			json_newline(&j);
			json_object_begin(&j);
			json_field_hex(&j, "start", m[i].start);
			json_field_hex(&j, "end", m[i].end);
			json_field_string(&j, "perms", m[i].perms);
			json_field_hex(&j, "offset", m[i].offset);
			if (have_rss)
				json_field_uint(&j, "rss_kb", m[i].rss_kb);
			json_field_string(&j, "path", m[i].path);
			json_object_end(&j);
		}
		json_array_end(&j);
		json_object_end(&j);
		rc = cli_json_print("files", &j, stdout);
	} else {
		if (have_rss)
			printf("process %d: %zu mappings, %" PRIu64 " kB resident\n", (int)pid, n,
			       total);
		else
			printf("process %d: %zu mappings (smaps unreadable: no RSS)\n", (int)pid,
			       n);
		for (size_t i = 0; i < n; i++) {
			char rss[32] = "?";
			if (have_rss)
				snprintf(rss, sizeof(rss), "%" PRIu64 "K", m[i].rss_kb);
			printf("%012" PRIx64 "-%012" PRIx64 " %-4s %9s  %s\n", m[i].start, m[i].end,
			       m[i].perms, rss, m[i].path);
		}
	}
	proc_maps_free(m, n);
	return rc;
}

static int files_exec(int argc, char **argv)
{
	bool json = false, maps = false;
	pid_t pid;
	bool stop = false;
	int rc = files_args(&cli_cmd_files, argc, argv, &json, &maps, &pid, &stop);
	if (rc || stop)
		return rc;
	if (maps)
		return files_maps(pid, json);
	struct proc_fd *f;
	size_t n;
	struct wt_err err;
	if (proc_fds_read(pid, &f, &n, &err) < 0)
		return cli_error(CLI_FAIL, "files", "%s", err.msg);
	if (json) {
		struct json j;
		json_init(&j);
		json_object_begin(&j);
		json_field_int(&j, "pid", pid);
		json_key(&j, "fds");
		files_json_array(&j, f, n);
		json_object_end(&j);
		rc = cli_json_print("files", &j, stdout);
	} else {
		files_print_text(stdout, f, n);
	}
	proc_fds_free(f, n);
	return rc;
}

static int env_exec(int argc, char **argv)
{
	bool json = false, maps = false;
	pid_t pid;
	bool stop = false;
	int rc = files_args(&cli_cmd_env, argc, argv, &json, &maps, &pid, &stop);
	if (rc || stop)
		return rc;
	char **v;
	size_t n;
	bool cut;
	struct wt_err err;
	if (proc_environ_read(pid, &v, &n, &cut, &err) < 0)
		return cli_error(CLI_FAIL, "env", "%s", err.msg);
	if (json) {
		struct json j;
		json_init(&j);
		json_object_begin(&j);
		json_field_int(&j, "pid", pid);
		json_field_bool(&j, "cut", cut);
		json_key(&j, "environ");
		json_array_begin(&j);
		for (size_t i = 0; i < n; i++) {
			json_newline(&j);
			json_string(&j, v[i]);
		}
		json_array_end(&j);
		json_object_end(&j);
		rc = cli_json_print("env", &j, stdout);
	} else {
		for (size_t i = 0; i < n; i++)
			printf("%s\n", v[i]);
		if (cut)
			fprintf(stderr,
				"whytop env: the environment is larger than 4 MiB; the rest is "
				"not shown\n");
	}
	proc_environ_free(v, n);
	return rc;
}
