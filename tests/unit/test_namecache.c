/*
 * test_namecache: a record of a names file (namecache.c) written and read
 * back: every field, names with spaces, "%", control bytes and UTF-8,
 * absent names, inlined frames; and the lines a reader must refuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/stack/stack_int.h"

static void round_trip(const struct stack_frame *in, size_t n, uint64_t rel, bool exact)
{
	char *line = namecache_line(rel, exact, in, n);
	assert_non_null(line);
	size_t len = strlen(line);
	assert_true(len > 0 && line[len - 1] == '\n');
	assert_null(memchr(line, '\n', len - 1));
	uint64_t rel2;
	bool exact2;
	struct stack_frame *out;
	size_t n2;
	assert_true(namecache_parse(line, len - 1, &rel2, &exact2, &out, &n2));
	assert_int_equal(rel2, rel);
	assert_int_equal(exact2, exact);
	assert_int_equal(n2, n);
	for (size_t i = 0; i < n; i++) {
		if (in[i].function)
			assert_string_equal(out[i].function, in[i].function);
		else
			assert_null(out[i].function);
		if (in[i].file)
			assert_string_equal(out[i].file, in[i].file);
		else
			assert_null(out[i].file);
		if (in[i].src_path)
			assert_string_equal(out[i].src_path, in[i].src_path);
		else
			assert_null(out[i].src_path);
		assert_int_equal(out[i].offset, in[i].offset);
		assert_int_equal(out[i].line, in[i].line);
		assert_int_equal(out[i].column, in[i].column);
		assert_int_equal(out[i].inline_depth, in[i].inline_depth);
		assert_int_equal(out[i].flags, in[i].flags & STACK_FRAME_INLINE);
	}
	namecache_names_free(out, n2);
	free(line);
}

static void test_plain(void **state)
{
	(void)state;
	struct stack_frame f = {0};
	f.function = "start_thread";
	f.file = "./nptl/pthread_create.c";
	f.src_path = "./nptl/pthread_create.c";
	f.offset = 0x305;
	f.line = 442;
	f.column = 8;
	round_trip(&f, 1, 0x891f5, false);
	round_trip(&f, 1, UINT64_MAX, true);
}

static void test_odd_names(void **state)
{
	(void)state;
	struct stack_frame f[3] = {{0}};
	/* What symbols.c stores is escaped already: spaces, %, UTF-8 and backslashes stay. */
	f[0].function = "operator() const";
	f[0].file = "/src/dir with space/100%.c";
	f[0].src_path = "/src/\xc3\xa9t\xc3\xa9/a\\x1b.c";
	f[0].offset = 1;
	f[0].line = 7;
	f[0].inline_depth = 2;
	f[0].flags = STACK_FRAME_INLINE | STACK_FRAME_SIGNAL;
	f[1].function = "=-";
	f[1].file = "-";
	f[1].inline_depth = 1;
	f[1].flags = STACK_FRAME_INLINE;
	f[2].function = NULL; /* no symbol */
	f[2].offset = 0xffffffffffffffffull;
	round_trip(f, 3, 0, true);
}

static void test_escapes_on_read(void **state)
{
	(void)state;
	uint64_t rel;
	bool exact;
	struct stack_frame *v;
	size_t n;
	/* An ESC written as %1B comes back escaped (wt_escape: \\e), never raw. */
	const char *l = "0 10 1 =a%1Bb - - 0 0 0 0 0";
	assert_true(namecache_parse(l, strlen(l), &rel, &exact, &v, &n));
	assert_int_equal(n, 1);
	assert_null(strchr(v[0].function, 0x1b));
	assert_string_equal(v[0].function, "a\\eb");
	namecache_names_free(v, n);
}

static void test_refused(void **state)
{
	(void)state;
	const char *bad[] = {
	    "",
	    "2 10 1 =a - - 0 0 0 0 0",	   /* exactness neither 0 nor 1 */
	    "0 zz 1 =a - - 0 0 0 0 0",	   /* pc not hex */
	    "0 10 0",			   /* no names */
	    "0 10 65 =a - - 0 0 0 0 0",	   /* too many */
	    "0 10 2 =a - - 0 0 0 0 0",	   /* fewer than said */
	    "0 10 1 =a - - 0 0 0 0 0 extra", /* more */
	    "0 10 1 a - - 0 0 0 0 0",	   /* a name without "=" */
	    "0 10 1 =a\x01 - - 0 0 0 0 0",   /* a raw control byte */
	    "0 10 1 =a%00 - - 0 0 0 0 0",	   /* a NUL */
	    "0 10 1 =a%4 - - 0 0 0 0 0",	   /* a cut escape */
	    "0 10 1 =a - - 0 -1 0 0 0",	   /* a negative line */
	    "0 10 1 =a - - 0 0 0 0 2",	   /* inline neither 0 nor 1 */
	    "0 10 1 =a - - -5 0 0 0 0",	   /* a negative offset */
	    "0 10 1 =a  - - 0 0 0 0 0",	   /* an empty field */
	    "0 10 1 =a - - 0 0 0 0 0 ",	   /* a trailing space */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t rel;
		bool exact;
		struct stack_frame *v = NULL;
		size_t n = 0;
		if (namecache_parse(bad[i], strlen(bad[i]), &rel, &exact, &v, &n))
			fail_msg("accepted: \"%s\"", bad[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain),
	    cmocka_unit_test(test_odd_names),
	    cmocka_unit_test(test_escapes_on_read),
	    cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
