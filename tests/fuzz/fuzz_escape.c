/*
 * fuzz_escape: wt_escape, wt_escape_to and the CLI's JSON string writer
 * (src/cli/json.c) on any bytes. What wt_escape gives must be safe to
 * print: no control byte, and escaping it again changes nothing (it is all
 * printable UTF-8). What the JSON writer gives must be one string literal
 * with no raw control byte, and valid UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <whytop/util.h>

#include "cli/json.h"

/* RFC 3629, written out by code point: a second opinion on json.c's byte ranges. */
static int valid_utf8(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len;
		if (p[i] < 0x80) {
			i++;
			continue;
		} else if ((p[i] & 0xe0) == 0xc0) {
			len = 2;
			cp = p[i] & 0x1f;
		} else if ((p[i] & 0xf0) == 0xe0) {
			len = 3;
			cp = p[i] & 0x0f;
		} else if ((p[i] & 0xf8) == 0xf0) {
			len = 4;
			cp = p[i] & 0x07;
		} else
			return 0;
		if (i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
		if (cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char small[16];

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
	struct json j;
	json_init(&j);
	json_string_len(&j, s, size);
	if (j.err)
		__builtin_trap();
	const char *t = json_text(&j);
	size_t tlen = strlen(t);
	if (tlen < 2 || t[0] != '"' || t[tlen - 1] != '"')
		__builtin_trap();
	for (size_t i = 0; i < tlen; i++)
		if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
			__builtin_trap();
	if (!valid_utf8((const unsigned char *)t, tlen))
		__builtin_trap();
	json_free(&j);
	free(again);
	free(e);
	wt_escape_to(small, sizeof(small), s, size, 0);
	if (strlen(small) >= sizeof(small))
		__builtin_trap();
	return 0;
}
