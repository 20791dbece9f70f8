/*
 * kjson.h: the JSON form of the kernel view, for 'kstack --json' and
 * 'blocked --json' (the text form is kprint.h). Built with the CLI's JSON
 * writer (json.h) from the core's plain structs (whytop/kernel.h).
 */
#ifndef WHYTOP_CLI_KJSON_H
#define WHYTOP_CLI_KJSON_H

#include <whytop/kernel.h>

#include "cli/json.h"

/* {"state":..., "nr", "abi", "name", "args":[...], "sp", "pc", "summary", "file"} */
void kjson_syscall(struct json *j, const struct kernel_syscall *sc);
/* {"tid", "comm", "state", "state_name", "wchan", "syscall", "stack", "blocked_for_s"...} */
void kjson_thread(struct json *j, const struct kernel_thread *t);
/* {"pid", "comm", "uid", "kernel_thread", "abi", "threads":[...]} */
void kjson_proc(struct json *j, const struct kernel_proc *kp);
/* {"tasks_scanned", "blocked", "note", "groups":[{"key", "from", "count", "tasks"}]} */
void kjson_blocked(struct json *j, const struct kernel_blocked *bl);

#endif
