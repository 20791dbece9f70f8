/*
 * slide.c: a sliding window of counts in one-second buckets (slide.h).
 * The ring has W + 1 slots at least, so the buckets a window at now needs
 * (the seconds c - W .. c, c the current one) are all there; a slot met
 * with an older second is emptied before reuse.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/profile/slide.h"

#define SLIDE_SLOTS (SLIDE_MAX_SECS + 1)

static unsigned slide_clamp(unsigned secs)
{
	return secs < 1 ? 1 : secs > SLIDE_MAX_SECS ? SLIDE_MAX_SECS : secs;
}

void slide_init(struct slide *w, unsigned secs, uint64_t now)
{
	memset(w, 0, sizeof(*w));
	w->secs = slide_clamp(secs);
	w->t0 = now;
	for (size_t i = 0; i < SLIDE_SLOTS; i++)
		w->b[i].sec = UINT64_MAX; /* holds no second */
}

void slide_set_secs(struct slide *w, unsigned secs)
{
	w->secs = slide_clamp(secs);
}

void slide_clear(struct slide *w, uint64_t now)
{
	for (size_t i = 0; i < SLIDE_SLOTS; i++) {
		w->b[i].n = 0;
		w->b[i].sec = UINT64_MAX;
	}
	w->t0 = now;
}

static uint64_t slide_sec(const struct slide *w, uint64_t now)
{
	return now > w->t0 ? (now - w->t0) / SLIDE_SEC_NS : 0;
}

int slide_add(struct slide *w, uint64_t now, size_t id, uint64_t v)
{
	uint64_t sec = slide_sec(w, now);
	struct slide_bucket *b = &w->b[sec % SLIDE_SLOTS];
	if (b->sec != sec) {
		b->sec = sec;
		b->n = 0;
	}
	/* ids come in runs (a hot stack): look at the last few cells first */
	for (size_t i = b->n; i-- > 0 && i + 8 >= b->n;) {
		if (b->cells[i].id == id) {
			b->cells[i].v += v;
			return 0;
		}
	}
	for (size_t i = 0; i + 8 < b->n; i++) {
		if (b->cells[i].id == id) {
			b->cells[i].v += v;
			return 0;
		}
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		struct slide_cell *c = realloc(b->cells, cap * sizeof(*c));
		if (!c)
			return -ENOMEM;
		b->cells = c;
		b->cap = cap;
	}
	b->cells[b->n++] = (struct slide_cell){id, v};
	return 0;
}

int slide_add_back(struct slide *w, uint64_t now, size_t id, uint64_t v)
{
	uint64_t el = now > w->t0 ? now - w->t0 : 0, c = el / SLIDE_SEC_NS;
	/* the oldest second the ring holds apart from the current one */
	uint64_t lo = c > SLIDE_MAX_SECS ? (c - SLIDE_MAX_SECS) * SLIDE_SEC_NS : 0;
	uint64_t start = el > v ? el - v : 0;
	if (start < lo)
		start = lo;
	for (uint64_t t = el; t > start;) {
		uint64_t sec = (t - 1) / SLIDE_SEC_NS, from = sec * SLIDE_SEC_NS;
		if (from < start)
			from = start;
		int r = slide_add(w, w->t0 + from, id, t - from);
		if (r < 0)
			return r;
		t = from;
	}
	return 0;
}

void slide_sum(const struct slide *w, uint64_t now, uint64_t *out, size_t nids)
{
	uint64_t c = slide_sec(w, now);
	uint64_t el = now > w->t0 ? now - w->t0 : 0;
	uint64_t wns = (uint64_t)w->secs * SLIDE_SEC_NS;
	/* the oldest second in the window and the nanoseconds of it still inside */
	uint64_t first = c >= w->secs ? c - w->secs : 0, keep = SLIDE_SEC_NS;
	if (el > wns)
		keep = (first + 1) * SLIDE_SEC_NS - (el - wns);
	for (size_t i = 0; i < SLIDE_SLOTS; i++) {
		const struct slide_bucket *b = &w->b[i];
		if (b->sec == UINT64_MAX || b->sec < first || b->sec > c)
			continue;
		for (size_t k = 0; k < b->n; k++) {
			if (b->cells[k].id >= nids)
				continue;
			uint64_t v = b->cells[k].v;
			if (b->sec == first && keep < SLIDE_SEC_NS)
				v = (uint64_t)((unsigned __int128)v * keep / SLIDE_SEC_NS);
			out[b->cells[k].id] += v;
		}
	}
}

void slide_live(const struct slide *w, uint64_t now, uint8_t *live, size_t nids)
{
	uint64_t c = slide_sec(w, now), first = c > SLIDE_MAX_SECS ? c - SLIDE_MAX_SECS : 0;
	for (size_t i = 0; i < SLIDE_SLOTS; i++) {
		const struct slide_bucket *b = &w->b[i];
		if (b->sec == UINT64_MAX || b->sec < first || b->sec > c)
			continue;
		for (size_t k = 0; k < b->n; k++)
			if (b->cells[k].id < nids)
				live[b->cells[k].id] = 1;
	}
}

void slide_remap(struct slide *w, const size_t *map, size_t nids)
{
	for (size_t i = 0; i < SLIDE_SLOTS; i++) {
		struct slide_bucket *b = &w->b[i];
		size_t out = 0;
		for (size_t k = 0; k < b->n; k++) {
			size_t id = b->cells[k].id;
			if (id >= nids || map[id] == SIZE_MAX)
				continue;
			b->cells[out].id = map[id];
			b->cells[out++].v = b->cells[k].v;
		}
		b->n = out;
	}
}

uint64_t slide_span_ns(const struct slide *w, uint64_t now)
{
	uint64_t el = now > w->t0 ? now - w->t0 : 0, wns = (uint64_t)w->secs * SLIDE_SEC_NS;
	return el < wns ? el : wns;
}

void slide_free(struct slide *w)
{
	for (size_t i = 0; i < SLIDE_SLOTS; i++) {
		free(w->b[i].cells);
		w->b[i].cells = NULL;
		w->b[i].n = w->b[i].cap = 0;
	}
}
