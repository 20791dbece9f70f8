/*
 * tab_locals.c: the Locals tab of a process's screen: the variables of the
 * frame chosen in the Stack tab (ctx->selected_tid / selected_frame; the
 * innermost frame with debug info of the main thread when none is chosen)
 * as a tree. Enter expands a struct, union or array one level; `e` edits
 * the selected scalar after a confirmation that shows the old value, the
 * new one and where the write goes; `u` undoes the last poke. After a poke
 * the tab shows the value read back and whether the thread left the frame.
 *
 * All target work (walk, read, poke, watch) runs as jobs on this tab's own
 * process's target (target.h), whose thread alone touches the debug_proc; results come
 * back through the target's fd. The UI never waits on the process.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <whytop/locals.h>
#include <whytop/stack.h>
#include <whytop/target.h>

#include "ui/tab.h"
#include "ui/ui_int.h"

#define LT_MAX_EXPAND 64
#define LT_WATCH_MS 500

enum lt_kind { LT_READ, LT_POKE, LT_UNDO };

struct lt_state;

/* One job for the target's thread; results are filled in by run, taken by done. */
struct lt_job {
	struct lt_state *st;
	enum lt_kind kind;
	pid_t pid, tid;
	int frame;     /* wanted frame index, -1: innermost with debug info */
	bool have_old; /* old: the activation to find again (poke, undo, re-read) */
	struct locals_frame old;
	char *expand[LT_MAX_EXPAND];
	size_t nexpand;
	char path[256], text[128];
	struct poke_result res; /* in: for undo; out: the poke's result */
	/* Results. */
	int rc;
	struct wt_err err;
	struct locals *l;
	struct locals_frame lf;
	char fname[128];
	enum poke_outcome outcome;
	bool watched;
	struct wt_err watch_err; /* why the thread could not be watched */
};

struct lt_state {
	struct tab_ctx *ctx; /* lives as long as the screen, longer than us */
	struct target *tr; /* the process's target (ctx->target), shared with the other tabs */
	struct debug_proc *dp; /* the target's thread only */
	unsigned busy;	       /* jobs queued or running */
	bool active;
	struct locals *l;	/* what is shown */
	struct locals_frame lf; /* the frame it came from */
	bool have_lf;
	char fname[128];
	char error[512];
	pid_t want_tid; /* what ctx selected when we last read */
	int want_frame;
	char *expand[LT_MAX_EXPAND];
	size_t nexpand;
	struct ui_list list;
	/* The last poke, for `u` and for the line that says what happened. */
	struct poke_result last;
	bool have_last;
	char last_line[640];
	bool last_bad;
};

/* ---- on the target's thread ---- */

static int lt_walk(struct lt_job *j, struct stack **stp)
{
	struct stack_opts so = {.only_tid = j->tid};
	if (!j->st->dp && debug_proc_open(j->pid, &j->st->dp, &j->err) < 0)
		return -1;
	if (debug_proc_refresh(j->st->dp, &j->err) < 0)
		return -1;
	return locals_walk(j->st->dp, &so, stp, &j->err);
}

/* The frame to use in a fresh walk: the same activation, or by index. */
static int lt_pick(struct lt_job *j, const struct stack *stk)
{
	struct debug_proc *dp = j->st->dp;
	if (j->have_old && j->kind == LT_UNDO)
		return poke_undo_frame(dp, stk, &j->old, &j->res, &j->lf, &j->err);
	if (j->have_old) {
		int r = locals_frame_again(dp, stk, &j->old, &j->lf, &j->err);
		/*
		 * A read whose frame has returned (a short helper, called again
		 * and again) shows what the selection names now rather than an
		 * empty list; a poke into it is refused.
		 */
		if (r != -ENOENT || j->kind != LT_READ)
			return r;
		memset(&j->err, 0, sizeof(j->err));
	}
	return locals_pick_frame(dp, stk, j->tid, j->frame, NULL, NULL, &j->lf, &j->err);
}

static void lt_name_frame(struct lt_job *j, const struct stack *stk)
{
	snprintf(j->fname, sizeof(j->fname), "??");
	for (size_t i = 0; i < stk->nthreads; i++)
		if (stk->threads[i].tid == j->lf.tid &&
		    (size_t)j->lf.index < stk->threads[i].nframes &&
		    stk->threads[i].frames[j->lf.index].function)
			snprintf(j->fname, sizeof(j->fname), "%s",
				 stk->threads[i].frames[j->lf.index].function);
}

static void lt_run(void *arg)
{
	struct lt_job *j = arg;
	struct stack *stk = NULL;

	j->rc = lt_walk(j, &stk);
	if (j->rc == 0)
		j->rc = lt_pick(j, stk);
	if (j->rc == 0) {
		lt_name_frame(j, stk);
		if (j->kind == LT_READ) {
			struct locals_opts o = {.expand = (const char *const *)j->expand,
						.nexpand = j->nexpand};
			j->rc = locals_read(j->st->dp, &j->lf, &o, &j->l, &j->err);
		} else {
			if (j->kind == LT_POKE)
				j->rc = poke_write(j->st->dp, &j->lf, j->path, j->text, &j->res,
						   &j->err);
			else
				j->rc = poke_undo(j->st->dp, &j->lf, &j->res, &j->err);
			if (j->rc == 0) {
				j->watched = poke_watch(j->st->dp, &j->lf, LT_WATCH_MS, &j->outcome,
							&j->watch_err) == 0;
			}
		}
	}
	if (stk)
		stack_free(stk);
}

/* ---- on the UI thread ---- */

static void lt_job_free(struct lt_job *j)
{
	for (size_t i = 0; i < j->nexpand; i++)
		free(j->expand[i]);
	locals_free(j->l);
	poke_result_free(&j->res);
	free(j);
}

static void lt_read(struct tab_ctx *ctx, struct lt_state *st);

static void lt_done(void *arg)
{
	struct lt_job *j = arg;
	struct lt_state *st = j->st;

	if (target_cancelled(st->tr)) {
		lt_job_free(j);
		return;
	}
	st->busy--;
	if (j->kind == LT_READ) {
		if (j->rc < 0) {
			snprintf(st->error, sizeof(st->error), "%s", j->err.msg);
			/* Keep the last values of a process that exited: the draw says so. */
			if (j->err.code != ESRCH) {
				locals_free(st->l);
				st->l = NULL;
			}
			/* The activation is gone: next time choose by the selection again. */
			st->have_lf = false;
		} else {
			st->error[0] = '\0';
			locals_free(st->l);
			st->l = j->l;
			j->l = NULL;
			st->lf = j->lf;
			st->have_lf = true;
			memcpy(st->fname, j->fname, sizeof(st->fname));
			st->list.n = st->l->nvars;
			ui_list_clamp(&st->list);
		}
	} else if (j->rc < 0) {
		if (j->kind == LT_UNDO) {
			/* Nothing was written: the poke can still be undone later. */
			st->last = j->res;
			memset(&j->res, 0, sizeof(j->res));
			st->have_last = true;
		}
		snprintf(st->last_line, sizeof(st->last_line), "%s failed: %s",
			 j->kind == LT_POKE ? "Poke" : "Undo", j->err.msg);
		st->last_bad = true;
	} else {
		const struct poke_result *r = &j->res;
		char unwatched[300] = "";
		if (!j->watched)
			snprintf(unwatched, sizeof(unwatched),
				 "; then the thread could not be watched: %.200s", j->watch_err.msg);
		const char *after =
		    !j->watched			     ? unwatched
		    : j->outcome == POKE_THREAD_GONE ? "; then the thread exited"
		    : j->outcome == POKE_LEFT_FRAME  ? "; then the thread left the frame"
		    : j->outcome == POKE_STOPPED     ? "; the process is stopped (T): it acts "
						       "on it when continued"
						     : "; the thread is still in the frame";
		snprintf(st->last_line, sizeof(st->last_line),
			 "%s %s: %s -> %s, read back %s (%s)%s%s",
			 j->kind == LT_POKE ? "Poked" : "Undid", r->path, r->old_value,
			 r->new_value, r->took ? "as written" : "DIFFERENT", r->where, after,
			 j->kind == LT_POKE && j->outcome != POKE_THREAD_GONE ? "  u: undo" : "");
		st->last_bad = !r->took;
		poke_result_free(&st->last);
		st->last = j->res;
		memset(&j->res, 0, sizeof(j->res));
		st->have_last = j->kind == LT_POKE;
		if (r->note)
			snprintf(st->last_line + strlen(st->last_line),
				 sizeof(st->last_line) - strlen(st->last_line), "  (%s)", r->note);
	}
	/* Show what the variables hold now (after a poke, at once). */
	if (j->kind != LT_READ && st->active)
		lt_read(st->ctx, st);
	lt_job_free(j);
}

static void lt_submit(struct tab_ctx *ctx, struct lt_state *st, struct lt_job *j)
{
	j->st = st;
	j->pid = ctx->pid;
	if (target_submit(st->tr, lt_run, lt_done, j) < 0) {
		tab_error(ctx, "Locals: cannot queue work for the tracer thread");
		lt_job_free(j);
		return;
	}
	st->busy++;
}

/* Read the variables of the frame ctx selects (or the one shown, again). */
static void lt_read(struct tab_ctx *ctx, struct lt_state *st)
{
	struct lt_job *j;
	if (st->busy || ctx->process_gone)
		return;
	j = calloc(1, sizeof(*j));
	if (!j)
		return;
	j->kind = LT_READ;
	j->tid = ctx->selected_tid;
	j->frame = ctx->selected_tid ? ctx->selected_frame : -1;
	/* The same selection as last time: follow that activation, not an index. */
	if (st->have_lf && st->want_tid == ctx->selected_tid &&
	    st->want_frame == ctx->selected_frame) {
		j->have_old = true;
		j->old = st->lf;
		j->tid = st->lf.tid;
	} else if (ctx->stack && ctx->selected_tid && ctx->selected_frame >= 0 &&
		   locals_frame_from_stack(ctx->stack, ctx->selected_tid, ctx->selected_frame,
					   &j->old, NULL) == 0) {
		/* The frame the Stack tab shows: find that activation in our own walk. */
		j->have_old = true;
	}
	st->want_tid = ctx->selected_tid;
	st->want_frame = ctx->selected_frame;
	for (size_t i = 0; i < st->nexpand; i++)
		if ((j->expand[j->nexpand] = strdup(st->expand[i])))
			j->nexpand++;
	lt_submit(ctx, st, j);
}

static int lt_open(struct tab_ctx *ctx, void **state)
{
	struct lt_state *st = calloc(1, sizeof(*st));
	struct wt_err err = {0};
	if (!st)
		return -ENOMEM;
	if (!(st->tr = tab_target(ctx, &err))) {
		free(st);
		return -(err.code ? err.code : EAGAIN);
	}
	st->want_frame = -2;
	st->ctx = ctx;
	*state = st;
	lt_read(ctx, st);
	return 0;
}

static void lt_close(struct tab_ctx *ctx, void *state)
{
	struct lt_state *st = state;
	/* The screen ran the jobs queued so far and their done functions: nobody uses dp. */
	if (st->dp)
		debug_proc_close(st->dp);
	locals_free(st->l);
	for (size_t i = 0; i < st->nexpand; i++)
		free(st->expand[i]);
	poke_result_free(&st->last);
	free(st);
}

static void lt_row(void *arg, WINDOW *win, int y, size_t row, bool selected)
{
	struct lt_state *st = arg;
	const struct locals_var *v = &st->l->vars[row];
	int w = getmaxx(win), x = 1 + 2 * v->depth;
	int a = selected ? ui_attr(UI_E_SELECTED) : ui_attr(UI_E_NORMAL);
	char buf[1024];

	if (selected)
		ui_fill(win, y, 0, a);
	x += ui_put(win, y, x, 2, a, v->expandable ? (v->expanded ? "- " : "+ ") : "  ");
	snprintf(buf, sizeof(buf), "%s = ", v->name);
	x += ui_put(win, y, x, w - x, selected ? a : ui_attr(UI_E_LABEL), buf);
	if (v->value)
		snprintf(buf, sizeof(buf), "%s", v->value);
	else
		snprintf(buf, sizeof(buf), "<%s>", locals_loc_name(v->loc));
	x += ui_put(win, y, x, w - x - 1, selected ? a : ui_attr(UI_E_VALUE), buf);
	snprintf(buf, sizeof(buf), "   %s  %s%s", v->type, locals_scope_name(v->scope),
		 v->writable ? "" : "  read-only");
	if (x < w - 4)
		ui_put(win, y, x, w - x - 1, selected ? a : ui_attr(UI_E_DIM), buf);
}

static void lt_draw(struct tab_ctx *ctx, void *state, WINDOW *win)
{
	struct lt_state *st = state;
	int h = getmaxy(win), w = getmaxx(win);
	char buf[768];

	if (st->l) {
		snprintf(buf, sizeof(buf), " Thread %d, frame %d: %s", (int)st->l->tid,
			 st->l->frame, st->l->function ? st->l->function : st->fname);
		int x = ui_put(win, 0, 0, w, ui_attr(UI_E_TITLE), buf);
		if (st->l->file) {
			snprintf(buf, sizeof(buf), "  at %s:%d", st->l->file, st->l->line);
			x += ui_put(win, 0, x, w - x, ui_attr(UI_E_DIM), buf);
		}
		if (st->busy)
			ui_put(win, 0, x, w - x, ui_attr(UI_E_DIM), "  (reading)");
	} else {
		ui_put(win, 0, 1, w - 1, ui_attr(UI_E_DIM),
		       st->busy ? "Reading the frame's variables..." : "");
	}
	/* One line: the exit says more than the error it caused. */
	if (ctx->process_gone)
		ui_put(win, 1, 1, w - 1, ui_attr(UI_E_WARNING),
		       st->l ? "The process has exited; these are the last values read."
			     : "The process has exited.");
	else if (st->error[0])
		ui_put(win, 1, 1, w - 1, ui_attr(UI_E_ERROR), st->error);
	int list_h = h - 5;
	if (st->l && list_h > 0) {
		st->list.height = list_h;
		ui_list_draw(&st->list, win, 2, list_h, lt_row, st);
	}
	/* The selected variable's place and notes, then what the last poke did. */
	if (st->l && st->list.n && st->list.sel < st->l->nvars && h > 4) {
		const struct locals_var *v = &st->l->vars[st->list.sel];
		snprintf(buf, sizeof(buf), " %s: %s; %s%s%s", v->path, locals_loc_name(v->loc),
			 v->where, v->note ? "; " : "", v->note ? v->note : "");
		ui_put(win, h - 2, 0, w, ui_attr(v->note ? UI_E_WARNING : UI_E_DIM), buf);
	}
	if (st->last_line[0] && h > 3)
		ui_put(win, h - 1, 1, w - 1, ui_attr(st->last_bad ? UI_E_ERROR : UI_E_VALUE),
		       st->last_line);
}

static bool lt_is_expanded(struct lt_state *st, const char *path, size_t *at)
{
	for (size_t i = 0; i < st->nexpand; i++)
		if (strcmp(st->expand[i], path) == 0) {
			*at = i;
			return true;
		}
	return false;
}

static unsigned lt_toggle(struct tab_ctx *ctx, struct lt_state *st)
{
	const struct locals_var *v;
	size_t at;
	if (!st->l || st->list.sel >= st->l->nvars)
		return UI_NONE;
	v = &st->l->vars[st->list.sel];
	if (!v->expandable)
		return UI_NONE;
	if (lt_is_expanded(st, v->path, &at)) {
		free(st->expand[at]);
		st->expand[at] = st->expand[--st->nexpand];
	} else if (st->nexpand < LT_MAX_EXPAND) {
		st->expand[st->nexpand++] = strdup(v->path);
	}
	lt_read(ctx, st);
	return UI_REDRAW;
}

/*
 * An enum: pick one of its names from a menu (the last item lets the user
 * type a number instead). 1 with value filled when a name was chosen, 0 to
 * type a number, -1 when cancelled.
 */
static int lt_pick_choice(const char *title, const struct locals_var *v, char *value, size_t size)
{
	const char *items[65];
	char *copy = strdup(v->choices), *save = NULL;
	int n = 0, initial = 0, pick, chosen = 0;

	if (!copy)
		return 0;
	for (char *t = strtok_r(copy, "\n", &save); t && n < 64; t = strtok_r(NULL, "\n", &save)) {
		if (v->value && strcmp(v->value, t) == 0)
			initial = n;
		items[n++] = t;
	}
	items[n] = "(type a number)";
	pick = ui_dialog_menu(title, items, n + 1, initial);
	if (pick >= 0 && pick < n) {
		snprintf(value, size, "%s", items[pick]);
		chosen = 1;
	} else if (pick < 0) {
		chosen = -1;
	}
	free(copy);
	return chosen;
}

static unsigned lt_edit(struct tab_ctx *ctx, struct lt_state *st)
{
	const struct locals_var *v;
	char value[128] = "", text[1024], title[64];
	struct lt_job *j;

	if (!st->l || st->list.sel >= st->l->nvars || !st->have_lf)
		return UI_NONE;
	v = &st->l->vars[st->list.sel];
	if (!v->writable) {
		tab_error(ctx, "%s cannot be poked: %s", v->path,
			  v->note	  ? v->note
			  : v->expandable ? "poke a member or element"
					  : locals_loc_name(v->loc));
		return UI_REDRAW;
	}
	snprintf(title, sizeof(title), "Poke %.50s", v->path);
	snprintf(text, sizeof(text), "New value for %s (%s):", v->path, v->type);
	int picked = v->choices ? lt_pick_choice(title, v, value, sizeof(value)) : 0;
	if (picked < 0 ||
	    (picked == 0 && (!ui_dialog_input(title, text, value, sizeof(value)) || !value[0]))) {
		tab_status(ctx, "Cancelled: %s was not poked", v->path);
		return UI_REDRAW;
	}
	snprintf(text, sizeof(text),
		 "Write %s into %s (%s)?\n"
		 "old value: %s\n"
		 "new value: %s\n"
		 "where: %s, frame %d %s, thread %d\n"
		 "The value is read back, then the thread is watched for %d ms.",
		 value, v->path, v->type, v->value ? v->value : "?", value, v->where, st->lf.index,
		 st->fname, (int)st->lf.tid, LT_WATCH_MS);
	if (!ui_dialog_confirm("Confirm poke", text)) {
		tab_status(ctx, "Cancelled: %s was not poked", v->path);
		return UI_REDRAW;
	}
	j = calloc(1, sizeof(*j));
	if (!j)
		return UI_REDRAW;
	j->kind = LT_POKE;
	j->tid = st->lf.tid;
	j->have_old = true;
	j->old = st->lf;
	snprintf(j->path, sizeof(j->path), "%s", v->path);
	snprintf(j->text, sizeof(j->text), "%s", value);
	snprintf(st->last_line, sizeof(st->last_line), "Poking %s = %s ...", v->path, value);
	st->last_bad = false;
	lt_submit(ctx, st, j);
	return UI_REDRAW;
}

static unsigned lt_undo(struct tab_ctx *ctx, struct lt_state *st)
{
	struct lt_job *j;
	char text[512];

	if (!st->have_last || !st->have_lf) {
		tab_error(ctx, "Nothing to undo");
		return UI_REDRAW;
	}
	snprintf(text, sizeof(text), "Write %s back into %s?\n(it is %s now; %s)",
		 st->last.old_value, st->last.path, st->last.new_value, st->last.where);
	if (!ui_dialog_confirm("Undo poke", text)) {
		tab_status(ctx, "Cancelled: %s keeps its poked value", st->last.path);
		return UI_REDRAW;
	}
	j = calloc(1, sizeof(*j));
	if (!j)
		return UI_REDRAW;
	j->kind = LT_UNDO;
	j->tid = st->lf.tid;
	j->have_old = true;
	j->old = st->lf;
	j->res = st->last;
	memset(&st->last, 0, sizeof(st->last));
	st->have_last = false;
	lt_submit(ctx, st, j);
	return UI_REDRAW;
}

static unsigned lt_key(struct tab_ctx *ctx, void *state, int key)
{
	struct lt_state *st = state;
	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		return lt_toggle(ctx, st);
	case 'e':
	case 'u':
		if (ctx->readonly) {
			tab_error(ctx, "whytop runs with --readonly: poking variables is off");
			return UI_REDRAW;
		}
		return key == 'e' ? lt_edit(ctx, st) : lt_undo(ctx, st);
	case 'r':
		lt_read(ctx, st);
		return UI_REDRAW;
	default:
		break;
	}
	if (key != KEY_LEFT && key != KEY_RIGHT && ui_list_key(&st->list, key))
		return UI_REDRAW;
	return UI_UNHANDLED;
}

static unsigned lt_tick(struct tab_ctx *ctx, void *state)
{
	struct lt_state *st = state;
	/* Only the visible tab reads: each read holds the thread for a walk. */
	if (st->active && !ctx->process_gone)
		lt_read(ctx, st);
	return UI_NONE;
}

static void lt_focus(struct tab_ctx *ctx, void *state, bool active)
{
	struct lt_state *st = state;
	st->active = active;
	if (active && (st->want_tid != ctx->selected_tid || st->want_frame != ctx->selected_frame))
		lt_read(ctx, st);
}

const struct tab_ops tab_locals_ops = {
    .name = "Locals",
    .open = lt_open,
    .close = lt_close,
    .draw = lt_draw,
    .key = lt_key,
    .tick = lt_tick,
    .focus = lt_focus,
    .help = "Enter: expand  e: edit  u: undo  r: reread",
};
