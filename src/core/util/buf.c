/* buf.c: a growable NUL-terminated byte buffer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/util.h>

void wt_buf_init(struct wt_buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void wt_buf_free(struct wt_buf *b)
{
	free(b->data);
	wt_buf_init(b);
}

static int buf_reserve(struct wt_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p)
		return -ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int wt_buf_add(struct wt_buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n))
		return -ENOMEM;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int wt_buf_puts(struct wt_buf *b, const char *s)
{
	return wt_buf_add(b, s, strlen(s));
}

int wt_buf_printf(struct wt_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_reserve(b, (size_t)n))
		return -ENOMEM;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

char *wt_buf_steal(struct wt_buf *b)
{
	char *s = b->data;
	if (!s)
		s = calloc(1, 1);
	wt_buf_init(b);
	return s;
}
