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

static char kept[4096];

static int drop(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

static int keep(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	size_t n = strlen(kept);
	if (level != LIBBPF_DEBUG && n + 1 < sizeof(kept))
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
	if (!debugging())
		libbpf_set_print(drop);
}

void wt_libbpf_keep(void)
{
	kept[0] = '\0';
	if (!debugging())
		libbpf_set_print(keep);
}

const char *wt_libbpf_kept(void)
{
	wt_libbpf_quiet();
	for (char *nl; (nl = strchr(kept, '\n'));)
		*nl = ' ';
	return kept;
}
