/*
 * cmd_catch.c: "whytop catch [--hold] [--json] PID": wait until PID
 * crashes or ends, and say where and why it crashed (catch.h). Signals the
 * program handles are reported as they pass. Also the loop and printing
 * for "whytop run --catch" (catch_print.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <whytop/catch.h>
#include <whytop/cli.h>
#include <whytop/decode.h>
#include <whytop/trace.h>
#include <whytop/util.h>

#include "cli/catch_print.h"
#include "cli/json.h"
#include "cli/trace_loop.h"

enum { CATCH_JSON = CLI_LONG_ONLY, CATCH_HOLD };

static const struct cli_opt catch_opts[] = {
    {.name = "hold",
     .key = CATCH_HOLD,
     .help = "after the report, leave the process stopped (untraced, the\n"
	     "signal queued again): 'whytop stack PID' and 'whytop locals PID'\n"
	     "work on it; 'kill -CONT PID' lets it die as it would have"},
    {.name = "json", .key = CATCH_JSON, .help = "the report as one JSON object"},
    {NULL},
};

static int catch_exec(int argc, char **argv);

const struct cli_cmd cli_cmd_catch = {
    .name = "catch",
    .args = "PID",
    .summary = "wait for a crash and say where and why: signal, address, stacks, locals",
    .about = "Trace PID (no stop: it runs at full speed) until it crashes or ends. On a\n"
	     "fatal signal print the signal and its code, what the fault address is (NULL\n"
	     "page, unmapped, a stack overflow, a read-only mapping...), where it happened,\n"
	     "every thread's stack and the crashing frame's locals; then let the signal\n"
	     "kill the process as it would have (core dump included). A signal the\n"
	     "program handles is reported and goes on. Exit status: the process's, as a\n"
	     "shell gives it (128+N when killed by signal N; with --hold, the signal\n"
	     "that is held); 1 if whytop failed.",
    .opts = catch_opts,
    .exec = catch_exec,
};

static int catch_shell_status(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

/* ---- JSON ---- */

/* A deep recursion gives its first and last frames only, as the text does. */
#define CATCH_HEAD_FRAMES 24
#define CATCH_TAIL_FRAMES 8

static void catch_thread_json(struct json *j, const struct stack_thread *t)
{
	json_object_begin(j);
	json_field_int(j, "tid", t->tid);
	json_field_string(j, "name", t->name);
	json_field_string(j, "error", t->error);
	json_field_uint(j, "nframes", t->nframes);
	json_key(j, "frames");
	json_array_begin(j);
	for (size_t k = 0; k < t->nframes; k++) {
		/* A deep recursion: the head and the tail, as the text. */
		if (t->nframes > CATCH_HEAD_FRAMES + CATCH_TAIL_FRAMES && k == CATCH_HEAD_FRAMES)
			k = t->nframes - CATCH_TAIL_FRAMES;
		const struct stack_frame *f = &t->frames[k];
		json_object_begin(j);
		json_field_uint(j, "n", k);
		json_field_hex(j, "pc", f->pc);
		json_field_string(j, "module", f->module);
		json_field_string(j, "function", f->function);
		json_field_uint(j, "offset", f->offset);
		json_field_string(j, "file", f->file);
		json_field_int(j, "line", f->line);
		json_field_bool(j, "inline", f->flags & STACK_FRAME_INLINE);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

static void catch_report_json(struct json *j, const struct catch_report *r)
{
	json_field_int(j, "tid", r->tid);
	json_field_string(j, "signal", r->signame);
	json_field_string(j, "code", r->code);
	json_field_string(j, "siginfo", r->siginfo_text);
	json_key(j, "address");
	json_object_begin(j);
	if (r->addr.kind == CATCH_ADDR_NONE) {
		json_key(j, "addr");
		json_null(j);
	} else {
		json_field_hex(j, "addr", r->addr.addr);
	}
	json_field_string(j, "kind", catch_addr_kind_name(r->addr.kind));
	json_field_string(j, "text", r->addr_text);
	if (r->addr.map_start != r->addr.map_end) {
		json_key(j, "mapping");
		json_object_begin(j);
		json_field_hex(j, "start", r->addr.map_start);
		json_field_hex(j, "end", r->addr.map_end);
		json_field_string(j, "perms", r->addr.perms);
		json_field_string(j, "path", r->addr.path);
		json_field_hex(j, "offset", r->addr.map_offset);
		json_object_end(j);
	}
	json_object_end(j);
	const struct stack_frame *pf = r->pc_frame;
	json_field_hex(j, "pc", r->pc);
	json_field_string(j, "function", pf ? pf->function : NULL);
	json_field_string(j, "file", pf ? pf->file : NULL);
	json_field_int(j, "line", pf ? pf->line : 0);
	json_field_uint(j, "recursion", r->recursion);
	json_field_bool(j, "stack_overflow", r->addr.kind == CATCH_ADDR_STACK_GUARD);
	json_field_string(j, "stack_error", r->stack_error);
	json_key(j, "threads");
	json_array_begin(j);
	if (r->stack) {
		catch_thread_json(j, &r->stack->threads[r->crash_thread]);
		for (size_t i = 0; i < r->stack->nthreads; i++)
			if (i != r->crash_thread)
				catch_thread_json(j, &r->stack->threads[i]);
	}
	json_array_end(j);
	json_key(j, "locals");
	if (!r->locals) {
		json_null(j);
	} else {
		const struct locals *l = r->locals;
		json_object_begin(j);
		json_field_int(j, "frame", l->frame);
		json_field_string(j, "function", l->function);
		json_field_string(j, "file", l->file);
		json_field_int(j, "line", l->line);
		json_key(j, "vars");
		json_array_begin(j);
		for (size_t i = 0; i < l->nvars; i++) {
			const struct locals_var *v = &l->vars[i];
			json_object_begin(j);
			json_field_string(j, "path", v->path);
			json_field_string(j, "type", v->type);
			json_field_string(j, "scope", locals_scope_name(v->scope));
			json_field_string(j, "value", v->value);
			json_field_int(j, "depth", v->depth);
			json_object_end(j);
		}
		json_array_end(j);
		json_object_end(j);
	}
	json_field_string(j, "locals_error", r->locals_error);
}

/* ---- the loop, shared with run --catch ---- */

static void catch_handled_text(FILE *f, const struct catch_event *ev)
{
	struct wt_buf b;
	wt_buf_init(&b);
	catch_event_text(ev, &b);
	fprintf(f, "%s\n", b.data ? b.data : "");
	fflush(f);
	wt_buf_free(&b);
}

int catch_cli_run(const char *sub, struct catch *c, pid_t pid, const struct catch_cli_opts *o)
{
	FILE *f = o->out;
	struct json j;
	json_init(&j);
	json_object_begin(&j);
	json_field_int(&j, "pid", pid);
	json_key(&j, "handled");
	json_array_begin(&j);
	struct catch_report *rep = NULL;
	struct catch_event ev;
	struct wt_err err = {0};
	int status = -1;
	bool held = false, crashed = false;
	bool stopped = false;
	for (;;) {
		if (catch_poll(c, &ev) == -EAGAIN) {
			struct pollfd pfd[2] = {{.fd = catch_fd(c), .events = POLLIN},
						{.fd = o->stop_fd, .events = POLLIN}};
			if (poll(pfd, o->stop_fd >= 0 ? 2 : 1, -1) < 0 && errno != EINTR) {
				json_free(&j);
				return cli_error(CLI_FAIL, sub, "poll failed: %s", strerror(errno));
			}
			if (o->stop_fd >= 0 && (pfd[1].revents & POLLIN)) {
				stopped = true;
				break;
			}
			continue;
		}
		if (ev.kind == CATCH_EV_HANDLED) {
			if (o->json) {
				json_object_begin(&j);
				json_field_int(&j, "tid", ev.tid);
				json_field_string(&j, "signal",
						  sysdecode_signal_name(ev.si.si_signo));
				json_field_int(&j, "code", ev.si.si_code);
				json_object_end(&j);
			} else {
				catch_handled_text(f, &ev);
			}
			continue;
		}
		if (ev.kind == CATCH_EV_EXITED) {
			status = ev.status;
			break;
		}
		/* A crash: report, then deliver or hold. */
		crashed = true;
		if (catch_report(c, &ev, &rep, &err) < 0) {
			fprintf(stderr, "whytop %s: %s\n", sub, err.msg);
		}
		if (catch_finish(c, o->hold, &err) < 0) {
			catch_report_free(rep);
			json_free(&j);
			return cli_error(CLI_FAIL, sub, "%s", err.msg);
		}
		if (o->hold) {
			held = true;
			status = ev.si.si_signo; /* as a signal number, below */
			break;
		}
	}
	if (stopped) {
		/* the caller's catch_close lets every thread go, signals handed back */
		json_free(&j);
		fprintf(stderr, "whytop %s: stopped watching process %d, which runs on untraced\n",
			sub, (int)pid);
		return CLI_OK;
	}
	json_array_end(&j);
	json_field_bool(&j, "crashed", crashed);
	char words[96] = "";
	int code;
	if (held) {
		snprintf(words, sizeof(words),
			 "held stopped at its %s; 'kill -CONT %d' lets it die",
			 sysdecode_signal_name(status) ? sysdecode_signal_name(status) : "signal",
			 (int)pid);
		code = 128 + status;
	} else {
		catch_status_words(status, words, sizeof(words));
		code = catch_shell_status(status);
	}
	if (o->json) {
		json_key(&j, "crash");
		if (rep) {
			json_object_begin(&j);
			catch_report_json(&j, rep);
			json_object_end(&j);
		} else {
			json_null(&j);
		}
		json_field_bool(&j, "held", held);
		if (!held) {
			json_field_int(&j, "wait_status", status);
			json_field_bool(&j, "core_dumped",
					WIFSIGNALED(status) && WCOREDUMP(status));
		}
		json_field_int(&j, "exit_status", code);
		json_field_string(&j, "end", words);
		json_object_end(&j);
		if (cli_json_print(sub, &j, f) != CLI_OK)
			code = CLI_FAIL;
	} else {
		json_free(&j);
		if (rep) {
			struct wt_buf b;
			wt_buf_init(&b);
			catch_report_text(rep, &b);
			fputs(b.data ? b.data : "", f);
			wt_buf_free(&b);
		}
		fprintf(f, "\nprocess %d %s\n", (int)pid, words);
	}
	catch_report_free(rep);
	fflush(f); /* run --catch --hold -o FILE: readable while the program is held */
	return code;
}

static int catch_exec(int argc, char **argv)
{
	struct cli_parse p;
	struct catch_cli_opts o = {.out = stdout, .stop_fd = -1};
	int opt;
	cli_parse_init(&p, &cli_cmd_catch, argc, argv);
	while ((opt = cli_getopt(&p)) != CLI_END) {
		switch (opt) {
		case CLI_STOP:
			return p.status;
		case CATCH_JSON:
			o.json = true;
			break;
		case CATCH_HOLD:
			o.hold = true;
			break;
		}
	}
	if (optind + 1 < argc)
		return cli_extra_arg(&cli_cmd_catch, argv[optind + 1]);
	pid_t pid;
	int r = cli_parse_pid("catch", optind < argc ? argv[optind] : NULL, &pid);
	if (r)
		return r;
	struct wt_err err = {0};
	struct catch *c;
	if (catch_open(pid, &c, &err) < 0)
		return cli_error(CLI_FAIL, "catch", "%s", err.msg);
	/* Ctrl-C, SIGTERM, SIGHUP: stop watching, every thread let go cleanly */
	struct cli_endsig sig;
	if (!cli_endsig_start(&sig)) {
		catch_close(c);
		return cli_error(CLI_FAIL, "catch", "cannot create a pipe (too many open files?)");
	}
	o.stop_fd = sig.fd[0];
	/* On stderr, JSON or not: a script (a test) knows from it that it may go on. */
	fprintf(stderr, "whytop catch: watching process %d for a crash\n", (int)pid);
	int code = catch_cli_run("catch", c, pid, &o);
	catch_close(c);
	cli_endsig_stop(&sig);
	return code;
}
