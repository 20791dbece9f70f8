/*
 * symidx.c: the symbol covering an address, by binary search.
 *
 * dwfl_module_addrinfo scans a module's whole symbol table on every call
 * (libc's, from its debug file: about 10,000 symbols), and a cold walk asks
 * once per frame: that scan was the largest part of naming a first walk.
 * Here each module's table is read once into an array sorted by address,
 * with the running maximum of symbol ends, and a lookup is a binary search
 * and a short walk back.
 *
 * The answer is libdwfl's, which tests/unit/test_symidx checks address by
 * address: of the sized symbols holding the address, a global one if any
 * (libdwfl searches the locals only when no global holds it), starting
 * closest below the address; among equal starts the better binding
 * (global, weak, local), then the smaller size, then the first in the
 * table. When no sized symbol holds the address, libdwfl's own rules for
 * assembly labels (symbols without a size, same section, order-dependent)
 * apply: those rare addresses are handed to dwfl_module_addrinfo.
 */
#include <elf.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>

#include "core/stack/stack_int.h"

struct symidx_sym {
	uint64_t start, end; /* end == start: a label without size */
	uint64_t maxend;     /* max end over this and every entry before it */
	const char *name;
	bool global;	     /* in the global part of the table (libdwfl searches it first) */
	unsigned bind;	     /* binding preference: global 3, weak 2, local 1 */
	int index;	     /* position in the table */
};

struct symidx_mod {
	Dwfl_Module *mod;
	struct symidx_sym *v;
	size_t n;
};

struct symidx {
	struct symidx_mod *mods;
	size_t n, cap;
};

static unsigned symidx_bind_rank(unsigned bind)
{
	switch (bind) {
	case STB_GLOBAL:
		return 3;
	case STB_WEAK:
		return 2;
	case STB_LOCAL:
		return 1;
	default:
		return 0;
	}
}

/*
 * By start; among equal starts the preferred one comes last, so that a
 * backward walk meets it first: better binding, smaller size, earlier.
 */
static int symidx_cmp(const void *a, const void *b)
{
	const struct symidx_sym *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->bind != y->bind)
		return x->bind < y->bind ? -1 : 1;
	uint64_t xs = x->end - x->start, ys = y->end - y->start;
	if (xs != ys)
		return xs > ys ? -1 : 1;
	return x->index > y->index ? -1 : x->index < y->index;
}

/*
 * Sort by start with a byte-wise radix sort on (start, position) pairs
 * (qsort of libc's 10,000 symbols took most of the index's build time),
 * then order each run of equal starts with symidx_cmp.
 */
struct symidx_key {
	uint64_t start;
	size_t at;
};

static void symidx_sort(struct symidx_sym *v, size_t k)
{
	struct symidx_key *a = malloc(k * sizeof(*a)), *b = malloc(k * sizeof(*b));
	struct symidx_sym *out = malloc(k * sizeof(*out));
	if (!a || !b || !out) {
		free(a);
		free(b);
		free(out);
		qsort(v, k, sizeof(*v), symidx_cmp);
		return;
	}
	for (size_t i = 0; i < k; i++)
		a[i] = (struct symidx_key){v[i].start, i};
	for (unsigned shift = 0; shift < 64; shift += 8) {
		size_t count[256] = {0};
		for (size_t i = 0; i < k; i++)
			count[(a[i].start >> shift) & 0xff]++;
		if (count[(a[0].start >> shift) & 0xff] == k)
			continue; /* every key has the same byte here */
		size_t pos = 0;
		for (unsigned d = 0; d < 256; d++) {
			size_t c = count[d];
			count[d] = pos;
			pos += c;
		}
		for (size_t i = 0; i < k; i++)
			b[count[(a[i].start >> shift) & 0xff]++] = a[i];
		struct symidx_key *t = a;
		a = b;
		b = t;
	}
	for (size_t i = 0; i < k; i++)
		out[i] = v[a[i].at];
	for (size_t i = 1; i < k; i++) {
		/* Insertion within a run of equal starts (runs are short: aliases). */
		for (size_t j = i; j > 0 && out[j - 1].start == out[j].start &&
				   symidx_cmp(&out[j - 1], &out[j]) > 0;
		     j--) {
			struct symidx_sym t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	}
	memcpy(v, out, k * sizeof(*v));
	free(a);
	free(b);
	free(out);
}

static bool symidx_eligible(const char *name, unsigned shndx, unsigned char info)
{
	unsigned type = GELF_ST_TYPE(info);
	return name && name[0] && shndx != SHN_UNDEF && type != STT_SECTION && type != STT_FILE &&
	       type != STT_TLS;
}

static void symidx_put(struct symidx_sym *v, size_t *k, const char *name, uint64_t addr,
		       uint64_t size, unsigned char info, bool global, int i)
{
	v[(*k)++] = (struct symidx_sym){
	    .start = addr,
	    .end = addr + size,
	    .name = name,
	    .global = global,
	    .bind = symidx_bind_rank(GELF_ST_BIND(info)),
	    .index = i,
	};
}

/*
 * The fast way: walk the ELF symbol table libdwfl chose for the module
 * directly (about 10x cheaper per symbol than dwfl_module_getsym_info).
 * Only when that table is the whole of libdwfl's (no merged auxiliary
 * table), with no extended section indices, and the addresses agree with
 * libdwfl's on a sample; false otherwise, and the caller goes the slow way.
 */
static bool symidx_read_raw(Dwfl_Module *mod, int n, int first_global, struct symidx_sym *v,
			    size_t *k)
{
	GElf_Sym sym;
	GElf_Addr addr;
	GElf_Word shndx;
	Elf *elf = NULL;
	Dwarf_Addr bias = 0;
	if (!dwfl_module_getsym_info(mod, 1, &sym, &addr, &shndx, &elf, &bias) || !elf)
		return false;
	Elf_Scn *scn = NULL, *tab = NULL;
	GElf_Shdr sh, tabsh;
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_entsize == 0)
			continue;
		if ((sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM) &&
		    sh.sh_size / sh.sh_entsize == (GElf_Xword)n) {
			/* libdwfl prefers .symtab: so do we when both have n entries. */
			if (!tab || sh.sh_type == SHT_SYMTAB) {
				tab = scn;
				tabsh = sh;
			}
		}
	}
	if (!tab)
		return false;
	Elf_Data *data = elf_getdata(tab, NULL);
	Elf_Scn *strscn = elf_getscn(elf, tabsh.sh_link);
	Elf_Data *str = strscn ? elf_getdata(strscn, NULL) : NULL;
	if (!data || !str || !str->d_buf)
		return false;
	/* Spot checks: the same symbols, at the same addresses, as libdwfl says. */
	int probes[] = {1, n / 2, n - 1};
	for (size_t p = 0; p < sizeof(probes) / sizeof(probes[0]); p++) {
		GElf_Sym raw;
		int i = probes[p];
		if (i < 1 || !gelf_getsym(data, i, &raw) ||
		    !dwfl_module_getsym_info(mod, i, &sym, &addr, &shndx, NULL, NULL) ||
		    raw.st_value != sym.st_value || raw.st_name != sym.st_name ||
		    (raw.st_shndx != SHN_UNDEF && raw.st_shndx < SHN_LORESERVE &&
		     addr != raw.st_value + bias))
			return false;
	}
	const char *strs = str->d_buf;
	size_t strsz = str->d_size;
	for (int i = 1; i < n; i++) {
		GElf_Sym raw;
		if (!gelf_getsym(data, i, &raw))
			return false;
		if (raw.st_shndx == SHN_XINDEX)
			return false;
		if (raw.st_name >= strsz || !memchr(strs + raw.st_name, 0, strsz - raw.st_name))
			continue;
		const char *name = strs + raw.st_name;
		if (!symidx_eligible(name, raw.st_shndx, raw.st_info))
			continue;
		uint64_t a = raw.st_value + bias;
		if (raw.st_shndx >= SHN_LORESERVE) {
			/* Absolute and special symbols: as libdwfl resolves them. */
			if (!dwfl_module_getsym_info(mod, i, &sym, &addr, &shndx, NULL, NULL))
				continue;
			a = addr;
		}
		symidx_put(v, k, name, a, raw.st_size, raw.st_info,
			   first_global <= 0 || i >= first_global, i);
	}
	return true;
}

static int symidx_build(Dwfl_Module *mod, struct symidx_mod *m)
{
	m->mod = mod;
	m->v = NULL;
	m->n = 0;
	int n = dwfl_module_getsymtab(mod);
	if (n <= 1)
		return 0;
	struct symidx_sym *v = malloc((size_t)n * sizeof(*v));
	if (!v)
		return -1;
	int first_global = dwfl_module_getsymtab_first_global(mod);
	size_t k = 0;
	if (!symidx_read_raw(mod, n, first_global, v, &k)) {
		k = 0;
		for (int i = 1; i < n; i++) {
			GElf_Sym sym;
			GElf_Addr addr;
			GElf_Word shndx;
			const char *name =
			    dwfl_module_getsym_info(mod, i, &sym, &addr, &shndx, NULL, NULL);
			if (symidx_eligible(name, shndx, sym.st_info))
				symidx_put(v, &k, name, addr, sym.st_size, sym.st_info,
					   first_global <= 0 || i >= first_global, i);
		}
	}
	if (k)
		symidx_sort(v, k);
	uint64_t maxend = 0;
	for (size_t i = 0; i < k; i++) {
		if (v[i].end > maxend)
			maxend = v[i].end;
		v[i].maxend = maxend;
	}
	m->v = v;
	m->n = k;
	return 0;
}

static struct symidx_mod *symidx_get(struct debug_proc *dp, Dwfl_Module *mod)
{
	struct symidx *ix = dp->symidx;
	if (!ix) {
		ix = dp->symidx = calloc(1, sizeof(*ix));
		if (!ix)
			return NULL;
	}
	for (size_t i = 0; i < ix->n; i++)
		if (ix->mods[i].mod == mod)
			return &ix->mods[i];
	if (ix->n == ix->cap) {
		size_t cap = ix->cap ? ix->cap * 2 : 16;
		void *p = realloc(ix->mods, cap * sizeof(*ix->mods));
		if (!p)
			return NULL;
		ix->mods = p;
		ix->cap = cap;
	}
	struct symidx_mod *m = &ix->mods[ix->n];
	if (symidx_build(mod, m) < 0)
		return NULL;
	ix->n++;
	return m;
}

/* libdwfl's own answer, for addresses no sized symbol holds. */
static const char *symidx_slow(Dwfl_Module *mod, uint64_t pc, uint64_t *start)
{
	GElf_Off off = 0;
	GElf_Sym sym;
	const char *name = dwfl_module_addrinfo(mod, pc, &off, &sym, NULL, NULL, NULL);
	if (name)
		*start = pc - off;
	return name;
}

const char *symidx_lookup(struct debug_proc *dp, Dwfl_Module *mod, uint64_t pc, uint64_t *start)
{
	struct symidx_mod *m = symidx_get(dp, mod);
	if (!m)
		return symidx_slow(mod, pc, start);
	/* hi: the number of entries starting at or below pc. */
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->v[mid].start <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	/*
	 * Walking back, the first global (and the first local) entry that
	 * holds pc starts closest to it and is the preferred one among equal
	 * starts. Nothing before index j holds pc once maxend[j] <= pc.
	 */
	const struct symidx_sym *g = NULL, *l = NULL;
	bool label_at_pc = false;
	for (size_t j = hi; j-- > 0 && !g;) {
		const struct symidx_sym *s = &m->v[j];
		if (s->end > pc) {
			if (s->global)
				g = s;
			else if (!l)
				l = s;
		} else if (s->start == pc && s->end == s->start && s->global) {
			label_at_pc = true;
		}
		if (s->maxend <= pc)
			break;
	}
	const struct symidx_sym *best = g ? g : label_at_pc ? NULL : l;
	if (!best)
		return symidx_slow(mod, pc, start);
	*start = best->start;
	return best->name;
}

void symidx_flush(struct debug_proc *dp)
{
	struct symidx *ix = dp->symidx;
	if (!ix)
		return;
	for (size_t i = 0; i < ix->n; i++)
		free(ix->mods[i].v);
	free(ix->mods);
	free(ix);
	dp->symidx = NULL;
}
