/*
 * kernel_lines.h: the kernel view of a thread as lines of text with their
 * theme elements, shared by the Kernel tab and the blocked screen.
 */
#ifndef WHYTOP_UI_KERNEL_LINES_H
#define WHYTOP_UI_KERNEL_LINES_H

#include <curses.h>
#include <stddef.h>
#include <sys/types.h>

#include <whytop/kernel.h>

#include "ui/theme.h"

struct kernel_line {
	int x;                 /* column of label */
	enum ui_elem lelem;    /* colour of the label */
	char *label;           /* may be NULL */
	int vx;                /* column of value (relative to x), 0: right after label */
	enum ui_elem velem;
	char *value;           /* may be NULL */
	pid_t pid;             /* the process this line is about (blocked screen), 0 if none */
};

struct kernel_lines {
	struct kernel_line *l;
	size_t n, cap;
	int width; /* wrap values to this many columns; 0: no wrapping */
};

void klines_clear(struct kernel_lines *k);
void klines_free(struct kernel_lines *k);
/* A value too wide for k->width continues on lines of its own, broken at spaces. */
void klines_add(struct kernel_lines *k, int x, enum ui_elem lelem, const char *label, int vx,
		enum ui_elem velem, const char *value, pid_t pid);
/* One thread: a header line, wchan, syscall (+ fd/path lines), kernel stack. */
void klines_thread(struct kernel_lines *k, const struct kernel_thread *t, int x, pid_t pid);
/* Draw line i at row y of win. */
void klines_draw_line(const struct kernel_lines *k, size_t i, WINDOW *win, int y, bool selected);

#endif
