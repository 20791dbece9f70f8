/* fuzz_proc_io: /proc/PID/io. */
#include <stdint.h>
#include "core/proc/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t r, w;
	proc_parse_io((const char *)data, size, &r, &w);
	return 0;
}
