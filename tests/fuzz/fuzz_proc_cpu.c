/* fuzz_proc_cpu: /proc/stat, line by line as sysinfo.c reads it. */
#include <stdint.h>
#include "core/proc/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct proc_cpu_ticks t;
	int index;

	while (p < end) {
		const char *before = p;
		proc_parse_cpu_line(&p, end, &index, &t);
		if (p <= before || p > end)
			__builtin_trap(); /* each call must move to the next line, within the buffer */
	}
	return 0;
}
