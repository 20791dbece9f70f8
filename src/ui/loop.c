/*
 * loop.c: the terminal UI's one event loop. A single poll() waits on the
 * terminal, a timerfd (periodic refresh), a signalfd (SIGWINCH, and the
 * signals that end whytop) and whatever extra fds the screen on top asks
 * for (a tab's tracer wake-up fd). Handlers return reaction flags; the
 * loop acts on them once per round: rescan, relayout, redraw, close, quit.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <termios.h>
#include <unistd.h>

#include "ui/ui_int.h"

#define LOOP_MAX_FDS 16

static volatile bool loop_term_lost;

void ui_term_lost_set(void)
{
	loop_term_lost = true;
}

bool ui_term_lost(void)
{
	return loop_term_lost;
}

int ui_rescan(struct ui *ui)
{
	ui->opts.need = proc_cols_need(ui->cfg.cols, ui->cfg.ncols) | PROC_NEED_CMDLINE |
			PROC_NEED_STATUS | proc_columns[ui->cfg.sort_col].need;
	ui->opts.threads = ui->cfg.threads;
	ui->opts.hide_kthreads = ui->cfg.hide_kthreads;
	struct wt_err err;
	wt_err_clear(&err);
	int r = proc_table_refresh(ui->table, &ui->opts, &err);
	if (r < 0)
		ui_set_status(ui, true, "%s", err.msg[0] ? err.msg : strerror(-r));
	ui_resort(ui);
	ui->refreshes++;
	return r;
}

void ui_resort(struct ui *ui)
{
	if (ui->cfg.tree)
		proc_table_tree(ui->table, ui->cfg.sort_col, ui->cfg.sort_desc);
	else
		proc_table_sort(ui->table, ui->cfg.sort_col, ui->cfg.sort_desc);
}

void ui_set_status(struct ui *ui, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ui->status, sizeof(ui->status), fmt, ap);
	va_end(ap);
	ui->status_error = error;
}

void ui_push(struct ui *ui, struct screen *s)
{
	if (!s)
		return;
	s->ui = ui;
	s->below = ui->top;
	ui->top = s;
}

static void ui_pop(struct ui *ui)
{
	struct screen *s = ui->top;
	if (!s)
		return;
	ui->top = s->below;
	s->ops->destroy(s);
}

void ui_set_timer(struct ui *ui)
{
	long ms = ui->cfg.delay_tenths * 100;
	struct itimerspec its = {
		.it_interval = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L },
	};
	its.it_value = its.it_interval;
	timerfd_settime(ui->timer_fd, 0, &its, NULL);
}

static unsigned loop_global_key(struct ui *ui, int key)
{
	switch (key) {
	case 12: /* Ctrl-L */
		clearok(curscr, TRUE);
		return UI_REDRAW;
	case 'C':
		ui_cycle_theme(ui);
		return UI_REDRAW;
	case 'Z':
		ui->paused = !ui->paused;
		ui_set_status(ui, false, ui->paused ? "Paused: Z resumes" : "Resumed");
		return UI_REDRAW | (ui->paused ? 0 : UI_RESCAN);
	case KEY_F(10):
		return UI_QUIT;
	default:
		return UI_NONE;
	}
}

static void loop_resize(void)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
}

/*
 * Read every pending key; returns the union of the reactions. Keys go on
 * to the next screen when one closes: ncurses has already taken them off
 * the terminal, so poll() would not report them again.
 */
static unsigned loop_keys(struct ui *ui)
{
	unsigned react = UI_NONE;
	int key;
	while (!(react & UI_QUIT) && (key = getch()) != ERR) {
		if (key == KEY_RESIZE) {
			react |= UI_RELAYOUT | UI_REDRAW;
			continue;
		}
		if (key == KEY_MOUSE && getmouse(&ui->mouse) != OK)
			continue;
		ui->status[0] = '\0'; /* a message stays up until the next key */
		unsigned r = ui->top->ops->key(ui->top, key);
		if (ui_term_lost())
			return UI_QUIT; /* a dialog met the hang-up */
		if (r & UI_UNHANDLED)
			r = (r & ~UI_UNHANDLED) | loop_global_key(ui, key);
		if (r & UI_CLOSE) {
			ui_pop(ui);
			if (!ui->top)
				return UI_QUIT;
			r = (r & ~UI_CLOSE) | UI_RESCAN | UI_RELAYOUT;
		}
		react |= r | UI_REDRAW;
	}
	return react;
}

int ui_loop_run(struct ui *ui)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, SIGTSTP);
	/* Blocked for every thread created later too (a target's thread). */
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	ui->sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	ui->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (ui->sig_fd < 0 || ui->timer_fd < 0)
		return -errno;
	ui_set_timer(ui);
	nodelay(stdscr, TRUE);

	unsigned react = UI_REDRAW | UI_RELAYOUT;
	while (!ui->quit && !ui_term_lost()) {
		if (react & UI_QUIT)
			break;
		if (react & UI_CLOSE) {
			ui_pop(ui);
			if (!ui->top)
				break;
			react = (react & ~UI_CLOSE) | UI_RESCAN | UI_RELAYOUT | UI_REDRAW;
		}
		if (react & UI_RESCAN) {
			ui_rescan(ui);
			if (ui->top->ops->tick)
				react |= ui->top->ops->tick(ui->top);
			react |= UI_REDRAW;
		}
		if (react & UI_RELAYOUT) {
			for (struct screen *s = ui->top; s; s = s->below)
				if (s->ops->layout)
					s->ops->layout(s);
			clearok(curscr, TRUE);
		}
		if (react & UI_REDRAW) {
			erase();
			ui->top->ops->draw(ui->top);
			refresh();
		}
		if (react & UI_CLOSE)
			continue; /* a tick asked to close the screen */
		react = UI_NONE;

		struct pollfd pfd[LOOP_MAX_FDS] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = ui->timer_fd, .events = POLLIN },
			{ .fd = ui->sig_fd, .events = POLLIN },
		};
		int n = 3;
		if (ui->top->ops->fds)
			n += ui->top->ops->fds(ui->top, pfd + 3, LOOP_MAX_FDS - 3);
		if (poll(pfd, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (pfd[2].revents & POLLIN) {
			struct signalfd_siginfo si;
			while (read(ui->sig_fd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGWINCH) {
					loop_resize();
					react |= UI_RELAYOUT | UI_REDRAW;
				} else if (si.ssi_signo == SIGTSTP) {
					/* Ctrl-Z: a sane terminal for the shell; all redrawn on fg. */
					endwin();
					kill(getpid(), SIGSTOP);
					loop_resize();
					clearok(curscr, TRUE);
					react |= UI_RELAYOUT | UI_REDRAW;
				} else {
					if (si.ssi_signo == SIGHUP)
						ui_term_lost_set();
					ui->quit = true;
				}
			}
		}
		if (pfd[1].revents & POLLIN) {
			uint64_t ticks;
			if (read(ui->timer_fd, &ticks, sizeof(ticks)) > 0 && !ui->paused)
				react |= UI_RESCAN;
		}
		for (int i = 3; i < n; i++)
			if (pfd[i].revents && ui->top->ops->fd_ready)
				react |= ui->top->ops->fd_ready(ui->top, pfd[i].fd, pfd[i].revents);
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			ui_term_lost_set(); /* the terminal went away */
			break;
		}
		if (pfd[0].revents & POLLIN)
			react |= loop_keys(ui);
	}
	while (ui->top)
		ui_pop(ui);
	return 0;
}
