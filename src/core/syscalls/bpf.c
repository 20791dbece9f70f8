/*
 * bpf.c: the in-kernel syscall counter: two eBPF raw tracepoint programs
 * (raw_syscalls sys_enter and sys_exit) that count one process's syscalls
 * into per-CPU maps. The target never stops and nothing has to be drained.
 *
 * Why eBPF and not a tracefs instance: measured on this machine (see
 * doc/design.md), both follow threads born later, but a tracefs instance is
 * kernel state that outlives a crashed whytop and taxes every syscall until
 * someone removes it, and its events must be copied out and parsed. The
 * programs and maps here live exactly as long as their fds, so SIGKILL
 * leaves nothing behind.
 *
 * The programs (bpf_progs.c) are hand-assembled and loaded through
 * libbpf's low-level API, so that building whytop needs no BPF compiler;
 * the target's tgid (and thread) are immediates patched in at load time.
 * With the kernel's BTF they are tp_btf programs that read the task
 * directly; without, plain raw_tp ones. Here: maps, loading, reading (the
 * calls still in progress included), and what it costs.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "sc_internal.h"

#ifdef HAVE_LIBBPF
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "bpf_progs.h"

struct bpf_state {
	int stats_fd, tids_fd, errs_fd;
	int prog_fd[2], link_fd[2];
	int stats_on_fd; /* holds kernel.bpf_stats_enabled while we count */
	int ncpus;
	int status_off; /* of thread_info.status in task_struct */
	/* BTF-typed raw tracepoints (tp_btf) when the kernel has BTF: 0 if not */
	int btf_id[2];
	struct bpf_stat *vals; /* ncpus * (SC_SLOTS + 1) */
};

static void bpf_state_free(struct bpf_state *st)
{
	for (int i = 0; i < 2; i++) {
		if (st->link_fd[i] >= 0)
			close(st->link_fd[i]);
		if (st->prog_fd[i] >= 0)
			close(st->prog_fd[i]);
	}
	if (st->stats_fd >= 0)
		close(st->stats_fd);
	if (st->tids_fd >= 0)
		close(st->tids_fd);
	if (st->errs_fd >= 0)
		close(st->errs_fd);
	if (st->stats_on_fd >= 0)
		close(st->stats_on_fd);
	free(st->vals);
	free(st);
}

/* Byte offset of a member of a kernel struct, from the kernel's BTF. */
static int btf_offset(struct btf *btf, const char *type, const char *member)
{
	int id = btf__find_by_name_kind(btf, type, BTF_KIND_STRUCT);
	if (id < 0)
		return -1;
	const struct btf_type *t = btf__type_by_id(btf, (uint32_t)id);
	const struct btf_member *m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *name = btf__name_by_offset(btf, m->name_off);
		if (name && strcmp(name, member) == 0)
			return (int)(btf_member_bit_offset(t, (uint32_t)i) / 8);
	}
	return -1;
}

/*
 * Where TS_COMPAT lives: thread_info is the first member of task_struct on
 * x86 (THREAD_INFO_IN_TASK); status follows flags and syscall_work. The
 * kernel's BTF says so exactly when it is there; else the x86_64 layout.
 */
/* What the kernel's BTF tells; read once per whytop (parsing it takes tens of ms). */
static struct {
	int status_off;
	int btf_id[2];
} btf_info;
static pthread_once_t btf_once = PTHREAD_ONCE_INIT;

static void read_btf_once(void)
{
	btf_info.status_off = 16;
	struct btf *btf = btf__load_vmlinux_btf();
	if (!btf)
		return;
	int ti = btf_offset(btf, "task_struct", "thread_info");
	int so = btf_offset(btf, "thread_info", "status");
	if (ti >= 0 && so >= 0) {
		btf_info.status_off = ti + so;
		int e = btf__find_by_name_kind(btf, "btf_trace_sys_enter", BTF_KIND_TYPEDEF);
		int x = btf__find_by_name_kind(btf, "btf_trace_sys_exit", BTF_KIND_TYPEDEF);
		/* WHYTOP_NO_BTF=1: the plain raw_tp programs, as on a kernel without
		 * BTF (the tests run both) */
		const char *no = getenv("WHYTOP_NO_BTF");
		if (e > 0 && x > 0 && !(no && *no)) {
			btf_info.btf_id[0] = e;
			btf_info.btf_id[1] = x;
		}
	}
	btf__free(btf);
}

static void read_btf(struct bpf_state *st)
{
	pthread_once(&btf_once, read_btf_once);
	st->status_off = btf_info.status_off;
	st->btf_id[0] = btf_info.btf_id[0];
	st->btf_id[1] = btf_info.btf_id[1];
}

static int no_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static int load(struct bpf_state *st, int which, int tgid, int tid, struct wt_err *err)
{
	static const char *const names[2] = {"wt_sc_enter", "wt_sc_exit"};
	static const char *const tps[2] = {"sys_enter", "sys_exit"};
	struct bpf_insn insns[BPF_PROG_MAX];
	static char log[65536];
	struct bpf_prog_params pp = {
	    .stats_fd = st->stats_fd,
	    .tids_fd = st->tids_fd,
	    .errs_fd = st->errs_fd,
	    .tgid = tgid,
	    .tid = tid,
	    .status_off = st->status_off,
	    .btf = st->btf_id[0] != 0,
	};
	int n = which == 0 ? bpf_prog_enter(insns, &pp) : bpf_prog_exit(insns, &pp);
	LIBBPF_OPTS(bpf_prog_load_opts, lo, .log_buf = log, .log_size = sizeof(log),
		    .log_level = 0);
	enum bpf_prog_type type = BPF_PROG_TYPE_RAW_TRACEPOINT;
	if (st->btf_id[which]) {
		type = BPF_PROG_TYPE_TRACING;
		lo.expected_attach_type = BPF_TRACE_RAW_TP;
		lo.attach_btf_id = (uint32_t)st->btf_id[which];
	}
	/* GPL-compatible: bpf_probe_read_kernel and the BTF helpers are GPL-only. */
	st->prog_fd[which] = bpf_prog_load(type, names[which], "GPL", insns, (size_t)n, &lo);
	if (st->prog_fd[which] < 0) {
		int e = errno;
		lo.log_level = 1;
		log[0] = '\0';
		bpf_prog_load(type, names[which], "GPL", insns, (size_t)n, &lo);
		return wt_err_set(err, e,
				  "the kernel refused the eBPF %s program (%s)%s%.300s; "
				  "use --backend ptrace",
				  tps[which], strerror(e), log[0] ? ": " : "", log);
	}
	/* a tp_btf program names its tracepoint by BTF id, not by name */
	st->link_fd[which] =
	    bpf_raw_tracepoint_open(st->btf_id[which] ? NULL : tps[which], st->prog_fd[which]);
	if (st->link_fd[which] < 0) {
		int e = errno;
		return wt_err_set(err, e,
				  "cannot attach to the raw_syscalls %s tracepoint: %s; "
				  "use --backend ptrace",
				  tps[which], strerror(e));
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
static void bpf_in_flight(struct sc_session *s, struct bpf_state *st, struct sc_sample *out)
{
	uint32_t count = TIDS, next;
	uint32_t *keys = calloc(TIDS, sizeof(*keys));
	struct bpf_tid_entry *v = calloc(TIDS, sizeof(*v));
	LIBBPF_OPTS(bpf_map_batch_opts, bo);
	if (!keys || !v) {
		free(keys);
		free(v);
		return; /* out of memory: only the calls in progress are missing */
	}
	int r = bpf_map_lookup_batch(st->tids_fd, NULL, &next, keys, v, &count, &bo);
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
		snprintf(path, sizeof(path), "/proc/%d/task/%u", (int)s->opts.pid, v[i].tid);
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
		r = bpf_map_lookup_batch(st->stats_fd, NULL, &next, keys, st->vals, &count, &bo);
		if (r < 0 && errno == ENOENT) /* the whole map fitted: not an error */
			r = 0;
		if (r == 0 && count != n)
			r = -1;
	}
	if (r < 0) { /* old kernel: one by one */
		count = n;
		for (key = 0; key < n; key++) {
			if (bpf_map_lookup_elem(st->stats_fd, &key,
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
		const struct bpf_stat *v = st->vals + (size_t)i * st->ncpus;
		uint64_t calls = 0, errors = 0, timed = 0, time_ns = 0;
		for (int c = 0; c < st->ncpus; c++) {
			calls += v[c].calls;
			errors += v[c].errors;
			timed += v[c].timed;
			time_ns += v[c].time_ns;
		}
		if (k == LOST_SLOT) {
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

	bpf_in_flight(s, st, out);

	/* errnos: few keys, walked one by one */
	uint32_t ek, *prev = NULL;
	uint64_t ev[st->ncpus];
	while (bpf_map_get_next_key(st->errs_fd, prev, &ek) == 0) {
		prev = &ek;
		if (bpf_map_lookup_elem(st->errs_fd, &ek, ev) < 0)
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
			if (bpf_obj_get_info_by_fd(st->prog_fd[i], &info, &len) == 0) {
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

static void bpf_close(struct sc_session *s)
{
	bpf_state_free(s->priv);
	s->priv = NULL;
}

static const struct sc_backend_ops bpf_ops = {
    .name = "in-kernel (eBPF raw_syscalls)",
    .read = bpf_read,
    .cost = bpf_cost,
    .close = bpf_close,
};

int sc_bpf_open(struct sc_session *s, struct wt_err *err)
{
	struct bpf_state *st = calloc(1, sizeof(*st));
	if (!st)
		return wt_err_set(err, ENOMEM, "out of memory");
	st->stats_fd = st->tids_fd = st->errs_fd = st->stats_on_fd = -1;
	st->prog_fd[0] = st->prog_fd[1] = st->link_fd[0] = st->link_fd[1] = -1;
	libbpf_set_print(no_print);

	st->ncpus = libbpf_num_possible_cpus();
	read_btf(st);
	if (st->ncpus <= 0) {
		bpf_state_free(st);
		return wt_err_set(err, EINVAL, "cannot tell how many CPUs this machine has");
	}
	st->vals = calloc((size_t)(SC_SLOTS + 1) * (size_t)st->ncpus, sizeof(*st->vals));
	st->stats_fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "wt_sc_stats", 4,
				      sizeof(struct bpf_stat), SC_SLOTS + 1, NULL);
	st->tids_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "wt_sc_tids", 4, 16, TIDS, NULL);
	st->errs_fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_HASH, "wt_sc_errs", 4, 8, ERRS, NULL);
	if (!st->vals || st->stats_fd < 0 || st->tids_fd < 0 || st->errs_fd < 0) {
		int e = st->vals ? errno : ENOMEM;
		bpf_state_free(st);
		return wt_err_set(err, e, "cannot create eBPF maps: %s%s", strerror(e),
				  e == EPERM ? "; run as root (CAP_BPF and CAP_PERFMON), "
					       "or use --backend ptrace"
					     : "; use --backend ptrace");
	}
	/* Ask the kernel to time our programs, so their cost can be shown. */
	if (s->opts.measure_cost)
		st->stats_on_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	/* exit first: an exit without its entry is ignored, an entry without its exit is not */
	int r = load(st, 1, s->opts.pid, s->opts.tid, err);
	if (r == 0)
		r = load(st, 0, s->opts.pid, s->opts.tid, err);
	if (r && st->btf_id[0]) {
		/* a kernel that refuses tp_btf programs may still take plain ones */
		for (int i = 0; i < 2; i++) {
			if (st->link_fd[i] >= 0)
				close(st->link_fd[i]);
			if (st->prog_fd[i] >= 0)
				close(st->prog_fd[i]);
			st->link_fd[i] = st->prog_fd[i] = -1;
			st->btf_id[i] = 0;
		}
		r = load(st, 1, s->opts.pid, s->opts.tid, err);
		if (r == 0)
			r = load(st, 0, s->opts.pid, s->opts.tid, err);
	}
	if (r) {
		bpf_state_free(st);
		return r;
	}
	s->priv = st;
	s->ops = &bpf_ops;
	snprintf(s->name, sizeof(s->name), "in-kernel (eBPF %s on raw_syscalls)",
		 st->btf_id[0] ? "tp_btf" : "raw_tp");
	return 0;
}

#else /* !HAVE_LIBBPF */

int sc_bpf_open(struct sc_session *s, struct wt_err *err)
{
	return wt_err_set(err, ENOSYS,
			  "this whytop was built without libbpf, so it cannot count in the "
			  "kernel; install libbpf-dev and rebuild, or use --backend ptrace");
}

#endif
