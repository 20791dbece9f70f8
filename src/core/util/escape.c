/*
 * escape.c: make untrusted text safe for a terminal and for JSON.
 *
 * A process can name itself "\033]0;pwned\007"; a path can hold a newline or
 * bytes that are not UTF-8. None of that may reach a terminal raw, so every
 * string from /proc, a command line or DWARF passes through here first.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/util.h>

/* Length of the valid, printable UTF-8 sequence at s, or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond Unicode. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* C1 controls (U+0080..U+009F) act as escapes on some terminals. */
	if (cp >= 0x80 && cp <= 0x9f)
		return 0;
	/* Bidirectional overrides and isolates can reorder what a user reads. */
	if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return 0;
	return n;
}

/* Writes the escape of one unit into e (at least 5 bytes); returns its length. */
static size_t escape_unit(const unsigned char *s, size_t left, int nul_as_space, char *e,
			  size_t *consumed)
{
	unsigned char c = s[0];

	if (c == 0 && nul_as_space) {
		*consumed = 1;
		e[0] = ' ';
		return 1;
	}
	if (c < 0x20 || c == 0x7f) {
		*consumed = 1;
		switch (c) {
		case '\n': memcpy(e, "\\n", 2); return 2;
		case '\t': memcpy(e, "\\t", 2); return 2;
		case '\r': memcpy(e, "\\r", 2); return 2;
		case 0x1b: memcpy(e, "\\e", 2); return 2;
		default: return (size_t)snprintf(e, 5, "\\x%02x", c);
		}
	}
	size_t n = utf8_seq(s, left);
	if (n == 0) {
		*consumed = 1;
		return (size_t)snprintf(e, 5, "\\x%02x", c);
	}
	*consumed = n;
	memcpy(e, s, n);
	return n;
}

char *wt_escape_to(char *out, size_t outsz, const char *s, size_t len, int nul_as_space)
{
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)s;

	if (outsz == 0)
		return out;
	/* Trailing NULs of a cmdline are separators, not content. */
	while (nul_as_space && len > 0 && p[len - 1] == 0)
		len--;
	for (size_t i = 0; i < len;) {
		char e[8];
		size_t used;
		size_t n = escape_unit(p + i, len - i, nul_as_space, e, &used);
		if (o + n + 1 > outsz)
			break;
		memcpy(out + o, e, n);
		o += n;
		i += used;
	}
	out[o] = '\0';
	return out;
}

char *wt_escape(const char *s, size_t len, int nul_as_space)
{
	size_t cap = len * 4 + 1;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	return wt_escape_to(out, cap, s, len, nul_as_space);
}

int wt_json_str(struct wt_buf *b, const char *s)
{
	int rc = wt_buf_add(b, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)s; *p && !rc; p++) {
		char e[8];
		if (*p == '"' || *p == '\\') {
			e[0] = '\\';
			e[1] = (char)*p;
			rc = wt_buf_add(b, e, 2);
		} else if (*p < 0x20 || *p == 0x7f) {
			snprintf(e, sizeof(e), "\\u%04x", *p);
			rc = wt_buf_add(b, e, 6);
		} else {
			rc = wt_buf_add(b, p, 1);
		}
	}
	return rc ? rc : wt_buf_add(b, "\"", 1);
}

int wt_json_str_or_null(struct wt_buf *b, const char *s)
{
	return s ? wt_json_str(b, s) : wt_buf_puts(b, "null");
}

int wt_json_field(struct wt_buf *b, const char *key, const char *s)
{
	int rc = wt_buf_printf(b, ",\"%s\":", key);
	return rc ? rc : wt_json_str_or_null(b, s);
}
