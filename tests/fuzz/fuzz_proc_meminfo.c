/* fuzz_proc_meminfo: /proc/meminfo. */
#include <stdint.h>
#include "core/proc/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proc_meminfo_raw m;
	proc_parse_meminfo((const char *)data, size, &m);
	return 0;
}
