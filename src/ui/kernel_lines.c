/*
 * kernel_lines.c: turn a thread's kernel side into coloured lines. The
 * frame a thread is blocked in (the first one that is not the scheduler)
 * is marked, D threads stand out with the theme's D-state colour, and a
 * field the kernel refused shows the reason in the warning colour.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/kernel_lines.h"
#include "ui/ui_int.h"

#define KL_LABEL_W 10

void klines_clear(struct kernel_lines *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->l[i].label);
		free(k->l[i].value);
	}
	k->n = 0;
}

void klines_free(struct kernel_lines *k)
{
	klines_clear(k);
	free(k->l);
	k->l = NULL;
	k->cap = 0;
}

static void klines_add1(struct kernel_lines *k, int x, enum ui_elem lelem, const char *label,
			int vx, enum ui_elem velem, const char *value, size_t vlen, pid_t pid);

/* Columns of UTF-8 text (every character one column: escaped text is mostly ASCII). */
static size_t cols_of(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/* Bytes of s that fit in cols columns, broken after a space if there is one. */
static size_t fit(const char *s, size_t len, size_t cols)
{
	size_t i = 0, c = 0, last_space = 0;
	while (i < len && c < cols) {
		if (s[i] == ' ')
			last_space = i + 1;
		i++;
		while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		c++;
	}
	if (i >= len)
		return len;
	return last_space > cols / 2 ? last_space : i;
}

void klines_add(struct kernel_lines *k, int x, enum ui_elem lelem, const char *label, int vx,
		enum ui_elem velem, const char *value, pid_t pid)
{
	if (!value || k->width <= 0) {
		klines_add1(k, x, lelem, label, vx, velem, value, value ? strlen(value) : 0, pid);
		return;
	}
	int start = vx ? vx : (label ? (int)strlen(label) + 1 : 0);
	int avail = k->width - x - start - 1;
	size_t len = strlen(value);
	if (avail < 20 || cols_of(value, len) <= (size_t)avail) {
		klines_add1(k, x, lelem, label, vx, velem, value, len, pid);
		return;
	}
	const char *p = value;
	bool first = true;
	while (len > 0) {
		size_t n = fit(p, len, (size_t)avail);
		klines_add1(k, x, lelem, first ? label : NULL, start, velem, p, n, pid);
		first = false;
		p += n;
		len -= n;
	}
}

static void klines_add1(struct kernel_lines *k, int x, enum ui_elem lelem, const char *label,
			int vx, enum ui_elem velem, const char *value, size_t vlen, pid_t pid)
{
	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 64;
		struct kernel_line *l = realloc(k->l, cap * sizeof(*l));
		if (!l)
			return;
		k->l = l;
		k->cap = cap;
	}
	struct kernel_line *l = &k->l[k->n++];
	l->x = x;
	l->lelem = lelem;
	l->label = label ? strdup(label) : NULL;
	l->vx = vx;
	l->velem = velem;
	l->value = value ? strndup(value, vlen) : NULL;
	l->pid = pid;
}

static void thread_header(struct kernel_lines *k, const struct kernel_thread *t, int x, pid_t pid)
{
	char head[128], rest[256];
	snprintf(head, sizeof(head), "Thread %d %s", (int)t->tid, t->comm ? t->comm : "?");
	int n = snprintf(rest, sizeof(rest), "%c  %s", t->state, kernel_state_name(t->state));
	if (t->blocked && n > 0 && (size_t)n < sizeof(rest)) {
		char dur[32], since[16];
		struct tm tm;
		localtime_r(&t->blocked_since, &tm);
		strftime(since, sizeof(since), "%H:%M:%S", &tm);
		if (t->blocked_exact)
			snprintf(rest + n, sizeof(rest) - (size_t)n, "   blocked %s (since %s)",
				 kernel_duration_format(t->blocked_ns, dur, sizeof(dur)), since);
		else
			snprintf(rest + n, sizeof(rest) - (size_t)n,
				 "   blocked %s%s (as observed since %s)",
				 kernel_blocked_for_mark(t),
				 kernel_duration_format(t->blocked_ns, dur, sizeof(dur)), since);
	}
	enum ui_elem se = t->state == 'D'   ? UI_E_STATE_D
			  : t->state == 'R' ? UI_E_STATE_R
			  : t->state == 'Z' ? UI_E_STATE_Z
			  : (t->state == 'T' || t->state == 't') ? UI_E_STATE_T
							       : UI_E_VALUE;
	klines_add(k, x, UI_E_TITLE, head, 28, se, rest, pid);
}

void klines_thread(struct kernel_lines *k, const struct kernel_thread *t, int x, pid_t pid)
{
	thread_header(k, t, x, pid);
	int lx = x + 2;
	if (t->wchan)
		klines_add(k, lx, UI_E_LABEL, "wchan", KL_LABEL_W, UI_E_VALUE,
			   t->wchan[0] ? t->wchan : "- (not waiting)", pid);
	else
		klines_add(k, lx, UI_E_LABEL, "wchan", KL_LABEL_W, UI_E_WARNING,
			   t->wchan_error ? t->wchan_error : "unknown", pid);

	if (t->sc.state == KSYS_UNKNOWN)
		klines_add(k, lx, UI_E_LABEL, "syscall", KL_LABEL_W, UI_E_WARNING,
			   t->syscall_error ? t->syscall_error : "unknown", pid);
	else
		klines_add(k, lx, UI_E_LABEL, "syscall", KL_LABEL_W, UI_E_VALUE,
			   t->sc.summary ? t->sc.summary : "?", pid);
	for (int i = 0; t->sc.state == KSYS_IN && i < t->sc.nargs; i++) {
		const struct kernel_sys_arg *a = &t->sc.arg[i];
		if (a->kind != KARG_FD && a->kind != KARG_DIRFD && a->kind != KARG_PATH)
			continue;
		char buf[1200];
		if (a->target)
			snprintf(buf, sizeof(buf), "%s = %s", a->name, a->target);
		else if (a->note)
			snprintf(buf, sizeof(buf), "%s: %s", a->name, a->note);
		else
			continue;
		klines_add(k, lx, UI_E_LABEL, NULL, KL_LABEL_W,
			   a->target ? UI_E_VALUE : UI_E_WARNING, buf, pid);
	}

	if (t->nframes == 0) {
		klines_add(k, lx, UI_E_LABEL, "stack", KL_LABEL_W, UI_E_WARNING,
			   t->stack_error ? t->stack_error : "empty", pid);
		return;
	}
	const struct kernel_frame *key = kernel_blocked_key_frame(t->frames, t->nframes);
	for (size_t i = 0; i < t->nframes; i++) {
		const struct kernel_frame *f = &t->frames[i];
		char buf[512];
		int n = snprintf(buf, sizeof(buf), "%s", f->func);
		if ((f->offset || f->size) && n > 0 && (size_t)n < sizeof(buf))
			n += snprintf(buf + n, sizeof(buf) - (size_t)n, "+0x%" PRIx64 "/0x%" PRIx64,
				      f->offset, f->size);
		if (f->module && n > 0 && (size_t)n < sizeof(buf))
			n += snprintf(buf + n, sizeof(buf) - (size_t)n, " [%s]", f->module);
		bool is_key = f == key && (t->state == 'D' || t->state == 'S');
		if (is_key && n > 0 && (size_t)n < sizeof(buf))
			snprintf(buf + n, sizeof(buf) - (size_t)n, "   <- waits here");
		enum ui_elem e = is_key ? (t->state == 'D' ? UI_E_STATE_D : UI_E_VALUE)
				 : kernel_blocked_frame_generic(f->func) ? UI_E_DIM
									 : UI_E_NORMAL;
		klines_add(k, lx, UI_E_LABEL, i == 0 ? "stack" : NULL, KL_LABEL_W, e, buf, pid);
	}
}

void klines_draw_line(const struct kernel_lines *k, size_t i, WINDOW *win, int y, bool selected)
{
	const struct kernel_line *l = &k->l[i];
	if (selected)
		ui_fill(win, y, 0, ui_attr(UI_E_SELECTED));
	int x = l->x;
	int used = 0;
	if (l->label)
		used =
		    ui_put(win, y, x, -1, ui_attr(selected ? UI_E_SELECTED : l->lelem), l->label);
	if (l->value) {
		int vx = l->vx ? x + l->vx : x + used + (l->label ? 1 : 0);
		if (l->label && vx < x + used + 1)
			vx = x + used + 1;
		ui_put(win, y, vx, -1, ui_attr(selected ? UI_E_SELECTED : l->velem), l->value);
	}
}
