/*
 * sysnames.h: syscall numbers to names, per ABI, through libseccomp.
 *
 * Architectures are identified by their AUDIT_ARCH_* value (the same value
 * PTRACE_GET_SYSCALL_INFO reports and libseccomp's SCMP_ARCH_* uses).
 * A number libseccomp does not know (newer than it, such as mseal) is named
 * "syscall_NNN", never another call's name.
 */
#ifndef WHYTOP_SYSNAMES_H
#define WHYTOP_SYSNAMES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The name of syscall nr on arch; buf holds the result when needed. Never NULL. */
const char *sysname(uint32_t arch, long nr, char *buf, size_t bufsz);
/* -1 if name is unknown on arch. */
long sysname_lookup(uint32_t arch, const char *name);
/* The ABI whytop itself runs with (AUDIT_ARCH_X86_64 here). */
uint32_t sysname_native_arch(void);
/* The ABI of a process, from its executable's ELF header; native if unsure. */
uint32_t sysname_arch_of_pid(pid_t pid);
/* "x86_64", "i386", "x32", ... */
const char *sysname_arch_label(uint32_t arch);

#endif
