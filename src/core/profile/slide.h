/*
 * slide.h: a sliding window of counts, kept in one-second buckets, for the
 * live views (the Profile tab, the Kernel tab's off-CPU view).
 *
 * Values are added under a small integer id (a stack, a map key) into the
 * bucket of the current second; slide_sum gives, per id, what was added
 * over the last W seconds: the whole buckets inside [now - W, now] and the
 * oldest one weighted by the share of its second still inside (values are
 * taken as spread evenly over their second). So a value leaves the window
 * gradually over the second that ends W s after its own second ended, and
 * a window younger than W s holds all it has seen (slide_span_ns says how
 * long). Every function takes the time: a test drives it with a fake clock.
 */
#ifndef WHYTOP_SLIDE_H
#define WHYTOP_SLIDE_H

#include <stddef.h>
#include <stdint.h>

/* W may be 1 to SLIDE_MAX_SECS seconds; the ring keeps that many + 1 buckets. */
#define SLIDE_MAX_SECS 30
#define SLIDE_SEC_NS 1000000000ull

struct slide_cell {
	size_t id;
	uint64_t v;
};

struct slide_bucket {
	uint64_t sec; /* seconds since t0 of the values here */
	struct slide_cell *cells;
	size_t n, cap;
};

struct slide {
	unsigned secs; /* W */
	uint64_t t0;
	struct slide_bucket b[SLIDE_MAX_SECS + 1];
};

/* An empty window of secs seconds (clamped to 1..SLIDE_MAX_SECS) starting at now. */
void slide_init(struct slide *w, unsigned secs, uint64_t now);
/* A new length; what the buckets hold stays (up to SLIDE_MAX_SECS s of it). */
void slide_set_secs(struct slide *w, unsigned secs);
/* Forget every value: the window starts again at now. */
void slide_clear(struct slide *w, uint64_t now);
/* Add v under id at time now (now before t0 counts at t0). -ENOMEM. */
int slide_add(struct slide *w, uint64_t now, size_t id, uint64_t v);
/*
 * Add v nanoseconds of a time span that ended at now (a finished wait):
 * each second gets its part of [now - v, now]; what lies before the ring's
 * reach (SLIDE_MAX_SECS s) or before t0 is dropped. -ENOMEM.
 */
int slide_add_back(struct slide *w, uint64_t now, size_t id, uint64_t v);
/* out[id] += the window's value of id, for id < nids. */
void slide_sum(const struct slide *w, uint64_t now, uint64_t *out, size_t nids);
/* live[id] = 1 for each id < nids with a value in the ring's reach at now (any W). */
void slide_live(const struct slide *w, uint64_t now, uint8_t *live, size_t nids);
/* Renumber: id becomes map[id]; cells whose map[id] is SIZE_MAX (or id >= nids) go. */
void slide_remap(struct slide *w, const size_t *map, size_t nids);
/* The time the window covers at now: min(now - t0, W s). */
uint64_t slide_span_ns(const struct slide *w, uint64_t now);
void slide_free(struct slide *w);

#endif
