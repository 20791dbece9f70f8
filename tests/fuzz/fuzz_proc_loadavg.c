/* fuzz_proc_loadavg: /proc/loadavg. */
#include <stdint.h>
#include "core/proc/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	double load[3];
	unsigned running, total;
	uint64_t last_pid;
	proc_parse_loadavg((const char *)data, size, load, &running, &total, &last_pid);
	return 0;
}
