/*
 * config.c: the terminal UI's settings. Defaults first, then the file
 * ($XDG_CONFIG_HOME/whytop/config), then the flags. A broken line of the
 * file never stops whytop: it is skipped, its setting keeps the default,
 * and the line number is reported on the status line.
 *
 * File format: one "key = value" a line, '#' starts a comment.
 *   delay   = 15                       refresh interval, tenths of a second
 *   columns = pid user state cpu mem time command
 *   sort    = cpu [desc|asc]
 *   theme   = default
 *   meters_left  = cpus mem swap           header meters (ui_meter_names), or none
 *   meters_right = tasks load uptime
 *   tree | threads | hide_kthreads | color | highlight_changes | show_basename = yes|no
 *
 * Written back on quit (ui_config_save) when the setup screen or a key
 * changed a setting: only the keys that changed are rewritten, in place;
 * comments, unknown and broken lines stay as they are.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ui/config.h"
#include <whytop/proc.h>

static const enum proc_col default_cols[] = {
	PROC_COL_PID,  PROC_COL_USER, PROC_COL_PRIORITY, PROC_COL_NICE, PROC_COL_VIRT,
	PROC_COL_RSS,  PROC_COL_STATE, PROC_COL_CPU,     PROC_COL_MEM,  PROC_COL_TIME,
	PROC_COL_COMMAND,
};

const char *const ui_meter_names[UI_M_COUNT] = {
	[UI_M_CPUS] = "cpus",	      [UI_M_CPU] = "cpu",	    [UI_M_MEM] = "mem",
	[UI_M_SWAP] = "swap",	      [UI_M_LOAD] = "load",	    [UI_M_UPTIME] = "uptime",
	[UI_M_TASKS] = "tasks",	      [UI_M_PSI_CPU] = "psi_cpu",   [UI_M_PSI_IO] = "psi_io",
	[UI_M_PSI_MEMORY] = "psi_memory",
};

const char *const ui_meter_titles[UI_M_COUNT] = {
	[UI_M_CPUS] = "CPUs (one bar each)",
	[UI_M_CPU] = "CPU (all combined)",
	[UI_M_MEM] = "Memory",
	[UI_M_SWAP] = "Swap",
	[UI_M_LOAD] = "Load average",
	[UI_M_UPTIME] = "Uptime",
	[UI_M_TASKS] = "Tasks by state",
	[UI_M_PSI_CPU] = "Pressure stall: CPU",
	[UI_M_PSI_IO] = "Pressure stall: I/O",
	[UI_M_PSI_MEMORY] = "Pressure stall: memory",
};

static const char *const key_names[UI_K_COUNT] = {
	[UI_K_DELAY] = "delay",
	[UI_K_COLUMNS] = "columns",
	[UI_K_SORT] = "sort",
	[UI_K_THEME] = "theme",
	[UI_K_TREE] = "tree",
	[UI_K_THREADS] = "threads",
	[UI_K_HIDE_KTHREADS] = "hide_kthreads",
	[UI_K_COLOR] = "color",
	[UI_K_METERS_LEFT] = "meters_left",
	[UI_K_METERS_RIGHT] = "meters_right",
	[UI_K_HIGHLIGHT] = "highlight_changes",
	[UI_K_BASENAME] = "show_basename",
};

/* The key named name ("colour" too), or -1. */
static int key_by_name(const char *name)
{
	if (strcmp(name, "colour") == 0)
		return UI_K_COLOR;
	for (int k = 0; k < UI_K_COUNT; k++)
		if (strcmp(name, key_names[k]) == 0)
			return k;
	return -1;
}

static const enum ui_meter default_left[] = { UI_M_CPUS, UI_M_MEM, UI_M_SWAP };
static const enum ui_meter default_right[] = { UI_M_TASKS, UI_M_LOAD, UI_M_UPTIME };

void ui_config_defaults(struct ui_config *c)
{
	memset(c, 0, sizeof(*c));
	c->delay_tenths = 15;
	memcpy(c->cols, default_cols, sizeof(default_cols));
	c->ncols = WT_ARRAY_SIZE(default_cols);
	c->sort_col = PROC_COL_CPU;
	c->sort_desc = true;
	snprintf(c->theme, sizeof(c->theme), "default");
	c->color = true;
	memcpy(c->meters[0], default_left, sizeof(default_left));
	c->nmeters[0] = WT_ARRAY_SIZE(default_left);
	memcpy(c->meters[1], default_right, sizeof(default_right));
	c->nmeters[1] = WT_ARRAY_SIZE(default_right);
	const char *nc = getenv("NO_COLOR");
	/* https://no-color.org: present and not empty means no colour. */
	if (nc && *nc)
		c->color = false;
}

void ui_config_free(struct ui_config *c)
{
	free(c->pids);
	c->pids = NULL;
	c->npids = 0;
}

static void config_msg(struct ui_config *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Kept escaped: a line of the file can hold anything, even an escape sequence. */
static void config_msg(struct ui_config *c, const char *fmt, ...)
{
	if (c->nmsgs >= UI_CONFIG_MAX_MSGS) {
		c->nmsgs_more++;
		return;
	}
	char raw[sizeof(c->msgs[0])];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	wt_escape_to(c->msgs[c->nmsgs++], sizeof(c->msgs[0]), raw, strlen(raw), 0);
}

static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	for (size_t i = 0; i < WT_ARRAY_SIZE(yes); i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

/* A theme name is a file name in a themes directory: no paths, no dots first. */
static bool theme_name_ok(const char *v)
{
	if (!*v || *v == '.' || strlen(v) >= 64)
		return false;
	for (const char *p = v; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
			return false;
	return true;
}

/* "pid user cpu" or "pid,user,cpu" into cols; problem described in why. */
static int parse_columns(const char *v, enum proc_col *cols, size_t *ncols, char *why,
			 size_t whysz)
{
	struct wt_err err;
	int n = proc_cols_parse(v, cols, UI_CONFIG_MAX_COLS, &err);
	if (n < 0) {
		size_t l = strnlen(err.msg, whysz - 1);
		memcpy(why, err.msg, l);
		why[l] = '\0';
		return n;
	}
	*ncols = (size_t)n;
	return 0;
}

/* "cpus mem swap" (spaces or commas) or "none"; each meter at most once. */
static int parse_meters(const char *v, enum ui_meter *m, size_t *n, char *why, size_t whysz)
{
	enum ui_meter tmp[UI_M_COUNT];
	size_t k = 0;
	if (strcasecmp(v, "none") == 0) {
		*n = 0;
		return 0;
	}
	for (const char *p = v; *p;) {
		size_t len = strcspn(p, " \t,");
		if (len == 0) {
			p++;
			continue;
		}
		int found = -1;
		for (int i = 0; i < UI_M_COUNT; i++)
			if (strlen(ui_meter_names[i]) == len && strncasecmp(p, ui_meter_names[i], len) == 0)
				found = i;
		if (found < 0) {
			snprintf(why, whysz, "unknown meter '%.*s' (known: cpus cpu mem swap load "
				 "uptime tasks psi_cpu psi_io psi_memory)", (int)(len < 40 ? len : 40), p);
			return -EINVAL;
		}
		for (size_t i = 0; i < k; i++)
			if (tmp[i] == (enum ui_meter)found) {
				snprintf(why, whysz, "meter '%s' given twice", ui_meter_names[found]);
				return -EINVAL;
			}
		tmp[k++] = (enum ui_meter)found;
		p += len;
	}
	memcpy(m, tmp, k * sizeof(*m));
	*n = k;
	return 0;
}

static int parse_sort(const char *v, enum proc_col *col, bool *desc, char *why, size_t whysz)
{
	char name[64], order[16] = "";
	if (sscanf(v, "%63s %15s", name, order) < 1) {
		snprintf(why, whysz, "no column to sort by");
		return -EINVAL;
	}
	int c = proc_col_by_name(name);
	if (c < 0) {
		snprintf(why, whysz, "unknown column '%s'", name);
		return -EINVAL;
	}
	bool d = proc_columns[c].desc_default;
	if (strcasecmp(order, "desc") == 0)
		d = true;
	else if (strcasecmp(order, "asc") == 0)
		d = false;
	else if (*order) {
		snprintf(why, whysz, "sort order '%s' is neither asc nor desc", order);
		return -EINVAL;
	}
	*col = (enum proc_col)c;
	*desc = d;
	return 0;
}

char *ui_config_trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* One "key = value" line; 0 or -EINVAL with the reason in why. */
static int config_line(struct ui_config *c, char *line, char *why, size_t whysz)
{
	char *hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	char *s = ui_config_trim(line);
	if (!*s)
		return 0;
	char *eq = strchr(s, '=');
	if (!eq) {
		snprintf(why, whysz, "expected 'key = value'");
		return -EINVAL;
	}
	*eq = '\0';
	char *key = ui_config_trim(s), *val = ui_config_trim(eq + 1);
	if (!*val) {
		snprintf(why, whysz, "'%.40s' has no value", key);
		return -EINVAL;
	}
	if (strcmp(key, "delay") == 0) {
		long v;
		if (wt_parse_long(val, 1, 600, &v)) {
			snprintf(why, whysz, "delay must be 1 to 600 tenths of a second");
			return -EINVAL;
		}
		c->delay_tenths = v;
		return 0;
	}
	if (strcmp(key, "columns") == 0)
		return parse_columns(val, c->cols, &c->ncols, why, whysz);
	if (strcmp(key, "sort") == 0)
		return parse_sort(val, &c->sort_col, &c->sort_desc, why, whysz);
	if (strcmp(key, "meters_left") == 0)
		return parse_meters(val, c->meters[0], &c->nmeters[0], why, whysz);
	if (strcmp(key, "meters_right") == 0)
		return parse_meters(val, c->meters[1], &c->nmeters[1], why, whysz);
	if (strcmp(key, "theme") == 0) {
		if (!theme_name_ok(val)) {
			snprintf(why, whysz, "'%.40s' is not a theme name", val);
			return -EINVAL;
		}
		snprintf(c->theme, sizeof(c->theme), "%s", val);
		return 0;
	}
	bool *flag = NULL, b;
	if (strcmp(key, "tree") == 0)
		flag = &c->tree;
	else if (strcmp(key, "threads") == 0)
		flag = &c->threads;
	else if (strcmp(key, "hide_kthreads") == 0)
		flag = &c->hide_kthreads;
	else if (strcmp(key, "color") == 0 || strcmp(key, "colour") == 0)
		flag = &c->color;
	else if (strcmp(key, "highlight_changes") == 0)
		flag = &c->highlight;
	else if (strcmp(key, "show_basename") == 0)
		flag = &c->basename;
	if (!flag) {
		snprintf(why, whysz, "unknown setting '%.40s'", key);
		return -EINVAL;
	}
	if (parse_bool(val, &b)) {
		snprintf(why, whysz, "'%.40s' must be yes or no", key);
		return -EINVAL;
	}
	/* NO_COLOR wins over the file. */
	if (flag == &c->color && b && getenv("NO_COLOR") && *getenv("NO_COLOR"))
		return 0;
	*flag = b;
	return 0;
}

int ui_config_parse(struct ui_config *c, const char *origin, const char *text)
{
	int bad = 0, lineno = 0;
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[1024], why[160];
		lineno++;
		if (len >= sizeof(line)) {
			config_msg(c, "%s line %d: line too long; ignored", origin, lineno);
			bad++;
		} else {
			memcpy(line, p, len);
			line[len] = '\0';
			if (config_line(c, line, why, sizeof(why))) {
				config_msg(c, "%s line %d: %s; ignored, using the default", origin,
					   lineno, why);
				bad++;
			}
		}
		p += len;
		if (*p == '\n')
			p++;
	}
	return bad;
}

char *ui_config_path(const char *name)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	char *path = NULL;
	int r;
	if (xdg && *xdg == '/')
		r = asprintf(&path, "%s/whytop/%s", xdg, name);
	else if (home && *home)
		r = asprintf(&path, "%s/.config/whytop/%s", home, name);
	else
		return NULL;
	return r < 0 ? NULL : path;
}

int ui_config_load(struct ui_config *c)
{
	char *path = ui_config_path("config"), *text = NULL;
	size_t len;
	if (!path)
		return 0;
	int r = wt_read_all_at(AT_FDCWD, path, &text, &len);
	if (r < 0) {
		if (r != -ENOENT && r != -ENOTDIR)
			config_msg(c, "cannot read %s: %s; using the defaults", path,
				   strerror(-r));
		free(path);
		return 0;
	}
	if (memchr(text, '\0', len))
		config_msg(c, "%s is not a text file; using the defaults", path);
	else
		ui_config_parse(c, "config", text); /* short: it goes on the status line */
	free(text);
	free(path);
	return 0;
}

static int parse_pids(struct ui_config *c, const char *arg, struct wt_err *err)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s", arg);
	for (char *save = NULL, *tok = strtok_r(tmp, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		long v;
		pid_t tgid;
		char esc[64];
		if (wt_parse_long(tok, 1, 0x7fffffff, &v))
			return wt_err_set(err, EINVAL, "-p: '%s' is not a process id",
					  wt_escape_to(esc, sizeof(esc), tok, strlen(tok), 0));
		/* A thread's id would match no row: say which process it belongs to. */
		if (proc_tgid_of((pid_t)v, &tgid) == 0 && tgid != (pid_t)v)
			return wt_err_set(err, EINVAL,
					  "-p: %ld is a thread of process %d, not a process; use "
					  "'whytop -p %d -H' to see its threads",
					  v, (int)tgid, (int)tgid);
		pid_t *n = realloc(c->pids, (c->npids + 1) * sizeof(*n));
		if (!n)
			return wt_err_set(err, ENOMEM, "out of memory");
		c->pids = n;
		c->pids[c->npids++] = (pid_t)v;
	}
	if (c->npids == 0)
		return wt_err_set(err, EINVAL, "-p needs a process id");
	return 0;
}

enum { OPT_THEME = 256, OPT_OPEN, OPT_BLOCKED, OPT_READONLY, OPT_NO_SAVE };

int ui_config_flags(struct ui_config *c, int argc, char **argv, struct wt_err *err)
{
	static const struct option longopts[] = {
		{ "delay", required_argument, NULL, 'd' },
		{ "pid", required_argument, NULL, 'p' },
		{ "user", required_argument, NULL, 'u' },
		{ "sort-key", required_argument, NULL, 's' },
		{ "tree", no_argument, NULL, 't' },
		{ "threads", no_argument, NULL, 'H' },
		{ "no-color", no_argument, NULL, 'C' },
		{ "no-colour", no_argument, NULL, 'C' },
		{ "theme", required_argument, NULL, OPT_THEME },
		{ "open", no_argument, NULL, OPT_OPEN },
		{ "blocked", no_argument, NULL, OPT_BLOCKED },
		{ "readonly", no_argument, NULL, OPT_READONLY },
		{ "no-save", no_argument, NULL, OPT_NO_SAVE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char why[160];
	long v;
	int opt;
	optind = 0; /* glibc: start over (tests call this more than once) */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+d:p:u:s:tHCh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			if (wt_parse_long(optarg, 1, 600, &v)) {
				char esc[64];
				wt_err_set(err, EINVAL,
					   "-d: '%s' is not a delay in tenths of a second (1 to 600)",
					   wt_escape_to(esc, sizeof(esc), optarg, strlen(optarg), 0));
				return 2;
			}
			c->delay_tenths = v;
			break;
		case 'p':
			if (parse_pids(c, optarg, err))
				return 2;
			break;
		case 'u':
			snprintf(c->user, sizeof(c->user), "%s", optarg);
			break;
		case 's':
			if (parse_sort(optarg, &c->sort_col, &c->sort_desc, why, sizeof(why))) {
				wt_err_set(err, EINVAL, "-s: %s", why);
				return 2;
			}
			break;
		case 't':
			c->tree = true;
			break;
		case 'H':
			c->threads = true;
			break;
		case 'C':
			c->color = false;
			break;
		case OPT_THEME:
			if (!theme_name_ok(optarg)) {
				wt_err_set(err, EINVAL, "--theme: '%s' is not a theme name", optarg);
				return 2;
			}
			snprintf(c->theme, sizeof(c->theme), "%s", optarg);
			break;
		case OPT_OPEN:
			c->open = true;
			break;
		case OPT_BLOCKED:
			c->blocked = true;
			break;
		case OPT_READONLY:
			c->readonly = true;
			break;
		case OPT_NO_SAVE:
			c->no_save = true;
			break;
		case 'h':
			return 1;
		case ':':
			wt_err_set(err, EINVAL, "option '%s' needs a value", argv[optind - 1]);
			return 2;
		default:
			wt_err_set(err, EINVAL, "unknown option '%s' (see whytop --help)",
				   argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc) {
		wt_err_set(err, EINVAL, "unexpected argument '%s' (see whytop --help)", argv[optind]);
		return 2;
	}
	if (c->open && c->npids != 1) {
		wt_err_set(err, EINVAL, "--open needs exactly one process: -p PID --open");
		return 2;
	}
	return 0;
}

void ui_config_print_options(FILE *f)
{
	fprintf(f, "Terminal UI options (override %s):\n",
		"$XDG_CONFIG_HOME/whytop/config");
	fprintf(f, "  -d, --delay TENTHS     refresh every TENTHS tenths of a second (default 15)\n"
		   "  -p, --pid PID[,PID...] show only these processes\n"
		   "  -u, --user USER        show only this user's processes\n"
		   "  -s, --sort-key COLUMN  sort by COLUMN (pid, user, cpu, mem, time, ...)\n"
		   "  -t, --tree             tree view\n"
		   "  -H, --threads          show threads\n"
		   "  -C, --no-color         no colours (also when NO_COLOR is set)\n"
		   "      --theme NAME       colour theme (default, mono, light, high-contrast, ...)\n"
		   "      --open             with -p PID: open straight on that process's screen\n"
		   "      --blocked          open straight on the blocked tasks (every D task)\n"
		   "      --readonly         look only: no kill, nice, affinity, poke or inject\n"
		   "      --no-save          do not write the settings changed in the UI on quit\n");
}

void ui_config_cols_str(const struct ui_config *c, char *out, size_t outsz)
{
	size_t off = 0;
	out[0] = '\0';
	for (size_t i = 0; i < c->ncols && off + 1 < outsz; i++) {
		int n = snprintf(out + off, outsz - off, "%s%s", i ? " " : "",
				 proc_columns[c->cols[i]].name);
		if (n < 0)
			break;
		off += (size_t)n;
	}
}

/* Writing the file back. */

static void meters_str(const enum ui_meter *m, size_t n, char *out, size_t outsz)
{
	size_t off = 0;
	snprintf(out, outsz, "none");
	for (size_t i = 0; i < n && off + 1 < outsz; i++) {
		int r = snprintf(out + off, outsz - off, "%s%s", i ? " " : "", ui_meter_names[m[i]]);
		if (r < 0)
			break;
		off += (size_t)r;
	}
}

void ui_config_format(const struct ui_config *c, enum ui_config_key k, char *out, size_t outsz)
{
	char v[512];
	const bool *flag = NULL;
	switch (k) {
	case UI_K_DELAY:
		snprintf(v, sizeof(v), "%ld", c->delay_tenths);
		break;
	case UI_K_COLUMNS:
		ui_config_cols_str(c, v, sizeof(v));
		break;
	case UI_K_SORT:
		snprintf(v, sizeof(v), "%s %s", proc_columns[c->sort_col].name,
			 c->sort_desc ? "desc" : "asc");
		break;
	case UI_K_THEME:
		snprintf(v, sizeof(v), "%s", c->theme);
		break;
	case UI_K_METERS_LEFT:
	case UI_K_METERS_RIGHT:
		meters_str(c->meters[k == UI_K_METERS_RIGHT], c->nmeters[k == UI_K_METERS_RIGHT], v,
			   sizeof(v));
		break;
	case UI_K_TREE:
		flag = &c->tree;
		break;
	case UI_K_THREADS:
		flag = &c->threads;
		break;
	case UI_K_HIDE_KTHREADS:
		flag = &c->hide_kthreads;
		break;
	case UI_K_COLOR:
		flag = &c->color;
		break;
	case UI_K_HIGHLIGHT:
		flag = &c->highlight;
		break;
	case UI_K_BASENAME:
		flag = &c->basename;
		break;
	default:
		v[0] = '\0';
	}
	if (flag)
		snprintf(v, sizeof(v), "%s", *flag ? "yes" : "no");
	snprintf(out, outsz, "%s = %s", key_names[k], v);
}

unsigned ui_config_diff(const struct ui_config *a, const struct ui_config *b)
{
	unsigned mask = 0;
	for (int k = 0; k < UI_K_COUNT; k++) {
		char x[600], y[600];
		ui_config_format(a, (enum ui_config_key)k, x, sizeof(x));
		ui_config_format(b, (enum ui_config_key)k, y, sizeof(y));
		if (strcmp(x, y) != 0)
			mask |= 1u << k;
	}
	return mask;
}

/* The key a line sets, or -1 (comment, blank, unknown or broken line). */
static int line_key(const char *line, size_t len)
{
	char buf[1024];
	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	char *hash = strchr(buf, '#');
	if (hash)
		*hash = '\0';
	char *eq = strchr(buf, '=');
	if (!eq)
		return -1;
	*eq = '\0';
	return key_by_name(ui_config_trim(buf));
}

char *ui_config_merge(const char *text, const struct ui_config *c, unsigned mask)
{
	struct wt_buf b;
	int bad = 0;
	size_t last[UI_K_COUNT], lineno = 0;
	const size_t none = (size_t)-1;
	char kv[600];

	wt_buf_init(&b);
	for (int k = 0; k < UI_K_COUNT; k++)
		last[k] = none;
	if (!text || !*text)
		text = "# whytop settings: written when whytop quits after a change in the UI.\n"
		       "# Lines whytop does not know are kept. See whytop(1), FILES.\n";
	/* The last line of a key is the one that counts when the file is read. */
	for (const char *p = text; *p; lineno++) {
		size_t len = strcspn(p, "\n");
		int k = line_key(p, len);
		if (k >= 0)
			last[k] = lineno;
		p += len + (p[len] == '\n');
	}
	lineno = 0;
	for (const char *p = text; *p; lineno++) {
		size_t len = strcspn(p, "\n");
		int k = line_key(p, len);
		if (k >= 0 && (mask & (1u << k)) && last[k] == lineno) {
			ui_config_format(c, (enum ui_config_key)k, kv, sizeof(kv));
			bad |= wt_buf_puts(&b, kv);
			/* A comment after the value stays, with the space before it. */
			const char *hash = memchr(p, '#', len);
			if (hash) {
				while (hash > p && (hash[-1] == ' ' || hash[-1] == '\t'))
					hash--;
				bad |= wt_buf_add(&b, hash, len - (size_t)(hash - p));
			}
		} else {
			bad |= wt_buf_add(&b, p, len);
		}
		bad |= wt_buf_add(&b, "\n", 1);
		p += len + (p[len] == '\n');
	}
	for (int k = 0; k < UI_K_COUNT; k++) {
		if (!(mask & (1u << k)) || last[k] != none)
			continue;
		ui_config_format(c, (enum ui_config_key)k, kv, sizeof(kv));
		bad |= wt_buf_puts(&b, kv);
		bad |= wt_buf_add(&b, "\n", 1);
	}
	if (bad) {
		wt_buf_free(&b);
		return NULL;
	}
	return wt_buf_steal(&b);
}

/* mkdir -p of path's directory part (path is "DIR/config"). */
static int make_dirs(char *dir)
{
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int r = mkdir(dir, 0755);
		*p = '/';
		if (r < 0 && errno != EEXIST)
			return -errno;
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

int ui_config_save(const struct ui_config *c, unsigned mask, struct wt_err *err)
{
	char *path = ui_config_path("config"), *text = NULL, *merged = NULL, *tmp = NULL;
	size_t len;
	mode_t mode = 0644;
	struct stat st;
	int fd = -1, r;

	wt_err_clear(err);
	if (!path)
		return wt_err_set(err, ENOENT,
				  "cannot save the settings: neither XDG_CONFIG_HOME nor HOME is set");
	/*
	 * A config that is a symbolic link (dotfiles kept in a repository):
	 * write the file it points to, in its own directory, and leave the
	 * link a link.
	 */
	char *real = realpath(path, NULL);
	if (real) {
		free(path);
		path = real;
	}
	r = wt_read_all_at(AT_FDCWD, path, &text, &len);
	if (r < 0 && r != -ENOENT) {
		wt_err_set(err, -r, "cannot save the settings to %s: reading it failed: %s", path,
			   strerror(-r));
		goto out;
	}
	if (r == 0 && memchr(text, '\0', len)) {
		r = wt_err_set(err, EINVAL,
			       "did not save the settings to %s: it is not a text file (move it away "
			       "to let whytop write a new one)", path);
		goto out;
	}
	if (r == 0 && stat(path, &st) == 0)
		mode = st.st_mode & 07777;
	merged = ui_config_merge(text, c, mask);
	if (!merged) {
		r = wt_err_set(err, ENOMEM, "cannot save the settings to %s: out of memory", path);
		goto out;
	}
	char *slash = strrchr(path, '/');
	*slash = '\0';
	r = make_dirs(path);
	if (r == 0 && asprintf(&tmp, "%s/.config.XXXXXX", path) < 0) {
		tmp = NULL;
		r = -ENOMEM;
	}
	if (r == 0 && (fd = mkostemp(tmp, O_CLOEXEC)) < 0)
		r = -errno;
	*slash = '/';
	if (r == 0 && fchmod(fd, mode) < 0)
		r = -errno;
	if (r == 0)
		r = write_all(fd, merged, strlen(merged));
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (fd >= 0 && close(fd) < 0 && r == 0)
		r = -errno;
	/* rename() replaces the file in one step: a reader sees the old or the new, whole. */
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		if (fd >= 0)
			unlink(tmp);
		wt_err_set(err, -r,
			   "cannot save the settings to %s: %s (check that its directory is "
			   "writable, or start whytop with --no-save)",
			   path, strerror(-r));
	}
out:
	free(tmp);
	free(merged);
	free(text);
	free(path);
	return r < 0 ? r : 0;
}
