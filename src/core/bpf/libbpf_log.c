/*
 * libbpf_log.c: libbpf's messages silent, or kept around a load for the
 * error message (libbpf_log.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "libbpf_log.h"

/*
 * Per thread: libbpf prints a load's messages on the thread that loads,
 * and loads happen on several threads at once (the Kernel tab's workers,
 * a command's main thread), so each keeps its own. The printer is always
 * the same function; it drops whatever a thread did not ask to keep.
 */
static __thread char kept[4096];
static __thread int keeping;

__attribute__((format(printf, 2, 0))) static int route(enum libbpf_print_level level,
							const char *fmt, va_list ap)
{
	size_t n = strlen(kept);
	if (keeping && level != LIBBPF_DEBUG && n + 1 < sizeof(kept))
		vsnprintf(kept + n, sizeof(kept) - n, fmt, ap);
	return 0;
}

static int debugging(void)
{
	const char *d = getenv("WHYTOP_BPF_DEBUG");
	return d && *d;
}

void wt_libbpf_quiet(void)
{
	keeping = 0;
	if (!debugging())
		libbpf_set_print(route);
}

void wt_libbpf_keep(void)
{
	kept[0] = '\0';
	keeping = 1;
	if (!debugging())
		libbpf_set_print(route);
}

const char *wt_libbpf_kept(void)
{
	wt_libbpf_quiet();
	for (char *nl; (nl = strchr(kept, '\n'));)
		*nl = ' ';
	return kept;
}
