/*
 * json.c: the JSON writer every --json output goes through (see json.h).
 * It owns the syntax: commas, colons, nesting, escaping, numbers JSON
 * accepts. What a document holds is each command's business.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/json.h"

void json_init(struct json *j)
{
	memset(j, 0, sizeof(*j));
	wt_buf_init(&j->buf);
}

void json_free(struct json *j)
{
	wt_buf_free(&j->buf);
}

static void json_fail(struct json *j, int err)
{
	if (!j->err)
		j->err = err;
}

static void json_add(struct json *j, const void *p, size_t n)
{
	if (!j->err && wt_buf_add(&j->buf, p, n) < 0)
		json_fail(j, -ENOMEM);
}

static void json_puts(struct json *j, const char *s)
{
	json_add(j, s, strlen(s));
}

/* Before a value: the comma it needs, or a refusal when no value may go here. */
static bool json_value_start(struct json *j)
{
	if (j->err)
		return false;
	if (j->done || (j->depth > 0 && j->kind[j->depth - 1] == '{' && !j->after_key)) {
		json_fail(j, -EINVAL); /* a second document, or an object member without its key */
		return false;
	}
	if (!j->after_key && j->depth > 0 && j->members[j->depth - 1])
		json_puts(j, ",");
	if (j->newline)
		json_puts(j, "\n");
	j->newline = false;
	if (j->depth > 0)
		j->members[j->depth - 1] = true;
	j->after_key = false;
	return !j->err;
}

/* After a scalar or a closed container: at the top level the document is complete. */
static void json_value_end(struct json *j)
{
	if (j->depth == 0)
		j->done = true;
}

static void json_begin(struct json *j, char kind)
{
	if (!json_value_start(j))
		return;
	if (j->depth >= JSON_MAX_DEPTH) {
		json_fail(j, -EINVAL);
		return;
	}
	j->kind[j->depth] = kind;
	j->members[j->depth] = false;
	j->depth++;
	json_add(j, &kind, 1);
}

static void json_end(struct json *j, char kind)
{
	if (j->err)
		return;
	if (j->depth == 0 || j->kind[j->depth - 1] != kind || j->after_key) {
		json_fail(j, -EINVAL);
		return;
	}
	if (j->newline)
		json_puts(j, "\n");
	j->newline = false;
	j->depth--;
	json_puts(j, kind == '{' ? "}" : "]");
	json_value_end(j);
}

void json_object_begin(struct json *j)
{
	json_begin(j, '{');
}

void json_object_end(struct json *j)
{
	json_end(j, '{');
}

void json_array_begin(struct json *j)
{
	json_begin(j, '[');
}

void json_array_end(struct json *j)
{
	json_end(j, '[');
}

/* Length of the valid UTF-8 sequence at p (1 to 4), or 0 if p[0] starts none. */
static size_t json_utf8_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf; /* the range of the second byte */

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		else if (c == 0xed)
			hi = 0x9f; /* UTF-16 surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90; /* overlong */
		else if (c == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
	} else
		return 0;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

static void json_quote(struct json *j, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	char e[16];

	json_puts(j, "\"");
	for (size_t i = 0; i < len && !j->err;) {
		unsigned char c = p[i];
		size_t n;
		if (c == '"' || c == '\\') {
			e[0] = '\\';
			e[1] = (char)c;
			json_add(j, e, 2);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(e, sizeof(e), "\\u%04x", c);
			json_puts(j, e);
			i++;
		} else if ((n = json_utf8_len(p + i, len - i)) > 0) {
			json_add(j, p + i, n);
			i += n;
		} else {
			/* the text \xHH, as wt_escape shows a stray byte */
			snprintf(e, sizeof(e), "\\\\x%02x", c);
			json_puts(j, e);
			i++;
		}
	}
	json_puts(j, "\"");
}

void json_key(struct json *j, const char *key)
{
	if (j->err)
		return;
	if (j->depth == 0 || j->kind[j->depth - 1] != '{' || j->after_key || !key) {
		json_fail(j, -EINVAL);
		return;
	}
	if (j->members[j->depth - 1])
		json_puts(j, ",");
	if (j->newline)
		json_puts(j, "\n");
	j->newline = false;
	json_quote(j, key, strlen(key));
	json_puts(j, ":");
	j->after_key = true;
}

void json_string_len(struct json *j, const char *s, size_t len)
{
	if (!json_value_start(j))
		return;
	json_quote(j, s, len);
	json_value_end(j);
}

void json_string(struct json *j, const char *s)
{
	if (!s)
		json_null(j);
	else
		json_string_len(j, s, strlen(s));
}

void json_char(struct json *j, char c)
{
	json_string_len(j, &c, 1);
}

/* A number or a literal, already formatted. */
static void json_raw(struct json *j, const char *text)
{
	if (!json_value_start(j))
		return;
	json_puts(j, text);
	json_value_end(j);
}

void json_hex(struct json *j, uint64_t v)
{
	char t[24];
	snprintf(t, sizeof(t), "0x%" PRIx64, v);
	json_string(j, t);
}

void json_int(struct json *j, long long v)
{
	char t[24];
	snprintf(t, sizeof(t), "%lld", v);
	json_raw(j, t);
}

void json_uint(struct json *j, unsigned long long v)
{
	char t[24];
	snprintf(t, sizeof(t), "%llu", v);
	json_raw(j, t);
}

void json_double(struct json *j, double v, int decimals)
{
	char t[352]; /* DBL_MAX in %f is 309 digits */
	if (!isfinite(v)) {
		json_null(j);
		return;
	}
	if (decimals < 0 || decimals > 17)
		decimals = 6;
	snprintf(t, sizeof(t), "%.*f", decimals, v);
	json_raw(j, t);
}

void json_bool(struct json *j, bool v)
{
	json_raw(j, v ? "true" : "false");
}

void json_null(struct json *j)
{
	json_raw(j, "null");
}

void json_field_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}

void json_field_char(struct json *j, const char *key, char c)
{
	json_key(j, key);
	json_char(j, c);
}

void json_field_hex(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_hex(j, v);
}

void json_field_int(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	json_int(j, v);
}

void json_field_uint(struct json *j, const char *key, unsigned long long v)
{
	json_key(j, key);
	json_uint(j, v);
}

void json_field_double(struct json *j, const char *key, double v, int decimals)
{
	json_key(j, key);
	json_double(j, v, decimals);
}

void json_field_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

void json_newline(struct json *j)
{
	j->newline = true;
}

const char *json_text(const struct json *j)
{
	return j->buf.data ? j->buf.data : "";
}

int json_print(struct json *j, FILE *f)
{
	if (j->err)
		return j->err;
	if (!j->done)
		return -EINVAL;
	if (j->newline)
		json_puts(j, "\n");
	j->newline = false;
	json_puts(j, "\n");
	if (j->err)
		return j->err;
	if (fwrite(j->buf.data, 1, j->buf.len, f) != j->buf.len || fflush(f) != 0)
		return -EIO;
	return 0;
}
