/*
 * internal.h: what the files of src/core/proc share among themselves and
 * nobody else sees: the uid->name cache, the system-wide reader, and the
 * kept-fd reads of the refresh path.
 */
#ifndef WHYTOP_CORE_PROC_INTERNAL_H
#define WHYTOP_CORE_PROC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <whytop/proc.h>
#include "core/proc/parse.h"

/* users.c: uid -> escaped name, from /etc/passwd read without stdio. */
struct proc_users;
struct proc_users *proc_users_new(void);
void proc_users_free(struct proc_users *u);
/* Never NULL: the name, or the number as text when /etc/passwd lacks it. */
const char *proc_users_name(struct proc_users *u, uid_t uid);

/* sysinfo.c: per-core CPU, memory, swap, load, uptime (task counts are the table's). */
struct proc_sysreader;
struct proc_sysreader *proc_sysreader_new(void);
void proc_sysreader_free(struct proc_sysreader *r);
/* Fill si (except the task counts); rates are since the previous call. */
int proc_sysreader_read(struct proc_sysreader *r, int procfd, struct proc_sysinfo *si);

/*
 * Read a small /proc file into buf (NUL-terminated). If *keep >= 0 it is an
 * fd kept open from an earlier refresh and is read with pread at offset 0
 * (the kernel regenerates the text); otherwise the file is opened relative
 * to dirfd and, if want_keep, left open in *keep. Returns bytes or -errno.
 */
ssize_t proc_read_kept(int dirfd, const char *path, int *keep, bool want_keep, char *buf,
		       size_t size);

/* table.c, for tree.c: the task array, reordered in place. */
struct proc_task *proc_table_tasks_(struct proc_table *t, size_t *n);
/* columns.c, for tree.c: order of two tasks by a column's key, ascending (0 when equal). */
int proc_task_cmp(const struct proc_task *a, const struct proc_task *b, enum proc_col col);

#endif
