/*
 * tab_overview.c: the Overview tab of a process's screen: name, command
 * line, exe, cwd, cgroup, open fds, context switches, namespaces, the
 * interesting lines of /proc/PID/status, the environment and the limits,
 * from proc_overview_read_flags and proc_environ_read. Re-read at every
 * refresh, but for the command line and the environment, read once (both
 * take the process's mmap lock). The command line and each variable are
 * wrapped to the window's width, shown whole; scrolls with the arrows.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/files.h>
#include <whytop/proc.h>

#include "ui/tab.h"
#include "ui/ui_int.h"

/* Wide enough for "nonvoluntary_ctxt_switches". */
#define OV_LABEL_W 26

struct ov_line {
	char *label; /* NULL: a section title in value */
	char *value;
};

struct ov_state {
	struct ov_line *lines;
	size_t n, cap;
	struct ui_list list;
	char error[512];
	bool have;
	char *cmdline; /* read once: it can block on a stuck task (proc.h) */
	bool env_read; /* the environment, read once for the same reason */
	char **env;
	size_t nenv;
	bool env_cut;
	char env_error[512];
	int width; /* the window's width the lines were wrapped for */
};

static void ov_clear(struct ov_state *st)
{
	for (size_t i = 0; i < st->n; i++) {
		free(st->lines[i].label);
		free(st->lines[i].value);
	}
	st->n = 0;
}

static void ov_add(struct ov_state *st, const char *label, const char *value)
{
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 64;
		struct ov_line *l = realloc(st->lines, cap * sizeof(*l));
		if (!l)
			return;
		st->lines = l;
		st->cap = cap;
	}
	st->lines[st->n].label = label ? strdup(label) : NULL;
	st->lines[st->n].value = strdup(value ? value : "(unreadable)");
	st->n++;
}

/*
 * A multi-line text: one row per line, under a section title. The core
 * escaped each line and joined them with '\n', the only control character
 * in the text. With key_value, "Key: value" lines put Key in the label
 * column.
 */
static void ov_add_text(struct ov_state *st, const char *title, const char *text, bool key_value)
{
	ov_add(st, NULL, "");
	ov_add(st, NULL, title);
	if (!text) {
		ov_add(st, "", "(unreadable)");
		return;
	}
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, len);
		p += len + (nl != NULL);
		if (!line)
			continue;
		char *colon = key_value ? strchr(line, ':') : NULL;
		if (colon && colon - line < 28) {
			*colon = '\0';
			char *v = colon + 1;
			while (*v == ' ')
				v++;
			ov_add(st, line, v);
		} else if (*line || *p) {
			ov_add(st, "", line);
		}
		free(line);
	}
}

/*
 * value under label, cut into rows that fit the value column (the whole
 * text is shown: a long command line is not cut at the screen's edge).
 * value is escaped: printable UTF-8, cut between characters.
 */
static void ov_add_wrapped(struct ov_state *st, const char *label, const char *value)
{
	int room = st->width - (OV_LABEL_W + 4) - 1;
	if (!value || room < 10) {
		ov_add(st, label, value);
		return;
	}
	const char *p = value;
	do {
		const char *q = p;
		int used = 0;
		while (*q) {
			size_t cl = 1;
			while ((q[cl] & 0xc0) == 0x80)
				cl++;
			int w = ui_text_width(q, cl);
			if (used + w > room)
				break;
			used += w;
			q += cl;
		}
		if (q == p) /* a character wider than the room: take it anyway */
			q = p + 1;
		char *row = strndup(p, (size_t)(q - p));
		ov_add(st, p == value ? label : "", row ? row : "");
		free(row);
		p = q;
	} while (*p);
}

static void ov_add_env(struct tab_ctx *ctx, struct ov_state *st)
{
	if (!st->env_read) {
		struct wt_err err;
		wt_err_clear(&err);
		st->env_read = true;
		if (proc_environ_read(ctx->pid, &st->env, &st->nenv, &st->env_cut, &err) < 0)
			snprintf(st->env_error, sizeof(st->env_error), "%s", err.msg);
	}
	char title[128];
	snprintf(title, sizeof(title), "Environment (%zu variables%s; e on the list searches it)",
		 st->nenv, st->env_cut ? ", more than 4 MiB: cut" : "");
	ov_add(st, NULL, "");
	ov_add(st, NULL, title);
	if (st->env_error[0])
		ov_add(st, "", st->env_error);
	for (size_t i = 0; i < st->nenv; i++)
		ov_add_wrapped(st, "", st->env[i]);
}

static void ov_read(struct tab_ctx *ctx, struct ov_state *st)
{
	struct proc_overview ov;
	struct wt_err err;
	memset(&ov, 0, sizeof(ov));
	wt_err_clear(&err);
	ov_clear(st);
	if (proc_overview_read_flags(ctx->pid, st->cmdline ? PROC_OVERVIEW_NO_CMDLINE : 0, &ov,
				     &err) < 0) {
		snprintf(st->error, sizeof(st->error), "%s", err.msg[0] ? err.msg : "cannot read");
		st->have = false;
		st->list.n = 0;
		return;
	}
	st->error[0] = '\0';
	st->have = true;
	char buf[128];
	snprintf(buf, sizeof(buf), "%d", (int)ov.pid);
	ov_add(st, "PID", buf);
	ov_add(st, "Name", ov.name);
	if (!st->cmdline && ov.cmdline)
		st->cmdline = strdup(ov.cmdline);
	ov_add_wrapped(st, "Command", st->cmdline);
	ov_add(st, "Executable", ov.exe);
	ov_add(st, "Working dir", ov.cwd);
	if (ov.nfds >= 0)
		snprintf(buf, sizeof(buf), "%ld", ov.nfds);
	else
		snprintf(buf, sizeof(buf), "unknown (no permission)");
	ov_add(st, "Open fds", buf);
	snprintf(buf, sizeof(buf), "%llu voluntary, %llu involuntary",
		 (unsigned long long)ov.vol_ctxt, (unsigned long long)ov.nonvol_ctxt);
	ov_add(st, "Ctx switches", buf);
	ov_add_text(st, "Cgroups", ov.cgroup, false);
	ov_add_text(st, "Namespaces", ov.namespaces_text, false);
	ov_add_text(st, "Status", ov.status_text, true);
	ov_add_env(ctx, st);
	ov_add_text(st, "Limits", ov.limits_text, false);
	proc_overview_free(&ov);
	st->list.n = st->n;
	ui_list_clamp(&st->list);
}

static int ov_open(struct tab_ctx *ctx, void **state)
{
	struct ov_state *st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	*state = st;
	st->width = COLS;
	ov_read(ctx, st);
	return 0;
}

static void ov_close(struct tab_ctx *ctx, void *state)
{
	struct ov_state *st = state;
	ov_clear(st);
	free(st->lines);
	free(st->cmdline);
	proc_environ_free(st->env, st->nenv);
	free(st);
}

static void ov_row(void *arg, WINDOW *win, int y, size_t row, bool selected)
{
	struct ov_state *st = arg;
	struct ov_line *l = &st->lines[row];
	if (!l->label) {
		ui_put(win, y, 1, -1, ui_attr(UI_E_TITLE), l->value);
		return;
	}
	ui_put(win, y, 2, OV_LABEL_W, ui_attr(UI_E_LABEL), l->label);
	ui_put(win, y, OV_LABEL_W + 4, -1, ui_attr(UI_E_VALUE), l->value);
}

static void ov_draw(struct tab_ctx *ctx, void *state, WINDOW *win)
{
	struct ov_state *st = state;
	int h = getmaxy(win);
	if (tab_crash_draw(ctx, win))
		return;
	if (!st->have) {
		ui_put(win, 1, 2, -1, ui_attr(UI_E_ERROR), st->error);
		return;
	}
	if (getmaxx(win) != st->width && !ctx->process_gone) {
		/* Wrapped for another width: again for this one. */
		size_t top = st->list.top;
		st->width = getmaxx(win);
		ov_read(ctx, st);
		st->list.top = top;
		ui_list_clamp(&st->list);
		if (!st->have)
			return;
	}
	if (ctx->process_gone)
		ui_put(win, h - 1, 2, -1, ui_attr(UI_E_WARNING),
		       "The process has exited; this is what it looked like last.");
	ui_textview_draw(&st->list, win, 0, ctx->process_gone ? h - 1 : h, ov_row, st);
}

static unsigned ov_key(struct tab_ctx *ctx, void *state, int key)
{
	struct ov_state *st = state;
	if (tab_crash_key(ctx, NULL, key))
		return UI_REDRAW;
	return ui_textview_key(&st->list, key) ? UI_REDRAW : UI_UNHANDLED;
}

static unsigned ov_tick(struct tab_ctx *ctx, void *state)
{
	struct ov_state *st = state;
	if (ctx->process_gone)
		return UI_NONE; /* keep the last picture */
	size_t top = st->list.top;
	ov_read(ctx, st);
	st->list.top = top;
	return UI_REDRAW;
}

const struct tab_ops tab_overview_ops = {
	.name = "Overview",
	.open = ov_open,
	.close = ov_close,
	.draw = ov_draw,
	.key = ov_key,
	.tick = ov_tick,
	.help = "Up/Down PgUp/PgDn: scroll",
};
