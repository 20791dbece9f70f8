/*
 * locals_print.h: a frame's variables (struct locals) as text or JSON, for
 * 'whytop locals' and 'whytop report'.
 */
#ifndef WHYTOP_CLI_LOCALS_PRINT_H
#define WHYTOP_CLI_LOCALS_PRINT_H

#include <stdio.h>

#include <whytop/locals.h>

#include "cli/json.h"

/* "process P, thread T, frame N: fn at file:line", then "PATH = VALUE\ttype; ..." lines. */
void locals_print_text(FILE *out, const struct locals *l, const char *indent);
/* One object: {"pid", "tid", "frame", "pc", "function", "file", "line", "vars":[...]}. */
void locals_json(struct json *j, const struct locals *l);

#endif
