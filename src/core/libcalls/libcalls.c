/*
 * libcalls.c: counting a live process's library calls (whytop/libcalls.h).
 *
 * Choosing: the executable's .dynsym gives its imports (undefined function
 * symbols); /proc/PID/maps gives the libraries it maps, in address order;
 * each library's .dynsym (default versions only) gives what it exports and
 * where (a symbol's address turned into a file offset through the PT_LOAD
 * that holds it: uprobes are placed by file offset). Aliases (random and
 * __random) share one probe. IFUNC symbols are left out: their address is
 * the resolver, run once at load, not the function that is called.
 *
 * Counting: libcalls.bpf.c, one program whose attach cookie is the
 * function's index. On a kernel with uprobe_multi (6.6+) one link per
 * library holds all its probes; libbpf here (1.1) has no call for it, so
 * the link is created with the bpf syscall directly. Else one perf uprobe
 * per function (libbpf), the program reloaded without the multi attach
 * type. The target never stops: a uprobe is a breakpoint the kernel
 * handles itself (microseconds per call: doc/benchmarks.md, 19 us of the
 * target's CPU on the 2-CPU VM of 2026-12, against 39 us under ltrace -c).
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <whytop/libcalls.h>

#include "config.h"

struct lc_sym {
	char *name;
	uint64_t offset;
	int prio; /* among aliases at one offset, the lowest is shown */
};

struct lc_lib {
	char *path;    /* as mapped */
	char *open_as; /* /proc/PID/root/PATH: the same file, seen from here */
	struct lc_sym *syms;
	size_t nsyms;
	size_t nifuncs;
};

struct lc_session {
	pid_t pid;
	struct lc_func *funcs;
	size_t nfuncs;
	size_t nifuncs;
	size_t nrefused; /* functions the kernel would not put a uprobe on */
	char backend[64];
	char cost[320];
	void *bpf; /* struct lc_bpf, or NULL in a build without eBPF */
};

/* ---- ELF ---- */

static char *lc_strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* The file offset of address v, through the PT_LOAD holding it; 0 if none. */
static uint64_t lc_file_offset(Elf *e, uint64_t v)
{
	size_t n;
	if (elf_getphdrnum(e, &n))
		return 0;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (v >= ph.p_vaddr && v < ph.p_vaddr + ph.p_filesz)
			return v - ph.p_vaddr + ph.p_offset;
	}
	return 0;
}

/*
 * Walk the .dynsym of file path: imports (undefined functions) when
 * imports, else the exported functions with their file offsets. IFUNCs
 * are counted in *nifuncs (exports) and not listed.
 */
static bool lc_wanted(const struct lc_opts *o, const char *name);

static int lc_elf_syms(const char *path, bool imports, const struct lc_opts *o, struct lc_sym **out,
		       size_t *nout, size_t *nifuncs, struct wt_err *err)
{
	*out = NULL;
	*nout = 0;
	if (nifuncs)
		*nifuncs = 0;
	elf_version(EV_CURRENT);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return wt_err_set(err, errno, "cannot open %s: %s", path, strerror(errno));
	Elf *e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF) {
		if (e)
			elf_end(e);
		close(fd);
		return wt_err_set(err, ENOEXEC, "%s is not an ELF file", path);
	}
	Elf_Scn *scn = NULL, *dynsym = NULL, *versym = NULL;
	GElf_Shdr sh, dsh = {0};
	while ((scn = elf_nextscn(e, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_DYNSYM) {
			dynsym = scn;
			dsh = sh;
		} else if (sh.sh_type == SHT_GNU_versym) {
			versym = scn;
		}
	}
	struct lc_sym *syms = NULL;
	size_t n = 0, cap = 0;
	int r = 0;
	Elf_Data *d = dynsym ? elf_getdata(dynsym, NULL) : NULL;
	Elf_Data *vd = versym ? elf_getdata(versym, NULL) : NULL;
	size_t count = d && dsh.sh_entsize ? dsh.sh_size / dsh.sh_entsize : 0;
	for (size_t i = 1; i < count; i++) {
		GElf_Sym s;
		if (!gelf_getsym(d, (int)i, &s))
			continue;
		int type = GELF_ST_TYPE(s.st_info), bind = GELF_ST_BIND(s.st_info);
		if (bind != STB_GLOBAL && bind != STB_WEAK)
			continue;
		if (type != STT_FUNC && type != STT_GNU_IFUNC)
			continue;
		if (imports != (s.st_shndx == SHN_UNDEF))
			continue;
		if (!imports) {
			GElf_Versym ver;
			/* memcpy@GLIBC_2.2.5 beside memcpy@@GLIBC_2.14: only the default */
			if (vd && gelf_getversym(vd, (int)i, &ver) && (ver & 0x8000))
				continue;
			if (type == STT_GNU_IFUNC) {
				const char *iname = elf_strptr(e, dsh.sh_link, s.st_name);
				if (nifuncs && iname && lc_wanted(o, iname))
					(*nifuncs)++;
				continue;
			}
		}
		const char *name = elf_strptr(e, dsh.sh_link, s.st_name);
		if (!name || !*name)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			struct lc_sym *m = realloc(syms, cap * sizeof(*syms));
			if (!m) {
				r = wt_err_set(err, ENOMEM, "out of memory");
				break;
			}
			syms = m;
		}
		syms[n].name = strdup(name);
		syms[n].offset = imports ? 0 : lc_file_offset(e, s.st_value);
		/* aliases: prefer a name without leading underscores, then a global one */
		syms[n].prio = (name[0] == '_') * 2 + (bind == STB_WEAK);
		if (!syms[n].name) {
			r = wt_err_set(err, ENOMEM, "out of memory");
			break;
		}
		if (!imports && !syms[n].offset) {
			free(syms[n].name);
			continue;
		}
		n++;
	}
	elf_end(e);
	close(fd);
	if (r) {
		for (size_t i = 0; i < n; i++)
			free(syms[i].name);
		free(syms);
		return r;
	}
	*out = syms;
	*nout = n;
	return 0;
}

/* ---- the libraries of the process ---- */

static void lc_libs_free(struct lc_lib *libs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(libs[i].path);
		free(libs[i].open_as);
		for (size_t j = 0; j < libs[i].nsyms; j++)
			free(libs[i].syms[j].name);
		free(libs[i].syms);
	}
	free(libs);
}

/* The file-backed executable mappings of pid but its executable, in map order. */
static int lc_libs_read(pid_t pid, const char *exe, struct lc_lib **out, size_t *nout,
			struct wt_err *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return wt_err_set(err, errno, "cannot read %s: %s", path, strerror(errno));
	struct lc_lib *libs = NULL;
	size_t n = 0;
	char line[4096];
	int r = 0;
	while (fgets(line, sizeof(line), f)) {
		char perms[8];
		int off = 0;
		if (sscanf(line, "%*x-%*x %7s %*x %*x:%*x %*u %n", perms, &off) != 1 || !off)
			continue;
		char *file = line + off;
		file[strcspn(file, "\n")] = '\0';
		if (file[0] != '/' || perms[2] != 'x' || strcmp(file, exe) == 0 ||
		    strstr(file, " (deleted)"))
			continue;
		bool seen = false;
		for (size_t i = 0; i < n && !seen; i++)
			seen = strcmp(libs[i].path, file) == 0;
		if (seen)
			continue;
		struct lc_lib *m = realloc(libs, (n + 1) * sizeof(*libs));
		if (!m) {
			r = wt_err_set(err, ENOMEM, "out of memory");
			break;
		}
		libs = m;
		memset(&libs[n], 0, sizeof(libs[n]));
		libs[n].path = strdup(file);
		size_t len = strlen(file) + 64;
		libs[n].open_as = malloc(len);
		n++;
		if (!libs[n - 1].path || !libs[n - 1].open_as) {
			r = wt_err_set(err, ENOMEM, "out of memory");
			break;
		}
		snprintf(libs[n - 1].open_as, len, "/proc/%d/root%s", (int)pid, file);
	}
	fclose(f);
	if (r) {
		lc_libs_free(libs, n);
		return r;
	}
	*out = libs;
	*nout = n;
	return 0;
}

/* "libc" names libc.so.6 (and libc-2.36.so), "c" too, a full name itself. */
static bool lc_lib_named(const char *path, const char *name)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (strcmp(base, name) == 0 || strcmp(path, name) == 0)
		return true;
	size_t len = strlen(name);
	if (strncmp(base, name, len) == 0 &&
	    (strncmp(base + len, ".so", 3) == 0 || base[len] == '-'))
		return true;
	return strncmp(base, "lib", 3) == 0 && strncmp(base + 3, name, len) == 0 &&
	       (strncmp(base + 3 + len, ".so", 3) == 0 || base[3 + len] == '-');
}

static bool lc_wanted(const struct lc_opts *o, const char *name)
{
	if (!o->nglobs)
		return true;
	for (size_t i = 0; i < o->nglobs; i++)
		if (fnmatch(o->globs[i], name, 0) == 0)
			return true;
	return false;
}

static int lc_add(struct lc_session *s, size_t *cap, const char *name, const char *lib,
		  uint64_t offset)
{
	if (s->nfuncs == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		struct lc_func *m = realloc(s->funcs, *cap * sizeof(*m));
		if (!m)
			return -ENOMEM;
		s->funcs = m;
	}
	struct lc_func *f = &s->funcs[s->nfuncs];
	f->name = lc_strdup(name);
	f->lib = lc_strdup(lib);
	f->offset = offset;
	f->calls = 0;
	f->refused = false;
	if (!f->name || !f->lib) {
		free(f->name);
		free(f->lib);
		return -ENOMEM;
	}
	s->nfuncs++;
	return 0;
}

static int lc_sym_cmp(const void *a, const void *b)
{
	const struct lc_sym *x = a, *y = b;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	if (x->prio != y->prio)
		return x->prio - y->prio;
	return strcmp(x->name, y->name);
}

/* Choose the functions (see the header comment). */
static int lc_choose(struct lc_session *s, const struct lc_opts *o, struct wt_err *err)
{
	char link[64], exe[4096];
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)s->pid);
	ssize_t len = readlink(link, exe, sizeof(exe) - 1);
	if (len < 0) {
		int e = errno;
		return wt_err_set(err, e, "cannot read %s: %s%s", link, strerror(e),
				  e == EACCES || e == EPERM
				      ? "; run as root (counting library calls needs CAP_BPF, "
					"CAP_PERFMON and the process's files)"
				      : "");
	}
	exe[len] = '\0';
	struct lc_lib *libs = NULL;
	size_t nlibs = 0;
	int r = lc_libs_read(s->pid, exe, &libs, &nlibs, err);
	if (r)
		return r;
	struct lc_sym *imports = NULL;
	size_t nimports = 0, cap = 0, picked = 0;
	if (!o->lib) {
		r = lc_elf_syms(link, true, o, &imports, &nimports, NULL, err);
		if (r)
			goto out;
	}
	for (size_t i = 0; i < nlibs; i++) {
		struct lc_lib *l = &libs[i];
		if (o->lib && !lc_lib_named(l->path, o->lib))
			continue;
		struct wt_err e2;
		if (lc_elf_syms(l->open_as, false, o, &l->syms, &l->nsyms, &l->nifuncs, &e2)) {
			if (o->lib) {
				r = wt_err_set(err, e2.code, "%s", e2.msg);
				goto out;
			}
			continue; /* an odd mapping (not ELF): it exports nothing */
		}
		qsort(l->syms, l->nsyms, sizeof(*l->syms), lc_sym_cmp);
		picked++;
	}
	if (o->lib && !picked) {
		struct wt_buf b;
		wt_buf_init(&b);
		for (size_t i = 0; i < nlibs; i++) {
			const char *base = strrchr(libs[i].path, '/');
			wt_buf_printf(&b, "%s%s", i ? ", " : "", base ? base + 1 : libs[i].path);
		}
		char *list = wt_buf_steal(&b);
		char *lib = wt_escape(o->lib, strlen(o->lib), 1);
		char *elist = list ? wt_escape(list, strlen(list), 1) : NULL;
		r = wt_err_set(err, ENOENT,
			       "process %d maps no library named '%s'; give one of its libraries "
			       "to --lib: %s",
			       (int)s->pid, lib ? lib : "?", elist ? elist : "(none)");
		free(lib);
		free(elist);
		free(list);
		goto out;
	}
	if (o->lib) {
		for (size_t i = 0; i < nlibs; i++) {
			struct lc_lib *l = &libs[i];
			s->nifuncs += l->nifuncs;
			for (size_t j = 0; j < l->nsyms; j++) {
				/* aliases: the best name was sorted first at each offset */
				if (j && l->syms[j].offset == l->syms[j - 1].offset)
					continue;
				/* any alias matching the globs picks the function */
				size_t k = j;
				while (k < l->nsyms && l->syms[k].offset == l->syms[j].offset &&
				       !lc_wanted(o, l->syms[k].name))
					k++;
				if (k == l->nsyms || l->syms[k].offset != l->syms[j].offset)
					continue;
				if (lc_add(s, &cap, l->syms[k].name, l->path, l->syms[k].offset)) {
					r = wt_err_set(err, ENOMEM, "out of memory");
					goto out;
				}
			}
		}
	} else {
		for (size_t i = 0; i < nimports; i++) {
			const char *name = imports[i].name;
			if (!lc_wanted(o, name))
				continue;
			for (size_t j = 0; j < nlibs; j++) {
				struct lc_lib *l = &libs[j];
				size_t k = 0;
				while (k < l->nsyms && strcmp(l->syms[k].name, name) != 0)
					k++;
				if (k == l->nsyms)
					continue;
				/* one probe per address: an import that aliases another is shown
				 * once */
				bool dup = false;
				for (size_t m = 0; m < s->nfuncs && !dup; m++)
					dup = s->funcs[m].offset == l->syms[k].offset &&
					      strcmp(s->funcs[m].lib, l->path) == 0;
				if (!dup && lc_add(s, &cap, name, l->path, l->syms[k].offset)) {
					r = wt_err_set(err, ENOMEM, "out of memory");
					goto out;
				}
				break;
			}
		}
		/* an import none of the libraries exports plainly: an IFUNC (or unresolved) */
		for (size_t i = 0; i < nimports; i++) {
			bool found = false;
			for (size_t m = 0; m < s->nfuncs && !found; m++)
				found = strcmp(s->funcs[m].name, imports[i].name) == 0;
			if (!found && lc_wanted(o, imports[i].name))
				s->nifuncs++;
		}
	}
	if (!s->nfuncs)
		r = wt_err_set(err, ENOENT,
			       "no function to count in process %d: %s%s; try other -e patterns%s",
			       (int)s->pid,
			       o->lib ? "the library exports none" : "its executable imports none",
			       o->nglobs ? " that match" : "", o->lib ? "" : " or --lib NAME");
out:
	for (size_t i = 0; i < nimports; i++)
		free(imports[i].name);
	free(imports);
	lc_libs_free(libs, nlibs);
	return r;
}

/* ---- eBPF ---- */

#ifdef HAVE_BPF_SKEL
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "src/core/libcalls/libcalls.skel.h"
#include "core/bpf/libbpf_log.h"

#define LC_TRACE_UPROBE_MULTI 48 /* enum bpf_attach_type, Linux 6.6 */
#define LC_LINK_CREATE 28	 /* enum bpf_cmd */

struct lc_bpf {
	struct libcalls_bpf *skel;
	int *link_fds; /* uprobe_multi links, one per library */
	size_t nlink_fds;
	struct bpf_link **links; /* or one libbpf link per function */
	size_t nlinks;
	int ncpus;
	uint64_t *vals;
};

/* The bpf_attr of BPF_LINK_CREATE for a uprobe_multi link (uapi/linux/bpf.h). */
struct lc_link_create_attr {
	uint32_t prog_fd;
	uint32_t target_fd;
	uint32_t attach_type;
	uint32_t flags;
	uint64_t path;
	uint64_t offsets;
	uint64_t ref_ctr_offsets;
	uint64_t cookies;
	uint32_t cnt;
	uint32_t mflags;
	uint32_t pid;
	uint32_t pad;
};

static void lc_bpf_free(struct lc_bpf *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->nlink_fds; i++)
		close(b->link_fds[i]);
	for (size_t i = 0; i < b->nlinks; i++)
		bpf_link__destroy(b->links[i]);
	free(b->link_fds);
	free(b->links);
	libcalls_bpf__destroy(b->skel);
	free(b->vals);
	free(b);
}

static int lc_bpf_load(struct lc_session *s, struct lc_bpf *b, bool multi, struct wt_err *err)
{
	b->skel = libcalls_bpf__open();
	if (!b->skel)
		return wt_err_set(err, errno ? errno : EINVAL,
				  "cannot open the eBPF call counter: %s",
				  strerror(errno ? errno : EINVAL));
	b->skel->rodata->tgid = (uint32_t)s->pid;
	bpf_map__set_max_entries(b->skel->maps.calls, (uint32_t)s->nfuncs);
	if (multi)
		bpf_program__set_expected_attach_type(b->skel->progs.wt_lc_hit,
						      (enum bpf_attach_type)LC_TRACE_UPROBE_MULTI);
	int r = libcalls_bpf__load(b->skel);
	if (r)
		return wt_err_set(err, -r, "the kernel refused the eBPF call counter: %s",
				  strerror(-r));
	return 0;
}

/* A refusal that concerns one probe's place (its first instruction), not all. */
static bool lc_refused_here(int e)
{
	return e == 524 /* ENOTSUPP: an instruction uprobes cannot step over */ || e == EINVAL ||
	       e == EILSEQ;
}

/*
 * A uprobe_multi link for cnt functions of one file. The kernel takes all
 * or none: when it refuses a place, the list is halved until the
 * functions it refuses are alone, and those are marked refused (a few
 * more links, about log2(cnt) per refused function).
 */
static int lc_multi_link(struct lc_session *s, struct lc_bpf *b, const char *path, uint64_t *offs,
			 uint64_t *cookies, uint32_t cnt)
{
	if (!cnt)
		return 0;
	struct lc_link_create_attr a;
	memset(&a, 0, sizeof(a));
	a.prog_fd = (uint32_t)bpf_program__fd(b->skel->progs.wt_lc_hit);
	a.attach_type = LC_TRACE_UPROBE_MULTI;
	a.path = (uint64_t)(uintptr_t)path;
	a.offsets = (uint64_t)(uintptr_t)offs;
	a.cookies = (uint64_t)(uintptr_t)cookies;
	a.cnt = cnt;
	a.pid = (uint32_t)s->pid;
	long fd = syscall(__NR_bpf, LC_LINK_CREATE, &a, sizeof(a));
	if (fd >= 0) {
		int *m = realloc(b->link_fds, (b->nlink_fds + 1) * sizeof(*m));
		if (!m) {
			close((int)fd);
			return -ENOMEM;
		}
		b->link_fds = m;
		b->link_fds[b->nlink_fds++] = (int)fd;
		return 0;
	}
	int e = errno;
	if (!lc_refused_here(e))
		return -e;
	if (cnt == 1) {
		s->funcs[cookies[0]].refused = true;
		s->nrefused++;
		return 0;
	}
	uint32_t half = cnt / 2;
	int r = lc_multi_link(s, b, path, offs, cookies, half);
	if (r == 0)
		r = lc_multi_link(s, b, path, offs + half, cookies + half, cnt - half);
	return r;
}

/* uprobe_multi links for every library; -errno when the kernel has none. */
static int lc_attach_multi(struct lc_session *s, struct lc_bpf *b)
{
	uint64_t *offs = calloc(s->nfuncs, sizeof(*offs));
	uint64_t *cookies = calloc(s->nfuncs, sizeof(*cookies));
	int r = 0;
	if (!offs || !cookies) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < s->nfuncs && !r; i++) {
		bool first = true;
		for (size_t j = 0; j < i && first; j++)
			first = strcmp(s->funcs[j].lib, s->funcs[i].lib) != 0;
		if (!first)
			continue;
		uint32_t cnt = 0;
		for (size_t j = i; j < s->nfuncs; j++) {
			if (strcmp(s->funcs[j].lib, s->funcs[i].lib) != 0)
				continue;
			offs[cnt] = s->funcs[j].offset;
			cookies[cnt++] = j;
		}
		char path[4200];
		snprintf(path, sizeof(path), "/proc/%d/root%s", (int)s->pid, s->funcs[i].lib);
		r = lc_multi_link(s, b, path, offs, cookies, cnt);
	}
	/* every place refused: rather uprobe_multi itself (tried one by one next) */
	if (r == 0 && !b->nlink_fds)
		r = -EINVAL;
out:
	free(offs);
	free(cookies);
	return r;
}

/* One libbpf uprobe per function, all processes, cookie = index. */
static int lc_attach_each(struct lc_session *s, struct lc_bpf *b, struct wt_err *err)
{
	s->nrefused = 0;
	for (size_t i = 0; i < s->nfuncs; i++)
		s->funcs[i].refused = false;
	b->links = calloc(s->nfuncs, sizeof(*b->links));
	if (!b->links)
		return wt_err_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < s->nfuncs; i++) {
		LIBBPF_OPTS(bpf_uprobe_opts, uo, .bpf_cookie = i);
		char path[4200];
		snprintf(path, sizeof(path), "/proc/%d/root%s", (int)s->pid, s->funcs[i].lib);
		struct bpf_link *l = bpf_program__attach_uprobe_opts(
		    b->skel->progs.wt_lc_hit, -1, path, (size_t)s->funcs[i].offset, &uo);
		if (!l && lc_refused_here(errno) && s->nfuncs > 1) {
			s->funcs[i].refused = true;
			s->nrefused++;
			continue;
		}
		if (!l) {
			int e = errno;
			char *name = wt_escape(s->funcs[i].name, strlen(s->funcs[i].name), 1);
			wt_err_set(err, e, "cannot put a uprobe on %s in %s: %s", name ? name : "?",
				   s->funcs[i].lib, strerror(e));
			free(name);
			return -e;
		}
		b->links[b->nlinks++] = l;
	}
	return 0;
}

static int lc_bpf_open(struct lc_session *s, struct wt_err *err)
{
	wt_libbpf_quiet();
	int ncpus = libbpf_num_possible_cpus();
	if (ncpus <= 0)
		return wt_err_set(err, EINVAL, "cannot tell how many CPUs this machine has");
	const char *no = getenv("WHYTOP_NO_UPROBE_MULTI"); /* the tests run both ways */
	bool multi = !(no && *no);
	struct lc_bpf *b = NULL;
	int r = -EINVAL;
	for (int pass = multi ? 0 : 1; pass < 2; pass++) {
		lc_bpf_free(b);
		b = calloc(1, sizeof(*b));
		if (!b)
			return wt_err_set(err, ENOMEM, "out of memory");
		wt_err_clear(err);
		r = lc_bpf_load(s, b, pass == 0, err);
		if (r == 0)
			r = pass == 0 ? lc_attach_multi(s, b) : lc_attach_each(s, b, err);
		if (r == 0) {
			if (pass == 0)
				snprintf(s->backend, sizeof(s->backend), "uprobe_multi, %zu link%s",
					 b->nlink_fds, b->nlink_fds == 1 ? "" : "s");
			else
				snprintf(s->backend, sizeof(s->backend), "one uprobe per function");
			break;
		}
		if (r == -EPERM)
			break;
	}
	if (r == 0) {
		b->ncpus = ncpus;
		b->vals = calloc((size_t)ncpus, sizeof(*b->vals));
		if (!b->vals)
			r = wt_err_set(err, ENOMEM, "out of memory");
	}
	if (r) {
		if (r == -EPERM)
			wt_err_set(err, EPERM,
				   "cannot load the eBPF call counter: %s; run as root (CAP_BPF "
				   "and CAP_PERFMON)",
				   strerror(EPERM));
		else if (!err->msg[0])
			wt_err_set(err, -r, "cannot attach the uprobes: %s", strerror(-r));
		lc_bpf_free(b);
		return r;
	}
	s->bpf = b;
	return 0;
}

int lc_read(struct lc_session *s, struct wt_err *err)
{
	struct lc_bpf *b = s->bpf;
	int fd = bpf_map__fd(b->skel->maps.calls);
	for (uint32_t k = 0; k < s->nfuncs; k++) {
		if (bpf_map_lookup_elem(fd, &k, b->vals) < 0)
			return wt_err_set(err, errno, "cannot read the eBPF call counters: %s",
					  strerror(errno));
		uint64_t sum = 0;
		for (int c = 0; c < b->ncpus; c++)
			sum += b->vals[c];
		s->funcs[k].calls = sum;
	}
	return 0;
}

#else /* !HAVE_BPF_SKEL */

static int lc_bpf_open(struct lc_session *s, struct wt_err *err)
{
	(void)s;
	return wt_err_set(err, ENOSYS,
			  "whytop was built without eBPF programs (" WHYTOP_NO_BPF_SKEL_WHY
			  "), so it cannot count library calls; rebuild with clang, bpftool "
			  "and libbpf-dev, or use ltrace -c");
}

int lc_read(struct lc_session *s, struct wt_err *err)
{
	(void)s;
	return wt_err_set(err, ENOSYS, "whytop was built without eBPF programs");
}

static void lc_bpf_free(void *b)
{
	(void)b;
}

#endif

/* ---- the session ---- */

int lc_open(pid_t pid, const struct lc_opts *opts, struct lc_session **out, struct wt_err *err)
{
	*out = NULL;
	wt_err_clear(err);
	struct lc_session *s = calloc(1, sizeof(*s));
	if (!s)
		return wt_err_set(err, ENOMEM, "out of memory");
	s->pid = pid;
#ifndef HAVE_BPF_SKEL
	/* say first what no choice of functions would change (none is made) */
	(void)lc_choose;
	int r = lc_bpf_open(s, err);
#else
	int r = lc_choose(s, opts, err);
#endif
	if (r == 0)
		r = lc_bpf_open(s, err);
	if (r) {
		lc_close(s);
		return r;
	}
	snprintf(s->cost, sizeof(s->cost),
		 "no stops; each call of a probed function takes a uprobe trap into the "
		 "kernel (microseconds: about 19 us measured on a 2-CPU VM, half of ltrace "
		 "-c), calls of other processes into the same functions too (then "
		 "filtered out)");
	*out = s;
	return 0;
}

const struct lc_func *lc_funcs(const struct lc_session *s, size_t *n)
{
	*n = s->nfuncs;
	return s->funcs;
}

const char *lc_backend(const struct lc_session *s)
{
	return s->backend;
}

size_t lc_refused(const struct lc_session *s)
{
	return s->nrefused;
}

size_t lc_skipped_ifuncs(const struct lc_session *s)
{
	return s->nifuncs;
}

const char *lc_cost(const struct lc_session *s)
{
	return s->cost;
}

void lc_close(struct lc_session *s)
{
	if (!s)
		return;
	lc_bpf_free(s->bpf);
	for (size_t i = 0; i < s->nfuncs; i++) {
		free(s->funcs[i].name);
		free(s->funcs[i].lib);
	}
	free(s->funcs);
	free(s);
}
