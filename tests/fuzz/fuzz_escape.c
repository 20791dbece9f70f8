/*
 * fuzz_escape: wt_escape, wt_escape_to and the JSON string writer on any
 * bytes. What comes out must be safe to print: no control byte, and
 * escaping it again changes nothing (it is all printable UTF-8).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <whytop/util.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char small[16];
	struct wt_buf b;

	char *e = wt_escape(s, size, (int)(size & 1));
	if (!e)
		return 0;
	size_t len = strlen(e);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)e[i] < 0x20 || e[i] == 0x7f)
			__builtin_trap();
	char *again = wt_escape(e, len, 0);
	if (!again || strcmp(again, e) != 0)
		__builtin_trap();
	wt_buf_init(&b);
	wt_json_str(&b, e);
	wt_buf_free(&b);
	free(again);
	free(e);
	wt_escape_to(small, sizeof(small), s, size, 0);
	if (strlen(small) >= sizeof(small))
		__builtin_trap();
	return 0;
}
