/*
 * tab.h: the tabs of a process's own screen (Overview, Syscalls, Stack,
 * Locals, Kernel, ...). Each tab is one file, src/ui/tab_NAME.c, defining
 * a `const struct tab_ops tab_NAME_ops` and one row in src/ui/tabs.c.
 *
 * Life cycle, all on the UI thread:
 *   open   when the tab is first shown (lazily); allocate *state here.
 *   draw   whenever the screen is redrawn and the tab is the active one,
 *          into its own WINDOW (the region under the tab bar, above the
 *          status line); getmaxyx(win, h, w) gives its size, which changes
 *          on resize. Draw everything; the window was erased before.
 *   key    a key while the tab is active; return UI_* flags (screen.h), or
 *          UI_UNHANDLED for keys the screen should handle (Left/Right/Tab
 *          switch tabs, Esc/q close the screen, F10 quits).
 *   tick   after every periodic refresh (every open tab, active or not).
 *   poll_fd/on_fd  a tab that waits on an fd of its own (a timer, a worker
 *          thread's eventfd) returns it from poll_fd (or -1); when it is
 *          readable, on_fd runs on the UI thread. poll_fd is asked again
 *          after every event, so the fd may appear or change at any time.
 *          ptrace work goes to the process's target (tab_target) instead,
 *          whose fd the screen polls itself.
 *   focus  the tab became active (true) or another tab did (false).
 *   close  when the screen closes (process screen left), free state.
 * Every member but name, draw and key may be NULL.
 *
 * Tabs share one tab_ctx per process screen: the pid, the thread and frame
 * a Stack tab selected (the Locals tab reads them), and helpers to switch
 * tab and post a message on the status line. Colours: ui_attr(UI_E_...)
 * from theme.h, never literal colours. Dialogs and lists: widgets.h.
 */
#ifndef WHYTOP_UI_TAB_H
#define WHYTOP_UI_TAB_H

#include <curses.h>
#include <stdbool.h>
#include <sys/types.h>

#include "ui/screen.h"
#include "ui/theme.h"
#include "ui/widgets.h"

struct stack;
struct proc_screen;
struct target;
struct wt_err;

struct tab_ctx {
	pid_t pid;             /* the process this screen is about (tgid) */
	const char *comm;      /* its name, escaped (for titles) */
	/* Set by the Stack tab, read by the Locals tab. */
	pid_t selected_tid;    /* 0: none chosen yet */
	int selected_frame;    /* index into that thread's frames, -1: none */
	/*
	 * The Stack tab may publish its last walk here (it owns it and must
	 * reset this to NULL before freeing it), so Locals need not walk again.
	 */
	const struct stack *stack;
	unsigned delay_ms;     /* the refresh interval */
	bool process_gone;     /* the process has exited (set by the screen) */
	bool open_log;         /* the Syscalls tab opens on its live log (the list's `s`) */
	bool readonly;         /* --readonly: no poke, no inject */
	/*
	 * Catching crashes (the screen's X): armed, and once the process
	 * crashed, the report as text (the Overview and Stack tabs show it
	 * through tab_crash_draw instead of their last picture).
	 */
	bool catching;
	const char *crash;
	int crash_top; /* first line shown */
	/*
	 * The process's target (target.h; tab_target gets it on first use):
	 * every ptrace job of every tab runs on its thread, one at a time and
	 * in order, as do the jobs of any other view of the same process
	 * (the Syscalls tab's ptrace counting is a mode of the same target),
	 * so no two ever fight over the process. The screen polls its fd and
	 * runs the jobs' done functions; before any tab's close it waits for
	 * the jobs queued so far and runs their done functions.
	 */
	struct target *target;
	struct proc_screen *screen; /* private to proc_screen.c */
};

struct tab_ops {
	const char *name; /* shown on the tab bar and used by tab_switch */
	int (*open)(struct tab_ctx *ctx, void **state);
	void (*close)(struct tab_ctx *ctx, void *state);
	void (*draw)(struct tab_ctx *ctx, void *state, WINDOW *win);
	unsigned (*key)(struct tab_ctx *ctx, void *state, int key);
	unsigned (*tick)(struct tab_ctx *ctx, void *state);
	int (*poll_fd)(struct tab_ctx *ctx, void *state);
	unsigned (*on_fd)(struct tab_ctx *ctx, void *state, short revents);
	void (*focus)(struct tab_ctx *ctx, void *state, bool active);
	const char *help; /* one line of key help for this tab, or NULL */
};

/* The table of tabs, in tab-bar order (tabs.c), NULL-terminated. */
extern const struct tab_ops *const tab_table[];

/* The process's target, taken now if need be; NULL (and err) if it cannot start. */
struct target *tab_target(struct tab_ctx *ctx, struct wt_err *err);

/* Make the tab called name the active one (opens it if needed). -ENOENT if no such tab. */
int tab_switch(struct tab_ctx *ctx, const char *name);
/* Put a message on the screen's status line until the next key. */
void tab_status(struct tab_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tab_error(struct tab_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * The crash report, when the process crashed while catching was armed:
 * drawn into win (true), or false when there is none. tab_crash_key
 * scrolls it (true when the key was taken).
 */
bool tab_crash_draw(struct tab_ctx *ctx, WINDOW *win);
bool tab_crash_key(struct tab_ctx *ctx, WINDOW *win, int key);

/* Print str into win at (y, x), clipped to the window width, with attribute attr. */
void tab_print(WINDOW *win, int y, int x, int attr, const char *str);

#endif
