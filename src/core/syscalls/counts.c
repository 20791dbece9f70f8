/*
 * counts.c: the per-syscall table the front ends show: calls, errors and the
 * most common errno, total and average time, share of time, and calls/s over
 * a window of "now", from successive cumulative samples of a backend.
 *
 * Backends only ever hand out cumulative counters, so nothing is lost
 * between two reads however slowly a front end polls; rates come from the
 * difference between the newest sample and the one a window earlier, kept in
 * a small ring per row (one entry per update).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/syscalls.h>
#include <whytop/sysnames.h>

struct sc_counts *sc_counts_new(void)
{
	struct sc_counts *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->window_s = 5.0;
	return c;
}

void sc_counts_free(struct sc_counts *c)
{
	if (!c)
		return;
	free(c->rows);
	free(c->base);
	free(c);
}

void sc_counts_set_window(struct sc_counts *c, double seconds)
{
	c->window_s = seconds > 0 ? seconds : 1.0;
}

/* The kept sample nearest to (but not after) "newest minus the window". */
static unsigned window_start(const struct sc_counts *c)
{
	unsigned newest = (c->head + SC_HIST - 1) % SC_HIST;
	unsigned best = newest;
	uint64_t want = c->t_hist[newest] - (uint64_t)(c->window_s * 1e9);
	for (unsigned k = 1; k < c->nhist; k++) {
		unsigned i = (newest + SC_HIST - k) % SC_HIST;
		best = i;
		if (c->t_hist[i] <= want)
			break;
	}
	return best;
}

static struct sc_row *row_for(struct sc_counts *c, unsigned slot)
{
	enum sc_abi abi = (enum sc_abi)(slot / (SC_NR_MAX + 1));
	int nr = (int)(slot % (SC_NR_MAX + 1));
	for (size_t i = 0; i < c->nrows; i++)
		if (c->rows[i].abi == abi && c->rows[i].nr == nr)
			return &c->rows[i];
	if (c->nrows == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct sc_row *r = realloc(c->rows, cap * sizeof(*r));
		if (!r)
			return NULL;
		c->rows = r;
		c->cap = cap;
	}
	struct sc_row *r = &c->rows[c->nrows++];
	memset(r, 0, sizeof(*r));
	r->abi = abi;
	r->nr = nr;
	char buf[40];
	if (nr == SC_NR_MAX)
		snprintf(r->name, sizeof(r->name), "(out of range)");
	else if (abi == SC_ABI_UNKNOWN)
		snprintf(r->name, sizeof(r->name), "syscall_%d", nr);
	else
		snprintf(r->name, sizeof(r->name), "%s",
			 sysname(sc_abi_arch(abi), nr, buf, sizeof(buf)));
	/* Rows born late have had no calls in the samples before. */
	return r;
}

static int is_sigreturn(const struct sc_row *r)
{
	return strcmp(r->name, "rt_sigreturn") == 0 || strcmp(r->name, "sigreturn") == 0;
}

void sc_counts_update(struct sc_counts *c, const struct sc_sample *s)
{
	if (!c->base) {
		/* the first sample (after a reset) is the zero everything counts from */
		c->base = malloc(sizeof(*c->base));
		if (!c->base)
			return;
		memcpy(c->base, s, sizeof(*s));
		c->t0_ns = s->t_ns;
	}
	const struct sc_sample *b = c->base;
	c->total_calls = c->total_errors = c->total_time_ns = 0;
	c->lost = s->lost - b->lost;
	for (unsigned k = 0; k < SC_SLOTS; k++) {
		const struct sc_raw *x = &s->slot[k], *y = &b->slot[k];
		if (x->calls == y->calls && x->timed == y->timed)
			continue;
		struct sc_row *r = row_for(c, k);
		if (!r)
			return;
		r->calls = x->calls - y->calls;
		r->timed = x->timed - y->timed;
		r->time_ns = x->time_ns - y->time_ns;
		/* rt_sigreturn "returns" the interrupted code's register, not an error */
		r->errors = is_sigreturn(r) ? 0 : x->errors - y->errors;
		r->top_errno = 0;
		r->top_errno_calls = 0;
		for (int i = 0; i < SC_ERRNO_TOP && r->errors; i++) {
			uint64_t n = x->errno_calls[i];
			for (int j = 0; j < SC_ERRNO_TOP; j++)
				if (y->errno_calls[j] && y->errnos[j] == x->errnos[i])
					n -= y->errno_calls[j] <= n ? y->errno_calls[j] : n;
			if (n > r->top_errno_calls) {
				r->top_errno_calls = n;
				r->top_errno = x->errnos[i];
			}
		}
	}
	for (size_t i = 0; i < c->nrows; i++) {
		struct sc_row *r = &c->rows[i];
		r->hist[c->head] = r->calls;
		c->total_calls += r->calls;
		c->total_errors += r->errors;
		c->total_time_ns += r->time_ns;
	}
	c->t_hist[c->head] = s->t_ns;
	c->total_hist[c->head] = c->total_calls;
	c->head = (c->head + 1) % SC_HIST;
	if (c->nhist < SC_HIST)
		c->nhist++;
	c->elapsed_s = (double)(s->t_ns - c->t0_ns) / 1e9;

	unsigned newest = (c->head + SC_HIST - 1) % SC_HIST, old = window_start(c);
	double dt = (double)(c->t_hist[newest] - c->t_hist[old]) / 1e9;
	c->total_rate = 0;
	for (size_t i = 0; i < c->nrows; i++) {
		struct sc_row *r = &c->rows[i];
		/* a row born after the old sample had 0 calls then (hist is zeroed) */
		r->rate = dt > 0 ? (double)(r->hist[newest] - r->hist[old]) / dt : 0;
		r->share = c->total_time_ns ? (double)r->time_ns / (double)c->total_time_ns : 0;
		c->total_rate += r->rate;
	}
}

void sc_counts_reset(struct sc_counts *c)
{
	/* The next update's sample becomes the new zero. */
	free(c->base);
	c->base = NULL;
	c->nrows = 0;
	c->nhist = 0;
	c->head = 0;
	memset(c->t_hist, 0, sizeof(c->t_hist));
	memset(c->total_hist, 0, sizeof(c->total_hist));
	c->total_calls = c->total_errors = c->total_time_ns = c->lost = 0;
	c->total_rate = 0;
	c->elapsed_s = 0;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? 1 : a > b ? -1 : 0; /* descending */
}

static enum sc_sort sort_key;

static int cmp_rows(const void *pa, const void *pb)
{
	const struct sc_row *a = pa, *b = pb;
	int r = 0;
	switch (sort_key) {
	case SC_SORT_RATE:
		r = a->rate < b->rate ? 1 : a->rate > b->rate ? -1 : 0;
		break;
	case SC_SORT_CALLS:
		r = cmp_u64(a->calls, b->calls);
		break;
	case SC_SORT_ERRORS:
		r = cmp_u64(a->errors, b->errors);
		break;
	case SC_SORT_TIME:
		r = cmp_u64(a->time_ns, b->time_ns);
		break;
	case SC_SORT_AVG: {
		double x = a->timed ? (double)a->time_ns / (double)a->timed : 0;
		double y = b->timed ? (double)b->time_ns / (double)b->timed : 0;
		r = x < y ? 1 : x > y ? -1 : 0;
		break;
	}
	case SC_SORT_NAME:
		r = strcmp(a->name, b->name);
		break;
	default:
		break;
	}
	if (!r)
		r = cmp_u64(a->calls, b->calls);
	if (!r)
		r = strcmp(a->name, b->name);
	return r;
}

void sc_counts_sort(struct sc_counts *c, enum sc_sort key)
{
	sort_key = key;
	if (c->nrows > 1)
		qsort(c->rows, c->nrows, sizeof(*c->rows), cmp_rows);
}

const char *sc_sort_name(enum sc_sort key)
{
	static const char *const names[SC_SORT_N] = {"rate", "calls", "errors",
						     "time", "avg",   "name"};
	return key < SC_SORT_N ? names[key] : "?";
}

size_t sc_counts_spark(const struct sc_counts *c, double *out, size_t max)
{
	size_t n = 0;
	if (c->nhist < 2)
		return 0;
	unsigned first = c->nhist - 1 > max ? c->nhist - 1 - (unsigned)max : 0;
	for (unsigned k = first; k + 1 < c->nhist; k++) {
		unsigned oldest = (c->head + SC_HIST - c->nhist) % SC_HIST;
		unsigned i = (oldest + k) % SC_HIST, j = (oldest + k + 1) % SC_HIST;
		double dt = (double)(c->t_hist[j] - c->t_hist[i]) / 1e9;
		out[n++] = dt > 0 ? (double)(c->total_hist[j] - c->total_hist[i]) / dt : 0;
	}
	return n;
}

const char *sc_errno_name(int e, char *buf, size_t size)
{
	const char *n = e > 0 ? strerrorname_np(e) : NULL;
	if (n)
		return n;
	switch (e) {
	/* kernel-internal restart codes, seen at syscall exit before a signal */
	case 512:
		return "ERESTARTSYS";
	case 513:
		return "ERESTARTNOINTR";
	case 514:
		return "ERESTARTNOHAND";
	case 516:
		return "ERESTART_RESTARTBLOCK";
	default:
		break;
	}
	snprintf(buf, size, "E%d", e);
	return buf;
}
