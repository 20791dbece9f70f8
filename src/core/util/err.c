/* err.c: the wt_err sentence-carrying error. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <whytop/util.h>

int wt_err_set(struct wt_err *err, int code, const char *fmt, ...)
{
	if (code < 0)
		code = -code;
	if (err) {
		va_list ap;
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return -code;
}

void wt_err_clear(struct wt_err *err)
{
	if (err) {
		err->code = 0;
		err->msg[0] = '\0';
	}
}
