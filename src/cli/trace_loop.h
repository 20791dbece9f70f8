/*
 * trace_loop.h: the loop of the commands that follow a trace session until
 * it ends (trace, inject, run --inject): drain the records, wait for more,
 * and end on the first of: every task gone, the duration, or Ctrl-C,
 * SIGTERM, SIGHUP. The ending signals alone (cli_endsig) serve whytop
 * catch too.
 */
#ifndef WHYTOP_CLI_TRACE_LOOP_H
#define WHYTOP_CLI_TRACE_LOOP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <whytop/trace.h>

/*
 * The ending signals, caught through a self-pipe: handlers, unlike a
 * blocked mask (signalfd) or SIG_IGN, are not inherited by a program
 * started under whytop. SIGPIPE (the reader of the log went away) is
 * caught and does nothing, so the write fails with EPIPE and ends the log
 * as cleanly.
 */
struct cli_endsig {
	int fd[2];
	struct sigaction old[4];
	bool ok;
};

/* Catch the signals; false when the pipe cannot be made (handlers not set). */
bool cli_endsig_start(struct cli_endsig *e);
/* The former handlers back, the pipe closed. */
void cli_endsig_stop(struct cli_endsig *e);

struct cli_trace_loop {
	const char *sub; /* for error messages */
	struct trace_session *s;
	const struct cli_endsig *sig;
	uint64_t end_ns; /* CLOCK_MONOTONIC (wt_now_ns); UINT64_MAX none */
	trace_cb cb;
	void *ctx;
	/* After each drain (lines reach their reader); nonzero ends the loop (status). */
	int (*flush)(void *ctx);
	/* Out: every task ended (then wstatus: a launched program's wait status). */
	bool ended;
	int wstatus;
};

/* Run the loop; CLI_OK or the error status (printed). The session stays open. */
int cli_trace_loop(struct cli_trace_loop *l);

#endif
