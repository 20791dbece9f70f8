/*
 * locals_print.c: the text and JSON forms of a frame's variables (struct
 * locals), shared by 'whytop locals' and 'whytop report'.
 */
#include <inttypes.h>
#include <stdio.h>

#include <whytop/locals.h>

#include "cli/json.h"
#include "cli/locals_print.h"

void locals_print_text(FILE *out, const struct locals *l, const char *indent)
{
	fprintf(out, "%sprocess %d, thread %d, frame %d: %s", indent, (int)l->pid, (int)l->tid,
		l->frame, l->function ? l->function : "??");
	if (l->file)
		fprintf(out, " at %s:%d", l->file, l->line);
	fprintf(out, " (pc 0x%" PRIx64 ")\n", l->pc);
	for (size_t i = 0; i < l->nvars; i++) {
		const struct locals_var *v = &l->vars[i];
		fprintf(out, "%s%*s%s = ", indent, 2 + 2 * v->depth, "", v->path);
		if (v->value)
			fprintf(out, "%s", v->value);
		else
			fprintf(out, "<%s>", locals_loc_name(v->loc));
		fprintf(out, "\t%s; %s; %s", v->type, locals_scope_name(v->scope), v->where);
		if (!v->writable)
			fprintf(out, "; read-only");
		if (v->shadowed)
			fprintf(out, "; shadowed");
		if (v->note)
			fprintf(out, "; %s", v->note);
		fputc('\n', out);
	}
}

void locals_json(struct json *jw, const struct locals *l)
{
	json_object_begin(jw);
	json_field_int(jw, "pid", l->pid);
	json_field_int(jw, "tid", l->tid);
	json_field_int(jw, "frame", l->frame);
	json_field_hex(jw, "pc", l->pc);
	json_field_string(jw, "function", l->function);
	json_field_string(jw, "file", l->file);
	json_field_int(jw, "line", l->line);
	json_key(jw, "vars");
	json_array_begin(jw);
	for (size_t i = 0; i < l->nvars; i++) {
		const struct locals_var *v = &l->vars[i];
		json_object_begin(jw);
		json_field_string(jw, "path", v->path);
		json_field_string(jw, "name", v->name);
		json_field_string(jw, "type", v->type);
		json_field_string(jw, "scope", locals_scope_name(v->scope));
		json_field_string(jw, "location", locals_loc_name(v->loc));
		json_field_string(jw, "where", v->where);
		json_field_string(jw, "value", v->value);
		json_field_string(jw, "note", v->note);
		json_field_bool(jw, "writable", v->writable);
		json_field_bool(jw, "expandable", v->expandable);
		json_field_bool(jw, "shadowed", v->shadowed);
		json_field_int(jw, "depth", v->depth);
		json_object_end(jw);
	}
	json_array_end(jw);
	json_object_end(jw);
}
