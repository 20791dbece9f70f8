/*
 * dwfl.c: the debug_proc, what whytop keeps about one process between
 * walks, and its libdwfl Dwfl: opening and closing it (with a reference to
 * the process's target, target.h), reporting its modules from the memory
 * map (maps.c) and finding their files and debug info (modfile.c,
 * dcache.c). Its memory is read by memory.c. Everything here runs without
 * stopping the target; it is the expensive part of a walk done before the
 * pause, and kept for the next.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <whytop/stack.h>
#include <whytop/target.h>

#include "core/stack/stack_int.h"

/*
 * find_elf has no argument for the process; each module's userdata slot
 * carries a struct debug_mod (modfile.c), set when the module is reported.
 */

static pthread_once_t debug_env_once = PTHREAD_ONCE_INIT;
static bool debug_use_debuginfod;

/* Never let libdw contact debuginfod (network stalls) unless asked to. */
static void debug_env_init(void)
{
	const char *keep = getenv("WHYTOP_DEBUGINFOD");
	debug_use_debuginfod = keep && strcmp(keep, "1") == 0;
	if (!debug_use_debuginfod)
		unsetenv("DEBUGINFOD_URLS");
}

/*
 * A main file whose own compressed sections (-gz) would inflate beyond
 * the limit (inflate.c): handed over as an Elf without its DWARF, so that
 * libdw does not inflate it and its symbol table still names frames.
 */
static int debug_guard_elf(int fd, char **file_name, Elf **elfp)
{
	struct stat st;
	const char *path = *file_name;
	if (fd < 0 || *elfp || !path || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return fd;
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	bool refuse = elf && inflate_too_big(elf, (uint64_t)st.st_size, path, path);
	elf_end(elf);
	if (!refuse || (*elfp = inflate_strip_elf(fd)))
		return fd;
	/* Not even that: no file (and no name, or libdwfl would open it itself). */
	close(fd);
	free(*file_name);
	*file_name = NULL;
	return -1;
}

/*
 * A mapped file's module is opened by modfile.c (map_files, the target's
 * root, our path; build-id checked against the process's memory); the
 * vDSO by libdwfl, from the process's memory.
 */
static int debug_find_elf(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr base,
			  char **file_name, Elf **elfp)
{
	struct debug_mod *dm = *userdata;
	int fd;
	if (dm && dm->magic == DEBUG_MOD_MAGIC && dm->dp->stored)
		fd = snapfile_find_elf(dm, file_name, elfp); /* a loaded snapshot's files */
	else if (dm && dm->magic == DEBUG_MOD_MAGIC && name[0] == '/')
		fd = modfile_find_elf(dm, name, file_name);
	else
		fd = dwfl_linux_proc_find_elf(mod, userdata, name, base, file_name, elfp);
	return debug_guard_elf(fd, file_name, elfp);
}

/*
 * Where libdwfl's standard search looks for a separate debug file on this
 * machine, in its order: /usr/lib/debug/.build-id/xx/rest.debug, then the
 * debuglink name next to the file, in its .debug/, and under
 * /usr/lib/debug/DIR. Returns how many paths were written.
 */
int debug_candidates(Dwfl_Module *mod, const char *file_name, const char *debuglink,
			    char (*path)[4096])
{
	const unsigned char *id;
	GElf_Addr vaddr;
	int n = 0;
	int len = dwfl_module_build_id(mod, &id, &vaddr);
	if (len > 1) {
		int w = snprintf(path[n], sizeof(path[n]), "/usr/lib/debug/.build-id/%02x/", id[0]);
		for (int i = 1; i < len && w < (int)sizeof(path[n]) - 8; i++)
			w += snprintf(path[n] + w, sizeof(path[n]) - (size_t)w, "%02x", id[i]);
		snprintf(path[n] + w, sizeof(path[n]) - (size_t)w, ".debug");
		n++;
	}
	if (!debuglink || !file_name)
		return n;
	const char *slash = strrchr(file_name, '/');
	const char *dir = slash ? file_name : ".";
	int dl = slash ? (int)(slash - file_name) : 1;
	snprintf(path[n++], sizeof(path[0]), "%.*s/%s", dl, dir, debuglink);
	snprintf(path[n++], sizeof(path[0]), "%.*s/.debug/%s", dl, dir, debuglink);
	snprintf(path[n++], sizeof(path[0]), "/usr/lib/debug%.*s/%s", dl, dir, debuglink);
	return n;
}

/*
 * The find_debuginfo callback, one pass over the places above:
 * - nothing there: no debug file (libdwfl's standard search would end in
 *   loading libdebuginfod, and with it libcurl and a TLS stack, about
 *   20 ms per process here for the vDSO alone, even with DEBUGINFOD_URLS
 *   unset), unless WHYTOP_DEBUGINFOD=1 asks for the network;
 * - the first file there carries the module's build-id and its DWARF is
 *   compressed: its uncompressed copy from the cache (dcache.c), under the
 *   original name, or, when inflating it would cost too much, the file
 *   without its DWARF (inflate.c);
 * - otherwise libdwfl's own search, as it always did (it also checks
 *   debuglink CRCs, for files without a build-id).
 */
static int debug_find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname,
				Dwarf_Addr base, const char *file_name, const char *debuglink,
				GElf_Word crc, char **debuginfo_file_name)
{
	char path[DEBUG_CANDIDATES][4096];
	int n = debug_candidates(mod, file_name, debuglink, path);
	bool found = false;
	for (int i = 0; i < n && !found; i++) {
		int fd = open(path[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		found = true;
		const unsigned char *id;
		GElf_Addr vaddr;
		int idlen = dwfl_module_build_id(mod, &id, &vaddr);
		int copy = dcache_swap(fd, path[i], file_name, id, idlen);
		if (copy < 0)
			return -1; /* refused (a note says why): no name, or libdwfl opens it */
		char *name = copy != fd ? strdup(path[i]) : NULL;
		if (name) {
			free(*debuginfo_file_name);
			*debuginfo_file_name = name;
			return copy;
		}
		close(copy);
	}
	if (!found && !debug_use_debuginfod)
		return -1;
	return dwfl_standard_find_debuginfo(mod, userdata, modname, base, file_name, debuglink, crc,
					    debuginfo_file_name);
}

bool debug_uses_debuginfod(void)
{
	pthread_once(&debug_env_once, debug_env_init);
	return debug_use_debuginfod;
}

static char *debuginfo_path;

static const Dwfl_Callbacks debug_callbacks = {
    .find_elf = debug_find_elf,
    .find_debuginfo = debug_find_debuginfo,
    .debuginfo_path = &debuginfo_path,
};

/* Open every module's ELF, symbols and DWARF now, so the walk does not. */
static int debug_preload_one(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr start,
			     void *arg)
{
	Dwarf_Addr bias;
	dwfl_module_getelf(mod, &bias);
	dwfl_module_getsymtab(mod);
	dwfl_module_getdwarf(mod, &bias);
	return DWARF_CB_OK;
}

/* A module left the process (munmap, dlclose): forget what we kept about it. */
static int debug_mod_removed(Dwfl_Module *mod, void *userdata, const char *name, Dwarf_Addr base,
			     void *arg)
{
	struct debug_mod *dm = userdata;
	if (dm && dm->magic == DEBUG_MOD_MAGIC)
		modfile_free(dm);
	return DWARF_CB_OK;
}

static int debug_mod_free_all(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr start,
			      void *arg)
{
	debug_mod_removed(mod, *userdata, name, start, arg);
	*userdata = NULL;
	return DWARF_CB_OK;
}

/* Report one module: its mappings first..last (same file), with its debug_mod. */
static int debug_report_one(struct debug_proc *dp, const char *name, const struct debug_map *first,
			    uint64_t end)
{
	Dwfl_Module *mod = dwfl_report_module(dp->dwfl, name, first->start, end);
	if (!mod)
		return -1;
	void **ud;
	dwfl_module_info(mod, &ud, NULL, NULL, NULL, NULL, NULL, NULL);
	/* (a loaded snapshot's vDSO too: its image comes from the file, snapfile.c) */
	if (!*ud && ((first->path_len && first->path[0] == '/') || dp->stored)) {
		struct debug_mod *dm = modfile_new(dp, first);
		if (!dm)
			return -1;
		dm->mod_end = end;
		*ud = dm;
	}
	return 0;
}

/*
 * Modules from our own parse of maps (the text the walk uses), grouped as
 * libdwfl's dwfl_linux_proc_report groups them: consecutive mappings of
 * one file (device and inode) form a module, other lines in between do
 * not split it; the vDSO is "[vdso: PID]", which libdwfl reads from memory.
 */
static int debug_report_maps(struct debug_proc *dp)
{
	const struct debug_map *first = NULL;
	uint64_t end = 0;
	char *name = NULL;
	for (size_t i = 0; i < dp->nmaps; i++) {
		const struct debug_map *m = &dp->maps[i];
		bool vdso = m->path_len == 6 && memcmp(m->path, "[vdso]", 6) == 0;
		bool file = m->path_len > 0 && m->path[0] == '/' &&
			    (m->ino != 0 || m->dev_major != 0 || m->dev_minor != 0);
		if (!vdso && !file)
			continue;
		if (file && first && m->ino == first->ino && m->dev_major == first->dev_major &&
		    m->dev_minor == first->dev_minor && m->path_len == first->path_len &&
		    memcmp(m->path, first->path, m->path_len) == 0) {
			end = m->end;
			continue;
		}
		if (first && debug_report_one(dp, name, first, end) < 0)
			goto fail;
		free(name);
		name = NULL;
		first = NULL;
		if (vdso) {
			char v[32];
			snprintf(v, sizeof(v), "[vdso: %d]", (int)dp->pid);
			if (debug_report_one(dp, v, m, m->end) < 0)
				goto fail;
			continue;
		}
		name = strndup(m->path, m->path_len);
		if (!name)
			goto fail;
		first = m;
		end = m->end;
	}
	if (first && debug_report_one(dp, name, first, end) < 0)
		goto fail;
	free(name);
	return 0;
fail:
	free(name);
	return -1;
}

static int debug_report(struct debug_proc *dp, struct wt_err *err)
{
	dwfl_report_begin(dp->dwfl);
	int r = debug_report_maps(dp);
	dwfl_report_end(dp->dwfl, debug_mod_removed, NULL);
	/*
	 * Files open lazily, when a frame first lands in a module; that is
	 * after the target was let go, so it never lengthens the pause.
	 * Opening every module's DWARF eagerly costs cold walks dearly
	 * (decompressing libc's debug file is most of a cold walk).
	 */
	if (r < 0)
		return wt_err_set(err, EIO, "cannot list the modules of %d: %s", dp->pid,
				  dwfl_errmsg(-1));
	return 0;
}

int debug_proc_preload(struct debug_proc *dp)
{
	dwfl_getmodules(dp->dwfl, debug_preload_one, NULL, 0);
	return 0;
}

int debug_proc_open(pid_t pid, struct debug_proc **out, struct wt_err *err)
{
	pthread_once(&debug_env_once, debug_env_init);
	*out = NULL;
	struct debug_proc *dp = calloc(1, sizeof(*dp));
	if (!dp)
		return wt_err_set(err, ENOMEM, "out of memory");
	dp->pid = pid;
	int r = target_get(pid, &dp->target, err);
	if (r < 0) {
		free(dp);
		return r;
	}
	dp->pages = calloc(DEBUG_PAGE_SLOTS, sizeof(*dp->pages));
	dp->dwfl = dwfl_begin(&debug_callbacks);
	if (!dp->pages || !dp->dwfl) {
		debug_proc_close(dp);
		return wt_err_set(err, ENOMEM, "cannot start libdwfl: %s", dwfl_errmsg(-1));
	}
	/*
	 * An i386 program is walked by libdwfl alone (libunwind here speaks
	 * x86_64 only); an x32 one by nothing we have: say so rather than
	 * print garbage.
	 */
	char exe[64];
	Elf64_Ehdr eh; /* e_ident and e_machine sit at the same offsets in Elf32_Ehdr */
	snprintf(exe, sizeof(exe), "/proc/%d/exe", pid);
	ssize_t got = wt_read_at(AT_FDCWD, exe, (char *)&eh, sizeof(eh));
	if (got >= (ssize_t)offsetof(Elf64_Ehdr, e_version) &&
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 && eh.e_ident[EI_CLASS] == ELFCLASS32) {
		if (eh.e_machine != EM_386) {
			debug_proc_close(dp);
			return wt_err_set(err, ENOTSUP,
					  "process %d runs a 32-bit program that is not i386 "
					  "(x32?); whytop walks only x86_64 and i386 stacks",
					  pid);
		}
		dp->is32 = true;
	}
	bool changed;
	r = debug_proc_read_maps(dp, &changed);
	if (r < 0) {
		debug_proc_close(dp);
		/* A zombie, a kernel thread, a refusal: attach.c knows which (attach.h). */
		int c = attach_check(pid, err);
		if (c < 0)
			return c;
		if (r == -EACCES || r == -EPERM)
			return attach_refusal(pid, 0, -r, err);
		if (r == -ENOENT || r == -ESRCH)
			return wt_err_set(err, ESRCH, "process %d is gone (it exited)", pid);
		return wt_err_set(err, -r, "cannot read /proc/%d/maps: %s; run as root", pid,
				  strerror(-r));
	}
	r = debug_report(dp, err);
	if (r < 0) {
		debug_proc_close(dp);
		return r;
	}
	r = unwind_space_new(dp, &dp->uw);
	if (r < 0) {
		debug_proc_close(dp);
		return wt_err_set(err, -r, "cannot create a libunwind address space");
	}
	*out = dp;
	return 0;
}

int debug_proc_refresh(struct debug_proc *dp, struct wt_err *err)
{
	bool changed;
	int r = debug_proc_read_maps(dp, &changed);
	if (r < 0) {
		if (r == -ENOENT || r == -ESRCH)
			return wt_err_set(err, ESRCH, "process %d is gone (it exited)", dp->pid);
		return wt_err_set(err, -r, "cannot read /proc/%d/maps: %s", dp->pid, strerror(-r));
	}
	if (!changed)
		return 0;
	/* A library came or went: re-report, forget cached pages and unwind info. */
	debug_pages_flush(dp);
	symbols_cache_flush(dp);
	if (dp->uw)
		unwind_space_flush(dp->uw);
	return debug_report(dp, err);
}

void debug_proc_close(struct debug_proc *dp)
{
	if (!dp)
		return;
	if (dp->uw)
		unwind_space_free(dp->uw);
	symbols_cache_flush(dp);
	if (dp->dwfl) {
		dwfl_getmodules(dp->dwfl, debug_mod_free_all, NULL, 0);
		dwfl_end(dp->dwfl);
	}
	modfile_free_all(dp);
	snapfile_free(dp->stored);
	free(dp->pages);
	free(dp->maps);
	free(dp->maps_text);
	target_put(dp->target);
	free(dp);
}

/*
 * A loaded snapshot (snapfile.c): the same modules from the stored maps
 * text, no process. pid 0 names none: a live read (libdwfl's vDSO, a
 * stray attach_read_mem) fails rather than reach another process.
 */
int debug_proc_open_stored(char *maps_text, size_t maps_len, bool is32, struct snapfile *sf,
			   struct debug_proc **out, struct wt_err *err)
{
	pthread_once(&debug_env_once, debug_env_init);
	*out = NULL;
	struct debug_proc *dp = calloc(1, sizeof(*dp));
	if (!dp) {
		free(maps_text);
		snapfile_free(sf);
		return wt_err_set(err, ENOMEM, "out of memory");
	}
	dp->stored = sf;
	dp->is32 = is32;
	dp->maps_text = maps_text;
	dp->maps_len = maps_len;
	dp->pages = calloc(DEBUG_PAGE_SLOTS, sizeof(*dp->pages));
	dp->dwfl = dwfl_begin(&debug_callbacks);
	int r = !dp->pages || !dp->dwfl ? -ENOMEM : debug_parse_maps(dp);
	if (r == 0)
		r = debug_report(dp, err);
	if (r == 0 && unwind_space_new(dp, &dp->uw) < 0)
		r = -ENOMEM;
	if (r < 0) {
		debug_proc_close(dp);
		return r == -ENOMEM ? wt_err_set(err, ENOMEM, "out of memory") : r;
	}
	*out = dp;
	return 0;
}

Dwfl *debug_proc_dwfl(struct debug_proc *dp)
{
	return dp->dwfl;
}

bool debug_proc_is32(const struct debug_proc *dp)
{
	return dp->is32;
}

pid_t debug_proc_pid(const struct debug_proc *dp)
{
	return dp->pid;
}
