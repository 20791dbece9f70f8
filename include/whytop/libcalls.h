/*
 * libcalls.h: counting a live process's calls into its shared libraries,
 * as `ltrace -c` does, without stopping it: uprobes on the chosen
 * functions, an eBPF program counting each hit of the traced process in a
 * per-CPU array (src/core/libcalls).
 *
 * Which functions: by default the program's own PLT imports (the function
 * symbols its executable imports), each resolved to the first mapped
 * library that exports it; with lib, every function that library exports.
 * Either way filtered by shell globs on the name.
 */
#ifndef WHYTOP_LIBCALLS_H
#define WHYTOP_LIBCALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <whytop/util.h>

struct lc_opts {
	const char *lib;	  /* NULL: the executable's imports; else a library name */
	const char *const *globs; /* only names matching one of these (none: every name) */
	size_t nglobs;
};

struct lc_func {
	char *name;	 /* the exported name (escaped for display by the caller) */
	char *lib;	 /* the library's path as the process maps it */
	uint64_t offset; /* file offset of the function in lib: where the uprobe sits */
	uint64_t calls;	 /* since lc_open, after lc_read */
	bool refused;	 /* the kernel would not put a uprobe here: never counted */
};

struct lc_session;

/*
 * Choose the functions of process pid, attach one uprobe per function (one
 * uprobe_multi link per library where the kernel has it) and start
 * counting. The process never stops. 0, or -errno with err saying why
 * (no eBPF in this build, no such library, nothing matched, not root).
 */
int lc_open(pid_t pid, const struct lc_opts *opts, struct lc_session **out, struct wt_err *err);
/* The chosen functions; their calls are those of the last lc_read. */
const struct lc_func *lc_funcs(const struct lc_session *s, size_t *n);
/* Read the counters into lc_funcs(...)->calls. */
int lc_read(struct lc_session *s, struct wt_err *err);
/* "uprobe_multi, 2 links" or "one uprobe per function": how it counts. */
const char *lc_backend(const struct lc_session *s);
/* Functions exported as IFUNCs (the implementation is chosen at load
 * time, the symbol is its chooser): left out, and said so. */
size_t lc_skipped_ifuncs(const struct lc_session *s);
/* Functions the kernel refused a uprobe on (its first instruction cannot
 * be stepped over out of line): marked refused in lc_funcs. */
size_t lc_refused(const struct lc_session *s);
/* What a counted call costs the target, in a sentence. */
const char *lc_cost(const struct lc_session *s);
/* Detach everything; the target runs on as before. */
void lc_close(struct lc_session *s);

#endif
