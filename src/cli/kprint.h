/* kprint.h: text form of the kernel view, shared by 'kstack' and 'blocked'. */
#ifndef WHYTOP_CLI_KPRINT_H
#define WHYTOP_CLI_KPRINT_H

#include <stdio.h>

#include <whytop/kernel.h>

/* One thread: state, blocked-for, wchan, syscall with decoded args, stack. */
void kprint_thread(FILE *f, const struct kernel_thread *t, const char *indent, bool full_stack);

#endif
