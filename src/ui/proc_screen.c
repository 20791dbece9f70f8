/*
 * proc_screen.c: a process's own screen: a title line, a tab bar, the
 * active tab's window and the status line. Tabs come from tab_table
 * (tabs.c); they are opened the first time they are shown and closed
 * with the screen. Keys go to the active tab first; what it leaves
 * (UI_UNHANDLED) switches tabs, closes the screen or reaches the loop.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/catch.h>
#include <whytop/target.h>

#include "ui/tab.h"
#include "ui/ui_int.h"

#define PROC_SCREEN_MAX_TABS 16
#define PROC_SCREEN_MIN_W 40
#define PROC_SCREEN_MIN_H 8
#define KEY_ESC 27

struct tab_slot {
	const struct tab_ops *ops;
	void *state;
	bool open;
	int x0, x1; /* where its name is on the tab bar, for clicks */
};

struct proc_screen {
	struct screen base;
	struct tab_ctx ctx;
	struct tab_slot tabs[PROC_SCREEN_MAX_TABS];
	int ntabs, active;
	WINDOW *win; /* the tab's region: a subwindow of stdscr */
	char comm[64];
	bool direct; /* opened by --open: q quits whytop, Esc shows the list */

	struct catch *catch; /* X: catching crashes of the process */
	struct wt_buf crash; /* the report, once it crashed */
};

static const char *const proc_keys_bar[] = {
	"Tab", "Next  ", "S-Tab", "Prev  ", "Esc", "Back  ", "C", "Theme  ", "F10", "Quit",
	NULL, NULL,
};

static struct ui *ctx_ui(struct tab_ctx *ctx)
{
	return ctx->screen->base.ui;
}

static void slot_focus(struct proc_screen *ps, int i, bool active)
{
	struct tab_slot *t = &ps->tabs[i];
	if (t->open && t->ops->focus)
		t->ops->focus(&ps->ctx, t->state, active);
}

static void slot_activate(struct proc_screen *ps, int i)
{
	struct tab_slot *t = &ps->tabs[i];
	if (i == ps->active && t->open)
		return;
	slot_focus(ps, ps->active, false);
	ps->active = i;
	if (!t->open) {
		t->state = NULL;
		int r = t->ops->open ? t->ops->open(&ps->ctx, &t->state) : 0;
		if (r < 0) {
			ui_set_status(ps->base.ui, true, "Cannot open the %s tab: %s", t->ops->name,
				      strerror(-r));
			t->state = NULL;
		}
		t->open = r >= 0;
	}
	slot_focus(ps, i, true);
}

int tab_switch(struct tab_ctx *ctx, const char *name)
{
	struct proc_screen *ps = ctx->screen;
	for (int i = 0; i < ps->ntabs; i++)
		if (strcasecmp(ps->tabs[i].ops->name, name) == 0) {
			slot_activate(ps, i);
			return 0;
		}
	return -ENOENT;
}

void tab_status(struct tab_ctx *ctx, const char *fmt, ...)
{
	struct ui *ui = ctx_ui(ctx);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ui->status, sizeof(ui->status), fmt, ap);
	va_end(ap);
	ui->status_error = false;
}

void tab_error(struct tab_ctx *ctx, const char *fmt, ...)
{
	struct ui *ui = ctx_ui(ctx);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ui->status, sizeof(ui->status), fmt, ap);
	va_end(ap);
	ui->status_error = true;
}

void tab_print(WINDOW *win, int y, int x, int attr, const char *str)
{
	ui_put(win, y, x, -1, attr, str);
}

static void ps_title(struct proc_screen *ps)
{
	struct ui *ui = ps->base.ui;
	const struct proc_task *t = proc_table_find(ui->table, ps->ctx.pid);
	char buf[512];
	int a = ui_attr(UI_E_TITLE);
	ui_fill(stdscr, 0, 0, a);
	if (ps->ctx.crash)
		snprintf(buf, sizeof(buf), " PID %d  %s  (crashed: the report is on Overview and Stack)",
			 (int)ps->ctx.pid, ps->comm);
	else if (ps->ctx.process_gone)
		snprintf(buf, sizeof(buf), " PID %d  %s  (the process has exited)", (int)ps->ctx.pid,
			 ps->comm);
	else if (t)
		snprintf(buf, sizeof(buf), " PID %d  %s  state %c  user %s  CPU %.1f%%  threads %ld",
			 (int)ps->ctx.pid, ps->comm, t->state, t->user ? t->user : "?", t->cpu_pct,
			 t->nthreads);
	else
		snprintf(buf, sizeof(buf), " PID %d  %s", (int)ps->ctx.pid, ps->comm);
	int x = ui_put(stdscr, 0, 0, -1, a, buf);
	if (ps->catch)
		x += ui_put(stdscr, 0, x + 2, -1, ui_attr(UI_E_WARNING), "catching crashes") + 2;
	if (t && t->state == 'D' && !ps->ctx.process_gone)
		ui_put(stdscr, 0, x + 2, -1, ui_attr(UI_E_STATE_D), "uninterruptible (D)");
}

static void ps_tabbar(struct proc_screen *ps)
{
	int x = 1;
	ui_fill(stdscr, 1, 0, ui_attr(UI_E_NORMAL));
	for (int i = 0; i < ps->ntabs; i++) {
		char name[64];
		snprintf(name, sizeof(name), " %d:%s ", i + 1, ps->tabs[i].ops->name);
		ps->tabs[i].x0 = x;
		x += ui_put(stdscr, 1, x, -1,
			    ui_attr(i == ps->active ? UI_E_TAB_ACTIVE : UI_E_TAB), name);
		ps->tabs[i].x1 = x;
		x += 1;
	}
}

static void ps_draw(struct screen *s)
{
	struct proc_screen *ps = (struct proc_screen *)s;
	if (ui_too_small(PROC_SCREEN_MIN_W, PROC_SCREEN_MIN_H) || !ps->win)
		return;
	ps_title(ps);
	ps_tabbar(ps);
	werase(ps->win);
	struct tab_slot *t = &ps->tabs[ps->active];
	if (t->open)
		t->ops->draw(&ps->ctx, t->state, ps->win);
	const char *help = t->ops->help;
	struct ui *ui = s->ui;
	if (!ui->status[0] && help) {
		/* The tab's own keys on the line above the key bar would cost a row: show them
		 * in the key bar instead, after the screen's keys. */
		ui_draw_bottom(ui, proc_keys_bar);
		int x = 0;
		for (size_t i = 0; proc_keys_bar[i]; i++)
			x += (int)strlen(proc_keys_bar[i]);
		ui_put(stdscr, LINES - 1, x + 1, -1, ui_attr(UI_E_KEY_LABEL), help);
	} else {
		ui_draw_bottom(ui, proc_keys_bar);
	}
}

static unsigned ps_mouse(struct proc_screen *ps)
{
	MEVENT *m = &ps->base.ui->mouse;
	if (m->y == 1 && (m->bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
		for (int i = 0; i < ps->ntabs; i++)
			if (m->x >= ps->tabs[i].x0 && m->x < ps->tabs[i].x1) {
				slot_activate(ps, i);
				return UI_REDRAW;
			}
	return UI_NONE;
}

/* X: arm catching crashes of the process (a mode of its target), or disarm. */
static unsigned ps_catch_toggle(struct proc_screen *ps)
{
	struct wt_err err = {0};
	if (ps->catch) {
		catch_close(ps->catch);
		ps->catch = NULL;
		ps->ctx.catching = false;
		tab_status(&ps->ctx, "No longer catching crashes of %d", (int)ps->ctx.pid);
		return UI_REDRAW;
	}
	if (ps->ctx.process_gone || ps->ctx.crash) {
		tab_error(&ps->ctx, "The process has exited: nothing to catch");
		return UI_REDRAW;
	}
	if (catch_open(ps->ctx.pid, &ps->catch, &err) < 0) {
		ps->catch = NULL;
		tab_error(&ps->ctx, "Cannot catch crashes: %s", err.msg);
		return UI_REDRAW;
	}
	ps->ctx.catching = true;
	tab_status(&ps->ctx,
		   "Catching crashes of %d: a crash shows on Overview and Stack (X: stop)",
		   (int)ps->ctx.pid);
	return UI_REDRAW;
}

/* Events of the catch: a handled signal on the status line, a crash reported, the end. */
static unsigned ps_catch_events(struct proc_screen *ps)
{
	struct catch_event ev;
	struct wt_err err = {0};
	while (ps->catch && catch_poll(ps->catch, &ev) == 0) {
		if (ev.kind == CATCH_EV_HANDLED) {
			struct wt_buf b;
			wt_buf_init(&b);
			catch_event_text(&ev, &b);
			tab_status(&ps->ctx, "%s", b.data ? b.data : "");
			wt_buf_free(&b);
		} else if (ev.kind == CATCH_EV_CRASH) {
			struct catch_report *rep = NULL;
			wt_buf_free(&ps->crash);
			wt_buf_init(&ps->crash);
			if (catch_report(ps->catch, &ev, &rep, &err) == 0)
				catch_report_text(rep, &ps->crash);
			else
				wt_buf_printf(&ps->crash, "crash: process %d: %s\n", (int)ps->ctx.pid,
					      err.msg);
			catch_report_free(rep);
			/* Delivered as it would have been: the process dies now. */
			catch_finish(ps->catch, false, &err);
			ps->ctx.crash = ps->crash.data;
			ps->ctx.crash_top = 0;
			tab_switch(&ps->ctx, "Overview");
		} else {
			char words[96];
			catch_status_words(ev.status, words, sizeof(words));
			if (ps->ctx.crash)
				wt_buf_printf(&ps->crash, "\nprocess %d %s\n", (int)ps->ctx.pid, words);
			ps->ctx.crash = ps->crash.data;
			if (!ps->ctx.crash)
				tab_status(&ps->ctx, "Process %d %s", (int)ps->ctx.pid, words);
			ps->ctx.process_gone = true;
			catch_close(ps->catch);
			ps->catch = NULL;
			ps->ctx.catching = false;
		}
	}
	return UI_REDRAW;
}

bool tab_crash_draw(struct tab_ctx *ctx, WINDOW *win)
{
	if (!ctx->crash)
		return false;
	int h = getmaxy(win), y = 0, n = 0;
	for (const char *p = ctx->crash; *p && y < h;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (n++ >= ctx->crash_top) {
			char line[1024];
			snprintf(line, sizeof(line), "%.*s", (int)(len < 1023 ? len : 1023), p);
			bool head = strncmp(line, "crash:", 6) == 0;
			ui_put(win, y++, 1, -1, ui_attr(head ? UI_E_ERROR : UI_E_NORMAL), line);
		}
		p += len + (nl != NULL);
	}
	return true;
}

bool tab_crash_key(struct tab_ctx *ctx, WINDOW *win, int key)
{
	if (!ctx->crash)
		return false;
	int lines = 0, h = win ? getmaxy(win) : 10;
	for (const char *p = ctx->crash; *p; p++)
		lines += *p == '\n';
	int top = ctx->crash_top;
	switch (key) {
	case KEY_UP:
		top--;
		break;
	case KEY_DOWN:
		top++;
		break;
	case KEY_PPAGE:
		top -= h;
		break;
	case KEY_NPAGE:
		top += h;
		break;
	case KEY_HOME:
		top = 0;
		break;
	case KEY_END:
		top = lines - h;
		break;
	default:
		return false;
	}
	if (top > lines - h)
		top = lines - h;
	if (top < 0)
		top = 0;
	ctx->crash_top = top;
	return true;
}

static unsigned ps_key(struct screen *s, int key)
{
	struct proc_screen *ps = (struct proc_screen *)s;
	struct tab_slot *t = &ps->tabs[ps->active];
	unsigned r = UI_UNHANDLED;
	if (t->open && key != KEY_MOUSE)
		r = t->ops->key(&ps->ctx, t->state, key);
	if (!(r & UI_UNHANDLED))
		return r;
	r &= ~UI_UNHANDLED;
	switch (key) {
	case '\t':
	case KEY_RIGHT:
		slot_activate(ps, (ps->active + 1) % ps->ntabs);
		return r | UI_REDRAW;
	case KEY_BTAB:
	case KEY_LEFT:
		slot_activate(ps, (ps->active + ps->ntabs - 1) % ps->ntabs);
		return r | UI_REDRAW;
	case 'q':
		return r | (ps->direct ? UI_QUIT : UI_CLOSE);
	case KEY_ESC:
	case KEY_BACKSPACE:
	case 127:
		return r | UI_CLOSE;
	case KEY_MOUSE:
		return r | ps_mouse(ps);
	case 'X':
		return r | ps_catch_toggle(ps);
	default:
		if (key >= '1' && key <= '9' && key - '1' < ps->ntabs) {
			slot_activate(ps, key - '1');
			return r | UI_REDRAW;
		}
		return r | UI_UNHANDLED;
	}
}

static unsigned ps_tick(struct screen *s)
{
	struct proc_screen *ps = (struct proc_screen *)s;
	if (!ps->ctx.process_gone && kill(ps->ctx.pid, 0) < 0 && errno == ESRCH)
		ps->ctx.process_gone = true;
	unsigned r = UI_REDRAW;
	for (int i = 0; i < ps->ntabs; i++)
		if (ps->tabs[i].open && ps->tabs[i].ops->tick)
			r |= ps->tabs[i].ops->tick(&ps->ctx, ps->tabs[i].state);
	return r;
}

struct target *tab_target(struct tab_ctx *ctx, struct wt_err *err)
{
	if (!ctx->target && target_get(ctx->pid, &ctx->target, err) < 0)
		ctx->target = NULL;
	return ctx->target;
}

static void ps_nothing(void *arg)
{
	(void)arg;
}

static int ps_fds(struct screen *s, struct pollfd *pfd, int max)
{
	struct proc_screen *ps = (struct proc_screen *)s;
	int n = 0;
	if (ps->ctx.target && n < max)
		pfd[n++] = (struct pollfd){ .fd = target_fd(ps->ctx.target), .events = POLLIN };
	if (ps->catch && n < max)
		pfd[n++] = (struct pollfd){ .fd = catch_fd(ps->catch), .events = POLLIN };
	for (int i = 0; i < ps->ntabs && n < max; i++) {
		struct tab_slot *t = &ps->tabs[i];
		if (!t->open || !t->ops->poll_fd)
			continue;
		int fd = t->ops->poll_fd(&ps->ctx, t->state);
		if (fd >= 0)
			pfd[n++] = (struct pollfd){ .fd = fd, .events = POLLIN };
	}
	return n;
}

static unsigned ps_fd_ready(struct screen *s, int fd, short revents)
{
	struct proc_screen *ps = (struct proc_screen *)s;
	unsigned r = UI_NONE;
	if (ps->catch && fd == catch_fd(ps->catch))
		return ps_catch_events(ps);
	if (ps->ctx.target && fd == target_fd(ps->ctx.target)) {
		/* Finished ptrace jobs: their done functions update their tabs. */
		target_collect(ps->ctx.target);
		return UI_REDRAW;
	}
	for (int i = 0; i < ps->ntabs; i++) {
		struct tab_slot *t = &ps->tabs[i];
		if (t->open && t->ops->poll_fd && t->ops->on_fd &&
		    t->ops->poll_fd(&ps->ctx, t->state) == fd)
			r |= t->ops->on_fd(&ps->ctx, t->state, revents);
	}
	return r & ~UI_UNHANDLED;
}

static void ps_layout(struct screen *s)
{
	struct proc_screen *ps = (struct proc_screen *)s;
	if (ps->win)
		delwin(ps->win);
	ps->win = NULL;
	if (LINES >= PROC_SCREEN_MIN_H && COLS >= PROC_SCREEN_MIN_W)
		ps->win = derwin(stdscr, LINES - 3, COLS, 2, 0);
}

static void ps_destroy(struct screen *s)
{
	struct proc_screen *ps = (struct proc_screen *)s;
	catch_close(ps->catch); /* the process is let go, running */
	ps->catch = NULL;
	wt_buf_free(&ps->crash);
	/*
	 * The jobs queued so far run (the target may be shared with another
	 * view) and their done functions too, while the tabs still exist.
	 */
	if (ps->ctx.target) {
		target_call(ps->ctx.target, ps_nothing, NULL);
		target_collect(ps->ctx.target);
	}
	for (int i = 0; i < ps->ntabs; i++)
		if (ps->tabs[i].open && ps->tabs[i].ops->close)
			ps->tabs[i].ops->close(&ps->ctx, ps->tabs[i].state);
	target_put(ps->ctx.target);
	ps->ctx.target = NULL;
	if (ps->win)
		delwin(ps->win);
	free(ps);
}

static const struct screen_ops proc_screen_ops = {
	.name = "process",
	.draw = ps_draw,
	.key = ps_key,
	.tick = ps_tick,
	.layout = ps_layout,
	.destroy = ps_destroy,
	.fds = ps_fds,
	.fd_ready = ps_fd_ready,
};

void proc_screen_set_direct(struct screen *s)
{
	if (s && s->ops == &proc_screen_ops)
		((struct proc_screen *)s)->direct = true;
}

struct screen *proc_screen_new(struct ui *ui, pid_t pid)
{
	struct proc_screen *ps = calloc(1, sizeof(*ps));
	if (!ps)
		return NULL;
	ps->base.ops = &proc_screen_ops;
	ps->base.ui = ui;
	ps->ctx.pid = pid;
	ps->ctx.selected_frame = -1;
	ps->ctx.delay_ms = (unsigned)ui->cfg.delay_tenths * 100;
	ps->ctx.readonly = ui->cfg.readonly;
	ps->ctx.screen = ps;
	const struct proc_task *t = proc_table_find(ui->table, pid);
	snprintf(ps->comm, sizeof(ps->comm), "%s", t && t->comm ? t->comm : "?");
	ps->ctx.comm = ps->comm;
	if (kill(pid, 0) < 0 && errno == ESRCH)
		ps->ctx.process_gone = true;
	for (int i = 0; tab_table[i] && i < PROC_SCREEN_MAX_TABS; i++)
		ps->tabs[ps->ntabs++].ops = tab_table[i];
	ps->active = 0;
	slot_activate(ps, 0);
	return &ps->base;
}

struct screen *proc_screen_new_log(struct ui *ui, pid_t pid)
{
	struct screen *s = proc_screen_new(ui, pid);
	if (s) {
		struct proc_screen *ps = (struct proc_screen *)s;
		ps->ctx.open_log = true;
		tab_switch(&ps->ctx, "Syscalls");
	}
	return s;
}

struct screen *proc_screen_new_on(struct ui *ui, pid_t pid, const char *tab_name)
{
	struct screen *s = proc_screen_new(ui, pid);
	if (s)
		tab_switch(&((struct proc_screen *)s)->ctx, tab_name);
	return s;
}
