/*
 * profile.c: the CPU profile of a process from perf samples (profile.h).
 *
 * One perf event per thread (inherit does not reach threads already
 * running), each with its own ring mapped read-only for the data and
 * read without stopping anyone. A sample's user registers and stack copy
 * go to stack_unwind_copy, as the syscall log's -k does with its copies;
 * the frames it names are counted here: functions (self, total), lines
 * of the innermost function, folded paths. Kernel frames come from the
 * sample's call chain, named from /proc/kallsyms.
 */
#include <dirent.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <unistd.h>

#include <whytop/kernel.h>
#include <whytop/profile.h>
#include <whytop/stack.h>

#include "core/profile/profile_int.h"
#include "core/profile/slide.h"

/* perf's x86_64 register numbers (arch/x86/include/uapi/asm/perf_regs.h). */
enum {
	PR_AX,
	PR_BX,
	PR_CX,
	PR_DX,
	PR_SI,
	PR_DI,
	PR_BP,
	PR_SP,
	PR_IP,
	PR_FLAGS,
	PR_R8 = 16,
	PR_R9,
	PR_R10,
	PR_R11,
	PR_R12,
	PR_R13,
	PR_R14,
	PR_R15,
};
#define PF_REGS_MASK (((1ull << (PR_IP + 1)) - 1) | (0xffull << PR_R8))
/*
 * Data pages per ring: room for a quarter second of samples (a reader on a
 * loaded machine may wait that long for a CPU), a power of two from 16 to
 * 512 pages: 128 pages (512 KiB) per thread at 99 Hz with 16 KiB stacks.
 */
static size_t pf_ring_pages(unsigned hz, size_t stack_bytes, long page)
{
	size_t want = (size_t)hz * (stack_bytes + 256) / 4 / (size_t)page, n = 16;
	while (n < want && n < 512)
		n *= 2;
	return n;
}

struct pf_thread {
	pid_t tid;
	int fd;
	uint8_t *ring;
	size_t ring_len;
	bool seen;
};

struct pf_fn {
	char *name, *module, *file;
	uint64_t self, total, mark;
	struct profile_line *lines;
	size_t nlines, cap;
};

/* A string -> index map, open addressing (keys owned by the map). */
struct pf_map {
	char **keys;
	size_t *vals;
	size_t cap, n;
};

/* One frame of a distinct sample (strings owned by its pf_stack). */
struct pf_sframe {
	char *name, *module, *file;
	int line;
};

/* A distinct sample: its frames, kernel then user, innermost first. */
struct pf_stack {
	struct pf_sframe *fr;
	size_t n;
};

/* Functions, lines and paths of a set of weighted stacks: a report being made. */
struct pf_agg {
	struct pf_fn *fns;
	size_t nfns, capfns;
	struct pf_map fnmap;
	struct pf_map pathmap;
	uint64_t *pathcounts;
	size_t cappaths;
	uint64_t serial, samples;
};

struct profile_session {
	pid_t pid;
	struct profile_opts o;
	struct debug_proc *dp;
	struct pf_thread *th;
	size_t nth, capth;
	size_t threads_total;
	uint32_t type;
	uint64_t config;
	bool kernel;
	long page;
	size_t ring_pages;
	uint64_t t0;
	uint64_t samples, lost, unwind_errors;
	/* distinct samples by key, with their counts since t0 */
	struct pf_map stackmap;
	struct pf_stack *stacks;
	uint64_t *stack_total;
	size_t nstacks, capstacks;
	/* profile_window_set: the same counts in one-second buckets */
	unsigned window_secs; /* 0: profile_result gives the totals since t0 */
	struct slide win;
	size_t prune_at; /* window mode: forget stacks gone from the ring at this many */
	size_t prune_min;
	uint64_t now; /* the time of the samples being drained */
	struct ksyms ksyms; /* read on the first kernel frame */
	bool ksyms_read;
	bool off;     /* profile_enable(false): events disabled, new ones opened so */
	uint8_t *rec; /* one record, unwrapped */
	size_t reccap;
};

static uint64_t pf_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ull;
	return h;
}

/* The index of key, or (size_t)-1; *slot where it is or would go. */
static size_t pf_map_find(const struct pf_map *m, const char *key, size_t *slot)
{
	size_t i = pf_hash(key) & (m->cap - 1);
	while (m->keys[i]) {
		if (!strcmp(m->keys[i], key)) {
			*slot = i;
			return m->vals[i];
		}
		i = (i + 1) & (m->cap - 1);
	}
	*slot = i;
	return (size_t)-1;
}

static int pf_map_grow(struct pf_map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 256;
	struct pf_map n = {calloc(cap, sizeof(char *)), calloc(cap, sizeof(size_t)), cap, 0};
	if (!n.keys || !n.vals) {
		free(n.keys);
		free(n.vals);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		size_t slot;
		pf_map_find(&n, m->keys[i], &slot);
		n.keys[slot] = m->keys[i];
		n.vals[slot] = m->vals[i];
		n.n++;
	}
	free(m->keys);
	free(m->vals);
	*m = n;
	return 0;
}

/* The index of key; added with value next (and *added set) when new. -1: no memory. */
static long pf_map_get(struct pf_map *m, const char *key, size_t next, bool *added)
{
	*added = false;
	if ((m->n + 1) * 2 > m->cap && pf_map_grow(m) < 0)
		return -1;
	size_t slot, v = pf_map_find(m, key, &slot);
	if (v != (size_t)-1)
		return (long)v;
	if (!(m->keys[slot] = strdup(key)))
		return -1;
	m->vals[slot] = next;
	m->n++;
	*added = true;
	return (long)next;
}

static void pf_map_free(struct pf_map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* ---- kernel names ---- */

static const char *pf_ksym_name(struct profile_session *s, uint64_t ip)
{
	if (!s->ksyms_read) {
		s->ksyms_read = true;
		ksyms_load(&s->ksyms); /* none: kernel frames unnamed */
	}
	const struct ksym *k = ksyms_find(&s->ksyms, ip);
	return k ? k->name : NULL;
}

/* ---- counting ---- */

static struct pf_fn *pf_fn_get(struct pf_agg *g, const char *name, const char *module,
			       const char *file)
{
	char key[600];
	snprintf(key, sizeof(key), "%s\x1f%s", name, module ? module : "");
	bool added;
	long i = pf_map_get(&g->fnmap, key, g->nfns, &added);
	if (i < 0)
		return NULL;
	if (!added) {
		struct pf_fn *f = &g->fns[i];
		if (!f->file && file)
			f->file = strdup(file);
		return f;
	}
	if (g->nfns == g->capfns) {
		size_t cap = g->capfns ? g->capfns * 2 : 64;
		struct pf_fn *v = realloc(g->fns, cap * sizeof(*v));
		if (!v)
			return NULL;
		g->fns = v;
		g->capfns = cap;
	}
	struct pf_fn *f = &g->fns[g->nfns++];
	memset(f, 0, sizeof(*f));
	f->name = strdup(name);
	f->module = module ? strdup(module) : NULL;
	f->file = file ? strdup(file) : NULL;
	return f;
}

static void pf_fn_line(struct pf_fn *f, const char *file, int line, uint64_t w)
{
	for (size_t i = 0; i < f->nlines; i++) {
		struct profile_line *l = &f->lines[i];
		if (l->line == line &&
		    ((!l->file && !file) || (l->file && file && !strcmp(l->file, file)))) {
			l->self += w;
			return;
		}
	}
	if (f->nlines == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		struct profile_line *v = realloc(f->lines, cap * sizeof(*v));
		if (!v)
			return;
		f->lines = v;
		f->cap = cap;
	}
	f->lines[f->nlines++] = (struct profile_line){file ? strdup(file) : NULL, line, w};
}

/* One frame's display name, into buf. */
static const char *pf_frame_name(const struct stack_frame *fr, char *buf, size_t n)
{
	if (fr->function)
		return fr->function;
	snprintf(buf, n, "[%s]", fr->module ? fr->module : "unknown");
	return buf;
}

static void pf_path_add(struct wt_buf *b, const char *name)
{
	if (b->len)
		wt_buf_add(b, ";", 1);
	for (const char *p = name; *p; p++)
		wt_buf_add(b, *p == ';' ? ":" : p, 1);
}

/* Count stack st w times into g: its path, its functions (self: the innermost; total: once each). */
static void pf_agg_add(struct pf_agg *g, const struct pf_stack *st, uint64_t w)
{
	g->samples += w;
	g->serial++;
	struct wt_buf path;
	wt_buf_init(&path);
	for (size_t i = st->n; i-- > 0;) /* root first */
		pf_path_add(&path, st->fr[i].name);
	bool added;
	long pi = path.data ? pf_map_get(&g->pathmap, path.data, g->pathmap.n, &added) : -1;
	wt_buf_free(&path);
	if (pi >= 0) {
		if ((size_t)pi >= g->cappaths) {
			size_t cap = g->cappaths ? g->cappaths * 2 : 256;
			uint64_t *v = realloc(g->pathcounts, cap * sizeof(*v));
			if (v) {
				memset(v + g->cappaths, 0, (cap - g->cappaths) * sizeof(*v));
				g->pathcounts = v;
				g->cappaths = cap;
			}
		}
		if ((size_t)pi < g->cappaths)
			g->pathcounts[pi] += w;
	}
	for (size_t i = 0; i < st->n; i++) {
		const struct pf_sframe *fr = &st->fr[i];
		struct pf_fn *f = pf_fn_get(g, fr->name, fr->module, fr->file);
		if (!f)
			continue;
		if (i == 0) {
			f->self += w;
			pf_fn_line(f, fr->file, fr->line, w);
		}
		if (f->mark != g->serial) {
			f->mark = g->serial;
			f->total += w;
		}
	}
}

static void pf_agg_free(struct pf_agg *g)
{
	for (size_t i = 0; i < g->nfns; i++) {
		struct pf_fn *f = &g->fns[i];
		free(f->name);
		free(f->module);
		free(f->file);
		for (size_t k = 0; k < f->nlines; k++)
			free(f->lines[k].file);
		free(f->lines);
	}
	free(g->fns);
	pf_map_free(&g->fnmap);
	pf_map_free(&g->pathmap);
	free(g->pathcounts);
	memset(g, 0, sizeof(*g));
}

static void pf_key_add(struct wt_buf *k, const struct pf_sframe *f)
{
	wt_buf_printf(k, "%s\x1f%s\x1f%s\x1f%d\x1e", f->name, f->module ? f->module : "",
		      f->file ? f->file : "", f->line);
}

/* The index of the distinct sample fr[0..n) (added when new), or -1. */
static long pf_stack_id(struct profile_session *s, const struct pf_sframe *fr, size_t n)
{
	struct wt_buf k;
	wt_buf_init(&k);
	for (size_t i = 0; i < n; i++)
		pf_key_add(&k, &fr[i]);
	if (!k.data) {
		wt_buf_free(&k);
		return -1;
	}
	if (s->nstacks == s->capstacks) {
		size_t cap = s->capstacks ? s->capstacks * 2 : 256;
		struct pf_stack *v = realloc(s->stacks, cap * sizeof(*v));
		uint64_t *t = v ? realloc(s->stack_total, cap * sizeof(*t)) : NULL;
		if (v)
			s->stacks = v;
		if (!v || !t) {
			wt_buf_free(&k);
			return -1;
		}
		s->stack_total = t;
		s->capstacks = cap;
	}
	bool added;
	long id = pf_map_get(&s->stackmap, k.data, s->nstacks, &added);
	wt_buf_free(&k);
	if (id < 0 || !added)
		return id;
	struct pf_stack *st = &s->stacks[s->nstacks++];
	st->fr = calloc(n, sizeof(*st->fr));
	st->n = st->fr ? n : 0;
	for (size_t i = 0; i < st->n; i++) {
		st->fr[i].name = strdup(fr[i].name);
		st->fr[i].module = fr[i].module ? strdup(fr[i].module) : NULL;
		st->fr[i].file = fr[i].file ? strdup(fr[i].file) : NULL;
		st->fr[i].line = fr[i].line;
	}
	s->stack_total[id] = 0;
	return id;
}

/*
 * In window mode the distinct stacks would pile up over a long look at a
 * changing program: once there are prune_at of them, those no longer in
 * the ring's reach are forgotten (their totals since the start with them)
 * and the rest renumbered, if that frees at least half.
 */
static void pf_prune(struct profile_session *s)
{
	size_t n = s->nstacks, live_n = 0;
	uint8_t *live = calloc(n + 1, 1);
	size_t *map = calloc(n + 1, sizeof(*map));
	struct pf_map nm = {0};
	if (!live || !map)
		goto out;
	slide_live(&s->win, s->now, live, n);
	for (size_t i = 0; i < n; i++)
		map[i] = live[i] ? live_n++ : SIZE_MAX;
	if (live_n * 2 > n) {
		s->prune_at = 2 * n;
		goto out;
	}
	size_t cap = 256;
	while (cap < live_n * 2 + 2)
		cap *= 2;
	nm = (struct pf_map){calloc(cap, sizeof(char *)), calloc(cap, sizeof(size_t)), cap, 0};
	if (!nm.keys || !nm.vals)
		goto out;
	for (size_t i = 0; i < s->stackmap.cap; i++) {
		char *k = s->stackmap.keys[i];
		if (!k)
			continue;
		size_t v = s->stackmap.vals[i], slot;
		if (v < n && map[v] != SIZE_MAX) {
			pf_map_find(&nm, k, &slot);
			nm.keys[slot] = k;
			nm.vals[slot] = map[v];
			nm.n++;
		} else {
			free(k);
		}
	}
	free(s->stackmap.keys);
	free(s->stackmap.vals);
	s->stackmap = nm;
	nm = (struct pf_map){0};
	for (size_t i = 0; i < n; i++) {
		if (map[i] == SIZE_MAX) {
			for (size_t k = 0; k < s->stacks[i].n; k++) {
				free(s->stacks[i].fr[k].name);
				free(s->stacks[i].fr[k].module);
				free(s->stacks[i].fr[k].file);
			}
			free(s->stacks[i].fr);
			continue;
		}
		s->stacks[map[i]] = s->stacks[i]; /* map[i] <= i: moves down only */
		s->stack_total[map[i]] = s->stack_total[i];
	}
	s->nstacks = live_n;
	slide_remap(&s->win, map, n);
	s->prune_at = live_n * 2 > s->prune_min ? live_n * 2 : s->prune_min;
out:
	free(nm.keys);
	free(nm.vals);
	free(live);
	free(map);
}

/*
 * Count one sample: kernel frames kips[0..nk) then user frames, both
 * innermost first. Only the distinct sample is counted here (since t0 and
 * in the window's bucket of now); functions and paths are made from those
 * counts by profile_result.
 */
static void pf_count(struct profile_session *s, const uint64_t *kips, size_t nk,
		     const struct stack_frame *uf, size_t nu)
{
	char buf[300];
	s->samples++;
	size_t n = nk + nu ? nk + nu : 1;
	struct pf_sframe *fr = calloc(n, sizeof(*fr));
	char(*kn)[300] = nk ? calloc(nk, sizeof(*kn)) : NULL;
	char(*un)[300] = nu ? calloc(nu, sizeof(*un)) : NULL;
	if (!fr || (nk && !kn) || (nu && !un))
		goto out;
	for (size_t i = 0; i < nk; i++) {
		const char *k = pf_ksym_name(s, kips[i]);
		snprintf(kn[i], sizeof(kn[i]), "%s_[k]", k ? k : "[kernel]");
		fr[i] = (struct pf_sframe){kn[i], "[kernel]", NULL, 0};
	}
	for (size_t i = 0; i < nu; i++) {
		snprintf(un[i], sizeof(un[i]), "%s", pf_frame_name(&uf[i], buf, sizeof(buf)));
		fr[nk + i] = (struct pf_sframe){un[i], uf[i].module, uf[i].file,
						i || nk ? 0 : uf[i].line};
	}
	if (!nk && !nu)
		fr[0] = (struct pf_sframe){"[unknown]", NULL, NULL, 0};
	long id = pf_stack_id(s, fr, n);
	if (id >= 0) {
		s->stack_total[id]++;
		if (s->window_secs)
			slide_add(&s->win, s->now, (size_t)id, 1);
	}
	if (s->window_secs && s->nstacks >= s->prune_at)
		pf_prune(s);
out:
	free(fr);
	free(kn);
	free(un);
}

/* ---- samples ---- */

int profile_parse_sample(const uint8_t *p, size_t len, bool callchain, struct profile_sample *out)
{
	const uint8_t *end = p + len;
	memset(out, 0, sizeof(*out));
#define TAKE(dst, n)                                                                               \
	do {                                                                                       \
		if ((size_t)(end - p) < (n))                                                       \
			return -EINVAL;                                                            \
		memcpy((dst), p, (n));                                                             \
		p += (n);                                                                          \
	} while (0)
	uint32_t pt[2];
	uint64_t nr = 0;
	TAKE(&out->ip, 8);
	TAKE(pt, 8);
	out->pid = pt[0];
	out->tid = pt[1];
	TAKE(&out->time, 8);
	if (callchain) {
		TAKE(&nr, 8);
		if (nr > (uint64_t)(end - p) / 8)
			return -EINVAL;
		for (uint64_t i = 0; i < nr; i++) {
			uint64_t a;
			memcpy(&a, p + i * 8, 8);
			if (a >= (uint64_t)PERF_CONTEXT_MAX)
				continue; /* a context marker */
			if (out->nk < PROFILE_MAX_KFRAMES)
				out->kips[out->nk++] = a;
		}
		p += nr * 8;
	}
	uint64_t abi;
	TAKE(&abi, 8);
	out->has_regs = abi != PERF_SAMPLE_REGS_ABI_NONE;
	if (out->has_regs) {
		for (int b = 0; b < 24; b++)
			if (PF_REGS_MASK & (1ull << b))
				TAKE(&out->regs[b], 8);
	}
	uint64_t size = 0, dyn = 0;
	TAKE(&size, 8);
	if (size) {
		if ((uint64_t)(end - p) < 8 || size > (uint64_t)(end - p) - 8)
			return -EINVAL;
		out->stack = p;
		p += size;
		TAKE(&dyn, 8);
		if (dyn > size)
			dyn = size;
	}
#undef TAKE
	out->stack_size = size;
	out->stack_len = dyn;
	return 0;
}

static void pf_sample(struct profile_session *s, const uint8_t *p, size_t len)
{
	struct profile_sample ps;
	if (profile_parse_sample(p, len, s->kernel, &ps) < 0)
		return;
	const uint64_t *kips = ps.kips, *r = ps.regs;
	size_t nk = ps.nk;
	uint64_t size = ps.stack_size, dyn = ps.stack_len;
	const uint8_t *data = ps.stack;
	uint32_t pt[2] = {ps.pid, ps.tid};
	if (!ps.has_regs) {
		pf_count(s, kips, nk, NULL, 0);
		return;
	}
	struct user_regs_struct u = {
	    .rax = r[PR_AX],
	    .rbx = r[PR_BX],
	    .rcx = r[PR_CX],
	    .rdx = r[PR_DX],
	    .rsi = r[PR_SI],
	    .rdi = r[PR_DI],
	    .rbp = r[PR_BP],
	    .rsp = r[PR_SP],
	    .rip = r[PR_IP],
	    .eflags = r[PR_FLAGS],
	    .r8 = r[PR_R8],
	    .r9 = r[PR_R9],
	    .r10 = r[PR_R10],
	    .r11 = r[PR_R11],
	    .r12 = r[PR_R12],
	    .r13 = r[PR_R13],
	    .r14 = r[PR_R14],
	    .r15 = r[PR_R15],
	    .orig_rax = (unsigned long long)-1,
	};
	uint8_t *win = dyn ? malloc(dyn) : NULL;
	if (win)
		memcpy(win, data, dyn);
	struct stack *st = NULL;
	struct wt_err e;
	int rc = stack_unwind_copy(s->dp, (pid_t)pt[1], &u, u.rsp, win, win ? dyn : 0, dyn >= size,
				   0, &st, &e);
	if (rc < 0 || !st || !st->nthreads) {
		s->unwind_errors++;
		pf_count(s, kips, nk, NULL, 0);
	} else {
		struct stack_thread *t = &st->threads[0];
		if (t->error)
			s->unwind_errors++;
		pf_count(s, kips, nk, t->frames, t->nframes);
	}
	stack_free(st);
}

/* Copy n bytes at logical offset off of a ring's data area (it wraps). */
static void pf_ring_copy(uint8_t *dst, const uint8_t *data, uint64_t size, uint64_t off, size_t n)
{
	uint64_t at = off % size;
	size_t first = n < size - at ? n : size - at;
	memcpy(dst, data + at, first);
	memcpy(dst + first, data, n - first);
}

static void pf_drain(struct profile_session *s, struct pf_thread *t)
{
	struct perf_event_mmap_page *mp = (void *)t->ring;
	uint8_t *data = t->ring + s->page;
	uint64_t size = t->ring_len - (size_t)s->page;
	uint64_t head = __atomic_load_n(&mp->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = mp->data_tail;
	while (tail + sizeof(struct perf_event_header) <= head) {
		struct perf_event_header h;
		pf_ring_copy((uint8_t *)&h, data, size, tail, sizeof(h));
		if (h.size < sizeof(h) || tail + h.size > head)
			break;
		if (h.size > s->reccap) {
			uint8_t *v = realloc(s->rec, h.size);
			if (!v)
				break;
			s->rec = v;
			s->reccap = h.size;
		}
		pf_ring_copy(s->rec, data, size, tail, h.size);
		const uint8_t *body = s->rec + sizeof(h);
		size_t blen = h.size - sizeof(h);
		if (h.type == PERF_RECORD_SAMPLE) {
			pf_sample(s, body, blen);
		} else if (h.type == PERF_RECORD_LOST && blen >= 16) {
			uint64_t n;
			memcpy(&n, body + 8, 8);
			s->lost += n;
		}
		tail += h.size;
	}
	__atomic_store_n(&mp->data_tail, tail, __ATOMIC_RELEASE);
}

static int pf_perf_open(struct profile_session *s, pid_t tid, bool kernel)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = s->type;
	a.config = s->config;
	if (s->type == PERF_TYPE_SOFTWARE) {
		/*
		 * cpu-clock counts nanoseconds of the thread's CPU time: a fixed
		 * period is exactly hz, where freq mode would start from a period
		 * of 1 and flood the ring while the kernel adapts it.
		 */
		a.sample_period = 1000000000u / s->o.hz;
	} else {
		a.freq = 1;
		a.sample_freq = s->o.hz;
	}
	a.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
			PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
	if (kernel)
		a.sample_type |= PERF_SAMPLE_CALLCHAIN;
	a.sample_regs_user = PF_REGS_MASK;
	a.sample_stack_user = (uint32_t)s->o.stack_bytes;
	a.exclude_callchain_user = 1;
	a.exclude_kernel = !kernel;
	a.exclude_hv = 1;
	a.disabled = s->off;
	a.watermark = 1;
	a.wakeup_watermark = (uint32_t)(s->ring_pages * (size_t)s->page / 4);
	return (int)syscall(SYS_perf_event_open, &a, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

/* Open the event of one thread (or take fd, opened already). -ESRCH: it is gone. */
static int pf_thread_open(struct profile_session *s, pid_t tid, int fd, struct wt_err *err)
{
	if (fd < 0)
		fd = pf_perf_open(s, tid, s->kernel);
	if (fd < 0)
		return wt_err_set(
		    err, errno, "cannot open a perf event on thread %d of process %d: %s%s",
		    (int)tid, (int)s->pid, strerror(errno),
		    errno == EACCES || errno == EPERM
			? "; run as root or lower /proc/sys/kernel/perf_event_paranoid"
		    : errno == EINVAL
			? " (is --hz above /proc/sys/kernel/perf_event_max_sample_rate?)"
			: "");
	size_t len = (s->ring_pages + 1) * (size_t)s->page;
	void *ring = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (ring == MAP_FAILED) {
		int e = errno;
		close(fd);
		return wt_err_set(err, e, "cannot map the perf ring of thread %d: %s", (int)tid,
				  strerror(e));
	}
	if (s->nth == s->capth) {
		size_t cap = s->capth ? s->capth * 2 : 16;
		struct pf_thread *v = realloc(s->th, cap * sizeof(*v));
		if (!v) {
			munmap(ring, len);
			close(fd);
			return wt_err_set(err, ENOMEM, "out of memory");
		}
		s->th = v;
		s->capth = cap;
	}
	s->th[s->nth++] = (struct pf_thread){tid, fd, ring, len, true};
	s->threads_total++;
	return 0;
}

static void pf_thread_close(struct profile_session *s, size_t i)
{
	pf_drain(s, &s->th[i]);
	munmap(s->th[i].ring, s->th[i].ring_len);
	close(s->th[i].fd);
	s->th[i] = s->th[--s->nth];
}

/* Open events on threads not seen yet; drop the ones gone. -ESRCH: the process is gone. */
static int pf_scan(struct profile_session *s, struct wt_err *err)
{
	char dir[64];
	snprintf(dir, sizeof(dir), "/proc/%d/task", (int)s->pid);
	DIR *d = opendir(dir);
	if (!d)
		return wt_err_set(err, ESRCH, "process %d is gone", (int)s->pid);
	for (size_t i = 0; i < s->nth; i++)
		s->th[i].seen = false;
	struct dirent *de;
	int rc = 0;
	while ((de = readdir(d))) {
		long tid;
		if (wt_parse_long(de->d_name, 1, 0x7fffffff, &tid) < 0)
			continue;
		if (s->o.only_tid && tid != s->o.only_tid)
			continue;
		bool known = false;
		for (size_t i = 0; i < s->nth && !known; i++) {
			if (s->th[i].tid == tid) {
				s->th[i].seen = true;
				known = true;
			}
		}
		if (known)
			continue;
		struct wt_err e;
		int r = pf_thread_open(s, (pid_t)tid, -1, &e);
		if (r == -ESRCH)
			continue; /* exited since readdir */
		if (r < 0) {
			if (err)
				*err = e;
			rc = r;
			break;
		}
	}
	closedir(d);
	for (size_t i = s->nth; i-- > 0;)
		if (!s->th[i].seen)
			pf_thread_close(s, i);
	if (rc == 0 && s->o.only_tid && !s->nth)
		return wt_err_set(err, ESRCH, "thread %d of process %d is gone", (int)s->o.only_tid,
				  (int)s->pid);
	return rc;
}

int profile_open(pid_t pid, const struct profile_opts *opts, struct profile_session **out,
		 struct wt_err *err)
{
	*out = NULL;
	struct profile_session *s = calloc(1, sizeof(*s));
	if (!s)
		return wt_err_set(err, ENOMEM, "out of memory");
	s->pid = pid;
	if (opts)
		s->o = *opts;
	if (!s->o.hz)
		s->o.hz = PROFILE_DEFAULT_HZ;
	if (!s->o.stack_bytes)
		s->o.stack_bytes = PROFILE_STACK_BYTES;
	s->o.stack_bytes &= ~(size_t)7;
	s->page = sysconf(_SC_PAGESIZE);
	s->ring_pages = pf_ring_pages(s->o.hz, s->o.stack_bytes, s->page);
	if (s->o.only_tid) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/task/%d", (int)pid, (int)s->o.only_tid);
		if (access(path, F_OK) < 0) {
			int tid = (int)s->o.only_tid;
			free(s);
			return wt_err_set(err, ESRCH,
					  "%d is not a thread of process %d; 'whytop list "
					  "--threads' shows its threads",
					  tid, (int)pid);
		}
	}
	int r = debug_proc_open(pid, &s->dp, err);
	if (r < 0) {
		free(s);
		return r;
	}
	/*
	 * Hardware cycles where the machine counts them, else the cpu-clock;
	 * kernel call chains where perf_event_paranoid allows them.
	 */
	pid_t probe = s->o.only_tid ? s->o.only_tid : pid;
	static const struct {
		uint32_t type;
		uint64_t config;
	} events[] = {{PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES},
		      {PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK}};
	int fd = -1;
	for (size_t i = 0; i < 2 && fd < 0; i++) {
		s->type = events[i].type;
		s->config = events[i].config;
		for (int k = 1; k >= 0 && fd < 0; k--) {
			s->kernel = k;
			fd = pf_perf_open(s, probe, k);
		}
	}
	s->t0 = wt_now_ns();
	slide_init(&s->win, PROFILE_WINDOW_DEFAULT, s->t0);
	s->prune_at = s->prune_min = PROFILE_PRUNE_MIN;
	/* The probe's event is the first thread's: no thread goes unwatched meanwhile. */
	r = fd >= 0 ? pf_thread_open(s, probe, fd, err) : 0;
	if (r == 0)
		r = pf_scan(s, err);
	if (r < 0) {
		profile_close(s);
		return r;
	}
	*out = s;
	return 0;
}

int profile_poll(struct profile_session *s, int timeout_ms, struct wt_err *err)
{
	struct pollfd pf[256];
	size_t n = s->nth < 256 ? s->nth : 256;
	for (size_t i = 0; i < n; i++)
		pf[i] = (struct pollfd){.fd = s->th[i].fd, .events = POLLIN};
	if (poll(pf, n, timeout_ms) < 0 && errno != EINTR)
		return wt_err_set(err, errno, "poll: %s", strerror(errno));
	struct wt_err e;
	debug_proc_refresh(s->dp, &e); /* one read of the maps; re-reports after a dlopen */
	/* samples go to the second they are read in: at most a poll's wait late */
	s->now = wt_now_ns();
	for (size_t i = 0; i < s->nth; i++)
		pf_drain(s, &s->th[i]);
	return pf_scan(s, err);
}

static int pf_line_cmp(const void *a, const void *b)
{
	const struct profile_line *x = a, *y = b;
	if (x->self != y->self)
		return x->self < y->self ? 1 : -1;
	return x->line - y->line;
}

static int pf_fn_cmp(const void *a, const void *b)
{
	const struct profile_fn *x = a, *y = b;
	if (x->self != y->self)
		return x->self < y->self ? 1 : -1;
	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int pf_path_cmp(const void *a, const void *b)
{
	const struct profile_path *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->folded, y->folded);
}

int profile_result(struct profile_session *s, struct profile **out, struct wt_err *err)
{
	return profile_result_at(s, wt_now_ns(), out, err);
}

int profile_result_at(struct profile_session *s, uint64_t now, struct profile **out,
		      struct wt_err *err)
{
	struct profile *p = calloc(1, sizeof(*p));
	/* the counts of each distinct sample: since t0, or over the window */
	uint64_t *w = calloc(s->nstacks + 1, sizeof(*w));
	struct pf_agg g;
	memset(&g, 0, sizeof(g));
	if (!p || !w) {
		free(p);
		free(w);
		return wt_err_set(err, ENOMEM, "out of memory");
	}
	if (s->window_secs)
		slide_sum(&s->win, now, w, s->nstacks);
	else
		memcpy(w, s->stack_total, s->nstacks * sizeof(*w));
	for (size_t i = 0; i < s->nstacks; i++)
		if (w[i])
			pf_agg_add(&g, &s->stacks[i], w[i]);
	free(w);
	p->pid = s->pid;
	p->only_tid = s->o.only_tid;
	p->hz = s->o.hz;
	p->event = s->type == PERF_TYPE_HARDWARE ? "cycles" : "cpu-clock";
	p->samples = g.samples;
	p->lost = s->lost;
	p->unwind_errors = s->unwind_errors;
	p->duration_ns = s->window_secs ? slide_span_ns(&s->win, now) : now - s->t0;
	p->window_secs = s->window_secs;
	p->threads = s->threads_total;
	p->kernel_frames = s->kernel;
	p->fns = calloc(g.nfns + 1, sizeof(*p->fns));
	p->paths = calloc(g.pathmap.n + 1, sizeof(*p->paths));
	if (!p->fns || !p->paths) {
		pf_agg_free(&g);
		profile_free(p);
		return wt_err_set(err, ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < g.nfns; i++) {
		const struct pf_fn *f = &g.fns[i];
		if (!f->total)
			continue;
		struct profile_fn *o = &p->fns[p->nfns++];
		o->name = strdup(f->name);
		o->module = f->module ? strdup(f->module) : NULL;
		o->file = f->file ? strdup(f->file) : NULL;
		o->self = f->self;
		o->total = f->total;
		o->lines = calloc(f->nlines + 1, sizeof(*o->lines));
		for (size_t k = 0; o->lines && k < f->nlines; k++) {
			o->lines[k] = f->lines[k];
			o->lines[k].file = f->lines[k].file ? strdup(f->lines[k].file) : NULL;
			o->nlines++;
		}
		qsort(o->lines, o->nlines, sizeof(*o->lines), pf_line_cmp);
	}
	qsort(p->fns, p->nfns, sizeof(*p->fns), pf_fn_cmp);
	for (size_t i = 0; i < g.pathmap.cap; i++) {
		if (!g.pathmap.keys[i])
			continue;
		size_t v = g.pathmap.vals[i];
		uint64_t c = v < g.cappaths ? g.pathcounts[v] : 0;
		if (!c)
			continue;
		p->paths[p->npaths].folded = strdup(g.pathmap.keys[i]);
		p->paths[p->npaths++].count = c;
	}
	qsort(p->paths, p->npaths, sizeof(*p->paths), pf_path_cmp);
	pf_agg_free(&g);
	*out = p;
	return 0;
}

static void pf_counts_free(struct profile_session *s)
{
	for (size_t i = 0; i < s->nstacks; i++) {
		for (size_t k = 0; k < s->stacks[i].n; k++) {
			free(s->stacks[i].fr[k].name);
			free(s->stacks[i].fr[k].module);
			free(s->stacks[i].fr[k].file);
		}
		free(s->stacks[i].fr);
	}
	free(s->stacks);
	free(s->stack_total);
	s->stacks = NULL;
	s->stack_total = NULL;
	s->nstacks = s->capstacks = 0;
	pf_map_free(&s->stackmap);
}

void profile_enable(struct profile_session *s, bool on)
{
	s->off = !on;
	for (size_t i = 0; i < s->nth; i++)
		ioctl(s->th[i].fd, on ? PERF_EVENT_IOC_ENABLE : PERF_EVENT_IOC_DISABLE, 0);
}

void profile_reset(struct profile_session *s)
{
	pf_counts_free(s);
	s->samples = s->lost = s->unwind_errors = 0;
	s->t0 = wt_now_ns();
	slide_clear(&s->win, s->t0);
}

void profile_window_set(struct profile_session *s, unsigned secs)
{
	if (secs > PROFILE_WINDOW_MAX)
		secs = PROFILE_WINDOW_MAX;
	if (secs && !s->window_secs)
		slide_clear(&s->win, wt_now_ns()); /* a window from now: no bucket before */
	s->window_secs = secs;
	if (secs)
		slide_set_secs(&s->win, secs);
}

void profile_free(struct profile *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nfns; i++) {
		free(p->fns[i].name);
		free(p->fns[i].module);
		free(p->fns[i].file);
		for (size_t k = 0; k < p->fns[i].nlines; k++)
			free(p->fns[i].lines[k].file);
		free(p->fns[i].lines);
	}
	free(p->fns);
	for (size_t i = 0; i < p->npaths; i++)
		free(p->paths[i].folded);
	free(p->paths);
	free(p);
}

void profile_close(struct profile_session *s)
{
	if (!s)
		return;
	while (s->nth)
		pf_thread_close(s, s->nth - 1);
	free(s->th);
	pf_counts_free(s);
	slide_free(&s->win);
	ksyms_free(&s->ksyms);
	free(s->rec);
	if (s->dp)
		debug_proc_close(s->dp);
	free(s);
}

/* ---- for tests (profile_int.h) ---- */

struct profile_session *profile_session_bare(uint64_t t0, unsigned window_secs, size_t prune_at)
{
	struct profile_session *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->o.hz = PROFILE_DEFAULT_HZ;
	s->type = PERF_TYPE_SOFTWARE;
	s->t0 = t0;
	slide_init(&s->win, window_secs ? window_secs : 1, t0);
	s->window_secs = window_secs;
	s->prune_at = s->prune_min = prune_at;
	return s;
}

void profile_count_names(struct profile_session *s, uint64_t now, const char *const *names,
			 size_t n)
{
	struct stack_frame *f = calloc(n ? n : 1, sizeof(*f));
	if (!f)
		return;
	for (size_t i = 0; i < n; i++) {
		f[i].function = (char *)(uintptr_t)names[i]; /* read only */
		f[i].line = (int)i + 1;
	}
	s->now = now;
	pf_count(s, NULL, 0, f, n);
	free(f);
}

size_t profile_nstacks(const struct profile_session *s)
{
	return s->nstacks;
}
