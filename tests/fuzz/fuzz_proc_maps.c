/* fuzz_proc_maps: /proc/PID/maps, line by line (the stack walk and the locals' checks). */
#include <stdint.h>
#include "core/proc/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *end = text + size;
	const char *p = text;
	struct proc_map m;

	while (p < end) {
		const char *line = p;
		if (proc_parse_maps_line(&p, end, &m) == 0 &&
		    (m.path < line || m.path + m.path_len > end || m.perms[4] != '\0'))
			__builtin_trap(); /* the path must lie inside the buffer */
		if (p <= line || p > end)
			__builtin_trap(); /* every call moves on, never past the end */
	}
	return 0;
}
