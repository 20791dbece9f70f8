/* fuzz_proc_stat: /proc/PID/stat, the one parser (the table, the kernel view, the readers). */
#include <stdint.h>
#include <whytop/util.h>
#include "core/proc/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct proc_stat_raw st;
	char comm[64];

	if (proc_parse_stat(text, size, &st) == 0) {
		if (st.comm < text || st.comm + st.comm_len > text + size)
			__builtin_trap(); /* comm must lie inside the buffer */
		/* As the kernel view shows it: escaped into a fixed buffer. */
		wt_escape_to(comm, sizeof(comm), st.comm, st.comm_len, 0);
	}
	return 0;
}
