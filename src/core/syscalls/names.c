/*
 * names.c: syscall names for each ABI, from libseccomp, cached.
 *
 * libseccomp answers in a few hundred nanoseconds, but the counting
 * backends name every syscall of every refresh, so names are cached per
 * (arch, number) in small tables filled on first use.
 */
#include <elf.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <pthread.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <whytop/sysnames.h>

#define NAMES_MAX 1024

struct name_cache {
	uint32_t arch;
	char *names[NAMES_MAX]; /* NULL: not looked up; "" : unknown */
};

static struct name_cache caches[4];
static pthread_mutex_t caches_lock = PTHREAD_MUTEX_INITIALIZER;

static struct name_cache *cache_for(uint32_t arch)
{
	for (size_t i = 0; i < sizeof(caches) / sizeof(caches[0]); i++) {
		if (caches[i].arch == arch)
			return &caches[i];
		if (caches[i].arch == 0) {
			caches[i].arch = arch;
			return &caches[i];
		}
	}
	return NULL;
}

static const char *lookup(uint32_t arch, long nr)
{
	long idx = nr;
	/* x32 numbers carry a marker bit; the table is indexed without it. */
	if (arch == AUDIT_ARCH_X86_64 && (nr & 0x40000000))
		return NULL;
	if (idx < 0 || idx >= NAMES_MAX)
		return NULL;
	pthread_mutex_lock(&caches_lock);
	struct name_cache *c = cache_for(arch);
	const char *name = NULL;
	if (c) {
		if (!c->names[idx]) {
			char *n = seccomp_syscall_resolve_num_arch(arch, (int)nr);
			c->names[idx] = n ? n : strdup("");
		}
		name = c->names[idx];
	}
	pthread_mutex_unlock(&caches_lock);
	return name && *name ? name : NULL;
}

const char *sysname(uint32_t arch, long nr, char *buf, size_t bufsz)
{
	const char *name = lookup(arch, nr);
	if (name)
		return name;
	snprintf(buf, bufsz, "syscall_%ld", nr);
	return buf;
}

long sysname_lookup(uint32_t arch, const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(arch, name);
	return nr < 0 ? -1 : nr;
}

uint32_t sysname_native_arch(void)
{
	return seccomp_arch_native();
}

uint32_t sysname_arch_of_pid(pid_t pid)
{
	char path[64];
	unsigned char hdr[EI_NIDENT + 4];
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sysname_native_arch();
	ssize_t n = pread(fd, hdr, sizeof(hdr), 0);
	close(fd);
	if (n < (ssize_t)sizeof(hdr) || memcmp(hdr, ELFMAG, SELFMAG) != 0)
		return sysname_native_arch();
	uint16_t machine = (uint16_t)(hdr[EI_NIDENT + 2] | (hdr[EI_NIDENT + 3] << 8));
	if (hdr[EI_CLASS] == ELFCLASS32 && machine == EM_386)
		return AUDIT_ARCH_I386;
	if (hdr[EI_CLASS] == ELFCLASS32 && machine == EM_X86_64)
		return AUDIT_ARCH_X86_64; /* x32: numbers carry 0x40000000 */
	return sysname_native_arch();
}

const char *sysname_arch_label(uint32_t arch)
{
	switch (arch) {
	case AUDIT_ARCH_X86_64: return "x86_64";
	case AUDIT_ARCH_I386: return "i386";
	case AUDIT_ARCH_AARCH64: return "aarch64";
	default: return "unknown";
	}
}
