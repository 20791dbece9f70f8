/*
 * util.h: small pieces every part of whytop shares: an error carrying a
 * sentence for people, text made safe for a terminal, a growable buffer,
 * reading a whole small file relative to a directory fd.
 */
#ifndef WHYTOP_UTIL_H
#define WHYTOP_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Errors: core functions return 0 or -errno and, when given one, fill a
 * wt_err with a sentence saying what went wrong and what to do about it.
 */
struct wt_err {
	int code;      /* positive errno, 0 when no error */
	char msg[512]; /* "cannot attach to 1234: ...; run as root or ..." */
};

int wt_err_set(struct wt_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void wt_err_clear(struct wt_err *err);

/* A growable byte buffer, always NUL-terminated. */
struct wt_buf {
	char *data;
	size_t len, cap;
};
void wt_buf_init(struct wt_buf *b);
void wt_buf_free(struct wt_buf *b);
int wt_buf_add(struct wt_buf *b, const void *p, size_t n);
int wt_buf_puts(struct wt_buf *b, const char *s);
int wt_buf_printf(struct wt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand the string over to the caller; b is empty afterwards. */
char *wt_buf_steal(struct wt_buf *b);

/*
 * Untrusted text (process names, command lines, paths, DWARF strings) goes
 * through wt_escape before any front end sees it. Valid printable UTF-8 is
 * kept; control characters become \n \t \e or \xHH; invalid UTF-8 bytes
 * become \xHH; a backslash stays a single backslash. If nul_as_space, NUL
 * bytes (argv separators in /proc/PID/cmdline) become spaces.
 * Returns a new string (never NULL unless out of memory).
 */
char *wt_escape(const char *s, size_t len, int nul_as_space);
/* Escape into a caller buffer, truncating safely; returns out. */
char *wt_escape_to(char *out, size_t outsz, const char *s, size_t len, int nul_as_space);

/*
 * Read a small file relative to dirfd into buf (NUL-terminated, at most
 * size-1 bytes). Returns bytes read or -errno. No stdio.
 */
ssize_t wt_read_at(int dirfd, const char *path, char *buf, size_t size);
/* Same, whole file of any size, malloc'd; *len gets the length. */
int wt_read_all_at(int dirfd, const char *path, char **out, size_t *len);

/* Monotonic clock in nanoseconds. */
uint64_t wt_now_ns(void);

/* Parse a decimal number; returns 0 on success and -EINVAL/-ERANGE. */
int wt_parse_long(const char *s, long min, long max, long *out);

#define WT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * A worker thread (worker.c): ops->step runs on it, on each
 * wt_worker_request (ignored while a step is in flight) or, with a
 * period, once at start and then every period_ns. A step's result (with
 * its rc and err) replaces one not yet taken, and wt_worker_fd becomes
 * readable; a step returning -EAGAIN hands nothing over. wt_worker_take
 * gives the latest (the caller frees it) or returns -EAGAIN.
 * wt_worker_free never blocks: ops->stop runs on the worker when it
 * leaves, and the last side to let go frees ctx (ops->ctx_free) and any
 * untaken result. The worker blocks every signal.
 */
struct wt_worker_ops {
	int (*step)(void *ctx, void **result, struct wt_err *err);
	void (*result_free)(void *ctx, void *result);
	void (*stop)(void *ctx);     /* or NULL */
	void (*ctx_free)(void *ctx); /* or NULL */
};
struct wt_worker;
/* NULL if the thread cannot start (ctx is freed then). */
struct wt_worker *wt_worker_new(const struct wt_worker_ops *ops, void *ctx, uint64_t period_ns);
void wt_worker_free(struct wt_worker *w);
int wt_worker_fd(const struct wt_worker *w);
void wt_worker_request(struct wt_worker *w);
/* Is a step in flight, and for how long (for_ns, may be NULL)? */
bool wt_worker_busy(struct wt_worker *w, uint64_t *for_ns);
int wt_worker_take(struct wt_worker *w, void **result, struct wt_err *err);

#endif
