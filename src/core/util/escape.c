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

/*
 * Characters a reader cannot see that change what is read: bidirectional
 * marks, overrides and isolates reorder text (an argument hides behind
 * another); line and paragraph separators break a line on some terminals;
 * zero-width characters, joiners, the BOM, soft hyphens and tag
 * characters sit unseen between letters (two names that look the same).
 * Variation selectors only pick a glyph's style and stay (emoji use them).
 * Escaped as bytes, like any other unreadable input.
 */
static const struct {
	uint32_t lo, hi;
} invisible_ranges[] = {
	{ 0x00ad, 0x00ad },   /* soft hyphen */
	{ 0x061c, 0x061c },   /* Arabic letter mark */
	{ 0x115f, 0x1160 },   /* Hangul fillers (blank) */
	{ 0x180e, 0x180e },   /* Mongolian vowel separator */
	{ 0x200b, 0x200f },   /* zero width space, (non-)joiner, LRM, RLM */
	{ 0x2028, 0x202e },   /* line/paragraph separators, embeddings, overrides */
	{ 0x2060, 0x206f },   /* word joiner, invisible operators, isolates, deprecated */
	{ 0x3164, 0x3164 },   /* Hangul filler */
	{ 0xfeff, 0xfeff },   /* BOM, zero width no-break space */
	{ 0xffa0, 0xffa0 },   /* halfwidth Hangul filler */
	{ 0xfff9, 0xfffb },   /* interlinear annotation */
	{ 0x1d173, 0x1d17a }, /* musical format characters */
	{ 0xe0000, 0xe007f }, /* language tag, tag characters */
};

static int invisible(uint32_t cp)
{
	for (size_t i = 0; i < sizeof(invisible_ranges) / sizeof(invisible_ranges[0]); i++)
		if (cp >= invisible_ranges[i].lo && cp <= invisible_ranges[i].hi)
			return 1;
	return 0;
}

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
	if (invisible(cp))
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
