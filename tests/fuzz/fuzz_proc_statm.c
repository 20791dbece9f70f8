/* fuzz_proc_statm: /proc/PID/statm. */
#include <stdint.h>
#include "core/proc/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t a, b;
	proc_parse_statm((const char *)data, size, &a, &b);
	return 0;
}
