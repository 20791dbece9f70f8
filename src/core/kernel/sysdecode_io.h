/*
 * sysdecode_io.h: how sysdecode.c reaches a live task -- its memory
 * (process_vm_readv) and the paths behind its fds (readlink of
 * /proc/PID/task/TID/fd/N). A seam, not an API: only the fuzzer
 * (tests/fuzz/fuzz_sysdecode.c) replaces them, to feed the decoder bytes.
 */
#ifndef WHYTOP_CORE_KERNEL_SYSDECODE_IO_H
#define WHYTOP_CORE_KERNEL_SYSDECODE_IO_H

#include <sys/types.h>
#include <sys/uio.h>

struct kernel_sys_io {
	ssize_t (*vm_readv)(pid_t pid, const struct iovec *local, unsigned long nlocal,
			    const struct iovec *remote, unsigned long nremote, unsigned long flags);
	ssize_t (*readlink)(const char *path, char *buf, size_t bufsz);
};
extern struct kernel_sys_io kernel_sys_io;

#endif
