/*
 * namecache.c: the names of frames kept on disk, by module file, so that a
 * new whytop names a frame it has named before without loading a symbol
 * table or any DWARF.
 *
 * Naming one libc frame the first time in a process loads libc's symbol
 * table and, with libc6-dbg, its DWARF: libdw reads the header of every
 * compilation unit before the one it needs and allocates for each. Here
 * that was two thirds of the CPU time of a cold `whytop stack` (about
 * 1,000 of its 1,270 page faults, at tens of microseconds each on this
 * virtual machine), paid again by every new whytop for the same few
 * functions (clone3, start_thread, the sleep it waits in).
 *
 * One file per module file, in the debug cache directory (dcache.c: the
 * same place, rules and switch, WHYTOP_DEBUG_CACHE=0): BUILDID-HASH.names,
 * HASH over the identity (device, inode, size, modification time) of the
 * module's file and of the separate debug file libdwfl would be handed
 * (the first of debug_candidates that opens), or of none, and this
 * format's version. Installing libc6-dbg, rebuilding a program or
 * replacing a library makes another key, so a stale name is never read.
 * A module gets no file when any of that is unsure: no build-id, a file
 * reached through another process's root, a snapshot loaded from a file,
 * debuginfod on, a refused file or skipped DWARF (a note says so, and
 * must keep saying so), or a debug file other than the key's in the end.
 *
 * The file: a first line "whytop-names 1", then one line per frame pc
 * (relative to the module's load bias) and exactness (pc or pc-1 looked
 * up), with the names symbols.c made for it, inlined calls first:
 *   E RELPC N (FUNCTION FILE SRC OFFSET LINE COLUMN DEPTH INLINE){N}
 * a string "-" when absent, else "=" and its bytes with the space, control
 * bytes, DEL and "%" written %XX. New lines are appended (O_APPEND, one
 * write per walk); a file over NAMECACHE_MAX is read but not grown. A
 * line that does not parse is skipped. The names stored are the escaped
 * ones symbols.c made; read back, they are escaped again (which leaves
 * them as they were), so a file's bytes never reach a terminal raw.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <elfutils/libdwelf.h>

#include <whytop/util.h>

#include "core/stack/stack_int.h"

#define NAMECACHE_VERSION 1
#define NAMECACHE_HEADER "whytop-names 1\n"
#define NAMECACHE_MAX (256 * 1024)
#define NAMECACHE_MAX_NAMES 64

struct nc_rec {
	uint64_t rel;
	bool exact;
	struct stack_frame *names; /* names only: module, pc, regs unset */
	size_t n;
};

struct nc_mod {
	Dwfl_Module *mod;
	bool usable;	       /* a key was made: the file may be read and written */
	uint64_t bias;
	char *path;	  /* the names file */
	char *debug_path; /* the debug file of the key, NULL for none */
	struct nc_rec *recs;
	size_t nrecs, cap;
	struct wt_buf pending; /* lines to append */
};

struct namecache {
	struct nc_mod *mods;
	size_t n, cap;
};


/* --- the text of a record ------------------------------------------------ */

/* " " then "-" for NULL, else "=" and s with space, control bytes, DEL and % as %XX. */
static int nc_put_str(struct wt_buf *b, const char *s)
{
	if (!s)
		return wt_buf_add(b, " -", 2);
	int r = wt_buf_add(b, " =", 2);
	for (const unsigned char *p = (const unsigned char *)s; *p && !r; p++) {
		if (*p <= ' ' || *p == 0x7f || *p == '%')
			r = wt_buf_printf(b, "%%%02X", *p);
		else
			r = wt_buf_add(b, p, 1);
	}
	return r;
}

/* One record's line, newline included, appended to b; on failure b is as it was. */
static int nc_format(struct wt_buf *b, uint64_t rel, bool exact, const struct stack_frame *v,
		     size_t n)
{
	size_t was = b->len;
	int r = wt_buf_printf(b, "%d %llx %zu", exact, (unsigned long long)rel, n);
	for (size_t i = 0; i < n && !r; i++) {
		r = nc_put_str(b, v[i].function);
		r = r ? r : nc_put_str(b, v[i].file);
		r = r ? r : nc_put_str(b, v[i].src_path);
		r = r ? r
		      : wt_buf_printf(b, " %llx %d %d %d %d", (unsigned long long)v[i].offset,
				      v[i].line, v[i].column, v[i].inline_depth,
				      (v[i].flags & STACK_FRAME_INLINE) != 0);
	}
	r = r ? r : wt_buf_add(b, "\n", 1);
	if (r && b->data) {
		b->len = was;
		b->data[was] = 0;
	}
	return r;
}

static int nc_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The next space-separated field of [*p, end), or NULL. */
static const char *nc_field(const char **p, const char *end, size_t *len)
{
	const char *s = *p;
	if (s >= end || *s != ' ')
		return NULL;
	s++;
	const char *e = s;
	while (e < end && *e != ' ')
		e++;
	if (e == s)
		return NULL;
	*len = (size_t)(e - s);
	*p = e;
	return s;
}

static bool nc_get_str(const char **p, const char *end, char **out)
{
	size_t len;
	const char *f = nc_field(p, end, &len);
	*out = NULL;
	if (!f)
		return false;
	if (len == 1 && f[0] == '-')
		return true;
	if (f[0] != '=')
		return false;
	char *s = malloc(len);
	if (!s)
		return false;
	size_t o = 0;
	for (size_t i = 1; i < len; i++) {
		unsigned char c = (unsigned char)f[i];
		if (c == '%') {
			int hi = i + 2 < len ? nc_hex(f[i + 1]) : -1;
			int lo = hi >= 0 ? nc_hex(f[i + 2]) : -1;
			if (lo < 0 || (hi == 0 && lo == 0)) {
				free(s);
				return false;
			}
			s[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (c <= ' ' || c == 0x7f) {
			free(s);
			return false;
		} else {
			s[o++] = (char)c;
		}
	}
	s[o] = 0;
	/*
	 * Names are stored escaped (symbols.c) and escaping is idempotent on
	 * them; whatever else a file holds is made safe to print here.
	 */
	*out = wt_escape(s, o, 0);
	free(s);
	return *out != NULL;
}

static bool nc_get_num(const char **p, const char *end, int base, bool sign, long long lo,
		       unsigned long long hi, unsigned long long *out)
{
	size_t len;
	const char *f = nc_field(p, end, &len);
	if (!f || len > 24)
		return false;
	char num[32];
	memcpy(num, f, len);
	num[len] = 0;
	char *e;
	errno = 0;
	if (sign) {
		long long v = strtoll(num, &e, base);
		if (errno || *e || v < lo || (unsigned long long)v > hi)
			return false;
		*out = (unsigned long long)v;
	} else {
		if (num[0] == '-' || num[0] == '+')
			return false;
		unsigned long long v = strtoull(num, &e, base);
		if (errno || *e || v > hi)
			return false;
		*out = v;
	}
	return true;
}

/* Parse one line (without its newline) into r; false if it is not a record. */
static bool nc_parse(const char *s, size_t len, struct nc_rec *r)
{
	const char *end = s + len;
	memset(r, 0, sizeof(*r));
	if (len < 2 || (s[0] != '0' && s[0] != '1'))
		return false;
	r->exact = s[0] == '1';
	const char *p = s + 1;
	unsigned long long rel, n;
	if (!nc_get_num(&p, end, 16, false, 0, UINT64_MAX, &rel) ||
	    !nc_get_num(&p, end, 10, false, 0, NAMECACHE_MAX_NAMES, &n) || n == 0)
		return false;
	r->rel = rel;
	r->names = calloc(n, sizeof(*r->names));
	if (!r->names)
		return false;
	r->n = n;
	for (size_t i = 0; i < n; i++) {
		struct stack_frame *f = &r->names[i];
		unsigned long long off, line, col, depth, inl;
		if (!nc_get_str(&p, end, &f->function) || !nc_get_str(&p, end, &f->file) ||
		    !nc_get_str(&p, end, &f->src_path) ||
		    !nc_get_num(&p, end, 16, false, 0, UINT64_MAX, &off) ||
		    !nc_get_num(&p, end, 10, true, 0, INT32_MAX, &line) ||
		    !nc_get_num(&p, end, 10, true, 0, INT32_MAX, &col) ||
		    !nc_get_num(&p, end, 10, true, 0, NAMECACHE_MAX_NAMES, &depth) ||
		    !nc_get_num(&p, end, 10, false, 0, 1, &inl))
			goto bad;
		f->offset = off;
		f->line = (int)line;
		f->column = (int)col;
		f->inline_depth = (int)depth;
		f->flags = inl ? STACK_FRAME_INLINE : 0;
	}
	if (p != end)
		goto bad;
	return true;
bad:
	stack_frames_free(r->names, r->n);
	memset(r, 0, sizeof(*r));
	return false;
}

char *namecache_line(uint64_t rel, bool exact, const struct stack_frame *v, size_t n)
{
	struct wt_buf b;
	wt_buf_init(&b);
	if (nc_format(&b, rel, exact, v, n) < 0) {
		wt_buf_free(&b);
		return NULL;
	}
	return wt_buf_steal(&b);
}

bool namecache_parse(const char *s, size_t len, uint64_t *rel, bool *exact,
		     struct stack_frame **v, size_t *n)
{
	struct nc_rec r;
	if (!nc_parse(s, len, &r))
		return false;
	*rel = r.rel;
	*exact = r.exact;
	*v = r.names;
	*n = r.n;
	return true;
}

void namecache_names_free(struct stack_frame *v, size_t n)
{
	stack_frames_free(v, n);
}

/* --- the module's key and file ------------------------------------------- */

static void nc_hash(uint64_t *h, uint64_t v)
{
	for (int b = 0; b < 8; b++) {
		*h ^= (v >> (8 * b)) & 0xff;
		*h *= 0x100000001b3ull;
	}
}

static void nc_hash_stat(uint64_t *h, const struct stat *st)
{
	nc_hash(h, (uint64_t)st->st_dev);
	nc_hash(h, (uint64_t)st->st_ino);
	nc_hash(h, (uint64_t)st->st_size);
	nc_hash(h, (uint64_t)st->st_mtim.tv_sec);
	nc_hash(h, (uint64_t)st->st_mtim.tv_nsec);
}

static bool nc_key(struct debug_proc *dp, Dwfl_Module *mod, struct nc_mod *m)
{
	struct debug_mod *dm = modfile_of(mod);
	if (!dm || !dm->host_path || dp->stored || debug_uses_debuginfod())
		return false;
	Dwarf_Addr bias;
	Elf *elf = dwfl_module_getelf(mod, &bias);
	if (!elf || modfile_refusal(mod))
		return false;
	const unsigned char *id;
	GElf_Addr vaddr;
	int idlen = dwfl_module_build_id(mod, &id, &vaddr);
	const char *mainfile = NULL;
	dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, &mainfile, NULL);
	struct stat ms, ds;
	if (idlen < 4 || idlen > 64 || !mainfile || stat(mainfile, &ms) < 0)
		return false;
	GElf_Word crc;
	const char *link = dwelf_elf_gnu_debuglink(elf, &crc);
	char cand[DEBUG_CANDIDATES][4096];
	int n = debug_candidates(mod, mainfile, link, cand);
	uint64_t h = 0xcbf29ce484222325ull;
	nc_hash(&h, NAMECACHE_VERSION);
	nc_hash_stat(&h, &ms);
	int found = -1;
	for (int i = 0; i < n && found < 0; i++) {
		int fd = open(cand[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		bool ok = fstat(fd, &ds) == 0;
		close(fd);
		if (!ok)
			return false;
		found = i;
		nc_hash_stat(&h, &ds);
		for (const char *c = cand[i]; *c; c++)
			nc_hash(&h, (unsigned char)*c);
	}
	char dir[4096];
	if (!dcache_dir(dir, sizeof(dir)))
		return false;
	char hex[130];
	for (int i = 0; i < idlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", id[i]);
	char path[4096 + 160];
	int w = snprintf(path, sizeof(path), "%s/%s-%016llx.names", dir, hex, (unsigned long long)h);
	if (w < 0 || (size_t)w >= sizeof(path))
		return false;
	m->path = strdup(path);
	m->debug_path = found >= 0 ? strdup(cand[found]) : NULL;
	if (!m->path || (found >= 0 && !m->debug_path))
		return false;
	m->bias = bias;
	return true;
}

static void nc_add_rec(struct nc_mod *m, struct nc_rec *r)
{
	if (m->nrecs == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 32;
		void *p = realloc(m->recs, cap * sizeof(*m->recs));
		if (!p) {
			stack_frames_free(r->names, r->n);
			return;
		}
		m->recs = p;
		m->cap = cap;
	}
	m->recs[m->nrecs++] = *r;
}

/* Read the module's file, if there is one of ours. */
static void nc_load(struct nc_mod *m)
{
	int fd = open(m->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 022) || st.st_size > 2 * NAMECACHE_MAX) {
		close(fd);
		return;
	}
	size_t size = (size_t)st.st_size;
	char *text = malloc(size + 1);
	ssize_t got = 0;
	while (text && (size_t)got < size) {
		ssize_t r = read(fd, text + got, size - (size_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += r;
	}
	close(fd);
	if (!text || got < (ssize_t)strlen(NAMECACHE_HEADER) ||
	    memcmp(text, NAMECACHE_HEADER, strlen(NAMECACHE_HEADER)) != 0) {
		free(text);
		return;
	}
	const char *p = text + strlen(NAMECACHE_HEADER), *end = text + got;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break; /* a line being written: not yet whole */
		struct nc_rec r;
		if (nc_parse(p, (size_t)(nl - p), &r))
			nc_add_rec(m, &r);
		p = nl + 1;
	}
	free(text);
}

static struct nc_mod *nc_mod_of(struct debug_proc *dp, Dwfl_Module *mod)
{
	struct namecache *nc = dp->names;
	if (!nc && !(nc = dp->names = calloc(1, sizeof(*nc))))
		return NULL;
	for (size_t i = 0; i < nc->n; i++)
		if (nc->mods[i].mod == mod)
			return &nc->mods[i];
	if (nc->n == nc->cap) {
		size_t cap = nc->cap ? nc->cap * 2 : 16;
		void *p = realloc(nc->mods, cap * sizeof(*nc->mods));
		if (!p)
			return NULL;
		nc->mods = p;
		nc->cap = cap;
	}
	struct nc_mod *m = &nc->mods[nc->n++];
	memset(m, 0, sizeof(*m));
	m->mod = mod;
	m->usable = nc_key(dp, mod, m);
	if (m->usable)
		nc_load(m);
	return m;
}

/* --- what symbols.c calls ------------------------------------------------ */

const struct stack_frame *namecache_get(struct debug_proc *dp, Dwfl_Module *mod, uint64_t pc,
					bool exact, size_t *n)
{
	struct nc_mod *m = nc_mod_of(dp, mod);
	if (!m || !m->usable)
		return NULL;
	uint64_t rel = pc - m->bias;
	for (size_t i = 0; i < m->nrecs; i++)
		if (m->recs[i].rel == rel && m->recs[i].exact == exact) {
			*n = m->recs[i].n;
			return m->recs[i].names;
		}
	return NULL;
}

void namecache_add(struct debug_proc *dp, Dwfl_Module *mod, uint64_t pc, bool exact,
		   const struct stack_frame *v, size_t n)
{
	struct nc_mod *m = nc_mod_of(dp, mod);
	if (!m || !m->usable || n == 0 || n > NAMECACHE_MAX_NAMES)
		return;
	/* What libdwfl loaded in the end must be what the key named. */
	const char *mainfile = NULL, *debugfile = NULL;
	dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, &mainfile, &debugfile);
	bool same = !debugfile || (mainfile && strcmp(debugfile, mainfile) == 0) ||
		    (m->debug_path && strcmp(debugfile, m->debug_path) == 0);
	if (!same || !mainfile || inflate_noted(mainfile) || modfile_refusal(mod)) {
		m->usable = false;
		return;
	}
	nc_format(&m->pending, pc - m->bias, exact, v, n); /* out of memory: not kept */
	/* Known from now on in this process too (the TUI walks again). */
	struct nc_rec r = {pc - m->bias, exact, calloc(n, sizeof(*r.names)), n};
	if (!r.names)
		return;
	for (size_t i = 0; i < n; i++) {
		r.names[i].function = v[i].function ? strdup(v[i].function) : NULL;
		r.names[i].file = v[i].file ? strdup(v[i].file) : NULL;
		r.names[i].src_path = v[i].src_path ? strdup(v[i].src_path) : NULL;
		r.names[i].offset = v[i].offset;
		r.names[i].line = v[i].line;
		r.names[i].column = v[i].column;
		r.names[i].inline_depth = v[i].inline_depth;
		r.names[i].flags = v[i].flags & STACK_FRAME_INLINE;
	}
	nc_add_rec(m, &r);
}

/* Append what this walk named to each module's file. */
void namecache_sync(struct debug_proc *dp)
{
	struct namecache *nc = dp->names;
	for (size_t i = 0; nc && i < nc->n; i++) {
		struct nc_mod *m = &nc->mods[i];
		if (!m->pending.len)
			continue;
		char dir[4096];
		const char *slash = strrchr(m->path, '/');
		size_t dlen = slash ? (size_t)(slash - m->path) : 0;
		if (dlen >= sizeof(dir))
			dlen = 0;
		memcpy(dir, m->path, dlen);
		dir[dlen] = 0;
		/* A cache never fills a disk (dcache.c's rule). */
		if (!dlen || !dcache_room(dir, m->pending.len + strlen(NAMECACHE_HEADER))) {
			m->pending.len = 0;
			continue;
		}
		int fd = open(m->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		struct stat st;
		if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_uid == geteuid() && !(st.st_mode & 022) && st.st_size < NAMECACHE_MAX) {
			struct wt_buf b;
			wt_buf_init(&b);
			/*
			 * One write, so another whytop's lines never land inside
			 * ours; a short or failed one (a full disk) leaves a torn
			 * last line, which the next reader skips.
			 */
			if ((st.st_size > 0 || wt_buf_puts(&b, NAMECACHE_HEADER) == 0) &&
			    wt_buf_add(&b, m->pending.data, m->pending.len) == 0) {
				ssize_t w = write(fd, b.data, b.len);
				(void)w;
			}
			wt_buf_free(&b);
		}
		if (fd >= 0)
			close(fd);
		m->pending.len = 0;
	}
}

void namecache_flush(struct debug_proc *dp)
{
	struct namecache *nc = dp->names;
	if (!nc)
		return;
	namecache_sync(dp);
	for (size_t i = 0; i < nc->n; i++) {
		struct nc_mod *m = &nc->mods[i];
		for (size_t k = 0; k < m->nrecs; k++)
			stack_frames_free(m->recs[k].names, m->recs[k].n);
		free(m->recs);
		wt_buf_free(&m->pending);
		free(m->path);
		free(m->debug_path);
	}
	free(nc->mods);
	free(nc);
	dp->names = NULL;
}
