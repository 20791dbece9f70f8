/*
 * bpf.c: the in-kernel syscall counter: the eBPF programs of count.bpf.c
 * on the raw_syscalls sys_enter and sys_exit tracepoints (and, with -f,
 * sched_process_fork), counting the chosen processes' syscalls into
 * per-CPU maps. The target never stops and nothing has to be drained.
 *
 * Why eBPF and not a tracefs instance: measured on this machine (see
 * doc/design.md), both follow threads born later, but a tracefs instance is
 * kernel state that outlives a crashed whytop and taxes every syscall until
 * someone removes it, and its events must be copied out and parsed. The
 * programs and maps here live exactly as long as their fds, so SIGKILL
 * leaves nothing behind.
 *
 * The programs are written in C and loaded through their bpftool skeleton
 * (count.skel.h, built by mk/bpf.am); what they are told before loading
 * (one process or a set, one thread, a set of calls) is read-only data the
 * verifier folds in. With the kernel's BTF they are tp_btf programs that
 * read the task directly; without, plain raw_tp ones. Here: loading, the
 * maps filled, reading (the calls still in progress included), and what
 * it costs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <whytop/proc.h>

#include "config.h"
#include "sc_internal.h"

#ifdef HAVE_BPF_SKEL
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

/* generated in the build tree (mk/bpf.am), found through -I$(top_builddir) */
#include "src/core/syscalls/count.skel.h"
#include "core/bpf/libbpf_log.h"
#include "count.h"

_Static_assert(SCB_NR_MAX == SC_NR_MAX && SCB_SLOTS == SC_SLOTS,
	       "count.h and whytop/syscalls.h disagree on the slots");
_Static_assert(SC_ABI_UNKNOWN == 3, "count.bpf.c puts unknown ABIs in slot group 3");

struct bpf_state {
	struct count_bpf *skel;
	/* enter, exit, fork (NULL without -f), gone (NULL for one process) */
	struct bpf_program *prog[4];
	struct bpf_link *link[4];
	int stats_on_fd; /* holds kernel.bpf_stats_enabled while we count */
	int ncpus;
	bool btf;	       /* tp_btf programs */
	struct scb_stat *vals; /* ncpus * (SC_SLOTS + 1) */
};

static void bpf_state_free(struct bpf_state *st)
{
	for (int i = 0; i < 4; i++)
		bpf_link__destroy(st->link[i]);
	count_bpf__destroy(st->skel);
	if (st->stats_on_fd >= 0)
		close(st->stats_on_fd);
	free(st->vals);
	free(st);
}


/*
 * Open, configure and load the skeleton with the tp_btf programs (btf) or
 * the raw_tp ones, then fill the maps and attach. exit is attached first:
 * an exit without its entry is ignored, an entry without its exit is not.
 */
static int bpf_start(struct sc_session *s, struct bpf_state *st, bool btf, struct wt_err *err)
{
	struct count_bpf *k = count_bpf__open();
	if (!k)
		return wt_err_set(err, errno ? errno : EINVAL,
				  "cannot open the eBPF counter: %s; use --backend ptrace",
				  strerror(errno ? errno : EINVAL));
	st->skel = k;
	st->btf = btf;
	bool many = s->npids > 1 || s->opts.follow;
	k->rodata->single_tgid = many ? 0 : (uint32_t)s->pids[0];
	k->rodata->only_tid = (uint32_t)s->opts.tid;
	k->rodata->filtered = s->set != NULL;
	struct bpf_program *all[2][4] = {
	    {k->progs.wt_sc_enter_raw, k->progs.wt_sc_exit_raw, k->progs.wt_sc_fork_raw,
	     k->progs.wt_sc_gone_raw},
	    {k->progs.wt_sc_enter, k->progs.wt_sc_exit, k->progs.wt_sc_fork, k->progs.wt_sc_gone},
	};
	bool want[4] = {true, true, s->opts.follow != 0, many};
	for (int b = 0; b < 2; b++)
		for (int i = 0; i < 4; i++)
			bpf_program__set_autoload(all[b][i], b == btf && want[i]);
	for (int i = 0; i < 4; i++)
		st->prog[i] = want[i] ? all[btf][i] : NULL;
	wt_libbpf_keep();
	int r = count_bpf__load(k);
	const char *load_log = wt_libbpf_kept();
	if (r) {
		int e = -r;
		return wt_err_set(err, e,
				  "the kernel refused the eBPF counter (%s)%s%.300s; "
				  "use --backend ptrace",
				  strerror(e), load_log[0] ? ": " : "", load_log);
	}
	uint8_t one = 1;
	if (many) {
		for (size_t i = 0; i < s->npids; i++) {
			uint32_t tgid = (uint32_t)s->pids[i];
			if (bpf_map__update_elem(k->maps.tgids, &tgid, sizeof(tgid), &one, 1, 0) <
			    0)
				return wt_err_set(err, errno,
						  "cannot fill the eBPF process map: %s",
						  strerror(errno));
		}
	}
	if (s->set) {
		for (uint32_t slot = 0; slot < SC_SLOTS; slot++) {
			if (!sc_set_has_slot(s->set, slot))
				continue;
			if (bpf_map__update_elem(k->maps.set, &slot, sizeof(slot), &one, 1, 0) < 0)
				return wt_err_set(err, errno, "cannot fill the eBPF call set: %s",
						  strerror(errno));
		}
	}
	/* fork before the counting: a child forked while we attach is not missed */
	static const int order[4] = {3, 2, 1, 0};
	static const char *const what[4] = {"sys_enter", "sys_exit", "sched_process_fork",
					    "sched_process_exit"};
	for (int j = 0; j < 4; j++) {
		int i = order[j];
		if (!st->prog[i])
			continue;
		st->link[i] = bpf_program__attach(st->prog[i]);
		if (!st->link[i]) {
			int e = errno;
			return wt_err_set(err, e,
					  "cannot attach to the %s tracepoint: %s; "
					  "use --backend ptrace",
					  what[i], strerror(e));
		}
	}
	return 0;
}

/*
 * Calls in progress (entered, not yet returned) are counted too, from the
 * per-thread entries still pending: a call then counts from its entry, as
 * under ptrace or strace, and a process blocked in one read for the whole
 * count still shows that read. When the call returns, the exit program
 * counts it and its entry stops pending: the sum never goes backwards.
 */
static void bpf_in_flight(struct bpf_state *st, struct sc_sample *out)
{
	uint32_t count = SCB_TIDS, next;
	uint32_t *keys = calloc(SCB_TIDS, sizeof(*keys));
	struct scb_tid *v = calloc(SCB_TIDS, sizeof(*v));
	LIBBPF_OPTS(bpf_map_batch_opts, bo);
	if (!keys || !v) {
		free(keys);
		free(v);
		return; /* out of memory: only the calls in progress are missing */
	}
	int r = bpf_map_lookup_batch(bpf_map__fd(st->skel->maps.tids), NULL, &next, keys, v, &count,
				     &bo);
	if (r < 0 && errno != ENOENT)
		count = 0;
	for (uint32_t i = 0; i < count; i++) {
		if (!v[i].ts || v[i].slot >= SC_SLOTS)
			continue;
		/* exit and exit_group were counted at entry; they never return */
		unsigned nr = v[i].slot % (SC_NR_MAX + 1);
		if (nr == 60 || nr == 231 ||
		    (v[i].slot / (SC_NR_MAX + 1) == SC_ABI_I386 && (nr == 1 || nr == 252)))
			continue;
		/* a thread gone in the middle of a call leaves its entry behind */
		char path[64];
		snprintf(path, sizeof(path), "/proc/%u", v[i].tid);
		if (access(path, F_OK) < 0)
			continue;
		out->slot[v[i].slot].calls++;
	}
	free(keys);
	free(v);
}

static int bpf_read(struct sc_session *s, struct sc_sample *out, struct wt_err *err)
{
	struct bpf_state *st = s->priv;
	const uint32_t n = SC_SLOTS + 1;
	int stats_fd = bpf_map__fd(st->skel->maps.stats);
	int errs_fd = bpf_map__fd(st->skel->maps.errs);
	uint32_t key = 0, count = n, *keys = NULL;
	int r = -1;

	memset(out->slot, 0, sizeof(out->slot));
	out->lost = 0;
	keys = calloc(n, sizeof(*keys));
	if (!keys)
		return wt_err_set(err, ENOMEM, "out of memory");
	{
		uint32_t next;
		LIBBPF_OPTS(bpf_map_batch_opts, bo);
		r = bpf_map_lookup_batch(stats_fd, NULL, &next, keys, st->vals, &count, &bo);
		if (r < 0 && errno == ENOENT) /* the whole map fitted: not an error */
			r = 0;
		if (r == 0 && count != n)
			r = -1;
	}
	if (r < 0) { /* old kernel: one by one */
		count = n;
		for (key = 0; key < n; key++) {
			if (bpf_map_lookup_elem(stats_fd, &key,
						st->vals + (size_t)key * st->ncpus) < 0) {
				int e = errno;
				free(keys);
				return wt_err_set(err, e, "cannot read the eBPF counters: %s",
						  strerror(e));
			}
		}
		for (key = 0; key < n; key++)
			keys[key] = key;
	}
	for (uint32_t i = 0; i < count; i++) {
		uint32_t k = keys[i];
		const struct scb_stat *v = st->vals + (size_t)i * st->ncpus;
		uint64_t calls = 0, errors = 0, timed = 0, time_ns = 0;
		for (int c = 0; c < st->ncpus; c++) {
			calls += v[c].calls;
			errors += v[c].errors;
			timed += v[c].timed;
			time_ns += v[c].time_ns;
		}
		if (k == SCB_LOST_SLOT) {
			out->lost = calls;
			continue;
		}
		if (k >= SC_SLOTS)
			continue;
		out->slot[k].calls = calls;
		out->slot[k].errors = errors;
		out->slot[k].timed = timed;
		out->slot[k].time_ns = time_ns;
	}
	free(keys);

	bpf_in_flight(st, out);

	/* errnos: few keys, walked one by one */
	uint32_t ek, *prev = NULL;
	uint64_t ev[st->ncpus];
	while (bpf_map_get_next_key(errs_fd, prev, &ek) == 0) {
		prev = &ek;
		if (bpf_map_lookup_elem(errs_fd, &ek, ev) < 0)
			continue;
		uint64_t sum = 0;
		for (int c = 0; c < st->ncpus; c++)
			sum += ev[c];
		uint32_t slot = ek >> 12;
		if (slot < SC_SLOTS)
			sc_raw_add_errno(&out->slot[slot], (int)(ek & 0xfff), sum);
	}

	out->overhead_ns = out->overhead_runs = 0;
	if (st->stats_on_fd >= 0) {
		for (int i = 0; i < 2; i++) {
			struct bpf_prog_info info;
			uint32_t len = sizeof(info);
			memset(&info, 0, sizeof(info));
			if (bpf_obj_get_info_by_fd(bpf_program__fd(st->prog[i]), &info, &len) ==
			    0) {
				out->overhead_ns += info.run_time_ns;
				out->overhead_runs += info.run_cnt;
			}
		}
	}
	return 0;
}

static void bpf_cost(const struct sc_session *s, const struct sc_sample *now, char *buf,
		     size_t size)
{
	(void)s;
	if (now && now->overhead_runs)
		snprintf(buf, size,
			 "no stops; our programs ran %llu times (every syscall on the machine, "
			 "twice) at %.0f ns each",
			 (unsigned long long)now->overhead_runs,
			 (double)now->overhead_ns / (double)now->overhead_runs);
	else
		snprintf(buf, size,
			 "no stops; about 0.1-0.25 us more per syscall of the target, a filter "
			 "check on every other syscall of the machine");
}

/* With -f: is a process still counted (a child, when the PIDs have ended)? */
static int bpf_alive(const struct sc_session *s)
{
	struct bpf_state *st = s->priv;
	if (!st->prog[3])
		return 0;
	int fd = bpf_map__fd(st->skel->maps.tgids);
	uint32_t k, *prev = NULL;
	while (bpf_map_get_next_key(fd, prev, &k) == 0) {
		prev = &k;
		char state;
		/* (an entry may outlive its process by a moment: /proc decides) */
		if (proc_task_stat_read((pid_t)k, (pid_t)k, &state, NULL) == 0 && state != 'Z' &&
		    state != 'X')
			return 1;
	}
	return 0;
}

static void bpf_close(struct sc_session *s)
{
	bpf_state_free(s->priv);
	s->priv = NULL;
}

static const struct sc_backend_ops bpf_ops = {
    .name = "in-kernel (eBPF raw_syscalls)",
    .read = bpf_read,
    .cost = bpf_cost,
    .alive = bpf_alive,
    .close = bpf_close,
};

static struct bpf_state *bpf_state_new(struct wt_err *err)
{
	struct bpf_state *st = calloc(1, sizeof(*st));
	if (!st) {
		wt_err_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	st->stats_on_fd = -1;
	return st;
}

int sc_bpf_open(struct sc_session *s, struct wt_err *err)
{
	wt_libbpf_quiet();
	int ncpus = libbpf_num_possible_cpus();
	if (ncpus <= 0)
		return wt_err_set(err, EINVAL, "cannot tell how many CPUs this machine has");
	/* WHYTOP_NO_BTF=1: the plain raw_tp programs, as on a kernel without BTF
	 * (the tests run both) */
	const char *no = getenv("WHYTOP_NO_BTF");
	bool btf = !(no && *no) && access("/sys/kernel/btf/vmlinux", R_OK) == 0;
	struct bpf_state *st = bpf_state_new(err);
	if (!st)
		return -ENOMEM;
	int r = bpf_start(s, st, btf, err);
	if (r && btf) {
		/* a kernel that refuses tp_btf programs may still take plain ones */
		bpf_state_free(st);
		if (!(st = bpf_state_new(err)))
			return -ENOMEM;
		wt_err_clear(err);
		r = bpf_start(s, st, false, err);
	}
	if (r == 0) {
		st->ncpus = ncpus;
		st->vals = calloc((size_t)(SC_SLOTS + 1) * (size_t)ncpus, sizeof(*st->vals));
		if (!st->vals)
			r = wt_err_set(err, ENOMEM, "out of memory");
	}
	if (r) {
		if (r == -EPERM)
			wt_err_set(err, EPERM,
				   "cannot load the eBPF counter: %s; run as root "
				   "(CAP_BPF and CAP_PERFMON), or use --backend ptrace",
				   strerror(EPERM));
		bpf_state_free(st);
		return r;
	}
	/* Ask the kernel to time our programs, so their cost can be shown. */
	if (s->opts.measure_cost)
		st->stats_on_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	s->priv = st;
	s->ops = &bpf_ops;
	snprintf(s->name, sizeof(s->name), "in-kernel (eBPF %s on raw_syscalls)",
		 st->btf ? "tp_btf" : "raw_tp");
	return 0;
}

#else /* !HAVE_BPF_SKEL */

int sc_bpf_open(struct sc_session *s, struct wt_err *err)
{
	(void)s;
	return wt_err_set(err, ENOSYS,
			  "whytop was built without eBPF programs: " WHYTOP_NO_BPF_SKEL_WHY
			  "; use --backend ptrace");
}

#endif
