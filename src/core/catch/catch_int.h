/*
 * catch_int.h: the inside of a catch (catch.c), for report.c.
 */
#ifndef WHYTOP_CATCH_INT_H
#define WHYTOP_CATCH_INT_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>

#include <whytop/catch.h>

#include "core/target/target_int.h"

struct catch
{
	pid_t pid;
	bool launched;
	int exec_fd; /* launched: the child's exec error, if any */
	struct target *target;
	struct target_mode mode;

	pthread_mutex_t lock; /* the event queue */
	pthread_cond_t cond;
	struct catch_event ev[256];
	size_t ev_head, nev, ev_lost;
	int ev_fd; /* eventfd: readable while events wait (catch_fd) */

	/* The target's thread alone, or under target_call. */
	bool crashed; /* a fatal signal is kept: every stop is kept too */
	pid_t crash_tid;
	int crash_sig;
	bool hold_req;
	int rc;
	struct wt_err err;
};

#endif
