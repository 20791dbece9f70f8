/*
 * offcpu.c: off-CPU time of a process (whytop offcpu): loads offcpu.bpf.c
 * through its skeleton, seeds the waits already in progress, reads the
 * totals and names their stacks. Kernel frames are named from
 * /proc/kallsyms (sorted once per session), user frames by unwinding the
 * sample the kernel copied when a stack was first seen (registers and the
 * top of the user stack) with the Stack tab's unwinder, so -O2 code
 * without frame pointers is named as in the Stack tab.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/user.h>
#include <time.h>
#include <unistd.h>

#include <whytop/kernel.h>
#include <whytop/offcpu.h>
#include <whytop/stack.h>

#include "config.h"
#include "core/profile/slide.h"

char offcpu_state_letter(enum offcpu_state s)
{
	static const char l[OFFCPU_NSTATES] = {'S', 'D', 'R', 'T'};
	return (unsigned)s < OFFCPU_NSTATES ? l[s] : '?';
}

static void frames_free(struct offcpu_frame *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(f[i].function);
		free(f[i].module);
		free(f[i].file);
	}
	free(f);
}

void offcpu_report_free(struct offcpu_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nthreads; i++)
		free(r->threads[i].name);
	for (size_t i = 0; i < r->nentries; i++) {
		struct offcpu_entry *e = &r->entries[i];
		frames_free(e->kframes, e->nk);
		frames_free(e->uframes, e->nu);
		free(e->note);
	}
	free(r->threads);
	free(r->entries);
	free(r->note);
	free(r);
}

#ifndef HAVE_BPF_SKEL

int offcpu_open(pid_t pid, pid_t only_tid, struct offcpu **out, struct wt_err *err)
{
	(void)pid, (void)only_tid;
	*out = NULL;
	return wt_err_set(err, ENOSYS,
			  "off-CPU time needs the eBPF programs, and this whytop was built "
			  "without them (%s); install them and run ./configure again",
			  WHYTOP_NO_BPF_SKEL_WHY);
}

int offcpu_read(struct offcpu *oc, struct offcpu_report **out, struct wt_err *err)
{
	(void)oc;
	*out = NULL;
	return wt_err_set(err, ENOSYS, "off-CPU time is not built in");
}

int offcpu_reset(struct offcpu *oc, struct wt_err *err)
{
	(void)oc;
	return wt_err_set(err, ENOSYS, "off-CPU time is not built in");
}

void offcpu_close(struct offcpu *oc)
{
	(void)oc;
}

int offcpu_window_set(struct offcpu *oc, unsigned secs, struct wt_err *err)
{
	(void)oc, (void)secs;
	return wt_err_set(err, ENOSYS, "off-CPU time is not built in");
}

#else
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "offcpu_rec.h"
/* generated in the build tree (mk/bpf.am), found through -I$(top_builddir) */
#include "src/core/offcpu/offcpu.skel.h"
#include "core/bpf/libbpf_log.h"

/* A wait that began before we looked: its kernel stack from /proc. */
struct seed {
	pid_t tid;
	struct kernel_frame *kf;
	size_t nkf;
};

/* A totals key as last read, for offcpu_read's deltas in window mode. */
struct ockey {
	struct ocb_key key;
	uint64_t ns, count; /* the map's totals at the last read */
	uint64_t changed;   /* when they last grew */
};

struct offcpu {
	pid_t pid, only_tid;
	/* offcpu_window_set: per key (id i), ns in slide id 2i, waits in 2i+1 */
	unsigned window_secs;
	struct slide win;
	struct ockey *keys;
	size_t nkeys, capkeys;
	uint32_t *keyidx; /* open addressing: 1 + index into keys, 0 free */
	size_t capidx;
	size_t prune_at; /* window mode: forget dead keys once there are this many */
	struct offcpu_bpf *skel;
	struct bpf_link *link;
	uint64_t t0; /* CLOCK_MONOTONIC, as bpf_ktime_get_ns */
	struct ksyms ksyms;
	struct debug_proc *dp;
	char dp_err[200];
	struct seed *seeds;
	size_t nseeds;
};

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static char *esc(const char *s)
{
	return s ? wt_escape(s, strlen(s), 0) : NULL;
}


static enum offcpu_state state_from_ocb(uint32_t s)
{
	switch (s) {
	case OCB_S:
		return OFFCPU_S;
	case OCB_D:
		return OFFCPU_D;
	case OCB_R:
		return OFFCPU_R;
	default:
		return OFFCPU_OTHER;
	}
}

/*
 * Threads off the CPU now (S, D, or stopped: T, t in /proc) began their wait before the
 * program was attached: give them a start at now, with no stack ids, and
 * keep their kernel stack as /proc shows it. BPF_NOEXIST: a thread that
 * switched since the attach has its own, better, entry.
 */
static void seed_waits(struct offcpu *oc, uint64_t now)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task", (int)oc->pid);
	DIR *d = opendir(path);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		long tid;
		if (wt_parse_long(de->d_name, 1, 0x7fffffff, &tid) < 0)
			continue;
		if (oc->only_tid && tid != oc->only_tid)
			continue;
		char p[96], *text = NULL;
		size_t len;
		snprintf(p, sizeof(p), "/proc/%d/task/%ld/stat", (int)oc->pid, tid);
		if (wt_read_all_at(AT_FDCWD, p, &text, &len) < 0)
			continue;
		char *rp = strrchr(text, ')');
		char st = rp && rp[1] == ' ' ? rp[2] : '?';
		free(text);
		if (st != 'S' && st != 'D' && st != 'T' && st != 't')
			continue;
		struct ocb_start s = {.key = {.tid = (uint32_t)tid,
					      .state = st == 'D'   ? OCB_D
						       : st == 'S' ? OCB_S
								   : OCB_OTHER,
					      .kstack = -ENOENT,
					      .ustack = -ENOENT},
				      .ts = now};
		if (bpf_map__update_elem(oc->skel->maps.starts, &s.key.tid, sizeof(s.key.tid), &s,
					 sizeof(s), BPF_NOEXIST) < 0)
			continue;
		struct seed *n = realloc(oc->seeds, (oc->nseeds + 1) * sizeof(*n));
		if (!n)
			continue;
		oc->seeds = n;
		struct seed *sd = &oc->seeds[oc->nseeds++];
		memset(sd, 0, sizeof(*sd));
		sd->tid = (pid_t)tid;
		snprintf(p, sizeof(p), "/proc/%d/task/%ld/stack", (int)oc->pid, tid);
		if (wt_read_all_at(AT_FDCWD, p, &text, &len) == 0) {
			kernel_stack_parse_stack(text, len, &sd->kf, &sd->nkf);
			free(text);
		}
	}
	closedir(d);
}

int offcpu_open(pid_t pid, pid_t only_tid, struct offcpu **out, struct wt_err *err)
{
	*out = NULL;
	struct offcpu *oc = calloc(1, sizeof(*oc));
	if (!oc)
		return wt_err_set(err, ENOMEM, "out of memory");
	oc->pid = pid;
	oc->only_tid = only_tid;
	struct offcpu_bpf *k = offcpu_bpf__open();
	if (!k) {
		int e = errno ? errno : EINVAL;
		offcpu_close(oc);
		return wt_err_set(err, e, "cannot open the off-CPU eBPF program: %s", strerror(e));
	}
	oc->skel = k;
	k->rodata->target_tgid = (uint32_t)pid;
	k->rodata->only_tid = (uint32_t)only_tid;
	wt_libbpf_keep();
	int r = offcpu_bpf__load(k);
	const char *load_log = wt_libbpf_kept();
	if (r) {
		int e = -r;
		offcpu_close(oc);
		if (e == EPERM)
			return wt_err_set(err, e,
					  "cannot load the off-CPU eBPF program: %s; run as root "
					  "(it needs CAP_BPF and CAP_PERFMON)",
					  strerror(e));
		return wt_err_set(err, e,
				  "the kernel refused the off-CPU eBPF program (%s)%s%.300s",
				  strerror(e), load_log[0] ? ": " : "", load_log);
	}
	/* what naming needs, before the window opens */
	ksyms_load(&oc->ksyms); /* none: frames print as addresses */
	struct wt_err de;
	if (debug_proc_open(pid, &oc->dp, &de) < 0) {
		oc->dp = NULL;
		snprintf(oc->dp_err, sizeof(oc->dp_err), "%.190s", de.msg);
	}
	oc->t0 = mono_ns();
	oc->link = bpf_program__attach(k->progs.wt_offcpu_switch);
	if (!oc->link) {
		int e = errno;
		offcpu_close(oc);
		return wt_err_set(err, e, "cannot attach to the sched_switch tracepoint: %s",
				  strerror(e));
	}
	seed_waits(oc, oc->t0);
	*out = oc;
	return 0;
}

void offcpu_close(struct offcpu *oc)
{
	if (!oc)
		return;
	bpf_link__destroy(oc->link);
	offcpu_bpf__destroy(oc->skel);
	ksyms_free(&oc->ksyms);
	for (size_t i = 0; i < oc->nseeds; i++)
		kernel_frames_free(oc->seeds[i].kf, oc->seeds[i].nkf);
	free(oc->seeds);
	if (oc->dp)
		debug_proc_close(oc->dp);
	slide_free(&oc->win);
	free(oc->keys);
	free(oc->keyidx);
	free(oc);
}

int offcpu_reset(struct offcpu *oc, struct wt_err *err)
{
	int tfd = bpf_map__fd(oc->skel->maps.totals), sfd = bpf_map__fd(oc->skel->maps.starts);
	struct ocb_key *keys = NULL;
	size_t n = 0, cap = 0;
	struct ocb_key key, next;
	void *prev = NULL;
	/* the keys first: deleting while walking would restart the walk */
	while (bpf_map_get_next_key(tfd, prev, &next) == 0) {
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			struct ocb_key *nk = realloc(keys, cap * sizeof(*nk));
			if (!nk) {
				free(keys);
				return wt_err_set(err, ENOMEM, "out of memory");
			}
			keys = nk;
		}
		keys[n++] = next;
		key = next;
		prev = &key;
	}
	/* Samples stay: a key seen again is named from its first sample. */
	for (size_t i = 0; i < n; i++)
		bpf_map_delete_elem(tfd, &keys[i]);
	free(keys);
	/*
	 * Waits in progress count from now. BPF_EXIST: a wait that ended
	 * meanwhile is not brought back (one that ended and began again in
	 * between gets now: the error is that short gap).
	 */
	uint64_t now = mono_ns();
	uint32_t tk, tnext, *tprev = NULL;
	while (bpf_map_get_next_key(sfd, tprev, &tnext) == 0) {
		struct ocb_start st;
		tk = tnext;
		tprev = &tk;
		if (bpf_map_lookup_elem(sfd, &tk, &st) < 0 || st.ts >= now)
			continue;
		st.ts = now;
		bpf_map_update_elem(sfd, &tk, &st, BPF_EXIST);
	}
	oc->t0 = now;
	return 0;
}

/* Kernel frames of stack id (innermost first), named from kallsyms. */
static void name_kernel(struct offcpu *oc, const struct ocb_key *key, struct offcpu_entry *e)
{
	uint64_t pcs[OCB_STACK_DEPTH];
	int32_t id = key->kstack;
	if (id < 0 && key->ustack == -ENOENT) { /* a seeded wait (seed_waits) */
		for (size_t i = 0; i < oc->nseeds; i++) {
			struct seed *s = &oc->seeds[i];
			if (s->tid != e->tid || !s->nkf)
				continue;
			e->kframes = calloc(s->nkf, sizeof(*e->kframes));
			if (!e->kframes)
				return;
			for (size_t j = 0; j < s->nkf; j++) {
				e->kframes[j].function = strdup(s->kf[j].func); /* escaped */
				e->kframes[j].offset = s->kf[j].offset;
				e->kframes[j].module =
				    s->kf[j].module ? strdup(s->kf[j].module) : NULL;
			}
			e->nk = s->nkf;
			break;
		}
		return;
	}
	if (id < 0)
		return; /* the kernel could not take it (a full map, -EFAULT) */
	if (bpf_map__lookup_elem(oc->skel->maps.stacks, &id, sizeof(id), pcs, sizeof(pcs), 0) < 0)
		return;
	size_t n = 0, skip = 0;
	while (n < OCB_STACK_DEPTH && pcs[n])
		n++;
	/* our own program and the tracepoint's caller sit above __schedule */
	for (size_t i = 0; i < n && i < 4; i++) {
		const struct ksym *ks = ksyms_find(&oc->ksyms, pcs[i]);
		if (ks &&
		    (!strncmp(ks->name, "bpf_", 4) || (ks->module && !strcmp(ks->module, "bpf"))))
			skip = i + 1;
	}
	e->kframes = calloc(n ? n : 1, sizeof(*e->kframes));
	if (!e->kframes)
		return;
	for (size_t i = 0; i + skip < n; i++) {
		struct offcpu_frame *f = &e->kframes[i];
		const struct ksym *ks = ksyms_find(&oc->ksyms, pcs[i + skip]);
		f->pc = pcs[i + skip];
		if (ks) {
			f->function = strdup(ks->name); /* escaped by ksyms_load */
			f->offset = f->pc - ks->addr;
			f->module = ks->module ? strdup(ks->module) : NULL;
		}
	}
	e->nk = n - skip;
}

/* User frames from the key's sample, unwound and named as the Stack tab does. */
static void name_user(struct offcpu *oc, const struct ocb_key *key, struct offcpu_entry *e)
{
	if (key->state == OCB_R)
		return; /* preempted: no user stack taken (offcpu.bpf.c) */
	if (key->kstack == -ENOENT && key->ustack == -ENOENT) {
		e->note = strdup("off the CPU since before whytop looked: no user stack");
		return;
	}
	if (!oc->dp) {
		e->note = esc(oc->dp_err[0] ? oc->dp_err : "cannot read the process's modules");
		return;
	}
	struct ocb_sample *s = malloc(sizeof(*s));
	if (!s)
		return;
	if (bpf_map__lookup_elem(oc->skel->maps.samples, key, sizeof(*key), s, sizeof(*s), 0) < 0) {
		e->note = strdup("no user stack sample (the kernel's sample map was full)");
		free(s);
		return;
	}
	struct user_regs_struct regs;
	_Static_assert(sizeof(regs) >= OCB_NREGS * 8, "pt_regs is user_regs_struct's prefix");
	memset(&regs, 0, sizeof(regs));
	memcpy(&regs, s->regs, OCB_NREGS * 8);
	uint8_t *win = NULL;
	if (s->win_len) {
		win = malloc(s->win_len);
		if (win)
			memcpy(win, s->win, s->win_len);
	}
	struct stack *st = NULL;
	struct wt_err err = {0};
	int r = stack_unwind_copy(oc->dp, (pid_t)key->tid, &regs, s->win_lo, win,
				  win ? s->win_len : 0, false, 64, &st, &err);
	free(s);
	if (r < 0 || !st || !st->nthreads) {
		e->note = esc(err.msg[0] ? err.msg : "the user stack could not be unwound");
		stack_free(st);
		return;
	}
	struct stack_thread *t = &st->threads[0];
	e->uframes = calloc(t->nframes ? t->nframes : 1, sizeof(*e->uframes));
	if (e->uframes) {
		for (size_t i = 0; i < t->nframes; i++) {
			struct stack_frame *sf = &t->frames[i];
			struct offcpu_frame *f = &e->uframes[i];
			f->pc = sf->pc;
			f->offset = sf->offset;
			f->function = sf->function ? strdup(sf->function) : NULL; /* escaped */
			f->module = sf->module ? strdup(sf->module) : NULL;
			f->file = sf->file ? strdup(sf->file) : NULL;
			f->line = sf->line;
		}
		e->nu = t->nframes;
	}
	if (t->error && !e->note)
		e->note = strdup(t->error);
	stack_free(st);
}

static struct offcpu_thread *thread_of(struct offcpu_report *r, pid_t tid)
{
	for (size_t i = 0; i < r->nthreads; i++)
		if (r->threads[i].tid == tid)
			return &r->threads[i];
	struct offcpu_thread *n = realloc(r->threads, (r->nthreads + 1) * sizeof(*n));
	if (!n)
		return NULL;
	r->threads = n;
	struct offcpu_thread *t = &n[r->nthreads++];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	return t;
}

static int thread_cmp(const void *a, const void *b)
{
	const struct offcpu_thread *x = a, *y = b;
	return x->tid - y->tid;
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool frames_same(const struct offcpu_frame *a, size_t na, const struct offcpu_frame *b,
			size_t nb, bool by_line)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++) {
		if (!a[i].function || !b[i].function) {
			if (a[i].pc != b[i].pc)
				return false;
		} else if (!str_eq(a[i].function, b[i].function) ||
			   !str_eq(a[i].module, b[i].module) ||
			   (by_line && (!str_eq(a[i].file, b[i].file) || a[i].line != b[i].line))) {
			return false;
		}
	}
	return true;
}

static void entry_clear(struct offcpu_entry *e)
{
	frames_free(e->kframes, e->nk);
	frames_free(e->uframes, e->nu);
	free(e->note);
}

static int entry_cmp(const void *a, const void *b)
{
	const struct offcpu_entry *x = a, *y = b;
	if (x->ns != y->ns)
		return x->ns > y->ns ? -1 : 1;
	return x->tid - y->tid;
}

/*
 * Keys that name alike are one entry: the same functions (kernel) and
 * lines (user) reached from different pcs or frame-pointer chains.
 */
static void merge_same(struct offcpu_report *r)
{
	size_t out = 0;
	for (size_t i = 0; i < r->nentries; i++) {
		struct offcpu_entry *e = &r->entries[i];
		size_t j;
		for (j = 0; j < out; j++) {
			struct offcpu_entry *d = &r->entries[j];
			if (d->tid == e->tid && d->state == e->state && str_eq(d->note, e->note) &&
			    frames_same(d->kframes, d->nk, e->kframes, e->nk, false) &&
			    frames_same(d->uframes, d->nu, e->uframes, e->nu, true))
				break;
		}
		if (j < out) {
			r->entries[j].ns += e->ns;
			r->entries[j].count += e->count;
			entry_clear(e);
		} else {
			r->entries[out++] = *e;
		}
	}
	r->nentries = out;
	qsort(r->entries, r->nentries, sizeof(*r->entries), entry_cmp);
}

static size_t ockey_hash(const struct ocb_key *k)
{
	uint64_t h = 1469598103934665603ull;
	const uint8_t *p = (const void *)k;
	for (size_t i = 0; i < sizeof(*k); i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return (size_t)h;
}

/* The id of key (added when new), or -1 when out of memory. */
static long ockey_id(struct offcpu *oc, const struct ocb_key *key)
{
	if ((oc->nkeys + 1) * 2 > oc->capidx) {
		size_t cap = oc->capidx ? oc->capidx * 2 : 1024;
		uint32_t *ni = calloc(cap, sizeof(*ni));
		if (!ni)
			return -1;
		for (size_t k = 0; k < oc->nkeys; k++) {
			size_t i = ockey_hash(&oc->keys[k].key) & (cap - 1);
			while (ni[i])
				i = (i + 1) & (cap - 1);
			ni[i] = (uint32_t)(k + 1);
		}
		free(oc->keyidx);
		oc->keyidx = ni;
		oc->capidx = cap;
	}
	size_t i = ockey_hash(key) & (oc->capidx - 1);
	for (; oc->keyidx[i]; i = (i + 1) & (oc->capidx - 1))
		if (!memcmp(&oc->keys[oc->keyidx[i] - 1].key, key, sizeof(*key)))
			return oc->keyidx[i] - 1;
	if (oc->nkeys == oc->capkeys) {
		size_t cap = oc->capkeys ? oc->capkeys * 2 : 256;
		struct ockey *nk = realloc(oc->keys, cap * sizeof(*nk));
		if (!nk)
			return -1;
		oc->keys = nk;
		oc->capkeys = cap;
	}
	oc->keys[oc->nkeys] = (struct ockey){.key = *key};
	oc->keyidx[i] = (uint32_t)(oc->nkeys + 1);
	return (long)oc->nkeys++;
}

/* The index of keys rebuilt for nkeys of them; false: out of memory (left as it was). */
static bool ockey_reindex(struct offcpu *oc)
{
	size_t cap = 1024;
	while (cap < (oc->nkeys + 1) * 2)
		cap *= 2;
	uint32_t *ni = calloc(cap, sizeof(*ni));
	if (!ni)
		return false;
	for (size_t k = 0; k < oc->nkeys; k++) {
		size_t i = ockey_hash(&oc->keys[k].key) & (cap - 1);
		while (ni[i])
			i = (i + 1) & (cap - 1);
		ni[i] = (uint32_t)(k + 1);
	}
	free(oc->keyidx);
	oc->keyidx = ni;
	oc->capidx = cap;
	return true;
}

#define OFFCPU_PRUNE_MIN 1024

/*
 * Window mode: a program that keeps making threads makes new keys for
 * ever (the tid is part of the key). Once there are prune_at of them, a
 * key is forgotten when nothing of it is left in the ring's reach and its
 * entry is gone from the kernel's map (deleted by offcpu_window_take, so
 * no delta can come from it); the rest are renumbered, if that frees at
 * least half.
 */
static void ockey_prune(struct offcpu *oc, uint64_t now)
{
	size_t n = oc->nkeys, keep = 0;
	uint8_t *live = calloc(2 * n + 1, 1);
	size_t *map = calloc(2 * n + 1, sizeof(*map));
	if (!live || !map)
		goto out;
	slide_live(&oc->win, now, live, 2 * n);
	for (size_t i = 0; i < n; i++) {
		bool dead = !live[2 * i] && !live[2 * i + 1] && !oc->keys[i].ns && !oc->keys[i].count;
		map[2 * i] = dead ? SIZE_MAX : 2 * keep;
		map[2 * i + 1] = dead ? SIZE_MAX : 2 * keep + 1;
		if (!dead)
			oc->keys[keep++] = oc->keys[i]; /* keep <= i: moves down only */
	}
	if (keep * 2 > n) {
		/* not worth it: the moves above changed nothing but the order kept */
		oc->prune_at = 2 * n;
		if (keep == n)
			goto out;
	}
	slide_remap(&oc->win, map, 2 * n);
	oc->nkeys = keep;
	if (!ockey_reindex(oc)) {
		/* no memory for a new index: lose the keys rather than the map */
		oc->nkeys = 0;
		slide_clear(&oc->win, now);
		free(oc->keyidx);
		oc->keyidx = NULL;
		oc->capidx = 0;
	}
	if (oc->prune_at < 2 * keep)
		oc->prune_at = 2 * keep;
	if (oc->prune_at < OFFCPU_PRUNE_MIN)
		oc->prune_at = OFFCPU_PRUNE_MIN;
out:
	free(live);
	free(map);
}

int offcpu_window_set(struct offcpu *oc, unsigned secs, struct wt_err *err)
{
	if (secs > SLIDE_MAX_SECS)
		secs = SLIDE_MAX_SECS;
	if (secs && !oc->window_secs) {
		/* the window starts empty now: totals so far are before it */
		int r = offcpu_reset(oc, err);
		if (r < 0)
			return r;
		slide_init(&oc->win, secs, oc->t0);
		oc->nkeys = 0;
		oc->prune_at = OFFCPU_PRUNE_MIN;
		if (oc->keyidx)
			memset(oc->keyidx, 0, oc->capidx * sizeof(*oc->keyidx));
	}
	oc->window_secs = secs;
	if (secs)
		slide_set_secs(&oc->win, secs);
	return 0;
}

/*
 * Window mode: what each key's totals grew by since the last read goes to
 * the window, a wait's time spread back over the seconds before now (as if
 * it ended now: reads are a second apart). Keys that stopped growing more
 * than the ring's reach ago are deleted from the kernel's map, so it does
 * not fill up (a wait ending between our look and the delete is lost).
 */
static int offcpu_window_take(struct offcpu *oc, uint64_t now)
{
	int tfd = bpf_map__fd(oc->skel->maps.totals);
	struct ocb_key key, next;
	void *prev = NULL;
	struct ocb_key *old = NULL;
	size_t nold = 0;
	while (bpf_map_get_next_key(tfd, prev, &next) == 0) {
		struct ocb_total t;
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(tfd, &key, &t) < 0)
			continue;
		long id = ockey_id(oc, &key);
		if (id < 0)
			return -ENOMEM;
		struct ockey *k = &oc->keys[id];
		if (t.ns < k->ns || t.count < k->count)
			k->ns = k->count = 0; /* deleted and made again */
		if (t.ns > k->ns) {
			slide_add_back(&oc->win, now, 2 * (size_t)id, t.ns - k->ns);
			k->changed = now;
		}
		if (t.count > k->count)
			slide_add(&oc->win, now, 2 * (size_t)id + 1, t.count - k->count);
		k->ns = t.ns;
		k->count = t.count;
		if (now - k->changed > (SLIDE_MAX_SECS + 1) * SLIDE_SEC_NS) {
			struct ocb_key *v = realloc(old, (nold + 1) * sizeof(*v));
			if (v) {
				old = v;
				old[nold++] = key;
			}
		}
	}
	for (size_t i = 0; i < nold; i++) {
		if (bpf_map_delete_elem(tfd, &old[i]) == 0) {
			long id = ockey_id(oc, &old[i]);
			if (id >= 0)
				oc->keys[id].ns = oc->keys[id].count = 0;
		}
	}
	free(old);
	if (oc->nkeys >= oc->prune_at)
		ockey_prune(oc, now);
	return 0;
}

struct acc {
	struct ocb_key key;
	uint64_t ns, count;
};

static int acc_cmp(const void *a, const void *b)
{
	const struct acc *x = a, *y = b;
	if (x->ns != y->ns)
		return x->ns > y->ns ? -1 : 1;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

int offcpu_read(struct offcpu *oc, struct offcpu_report **out, struct wt_err *err)
{
	*out = NULL;
	struct offcpu_report *r = calloc(1, sizeof(*r));
	struct acc *v = NULL;
	size_t n = 0, cap = 0;
	if (!r)
		return wt_err_set(err, ENOMEM, "out of memory");
	uint64_t now = mono_ns();
	r->pid = oc->pid;
	r->window_ns = now - oc->t0;
	int tfd = bpf_map__fd(oc->skel->maps.totals), sfd = bpf_map__fd(oc->skel->maps.starts);
	struct ocb_key key, next;
	void *prev = NULL;
	if (oc->window_secs) {
		/* the window's sums per key, then the waits in progress inside it */
		r->window_ns = slide_span_ns(&oc->win, now);
		uint64_t *sum = NULL;
		if (offcpu_window_take(oc, now) < 0 ||
		    !(sum = calloc(2 * oc->nkeys + 1, sizeof(*sum))))
			goto nomem;
		slide_sum(&oc->win, now, sum, 2 * oc->nkeys);
		v = calloc(oc->nkeys + 1, sizeof(*v));
		if (!v) {
			free(sum);
			goto nomem;
		}
		cap = oc->nkeys + 1;
		for (size_t i = 0; i < oc->nkeys; i++)
			if (sum[2 * i] || sum[2 * i + 1])
				v[n++] = (struct acc){oc->keys[i].key, sum[2 * i], sum[2 * i + 1]};
		free(sum);
		prev = NULL;
		tfd = -1; /* the totals are read */
	}
	while (tfd >= 0 && bpf_map_get_next_key(tfd, prev, &next) == 0) {
		struct ocb_total t;
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(tfd, &key, &t) < 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			struct acc *nv = realloc(v, cap * sizeof(*nv));
			if (!nv)
				goto nomem;
			v = nv;
		}
		v[n++] = (struct acc){key, t.ns, t.count};
	}
	/* waits in progress count up to now */
	uint32_t tk, tnext, *tprev = NULL;
	while (bpf_map_get_next_key(sfd, tprev, &tnext) == 0) {
		struct ocb_start s;
		tk = tnext;
		tprev = &tk;
		if (bpf_map_lookup_elem(sfd, &tk, &s) < 0 || s.ts > now)
			continue;
		size_t i;
		for (i = 0; i < n; i++)
			if (!memcmp(&v[i].key, &s.key, sizeof(s.key)))
				break;
		if (i == n) {
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				struct acc *nv = realloc(v, cap * sizeof(*nv));
				if (!nv)
					goto nomem;
				v = nv;
			}
			v[n++] = (struct acc){s.key, 0, 0};
		}
		/* in the window: its part since the window's start */
		uint64_t from = s.ts;
		if (oc->window_secs && now - from > r->window_ns)
			from = now - r->window_ns;
		v[i].ns += now - from;
	}
	/* heaviest first, then named in that order */
	qsort(v, n, sizeof(*v), acc_cmp);
	r->entries = calloc(n ? n : 1, sizeof(*r->entries));
	if (!r->entries)
		goto nomem;
	for (size_t i = 0; i < n && v[i].ns; i++) {
		struct offcpu_entry *e = &r->entries[r->nentries++];
		e->tid = (pid_t)v[i].key.tid;
		e->state = state_from_ocb(v[i].key.state);
		e->ns = v[i].ns;
		e->count = v[i].count;
		struct offcpu_thread *t = thread_of(r, e->tid);
		if (t)
			t->ns[e->state] += e->ns;
		name_kernel(oc, &v[i].key, e);
		name_user(oc, &v[i].key, e);
	}
	merge_same(r);
	qsort(r->threads, r->nthreads, sizeof(*r->threads), thread_cmp);
	for (size_t i = 0; i < r->nthreads; i++) {
		char p[96], *text = NULL;
		size_t len;
		snprintf(p, sizeof(p), "/proc/%d/task/%d/comm", (int)oc->pid,
			 (int)r->threads[i].tid);
		if (wt_read_all_at(AT_FDCWD, p, &text, &len) == 0) {
			while (len && text[len - 1] == '\n')
				len--;
			r->threads[i].name = wt_escape(text, len, 1);
			free(text);
		} else {
			r->threads[i].name = strdup("?");
		}
	}
	r->lost = oc->skel->bss->lost;
	if (oc->ksyms.hidden && !oc->ksyms.n)
		r->note = strdup("kernel frames are unnamed: /proc/kallsyms shows no addresses "
				 "(run as root, or lower kernel.kptr_restrict)");
	free(v);
	*out = r;
	return 0;
nomem:
	free(v);
	offcpu_report_free(r);
	return wt_err_set(err, ENOMEM, "out of memory");
}

#endif
