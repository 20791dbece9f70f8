/*
 * dcache.c: uncompressed copies of compressed separate debug files.
 *
 * Distributions compress the DWARF sections of their debug files
 * (libc6-dbg's libc.so.6.debug: 4 MB holding 10 MB), and libdw inflates
 * every debug section of a file the first time it opens it. For libc that
 * is about 35 ms of zlib, most of a first walk, paid again by every new
 * whytop process. So the first time a compressed debug file is used,
 * whytop writes an uncompressed copy to its cache directory, and from then
 * on hands libdwfl that copy instead: the same sections, byte for byte
 * once inflated, mapped without inflating anything.
 *
 * The cache is only a copy: a failure anywhere (no home, a full disk, a
 * directory that is not safely ours) falls back to the original file, as
 * if there were no cache.
 *
 * Where: $WHYTOP_DEBUG_CACHE if set (0, off or empty: no cache), else
 * $XDG_CACHE_HOME/whytop/debug, else ~/.cache/whytop/debug. The directory
 * must belong to us and be writable by nobody else. A copy is named by the
 * build-id and by the identity of the file it was made from (device, inode,
 * size, modification time): a crafted debug file claiming someone else's
 * build-id can only ever stand in for itself. Files found through another
 * process's root (/proc/PID/root, a container) are never cached. The cache
 * is kept under $WHYTOP_DEBUG_CACHE_MAX bytes (default 1 GiB) by removing
 * the least recently used copies; using a copy touches its mtime. A copy
 * bigger than that limit, or one that would leave its disk less than a
 * tenth free, is not made.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <elfutils/libdwelf.h>

#include "debug_int.h"

#define DCACHE_MAX_DEFAULT (1ull << 30)

/* mkdir -p, each new component 0700. */
static int dcache_mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		int r = mkdir(path, 0700);
		*p = '/';
		if (r < 0 && errno != EEXIST)
			return -1;
	}
	return mkdir(path, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

/* The cache directory, created if need be; false when there is to be none. */
static bool dcache_dir(char *out, size_t n)
{
	const char *env = getenv("WHYTOP_DEBUG_CACHE");
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	if (env) {
		if (!env[0] || strcmp(env, "0") == 0 || strcmp(env, "off") == 0 || env[0] != '/')
			return false;
		snprintf(out, n, "%s", env);
	} else if (xdg && xdg[0] == '/') {
		snprintf(out, n, "%s/whytop/debug", xdg);
	} else if (home && home[0] == '/') {
		snprintf(out, n, "%s/.cache/whytop/debug", home);
	} else {
		return false;
	}
	struct stat st;
	if (lstat(out, &st) < 0 && (errno != ENOENT || dcache_mkdirs(out) < 0 || lstat(out, &st) < 0))
		return false;
	return S_ISDIR(st.st_mode) && st.st_uid == geteuid() && !(st.st_mode & 022);
}

/* Is this a .debug_* section stored compressed (SHF_COMPRESSED)? */
static bool dcache_compressed_debug(Elf *elf, size_t shstrndx, Elf_Scn *scn)
{
	GElf_Shdr sh;
	const char *name;
	return gelf_getshdr(scn, &sh) && (sh.sh_flags & SHF_COMPRESSED) &&
	       (name = elf_strptr(elf, shstrndx, sh.sh_name)) && strncmp(name, ".debug_", 7) == 0;
}

/* The size limit of the cache directory (WHYTOP_DEBUG_CACHE_MAX). */
static unsigned long long dcache_max(void)
{
	unsigned long long max = DCACHE_MAX_DEFAULT;
	const char *env = getenv("WHYTOP_DEBUG_CACHE_MAX");
	if (env && *env) {
		char *end;
		unsigned long long v = strtoull(env, &end, 10);
		if (!*end)
			max = v;
	}
	return max;
}

/*
 * Does this ELF have compressed .debug_* sections? Its build-id into *id,
 * and into *size what its uncompressed copy would take (the file plus what
 * each such section grows by when inflated).
 */
static bool dcache_wants(Elf *elf, off_t file_size, const unsigned char **id, ssize_t *idlen,
			 unsigned long long *size)
{
	size_t shstrndx;
	if (elf_kind(elf) != ELF_K_ELF || elf_getshdrstrndx(elf, &shstrndx) < 0)
		return false;
	bool compressed = false;
	*size = (unsigned long long)file_size;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Chdr ch;
		GElf_Shdr sh;
		if (!dcache_compressed_debug(elf, shstrndx, scn))
			continue;
		compressed = true;
		if (gelf_getchdr(scn, &ch) && gelf_getshdr(scn, &sh) && ch.ch_size > sh.sh_size)
			*size += ch.ch_size - sh.sh_size;
	}
	if (!compressed)
		return false;
	const void *p;
	*idlen = dwelf_elf_gnu_build_id(elf, &p);
	*id = p;
	return *idlen >= 8 && *idlen <= 64;
}

static void dcache_name(char *out, size_t n, const char *dir, const unsigned char *id,
			ssize_t idlen, const struct stat *src)
{
	char hex[130];
	for (ssize_t i = 0; i < idlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", id[i]);
	/* FNV-1a over the source file's identity. */
	uint64_t h = 0xcbf29ce484222325ull;
	uint64_t parts[] = {(uint64_t)src->st_dev, (uint64_t)src->st_ino, (uint64_t)src->st_size,
			    (uint64_t)src->st_mtim.tv_sec, (uint64_t)src->st_mtim.tv_nsec};
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		for (int b = 0; b < 8; b++) {
			h ^= (parts[i] >> (8 * b)) & 0xff;
			h *= 0x100000001b3ull;
		}
	snprintf(out, n, "%s/%s-%016llx.debug", dir, hex, (unsigned long long)h);
}

/* An existing copy, if it is ours and carries the expected build-id. */
static int dcache_open_copy(const char *path, const unsigned char *id, ssize_t idlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	struct stat st;
	bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
		  st.st_size > 0;
	if (ok) {
		Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
		const void *p = NULL;
		ok = elf && dwelf_elf_gnu_build_id(elf, &p) == idlen && memcmp(p, id, idlen) == 0;
		elf_end(elf);
	}
	if (!ok) {
		close(fd);
		return -1;
	}
	futimens(fd, NULL); /* recently used */
	return fd;
}

/* Write the uncompressed copy of src (an open debug file) at path. */
static int dcache_write(int src, const struct stat *sst, const char *dir, const char *path)
{
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s/.tmp-XXXXXX", dir);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -1;
	off_t off = 0;
	bool ok = true;
	while (ok && off < sst->st_size) {
		ssize_t n = sendfile(fd, src, &off, (size_t)(sst->st_size - off));
		ok = n > 0;
	}
	Elf *elf = ok ? elf_begin(fd, ELF_C_RDWR, NULL) : NULL;
	ok = elf != NULL;
	size_t shstrndx;
	if (ok && elf_getshdrstrndx(elf, &shstrndx) < 0)
		ok = false;
	Elf_Scn *scn = NULL;
	while (ok && (scn = elf_nextscn(elf, scn)))
		if (dcache_compressed_debug(elf, shstrndx, scn))
			ok = elf_compress(scn, 0, 0) >= 0;
	/* libelf lays the sections out anew: the inflated ones have grown. */
	if (ok)
		ok = elf_update(elf, ELF_C_WRITE) >= 0;
	elf_end(elf);
	int closed = close(fd);
	if (ok && closed == 0 && rename(tmp, path) == 0)
		return 0;
	unlink(tmp);
	return -1;
}

struct dcache_entry {
	char name[300];
	off_t size;
	struct timespec mtime;
};

static int dcache_cmp_age(const void *a, const void *b)
{
	const struct dcache_entry *x = a, *y = b;
	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
	return (x->mtime.tv_nsec > y->mtime.tv_nsec) - (x->mtime.tv_nsec < y->mtime.tv_nsec);
}

/*
 * Keep the directory under its size limit: the least recently used copies
 * go first, never the one just written. Leftover temporary files of a
 * whytop that died while writing go once they are an hour old.
 */
static void dcache_trim(const char *dir, const char *keep)
{
	unsigned long long max = dcache_max();
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return;
	}
	struct dcache_entry *v = NULL;
	size_t n = 0, cap = 0;
	unsigned long long total = 0;
	time_t now = time(NULL);
	const char *keepbase = strrchr(keep, '/') ? strrchr(keep, '/') + 1 : keep;
	struct dirent *de;
	while ((de = readdir(d))) {
		struct stat st;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (strncmp(de->d_name, ".tmp-", 5) == 0) {
			if (now - st.st_mtime > 3600)
				unlinkat(dfd, de->d_name, 0);
			continue;
		}
		size_t len = strlen(de->d_name);
		if (len < 7 || strcmp(de->d_name + len - 6, ".debug") != 0 ||
		    len >= sizeof(v->name))
			continue;
		total += (unsigned long long)st.st_size;
		if (strcmp(de->d_name, keepbase) == 0)
			continue;
		if (n == cap) {
			size_t c = cap ? cap * 2 : 32;
			void *p = realloc(v, c * sizeof(*v));
			if (!p)
				break;
			v = p;
			cap = c;
		}
		snprintf(v[n].name, sizeof(v[n].name), "%s", de->d_name);
		v[n].size = st.st_size;
		v[n].mtime = st.st_mtim;
		n++;
	}
	if (total > max && n) {
		qsort(v, n, sizeof(*v), dcache_cmp_age);
		for (size_t i = 0; i < n && total > max; i++)
			if (unlinkat(dfd, v[i].name, 0) == 0)
				total -= (unsigned long long)v[i].size;
	}
	free(v);
	closedir(d);
}

int dcache_swap(int fd, const char *debug_path, const unsigned char *want_id, int want_len)
{
	if (fd < 0 || !debug_path || strncmp(debug_path, "/proc/", 6) == 0)
		return fd;
	elf_version(EV_CURRENT);
	struct stat sst;
	if (fstat(fd, &sst) < 0 || !S_ISREG(sst.st_mode))
		return fd;
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	const unsigned char *id = NULL;
	ssize_t idlen = 0;
	unsigned char idcopy[64];
	unsigned long long size = 0;
	bool wants = elf && dcache_wants(elf, sst.st_size, &id, &idlen, &size) &&
		     idlen == want_len && memcmp(id, want_id, (size_t)want_len) == 0;
	if (wants)
		memcpy(idcopy, id, (size_t)idlen);
	elf_end(elf);
	char dir[4096], path[4400];
	if (!wants || !dcache_dir(dir, sizeof(dir)))
		return fd;
	dcache_name(path, sizeof(path), dir, idcopy, idlen, &sst);
	int copy = dcache_open_copy(path, idcopy, idlen);
	/*
	 * A copy is made only if it fits the cache's limit, and leaves the
	 * disk at least a tenth free: a cache must never be what fills it.
	 */
	struct statvfs vfs;
	bool room = size <= dcache_max() && statvfs(dir, &vfs) == 0 &&
		    (unsigned long long)vfs.f_bavail * vfs.f_frsize >=
			size + (unsigned long long)vfs.f_blocks * vfs.f_frsize / 10;
	if (copy < 0 && room && dcache_write(fd, &sst, dir, path) == 0) {
		dcache_trim(dir, path);
		copy = dcache_open_copy(path, idcopy, idlen);
	}
	if (copy < 0)
		return fd;
	close(fd);
	return copy;
}
