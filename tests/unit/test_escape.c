/* test_escape.c: untrusted text never reaches a terminal raw. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <whytop/util.h>

static void check(const char *in, size_t len, int nul, const char *want)
{
	char *got = wt_escape(in, len, nul);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_plain_and_utf8(void **state)
{
	check("bash", 4, 0, "bash");
	check("caf\xc3\xa9", 5, 0, "caf\xc3\xa9");
	check("\xe2\x9c\x93 ok", 6, 0, "\xe2\x9c\x93 ok");
}

static void test_terminal_escapes(void **state)
{
	const char osc[] = "\033]0;pwned\007";
	check(osc, sizeof(osc) - 1, 0, "\\e]0;pwned\\x07");
	check("a\nb\tc\r", 6, 0, "a\\nb\\tc\\r");
	check("\x7f", 1, 0, "\\x7f");
	/* C1 CSI (U+009B) encoded in UTF-8 is a control on some terminals. */
	check("\xc2\x9b" "2J", 4, 0, "\\xc2\\x9b2J");
	/* Right-to-left override would reorder what the user reads. */
	check("a\xe2\x80\xae" "b", 5, 0, "a\\xe2\\x80\\xaeb");
}

/*
 * Invisible format characters that reorder text, break lines or hide
 * between letters: shown as bytes, like the overrides above.
 */
static void test_invisible_format(void **state)
{
	check("a\xe2\x80\x8e" "b", 5, 0, "a\\xe2\\x80\\x8eb"); /* U+200E LRM */
	check("a\xe2\x80\x8f" "b", 5, 0, "a\\xe2\\x80\\x8fb"); /* U+200F RLM */
	check("a\xe2\x80\xa8" "b", 5, 0, "a\\xe2\\x80\\xa8b"); /* U+2028 line separator */
	check("a\xe2\x80\xa9" "b", 5, 0, "a\\xe2\\x80\\xa9b"); /* U+2029 paragraph separator */
	check("\xef\xbb\xbf" "a", 4, 0, "\\xef\\xbb\\xbfa");       /* U+FEFF BOM */
	check("a\xd8\x9c" "b", 4, 0, "a\\xd8\\x9cb");             /* U+061C ALM */
	check("a\xe2\x80\x8b" "b", 5, 0, "a\\xe2\\x80\\x8bb"); /* U+200B zero width space */
	check("a\xe2\x81\xa0" "b", 5, 0, "a\\xe2\\x81\\xa0b"); /* U+2060 word joiner */
	check("a\xc2\xad" "b", 4, 0, "a\\xc2\\xadb");             /* U+00AD soft hyphen */
	/* U+E0041: a tag character, invisible ASCII smuggled after a letter. */
	check("a\xf3\xa0\x81\x81", 5, 0, "a\\xf3\\xa0\\x81\\x81");
	/* Neighbours that are visible stay as they are. */
	check("\xe2\x80\x90", 3, 0, "\xe2\x80\x90"); /* U+2010 hyphen */
	check("\xe2\x80\xa6", 3, 0, "\xe2\x80\xa6"); /* U+2026 ellipsis */
	check("\xd8\xa7", 2, 0, "\xd8\xa7");           /* U+0627 Arabic alef */
}

static void test_invalid_utf8(void **state)
{
	check("\xff\xfe", 2, 0, "\\xff\\xfe");
	check("\xc0\xaf", 2, 0, "\\xc0\\xaf");         /* overlong '/' */
	check("\xed\xa0\x80", 3, 0, "\\xed\\xa0\\x80"); /* surrogate */
	check("\xe2\x9c", 2, 0, "\\xe2\\x9c");         /* truncated */
}

static void test_cmdline_nuls(void **state)
{
	check("sleep\0" "10\0", 9, 1, "sleep 10");
	check("a\0b", 3, 0, "a\\x00b");
}

static void test_truncation_is_safe(void **state)
{
	char out[6];
	wt_escape_to(out, sizeof(out), "\033\033\033", 3, 0);
	/* never a half escape: "\e\e" fits, a third does not */
	assert_string_equal(out, "\\e\\e");
	wt_escape_to(out, sizeof(out), "ab\xc3\xa9\xc3\xa9", 6, 0);
	assert_string_equal(out, "ab\xc3\xa9");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_utf8),   cmocka_unit_test(test_terminal_escapes),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_invisible_format),     cmocka_unit_test(test_cmdline_nuls),
		cmocka_unit_test(test_truncation_is_safe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
