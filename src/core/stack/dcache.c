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
 * tenth free, is not made. A file whose compressed sections would inflate
 * beyond inflate.c's limit is neither copied nor handed to libdw whole;
 * one that fails to inflate is remembered for a week (BUILDID-HASH.fail)
 * and skipped the same way.
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

#include <whytop/util.h>

#include "core/stack/stack_int.h"

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
bool dcache_dir(char *out, size_t n)
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

static void dcache_name(char *out, size_t n, const char *dir, const unsigned char *id,
			ssize_t idlen, const struct stat *src, const char *suffix)
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
	snprintf(out, n, "%s/%s-%016llx.%s", dir, hex, (unsigned long long)h, suffix);
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

/*
 * Write the uncompressed copy of src (an open debug file) at path: 0, -1
 * when the file system failed us, -2 when a section could not be inflated
 * (its reason in why): the file is bad, and will be as bad next time.
 */
static int dcache_write(int src, const struct stat *sst, const char *dir, const char *path,
			char *why, size_t whylen)
{
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s/.tmp-XXXXXX", dir);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -1;
	off_t off = 0;
	bool ok = true, bad = false;
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
		if (dcache_compressed_debug(elf, shstrndx, scn) && elf_compress(scn, 0, 0) < 0) {
			GElf_Shdr sh;
			const char *name =
			    gelf_getshdr(scn, &sh) ? elf_strptr(elf, shstrndx, sh.sh_name) : NULL;
			char *ename = wt_escape(name ? name : "?", strlen(name ? name : "?"), 0);
			snprintf(why, whylen, "its section %s could not be inflated (%s)",
				 ename ? ename : "?", elf_errmsg(-1));
			free(ename);
			ok = false;
			bad = true;
		}
	/* libelf lays the sections out anew: the inflated ones have grown. */
	if (ok)
		ok = elf_update(elf, ELF_C_WRITE) >= 0;
	elf_end(elf);
	int closed = close(fd);
	if (ok && closed == 0 && rename(tmp, path) == 0)
		return 0;
	unlink(tmp);
	return bad ? -2 : -1;
}

/*
 * A failed inflation is remembered for a week by a small file next to
 * where the copy would be (BUILDID-HASH.fail, its reason inside): the
 * same file would fail the same way, and each try can cost seconds.
 */
#define DCACHE_FAIL_TTL (7 * 24 * 3600)

static void dcache_fail_write(const char *dir, const char *path, const char *debug_path,
			      const char *why)
{
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s/.tmp-XXXXXX", dir);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return;
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return;
	}
	char *e = wt_escape(debug_path, strlen(debug_path), 0);
	fprintf(f, "%s: %s\n", e ? e : "?", why);
	free(e);
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		unlink(tmp);
}

/* A fresh failure remembered at path (ours, a week old at most): its date into since. */
static bool dcache_fail_known(const char *path, char *since, size_t n)
{
	struct stat st;
	if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    time(NULL) - st.st_mtime > DCACHE_FAIL_TTL)
		return false;
	struct tm tm;
	localtime_r(&st.st_mtime, &tm);
	strftime(since, n, "%Y-%m-%d %H:%M", &tm);
	return true;
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
 * whytop that died while writing go once they are an hour old, failures
 * once they are a week old.
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
		if (len > 5 && strcmp(de->d_name + len - 5, ".fail") == 0) {
			if (now - st.st_mtime > DCACHE_FAIL_TTL)
				unlinkat(dfd, de->d_name, 0);
			continue;
		}
		/* Copies, and the names files of namecache.c (small, but many in time). */
		bool copy = len >= 7 && strcmp(de->d_name + len - 6, ".debug") == 0;
		bool names = len >= 7 && strcmp(de->d_name + len - 6, ".names") == 0;
		if (!(copy || names) || len >= sizeof(v->name))
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

/*
 * Is there room for a copy of this size: within the cache's limit, and
 * leaving the file system at least a tenth free (f_bavail: what we may
 * use; f_blocks: its whole size)? A cache must never be what fills a disk.
 */
bool dcache_room(const char *dir, uint64_t size)
{
	struct statvfs vfs;
	if (size > dcache_max() || statvfs(dir, &vfs) < 0)
		return false;
	uint64_t avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	uint64_t tenth = (uint64_t)vfs.f_blocks * vfs.f_frsize / 10;
	return avail >= tenth && avail - tenth >= size;
}

/* Hand libdwfl the file without its DWARF (its symbols still), or nothing. */
static int dcache_refuse(int fd, bool mine)
{
	int s = mine ? inflate_strip_fd(fd) : -1;
	close(fd);
	return s;
}

int dcache_swap(int fd, const char *debug_path, const char *module, const unsigned char *want_id,
		int want_len)
{
	if (fd < 0 || !debug_path)
		return fd;
	elf_version(EV_CURRENT);
	struct stat sst;
	if (fstat(fd, &sst) < 0 || !S_ISREG(sst.st_mode))
		return fd;
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	uint64_t total = 0, stored = 0;
	if (!elf || !inflate_cost(elf, &total, &stored)) {
		elf_end(elf);
		return fd;
	}
	const void *p = NULL;
	ssize_t idlen = dwelf_elf_gnu_build_id(elf, &p);
	unsigned char id[64];
	bool mine = idlen >= 8 && idlen <= 64 && idlen == want_len &&
		    memcmp(p, want_id, (size_t)idlen) == 0;
	if (mine)
		memcpy(id, p, (size_t)idlen);
	/*
	 * Over the limit: not inflated, here or by libdw. A file that is not
	 * the module's (no build-id, or another) is not handed over at all.
	 */
	bool too_big = inflate_too_big(elf, (uint64_t)sst.st_size, debug_path, module);
	elf_end(elf);
	if (too_big)
		return dcache_refuse(fd, mine);
	char dir[4096], path[4400], fail[4400], since[32], why[512];
	/* Files through another process's root (a container) are never cached. */
	if (!mine || strncmp(debug_path, "/proc/", 6) == 0 || !dcache_dir(dir, sizeof(dir)))
		return fd;
	dcache_name(path, sizeof(path), dir, id, idlen, &sst, "debug");
	dcache_name(fail, sizeof(fail), dir, id, idlen, &sst, "fail");
	if (dcache_fail_known(fail, since, sizeof(since))) {
		inflate_note(module, debug_path,
			     "inflating its compressed sections failed on %s (remembered in %s "
			     "for a week; remove that file to try again)",
			     since, fail);
		return dcache_refuse(fd, true);
	}
	int copy = dcache_open_copy(path, id, idlen);
	/* The copy's size: the file, each section grown to its inflated size (saturating). */
	uint64_t grow = total > stored ? total - stored : 0;
	uint64_t size =
	    (uint64_t)sst.st_size + grow < grow ? UINT64_MAX : (uint64_t)sst.st_size + grow;
	if (copy < 0 && dcache_room(dir, size)) {
		int r = dcache_write(fd, &sst, dir, path, why, sizeof(why));
		if (r == -2) {
			/* libdw would fail the same way: remember, and skip its DWARF now too. */
			dcache_fail_write(dir, fail, debug_path, why);
			dcache_trim(dir, path);
			inflate_note(module, debug_path, "%s; not tried again for a week (%s)", why,
				     fail);
			return dcache_refuse(fd, true);
		}
		if (r == 0) {
			dcache_trim(dir, path);
			copy = dcache_open_copy(path, id, idlen);
		}
	}
	if (copy < 0)
		return fd;
	close(fd);
	return copy;
}
