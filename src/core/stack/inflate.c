/*
 * inflate.c: what inflating an ELF file's compressed sections may cost,
 * checked before libdwfl ever sees the file.
 *
 * libdw inflates every compressed DWARF section of a file the first time
 * it opens it (dwarf_begin_elf), into memory; the debug cache (dcache.c)
 * inflates them too, to write its copy. The size they inflate to is
 * written in each section's compression header (Elf64_Chdr.ch_size), so
 * it is known for the price of reading the section headers: a 925 KB
 * debug file whose .debug_str claims 900 MB of zeros is refused before a
 * byte of it is inflated, where it used to cost a minute and a gigabyte.
 *
 * The limit (inflate_limit): WHYTOP_DEBUG_INFLATE_MAX bytes if set, else
 * the smallest of 1 GiB, 64 times the file's size (but at least 32 MiB)
 * and a quarter of MemAvailable. Real debug files inflate to 1-13 times
 * their size (the 273 files of this machine's libc6-dbg: libc's 4.2 MB
 * file holds 10 MB, the most is 13x); zlib's ceiling is about 1000x.
 *
 * A refused file is still handed to libdwfl for its symbol table, with
 * its DWARF and compressed sections turned into SHT_NOBITS, which libdw
 * skips: a main file as an Elf whose section headers are edited in a
 * private mapping (inflate_strip_elf), a separate debug file as a sparse
 * memfd holding everything but those sections (inflate_strip_fd). Each
 * refusal leaves a note for the module, which stack_walk passes on to the
 * front ends (inflate_notes).
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/stack/stack_int.h"

#define INFLATE_CEILING (1ull << 30)
#define INFLATE_RATIO 64
#define INFLATE_FLOOR (32ull << 20)

static uint64_t inflate_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Is this section's name one libdw takes for DWARF? */
static bool inflate_dwarf_name(const char *name)
{
	return name && (strncmp(name, ".debug_", 7) == 0 || strncmp(name, ".zdebug_", 8) == 0 ||
			strncmp(name, ".gnu.debuglto_", 14) == 0);
}

/* What this section inflates to if it is compressed (SHF_COMPRESSED or .zdebug), else 0. */
static uint64_t inflate_section(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, const char *name)
{
	if (sh->sh_type == SHT_NOBITS)
		return 0;
	if (sh->sh_flags & SHF_COMPRESSED) {
		GElf_Chdr ch;
		/* An unreadable header: libelf would refuse it as well, at no cost. */
		return gelf_getchdr(scn, &ch) ? ch.ch_size : 0;
	}
	if (name && strncmp(name, ".zdebug", 7) == 0) {
		/* GNU style: "ZLIB" and the size, 8 bytes big-endian. */
		size_t len;
		const unsigned char *p = (const unsigned char *)elf_rawfile(elf, &len);
		if (!p || sh->sh_offset > len || len - sh->sh_offset < 12 || sh->sh_size < 12 ||
		    memcmp(p + sh->sh_offset, "ZLIB", 4) != 0)
			return 0;
		uint64_t v = 0;
		for (int i = 0; i < 8; i++)
			v = v << 8 | p[sh->sh_offset + 4 + i];
		return v;
	}
	return 0;
}

int inflate_cost(Elf *elf, uint64_t *total, uint64_t *stored)
{
	size_t shstrndx;
	*total = *stored = 0;
	if (elf_kind(elf) != ELF_K_ELF || elf_getshdrstrndx(elf, &shstrndx) < 0)
		return 0;
	int n = 0;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			continue;
		uint64_t v = inflate_section(elf, scn, &sh, elf_strptr(elf, shstrndx, sh.sh_name));
		if (v) {
			*total = inflate_add(*total, v);
			*stored = inflate_add(*stored, sh.sh_size);
			n++;
		}
	}
	return n;
}

static uint64_t inflate_mem_available(void)
{
	FILE *f = fopen("/proc/meminfo", "re");
	if (!f)
		return UINT64_MAX;
	char line[128];
	unsigned long long kb;
	uint64_t v = UINT64_MAX;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1) {
			v = kb > UINT64_MAX / 1024 ? UINT64_MAX : kb * 1024;
			break;
		}
	fclose(f);
	return v;
}

uint64_t inflate_limit(uint64_t file_size, const char **why)
{
	const char *env = getenv("WHYTOP_DEBUG_INFLATE_MAX");
	if (env && *env) {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(env, &end, 10);
		if (!*end && !errno && env[0] != '-') {
			*why = "WHYTOP_DEBUG_INFLATE_MAX";
			return v;
		}
	}
	uint64_t limit = INFLATE_CEILING;
	*why = "the most any file may inflate to";
	uint64_t ratio = file_size > INFLATE_CEILING / INFLATE_RATIO ? INFLATE_CEILING
								     : file_size * INFLATE_RATIO;
	if (ratio < INFLATE_FLOOR)
		ratio = INFLATE_FLOOR;
	if (ratio < limit) {
		limit = ratio;
		*why = ratio == INFLATE_FLOOR ? "the most a small file may inflate to"
					      : "64 times the file's size";
	}
	uint64_t mem = inflate_mem_available() / 4;
	if (mem < limit) {
		limit = mem;
		*why = "a quarter of the available memory";
	}
	return limit;
}

void inflate_size_text(uint64_t v, char *buf, size_t n)
{
	if (v >= 10ull << 30)
		snprintf(buf, n, "%llu GiB", (unsigned long long)(v >> 30));
	else if (v >= 10ull << 20)
		snprintf(buf, n, "%llu MiB", (unsigned long long)(v >> 20));
	else if (v >= 10ull << 10)
		snprintf(buf, n, "%llu KiB", (unsigned long long)(v >> 10));
	else
		snprintf(buf, n, "%llu bytes", (unsigned long long)v);
}

bool inflate_too_big(Elf *elf, uint64_t file_size, const char *path, const char *module)
{
	uint64_t total, stored;
	if (!inflate_cost(elf, &total, &stored))
		return false;
	const char *why;
	uint64_t limit = inflate_limit(file_size, &why);
	if (total <= limit)
		return false;
	char a[32], b[32];
	inflate_size_text(total, a, sizeof(a));
	inflate_size_text(limit, b, sizeof(b));
	inflate_note(module, path,
		     "its compressed sections would inflate to %s (limit %s: %s); "
		     "set WHYTOP_DEBUG_INFLATE_MAX=BYTES to allow more",
		     a, b, why);
	return true;
}

/* Should a refused file lose this section (DWARF, or anything compressed)? */
static bool inflate_strip_this(Elf *elf, size_t shstrndx, Elf_Scn *scn, GElf_Shdr *sh)
{
	const char *name = elf_strptr(elf, shstrndx, sh->sh_name);
	return sh->sh_type != SHT_NOBITS && sh->sh_type != SHT_NULL &&
	       (inflate_dwarf_name(name) || inflate_section(elf, scn, sh, name));
}

static void inflate_strip_shdr(GElf_Shdr *sh)
{
	sh->sh_type = SHT_NOBITS;
	sh->sh_flags &= ~(GElf_Xword)SHF_COMPRESSED;
}

Elf *inflate_strip_elf(int fd)
{
	/* A private writable mapping: the edits stay in this process. */
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP_PRIVATE, NULL);
	size_t shstrndx;
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getshdrstrndx(elf, &shstrndx) < 0) {
		elf_end(elf);
		return NULL;
	}
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || !inflate_strip_this(elf, shstrndx, scn, &sh))
			continue;
		inflate_strip_shdr(&sh);
		if (!gelf_update_shdr(scn, &sh)) {
			elf_end(elf);
			return NULL;
		}
	}
	return elf;
}

/* Section header i of elf as sh, in the file's own layout, into the memfd out. */
static bool inflate_put_shdr(Elf *elf, const GElf_Ehdr *eh, int out, size_t i, const GElf_Shdr *sh)
{
	union {
		Elf32_Shdr s32;
		Elf64_Shdr s64;
	} mem, file;
	size_t size;
	if (gelf_getclass(elf) == ELFCLASS32) {
		mem.s32 = (Elf32_Shdr){
		    .sh_name = sh->sh_name,
		    .sh_type = sh->sh_type,
		    .sh_flags = (Elf32_Word)sh->sh_flags,
		    .sh_addr = (Elf32_Addr)sh->sh_addr,
		    .sh_offset = (Elf32_Off)sh->sh_offset,
		    .sh_size = (Elf32_Word)sh->sh_size,
		    .sh_link = sh->sh_link,
		    .sh_info = sh->sh_info,
		    .sh_addralign = (Elf32_Word)sh->sh_addralign,
		    .sh_entsize = (Elf32_Word)sh->sh_entsize,
		};
		size = sizeof(Elf32_Shdr);
	} else {
		mem.s64 = *sh;
		size = sizeof(Elf64_Shdr);
	}
	if (eh->e_shentsize != size)
		return false;
	Elf_Data src = {
	    .d_buf = &mem, .d_type = ELF_T_SHDR, .d_size = size, .d_version = EV_CURRENT};
	Elf_Data dst = {.d_buf = &file, .d_size = size, .d_version = EV_CURRENT};
	if (!gelf_xlatetof(elf, &dst, &src, eh->e_ident[EI_DATA]))
		return false;
	off_t at = (off_t)(eh->e_shoff + i * eh->e_shentsize);
	return pwrite(out, &file, size, at) == (ssize_t)size;
}

/* Copy [off, off + len) of the mapped file into out at the same offset. */
static bool inflate_copy(int out, const char *base, size_t flen, uint64_t off, uint64_t len)
{
	if (off >= flen)
		return true;
	if (len > flen - off)
		len = flen - off;
	while (len) {
		ssize_t n = pwrite(out, base + off, len, (off_t)off);
		if (n <= 0)
			return false;
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
	return true;
}

int inflate_strip_fd(int fd)
{
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	size_t shstrndx, shnum, phnum, flen;
	GElf_Ehdr eh;
	const char *base = elf ? elf_rawfile(elf, &flen) : NULL;
	int out = -1;
	bool ok = base && elf_kind(elf) == ELF_K_ELF && gelf_getehdr(elf, &eh) &&
		  elf_getshdrstrndx(elf, &shstrndx) == 0 && elf_getshdrnum(elf, &shnum) == 0 &&
		  elf_getphdrnum(elf, &phnum) == 0;
	if (ok) {
		out = memfd_create("whytop-symbols", MFD_CLOEXEC);
		/* Sparse: what is not copied takes no memory. */
		ok = out >= 0 && ftruncate(out, (off_t)flen) == 0 &&
		     inflate_copy(out, base, flen, 0, eh.e_ehsize) &&
		     inflate_copy(out, base, flen, eh.e_phoff, (uint64_t)phnum * eh.e_phentsize) &&
		     inflate_copy(out, base, flen, eh.e_shoff, (uint64_t)shnum * eh.e_shentsize);
	}
	Elf_Scn *scn = NULL;
	while (ok && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (inflate_strip_this(elf, shstrndx, scn, &sh)) {
			inflate_strip_shdr(&sh);
			ok = inflate_put_shdr(elf, &eh, out, elf_ndxscn(scn), &sh);
		} else if (sh.sh_type != SHT_NOBITS) {
			ok = inflate_copy(out, base, flen, sh.sh_offset, sh.sh_size);
		}
	}
	elf_end(elf);
	if (!ok) {
		if (out >= 0)
			close(out);
		return -1;
	}
	return out;
}

/* ---- notes: which module's debug info was refused, and why ---- */

struct inflate_note {
	char *module; /* the module's main file, as libdwfl names it */
	char *text;   /* escaped sentence */
};

static pthread_mutex_t inflate_lock = PTHREAD_MUTEX_INITIALIZER;
static struct inflate_note *inflate_notes_v;
static size_t inflate_nnotes;

void inflate_note(const char *module, const char *path, const char *fmt, ...)
{
	char why[512], text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	char *epath = wt_escape(path, strlen(path), 0);
	snprintf(text, sizeof(text), "debug info of %s skipped: %s", epath ? epath : "?", why);
	free(epath);
	const char *key = module ? module : path;
	pthread_mutex_lock(&inflate_lock);
	for (size_t i = 0; i < inflate_nnotes; i++)
		if (strcmp(inflate_notes_v[i].module, key) == 0) {
			char *t = strdup(text);
			if (t) {
				free(inflate_notes_v[i].text);
				inflate_notes_v[i].text = t;
			}
			goto out;
		}
	void *p = realloc(inflate_notes_v, (inflate_nnotes + 1) * sizeof(*inflate_notes_v));
	if (p) {
		inflate_notes_v = p;
		struct inflate_note *n = &inflate_notes_v[inflate_nnotes];
		n->module = strdup(key);
		n->text = strdup(text);
		if (n->module && n->text)
			inflate_nnotes++;
		else {
			free(n->module);
			free(n->text);
		}
	}
out:
	pthread_mutex_unlock(&inflate_lock);
}

bool inflate_noted(const char *mainfile)
{
	bool found = false;
	pthread_mutex_lock(&inflate_lock);
	for (size_t i = 0; i < inflate_nnotes && !found; i++)
		found = strcmp(inflate_notes_v[i].module, mainfile) == 0;
	pthread_mutex_unlock(&inflate_lock);
	return found;
}

struct inflate_collect {
	char **v;
	size_t n;
};

static int inflate_collect_one(Dwfl_Module *mod, void **userdata, const char *name,
			       Dwarf_Addr start, void *arg)
{
	struct inflate_collect *c = arg;
	const char *mainfile = NULL;
	dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, &mainfile, NULL);
	for (size_t i = 0; mainfile && i < inflate_nnotes; i++) {
		if (strcmp(inflate_notes_v[i].module, mainfile) != 0)
			continue;
		void *p = realloc(c->v, (c->n + 1) * sizeof(*c->v));
		char *t = p ? strdup(inflate_notes_v[i].text) : NULL;
		if (p)
			c->v = p;
		if (t)
			c->v[c->n++] = t;
		break;
	}
	return DWARF_CB_OK;
}

size_t inflate_notes(Dwfl *dwfl, char ***out)
{
	struct inflate_collect c = {NULL, 0};
	pthread_mutex_lock(&inflate_lock);
	if (inflate_nnotes)
		dwfl_getmodules(dwfl, inflate_collect_one, &c, 0);
	pthread_mutex_unlock(&inflate_lock);
	*out = c.v;
	return c.n;
}
