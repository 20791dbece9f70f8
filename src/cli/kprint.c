/*
 * kprint.c: the text form of one thread's kernel side, as 'whytop kstack'
 * and 'whytop blocked' print it. Every field is either a value or the
 * sentence saying why the kernel would not give it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/kprint.h"

static void print_args(FILE *f, const struct kernel_syscall *sc, const char *indent)
{
	for (int i = 0; i < sc->nargs; i++) {
		const struct kernel_sys_arg *a = &sc->arg[i];
		if (a->kind != KARG_FD && a->kind != KARG_DIRFD && a->kind != KARG_PATH)
			continue;
		if (a->target)
			fprintf(f, "%s           %s = %s\n", indent, a->name, a->target);
		else if (a->note)
			fprintf(f, "%s           %s: %s\n", indent, a->name, a->note);
	}
}

void kprint_thread(FILE *f, const struct kernel_thread *t, const char *indent, bool full_stack)
{
	fprintf(f, "%sthread %d (%s): %c, %s", indent, (int)t->tid, t->comm ? t->comm : "?",
		t->state, kernel_state_name(t->state));
	if (t->blocked) {
		char dur[32], since[32];
		struct tm tm;
		localtime_r(&t->blocked_since, &tm);
		strftime(since, sizeof(since), "%H:%M:%S", &tm);
		if (t->blocked_exact)
			fprintf(f, ", blocked for %s (since %s)",
				kernel_duration_format(t->blocked_ns, dur, sizeof(dur)), since);
		else
			fprintf(f, ", blocked for %s%s (as observed since %s)",
				kernel_blocked_for_mark(t),
				kernel_duration_format(t->blocked_ns, dur, sizeof(dur)), since);
	}
	fputc('\n', f);

	if (t->wchan)
		fprintf(f, "%s  wchan:   %s\n", indent, t->wchan[0] ? t->wchan : "- (not waiting)");
	else
		fprintf(f, "%s  wchan:   hidden: %s\n", indent,
			t->wchan_error ? t->wchan_error : "unknown");

	if (t->sc.state == KSYS_UNKNOWN)
		fprintf(f, "%s  syscall: unknown: %s\n", indent,
			t->syscall_error ? t->syscall_error : "not readable");
	else
		fprintf(f, "%s  syscall: %s\n", indent, t->sc.summary ? t->sc.summary : "?");
	if (t->sc.state == KSYS_IN)
		print_args(f, &t->sc, indent);

	if (t->nframes == 0) {
		fprintf(f, "%s  kernel stack: unavailable: %s\n", indent,
			t->stack_error ? t->stack_error : "empty");
		return;
	}
	fprintf(f, "%s  kernel stack (innermost first):\n", indent);
	size_t n = full_stack ? t->nframes : (t->nframes < 6 ? t->nframes : 6);
	for (size_t i = 0; i < n; i++) {
		const struct kernel_frame *fr = &t->frames[i];
		fprintf(f, "%s    %s", indent, fr->func);
		if (fr->offset || fr->size)
			fprintf(f, "+0x%" PRIx64 "/0x%" PRIx64, fr->offset, fr->size);
		if (fr->module)
			fprintf(f, " [%s]", fr->module);
		fputc('\n', f);
	}
	if (n < t->nframes)
		fprintf(f, "%s    ... %zu more\n", indent, t->nframes - n);
}
