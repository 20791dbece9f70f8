/*
 * json.h: the one JSON writer of the command-line front end. Every --json
 * document of every subcommand is built with it: the writer, not its
 * callers, places the commas and colons and escapes every string, so a
 * document is well-formed by construction. The core hands out plain
 * structs; turning them into JSON is a front-end concern.
 *
 * Output is compact (no spaces), member order is the callers' call order.
 * Errors are sticky: a misuse (a key outside an object, a value without
 * its key, an unbalanced end, nesting deeper than JSON_MAX_DEPTH) or a
 * failed allocation is remembered, later calls do nothing, and json_print
 * prints nothing and returns the error.
 */
#ifndef WHYTOP_CLI_JSON_H
#define WHYTOP_CLI_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <whytop/util.h>

#define JSON_MAX_DEPTH 32

struct json {
	struct wt_buf buf;
	int depth;		      /* open containers */
	char kind[JSON_MAX_DEPTH];    /* '{' or '[' per level */
	bool members[JSON_MAX_DEPTH]; /* the level has a member already: next one needs a comma */
	bool after_key;		      /* a key was written: the next token is its value */
	bool newline;		      /* json_newline: put a line break before the next token */
	bool done;		      /* the top-level value is complete */
	int err;		      /* 0, or the first -errno */
};

void json_init(struct json *j);
void json_free(struct json *j);

void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);
/* A member's name inside an object; the next call writes its value. */
void json_key(struct json *j, const char *key);

/*
 * A string value, or null when s is NULL. Quotes and backslashes are
 * escaped (\" \\), control characters and DEL written as \u00XX; a byte
 * that is not part of valid UTF-8 becomes the six characters "\\xHH",
 * i.e. the text \xHH, as wt_escape writes it: the result is always valid
 * UTF-8 and always a JSON string.
 */
void json_string(struct json *j, const char *s);
/* The same for len bytes that may hold NUL (written as \u0000). */
void json_string_len(struct json *j, const char *s, size_t len);
/* A single character as a one-character string ("D" for a task state). */
void json_char(struct json *j, char c);
/* "0x1f": addresses and raw registers, as strings (JSON numbers lose 64-bit precision). */
void json_hex(struct json *j, uint64_t v);
void json_int(struct json *j, long long v);
void json_uint(struct json *j, unsigned long long v);
/* v with this many decimals ("%.*f"); null when v is not finite (JSON has no NaN). */
void json_double(struct json *j, double v, int decimals);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* "key": value in one call, the members most documents are made of. */
void json_field_string(struct json *j, const char *key, const char *s);
void json_field_char(struct json *j, const char *key, char c);
void json_field_hex(struct json *j, const char *key, uint64_t v);
void json_field_int(struct json *j, const char *key, long long v);
void json_field_uint(struct json *j, const char *key, unsigned long long v);
void json_field_double(struct json *j, const char *key, double v, int decimals);
void json_field_bool(struct json *j, const char *key, bool v);

/* Layout only: a line break before the next token (after its comma). */
void json_newline(struct json *j);

/* The document so far (NUL-terminated; "" when empty), for tests. */
const char *json_text(const struct json *j);
/*
 * Write the finished document and a newline to f. Returns 0, or -EINVAL
 * (misuse or an unfinished document), -ENOMEM, -EIO (write failed); on an
 * error nothing is written.
 */
int json_print(struct json *j, FILE *f);

#endif
