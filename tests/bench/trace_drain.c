/*
 * trace_drain: the in-kernel log's backend alone, for tests/bench/
 * trace_overhead.sh until `whytop trace` exists: open trace_backend_bpf on
 * PID (every call, or -e SET), turn each record into a line with the
 * decoder (sysdecode_format) and write it to FILE (-o, default /dev/null),
 * until the process is gone or SIGTERM/SIGINT. At the end, on stderr:
 * "records N lost M seconds S".
 *
 *     trace_drain [-f] [-e SET] [-s STRSIZE] [-o FILE] PID
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/trace/trace_int.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct out {
	FILE *f;
	struct wt_buf line;
	struct sysdecode_opts dec;
	unsigned long long records, lost;
};

static void write_rec(const struct trace_rec *r, void *ctx)
{
	struct out *o = ctx;
	o->records++;
	o->line.len = 0;
	if (o->line.data)
		o->line.data[0] = 0;
	switch (r->kind) {
	case TRACE_SYSCALL:
		wt_buf_printf(&o->line, "[pid %d] ", (int)r->tid);
		if (r->sc.part == SCEV_EXIT)
			wt_buf_puts(&o->line, "<... resumed> ");
		sysdecode_format(&r->sc, (enum scev_part)r->sc.part, &o->dec, &o->line);
		break;
	case TRACE_SIGNAL:
		wt_buf_printf(&o->line, "[pid %d] --- signal %d ---", (int)r->tid, r->si.si_signo);
		break;
	case TRACE_EXIT:
		wt_buf_printf(&o->line, "[pid %d] +++ status %d +++", (int)r->tid, r->status);
		break;
	case TRACE_LOST:
		o->lost += r->lost;
		wt_buf_printf(&o->line, "lost %llu events", (unsigned long long)r->lost);
		break;
	case TRACE_ATTACH:
		wt_buf_printf(&o->line, "[pid %d] attached", (int)r->tid);
		break;
	}
	wt_buf_puts(&o->line, "\n");
	fwrite(o->line.data, 1, o->line.len, o->f);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *set = NULL, *file = "/dev/null";
	unsigned strsize = 32;
	bool follow = false;
	int c;
	while ((c = getopt(argc, argv, "fe:s:o:")) != -1) {
		switch (c) {
		case 'f':
			follow = true;
			break;
		case 'e':
			set = optarg;
			break;
		case 's':
			strsize = (unsigned)atoi(optarg);
			break;
		case 'o':
			file = optarg;
			break;
		default:
			fprintf(stderr,
				"usage: trace_drain [-f] [-e SET] [-s STRSIZE] [-o FILE] PID\n");
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: trace_drain [-f] [-e SET] [-s STRSIZE] [-o FILE] PID\n");
		return 2;
	}
	pid_t pid = (pid_t)atoi(argv[optind]);
	struct trace_session s = {.pids = &pid, .npids = 1, .follow = follow, .strsize = strsize};
	struct wt_err err = {0};
	if (set) {
		if (sc_set_parse(&s.set, set, &err) < 0) {
			fprintf(stderr, "trace_drain: %s\n", err.msg);
			return 1;
		}
	} else {
		s.all_calls = true;
		sc_set_all(&s.set);
	}
	struct out o = {.dec = {.strsize = strsize}};
	wt_buf_init(&o.line);
	o.f = fopen(file, "w");
	if (!o.f) {
		fprintf(stderr, "trace_drain: cannot write %s: %s\n", file, strerror(errno));
		return 1;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	if (trace_backend_bpf.open(&s, &err) < 0) {
		fprintf(stderr, "trace_drain: %s\n", err.msg);
		return 1;
	}
	double t0 = now();
	struct pollfd pfd = {.fd = trace_backend_bpf.fd(&s), .events = POLLIN};
	while (!stop && trace_backend_bpf.alive(&s)) {
		poll(&pfd, 1, 200);
		if (trace_backend_bpf.drain(&s, write_rec, &o, &err) < 0) {
			fprintf(stderr, "trace_drain: %s\n", err.msg);
			break;
		}
	}
	trace_backend_bpf.drain(&s, write_rec, &o, &err);
	trace_backend_bpf.close(&s);
	fclose(o.f);
	wt_buf_free(&o.line);
	fprintf(stderr, "records %llu lost %llu seconds %.2f\n", o.records, o.lost, now() - t0);
	return 0;
}
