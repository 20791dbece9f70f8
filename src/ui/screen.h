/*
 * screen.h: what every screen of the terminal UI (the process list, a
 * process's own screen) and every tab looks like to the event loop.
 *
 * Handlers never act on the loop themselves: they return reaction flags
 * (UI_REDRAW, UI_RESCAN, UI_QUIT, ...) and the loop does the work once,
 * after the handler returns. That keeps handlers short and testable.
 */
#ifndef WHYTOP_UI_SCREEN_H
#define WHYTOP_UI_SCREEN_H

#include <curses.h>
#include <poll.h>
#include <stdbool.h>

/* Reaction flags, OR-ed together. */
enum ui_react {
	UI_NONE = 0,
	UI_REDRAW = 1u << 0,    /* draw the screen again */
	UI_RESCAN = 1u << 1,    /* refresh the process table now (then redraw) */
	UI_QUIT = 1u << 2,      /* leave whytop */
	UI_CLOSE = 1u << 3,     /* close the current screen, back to the one below */
	UI_UNHANDLED = 1u << 4, /* the key was not for this handler: let the caller try */
	UI_RELAYOUT = 1u << 5,  /* geometry changed (resize, header toggled) */
};

struct ui;
struct screen;

struct screen_ops {
	const char *name;
	/* Draw everything on stdscr (the screen owns the whole terminal). */
	void (*draw)(struct screen *s);
	/* A key (ncurses code; KEY_MOUSE with the event already fetched in ui->mouse). */
	unsigned (*key)(struct screen *s, int key);
	/* Called after every refresh of the process table. */
	unsigned (*tick)(struct screen *s);
	/* The terminal changed size: recreate windows. */
	void (*layout)(struct screen *s);
	void (*destroy)(struct screen *s);
	/*
	 * Extra fds to wait for (e.g. a tab's tracer wake-up fd): fill at most
	 * max entries of pfd and return how many. fd_ready gets each that is
	 * ready. Both may be NULL.
	 */
	int (*fds)(struct screen *s, struct pollfd *pfd, int max);
	unsigned (*fd_ready)(struct screen *s, int fd, short revents);
};

struct screen {
	const struct screen_ops *ops;
	struct ui *ui;
	struct screen *below; /* the screen to go back to on UI_CLOSE */
};

#endif
