/*
 * symbols.c: naming frames with libdw, after the target runs again. For
 * each physical frame: the module, the function (from the symbol tables of
 * the file and of its separate debug file, so start_thread is not named
 * after a neighbouring exported symbol as unw_get_proc_name would), the
 * offset into it, and file:line from the line table. Inlined calls are
 * expanded from the DWARF scopes at the pc, innermost first, each with the
 * call site as its caller's line. C++ names are demangled.
 */
#include <dlfcn.h>
#include <dwarf.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <elfutils/libdw.h>

#include "core/stack/stack_int.h"

/*
 * libstdc++'s demangler, loaded the first time a C++ name needs it:
 * linking libstdc++ (and with it libm and libgcc_s) into whytop cost every
 * start its relocations, C programs or not. Without it names stay mangled.
 */
typedef char *(*symbols_demangle_fn)(const char *mangled, char *buf, size_t *len, int *status);
static symbols_demangle_fn symbols_cxa_demangle;
static pthread_once_t symbols_demangle_once = PTHREAD_ONCE_INIT;

static void symbols_load_demangler(void)
{
	void *h = dlopen("libstdc++.so.6", RTLD_LAZY | RTLD_LOCAL);
	if (h)
		symbols_cxa_demangle = (symbols_demangle_fn)dlsym(h, "__cxa_demangle");
}

static char *symbols_dup(const char *s);

static char *symbols_escape(const char *s)
{
	return s ? wt_escape(s, strlen(s), 0) : NULL;
}

static char *symbols_demangle(const char *name)
{
	if (!name)
		return NULL;
	/* "memcpy@@GLIBC_2.14": the symbol version is not part of the name. */
	const char *at = strchr(name, '@');
	char plain[512];
	if (at && (size_t)(at - name) < sizeof(plain)) {
		memcpy(plain, name, (size_t)(at - name));
		plain[at - name] = 0;
		name = plain;
	}
	if (name[0] == '_' && name[1] == 'Z')
		pthread_once(&symbols_demangle_once, symbols_load_demangler);
	if (name[0] == '_' && name[1] == 'Z' && symbols_cxa_demangle) {
		int status = -1;
		char *d = symbols_cxa_demangle(name, NULL, NULL, &status);
		if (d && status == 0) {
			char *e = symbols_escape(d);
			free(d);
			return e;
		}
		free(d);
	}
	return symbols_escape(name);
}

static const char *symbols_die_name(Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	const char *n = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_linkage_name, &attr));
	if (!n)
		n = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr));
	if (!n)
		n = dwarf_diename(die);
	return n;
}

static char *symbols_module_name(Dwfl_Module *mod)
{
	const char *name = dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	if (!name)
		return NULL;
	if (strncmp(name, "[vdso", 5) == 0)
		return strdup("[vdso]");
	const char *slash = strrchr(name, '/');
	return symbols_escape(slash ? slash + 1 : name);
}

/* The call site file of an inlined subroutine, from the CU's file table. */
static const char *symbols_call_file(Dwarf_Die *cu, Dwarf_Die *inl)
{
	Dwarf_Attribute attr;
	Dwarf_Word idx;
	Dwarf_Files *files;
	size_t nfiles;
	if (dwarf_formudata(dwarf_attr(inl, DW_AT_call_file, &attr), &idx) != 0)
		return NULL;
	if (dwarf_getsrcfiles(cu, &files, &nfiles) != 0 || idx >= nfiles)
		return NULL;
	return dwarf_filesrc(files, idx, NULL, NULL);
}

static int symbols_call_line(Dwarf_Die *inl, const char *which)
{
	Dwarf_Attribute attr;
	Dwarf_Word v;
	unsigned name = strcmp(which, "line") == 0 ? DW_AT_call_line : DW_AT_call_column;
	if (dwarf_formudata(dwarf_attr(inl, name, &attr), &v) != 0)
		return 0;
	return (int)v;
}

/*
 * A source path as a reader can open it: relative names are relative to
 * the CU's compilation directory; "dir/../" is folded lexically. Escaped.
 */
static char *symbols_path(Dwarf_Die *cu, const char *file)
{
	if (!file)
		return NULL;
	char buf[4096];
	Dwarf_Attribute attr;
	const char *dir =
	    cu && file[0] != '/' ? dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &attr)) : NULL;
	if (dir && dir[0] == '/')
		snprintf(buf, sizeof(buf), "%s/%s", dir, file);
	else
		snprintf(buf, sizeof(buf), "%s", file);
	if (buf[0] == '/') {
		/* Fold "." and ".." segments, in place. */
		char out[4096];
		size_t o = 0;
		const char *p = buf;
		while (*p) {
			while (*p == '/')
				p++;
			const char *e = strchrnul(p, '/');
			size_t n = (size_t)(e - p);
			if (n == 0 || (n == 1 && p[0] == '.')) {
				/* skip */
			} else if (n == 2 && p[0] == '.' && p[1] == '.') {
				while (o > 0 && out[--o] != '/')
					;
			} else if (o + n + 2 < sizeof(out)) {
				out[o++] = '/';
				memcpy(out + o, p, n);
				o += n;
			}
			p = e;
		}
		out[o] = 0;
		if (o == 0)
			strcpy(out, "/");
		return symbols_escape(out);
	}
	return symbols_escape(buf);
}

struct frame_list {
	struct stack_frame *v;
	size_t n, cap;
};

static struct stack_frame *frame_list_add(struct frame_list *l, const struct stack_frame *proto)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		void *p = realloc(l->v, cap * sizeof(*l->v));
		if (!p)
			return NULL;
		l->v = p;
		l->cap = cap;
	}
	struct stack_frame *f = &l->v[l->n++];
	*f = *proto;
	f->module = f->function = f->file = f->src_path = NULL;
	return f;
}

/*
 * The scopes holding addr (module-relative), outermost first: the
 * subprogram among the CU's top-level DIEs (or inside namespaces), then
 * the lexical blocks and inlined calls nested in it, down to the innermost.
 * Only the DIEs on that path and their siblings are read, where
 * dwarf_getscopes (and dwarf_getscopes_die after it, for the parents)
 * walks the CU's whole tree: in a large CU such as glibc's
 * pthread_create.c that was most of naming a frame. 0 if no top-level
 * subprogram holds addr: the caller then asks libdw.
 */
#define SYMBOLS_MAX_DEPTH 64

static bool symbols_find_subprogram(Dwarf_Die *parent, Dwarf_Addr addr, Dwarf_Die *out, int depth)
{
	Dwarf_Die child;
	if (depth > 8 || dwarf_child(parent, &child) != 0)
		return false;
	do {
		int tag = dwarf_tag(&child);
		if (tag == DW_TAG_subprogram) {
			if (dwarf_haspc(&child, addr) > 0) {
				*out = child;
				return true;
			}
		} else if ((tag == DW_TAG_namespace || tag == DW_TAG_module) &&
			   symbols_find_subprogram(&child, addr, out, depth + 1)) {
			return true;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
	return false;
}

static int symbols_descend(Dwarf_Die *cu, Dwarf_Addr addr, Dwarf_Die *path)
{
	if (!symbols_find_subprogram(cu, addr, &path[0], 0))
		return 0;
	int n = 1;
	while (n < SYMBOLS_MAX_DEPTH) {
		Dwarf_Die child;
		bool down = false;
		if (dwarf_child(&path[n - 1], &child) == 0) {
			do {
				int tag = dwarf_tag(&child);
				if ((tag == DW_TAG_lexical_block || tag == DW_TAG_inlined_subroutine ||
				     tag == DW_TAG_try_block || tag == DW_TAG_catch_block) &&
				    dwarf_haspc(&child, addr) > 0) {
					path[n++] = child;
					down = true;
					break;
				}
			} while (dwarf_siblingof(&child, &child) == 0);
		}
		if (!down)
			break;
	}
	return n;
}

/* Name one physical frame; appends 1 + (inlined calls) frames to out. */
static int symbols_one(struct debug_proc *dp, const struct stack_frame *phys, bool exact_pc,
		       struct frame_list *out)
{
	uint64_t pc = exact_pc ? phys->pc : phys->pc - 1;
	Dwfl_Module *mod = dwfl_addrmodule(dp->dwfl, pc);
	struct stack_frame *f = frame_list_add(out, phys);
	if (!f)
		return -ENOMEM;
	if (!mod)
		return 0;
	size_t first = out->n - 1;
	char *module = symbols_module_name(mod);
	f->module = module;

	uint64_t func_start = 0;
	const char *symname = symidx_lookup(dp, mod, pc, &func_start);
	if (symname) {
		f->function = symbols_demangle(symname);
		f->offset = phys->pc - func_start;
	}
	Dwfl_Line *line = dwfl_module_getsrc(mod, pc);
	const char *src = NULL;
	int lineno = 0, col = 0;
	Dwarf_Addr line_addr = 0;
	if (line)
		src = dwfl_lineinfo(line, &line_addr, &lineno, &col, NULL, NULL);
	/*
	 * The last row of a CU's line table runs on past its code: a row that
	 * starts before the function holding pc belongs to another (_start
	 * would get main's last line).
	 */
	if (src && symname && line_addr < func_start) {
		src = NULL;
		lineno = col = 0;
	}

	Dwarf_Addr bias;
	Dwarf_Die *cu = dwfl_module_addrdie(mod, pc, &bias);
	/* Function-like scopes, innermost first, up to the enclosing subprogram. */
	Dwarf_Die path[SYMBOLS_MAX_DEPTH];
	Dwarf_Die *fn[SYMBOLS_MAX_DEPTH];
	int nfn = 0;
	int npath = cu ? symbols_descend(cu, pc - bias, path) : 0;
	for (int i = npath - 1; i >= 0; i--) {
		int tag = dwarf_tag(&path[i]);
		if (tag == DW_TAG_inlined_subroutine || tag == DW_TAG_subprogram)
			fn[nfn++] = &path[i];
	}
	Dwarf_Die *scopes = NULL, *chain = NULL;
	if (cu && npath == 0) {
		/*
		 * No subprogram at the top of the CU holds pc (a function defined
		 * inside another, or inside a type): libdw's general search.
		 * dwarf_getscopes follows an inlined call into its abstract
		 * definition (whose parent is the CU); the concrete chain of
		 * calls comes from the innermost function-like scope's own
		 * parents, dwarf_getscopes_die.
		 */
		int nscopes = dwarf_getscopes(cu, pc - bias, &scopes);
		int nchain = 0;
		for (int i = 0; i < nscopes; i++) {
			int tag = dwarf_tag(&scopes[i]);
			if (tag == DW_TAG_inlined_subroutine || tag == DW_TAG_subprogram) {
				nchain = dwarf_getscopes_die(&scopes[i], &chain);
				break;
			}
		}
		for (int i = 0; i < nchain && nfn < SYMBOLS_MAX_DEPTH; i++) {
			int tag = dwarf_tag(&chain[i]);
			if (tag == DW_TAG_inlined_subroutine || tag == DW_TAG_subprogram)
				fn[nfn++] = &chain[i];
			if (tag == DW_TAG_subprogram)
				break;
		}
	}
	if (nfn == 0) {
		f->file = symbols_path(cu, src);
		f->src_path = symbols_dup(f->file);
		f->line = lineno;
		f->column = col;
		free(scopes);
		free(chain);
		return 0;
	}
	/* Frame k (k < nfn-1) is an inlined call; the last is the physical function. */
	for (int k = 0; k < nfn; k++) {
		struct stack_frame *g = k == 0 ? &out->v[first] : frame_list_add(out, phys);
		if (!g)
			break;
		if (k > 0) {
			g->module = module ? strdup(module) : NULL;
			g->offset = 0;
		}
		const char *dname = symbols_die_name(fn[k]);
		bool physical = k == nfn - 1;
		free(g->function);
		/* The symbol table names the physical function best (it has C++ parameters). */
		g->function = symbols_demangle(physical && symname ? symname : dname);
		Dwarf_Addr entry;
		if (physical && symname)
			g->offset = phys->pc - func_start;
		else if (dwarf_entrypc(fn[k], &entry) == 0 && entry + bias <= phys->pc)
			g->offset = phys->pc - (entry + bias); /* into the inlined copy */
		else
			g->offset = 0;
		if (k == 0) {
			g->file = symbols_path(cu, src);
			g->src_path = symbols_dup(g->file);
			g->line = lineno;
			g->column = col;
		} else {
			const char *cf = symbols_call_file(cu, fn[k - 1]);
			g->file = symbols_path(cu, cf);
			g->src_path = symbols_dup(g->file);
			g->line = symbols_call_line(fn[k - 1], "line");
			g->column = symbols_call_line(fn[k - 1], "column");
		}
		g->inline_depth = nfn - 1 - k;
		if (!physical)
			g->flags |= STACK_FRAME_INLINE;
		else
			g->flags &= ~STACK_FRAME_INLINE;
		/* A frame's signal mark belongs to the physical frame only. */
		if (!physical)
			g->flags &= ~STACK_FRAME_SIGNAL;
		else if (k > 0)
			g->flags =
			    (g->flags & ~STACK_FRAME_SIGNAL) | (phys->flags & STACK_FRAME_SIGNAL);
	}
	free(scopes);
	free(chain);
	return 0;
}

/*
 * Names by pc, kept between walks: the Stack tab re-samples threads that
 * mostly sit at the same pcs, and naming is most of a warm walk
 * (finding the scopes reads the CU's DIEs).
 * Flushed when the process's mappings change.
 */
#define SYMBOLS_CACHE_SLOTS 4096

struct symbols_name {
	char *module, *function, *file, *src_path;
	uint64_t offset;
	int line, column, inline_depth;
	bool is_inline;
};

struct symbols_entry {
	uint64_t pc; /* 0: empty */
	bool exact;
	struct symbols_name *names;
	size_t n;
};

struct symbols_cache {
	struct symbols_entry slots[SYMBOLS_CACHE_SLOTS];
};

static char *symbols_dup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void symbols_entry_clear(struct symbols_entry *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->names[i].module);
		free(e->names[i].function);
		free(e->names[i].file);
		free(e->names[i].src_path);
	}
	free(e->names);
	memset(e, 0, sizeof(*e));
}

void symbols_cache_flush(struct debug_proc *dp)
{
	symidx_flush(dp);
	namecache_flush(dp);
	if (!dp->symcache)
		return;
	for (size_t i = 0; i < SYMBOLS_CACHE_SLOTS; i++)
		symbols_entry_clear(&dp->symcache->slots[i]);
	free(dp->symcache);
	dp->symcache = NULL;
}

static struct symbols_entry *symbols_slot(struct debug_proc *dp, uint64_t pc, bool exact)
{
	if (!dp->symcache && !(dp->symcache = calloc(1, sizeof(*dp->symcache))))
		return NULL;
	uint64_t h =
	    (pc ^ (pc >> 17) ^ (exact ? 0x9e3779b97f4a7c15ull : 0)) * 0xff51afd7ed558ccdull;
	return &dp->symcache->slots[(h >> 32) % SYMBOLS_CACHE_SLOTS];
}

/* Replay a cached naming of phys into out; false if not cached. */
static bool symbols_from_cache(struct debug_proc *dp, const struct stack_frame *phys, bool exact,
			       struct frame_list *out)
{
	struct symbols_entry *e = symbols_slot(dp, phys->pc, exact);
	if (!e || e->pc != phys->pc || e->exact != exact || !e->n)
		return false;
	for (size_t i = 0; i < e->n; i++) {
		const struct symbols_name *nm = &e->names[i];
		struct stack_frame *f = frame_list_add(out, phys);
		if (!f)
			return true; /* out of memory: fewer frames, as symbols_one would */
		f->module = symbols_dup(nm->module);
		f->function = symbols_dup(nm->function);
		f->file = symbols_dup(nm->file);
		f->src_path = symbols_dup(nm->src_path);
		f->offset = nm->offset;
		f->line = nm->line;
		f->column = nm->column;
		f->inline_depth = nm->inline_depth;
		if (nm->is_inline)
			f->flags = (phys->flags | STACK_FRAME_INLINE) & ~STACK_FRAME_SIGNAL;
		else
			f->flags = phys->flags & ~STACK_FRAME_INLINE;
	}
	return true;
}

/* named[i].module, or when mod is given, mod's name for all (stored names have none). */
static void symbols_to_cache(struct debug_proc *dp, uint64_t pc, bool exact,
			     const struct stack_frame *named, size_t n, Dwfl_Module *mod)
{
	struct symbols_entry *e = symbols_slot(dp, pc, exact);
	if (!e)
		return;
	symbols_entry_clear(e);
	e->names = calloc(n ? n : 1, sizeof(*e->names));
	if (!e->names)
		return;
	char *modname = mod ? symbols_module_name(mod) : NULL;
	for (size_t i = 0; i < n; i++) {
		struct symbols_name *nm = &e->names[i];
		nm->module = symbols_dup(mod ? modname : named[i].module);
		nm->function = symbols_dup(named[i].function);
		nm->file = symbols_dup(named[i].file);
		nm->src_path = symbols_dup(named[i].src_path);
		nm->offset = named[i].offset;
		nm->line = named[i].line;
		nm->column = named[i].column;
		nm->inline_depth = named[i].inline_depth;
		nm->is_inline = named[i].flags & STACK_FRAME_INLINE;
	}
	e->n = n;
	e->pc = pc;
	e->exact = exact;
	free(modname);
}

static void symbols_list_free(struct frame_list *l)
{
	stack_frames_free(l->v, l->n);
}

/* cached_only: 1 (frames untouched) as soon as a frame would need libdw. */
static int symbols_name(struct debug_proc *dp, struct stack_frame **frames, size_t *n,
			bool cached_only)
{
	struct frame_list out = {0};
	struct stack_frame *in = *frames;
	for (size_t i = 0; i < *n; i++) {
		/*
		 * A return address points after its call: look it up at pc-1.
		 * Not for frame 0, a signal trampoline (entered at its first
		 * byte) or the frame a signal interrupted (its exact pc).
		 */
		bool exact = i == 0 || (in[i].flags & STACK_FRAME_SIGNAL) ||
			     (in[i - 1].flags & STACK_FRAME_SIGNAL);
		if (symbols_from_cache(dp, &in[i], exact, &out))
			continue;
		/* Named by an earlier whytop: no symbol table, no DWARF. */
		uint64_t pc = exact ? in[i].pc : in[i].pc - 1;
		Dwfl_Module *mod = dwfl_addrmodule(dp->dwfl, pc);
		size_t nstored = 0;
		const struct stack_frame *stored =
		    mod ? namecache_get(dp, mod, in[i].pc, exact, &nstored) : NULL;
		if (stored) {
			symbols_to_cache(dp, in[i].pc, exact, stored, nstored, mod);
			if (symbols_from_cache(dp, &in[i], exact, &out))
				continue;
		}
		if (cached_only && mod) {
			symbols_list_free(&out);
			return 1;
		}
		size_t first = out.n;
		if (symbols_one(dp, &in[i], exact, &out) < 0) {
			symbols_list_free(&out);
			return -ENOMEM;
		}
		symbols_to_cache(dp, in[i].pc, exact, out.v + first, out.n - first, NULL);
		if (mod)
			namecache_add(dp, mod, in[i].pc, exact, out.v + first, out.n - first);
	}
	namecache_sync(dp);
	free(in);
	*frames = out.v;
	*n = out.n;
	return 0;
}

int symbols_name_frames(struct debug_proc *dp, struct stack_frame **frames, size_t *n)
{
	return symbols_name(dp, frames, n, false);
}

int symbols_name_frames_cached(struct debug_proc *dp, struct stack_frame **frames, size_t *n)
{
	return symbols_name(dp, frames, n, true);
}
