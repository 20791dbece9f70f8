/*
 * stack_print.c: the text and JSON forms of a walk (struct stack), shared
 * by 'whytop stack' and 'whytop report'.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/stack.h>
#include <whytop/util.h>

#include "cli/json.h"
#include "cli/stack_print.h"

/* The source line `line` of file, trimmed, or NULL. Reads the file each time: CLI only. */
char *stack_source_line(const char *file, int line)
{
	if (!file || line <= 0)
		return NULL;
	FILE *f = fopen(file, "r");
	if (!f)
		return NULL;
	char buf[1024];
	int n = 0;
	char *res = NULL;
	while (fgets(buf, sizeof(buf), f)) {
		size_t len = strlen(buf);
		bool whole = len && buf[len - 1] == '\n';
		if (++n == line) {
			while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
				buf[--len] = 0;
			char *p = buf;
			while (*p == ' ' || *p == '\t')
				p++;
			res = wt_escape(p, strlen(p), 0);
			break;
		}
		/* a line longer than the buffer continues in the next fgets */
		if (!whole)
			n--;
	}
	fclose(f);
	return res;
}

void stack_print_text(FILE *out, const struct stack *st, bool source)
{
	if (st->loaded)
		fprintf(out, "process %d: %zu thread%s, from a saved snapshot, walk %.3f ms\n",
			st->pid, st->nthreads, st->nthreads == 1 ? "" : "s", st->walk_ns / 1e6);
	else
		fprintf(out,
			"process %d: %zu thread%s, paused %.3f ms (held <= %.3f ms), walk %.3f "
			"ms%s\n",
			st->pid, st->nthreads, st->nthreads == 1 ? "" : "s", st->pause_ns / 1e6,
			st->hold_ns / 1e6, st->walk_ns / 1e6,
			st->was_stopped ? " (stopped, left stopped)" : "");
	for (size_t i = 0; i < st->nthreads; i++) {
		const struct stack_thread *t = &st->threads[i];
		fprintf(out, "\nthread %d \"%s\" (%c)\n", t->tid, t->name ? t->name : "?",
			t->state);
		for (size_t j = 0; j < t->nframes; j++) {
			const struct stack_frame *f = &t->frames[j];
			fprintf(out, "  #%-3zu 0x%016" PRIx64 " ", j, f->pc);
			if (f->function)
				fprintf(out, "%s+0x%" PRIx64, f->function, f->offset);
			else
				fprintf(out, "??");
			fprintf(out, " (%s)", f->module ? f->module : "?");
			if (f->file)
				fprintf(out, " at %s:%d", f->file, f->line);
			if (f->flags & STACK_FRAME_INLINE)
				fprintf(out, " [inline]");
			if (f->flags & STACK_FRAME_FALLBACK)
				fprintf(out, " [fallback]");
			if (f->flags & STACK_FRAME_SIGNAL)
				fprintf(out, " [signal]");
			fputc('\n', out);
			if (source) {
				char *s =
				    stack_source_line(f->src_path ? f->src_path : f->file, f->line);
				if (s)
					fprintf(out, "        %d | %s\n", f->line, s);
				free(s);
			}
		}
		if (t->error)
			fprintf(out, "  (%s)\n", t->error);
	}
	if (st->nnotes)
		fputc('\n', out);
	for (size_t i = 0; i < st->nnotes; i++)
		fprintf(out, "note: %s\n", st->notes[i]);
}

void stack_json(struct json *jw, const struct stack *st, bool source)
{
	json_object_begin(jw);
	json_field_int(jw, "pid", st->pid);
	json_field_uint(jw, "pause_ns", st->pause_ns);
	json_field_uint(jw, "hold_ns", st->hold_ns);
	json_field_uint(jw, "walk_ns", st->walk_ns);
	json_field_uint(jw, "unwound_early", st->unwound_early);
	json_field_bool(jw, "was_stopped", st->was_stopped);
	json_field_bool(jw, "loaded", st->loaded);
	json_key(jw, "threads");
	json_array_begin(jw);
	for (size_t i = 0; i < st->nthreads; i++) {
		const struct stack_thread *t = &st->threads[i];
		json_object_begin(jw);
		json_field_int(jw, "tid", t->tid);
		json_field_string(jw, "name", t->name);
		json_field_char(jw, "state", t->state);
		json_field_string(jw, "error", t->error);
		json_key(jw, "frames");
		json_array_begin(jw);
		for (size_t k = 0; k < t->nframes; k++) {
			const struct stack_frame *f = &t->frames[k];
			json_object_begin(jw);
			json_field_uint(jw, "n", k);
			json_field_hex(jw, "pc", f->pc);
			json_field_string(jw, "module", f->module);
			json_field_string(jw, "function", f->function);
			json_field_uint(jw, "offset", f->offset);
			json_field_string(jw, "file", f->file);
			json_field_string(jw, "src_path", f->src_path);
			json_field_int(jw, "line", f->line);
			json_field_int(jw, "column", f->column);
			json_field_bool(jw, "inline", f->flags & STACK_FRAME_INLINE);
			json_field_int(jw, "inline_depth", f->inline_depth);
			json_field_bool(jw, "fallback", f->flags & STACK_FRAME_FALLBACK);
			json_field_bool(jw, "signal", f->flags & STACK_FRAME_SIGNAL);
			if (source) {
				char *s =
				    stack_source_line(f->src_path ? f->src_path : f->file, f->line);
				json_field_string(jw, "source", s);
				free(s);
			}
			json_object_end(jw);
		}
		json_array_end(jw);
		json_object_end(jw);
	}
	json_array_end(jw);
	json_key(jw, "notes");
	json_array_begin(jw);
	for (size_t i = 0; i < st->nnotes; i++)
		json_string(jw, st->notes[i]);
	json_array_end(jw);
	json_object_end(jw);
}
