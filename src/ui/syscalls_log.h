/*
 * syscalls_log.h: the Syscalls tab's live log (syscalls_log.c), a view the
 * tab switches to with `l`.
 */
#ifndef WHYTOP_UI_SYSCALLS_LOG_H
#define WHYTOP_UI_SYSCALLS_LOG_H

#include <curses.h>
#include <stdbool.h>
#include <sys/types.h>

struct tab_ctx;
struct sclog;

struct sclog *sclog_new(void);
void sclog_free(struct sclog *l);
/* Log the process (tid 0: every thread, and threads born later) or one thread. */
void sclog_start(struct sclog *l, struct tab_ctx *ctx, pid_t tid);
void sclog_stop(struct sclog *l);
bool sclog_running(const struct sclog *l);
/* A filter is being typed: every key is the log's. */
bool sclog_typing(const struct sclog *l);
int sclog_fd(const struct sclog *l);
unsigned sclog_on_fd(struct sclog *l, struct tab_ctx *ctx);
void sclog_draw(struct sclog *l, struct tab_ctx *ctx, WINDOW *win);
unsigned sclog_key(struct sclog *l, struct tab_ctx *ctx, int key);

#endif
