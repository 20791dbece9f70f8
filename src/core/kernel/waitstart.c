/*
 * waitstart.c: since when tasks have been off the CPU, from the kernel
 * (waitstart.bpf.c, an eBPF task iterator loaded once through its
 * bpftool skeleton), so that "blocked for" counts a wait that began before
 * whytop looked. Each read walks the tasks in the kernel and returns one
 * record per task that is not running; nothing is attached to a
 * tracepoint, so between reads it costs nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <whytop/kernel.h>

#include "config.h"

#ifndef HAVE_BPF_SKEL

int kernel_waitstart_open(struct kernel_waitstart **out, struct wt_err *err)
{
	*out = NULL;
	return wt_err_set(err, ENOSYS,
			  "this whytop was built without its eBPF programs (%s): blocked times "
			  "count from when whytop first saw the wait; install them and run "
			  "./configure again",
			  WHYTOP_NO_BPF_SKEL_WHY);
}

int kernel_waitstart_read(struct kernel_waitstart *ws, pid_t tgid, bool only_d,
			  struct kernel_offcpu_since **out, size_t *n, struct wt_err *err)
{
	(void)ws, (void)tgid, (void)only_d;
	*out = NULL;
	*n = 0;
	return wt_err_set(err, ENOSYS, "the kernel's wait start times are not built in");
}

void kernel_waitstart_close(struct kernel_waitstart *ws)
{
	(void)ws;
}

#else
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "waitstart_rec.h"
/* generated in the build tree (mk/kernel.am), found through -I$(top_builddir) */
#include "src/core/kernel/waitstart.skel.h"
#include "core/bpf/libbpf_log.h"

struct kernel_waitstart {
	struct waitstart_bpf *skel;
	struct bpf_link *link;
};

int kernel_waitstart_open(struct kernel_waitstart **out, struct wt_err *err)
{
	*out = NULL;
	struct kernel_waitstart *ws = calloc(1, sizeof(*ws));
	if (!ws)
		return wt_err_set(err, ENOMEM, "out of memory");
	ws->skel = waitstart_bpf__open();
	if (!ws->skel) {
		int e = errno ? errno : EINVAL;
		free(ws);
		return wt_err_set(err, e, "cannot open the wait-start eBPF program: %s",
				  strerror(e));
	}
	wt_libbpf_keep();
	int r = waitstart_bpf__load(ws->skel);
	const char *log = wt_libbpf_kept();
	if (r) {
		int e = -r;
		kernel_waitstart_close(ws);
		if (e == EPERM || e == EACCES)
			return wt_err_set(err, e,
					  "the kernel's wait start times need root (CAP_BPF and "
					  "CAP_PERFMON): blocked times count from when whytop "
					  "first saw the wait");
		return wt_err_set(err, e,
				  "the kernel refused the wait-start eBPF program (%s)%s%.300s; "
				  "blocked times count from when whytop first saw the wait",
				  strerror(e), log[0] ? ": " : "", log);
	}
	ws->link = bpf_program__attach_iter(ws->skel->progs.wt_waitstart, NULL);
	if (!ws->link) {
		int e = errno ? errno : EINVAL;
		kernel_waitstart_close(ws);
		return wt_err_set(err, e,
				  "cannot attach the wait-start task iterator: %s; blocked times "
				  "count from when whytop first saw the wait",
				  strerror(e));
	}
	*out = ws;
	return 0;
}

int kernel_waitstart_read(struct kernel_waitstart *ws, pid_t tgid, bool only_d,
			  struct kernel_offcpu_since **out, size_t *n, struct wt_err *err)
{
	*out = NULL;
	*n = 0;
	ws->skel->bss->want_tgid = (uint32_t)tgid;
	ws->skel->bss->only_d = only_d;
	int fd = bpf_iter_create(bpf_link__fd(ws->link));
	if (fd < 0)
		return wt_err_set(err, errno, "cannot start the wait-start task iterator: %s",
				  strerror(errno));
	struct kernel_offcpu_since *v = NULL;
	size_t cap = 0, cnt = 0;
	struct wsb_rec recs[64];
	int rc = 0;
	size_t have = 0; /* bytes of recs filled: a read may end inside a record */
	for (;;) {
		ssize_t got = read(fd, (char *)recs + have, sizeof(recs) - have);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = wt_err_set(err, errno, "cannot read the wait-start task iterator: %s",
					strerror(errno));
			break;
		}
		if (got == 0)
			break;
		have += (size_t)got;
		size_t whole = have / sizeof(recs[0]);
		if (cnt + whole > cap) {
			size_t nc = cap ? cap * 2 : 256;
			while (nc < cnt + whole)
				nc *= 2;
			struct kernel_offcpu_since *nv = realloc(v, nc * sizeof(*nv));
			if (!nv) {
				rc = wt_err_set(err, ENOMEM, "out of memory");
				break;
			}
			v = nv;
			cap = nc;
		}
		for (size_t i = 0; i < whole; i++)
			v[cnt++] = (struct kernel_offcpu_since){
			    .tid = (pid_t)recs[i].tid,
			    .tgid = (pid_t)recs[i].tgid,
			    .off_ns = recs[i].off_ns,
			    .nswitches = recs[i].nswitches,
			};
		size_t rest = have - whole * sizeof(recs[0]);
		memmove(recs, (char *)recs + whole * sizeof(recs[0]), rest);
		have = rest;
	}
	close(fd);
	if (!rc && ws->skel->bss->no_clock)
		rc =
		    wt_err_set(err, EOPNOTSUPP,
			       "this kernel (built without CONFIG_FAIR_GROUP_SCHED) does not let "
			       "whytop reach the run queues' clocks: blocked times count from when "
			       "whytop first saw the wait");
	if (rc) {
		free(v);
		return rc;
	}
	*out = v;
	*n = cnt;
	return 0;
}

void kernel_waitstart_close(struct kernel_waitstart *ws)
{
	if (!ws)
		return;
	bpf_link__destroy(ws->link);
	waitstart_bpf__destroy(ws->skel);
	free(ws);
}

#endif
