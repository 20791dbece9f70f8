/* blocked.h: the system-wide blocked view screen (blocked_screen.c). */
#ifndef WHYTOP_UI_BLOCKED_H
#define WHYTOP_UI_BLOCKED_H

struct ui;
struct screen;

/* Every D task of the system, grouped by kernel frame; B in the list, --blocked. */
struct screen *blocked_screen_new(struct ui *ui);

#endif
