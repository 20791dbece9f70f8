/*
 * trace_loop.c: the loop that follows a trace session until it ends, for
 * whytop trace, whytop inject and run --inject (trace_loop.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <whytop/cli.h>
#include <whytop/util.h>

#include "trace_loop.h"

static const int endsigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
static int endsig_w = -1; /* the self-pipe's write end */

static void on_endsig(int sig)
{
	int e = errno;
	unsigned char c = (unsigned char)sig;
	if (write(endsig_w, &c, 1) < 0) {
		/* full: a wake-up is pending anyway */
	}
	errno = e;
}

static void on_sigpipe(int sig)
{
	(void)sig; /* the write fails with EPIPE instead */
}

bool cli_endsig_start(struct cli_endsig *e)
{
	e->fd[0] = e->fd[1] = -1;
	e->ok = pipe2(e->fd, O_CLOEXEC | O_NONBLOCK) == 0;
	if (!e->ok)
		return false;
	endsig_w = e->fd[1];
	for (size_t i = 0; i < WT_ARRAY_SIZE(endsigs); i++) {
		struct sigaction sa = {.sa_handler =
					   endsigs[i] == SIGPIPE ? on_sigpipe : on_endsig};
		sigemptyset(&sa.sa_mask);
		sigaction(endsigs[i], &sa, &e->old[i]);
	}
	return true;
}

void cli_endsig_stop(struct cli_endsig *e)
{
	if (!e->ok)
		return;
	for (size_t i = 0; i < WT_ARRAY_SIZE(endsigs); i++)
		sigaction(endsigs[i], &e->old[i], NULL);
	endsig_w = -1;
	close(e->fd[0]);
	close(e->fd[1]);
	e->ok = false;
}

int cli_trace_loop(struct cli_trace_loop *l)
{
	struct wt_err err;
	wt_err_clear(&err);
	l->ended = false;
	l->wstatus = 0;
	for (;;) {
		if (trace_drain(l->s, l->cb, l->ctx, &err) < 0)
			return cli_error(CLI_FAIL, l->sub, "%s", err.msg);
		int st = l->flush ? l->flush(l->ctx) : CLI_OK;
		if (st != CLI_OK)
			return st;
		if (trace_alive(l->s, &l->wstatus) == 0) {
			l->ended = true;
			trace_drain(l->s, l->cb, l->ctx, &err); /* the last records */
			return CLI_OK;
		}
		uint64_t now = wt_now_ns();
		if (now >= l->end_ns)
			return CLI_OK;
		/* wake for records, a signal, the end; and now and then to see
		 * whether a task is left (a backend may end without a record) */
		uint64_t step = l->end_ns - now < 100000000ull ? l->end_ns - now : 100000000ull;
		struct pollfd pfd[2] = {{.fd = trace_fd(l->s), .events = POLLIN},
					{.fd = l->sig->fd[0], .events = POLLIN}};
		if (poll(pfd, 2, (int)((step + 999999) / 1000000)) < 0 && errno != EINTR)
			return cli_error(CLI_FAIL, l->sub, "poll failed: %s", strerror(errno));
		if (pfd[1].revents & POLLIN) {
			trace_drain(l->s, l->cb, l->ctx, &err);
			return CLI_OK;
		}
	}
}
