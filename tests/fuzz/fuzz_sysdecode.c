/*
 * fuzz_sysdecode: the decoder of a blocked task's syscall (sysdecode.c) on
 * a fuzzed ABI, number and six argument words, with the task's memory and
 * the paths behind its fds replaced by the rest of the input.
 *
 * Input: arch selector (1), flags (1), nr (4), args (6 x 8), then the
 * task's "memory": address A reads byte A of it; an fd's path is its start.
 */
#include <errno.h>
#include <linux/audit.h>
#include <stdint.h>
#include <string.h>
#include <whytop/kernel.h>
#include "core/kernel/sysdecode_io.h"

static const uint8_t *mem;
static size_t memlen;

static ssize_t fake_vm_readv(pid_t pid, const struct iovec *local, unsigned long nlocal,
			     const struct iovec *remote, unsigned long nremote, unsigned long flags)
{
	uint64_t addr = (uintptr_t)remote[0].iov_base;
	if (addr >= memlen) {
		errno = addr & 1 ? EFAULT : EPERM;
		return -1;
	}
	size_t n = memlen - addr < local[0].iov_len ? memlen - addr : local[0].iov_len;
	memcpy(local[0].iov_base, mem + addr, n);
	return (ssize_t)n;
}

static ssize_t fake_readlink(const char *path, char *buf, size_t bufsz)
{
	if (memlen == 0) {
		errno = ENOENT;
		return -1;
	}
	size_t n = memlen < bufsz ? memlen : bufsz;
	memcpy(buf, mem, n);
	return (ssize_t)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t arches[] = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64,
					   0 };
	struct kernel_syscall sc;
	uint32_t nr;

	if (size < 2 + 4 + 6 * 8)
		return 0;
	kernel_sys_io.vm_readv = fake_vm_readv;
	kernel_sys_io.readlink = fake_readlink;
	memset(&sc, 0, sizeof(sc));
	sc.state = KSYS_IN;
	uint32_t arch = arches[data[0] % 4];
	memcpy(&nr, data + 2, 4);
	sc.nr = (int32_t)nr;
	memcpy(sc.raw, data + 6, 6 * 8);
	mem = data + 54;
	memlen = size - 54;
	/* flags: bit 0 a live task (else pid 0: no memory), bit 1 memory off limits. */
	pid_t pid = data[1] & 1 ? 4242 : 0;
	kernel_sys_decode_ex(&sc, arch, pid, pid, data[1] & 2 ? "memory is busy" : NULL);
	kernel_sys_clear(&sc);
	return 0;
}
