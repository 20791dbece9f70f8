/*
 * fuzz_namecache: a line of a names file (namecache.c), which another
 * whytop wrote or anything else did. A line that parses gives names with
 * no control byte, and written back it is the very same line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/stack/stack_int.h"

static void no_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; s && *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t rel;
	bool exact;
	struct stack_frame *v;
	size_t n;
	if (!namecache_parse((const char *)data, size, &rel, &exact, &v, &n))
		return 0;
	for (size_t i = 0; i < n; i++) {
		no_control(v[i].function);
		no_control(v[i].file);
		no_control(v[i].src_path);
	}
	char *line = namecache_line(rel, exact, v, n);
	if (!line || strlen(line) != size + 1 || memcmp(line, data, size) != 0 || line[size] != '\n') {
		/* Numbers may be spelled several ways (leading zeros): parse it again. */
		uint64_t rel2;
		bool exact2;
		struct stack_frame *v2;
		size_t n2;
		if (!line || !namecache_parse(line, strlen(line) - 1, &rel2, &exact2, &v2, &n2))
			__builtin_trap();
		char *again = namecache_line(rel2, exact2, v2, n2);
		if (!again || strcmp(again, line) != 0)
			__builtin_trap();
		free(again);
		namecache_names_free(v2, n2);
	}
	free(line);
	namecache_names_free(v, n);
	return 0;
}
