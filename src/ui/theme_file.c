/*
 * theme_file.c: reading theme files (no curses; theme.c applies them).
 *
 * A theme is a text file named after the theme, one "element = spec" a
 * line, '#' comments. spec is "FG [on BG]" and/or attributes, separated
 * by commas: "black on cyan, bold", "reverse", "on blue". Colours are
 * names (default, black, red, green, yellow, blue, magenta, cyan, white,
 * bright-black .. bright-white) or palette numbers 0-255. "element.256 =
 * spec" overrides the element on terminals with 256 colours. Elements the
 * file leaves out look like "normal". "description = text" is shown when
 * cycling themes.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/config.h"
#include "ui/theme.h"

const char *const theme_elem_names[UI_E_COUNT] = {
	[UI_E_NORMAL] = "normal",
	[UI_E_TITLE] = "title",
	[UI_E_LABEL] = "label",
	[UI_E_VALUE] = "value",
	[UI_E_COLUMN_HEADER] = "column_header",
	[UI_E_COLUMN_SORTED] = "column_sorted",
	[UI_E_SELECTED] = "selected",
	[UI_E_STATUS] = "status",
	[UI_E_ERROR] = "error",
	[UI_E_WARNING] = "warning",
	[UI_E_KEY] = "key",
	[UI_E_KEY_LABEL] = "key_label",
	[UI_E_BAR_BRACKET] = "bar_bracket",
	[UI_E_BAR_USER] = "bar_user",
	[UI_E_BAR_SYSTEM] = "bar_system",
	[UI_E_BAR_IO] = "bar_io",
	[UI_E_BAR_MEM] = "bar_mem",
	[UI_E_BAR_BUFFERS] = "bar_buffers",
	[UI_E_BAR_CACHE] = "bar_cache",
	[UI_E_BAR_SWAP] = "bar_swap",
	[UI_E_STATE_D] = "state_d",
	[UI_E_STATE_R] = "state_r",
	[UI_E_STATE_Z] = "state_z",
	[UI_E_STATE_T] = "state_t",
	[UI_E_KTHREAD] = "kthread",
	[UI_E_THREAD] = "thread",
	[UI_E_DIM] = "dim",
	[UI_E_MATCH] = "match",
	[UI_E_TAB] = "tab",
	[UI_E_TAB_ACTIVE] = "tab_active",
	[UI_E_DIALOG] = "dialog",
	[UI_E_NEW_TASK] = "new_task",
	[UI_E_DYING_TASK] = "dying_task",
};

static const char *const color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
	const char *name;
	unsigned bit;
} attr_names[] = {
	{ "bold", THEME_BOLD },		  { "dim", THEME_DIM },
	{ "reverse", THEME_REVERSE },	  { "underline", THEME_UNDERLINE },
	{ "standout", THEME_STANDOUT },	  { "italic", THEME_ITALIC },
	{ "none", 0 },
};

static int parse_color(const char *s, short *out)
{
	if (strcasecmp(s, "default") == 0) {
		*out = -1;
		return 0;
	}
	if (isdigit((unsigned char)*s)) {
		long v;
		if (wt_parse_long(s, 0, 255, &v))
			return -EINVAL;
		*out = (short)v;
		return 0;
	}
	int bright = 0;
	if (strncasecmp(s, "bright-", 7) == 0) {
		bright = 8;
		s += 7;
	}
	if (!bright && (strcasecmp(s, "gray") == 0 || strcasecmp(s, "grey") == 0)) {
		*out = 8;
		return 0;
	}
	for (size_t i = 0; i < WT_ARRAY_SIZE(color_names); i++)
		if (strcasecmp(s, color_names[i]) == 0) {
			*out = (short)(i + bright);
			return 0;
		}
	return -EINVAL;
}

/* Parse one spec; the reason for a failure goes to why. */
static int parse_spec(char *v, struct theme_spec *sp, char *why, size_t whysz)
{
	struct theme_spec s = { .set = true, .fg = -1, .bg = -1, .attrs = 0 };
	bool have_colors = false;
	for (char *save = NULL, *part = strtok_r(v, ",", &save); part;
	     part = strtok_r(NULL, ",", &save)) {
		part = ui_config_trim(part);
		bool is_attr = false;
		for (size_t i = 0; i < WT_ARRAY_SIZE(attr_names); i++)
			if (strcasecmp(part, attr_names[i].name) == 0) {
				s.attrs |= attr_names[i].bit;
				is_attr = true;
			}
		if (is_attr)
			continue;
		if (have_colors) {
			snprintf(why, whysz, "'%.40s' is not an attribute", part);
			return -EINVAL;
		}
		char fg[32] = "", on[8] = "", bg[32] = "", extra[8] = "";
		int n = sscanf(part, "%31s %7s %31s %7s", fg, on, bg, extra);
		if (strcasecmp(fg, "on") == 0 && n == 2) {
			/* "on BG" */
			snprintf(bg, sizeof(bg), "%s", on);
			snprintf(fg, sizeof(fg), "default");
		} else if (n == 3 && strcasecmp(on, "on") == 0) {
			/* "FG on BG" */
		} else if (n == 1) {
			snprintf(bg, sizeof(bg), "default");
		} else {
			snprintf(why, whysz, "'%.40s' is not 'FG on BG'", part);
			return -EINVAL;
		}
		if (parse_color(fg, &s.fg) || parse_color(bg, &s.bg)) {
			snprintf(why, whysz, "unknown colour in '%.40s'", part);
			return -EINVAL;
		}
		have_colors = true;
	}
	*sp = s;
	return 0;
}

int theme_parse(struct theme *th, const char *name, const char *text, struct wt_err *err)
{
	memset(th, 0, sizeof(*th));
	snprintf(th->name, sizeof(th->name), "%s", name);
	int lineno = 0;
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[512], why[160];
		lineno++;
		if (len >= sizeof(line))
			return wt_err_set(err, EINVAL, "theme %s line %d: line too long", name, lineno);
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (p[len] == '\n');

		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *s = ui_config_trim(line);
		if (!*s)
			continue;
		char *eq = strchr(s, '=');
		if (!eq)
			return wt_err_set(err, EINVAL, "theme %s line %d: expected 'element = colours'",
					  name, lineno);
		*eq = '\0';
		char *key = ui_config_trim(s), *val = ui_config_trim(eq + 1);
		if (strcmp(key, "description") == 0) {
			snprintf(th->description, sizeof(th->description), "%s", val);
			continue;
		}
		bool is256 = false;
		size_t klen = strlen(key);
		if (klen > 4 && strcmp(key + klen - 4, ".256") == 0) {
			key[klen - 4] = '\0';
			is256 = true;
		}
		int e = -1;
		for (int i = 0; i < UI_E_COUNT; i++)
			if (strcmp(key, theme_elem_names[i]) == 0)
				e = i;
		if (e < 0)
			return wt_err_set(err, EINVAL, "theme %s line %d: unknown element '%.40s'",
					  name, lineno, key);
		struct theme_spec *sp = is256 ? &th->spec256[e] : &th->spec8[e];
		if (parse_spec(val, sp, why, sizeof(why)))
			return wt_err_set(err, EINVAL, "theme %s line %d: %s", name, lineno, why);
	}
	/*
	 * A theme written before new_task and dying_task existed: the colours
	 * of user and system time in the CPU bars (green and red, as htop).
	 */
	if (!th->spec8[UI_E_NEW_TASK].set && th->spec8[UI_E_BAR_USER].set)
		th->spec8[UI_E_NEW_TASK] = th->spec8[UI_E_BAR_USER];
	if (!th->spec8[UI_E_DYING_TASK].set && th->spec8[UI_E_BAR_SYSTEM].set)
		th->spec8[UI_E_DYING_TASK] = th->spec8[UI_E_BAR_SYSTEM];
	/* Whatever the file leaves out looks like normal text. */
	if (!th->spec8[UI_E_NORMAL].set)
		th->spec8[UI_E_NORMAL] = (struct theme_spec){ .set = true, .fg = -1, .bg = -1 };
	for (int i = 0; i < UI_E_COUNT; i++)
		if (!th->spec8[i].set)
			th->spec8[i] = th->spec8[UI_E_NORMAL];
	return 0;
}

/* The directories searched, in order: the user's, the source tree's, the installed. */
static size_t theme_dirs(char *dirs[3])
{
	size_t n = 0;
	char *user = ui_config_path("themes");
	if (user)
		dirs[n++] = user;
	dirs[n++] = strdup(WHYTOP_SRC_THEMEDIR);
	dirs[n++] = strdup(WHYTOP_THEMEDIR);
	return n;
}

static bool theme_file_name_ok(const char *name)
{
	if (!*name || *name == '.' || strchr(name, '/') || strlen(name) >= 64)
		return false;
	size_t n = strlen(name);
	return name[n - 1] != '~';
}

int theme_load(struct theme *th, const char *name, struct wt_err *err)
{
	if (!theme_file_name_ok(name))
		return wt_err_set(err, EINVAL, "'%s' is not a theme name", name);
	char *dirs[3];
	size_t nd = theme_dirs(dirs);
	int r = -ENOENT;
	for (size_t i = 0; i < nd; i++) {
		if (!dirs[i] || r != -ENOENT)
			continue;
		char path[4096], *text;
		size_t len;
		snprintf(path, sizeof(path), "%s/%s", dirs[i], name);
		int rr = wt_read_all_at(AT_FDCWD, path, &text, &len);
		if (rr == -ENOENT || rr == -ENOTDIR)
			continue;
		if (rr < 0) {
			r = wt_err_set(err, -rr, "cannot read theme %s: %s", path, strerror(-rr));
			break;
		}
		r = theme_parse(th, name, text, err);
		free(text);
	}
	if (r == -ENOENT)
		r = wt_err_set(err, ENOENT,
			   "no theme called '%s' (looked in %s/themes, %s and %s)", name,
			   "$XDG_CONFIG_HOME/whytop", WHYTOP_SRC_THEMEDIR, WHYTOP_THEMEDIR);
	for (size_t i = 0; i < nd; i++)
		free(dirs[i]);
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t theme_list(char ***out)
{
	char *dirs[3];
	size_t nd = theme_dirs(dirs), n = 0, cap = 0;
	char **names = NULL;
	for (size_t i = 0; i < nd; i++) {
		DIR *d = dirs[i] ? opendir(dirs[i]) : NULL;
		if (!d)
			continue;
		struct dirent *de;
		while ((de = readdir(d))) {
			if (!theme_file_name_ok(de->d_name) || de->d_type == DT_DIR)
				continue;
			bool dup = false;
			for (size_t j = 0; j < n; j++)
				dup |= strcmp(names[j], de->d_name) == 0;
			if (dup)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 8;
				char **nn = realloc(names, cap * sizeof(*nn));
				if (!nn)
					break;
				names = nn;
			}
			names[n++] = strdup(de->d_name);
		}
		closedir(d);
	}
	for (size_t i = 0; i < nd; i++)
		free(dirs[i]);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	*out = names;
	return n;
}

void theme_list_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
