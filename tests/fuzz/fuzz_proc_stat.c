/* fuzz_proc_stat: /proc/PID/stat, as the process table and the kernel view parse it. */
#include <stdint.h>
#include <whytop/kernel.h>
#include "core/proc/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct proc_stat_raw st;
	char comm[64], state;
	unsigned long flags;
	uint64_t start;

	if (proc_parse_stat(text, size, &st) == 0 && st.comm + st.comm_len > text + size)
		__builtin_trap(); /* comm must lie inside the buffer */
	kstack_parse_stat(text, size, comm, sizeof(comm), &state, &flags, &start);
	kstack_parse_stat(text, size, NULL, 0, &state, NULL, NULL);
	return 0;
}
