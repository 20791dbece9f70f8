/*
 * cmd_list.c: `whytop list`, the process table printed once.
 *
 * Two refreshes --interval milliseconds apart (CPU% is a rate and needs
 * two samples), then the same columns, sort and tree as the TUI, as
 * aligned text or JSON. Everything printed comes from the core already
 * escaped, so a hostile process name cannot reach the terminal raw.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <whytop/cli.h>
#include <whytop/proc.h>
#include <whytop/util.h>

#include "cli/json.h"

#define LIST_MAX_PIDS 256
/* After a command line the kernel had more of (the core keeps 4096 bytes). */
#define LIST_CUT_MARK " [cut at 4096 bytes]"

static const enum proc_col list_default_cols[] = {
	PROC_COL_PID,  PROC_COL_USER, PROC_COL_PRIORITY, PROC_COL_NICE, PROC_COL_VIRT,
	PROC_COL_RSS,  PROC_COL_STATE, PROC_COL_CPU,     PROC_COL_MEM,  PROC_COL_TIME,
	PROC_COL_COMMAND,
};

struct list_args {
	enum proc_col cols[PROC_COL_COUNT * 2];
	size_t ncols;
	int sort;
	bool reverse, tree, threads, json, no_kthreads, wide;
	const char *filter;
	long limit;    /* 0: no limit */
	long interval; /* ms */
	pid_t pids[LIST_MAX_PIDS];
	size_t npids;
};

enum { LIST_JSON = CLI_LONG_ONLY };

static const struct cli_opt list_opts[] = {
    {.name = "sort",
     .key = 's',
     .arg = "COL",
     .help = "sort by a column (default cpu, descending)"},
    {.name = "reverse", .key = 'r', .help = "reverse the sort order"},
    {.name = "filter",
     .key = 'f',
     .arg = "TEXT",
     .help = "only tasks whose command contains TEXT (any case)"},
    {.name = "pid",
     .key = 'p',
     .arg = "PID[,PID]",
     .help = "only these processes (and their threads)"},
    {.name = "threads", .key = 'H', .help = "list every thread, not just processes"},
    {.name = "tree", .key = 't', .help = "children under their parents"},
    {.name = "no-kthreads", .key = 'K', .help = "hide kernel threads"},
    {.name = "limit", .key = 'n', .arg = "N", .help = "print at most N tasks"},
    {.name = "interval",
     .key = 'i',
     .arg = "MS",
     .help = "CPU% sampling interval in milliseconds (default 200;\n0 reads once and shows 0.0)"},
    {.name = "columns",
     .key = 'c',
     .arg = "A,B,C",
     .help = "columns to show (default pid,user,priority,nice,virt,\n"
	     "rss,state,cpu,mem,time,command)"},
    {.name = "wide", .key = 'w', .help = "do not cut lines at the terminal's width"},
    {.name = "json",
     .key = LIST_JSON,
     .help = "one JSON object: {\"system\": {...}, \"tasks\": [...]}"},
    {NULL},
};

static void list_help_more(FILE *f)
{
	fprintf(f, "\nA command line is kept to its first 4096 bytes; a longer one ends in\n"
		   "\"[cut at 4096 bytes]\" (JSON: \"command_truncated\": true).\n"
		   "\nColumns:");
	for (int i = 0; i < PROC_COL_COUNT; i++)
		fprintf(f, " %s", proc_columns[i].name);
	fprintf(f, "\n");
}

static int list_exec(int argc, char **argv);

const struct cli_cmd cli_cmd_list = {
    .name = "list",
    .summary = "print the process table once (CPU% over a short interval) and exit",
    .about = "Print the process table once and exit.",
    .opts = list_opts,
    .help_more = list_help_more,
    .exec = list_exec,
};

static int list_parse_cols(const char *arg, struct list_args *a)
{
	struct wt_err err;
	int n = proc_cols_parse(arg, a->cols, WT_ARRAY_SIZE(a->cols), &err);
	if (n < 0)
		return cli_error(CLI_USAGE, "list", "--columns: %s (see 'whytop list --help')",
				 err.msg);
	a->ncols = (size_t)n;
	return 0;
}

static int list_parse_pids(const char *arg, struct list_args *a)
{
	char *copy = strdup(arg), *save = NULL;
	int rc = 0;
	if (!copy)
		return cli_error(CLI_FAIL, "list", "out of memory");
	for (char *tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		pid_t pid;
		rc = cli_parse_pid("list", tok, &pid);
		if (!rc && a->npids < LIST_MAX_PIDS)
			a->pids[a->npids++] = pid;
	}
	free(copy);
	if (!rc && a->npids == 0)
		return cli_error(CLI_USAGE, "list", "--pid wants process ids such as 1234 or 12,34");
	return rc;
}

/* 0, 1 after --help (printed), or an exit status (said). */
static int list_parse(int argc, char **argv, struct list_args *a)
{
	struct cli_parse p;
	int c, rc;

	memset(a, 0, sizeof(*a));
	memcpy(a->cols, list_default_cols, sizeof(list_default_cols));
	a->ncols = WT_ARRAY_SIZE(list_default_cols);
	a->sort = PROC_COL_CPU;
	a->interval = 200;
	cli_parse_init(&p, &cli_cmd_list, argc, argv);
	while ((c = cli_getopt(&p)) != CLI_END) {
		switch (c) {
		case CLI_STOP:
			return p.status ? p.status : -1;
		case 's':
			a->sort = proc_col_by_name(p.arg);
			if (a->sort < 0) {
				char esc[64];
				return cli_error(
				    CLI_USAGE, "list",
				    "unknown column '%s' for --sort (see 'whytop list --help')",
				    wt_escape_to(esc, sizeof(esc), p.arg, strlen(p.arg), 0));
			}
			break;
		case 'r': a->reverse = true; break;
		case 'f':
			a->filter = p.arg;
			break;
		case 'p':
			if ((rc = list_parse_pids(p.arg, a)))
				return rc;
			break;
		case 'H': a->threads = true; break;
		case 't': a->tree = true; break;
		case 'K': a->no_kthreads = true; break;
		case 'n':
			if (cli_parse_long("list", p.opt, "a number of tasks", p.arg, 1, INT_MAX,
					   &a->limit))
				return CLI_USAGE;
			break;
		case 'i':
			if (cli_parse_long("list", p.opt, "milliseconds", p.arg, 0, 60000,
					   &a->interval))
				return CLI_USAGE;
			break;
		case 'c':
			if ((rc = list_parse_cols(p.arg, a)))
				return rc;
			break;
		case 'w': a->wide = true; break;
		case LIST_JSON:
			a->json = true;
			break;
		}
	}
	if (optind < argc)
		return cli_extra_arg(&cli_cmd_list, argv[optind]);
	return 0;
}

static bool list_match(const struct proc_task *t, const char *filter)
{
	if (!filter || !*filter)
		return true;
	return (t->cmdline && strcasestr(t->cmdline, filter)) ||
	       (t->comm && strcasestr(t->comm, filter));
}

/* "| " / "  " for each ancestor level, then "|- " or "`- ". */
static void list_tree_prefix(const struct proc_task *t, bool *more, int maxd, char *out,
			     size_t sz)
{
	size_t o = 0;
	int d = t->depth < maxd ? t->depth : maxd - 1;
	out[0] = '\0';
	for (int k = 1; k < d && o + 3 < sz; k++) {
		memcpy(out + o, more[k] ? "| " : "  ", 2);
		o += 2;
	}
	if (d > 0 && o + 4 < sz) {
		memcpy(out + o, t->last_child ? "`- " : "|- ", 3);
		o += 3;
	}
	out[o] = '\0';
	more[d] = !t->last_child;
}

/* The COMMAND column's text: the command line, else the name. */
static const char *list_command(const struct proc_task *t)
{
	return t->cmdline ? t->cmdline : (t->comm ? t->comm : "?");
}

static void list_json_task(struct json *j, const struct proc_task *t, const struct list_args *a,
			   const struct proc_sysinfo *si, bool tree)
{
	char cell[4096];
	json_object_begin(j);
	json_field_int(j, "pid", t->pid);
	json_field_int(j, "tgid", t->tgid);
	for (size_t i = 0; i < a->ncols; i++) {
		enum proc_col c = a->cols[i];
		if (c == PROC_COL_PID)
			continue;
		json_key(j, proc_columns[c].name);
		switch (c) {
		case PROC_COL_PPID: json_int(j, t->ppid); break;
		case PROC_COL_PRIORITY: json_int(j, t->priority); break;
		case PROC_COL_NICE: json_int(j, t->nice); break;
		case PROC_COL_THREADS: json_int(j, t->nthreads); break;
		case PROC_COL_CPU: json_double(j, t->cpu_pct, 1); break;
		case PROC_COL_MEM: json_double(j, t->mem_pct, 1); break;
		case PROC_COL_RSS: json_uint(j, t->rss_kb); break;
		case PROC_COL_VIRT: json_uint(j, t->virt_kb); break;
		case PROC_COL_TIME:
			json_double(j, (double)t->time_ticks / (double)si->clk_tck, 2);
			break;
		case PROC_COL_START:
			json_uint(j, si->boot_time + t->start_ticks / (uint64_t)si->clk_tck);
			break;
		case PROC_COL_PROCESSOR:
			if (t->processor < 0)
				json_null(j);
			else
				json_int(j, t->processor);
			break;
		case PROC_COL_USER:
			json_string(j, (t->known & PROC_KNOWN_USER) ? t->user : NULL);
			break;
		case PROC_COL_WCHAN:
			json_string(j, (t->known & PROC_KNOWN_WCHAN) ? t->wchan : NULL);
			break;
		case PROC_COL_COMMAND:
			/* whole (an escaped command line outgrows any cell), and whether cut */
			json_string(j, list_command(t));
			json_field_bool(j, "command_truncated", t->cmdline_cut);
			if (t->known & PROC_KNOWN_EXE)
				json_field_bool(j, "exe_deleted", t->exe_state != PROC_EXE_OK);
			break;
		case PROC_COL_IO_READ_RATE:
		case PROC_COL_IO_WRITE_RATE:
		case PROC_COL_IO_RATE:
			/* bytes per second; null when not ours to read or not measured yet */
			if (!(t->known & PROC_KNOWN_IO_RATE))
				json_null(j);
			else
				json_double(j, c == PROC_COL_IO_READ_RATE ? t->io_read_rate
					       : c == PROC_COL_IO_WRITE_RATE ? t->io_write_rate
					       : t->io_read_rate + t->io_write_rate, 0);
			break;
		case PROC_COL_VCTXT:
		case PROC_COL_NVCTXT:
			if (!(t->known & PROC_KNOWN_CTXT_RATE))
				json_null(j);
			else
				json_double(j, c == PROC_COL_VCTXT ? t->vctxt_rate : t->nvctxt_rate,
					    1);
			break;
		case PROC_COL_OOM:
			if (!(t->known & PROC_KNOWN_OOM))
				json_null(j);
			else
				json_int(j, t->oom_score);
			break;
		case PROC_COL_ELAPSED:
			json_double(j, si->uptime_s - (double)t->start_ticks / (double)si->clk_tck,
				    0);
			break;
		case PROC_COL_CONTAINER:
			json_string(j, (t->known & PROC_KNOWN_CGROUP) ? t->container : NULL);
			break;
		case PROC_COL_EXE:
			json_string(j, (t->known & PROC_KNOWN_EXE) ? t->exe : NULL);
			break;
		case PROC_COL_EXE_STATE:
			json_string(j, !(t->known & PROC_KNOWN_EXE)		? NULL
				       : t->exe_state == PROC_EXE_DELETED	? "deleted"
				       : t->exe_state == PROC_EXE_REPLACED ? "replaced"
									   : "ok");
			break;
		case PROC_COL_IO_PRIORITY:
		case PROC_COL_CGROUP:
		case PROC_COL_CCGROUP:
		case PROC_COL_AFFINITY:
			proc_col_format(t, c, si, cell, sizeof(cell));
			/* "?" is the text table's unknown: JSON says null */
			if (strcmp(cell, "?") == 0)
				json_null(j);
			else
				json_string(j, cell);
			break;
		case PROC_COL_SYSCALL:
			if (!(t->known & PROC_KNOWN_SYSCALL)) {
				json_null(j);
				break;
			}
			proc_col_format(t, c, si, cell, sizeof(cell));
			json_string(j, cell);
			break;
		default:
			proc_col_format(t, c, si, cell, sizeof(cell));
			json_string(j, cell);
			break;
		}
	}
	if (tree)
		json_field_int(j, "depth", t->depth);
	json_object_end(j);
}

/* One line for the system, one per task: a reader can grep a task's line. */
static int list_json(struct proc_table *tab, const struct list_args *a, size_t *rows, size_t nrows)
{
	const struct proc_sysinfo *si = proc_table_sysinfo(tab);
	struct json j;
	json_init(&j);
	json_object_begin(&j);
	json_key(&j, "system");
	json_object_begin(&j);
	json_field_int(&j, "ncpu", si->ncpu);
	json_field_double(&j, "cpu", si->all.total_pct, 1);
	json_field_uint(&j, "mem_total_kb", si->mem_total_kb);
	json_field_uint(&j, "mem_used_kb", si->mem_used_kb);
	json_field_uint(&j, "swap_total_kb", si->swap_total_kb);
	json_field_uint(&j, "swap_used_kb", si->swap_used_kb);
	json_key(&j, "load");
	json_array_begin(&j);
	for (int i = 0; i < 3; i++)
		json_double(&j, si->load[i], 2);
	json_array_end(&j);
	json_field_double(&j, "uptime_s", si->uptime_s, 0);
	json_field_uint(&j, "tasks", si->ntasks);
	json_field_uint(&j, "processes", si->nprocs);
	json_field_uint(&j, "threads", si->nthreads);
	json_field_uint(&j, "kthreads", si->nkthreads);
	json_field_uint(&j, "running", si->nrunning);
	json_field_uint(&j, "sleeping", si->nsleeping);
	json_field_uint(&j, "disk", si->ndisk);
	json_field_uint(&j, "stopped", si->nstopped);
	json_field_uint(&j, "zombie", si->nzombie);
	json_object_end(&j);
	json_newline(&j);
	json_key(&j, "tasks");
	json_array_begin(&j);
	for (size_t i = 0; i < nrows; i++) {
		json_newline(&j);
		list_json_task(&j, proc_table_get(tab, rows[i]), a, si, a->tree);
	}
	json_newline(&j);
	json_array_end(&j);
	json_object_end(&j);
	return cli_json_print("list", &j, stdout);
}

/*
 * Print a line, cut at cols terminal columns if cols > 0. The text is
 * already escaped (printable UTF-8 only); a cut never splits a character.
 */
static void list_put_line(const char *s, size_t len, int cols)
{
	size_t end = len;
	if (cols > 0) {
		int used = 0;
		for (size_t i = 0; i < len; i++) {
			if (((unsigned char)s[i] & 0xc0) == 0x80)
				continue; /* continuation byte: same column */
			if (used == cols) {
				end = i;
				break;
			}
			used++;
		}
	}
	fwrite(s, 1, end, stdout);
	putchar('\n');
}

static int list_text(struct proc_table *tab, const struct list_args *a, size_t *rows, size_t nrows)
{
	const struct proc_sysinfo *si = proc_table_sysinfo(tab);
	int width[WT_ARRAY_SIZE(a->cols)];
	char cell[8192], prefix[256];
	bool more[64] = { false };
	struct wt_buf line;
	int cols = 0;
	struct winsize ws;

	/* Like ps: a terminal gets lines cut at its width, a pipe everything. */
	if (!a->wide && isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		cols = ws.ws_col;

	/* Widths fit the data (at least the title); the last column is not padded. */
	for (size_t c = 0; c < a->ncols; c++) {
		width[c] = (int)strlen(proc_columns[a->cols[c]].title);
		if (c + 1 == a->ncols)
			continue;
		for (size_t r = 0; r < nrows; r++) {
			proc_col_format(proc_table_get(tab, rows[r]), a->cols[c], si, cell, sizeof(cell));
			int l = (int)strlen(cell);
			if (l > width[c])
				width[c] = l;
		}
	}
	wt_buf_init(&line);
	for (size_t c = 0; c < a->ncols; c++) {
		const struct proc_col_info *ci = &proc_columns[a->cols[c]];
		bool last = c + 1 == a->ncols;
		wt_buf_printf(&line, "%s%*s", c ? " " : "",
			      ci->right ? width[c] : (last ? 0 : -width[c]), ci->title);
	}
	list_put_line(line.data, line.len, cols);
	for (size_t r = 0; r < nrows; r++) {
		const struct proc_task *t = proc_table_get(tab, rows[r]);
		line.len = 0;
		prefix[0] = '\0';
		if (a->tree)
			list_tree_prefix(t, more, (int)WT_ARRAY_SIZE(more), prefix, sizeof(prefix));
		for (size_t c = 0; c < a->ncols; c++) {
			const struct proc_col_info *ci = &proc_columns[a->cols[c]];
			bool last = c + 1 == a->ncols;
			proc_col_format(t, a->cols[c], si, cell, sizeof(cell));
			if (c)
				wt_buf_puts(&line, " ");
			if (a->cols[c] == PROC_COL_COMMAND)
				wt_buf_puts(&line, prefix);
			if (last && a->cols[c] == PROC_COL_COMMAND) {
				wt_buf_puts(&line, proc_task_exe_mark(t));
				wt_buf_puts(&line, list_command(t));
				if (t->cmdline_cut)
					wt_buf_puts(&line, LIST_CUT_MARK);
			} else if (last)
				wt_buf_puts(&line, cell);
			else
				wt_buf_printf(&line, "%*s", ci->right ? width[c] : -width[c], cell);
		}
		list_put_line(line.data, line.len, cols);
	}
	wt_buf_free(&line);
	return CLI_OK;
}

static int list_exec(int argc, char **argv)
{
	struct list_args a;
	struct wt_err err;
	int rc = list_parse(argc, argv, &a);
	if (rc < 0)
		return CLI_OK; /* --help */
	if (rc)
		return rc;

	struct proc_table *tab = proc_table_new();
	if (!tab)
		return cli_error(CLI_FAIL, "list", "cannot open /proc (is it mounted?) or out of memory");
	enum proc_col need_cols[WT_ARRAY_SIZE(a.cols) + 1];
	memcpy(need_cols, a.cols, a.ncols * sizeof(a.cols[0]));
	need_cols[a.ncols] = (enum proc_col)a.sort;
	struct proc_table_opts opts = PROC_TABLE_OPTS_INIT;
	opts.need = proc_cols_need(need_cols, a.ncols + 1);
	if (a.filter)
		opts.need |= PROC_NEED_CMDLINE;
	opts.threads = a.threads;
	opts.hide_kthreads = a.no_kthreads;
	opts.pids = a.npids ? a.pids : NULL;
	opts.npids = a.npids;

	rc = proc_table_refresh(tab, &opts, &err);
	if (!rc && a.interval > 0) {
		struct timespec ts = { a.interval / 1000, (a.interval % 1000) * 1000000L };
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		rc = proc_table_refresh(tab, &opts, &err);
	}
	if (rc) {
		proc_table_free(tab);
		return cli_error(CLI_FAIL, "list", "%s", err.msg);
	}
	bool desc = proc_columns[a.sort].desc_default != a.reverse;
	if (a.tree)
		proc_table_tree(tab, (enum proc_col)a.sort, desc);
	else
		proc_table_sort(tab, (enum proc_col)a.sort, desc);

	size_t n = proc_table_count(tab), nrows = 0;
	size_t *rows = malloc((n ? n : 1) * sizeof(*rows));
	if (!rows) {
		proc_table_free(tab);
		return cli_error(CLI_FAIL, "list", "out of memory");
	}
	for (size_t i = 0; i < n && (!a.limit || nrows < (size_t)a.limit); i++)
		if (list_match(proc_table_get(tab, i), a.filter))
			rows[nrows++] = i;
	rc = a.json ? list_json(tab, &a, rows, nrows) : list_text(tab, &a, rows, nrows);
	free(rows);
	proc_table_free(tab);
	if (fflush(stdout) != 0)
		return CLI_FAIL;
	return rc;
}
