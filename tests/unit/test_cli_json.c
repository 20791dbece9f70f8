/*
 * test_cli_json.c: the CLI's JSON writer (src/cli/json.c). Every --json
 * document is made by it, so what it writes must be JSON whatever the
 * text: quotes, backslashes, control bytes, invalid UTF-8; and the commas
 * and nesting are its job, not the callers'.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/json.h"

/* The JSON form of the string s (len bytes). */
static void check_string(const char *s, size_t len, const char *want)
{
	struct json j;
	json_init(&j);
	json_string_len(&j, s, len);
	assert_int_equal(j.err, 0);
	assert_string_equal(json_text(&j), want);
	json_free(&j);
}

static void test_quote_and_backslash(void **state)
{
	(void)state;
	check_string("plain", 5, "\"plain\"");
	check_string("a\"b", 3, "\"a\\\"b\"");
	check_string("a\\b", 3, "\"a\\\\b\"");
	/* text wt_escape already escaped keeps its backslash, doubled for JSON */
	check_string("k\\e[2Jv", 7, "\"k\\\\e[2Jv\"");
	check_string("", 0, "\"\"");
}

static void test_control_chars(void **state)
{
	(void)state;
	check_string("a\nb\tc\r", 6, "\"a\\u000ab\\u0009c\\u000d\"");
	check_string("\033]0;x\007", 6, "\"\\u001b]0;x\\u0007\"");
	check_string("\x7f", 1, "\"\\u007f\"");
	check_string("a\0b", 3, "\"a\\u0000b\"");
}

static void test_utf8(void **state)
{
	(void)state;
	/* valid UTF-8 stays as it is: 2, 3 and 4 byte forms */
	check_string("caf\xc3\xa9", 5, "\"caf\xc3\xa9\"");
	check_string("\xe2\x9c\x93", 3, "\"\xe2\x9c\x93\"");
	check_string("\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\"");
	/* a stray byte becomes the text \xHH, as wt_escape writes it */
	check_string("a\377b", 3, "\"a\\\\xffb\"");
	check_string("\x80", 1, "\"\\\\x80\"");
	/* a sequence cut short: each byte on its own */
	check_string("\xc3", 1, "\"\\\\xc3\"");
	check_string("\342\234x", 3, "\"\\\\xe2\\\\x9cx\"");
	/* overlong, surrogate, beyond U+10FFFF: not UTF-8 */
	check_string("\xc0\xaf", 2, "\"\\\\xc0\\\\xaf\"");
	check_string("\xe0\x80\xaf", 3, "\"\\\\xe0\\\\x80\\\\xaf\"");
	check_string("\xed\xa0\x80", 3, "\"\\\\xed\\\\xa0\\\\x80\"");
	check_string("\xf4\x90\x80\x80", 4, "\"\\\\xf4\\\\x90\\\\x80\\\\x80\"");
}

static void test_nesting_and_commas(void **state)
{
	(void)state;
	struct json j;
	json_init(&j);
	json_object_begin(&j);
	json_field_int(&j, "n", -3);
	json_field_string(&j, "s", NULL);
	json_key(&j, "a");
	json_array_begin(&j);
	json_uint(&j, 18446744073709551615ull);
	json_object_begin(&j);
	json_object_end(&j);
	json_array_begin(&j);
	json_array_end(&j);
	json_bool(&j, true);
	json_null(&j);
	json_array_end(&j);
	json_key(&j, "o");
	json_object_begin(&j);
	json_field_bool(&j, "f", false);
	json_field_hex(&j, "pc", 0x7ffe12ull);
	json_field_char(&j, "state", 'D');
	json_object_end(&j);
	json_field_double(&j, "d", 2.5, 3);
	json_object_end(&j);
	assert_int_equal(j.err, 0);
	assert_string_equal(json_text(&j),
			    "{\"n\":-3,\"s\":null,\"a\":[18446744073709551615,{},[],true,null],"
			    "\"o\":{\"f\":false,\"pc\":\"0x7ffe12\",\"state\":\"D\"},\"d\":2.500}");
	json_free(&j);
}

/* Line breaks for layout go after the comma, and only between tokens. */
static void test_newline(void **state)
{
	(void)state;
	struct json j;
	json_init(&j);
	json_object_begin(&j);
	json_key(&j, "s");
	json_object_begin(&j);
	json_object_end(&j);
	json_newline(&j);
	json_key(&j, "t");
	json_array_begin(&j);
	json_newline(&j);
	json_int(&j, 1);
	json_newline(&j);
	json_int(&j, 2);
	json_newline(&j);
	json_array_end(&j);
	json_object_end(&j);
	assert_string_equal(json_text(&j), "{\"s\":{},\n\"t\":[\n1,\n2\n]}");
	json_free(&j);
}

/* JSON has no NaN or infinity: such a number is null. */
static void test_doubles(void **state)
{
	(void)state;
	struct json j;
	json_init(&j);
	json_array_begin(&j);
	json_double(&j, 0.1234, 1);
	json_double(&j, NAN, 2);
	json_double(&j, INFINITY, 2);
	json_double(&j, -INFINITY, 0);
	json_double(&j, 3.0, 0);
	json_array_end(&j);
	assert_string_equal(json_text(&j), "[0.1,null,null,null,3]");
	json_free(&j);
}

/* Misuse is caught, remembered, and nothing is printed. */
static void test_misuse(void **state)
{
	(void)state;
	struct json j;
	FILE *f = tmpfile();
	assert_non_null(f);

	json_init(&j); /* a value in an object without its key */
	json_object_begin(&j);
	json_int(&j, 1);
	json_object_end(&j);
	assert_int_equal(j.err, -EINVAL);
	assert_int_equal(json_print(&j, f), -EINVAL);
	json_free(&j);

	json_init(&j); /* a key in an array */
	json_array_begin(&j);
	json_key(&j, "k");
	assert_int_equal(j.err, -EINVAL);
	json_free(&j);

	json_init(&j); /* the wrong end */
	json_array_begin(&j);
	json_object_end(&j);
	assert_int_equal(j.err, -EINVAL);
	json_free(&j);

	json_init(&j); /* a key without its value */
	json_object_begin(&j);
	json_key(&j, "k");
	json_object_end(&j);
	assert_int_equal(j.err, -EINVAL);
	json_free(&j);

	json_init(&j); /* unfinished */
	json_object_begin(&j);
	assert_int_equal(json_print(&j, f), -EINVAL);
	json_free(&j);

	json_init(&j); /* two documents */
	json_null(&j);
	json_null(&j);
	assert_int_equal(j.err, -EINVAL);
	json_free(&j);

	json_init(&j); /* deeper than JSON_MAX_DEPTH */
	for (int i = 0; i <= JSON_MAX_DEPTH; i++)
		json_array_begin(&j);
	assert_int_equal(j.err, -EINVAL);
	json_free(&j);

	fflush(f);
	assert_int_equal(ftell(f), 0); /* nothing was printed */
	fclose(f);
}

static void test_print(void **state)
{
	(void)state;
	struct json j;
	char got[64] = "";
	FILE *f = tmpfile();
	assert_non_null(f);
	json_init(&j);
	json_object_begin(&j);
	json_field_string(&j, "k", "v");
	json_object_end(&j);
	assert_int_equal(json_print(&j, f), 0);
	json_free(&j);
	rewind(f);
	assert_non_null(fgets(got, sizeof(got), f));
	assert_string_equal(got, "{\"k\":\"v\"}\n");
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_quote_and_backslash),
	    cmocka_unit_test(test_control_chars),
	    cmocka_unit_test(test_utf8),
	    cmocka_unit_test(test_nesting_and_commas),
	    cmocka_unit_test(test_newline),
	    cmocka_unit_test(test_doubles),
	    cmocka_unit_test(test_misuse),
	    cmocka_unit_test(test_print),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
