/* fuzz_proc_syscall: /proc/PID/syscall, as the process table and the kernel view parse it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <whytop/kernel.h>
#include "core/proc/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long nr;
	struct kernel_syscall sc;

	proc_parse_syscall((const char *)data, size, &nr);
	/* kernel_stack_parse_syscall reads a NUL-terminated string. */
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	memset(&sc, 0, sizeof(sc));
	kernel_stack_parse_syscall(s, &sc);
	free(s);
	return 0;
}
