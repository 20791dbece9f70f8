/*
 * files_print.h: a process's open fds as text and JSON, for 'whytop files'
 * and 'whytop report' (one format for both).
 */
#ifndef WHYTOP_CLI_FILES_PRINT_H
#define WHYTOP_CLI_FILES_PRINT_H

#include <stdio.h>

#include <whytop/files.h>

#include "cli/json.h"

/* A header line, then one line per fd: FD TYPE OFFSET FLAGS TARGET. */
void files_print_text(FILE *f, const struct proc_fd *fds, size_t n);
/* A JSON array of {fd, type, target, flags, pos, proto, local, remote, state}. */
void files_json_array(struct json *j, const struct proc_fd *fds, size_t n);

#endif
