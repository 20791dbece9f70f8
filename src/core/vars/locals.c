/*
 * locals.c: the variables of one frame. Finds the frame's module and CU,
 * the scopes at its pc (dwarf_getscopes: lexical blocks and inlined calls,
 * innermost first), and lists the parameters and locals visible there, the
 * function's statics and the CU's globals, each with its location and
 * formatted value. Members of expanded aggregates follow their parent.
 *
 * The same walk resolves a poke path ("cfg.limit", "arr[3]", "p->x").
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <whytop/attach.h>
#include <whytop/proc.h>

#include "core/proc/parse.h"
#include "core/stack/stack_int.h"
#include "core/vars/vars_int.h"

const char *locals_scope_name(enum locals_scope s)
{
	static const char *const n[] = {"param", "local", "static", "global", "member"};
	return (unsigned)s < WT_ARRAY_SIZE(n) ? n[s] : "?";
}

const char *locals_loc_name(enum locals_loc l)
{
	static const char *const n[] = {"stack",	 "static",	"register",
					"constant",	 "computed",	"optimized out",
					"not live here", "unavailable", "memory"};
	return (unsigned)l < WT_ARRAY_SIZE(n) ? n[l] : "?";
}

/* Check each [addrs[i], addrs[i]+size) against one read of /proc/PID/maps. */
static int vars_loc_maps_check_many(pid_t pid, const uint64_t *addrs, size_t n, uint64_t size,
				    const char *perm, size_t *bad)
{
	char path[64], *maps = NULL;
	size_t len;
	int r = 0;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	/* A process that is exiting has no mappings left. */
	if (wt_read_all_at(AT_FDCWD, path, &maps, &len) < 0 || len == 0) {
		free(maps);
		return -ESRCH;
	}
	for (size_t i = 0; i < n && r == 0; i++) {
		const char *line = maps, *end = maps + len;
		struct proc_map m;
		r = -EFAULT;
		while (line < end) {
			if (proc_parse_maps_line(&line, end, &m) == 0 && addrs[i] >= m.start &&
			    addrs[i] < m.end) {
				r = 0;
				for (const char *q = perm; *q; q++)
					if (!strchr(m.perms, *q))
						r = -EACCES;
				if (r == 0 && addrs[i] + size > m.end)
					r = -EFAULT;
				break;
			}
		}
		if (r && bad)
			*bad = i;
	}
	free(maps);
	return r;
}

int vars_loc_maps_check(pid_t pid, uint64_t addr, uint64_t size, const char *perm)
{
	return vars_loc_maps_check_many(pid, &addr, 1, size, perm, NULL);
}

char vars_loc_thread_state(pid_t pid, pid_t tid)
{
	char c;
	int r = proc_task_stat_read(pid, tid, &c, NULL);
	return r == 0 ? c : r == -EINVAL ? '?' : 0;
}

bool vars_loc_thread_alive(pid_t pid, pid_t tid)
{
	char c = vars_loc_thread_state(pid, tid);
	return c && c != 'Z' && c != 'X';
}

int locals_frame_from_stack(const struct stack *st, pid_t tid, int n, struct locals_frame *out,
			    struct wt_err *err)
{
	const struct stack_thread *th = NULL;
	const struct stack_frame *fr;
	int first;

	for (size_t i = 0; i < st->nthreads; i++)
		if (tid == 0 || st->threads[i].tid == tid) {
			th = &st->threads[i];
			break;
		}
	if (!th)
		return wt_err_set(err, ESRCH, "process %d has no thread %d", st->pid, tid);
	if (n < 0 || (size_t)n >= th->nframes)
		return wt_err_set(err, ENOENT, "thread %d has %zu frames; there is no frame %d",
				  th->tid, th->nframes, n);
	/*
	 * An unwinder that lost its way (a pc outside code below this frame)
	 * gives wrong CFAs and registers: reading would show garbage and a poke
	 * would write into the wrong place. Do not trust such a frame.
	 */
	{
		uint64_t pcs[64];
		size_t bad = 0;
		int r = 0;
		for (int k0 = 0; k0 <= n && r == 0; k0 += 64) {
			size_t m = 0;
			for (int k = k0; k <= n && m < 64; k++)
				pcs[m++] = th->frames[k].pc - (k > 0);
			r = vars_loc_maps_check_many(st->pid, pcs, m, 1, "x", &bad);
			bad += (size_t)k0;
		}
		if (r == -ESRCH)
			return wt_err_set(err, ESRCH, "process %d has exited", (int)st->pid);
		if (r)
			return wt_err_set(
			    err, EFAULT,
			    "frame %d of thread %d cannot be trusted: frame %zu's pc 0x%" PRIx64
			    " is not in code (the unwinder lost its way there); try again "
			    "when the thread is elsewhere",
			    n, (int)th->tid, bad, th->frames[bad].pc);
	}
	memset(out, 0, sizeof(*out));
	out->pid = st->pid;
	out->tid = th->tid;
	out->index = n;
	fr = &th->frames[n];
	out->frame = *fr;
	out->frame.module = out->frame.function = out->frame.file = NULL;
	/* Inline frames share the pc and CFA of the physical frame they came from. */
	first = n;
	while (first > 0 && th->frames[first - 1].pc == fr->pc &&
	       th->frames[first - 1].cfa == fr->cfa)
		first--;
	out->inline_level = n - first;
	out->pc_exact = first == 0 || (th->frames[first - 1].flags & STACK_FRAME_SIGNAL) ||
			(fr->flags & STACK_FRAME_SIGNAL);
	return 0;
}

static bool vars_loc_has_function(Dwarf_Die *scopes, int n)
{
	for (int i = 0; i < n; i++)
		if (dwarf_tag(&scopes[i]) == DW_TAG_subprogram ||
		    dwarf_tag(&scopes[i]) == DW_TAG_inlined_subroutine)
			return true;
	return false;
}

/* The innermost function or block DIE anywhere under die whose ranges hold pc. */
static bool vars_loc_find_pc_die(Dwarf_Die *die, Dwarf_Addr pc, Dwarf_Die *out, int depth)
{
	Dwarf_Die child;
	if (depth > 32 || dwarf_child(die, &child) != 0)
		return false;
	do {
		int tag = dwarf_tag(&child);
		bool code = tag == DW_TAG_subprogram || tag == DW_TAG_lexical_block ||
			    tag == DW_TAG_inlined_subroutine;
		if (code && dwarf_haspc(&child, pc) == 1) {
			*out = child;
			vars_loc_find_pc_die(&child, pc, out, depth + 1);
			return true;
		}
		/* Types and functions elsewhere may hold nested definitions. */
		if ((code || tag == DW_TAG_structure_type || tag == DW_TAG_class_type ||
		     tag == DW_TAG_union_type || tag == DW_TAG_namespace) &&
		    vars_loc_find_pc_die(&child, pc, out, depth + 1))
			return true;
	} while (dwarf_siblingof(&child, &child) == 0);
	return false;
}

int vars_loc_open(Dwfl *dwfl, const struct locals_frame *f, struct vars_loc_ctx *c, bool write,
		  struct wt_err *err)
{
	char path[64];
	Dwarf_Die *cu;
	int fn = 0, nfn = 0;

	memset(c, 0, sizeof(*c));
	c->memfd = -1;
	c->dwfl = dwfl;
	c->f = f;
	c->fn_scope = c->phys_scope = -1;
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)f->pid);
	c->memfd = open(path, (write ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (c->memfd < 0) {
		int e = errno;
		if (e == ENOENT)
			return wt_err_set(err, ESRCH, "process %d has exited", (int)f->pid);
		return wt_err_set(err, e,
				  "cannot open %s: %s; run as root or as the process's user", path,
				  strerror(e));
	}
	c->pc = f->frame.pc - (f->pc_exact || f->frame.pc == 0 ? 0 : 1);
	c->mod = dwfl_addrmodule(dwfl, c->pc);
	if (!c->mod) {
		vars_loc_close(c);
		return wt_err_set(err, ENODATA, "frame %d: no module maps pc 0x%" PRIx64, f->index,
				  (uint64_t)f->frame.pc);
	}
	const char *refused = modfile_refusal(c->mod);
	if (refused) {
		vars_loc_close(c);
		return wt_err_set(err, EACCES, "frame %d: %s", f->index, refused);
	}
	cu = dwfl_module_addrdie(c->mod, c->pc, &c->bias);
	if (!cu) {
		const char *mname =
		    dwfl_module_info(c->mod, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
		const char *sym = dwfl_module_addrname(c->mod, c->pc);
		char m[128], s[128];
		wt_escape_to(m, sizeof(m), mname ? mname : "?", mname ? strlen(mname) : 1, 0);
		wt_escape_to(s, sizeof(s), sym ? sym : "?", sym ? strlen(sym) : 1, 0);
		vars_loc_close(c);
		return wt_err_set(err, ENODATA,
				  "frame %d (%s in %s) has no debug info: nothing to show; install "
				  "its debug symbols or rebuild it with -g",
				  f->index, s, m);
	}
	c->cudie = *cu;
	c->nscopes = dwarf_getscopes(&c->cudie, c->pc - c->bias, &c->scopes);
	if (c->nscopes < 0)
		c->nscopes = 0;
	/*
	 * Past an inlined call, dwarf_getscopes continues with the scopes of
	 * the inlined function's abstract definition, not with the function it
	 * was inlined into. The concrete nesting of the innermost scope
	 * (dwarf_getscopes_die) holds every frame of the inline chain.
	 */
	if (c->nscopes > 0) {
		Dwarf_Die inner = c->scopes[0], *chain = NULL;
		int n = dwarf_getscopes_die(&inner, &chain);
		if (n > 0) {
			free(c->scopes);
			c->scopes = chain;
			c->nscopes = n;
		} else {
			free(chain);
		}
	}
	if (!vars_loc_has_function(c->scopes, c->nscopes)) {
		/*
		 * A function defined inside a type inside another function (a C++
		 * lambda's operator()) is not found by dwarf_getscopes, which only
		 * descends into DIEs whose ranges hold the pc. Search the whole CU.
		 */
		Dwarf_Die found, *chain = NULL;
		int n;
		if (vars_loc_find_pc_die(&c->cudie, c->pc - c->bias, &found, 0) &&
		    (n = dwarf_getscopes_die(&found, &chain)) > 0) {
			free(c->scopes);
			c->scopes = chain;
			c->nscopes = n;
		} else {
			free(chain);
		}
	}
	/* The inline_level-th function scope is this frame's; the first subprogram is physical. */
	for (int i = 0; i < c->nscopes; i++) {
		int tag = dwarf_tag(&c->scopes[i]);
		if (tag != DW_TAG_subprogram && tag != DW_TAG_inlined_subroutine)
			continue;
		if (nfn++ <= f->inline_level)
			fn = i;
		if (tag == DW_TAG_subprogram && c->phys_scope < 0)
			c->phys_scope = i;
		if (tag == DW_TAG_subprogram)
			break;
	}
	c->fn_scope = nfn ? fn : -1;
	if (c->fn_scope < 0) {
		vars_loc_close(c);
		return wt_err_set(err, ENODATA,
				  "frame %d: pc 0x%" PRIx64
				  " is in a CU but in no function's debug info",
				  f->index, (uint64_t)f->frame.pc);
	}
	return 0;
}

void vars_loc_close(struct vars_loc_ctx *c)
{
	if (c->memfd >= 0)
		close(c->memfd);
	c->memfd = -1;
	free(c->scopes);
	c->scopes = NULL;
}

static char *die_name(Dwarf_Die *d)
{
	Dwarf_Attribute a;
	const char *n = NULL;
	if (dwarf_attr_integrate(d, DW_AT_name, &a))
		n = dwarf_formstring(&a);
	return n ? wt_escape(n, strlen(n), 0) : NULL;
}

char *vars_loc_function_name(struct vars_loc_ctx *c)
{
	if (c->fn_scope < 0)
		return NULL;
	return die_name(&c->scopes[c->fn_scope]);
}

/* A variable DIE to show, with its scope kind. */
struct vars_loc_var {
	Dwarf_Die die;
	enum locals_scope scope;
	int block; /* index into scopes; higher = outer */
};

static bool is_decl(Dwarf_Die *d)
{
	Dwarf_Attribute a;
	bool flag = false;
	return dwarf_attr(d, DW_AT_declaration, &a) && dwarf_formflag(&a, &flag) == 0 && flag;
}

struct vars_loc_vars {
	struct vars_loc_var *v;
	size_t n, cap;
};

/* Add the children of scope with the given tag; at most max of them. */
static int collect_children(struct vars_loc_vars *vs, Dwarf_Die *scope, int want,
			    enum locals_scope sc, int block, size_t max)
{
	Dwarf_Die child;
	size_t added = 0;
	if (dwarf_child(scope, &child) != 0)
		return 0;
	do {
		if (dwarf_tag(&child) != want || is_decl(&child))
			continue;
		if (added++ >= max)
			break;
		if (vs->n == vs->cap) {
			size_t nc = vs->cap ? 2 * vs->cap : 64;
			struct vars_loc_var *nv = realloc(vs->v, nc * sizeof(*nv));
			if (!nv)
				return -ENOMEM;
			vs->v = nv;
			vs->cap = nc;
		}
		vs->v[vs->n++] = (struct vars_loc_var){.die = child, .scope = sc, .block = block};
	} while (dwarf_siblingof(&child, &child) == 0);
	return 0;
}

/*
 * The variables visible in this frame: parameters, the function's locals,
 * then inner blocks outward-in (so an inner one comes after the one it
 * hides), then the CU's globals.
 */
static int vars_loc_collect(struct vars_loc_ctx *c, bool globals, size_t max_globals,
			    struct vars_loc_var **out, size_t *n)
{
	struct vars_loc_vars vs = {0};
	int inner = -1, r;

	/* The next inlined call inside ours: blocks below it belong to it, not us. */
	for (int i = c->fn_scope - 1; i >= 0; i--) {
		int tag = dwarf_tag(&c->scopes[i]);
		if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine) {
			inner = i;
			break;
		}
	}
	r = collect_children(&vs, &c->scopes[c->fn_scope], DW_TAG_formal_parameter, LOCALS_PARAM,
			     c->fn_scope, SIZE_MAX);
	for (int s = c->fn_scope; r == 0 && s > inner; s--)
		r = collect_children(&vs, &c->scopes[s], DW_TAG_variable, LOCALS_LOCAL, s,
				     SIZE_MAX);
	if (r == 0 && globals)
		r = collect_children(&vs, &c->cudie, DW_TAG_variable, LOCALS_GLOBAL, c->nscopes,
				     max_globals);
	if (r < 0) {
		free(vs.v);
		return r;
	}
	*out = vs.v;
	*n = vs.n;
	return 0;
}

struct vars_loc_out {
	struct locals *l;
	size_t cap;
	const struct locals_opts *opts;
};

static struct locals_var *add_var(struct vars_loc_out *o)
{
	struct locals *l = o->l;
	if (l->nvars == o->cap) {
		size_t nc = o->cap ? 2 * o->cap : 32;
		struct locals_var *nv = realloc(l->vars, nc * sizeof(*nv));
		if (!nv)
			return NULL;
		l->vars = nv;
		o->cap = nc;
	}
	memset(&l->vars[l->nvars], 0, sizeof(l->vars[0]));
	return &l->vars[l->nvars++];
}

static bool is_expanded(const struct locals_opts *o, const char *path)
{
	for (size_t i = 0; o && i < o->nexpand; i++)
		if (strcmp(o->expand[i], path) == 0)
			return true;
	return false;
}

static char *where_text(const struct lval *v)
{
	char buf[128];
	switch (v->kind) {
	case LV_MEM:
		snprintf(buf, sizeof(buf), "%s 0x%" PRIx64, locals_loc_name(v->loc), v->addr);
		break;
	case LV_REG:
		if (v->save_addr)
			snprintf(buf, sizeof(buf), "%s saved at 0x%" PRIx64,
				 vars_loc_reg_name(v->reg), v->save_addr);
		else
			snprintf(buf, sizeof(buf), "register %s", vars_loc_reg_name(v->reg));
		break;
	default:
		snprintf(buf, sizeof(buf), "%s", locals_loc_name(v->loc));
		break;
	}
	return strdup(buf);
}

/* An enum's enumerator names, one a line, escaped (at most 64). */
static char *enum_choices(const struct vtype *t)
{
	Dwarf_Die child;
	struct wt_buf b;
	int n = 0;
	wt_buf_init(&b);
	if (dwarf_child((Dwarf_Die *)&t->die, &child) == 0) {
		do {
			const char *name = dwarf_diename(&child);
			char tmp[128];
			if (dwarf_tag(&child) != DW_TAG_enumerator || !name)
				continue;
			wt_buf_printf(&b, "%s%s", n ? "\n" : "",
				      wt_escape_to(tmp, sizeof(tmp), name, strlen(name), 0));
		} while (++n < 64 && dwarf_siblingof(&child, &child) == 0);
	}
	return b.data ? wt_buf_steal(&b) : NULL;
}

/* Fill one row (and its members, if expanded). */
static void emit(struct vars_loc_ctx *c, struct vars_loc_out *o, const char *path, const char *name,
		 const struct vtype *t, const struct lval *v, enum locals_scope scope, int depth,
		 bool shadowed)
{
	struct locals_var *lv = add_var(o);
	struct vtype st = *t, pointee = {0};
	struct wt_buf b;
	unsigned char *bytes;
	uint64_t size, ptr = 0;
	bool ptr_agg = false;

	if (!lv)
		return;
	vars_type_strip(&st);
	lv->path = strdup(path);
	lv->name = strdup(name);
	wt_buf_init(&b);
	vars_type_name(t, &b);
	lv->type = wt_buf_steal(&b);
	lv->scope = scope;
	lv->loc = v->loc;
	lv->where = where_text(v);
	lv->depth = depth;
	lv->shadowed = shadowed;
	lv->expandable = vars_type_is_aggregate(&st) && vars_value_nchildren(&st) > 0;
	if (vars_type_tag(&st) == DW_TAG_enumeration_type)
		lv->choices = enum_choices(&st);
	/* A pointer to a struct or union expands to the members it points to. */
	if (vars_type_tag(&st) == DW_TAG_pointer_type ||
	    vars_type_tag(&st) == DW_TAG_reference_type ||
	    vars_type_tag(&st) == DW_TAG_rvalue_reference_type) {
		vars_type_init(&pointee, &st.die);
		if (vars_type_strip(&pointee) &&
		    (vars_type_tag(&pointee) == DW_TAG_structure_type ||
		     vars_type_tag(&pointee) == DW_TAG_union_type ||
		     vars_type_tag(&pointee) == DW_TAG_class_type) &&
		    vars_value_nchildren(&pointee) > 0)
			ptr_agg = true;
	}
	if (v->kind == LV_NONE) {
		lv->note = strdup(v->why);
		return;
	}
	size = vars_type_size(&st);
	if (v->bit_size)
		size = (v->bit_offset + v->bit_size + 7) / 8;
	if (size > LX_MAX_READ)
		size = LX_MAX_READ;
	bytes = calloc(1, size + 16);
	if (bytes && vars_lval_read(c, v, size, bytes, size) == 0) {
		wt_buf_init(&b);
		if (v->bit_size) {
			uint64_t x = 0;
			memcpy(&x, bytes, size < 8 ? size : 8);
			x = (x >> v->bit_offset) &
			    (v->bit_size >= 64 ? ~0ull : (1ull << v->bit_size) - 1);
			wt_buf_printf(&b, "%" PRIu64, x);
		} else {
			vars_value_format(c, t, bytes, size, &b, 0);
		}
		lv->value = wt_buf_steal(&b);
		if (ptr_agg && size == 8)
			memcpy(&ptr, bytes, 8);
	} else {
		char why[96];
		snprintf(why, sizeof(why), "cannot read its memory at 0x%" PRIx64, v->addr);
		lv->note = strdup(why);
	}
	free(bytes);
	lv->writable =
	    (v->kind == LV_MEM || v->kind == LV_REG) && vars_type_is_scalar(&st) && !v->bit_size;
	/* A NULL or unreadable pointer has nothing to expand. */
	if (ptr_agg) {
		unsigned char probe;
		lv->expandable = ptr && vars_loc_mem_read(c, ptr, &probe, 1) == 0;
	}
	if (lv->note)
		; /* the value could not be read: that is the note */
	else if (v->kind == LV_BYTES)
		lv->note = strdup(v->why);
	else if (v->bit_size)
		lv->note = strdup("a bit-field: shown, not written");
	else if (v->copies[0] && lv->writable) {
		char n[600];
		snprintf(n, sizeof(n),
			 "optimized code: elsewhere in the function it lives in %s; "
			 "a copy there may overwrite or ignore a write",
			 v->copies);
		lv->note = strdup(n);
	}
	lv->expanded = lv->expandable && is_expanded(o->opts, path);
	if (!lv->expanded)
		return;
	if (ptr_agg) {
		/* The members behind the pointer, as p->member. */
		struct lval pv = {.kind = LV_MEM, .loc = LOCALS_LOC_MEMORY, .addr = ptr};
		size_t nc = vars_value_nchildren(&pointee);
		for (size_t i = 0; i < nc && i < 256; i++) {
			char cname[128], cpath[512];
			struct vtype ct;
			struct lval cv;
			if (vars_value_child(c, &pointee, &pv, i, cname, sizeof(cname), &ct, &cv) !=
			    0)
				break;
			snprintf(cpath, sizeof(cpath), "%s->%s", path, cname);
			emit(c, o, cpath, cname, &ct, &cv, LOCALS_MEMBER, depth + 1, false);
		}
		return;
	}
	size_t nc = vars_value_nchildren(&st);
	for (size_t i = 0; i < nc && i < 256; i++) {
		char cname[128], cpath[512];
		struct vtype ct;
		struct lval cv;
		if (vars_value_child(c, &st, v, i, cname, sizeof(cname), &ct, &cv) != 0)
			break;
		snprintf(cpath, sizeof(cpath), "%s%s%s", path, cname[0] == '[' ? "" : ".", cname);
		emit(c, o, cpath, cname, &ct, &cv, LOCALS_MEMBER, depth + 1, false);
	}
}

/*
 * A source path as people find it: relative names joined to the CU's
 * DW_AT_comp_dir, "." and ".." folded; escaped. Same spelling as stacks.
 */
static char *vars_loc_src_path(Dwarf_Die *cu, const char *file)
{
	char buf[4096], out[4096];
	Dwarf_Attribute a;
	const char *dir = NULL, *p;
	size_t o = 0;

	if (file[0] != '/' && dwarf_attr(cu, DW_AT_comp_dir, &a))
		dir = dwarf_formstring(&a);
	if (dir && dir[0] == '/')
		snprintf(buf, sizeof(buf), "%s/%s", dir, file);
	else
		snprintf(buf, sizeof(buf), "%s", file);
	if (buf[0] != '/')
		return wt_escape(buf, strlen(buf), 0);
	for (p = buf; *p;) {
		size_t n;
		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 0)
			break;
		if (n == 1 && p[0] == '.') {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else if (o + 1 + n < sizeof(out)) {
			out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
	}
	if (o == 0)
		out[o++] = '/';
	return wt_escape(out, o, 0);
}

/*
 * The source line of the frame: the pc's line for the innermost function;
 * for a function an inlined call sits in, the line of that call.
 */
static void vars_loc_frame_line(struct vars_loc_ctx *c, struct locals *l)
{
	for (int i = c->fn_scope - 1; i >= 0; i--) {
		Dwarf_Attribute a;
		Dwarf_Word fileno, ln;
		Dwarf_Files *files;
		size_t nfiles;
		const char *src;
		if (dwarf_tag(&c->scopes[i]) != DW_TAG_inlined_subroutine)
			continue;
		if (dwarf_attr(&c->scopes[i], DW_AT_call_file, &a) &&
		    dwarf_formudata(&a, &fileno) == 0 &&
		    dwarf_getsrcfiles(&c->cudie, &files, &nfiles) == 0 && fileno < nfiles &&
		    (src = dwarf_filesrc(files, fileno, NULL, NULL)))
			l->file = vars_loc_src_path(&c->cudie, src);
		if (dwarf_attr(&c->scopes[i], DW_AT_call_line, &a) && dwarf_formudata(&a, &ln) == 0)
			l->line = (int)ln;
		return;
	}
	Dwfl_Line *line = dwfl_module_getsrc(c->mod, c->pc);
	const char *src;
	int ln = 0;
	if (line && (src = dwfl_lineinfo(line, NULL, &ln, NULL, NULL, NULL))) {
		l->file = vars_loc_src_path(&c->cudie, src);
		l->line = ln;
	}
}

int locals_read(struct debug_proc *dp, const struct locals_frame *f, const struct locals_opts *opts,
		struct locals **out, struct wt_err *err)
{
	Dwfl *dwfl = debug_proc_dwfl(dp);
	struct vars_loc_ctx c;
	struct vars_loc_var *vars = NULL;
	size_t nvars = 0;
	struct locals *l;
	struct vars_loc_out o = {.opts = opts};
	int r;

	*out = NULL;
	if ((r = vars_loc_open(dwfl, f, &c, false, err)) < 0)
		return r;
	l = calloc(1, sizeof(*l));
	if (!l) {
		vars_loc_close(&c);
		return wt_err_set(err, ENOMEM, "out of memory");
	}
	o.l = l;
	l->pid = f->pid;
	l->tid = f->tid;
	l->frame = f->index;
	l->pc = f->frame.pc;
	l->function = vars_loc_function_name(&c);
	vars_loc_frame_line(&c, l);
	r = vars_loc_collect(&c, !(opts && opts->no_globals),
			     opts && opts->max_globals ? opts->max_globals : 200, &vars, &nvars);
	if (r < 0) {
		vars_loc_close(&c);
		locals_free(l);
		return wt_err_set(err, -r, "out of memory");
	}
	for (size_t i = 0; i < nvars; i++) {
		struct vtype t;
		struct lval v;
		char *name = die_name(&vars[i].die);
		enum locals_scope sc = vars[i].scope;
		bool shadowed = false;
		if (!name)
			continue;
		/* A later (inner) variable of the same name hides this one. */
		for (size_t j = i + 1; j < nvars && sc != LOCALS_GLOBAL; j++) {
			char *n2 = vars[j].scope == LOCALS_GLOBAL ? NULL : die_name(&vars[j].die);
			if (n2 && strcmp(n2, name) == 0 && vars[j].block < vars[i].block)
				shadowed = true;
			free(n2);
		}
		vars_type_init(&t, &vars[i].die);
		vars_loc_eval_location(&c, &vars[i].die, &v);
		if (sc == LOCALS_LOCAL && v.loc == LOCALS_LOC_STATIC)
			sc = LOCALS_STATIC;
		emit(&c, &o, name, name, &t, &v, sc, 0, shadowed);
		free(name);
	}
	free(vars);
	vars_loc_close(&c);
	*out = l;
	return 0;
}

void locals_free(struct locals *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nvars; i++) {
		struct locals_var *v = &l->vars[i];
		free(v->path);
		free(v->name);
		free(v->type);
		free(v->where);
		free(v->value);
		free(v->note);
		free(v->choices);
	}
	free(l->vars);
	free(l->function);
	free(l->file);
	free(l);
}

/* Find a top-level variable by name: innermost first, then the CU's globals. */
static int find_var(struct vars_loc_ctx *c, const char *name, Dwarf_Die *out)
{
	struct vars_loc_var *vars;
	size_t n;
	int best = -1;
	if (vars_loc_collect(c, true, 100000, &vars, &n) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		Dwarf_Attribute a;
		const char *vn = NULL;
		if (dwarf_attr_integrate(&vars[i].die, DW_AT_name, &a))
			vn = dwarf_formstring(&a);
		if (!vn || strcmp(vn, name) != 0)
			continue;
		/* Locals beat globals; inner blocks beat outer ones. */
		if (best < 0 ||
		    (vars[best].scope == LOCALS_GLOBAL && vars[i].scope != LOCALS_GLOBAL) ||
		    (vars[i].scope != LOCALS_GLOBAL && vars[i].block <= vars[best].block))
			best = (int)i;
	}
	if (best >= 0)
		*out = vars[best].die;
	free(vars);
	return best >= 0 ? 0 : -ENOENT;
}

int vars_loc_resolve(struct vars_loc_ctx *c, const char *path, struct vtype *t, struct lval *v,
		     struct wt_err *err)
{
	char name[256], esc[300];
	const char *p = path;
	size_t n = 0;
	Dwarf_Die die;

	wt_escape_to(esc, sizeof(esc), path, strlen(path), 0);
	while (*p &&
	       (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		(n > 0 && *p >= '0' && *p <= '9')) &&
	       n < sizeof(name) - 1)
		name[n++] = *p++;
	name[n] = '\0';
	if (n == 0)
		return wt_err_set(err, EINVAL,
				  "'%s' is not a variable name (NAME, NAME.member or "
				  "NAME[index])",
				  esc);
	if (find_var(c, name, &die) != 0) {
		char *fn = vars_loc_function_name(c);
		int r = wt_err_set(err, ENOENT,
				   "no variable '%s' is visible in frame %d (%s); 'whytop locals' "
				   "lists them",
				   esc, c->f->index, fn ? fn : "?");
		free(fn);
		return r;
	}
	vars_type_init(t, &die);
	vars_loc_eval_location(c, &die, v);
	while (*p) {
		struct vtype st = *t;
		char cname[128];
		long idx = -1;
		bool arrow = false;
		vars_type_strip(&st);
		if (p[0] == '-' && p[1] == '>') {
			arrow = true;
			p += 2;
		} else if (*p == '.') {
			p++;
		} else if (*p == '[') {
			char *end = (char *)p + 1;
			/* Digits only: strtol would also take " 3" and "+3". */
			if (*end >= '0' && *end <= '9')
				idx = strtol(p + 1, &end, 0);
			if (end == p + 1 || *end != ']' || idx < 0)
				return wt_err_set(err, EINVAL, "bad index in '%s'", esc);
			p = end + 1;
		} else {
			return wt_err_set(err, EINVAL, "cannot parse '%s' (use a.b, a[3] or p->x)",
					  esc);
		}
		if (idx < 0) {
			n = 0;
			while (*p && *p != '.' && *p != '[' && *p != '-' && n < sizeof(name) - 1)
				name[n++] = *p++;
			name[n] = '\0';
		}
		bool ref = vars_type_tag(&st) == DW_TAG_reference_type ||
			   vars_type_tag(&st) == DW_TAG_rvalue_reference_type;
		/* A C++ reference is followed by '.' and '->' alike. */
		if (arrow || (ref && idx < 0)) {
			uint64_t ptr = 0;
			if (vars_type_tag(&st) != DW_TAG_pointer_type && !ref)
				return wt_err_set(err, EINVAL,
						  "'->' on something not a pointer in '%s'", esc);
			if (v->kind == LV_NONE ||
			    vars_lval_read(c, v, 8, (unsigned char *)&ptr, 8) < 0)
				return wt_err_set(err, EFAULT, "cannot read the pointer in '%s'",
						  esc);
			if (!ptr)
				return wt_err_set(err, EFAULT, "the pointer in '%s' is NULL", esc);
			Dwarf_Die pdie = st.die;
			vars_type_init(&st, &pdie);
			vars_type_strip(&st);
			*v = (struct lval){.kind = LV_MEM, .loc = LOCALS_LOC_MEMORY, .addr = ptr};
			snprintf(v->why, sizeof(v->why), "%s", "");
		}
		if (v->kind == LV_NONE)
			return wt_err_set(err, EROFS, "'%s': %s", esc, v->why);
		if (idx >= 0) {
			if (vars_type_tag(&st) != DW_TAG_array_type)
				return wt_err_set(err, EINVAL,
						  "'%s': indexing something not an array", esc);
			if ((size_t)idx >= vars_value_nchildren(&st))
				return wt_err_set(
				    err, EINVAL,
				    "'%s': index %ld is out of bounds (the array has %zu)", esc,
				    idx, vars_value_nchildren(&st));
		} else {
			idx = vars_value_member_index(&st, name);
			if (idx < 0)
				return wt_err_set(err, ENOENT, "'%s': no member '%s' there", esc,
						  name);
		}
		struct lval parent = *v;
		vars_value_child(c, &st, &parent, (size_t)idx, cname, sizeof(cname), t, v);
		if (parent.loc != LOCALS_LOC_REGISTER && v->kind == LV_MEM)
			v->loc = parent.loc;
	}
	return 0;
}

int locals_pick_frame(struct debug_proc *dp, const struct stack *st, pid_t tid, int n, const char *function,
		      const char *var, struct locals_frame *out, struct wt_err *err)
{
	Dwfl *dwfl = debug_proc_dwfl(dp);
	const struct stack_thread *th = NULL;
	char root[256];
	size_t k = 0;
	int r;

	for (size_t i = 0; i < st->nthreads && !th; i++)
		if (st->threads[i].tid == (tid ? tid : st->pid))
			th = &st->threads[i];
	if (!th && tid == 0 && st->nthreads)
		th = &st->threads[0];
	if (!th)
		return wt_err_set(err, ESRCH, "process %d has no thread %d (it may have exited)",
				  (int)st->pid, (int)tid);
	if (n >= 0) {
		if ((r = locals_frame_from_stack(st, th->tid, n, out, err)) < 0)
			return r;
		struct vars_loc_ctx c;
		if ((r = vars_loc_open(dwfl, out, &c, false, err)) < 0)
			return r;
		vars_loc_close(&c);
		return 0;
	}
	if (var) {
		while (var[k] && var[k] != '.' && var[k] != '[' && var[k] != '-' &&
		       k < sizeof(root) - 1) {
			root[k] = var[k];
			k++;
		}
	}
	root[k] = '\0';
	/* A frame whose module's file is not the mapped one: said if nothing else fits. */
	struct wt_err refused = {0};
	for (size_t i = 0; i < th->nframes; i++) {
		struct vars_loc_ctx c;
		Dwarf_Die die;
		bool ok;
		struct wt_err e = {0};
		if (function &&
		    (!th->frames[i].function || strcmp(th->frames[i].function, function)))
			continue;
		/* Past a frame the unwinder got wrong, nothing can be trusted: say so. */
		if ((r = locals_frame_from_stack(st, th->tid, (int)i, out, err)) == -EFAULT)
			return r;
		if (r < 0)
			continue;
		if (vars_loc_open(dwfl, out, &c, false, &e) < 0) {
			if (e.code == EACCES && !refused.code)
				refused = e;
			continue;
		}
		ok = !root[0] || find_var(&c, root, &die) == 0;
		vars_loc_close(&c);
		if (ok)
			return 0;
	}
	/* A thread on its way out (exit, a fatal signal) shows no useful frames. */
	if (!vars_loc_thread_alive(st->pid, th->tid))
		return wt_err_set(err, ESRCH, "process %d has exited (thread %d is gone)",
				  (int)st->pid, (int)th->tid);
	if (refused.code)
		return wt_err_set(err, refused.code, "%s", refused.msg);
	char efn[128], er[300];
	wt_escape_to(er, sizeof(er), root, strlen(root), 0);
	if (function)
		return wt_err_set(err, ENOENT,
				  "thread %d has no frame in a function '%s' with debug "
				  "info%s%s%s",
				  (int)th->tid,
				  wt_escape_to(efn, sizeof(efn), function, strlen(function), 0),
				  er[0] ? " where '" : "", er, er[0] ? "' is visible" : "");
	if (er[0])
		return wt_err_set(err, ENOENT,
				  "no frame of thread %d with debug info has a variable "
				  "'%s'; 'whytop locals' lists what is visible",
				  (int)th->tid, er);
	return wt_err_set(err, ENODATA,
			  "no frame of thread %d has debug info: nothing to show; "
			  "install debug symbols or rebuild with -g",
			  (int)th->tid);
}

bool vars_loc_same_function(Dwfl *dwfl, uint64_t a, uint64_t b)
{
	Dwfl_Module *ma = dwfl_addrmodule(dwfl, a), *mb = dwfl_addrmodule(dwfl, b);
	GElf_Sym sa, sb;
	GElf_Off oa, ob;
	if (!ma || ma != mb)
		return false;
	if (!dwfl_module_addrinfo(ma, a, &oa, &sa, NULL, NULL, NULL) ||
	    !dwfl_module_addrinfo(mb, b, &ob, &sb, NULL, NULL, NULL))
		return a == b;
	return a - oa == b - ob;
}

int locals_frame_again(struct debug_proc *dp, const struct stack *st, const struct locals_frame *old,
		       struct locals_frame *out, struct wt_err *err)
{
	Dwfl *dwfl = debug_proc_dwfl(dp);
	for (size_t i = 0; i < st->nthreads; i++) {
		const struct stack_thread *th = &st->threads[i];
		if (th->tid != old->tid)
			continue;
		for (size_t k = 0; k < th->nframes; k++) {
			struct locals_frame f;
			const struct stack_frame *fr = &th->frames[k];
			if (fr->cfa != old->frame.cfa ||
			    !vars_loc_same_function(dwfl, fr->pc - (k > 0),
						    old->frame.pc - !old->pc_exact))
				continue;
			if (locals_frame_from_stack(st, th->tid, (int)k, &f, NULL) < 0 ||
			    f.inline_level != old->inline_level)
				continue;
			*out = f;
			return 0;
		}
	}
	if (!vars_loc_thread_alive(old->pid, old->tid))
		return wt_err_set(err, ESRCH, "thread %d has exited", (int)old->tid);
	return wt_err_set(err, ENOENT,
			  "frame %d of thread %d has returned since it was read; "
			  "look again",
			  old->index, (int)old->tid);
}

int poke_undo_frame(struct debug_proc *dp, const struct stack *st, const struct locals_frame *old,
		    const struct poke_result *res, struct locals_frame *out, struct wt_err *err)
{
	int r = locals_frame_again(dp, st, old, out, err);

	/* A global's place depends on no frame: any frame that sees its name will do. */
	if (r == -ENOENT && res->global && res->path &&
	    locals_pick_frame(dp, st, old->tid, -1, NULL, res->path, out, NULL) == 0)
		return 0;
	return r;
}

int locals_walk(struct debug_proc *dp, const struct stack_opts *opts, struct stack **out,
		struct wt_err *err)
{
	/* Frames of an i386 program carry no registers (stack.h): nothing to read locals from. */
	if (debug_proc_is32(dp))
		return wt_err_set(err, ENOTSUP,
				  "process %d runs a 32-bit (i386) program: whytop shows its "
				  "stack ('whytop stack %d') but reads and writes locals only in "
				  "64-bit programs",
				  (int)debug_proc_pid(dp), (int)debug_proc_pid(dp));
	return stack_walk(dp, opts, out, err);
}

int locals_open_frame(pid_t pid, pid_t tid, int n, const char *function, const char *var,
		      struct debug_proc **dp, struct stack **st, struct locals_frame *out,
		      struct wt_err *err)
{
	struct stack_opts so = {.only_tid = tid};
	int r;

	*dp = NULL;
	*st = NULL;
	if ((r = debug_proc_open(pid, dp, err)) < 0)
		return r;
	if ((r = locals_walk(*dp, &so, st, err)) < 0 ||
	    (r = locals_pick_frame(*dp, *st, tid, n, function, var, out, err)) < 0) {
		if (*st)
			stack_free(*st);
		debug_proc_close(*dp);
		*dp = NULL;
		*st = NULL;
	}
	return r;
}
