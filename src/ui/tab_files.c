/*
 * tab_files.c: the Files tab of a process's screen: every open fd (number,
 * type, offset, flags, target; a socket as its protocol, local and remote
 * address and state) re-read at every refresh, and with `m` the memory
 * maps (range, permissions, RSS, path), read when shown and at every
 * refresh while shown (smaps takes the process's mmap lock: never in the
 * background). Reached with `l` from the process list, as htop's lsof.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/files.h>

#include "ui/tab.h"
#include "ui/ui_int.h"

struct files_state {
	bool maps_view; /* `m`: the memory maps instead of the fds */
	bool active;	/* the tab is shown: only then is /proc read */
	struct proc_fd *fds;
	size_t nfds;
	struct proc_mapping *maps;
	size_t nmaps;
	bool have_rss;
	uint64_t total_rss_kb;
	struct ui_list fd_list, map_list;
	char error[512]; /* why the current view could not be read, "" if it could */
};

static void files_read_fds(struct tab_ctx *ctx, struct files_state *st)
{
	struct wt_err err;
	wt_err_clear(&err);
	proc_fds_free(st->fds, st->nfds);
	st->fds = NULL;
	st->nfds = 0;
	st->error[0] = '\0';
	if (proc_fds_read(ctx->pid, &st->fds, &st->nfds, &err) < 0)
		snprintf(st->error, sizeof(st->error), "%s", err.msg);
	st->fd_list.n = st->nfds;
	ui_list_clamp(&st->fd_list);
}

static void files_read_maps(struct tab_ctx *ctx, struct files_state *st)
{
	struct wt_err err;
	wt_err_clear(&err);
	proc_maps_free(st->maps, st->nmaps);
	st->maps = NULL;
	st->nmaps = 0;
	st->error[0] = '\0';
	if (proc_maps_read(ctx->pid, &st->maps, &st->nmaps, &st->have_rss, &st->total_rss_kb,
			   &err) < 0)
		snprintf(st->error, sizeof(st->error), "%s", err.msg);
	st->map_list.n = st->nmaps;
	ui_list_clamp(&st->map_list);
}

static void files_read(struct tab_ctx *ctx, struct files_state *st)
{
	if (st->maps_view)
		files_read_maps(ctx, st);
	else
		files_read_fds(ctx, st);
}

static int files_open(struct tab_ctx *ctx, void **state)
{
	struct files_state *st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	*state = st;
	(void)ctx; /* read when it gets the focus, right after */
	return 0;
}

static void files_close(struct tab_ctx *ctx, void *state)
{
	(void)ctx;
	struct files_state *st = state;
	proc_fds_free(st->fds, st->nfds);
	proc_maps_free(st->maps, st->nmaps);
	free(st);
}

/* What an fd points at: a socket as "tcp 127.0.0.1:80 -> 10.0.0.1:5000 ESTABLISHED". */
static void fd_target(const struct proc_fd *f, char *buf, size_t size)
{
	if (!f->have_sock) {
		snprintf(buf, size, "%s", f->target);
		return;
	}
	const struct proc_sock *s = &f->sock;
	snprintf(buf, size, "%s %s%s%s%s%s", s->proto, s->local[0] ? s->local : "(unnamed)",
		 s->remote[0] ? " -> " : "", s->remote, s->state[0] ? " " : "", s->state);
}

static void fd_row(void *arg, WINDOW *win, int y, size_t row, bool selected)
{
	(void)selected;
	const struct proc_fd *f = &((struct files_state *)arg)->fds[row];
	char line[1024], flags[160], off[32], tgt[600];
	if (f->have_info) {
		proc_fd_flags_str(f->flags, flags, sizeof(flags));
		snprintf(off, sizeof(off), "%" PRIu64, f->pos);
	} else {
		snprintf(flags, sizeof(flags), "?");
		snprintf(off, sizeof(off), "?");
	}
	fd_target(f, tgt, sizeof(tgt));
	snprintf(line, sizeof(line), "%5d %-9s %10s  %-34s %s", f->fd, proc_fd_type_name(f->type),
		 off, flags, tgt);
	ui_put(win, y, 0, -1, ui_attr(UI_E_NORMAL), line);
}

static void map_row(void *arg, WINDOW *win, int y, size_t row, bool selected)
{
	(void)selected;
	const struct files_state *st = arg;
	const struct proc_mapping *m = &st->maps[row];
	char line[1024], rss[32];
	if (st->have_rss)
		snprintf(rss, sizeof(rss), "%" PRIu64 "K", m->rss_kb);
	else
		snprintf(rss, sizeof(rss), "?");
	snprintf(line, sizeof(line), "%012" PRIx64 "-%012" PRIx64 " %-4s %9s  %s", m->start, m->end,
		 m->perms, rss, m->path);
	ui_put(win, y, 0, -1, ui_attr(UI_E_NORMAL), line);
}

static void files_draw(struct tab_ctx *ctx, void *state, WINDOW *win)
{
	struct files_state *st = state;
	int h = getmaxy(win);
	char title[256];
	if (st->error[0]) {
		ui_put(win, 1, 2, -1, ui_attr(UI_E_ERROR), st->error);
		return;
	}
	int foot = ctx->process_gone ? 1 : 0;
	if (st->maps_view) {
		if (st->have_rss)
			snprintf(title, sizeof(title),
				 "%zu memory maps, %" PRIu64 " kB resident   (m: open files)",
				 st->nmaps, st->total_rss_kb);
		else
			snprintf(title, sizeof(title),
				 "%zu memory maps (no RSS: smaps unreadable)   (m: open files)",
				 st->nmaps);
		ui_put(win, 0, 1, -1, ui_attr(UI_E_TITLE), title);
		ui_put(win, 1, 0, -1, ui_attr(UI_E_COLUMN_HEADER),
		       "ADDRESS RANGE                 PERM       RSS  PATH");
		ui_fill(win, 1, 50, ui_attr(UI_E_COLUMN_HEADER));
		ui_textview_draw(&st->map_list, win, 2, h - 2 - foot, map_row, st);
	} else {
		snprintf(title, sizeof(title), "%zu open files   (m: memory maps)", st->nfds);
		ui_put(win, 0, 1, -1, ui_attr(UI_E_TITLE), title);
		ui_put(win, 1, 0, -1, ui_attr(UI_E_COLUMN_HEADER),
		       "   FD TYPE          OFFSET  FLAGS                              TARGET");
		ui_fill(win, 1, 70, ui_attr(UI_E_COLUMN_HEADER));
		ui_textview_draw(&st->fd_list, win, 2, h - 2 - foot, fd_row, st);
	}
	if (foot)
		ui_put(win, h - 1, 2, -1, ui_attr(UI_E_WARNING),
		       "The process has exited; this is what it held last.");
}

static unsigned files_key(struct tab_ctx *ctx, void *state, int key)
{
	struct files_state *st = state;
	if (key == 'm') {
		st->maps_view = !st->maps_view;
		if (!ctx->process_gone)
			files_read(ctx, st);
		return UI_REDRAW;
	}
	return ui_textview_key(st->maps_view ? &st->map_list : &st->fd_list, key) ? UI_REDRAW
										  : UI_UNHANDLED;
}

static unsigned files_tick(struct tab_ctx *ctx, void *state)
{
	struct files_state *st = state;
	if (ctx->process_gone || !st->active)
		return UI_NONE; /* keep the last picture; a hidden tab reads nothing */
	files_read(ctx, st);
	return UI_REDRAW;
}

static void files_focus(struct tab_ctx *ctx, void *state, bool active)
{
	struct files_state *st = state;
	st->active = active;
	if (active && !ctx->process_gone)
		files_read(ctx, st); /* it was not read while hidden */
}

const struct tab_ops tab_files_ops = {
    .name = "Files",
    .open = files_open,
    .close = files_close,
    .draw = files_draw,
    .key = files_key,
    .tick = files_tick,
    .focus = files_focus,
    .help = "m: memory maps / open files   Up/Down PgUp/PgDn: scroll",
};
