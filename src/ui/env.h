/* env.h: a process's environment screen (env_screen.c), `e` in the list. */
#ifndef WHYTOP_UI_ENV_H
#define WHYTOP_UI_ENV_H

#include <sys/types.h>

struct ui;
struct screen;

/* The environment of pid, read once, with search; NULL if out of memory. */
struct screen *env_screen_new(struct ui *ui, pid_t pid);

#endif
