/* fuzz_proc_status: /proc/PID/status (uid, keyed numbers, the core's fields, context switches). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <whytop/kernel.h>
#include "core/proc/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	uid_t uid;
	uint64_t v;
	struct proc_status st;

	proc_parse_status_uid(text, size, &uid);
	proc_parse_status(text, size, &st);
	proc_parse_key_u64(text, size, "VmRSS", &v);
	proc_parse_key_u64(text, size, "Threads", &v);
	/* kernel_stack_parse_switches reads a NUL-terminated string. */
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	kernel_stack_parse_switches(s, &v);
	free(s);
	return 0;
}
