/*
 * stk_holder PID SIGNAL OUTFILE [before]: a test driver for attach.h. It
 * holds every thread of PID, sends it SIGNAL while held (or, with
 * "before", just before holding, so the signal may surface as a
 * signal-delivery-stop), checks for 300 ms that PID's output OUTFILE shows
 * no "signal N" line yet, lets go, and then waits up to 5 s for that line.
 * Prints what it saw; exits 0 only if the signal arrived, and (unless sent
 * before the hold) only after the detach.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <whytop/attach.h>
#include <whytop/target.h>

static int holder_seen(const char *path, int sig)
{
	char want[32], line[256];
	snprintf(want, sizeof(want), "signal %d\n", sig);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	int seen = 0;
	while (fgets(line, sizeof(line), f))
		if (strcmp(line, want) == 0)
			seen = 1;
	fclose(f);
	return seen;
}

static int holder_hold(pid_t pid, int sig, const char *out, int before)
{
	struct wt_err err = { 0 };
	struct attach_set *as;
	if (before)
		kill(pid, sig);
	if (attach_all(pid, NULL, &as, &err) < 0) {
		printf("attach failed: %s\n", err.msg);
		return 1;
	}
	size_t held = 0;
	for (size_t i = 0; i < as->nthreads; i++) {
		struct attach_thread *t = &as->threads[i];
		if (t->stop != ATTACH_STOP_NONE)
			held++;
		if (t->pending_sig)
			printf("thread %d stop %s pending %d\n", t->tid, attach_stop_name(t->stop),
			       t->pending_sig);
	}
	printf("held %zu of %zu threads\n", held, as->nthreads);
	if (!before)
		kill(pid, sig);
	struct timespec ts = { 0, 300000000 };
	nanosleep(&ts, NULL);
	int early = holder_seen(out, sig);
	if (attach_detach(as) < 0)
		printf("detach reported an error\n");
	/* Sent before the hold, it may legitimately be handled before it. */
	if (early && !before) {
		printf("FAIL: the signal was handled while the process was held\n");
		return 1;
	}
	for (int i = 0; i < 100; i++) {
		if (holder_seen(out, sig)) {
			printf("delivered after detach\n");
			return 0;
		}
		ts.tv_nsec = 50000000;
		nanosleep(&ts, NULL);
	}
	printf("FAIL: signal %d never arrived\n", sig);
	return 1;
}

struct holder {
	pid_t pid;
	int sig;
	const char *out;
	int before;
	int rc;
};

/* On the target's thread: a hold is made only there (attach.h). */
static void holder_run(void *arg)
{
	struct holder *h = arg;
	h->rc = holder_hold(h->pid, h->sig, h->out, h->before);
}

int main(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	struct holder h = {atoi(argv[1]), atoi(argv[2]), argv[3],
			   argc > 4 && strcmp(argv[4], "before") == 0, 1};
	struct wt_err err = { 0 };
	struct target *t;
	if (target_get(h.pid, &t, &err) < 0) {
		printf("attach failed: %s\n", err.msg);
		return 1;
	}
	target_call(t, holder_run, &h);
	target_put(t);
	return h.rc;
}
