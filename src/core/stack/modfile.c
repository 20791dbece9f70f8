/*
 * modfile.c: which file on disk is a module's, for libdwfl's find_elf.
 *
 * /proc/PID/maps gives a path as the target sees it, in its own mount
 * namespace, escaped (a newline is "\012"), with " (deleted)" after a file
 * that was removed or replaced. Opening that path in our namespace can
 * give another file: a bind mount in the target's namespace, a binary
 * replaced by mv while it runs. Its functions, lines and variables would
 * then be another program's, and a poke would write into the wrong slot.
 *
 * So the file is opened, in this order, through
 *  1. /proc/PID/map_files/START-END: the mapped inode itself, deleted or
 *     not, whatever its name (needs CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE);
 *  2. /proc/PID/root/PATH: the path in the target's namespace;
 *  3. PATH in ours.
 * and a file is taken only if its build-id is the one in the process's
 * memory (the note in the module's first mapped page), or, for a module
 * without one, if it is the mapped inode (map_files, or the device and
 * inode maps gives). A file that is there but is not the mapped one is
 * refused with a sentence (struct debug_mod.refused): no names, lines or
 * variables come from it, and locals and poke say why.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <elfutils/libdwelf.h>

#include <whytop/util.h>

#include "core/stack/stack_int.h"
#include "core/vars/vars_int.h"

#define MODFILE_ID_MAX 64

struct debug_mod *modfile_new(struct debug_proc *dp, const struct debug_map *first)
{
	struct debug_mod *dm = calloc(1, sizeof(*dm));
	if (!dm)
		return NULL;
	dm->magic = DEBUG_MOD_MAGIC;
	dm->dp = dp;
	dm->start = first->start;
	dm->end = first->end;
	dm->offset = first->offset;
	dm->ino = first->ino;
	dm->dev_major = first->dev_major;
	dm->dev_minor = first->dev_minor;
	dm->all_next = dp->mods;
	if (dp->mods)
		dp->mods->all_prev = dm;
	dp->mods = dm;
	return dm;
}

void modfile_free(struct debug_mod *dm)
{
	if (!dm)
		return;
	if (dm->all_prev)
		dm->all_prev->all_next = dm->all_next;
	else if (dm->dp && dm->dp->mods == dm)
		dm->dp->mods = dm->all_next;
	if (dm->all_next)
		dm->all_next->all_prev = dm->all_prev;
	free(dm->refused);
	free(dm);
}

void modfile_free_all(struct debug_proc *dp)
{
	while (dp->mods)
		modfile_free(dp->mods);
}

struct debug_mod *modfile_of(Dwfl_Module *mod)
{
	void **ud = NULL;
	if (!mod || !dwfl_module_info(mod, &ud, NULL, NULL, NULL, NULL, NULL, NULL) || !ud || !*ud)
		return NULL;
	struct debug_mod *dm = *ud;
	if (dm->magic != DEBUG_MOD_MAGIC)
		return NULL;
	if (!dm->opened) {
		/* find_elf runs inside: dm->refused is known after it. */
		Dwarf_Addr bias;
		dwfl_module_getelf(mod, &bias);
	}
	return dm;
}

const char *modfile_refusal(Dwfl_Module *mod)
{
	struct debug_mod *dm = modfile_of(mod);
	return dm ? dm->refused : NULL;
}

static bool modfile_same_inode(const struct debug_mod *dm, const struct stat *st)
{
	return st->st_ino == dm->ino && major(st->st_dev) == dm->dev_major &&
	       minor(st->st_dev) == dm->dev_minor;
}

/* The NT_GNU_BUILD_ID note in notes[0..len), aligned to align; its length or 0. */
static int modfile_note_id(const unsigned char *notes, size_t len, size_t align, unsigned char *id)
{
	size_t p = 0;
	while (p + 12 <= len) {
		uint32_t namesz, descsz, type;
		memcpy(&namesz, notes + p, 4);
		memcpy(&descsz, notes + p + 4, 4);
		memcpy(&type, notes + p + 8, 4);
		size_t name_at = p + 12;
		size_t desc_at = name_at + ((namesz + align - 1) & ~(align - 1));
		if (namesz > len || descsz > len || desc_at + descsz > len)
			return 0;
		if (type == NT_GNU_BUILD_ID && namesz == 4 &&
		    memcmp(notes + name_at, "GNU", 4) == 0 && descsz > 0 &&
		    descsz <= MODFILE_ID_MAX) {
			memcpy(id, notes + desc_at, descsz);
			return (int)descsz;
		}
		p = desc_at + ((descsz + align - 1) & ~(align - 1));
	}
	return 0;
}

/*
 * The build-id of the module as the process has it mapped: the ELF header
 * at its first mapping (file offset 0), the program headers, the PT_NOTE
 * segments, all read from the process's memory. 0 when there is none (not
 * ELF, no note, or unreadable).
 */
static int modfile_mem_id(const struct debug_mod *dm, unsigned char *id)
{
	pid_t pid = dm->dp->pid;
	if (dm->offset != 0)
		return 0;
	unsigned char eh[sizeof(Elf64_Ehdr)];
	if (attach_read_mem(pid, dm->start, eh, sizeof(eh)) != (ssize_t)sizeof(eh) ||
	    memcmp(eh, ELFMAG, SELFMAG) != 0)
		return 0;
	bool is64 = eh[EI_CLASS] == ELFCLASS64;
	uint64_t phoff;
	unsigned phnum, phentsize;
	if (is64) {
		Elf64_Ehdr h;
		memcpy(&h, eh, sizeof(h));
		phoff = h.e_phoff, phnum = h.e_phnum, phentsize = h.e_phentsize;
	} else if (eh[EI_CLASS] == ELFCLASS32) {
		Elf32_Ehdr h;
		memcpy(&h, eh, sizeof(h));
		phoff = h.e_phoff, phnum = h.e_phnum, phentsize = h.e_phentsize;
	} else {
		return 0;
	}
	if (phentsize != (is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)) || phnum == 0 ||
	    phnum > 64 || phoff + (uint64_t)phnum * phentsize > dm->end - dm->start)
		return 0;
	unsigned char ph[64 * sizeof(Elf64_Phdr)];
	size_t phlen = (size_t)phnum * phentsize;
	if (attach_read_mem(pid, dm->start + phoff, ph, phlen) != (ssize_t)phlen)
		return 0;
	GElf_Phdr p[64];
	for (unsigned i = 0; i < phnum; i++) {
		if (is64) {
			Elf64_Phdr q;
			memcpy(&q, ph + i * phentsize, sizeof(q));
			p[i] = (GElf_Phdr){.p_type = q.p_type,
					   .p_vaddr = q.p_vaddr,
					   .p_offset = q.p_offset,
					   .p_filesz = q.p_filesz,
					   .p_align = q.p_align};
		} else {
			Elf32_Phdr q;
			memcpy(&q, ph + i * phentsize, sizeof(q));
			p[i] = (GElf_Phdr){.p_type = q.p_type,
					   .p_vaddr = q.p_vaddr,
					   .p_offset = q.p_offset,
					   .p_filesz = q.p_filesz,
					   .p_align = q.p_align};
		}
	}
	/* The load bias: the segment holding file offset 0 starts the first mapping. */
	uint64_t bias = 0;
	bool have_bias = false;
	for (unsigned i = 0; i < phnum && !have_bias; i++)
		if (p[i].p_type == PT_LOAD && p[i].p_offset == 0) {
			bias = dm->start - (p[i].p_vaddr & ~4095ull);
			have_bias = true;
		}
	if (!have_bias)
		return 0;
	for (unsigned i = 0; i < phnum; i++) {
		if (p[i].p_type != PT_NOTE || p[i].p_filesz == 0 || p[i].p_filesz > 4096)
			continue;
		uint64_t at = bias + p[i].p_vaddr;
		if (at < dm->start || at + p[i].p_filesz > dm->mod_end)
			continue;
		unsigned char notes[4096];
		size_t len = (size_t)p[i].p_filesz;
		if (attach_read_mem(pid, at, notes, len) != (ssize_t)len)
			continue;
		int n = modfile_note_id(notes, len, p[i].p_align == 8 ? 8 : 4, id);
		if (n > 0)
			return n;
	}
	return 0;
}

/* The build-id of the ELF file open on fd, copied to id; 0 if none or not ELF. */
int modfile_file_id(int fd, unsigned char *id)
{
	elf_version(EV_CURRENT);
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf)
		return 0;
	const void *bits;
	ssize_t n = dwelf_elf_gnu_build_id(elf, &bits);
	int len = 0;
	if (n > 0 && n <= MODFILE_ID_MAX) {
		memcpy(id, bits, (size_t)n);
		len = (int)n;
	}
	elf_end(elf);
	return len;
}

/* maps' path made a real one: "\012" back to a newline, " (deleted)" cut. */
void modfile_unescape(const char *name, char *out, size_t size, bool *deleted)
{
	size_t len = strlen(name);
	static const char del[] = " (deleted)";
	*deleted = len >= sizeof(del) - 1 && strcmp(name + len - (sizeof(del) - 1), del) == 0;
	if (*deleted)
		len -= sizeof(del) - 1;
	size_t o = 0;
	for (size_t i = 0; i < len && o + 1 < size; i++) {
		if (name[i] == '\\' && i + 3 < len && strncmp(name + i + 1, "012", 3) == 0) {
			out[o++] = '\n';
			i += 3;
		} else {
			out[o++] = name[i];
		}
	}
	out[o] = 0;
}

/* Open path if it is a regular file; its identity in *st. */
static int modfile_open(const char *path, struct stat *st)
{
	if (stat(path, st) < 0 || !S_ISREG(st->st_mode))
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat again;
	if (fd >= 0 &&
	    (fstat(fd, &again) < 0 || again.st_ino != st->st_ino || again.st_dev != st->st_dev)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void modfile_refuse(struct debug_mod *dm, const char *shown, const char *why)
{
	char esc[512];
	wt_escape_to(esc, sizeof(esc), shown, strlen(shown), 0);
	int pid = (int)dm->dp->pid;
	int r = why ? asprintf(&dm->refused,
			       "the file at %s is not the one mapped by process %d (%s); whytop "
			       "will not read or write its variables",
			       esc, pid, why)
		    : asprintf(&dm->refused,
			       "the file process %d mapped at %s was deleted and cannot be opened "
			       "(/proc/%d/map_files needs CAP_SYS_ADMIN); whytop will not read or "
			       "write its variables",
			       pid, esc, pid);
	if (r < 0)
		dm->refused = NULL;
}

int modfile_find_elf(struct debug_mod *dm, const char *name, char **file_name)
{
	pid_t pid = dm->dp->pid;
	dm->opened = true;
	char real[4096];
	bool deleted;
	modfile_unescape(name, real, sizeof(real), &deleted);
	struct stat st;
	/* libunwind opens maps' own text as a path: only where it is this very file. */
	dm->host_path =
	    !deleted && stat(name, &st) == 0 && S_ISREG(st.st_mode) && modfile_same_inode(dm, &st);

	unsigned char mem_id[MODFILE_ID_MAX], file_id[MODFILE_ID_MAX];
	int mem_len = modfile_mem_id(dm, mem_id);

	enum { BY_MAP_FILES, BY_ROOT, BY_PATH, NCAND };
	char cand[NCAND][4096 + 64];
	snprintf(cand[BY_MAP_FILES], sizeof(cand[0]), "/proc/%d/map_files/%llx-%llx", (int)pid,
		 (unsigned long long)dm->start, (unsigned long long)dm->end);
	snprintf(cand[BY_ROOT], sizeof(cand[0]), "/proc/%d/root%s", (int)pid, real);
	snprintf(cand[BY_PATH], sizeof(cand[0]), "%s", real);
	/* The name to show and to look for debug files beside: a path that is this file. */
	const char *shown = NULL;
	if (!deleted && stat(real, &st) == 0 && modfile_same_inode(dm, &st))
		shown = cand[BY_PATH];
	else if (!deleted && stat(cand[BY_ROOT], &st) == 0 && modfile_same_inode(dm, &st))
		shown = cand[BY_ROOT];

	const char *mismatch = NULL;
	for (int c = 0; c < NCAND; c++) {
		int fd = modfile_open(cand[c], &st);
		if (fd < 0)
			continue;
		bool same = c == BY_MAP_FILES || modfile_same_inode(dm, &st);
		if (mem_len > 0) {
			int n = modfile_file_id(fd, file_id);
			if (n != mem_len || memcmp(file_id, mem_id, (size_t)n) != 0) {
				mismatch = "build-id differs";
				close(fd);
				continue;
			}
		} else if (!same) {
			/* Nothing to compare: only the mapped inode itself will do. */
			if (!mismatch)
				mismatch = "another file, and no build-id to compare";
			close(fd);
			continue;
		}
		*file_name = strdup(shown ? shown : cand[c]);
		return fd;
	}
	if (mismatch || deleted)
		modfile_refuse(dm, real, mismatch);
	return -1;
}
