/* fuzz_proc_uptime: /proc/uptime. */
#include <stdint.h>
#include "core/proc/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	double up;
	proc_parse_uptime((const char *)data, size, &up);
	return 0;
}
