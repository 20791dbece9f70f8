/*
 * ring.c: the last records of a trace session as lines, for a screen
 * (the Syscalls tab's log). A call is one line from its entry to its
 * exit: at entry its text is the arguments known so far and " ...", at
 * exit it is formatted again whole, from the entry's copy (arguments,
 * strings captured at entry) and the exit's record (result, outputs). The
 * lines live in a circular array; the oldest go once max are kept.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <whytop/decode.h>
#include <whytop/sysnames.h>
#include <whytop/trace.h>

/* A call in progress: the entry's record, its captures copied. */
struct pending {
	pid_t tid;
	uint64_t serial; /* of its line */
	struct scev ev;
	unsigned char *data[SCEV_MAX_CAPS];
};

struct trace_ring {
	struct trace_line *lines; /* max slots */
	size_t max, start, count;
	uint64_t serial; /* lines ever added */
	uint64_t lost;	 /* events the backend lost */
	struct sysdecode_opts opts;
	struct pending *pend;
	size_t npend, cappend;
};

struct trace_ring *trace_ring_new(size_t max, const struct sysdecode_opts *o)
{
	struct trace_ring *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->max = max ? max : 1;
	r->lines = calloc(r->max, sizeof(*r->lines));
	if (!r->lines) {
		free(r);
		return NULL;
	}
	if (o)
		r->opts = *o;
	else
		r->opts.strsize = 32;
	return r;
}

static void pending_free(struct pending *p)
{
	for (unsigned i = 0; i < SCEV_MAX_CAPS; i++)
		free(p->data[i]);
}

void trace_ring_clear(struct trace_ring *r)
{
	for (size_t i = 0; i < r->count; i++) {
		struct trace_line *l = &r->lines[(r->start + i) % r->max];
		free(l->text);
		free(l->stack);
		l->text = l->stack = NULL;
	}
	r->start = r->count = 0;
	for (size_t i = 0; i < r->npend; i++)
		pending_free(&r->pend[i]);
	r->npend = 0;
}

void trace_ring_free(struct trace_ring *r)
{
	if (!r)
		return;
	trace_ring_clear(r);
	free(r->pend);
	free(r->lines);
	free(r);
}

size_t trace_ring_count(const struct trace_ring *r)
{
	return r->count;
}

const struct trace_line *trace_ring_get(const struct trace_ring *r, size_t i)
{
	return i < r->count ? &r->lines[(r->start + i) % r->max] : NULL;
}

uint64_t trace_ring_serial(const struct trace_ring *r)
{
	return r->serial;
}

uint64_t trace_ring_lost(const struct trace_ring *r)
{
	return r->lost;
}

/* The line of serial s, if still kept. */
static struct trace_line *line_of(struct trace_ring *r, uint64_t s)
{
	uint64_t first = r->serial - r->count;
	if (s < first || s >= r->serial)
		return NULL;
	return &r->lines[(r->start + (size_t)(s - first)) % r->max];
}

static struct trace_line *line_new(struct trace_ring *r)
{
	struct trace_line *l;
	if (r->count == r->max) {
		l = &r->lines[r->start];
		free(l->text);
		free(l->stack);
		r->start = (r->start + 1) % r->max;
		r->count--;
	}
	l = &r->lines[(r->start + r->count) % r->max];
	memset(l, 0, sizeof(*l));
	r->count++;
	r->serial++;
	return l;
}

static struct pending *pending_find(struct trace_ring *r, pid_t tid)
{
	for (size_t i = 0; i < r->npend; i++)
		if (r->pend[i].tid == tid)
			return &r->pend[i];
	return NULL;
}

static void pending_drop(struct trace_ring *r, struct pending *p)
{
	pending_free(p);
	*p = r->pend[--r->npend];
}

static void call_name(struct trace_line *l, uint32_t arch, long nr)
{
	char buf[48];
	snprintf(l->name, sizeof(l->name), "%s", sysname(arch, nr, buf, sizeof(buf)));
}

static void add_entry(struct trace_ring *r, const struct trace_rec *rec)
{
	struct pending *p = pending_find(r, rec->tid);
	if (p) /* an entry with no exit (the exit was lost): its line stays unfinished */
		pending_drop(r, p);
	struct trace_line *l = line_new(r);
	l->kind = TRACE_SYSCALL;
	l->pid = rec->pid;
	l->tid = rec->tid;
	l->arch = rec->sc.arch;
	l->nr = rec->sc.nr;
	l->t_ns = rec->sc.t_entry_ns ? rec->sc.t_entry_ns : rec->t_ns;
	l->classes = sysdecode_classes(rec->sc.arch, rec->sc.nr);
	call_name(l, rec->sc.arch, rec->sc.nr);
	struct wt_buf b;
	wt_buf_init(&b);
	sysdecode_format(&rec->sc, SCEV_ENTRY, &r->opts, &b);
	wt_buf_puts(&b, " ...");
	l->text = wt_buf_steal(&b);
	if (rec->stack) {
		wt_buf_init(&b);
		trace_log_stack_text(&b, rec->stack);
		l->stack = wt_buf_steal(&b);
	}

	if (r->npend == r->cappend) {
		size_t cap = r->cappend ? r->cappend * 2 : 16;
		struct pending *np = realloc(r->pend, cap * sizeof(*np));
		if (!np)
			return; /* the line stays as the entry's */
		r->pend = np;
		r->cappend = cap;
	}
	p = &r->pend[r->npend++];
	memset(p, 0, sizeof(*p));
	p->tid = rec->tid;
	p->serial = r->serial - 1;
	p->ev = rec->sc;
	for (unsigned i = 0; i < p->ev.ncap && i < SCEV_MAX_CAPS; i++) {
		struct scev_cap *c = &p->ev.cap[i];
		if (c->len && c->data) {
			p->data[i] = malloc(c->len);
			if (p->data[i])
				memcpy(p->data[i], c->data, c->len);
			else
				c->state = SCEV_CAP_NONE, c->len = 0;
		}
		c->data = p->data[i];
	}
}

static void add_exit(struct trace_ring *r, const struct trace_rec *rec)
{
	struct pending *p = pending_find(r, rec->tid);
	struct trace_line *l = p ? line_of(r, p->serial) : NULL;
	struct wt_buf b;
	wt_buf_init(&b);
	if (p && l) {
		/* the whole call: the entry's arguments and inputs, the exit's result and outputs */
		struct scev ev = p->ev;
		ev.part = SCEV_BOTH;
		ev.ret = rec->sc.ret;
		ev.t_exit_ns = rec->sc.t_exit_ns;
		unsigned n = 0;
		for (unsigned i = 0; i < p->ev.ncap && n < SCEV_MAX_CAPS; i++)
			if (!p->ev.cap[i].at_exit)
				ev.cap[n++] = p->ev.cap[i];
		for (unsigned i = 0; i < rec->sc.ncap && n < SCEV_MAX_CAPS; i++)
			if (rec->sc.cap[i].at_exit)
				ev.cap[n++] = rec->sc.cap[i];
		ev.ncap = n;
		sysdecode_format(&ev, SCEV_BOTH, &r->opts, &b);
		free(l->text);
	} else {
		/* its entry came before the log began, or its line is gone */
		l = line_new(r);
		l->kind = TRACE_SYSCALL;
		l->pid = rec->pid;
		l->tid = rec->tid;
		l->arch = rec->sc.arch;
		l->nr = rec->sc.nr;
		l->t_ns = rec->t_ns;
		l->classes = sysdecode_classes(rec->sc.arch, rec->sc.nr);
		call_name(l, rec->sc.arch, rec->sc.nr);
		wt_buf_printf(&b, "<... %s resumed>", l->name);
		sysdecode_format(&rec->sc, SCEV_EXIT, &r->opts, &b);
	}
	if (rec->injected & TRACE_INJ_TAMPERED) /* fault injection, as strace marks it */
		wt_buf_puts(&b, " (INJECTED)");
	if (rec->injected & TRACE_INJ_DELAYED)
		wt_buf_puts(&b, " (DELAYED)");
	l->text = wt_buf_steal(&b);
	l->done = true;
	l->failed = rec->sc.ret < 0 && rec->sc.ret >= -4095;
	if (rec->sc.t_exit_ns && l->t_ns && rec->sc.t_exit_ns >= l->t_ns)
		l->dur_ns = rec->sc.t_exit_ns - l->t_ns;
	if (p)
		pending_drop(r, p);
}

void trace_ring_add(struct trace_ring *r, const struct trace_rec *rec)
{
	struct trace_line *l;
	struct wt_buf b;
	switch (rec->kind) {
	case TRACE_SYSCALL:
		if (rec->sc.part == SCEV_BOTH) {
			add_entry(r, rec);
			add_exit(r, rec);
		} else if (rec->sc.part & SCEV_ENTRY) {
			add_entry(r, rec);
		} else {
			add_exit(r, rec);
		}
		return;
	case TRACE_ATTACH:
		return;
	case TRACE_SIGNAL:
	case TRACE_EXIT:
	case TRACE_LOST:
		break;
	}
	l = line_new(r);
	l->kind = rec->kind;
	l->pid = rec->pid;
	l->tid = rec->tid;
	l->t_ns = rec->t_ns;
	wt_buf_init(&b);
	trace_event_text(&b, rec);
	if (rec->kind == TRACE_SIGNAL) {
		int s = rec->si.si_signo;
		l->failed = s == SIGSEGV || s == SIGBUS || s == SIGILL || s == SIGFPE ||
			    s == SIGABRT;
	} else if (rec->kind == TRACE_EXIT) {
		l->failed = WIFSIGNALED(rec->status);
		struct pending *p = pending_find(r, rec->tid);
		if (p)
			pending_drop(r, p);
	} else {
		r->lost += rec->lost;
		l->failed = true;
	}
	l->text = wt_buf_steal(&b);
}

static bool word_matches(const struct trace_line *l, const char *w, size_t n)
{
	if (n == 0)
		return l->failed;
	if (w[0] == '%') {
		unsigned cls = sysdecode_class_named(w + 1, n - 1);
		return cls && (l->classes & cls);
	}
	/* a part of the call's name; other lines by their text */
	const char *hay = l->kind == TRACE_SYSCALL ? l->name : (l->text ? l->text : "");
	for (const char *p = hay; *p; p++)
		if (strncmp(p, w, n) == 0)
			return true;
	return false;
}

bool trace_line_matches(const struct trace_line *l, const char *filter)
{
	const char *p = filter ? filter : "";
	for (;;) {
		while (*p == ' ')
			p++;
		if (!*p)
			return true;
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		bool neg = *p == '!';
		const char *w = neg ? p + 1 : p;
		size_t n = (size_t)(e - w);
		bool m = word_matches(l, w, n);
		if (neg && n == 0)
			m = l->failed, neg = false; /* "!" alone: failed calls */
		if (m == neg)
			return false;
		p = e;
	}
}
