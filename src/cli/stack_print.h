/*
 * stack_print.h: a walk (struct stack) as text or JSON, for 'whytop stack'
 * and 'whytop report'.
 */
#ifndef WHYTOP_CLI_STACK_PRINT_H
#define WHYTOP_CLI_STACK_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include <whytop/stack.h>

#include "cli/json.h"

/* The source line `line` of file, trimmed and escaped (malloc'd), or NULL. */
char *stack_source_line(const char *file, int line);
/* "process PID: N threads, paused ..." then each thread's frames; source: the lines too. */
void stack_print_text(FILE *out, const struct stack *st, bool source);
/* One object: {"pid", "pause_ns", ..., "threads":[{"tid", "frames":[...]}], "notes"}. */
void stack_json(struct json *j, const struct stack *st, bool source);

#endif
