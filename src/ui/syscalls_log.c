/*
 * syscalls_log.c: the Syscalls tab's live log (`l` in the tab, `s` on
 * the process list): each call as strace prints it, newest at the bottom,
 * from a trace session (trace.h: in-kernel when whytop may, else ptrace)
 * through a trace_ring (a call is one line, completed in place when it
 * returns). The view follows the end until a line is selected (arrows,
 * PgUp) or it is paused; End follows again. `/` types a filter that
 * applies as it is typed (names, %classes, "!" for failed calls);
 * Enter shows a call whole. Failed calls stand out; calls in progress are
 * dim. Records are drained whatever the view shows, so pausing loses
 * nothing but the oldest lines (the ring keeps SYSLOG_LINES).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <whytop/decode.h>
#include <whytop/trace.h>

#include "ui/widgets.h"

#include "ui/syscalls_log.h"
#include "ui/tab.h"
#include "ui/ui_int.h"

#define SYSLOG_LINES 10000

struct sclog {
	struct trace_session *s;
	struct trace_ring *ring;
	char bname[80];
	char error[512];
	char filter[128];
	bool typing;  /* keys go to the filter */
	bool paused;  /* the view stays where it is */
	uint64_t sel; /* serial of the selected line; 0: follow the end */
	enum sc_backend backend; /* asked for: AUTO, or what `b` switched to */
	enum sc_backend running; /* the one that opened */
	bool stacks;		 /* `k`: each call's user stack (ptrace stops) */
	size_t *idx;  /* ring indexes that pass the filter */
	size_t nidx;
	int height;
	pid_t tid; /* 0: the whole process */
	/* `i`: a fault injected into one call (a rule of trace.h), until `i` again */
	struct trace_inject inj;
	bool inj_on;
	char inj_desc[120];
};

struct sclog *sclog_new(void)
{
	struct sclog *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->idx = malloc(SYSLOG_LINES * sizeof(*l->idx));
	if (!l->idx) {
		free(l);
		return NULL;
	}
	return l;
}

void sclog_stop(struct sclog *l)
{
	if (l->s) {
		trace_close(l->s);
		l->s = NULL;
	}
}

void sclog_free(struct sclog *l)
{
	if (!l)
		return;
	sclog_stop(l);
	trace_ring_free(l->ring);
	free(l->idx);
	free(l);
}

bool sclog_running(const struct sclog *l)
{
	return l->s != NULL;
}

void sclog_start(struct sclog *l, struct tab_ctx *ctx, pid_t tid)
{
	struct wt_err err;
	wt_err_clear(&err);
	sclog_stop(l);
	l->error[0] = '\0';
	if (ctx->process_gone) {
		snprintf(l->error, sizeof(l->error), "The process has exited: nothing to log.");
		return;
	}
	if (!l->ring) {
		struct sysdecode_opts o = {.strsize = 32};
		l->ring = trace_ring_new(SYSLOG_LINES, &o);
		if (!l->ring) {
			snprintf(l->error, sizeof(l->error), "Out of memory for the log.");
			return;
		}
	}
	/* the ptrace backend is a mode of the screen's target: take it now */
	if (!tab_target(ctx, &err))
		wt_err_clear(&err);
	l->tid = tid;
	pid_t pid = tid ? tid : ctx->pid;
	struct trace_opts o = {.pids = &pid, .npids = 1,
			       /* stacks are copied at ptrace stops only */
			       .backend = l->stacks ? SC_BACKEND_PTRACE : l->backend,
			       .stacks = l->stacks,
			       .follow = tid == 0, .strsize = 32};
	if (l->inj_on) { /* injection is done at ptrace stops */
		o.inject = &l->inj;
		o.ninject = 1;
		o.backend = SC_BACKEND_PTRACE;
	}
	if (trace_open(&l->s, &o, &err) < 0) {
		snprintf(l->error, sizeof(l->error), "%s", err.msg);
		l->s = NULL;
		return;
	}
	snprintf(l->bname, sizeof(l->bname), "%s", trace_backend_name(l->s));
	l->running = strstr(l->bname, "ptrace") ? SC_BACKEND_PTRACE : SC_BACKEND_KERNEL;
}

bool sclog_typing(const struct sclog *l)
{
	return l->typing;
}

int sclog_fd(const struct sclog *l)
{
	return l->s ? trace_fd(l->s) : -1;
}

static void on_rec(const struct trace_rec *r, void *ctx)
{
	trace_ring_add(ctx, r);
}

unsigned sclog_on_fd(struct sclog *l, struct tab_ctx *ctx)
{
	struct wt_err err;
	if (!l->s)
		return UI_NONE;
	if (trace_drain(l->s, on_rec, l->ring, &err) < 0) {
		snprintf(l->error, sizeof(l->error), "%s", err.msg);
		sclog_stop(l);
	} else if (!trace_alive(l->s, NULL)) {
		trace_drain(l->s, on_rec, l->ring, &err);
		sclog_stop(l);
	}
	return l->paused ? UI_NONE : UI_REDRAW;
}

/* The filtered lines; returns the position of the selected one (nidx if none). */
static size_t sclog_index(struct sclog *l)
{
	size_t n = l->ring ? trace_ring_count(l->ring) : 0, pos = (size_t)-1;
	uint64_t first = l->ring ? trace_ring_serial(l->ring) - n : 0;
	l->nidx = 0;
	for (size_t i = 0; i < n; i++) {
		const struct trace_line *t = trace_ring_get(l->ring, i);
		if (!trace_line_matches(t, l->filter))
			continue;
		if (l->sel && first + i + 1 <= l->sel)
			pos = l->nidx; /* the selected line, or the last before it if filtered out */
		l->idx[l->nidx++] = i;
	}
	if (l->sel && pos == (size_t)-1 && l->nidx)
		pos = 0;
	return l->sel ? pos : l->nidx;
}

static uint64_t serial_at(const struct sclog *l, size_t pos)
{
	size_t n = trace_ring_count(l->ring);
	return trace_ring_serial(l->ring) - n + l->idx[pos] + 1;
}

static void sclog_line(struct sclog *l, WINDOW *win, int y, int w, size_t pos, bool selected)
{
	const struct trace_line *t = trace_ring_get(l->ring, l->idx[pos]);
	char head[64] = "";
	if (t->t_ns) {
		time_t sec = (time_t)(t->t_ns / 1000000000u);
		struct tm tm;
		localtime_r(&sec, &tm);
		snprintf(head, sizeof(head), "%02d:%02d:%02d.%06u %7d ", tm.tm_hour, tm.tm_min,
			 tm.tm_sec, (unsigned)(t->t_ns % 1000000000u / 1000u), (int)t->tid);
	} else {
		snprintf(head, sizeof(head), "%15s %7d ", "", (int)t->tid);
	}
	int attr = selected			       ? ui_attr(UI_E_SELECTED)
		   : t->failed			       ? ui_attr(UI_E_ERROR)
		   : (t->kind == TRACE_SYSCALL && !t->done) ? ui_attr(UI_E_DIM)
		   : t->kind != TRACE_SYSCALL	       ? ui_attr(UI_E_WARNING)
							       : ui_attr(UI_E_NORMAL);
	int x = ui_put(win, y, 0, -1, selected ? attr : ui_attr(UI_E_DIM), head);
	x += ui_put(win, y, x, w - x, attr, t->text ? t->text : "");
	if (selected)
		ui_fill(win, y, x, attr);
}

void sclog_draw(struct sclog *l, struct tab_ctx *ctx, WINDOW *win)
{
	int h, w;
	getmaxyx(win, h, w);
	char buf[512];
	int x = ui_put(win, 0, 0, -1, ui_attr(UI_E_LABEL), "Log: ");
	if (l->s)
		x += ui_put(win, 0, x, -1, ui_attr(UI_E_VALUE), l->bname);
	else
		x += ui_put(win, 0, x, -1, ui_attr(UI_E_DIM), "not logging");
	uint64_t lost = l->ring ? trace_ring_lost(l->ring) : 0;
	snprintf(buf, sizeof(buf), "   Lines: %zu", l->ring ? trace_ring_count(l->ring) : 0);
	x += ui_put(win, 0, x, -1, ui_attr(UI_E_VALUE), buf);
	snprintf(buf, sizeof(buf), "   Lost: %llu", (unsigned long long)lost);
	x += ui_put(win, 0, x, -1, lost ? ui_attr(UI_E_ERROR) : ui_attr(UI_E_VALUE), buf);
	if (l->stacks)
		x += ui_put(win, 0, x, -1, ui_attr(UI_E_VALUE), "   Stacks: on (Enter shows one)");
	if (l->inj_on && l->s) {
		snprintf(buf, sizeof(buf), "   INJECTING: %s (i: stop)", l->inj_desc);
		x += ui_put(win, 0, x, -1, ui_attr(UI_E_ERROR), buf);
	}
	if (l->paused)
		x += ui_put(win, 0, x, -1, ui_attr(UI_E_WARNING), "   [PAUSED]");
	else if (l->sel)
		x += ui_put(win, 0, x, -1, ui_attr(UI_E_WARNING), "   [SCROLLED: End follows]");
	x = ui_put(win, 1, 0, -1, ui_attr(UI_E_LABEL), "Filter: ");
	if (l->filter[0] || l->typing) {
		char safe[300];
		wt_escape_to(safe, sizeof(safe), l->filter, strlen(l->filter), 0);
		x += ui_put(win, 1, x, -1, ui_attr(UI_E_VALUE), safe);
		if (l->typing)
			ui_put(win, 1, x, -1, ui_attr(UI_E_SELECTED), " ");
	} else {
		ui_put(win, 1, x, -1, ui_attr(UI_E_DIM),
		       "none (/ to type: names, %file %net ..., ! failed, !name to hide)");
	}
	if (l->error[0]) {
		ui_put(win, 3, 2, w - 2, ui_attr(UI_E_ERROR), l->error);
		if (!l->ring || !trace_ring_count(l->ring))
			return;
	}
	int top_y = l->error[0] ? 4 : 2;
	int rows = h - top_y;
	l->height = rows;
	if (rows <= 0)
		return;
	size_t pos = sclog_index(l);
	if (!l->nidx) {
		ui_put(win, top_y, 2, -1, ui_attr(UI_E_DIM),
		       l->filter[0] ? "No line matches the filter." : "No call logged yet.");
		return;
	}
	size_t last = pos < l->nidx ? pos : l->nidx - 1; /* the bottom line shown */
	size_t first = last + 1 >= (size_t)rows ? last + 1 - (size_t)rows : 0;
	for (size_t p = first; p <= last; p++)
		sclog_line(l, win, top_y + (int)(p - first), w, p, l->sel && p == pos);
	(void)ctx;
}

/* A call whole, in a dialog, wrapped. */
static void sclog_show(struct sclog *l, size_t pos)
{
	const struct trace_line *t = trace_ring_get(l->ring, l->idx[pos]);
	struct wt_buf b;
	wt_buf_init(&b);
	wt_buf_printf(&b, "thread %d of process %d\n", (int)t->tid, (int)t->pid);
	if (t->kind == TRACE_SYSCALL) {
		if (t->done)
			wt_buf_printf(&b, "took %.6f s\n", (double)t->dur_ns / 1e9);
		else
			wt_buf_puts(&b, "still in progress\n");
	}
	wt_buf_puts(&b, "\n");
	const char *s = t->text ? t->text : "";
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i += 70) {
		wt_buf_add(&b, s + i, n - i < 70 ? n - i : 70);
		wt_buf_puts(&b, "\n");
	}
	if (t->stack) {
		wt_buf_puts(&b, "\nIts user stack when it was made:\n");
		wt_buf_puts(&b, t->stack);
	} else if (t->kind == TRACE_SYSCALL && !l->stacks) {
		wt_buf_puts(&b, "\n(k: log each call's user stack too)\n");
	}
	char *text = wt_buf_steal(&b);
	ui_dialog_message(t->kind == TRACE_SYSCALL ? t->name : "event", text ? text : "");
	free(text);
}

/*
 * The errnos a call's man page lists first (ERRORS), for the menu of `i`;
 * any other call gets the generic ones.
 */
static const struct {
	const char *calls; /* ",name,name," */
	const char *errnos[6];
} sclog_errnos[] = {
    {",open,openat,openat2,creat,", {"ENOENT", "EACCES", "EMFILE", "ENOSPC", "EEXIST", "EISDIR"}},
    {",read,pread64,readv,preadv,recvfrom,recvmsg,", {"EAGAIN", "EBADF", "EINTR", "EIO", NULL}},
    {",write,pwrite64,writev,pwritev,sendto,sendmsg,",
     {"EAGAIN", "EBADF", "ENOSPC", "EPIPE", "EIO", NULL}},
    {",connect,", {"ECONNREFUSED", "EACCES", "ETIMEDOUT", "ENETUNREACH", "EINTR", NULL}},
    {",accept,accept4,", {"EAGAIN", "EMFILE", "ECONNABORTED", "EINTR", NULL}},
    {",close,", {"EBADF", "EINTR", "EIO", NULL}},
    {",mmap,brk,mprotect,", {"ENOMEM", "EACCES", "EAGAIN", NULL}},
    {",stat,lstat,newfstatat,statx,access,faccessat,faccessat2,readlink,readlinkat,",
     {"ENOENT", "EACCES", "ENOTDIR", "ELOOP", NULL}},
    {",unlink,unlinkat,rename,renameat,renameat2,mkdir,mkdirat,rmdir,",
     {"EACCES", "ENOENT", "EEXIST", "ENOSPC", "EROFS", NULL}},
    {",clone,clone3,fork,vfork,", {"EAGAIN", "ENOMEM", NULL}},
    {NULL, {"EPERM", "EIO", "ENOMEM", "EINTR", "EAGAIN", NULL}},
};

/* `i`: inject a fault into the selected line's call (a menu of errnos, a confirm), or stop. */
static unsigned sclog_inject_key(struct sclog *l, struct tab_ctx *ctx, size_t pos)
{
	char text[400];
	if (l->inj_on) {
		snprintf(text, sizeof(text), "Stop injecting (%s)?", l->inj_desc);
		if (!ui_dialog_confirm("Fault injection", text)) {
			tab_status(ctx, "Cancelled: still injecting (%s)", l->inj_desc);
			return UI_REDRAW;
		}
		l->inj_on = false;
		sclog_start(l, ctx, l->tid);
		if (l->error[0])
			tab_error(ctx, "%s", l->error);
		else
			tab_status(ctx, "No more injection: every call runs as it would");
		return UI_REDRAW;
	}
	const struct trace_line *t =
	    l->nidx ? trace_ring_get(l->ring, l->idx[pos < l->nidx ? pos : l->nidx - 1]) : NULL;
	if (!t || t->kind != TRACE_SYSCALL || !t->name[0]) {
		tab_error(ctx, "Select a call's line first (arrows, p to pause): i makes that "
			       "call fail");
		return UI_REDRAW;
	}
	char key[48];
	snprintf(key, sizeof(key), ",%s,", t->name);
	size_t row = 0;
	while (sclog_errnos[row].calls && !strstr(sclog_errnos[row].calls, key))
		row++;
	const char *items[6];
	int n = 0;
	while (n < 6 && sclog_errnos[row].errnos[n])
		n++;
	char title[80];
	snprintf(title, sizeof(title), "Make %s fail with", t->name);
	for (int i = 0; i < n; i++)
		items[i] = sclog_errnos[row].errnos[i];
	int c = ui_dialog_menu(title, items, n, 0);
	if (c < 0) {
		tab_status(ctx, "Cancelled: no fault injected");
		return UI_REDRAW;
	}
	struct trace_inject in;
	struct wt_err err;
	wt_err_clear(&err);
	trace_inject_init(&in);
	if (sc_set_parse(&in.set, t->name, &err) < 0 ||
	    trace_inject_errno(items[c], &in.error, &err) < 0) {
		tab_error(ctx, "%s", err.msg);
		return UI_REDRAW;
	}
	snprintf(text, sizeof(text),
		 "Every %s of %s %d will fail with %s (%s) without running,\n"
		 "until you press i again. The process stops at each of its\n"
		 "calls meanwhile (ptrace). Inject?",
		 t->name, l->tid ? "thread" : "process", (int)(l->tid ? l->tid : ctx->pid),
		 items[c], strerror(in.error));
	if (!ui_dialog_confirm("Fault injection", text)) {
		tab_status(ctx, "Cancelled: no fault injected");
		return UI_REDRAW;
	}
	l->inj = in;
	l->inj_on = true;
	snprintf(l->inj_desc, sizeof(l->inj_desc), "%s fails with %s", t->name, items[c]);
	sclog_start(l, ctx, l->tid);
	if (l->error[0]) {
		l->inj_on = false;
		tab_error(ctx, "%s", l->error);
		return UI_REDRAW;
	}
	tab_status(ctx, "Injecting: %s; i stops it", l->inj_desc);
	return UI_REDRAW;
}

unsigned sclog_key(struct sclog *l, struct tab_ctx *ctx, int key)
{
	size_t len = strlen(l->filter);
	if (l->typing) {
		switch (key) {
		case 27: /* Esc: the filter goes */
			l->filter[0] = '\0';
			l->typing = false;
			return UI_REDRAW;
		case '\n':
		case '\r':
		case KEY_ENTER:
			l->typing = false;
			return UI_REDRAW;
		case KEY_BACKSPACE:
		case 127:
		case 8:
			while (len > 0 && (l->filter[len - 1] & 0xc0) == 0x80)
				l->filter[--len] = '\0';
			if (len > 0)
				l->filter[--len] = '\0';
			return UI_REDRAW;
		default:
			if (key >= 32 && key < 256 && len + 1 < sizeof(l->filter)) {
				l->filter[len] = (char)key;
				l->filter[len + 1] = '\0';
				return UI_REDRAW;
			}
			l->typing = false;
			break; /* movement keys end the typing and act */
		}
	}
	size_t pos = sclog_index(l);
	size_t page = l->height > 1 ? (size_t)l->height - 1 : 1;
	switch (key) {
	case '/':
	case '\\':
		l->typing = true;
		tab_status(ctx, "Filter: type names, %%classes, ! for failed calls; Enter keeps it, Esc clears");
		return UI_REDRAW;
	case 'p':
	case ' ':
		l->paused = !l->paused;
		if (l->paused && !l->sel && l->nidx)
			l->sel = serial_at(l, l->nidx - 1);
		if (!l->paused)
			l->sel = 0;
		tab_status(ctx, l->paused ? "Log paused (calls are still recorded)" : "Log follows again");
		return UI_REDRAW;
	case 'c':
		if (l->ring)
			trace_ring_clear(l->ring);
		l->sel = 0;
		return UI_REDRAW;
	case 'b':
		l->backend = l->s && l->running == SC_BACKEND_KERNEL ? SC_BACKEND_PTRACE
									: SC_BACKEND_KERNEL;
		sclog_start(l, ctx, l->tid);
		if (l->error[0])
			tab_error(ctx, "%s", l->error);
		return UI_REDRAW;
	case 'k':
		l->stacks = !l->stacks;
		sclog_start(l, ctx, l->tid);
		if (l->error[0])
			tab_error(ctx, "%s", l->error);
		else
			tab_status(ctx, l->stacks ? "Each call's user stack is copied (ptrace stops: the "
						    "process runs slower); Enter shows it"
						  : "No more stacks");
		return UI_REDRAW;
	case 'i':
		if (ctx->readonly) {
			tab_error(ctx, "whytop runs with --readonly: injecting faults is off");
			return UI_REDRAW;
		}
		return sclog_inject_key(l, ctx, pos);
	case KEY_END:
		l->sel = 0;
		l->paused = false;
		return UI_REDRAW;
	case KEY_HOME:
		if (l->nidx)
			l->sel = serial_at(l, 0);
		return UI_REDRAW;
	case KEY_UP:
	case KEY_PPAGE:
	case KEY_DOWN:
	case KEY_NPAGE: {
		if (!l->nidx)
			return UI_REDRAW;
		size_t p = pos < l->nidx ? pos : l->nidx - 1;
		size_t step = (key == KEY_UP || key == KEY_DOWN) ? 1 : page;
		if (key == KEY_UP || key == KEY_PPAGE)
			p = p > step ? p - step : 0;
		else if (p + step < l->nidx)
			p += step;
		else
			p = l->nidx - 1;
		l->sel = serial_at(l, p);
		return UI_REDRAW;
	}
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (l->nidx)
			sclog_show(l, pos < l->nidx ? pos : l->nidx - 1);
		return UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
}
