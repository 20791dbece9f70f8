/*
 * test_valparse.c: the text a person types for poke, against real DWARF
 * types (this test's own globals, read with libdw): exact bytes for every
 * integer size at its limits, every base (0x, 0b, 0 octal), char literals,
 * bool, enums by name, floating point ranges, pointers; refusals with the
 * type's range. Also the C spelling of type names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/vars/vars_int.h"

enum tv_color { TV_RED, TV_GREEN = 5, TV_BLUE };
struct tv_pair {
	int a;
	char name[4];
};

/* The variables whose DWARF types the tests use (kept by `used`). */
__attribute__((used)) signed char tv_s8;
__attribute__((used)) unsigned char tv_u8;
__attribute__((used)) char tv_c;
__attribute__((used)) short tv_s16;
__attribute__((used)) unsigned short tv_u16;
__attribute__((used)) int tv_s32;
__attribute__((used)) unsigned int tv_u32;
__attribute__((used)) long tv_s64;
__attribute__((used)) unsigned long tv_u64;
__attribute__((used)) bool tv_bool;
__attribute__((used)) float tv_f32;
__attribute__((used)) double tv_f64;
__attribute__((used)) enum tv_color tv_enum;
__attribute__((used)) const char *tv_str;
__attribute__((used)) char *const tv_cptr;
__attribute__((used)) int tv_arr[5];
__attribute__((used)) struct tv_pair tv_struct;
__attribute__((used)) int (*tv_fn)(int);
/* GCC describes it as const -> array -> const -> struct: printed once "const". */
__attribute__((used)) static const struct {
	int id;
} tv_anon_table[8];
__attribute__((used)) static const volatile int tv_cv_arr[2][3];

static Dwfl *dwfl;
static Dwarf *dw;

static const Dwfl_Callbacks offline_cb = {
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = dwfl_offline_section_address,
};

static int setup(void **state)
{
	Dwarf_Addr bias;
	Dwfl_Module *m;
	dwfl = dwfl_begin(&offline_cb);
	if (!dwfl)
		return -1;
	dwfl_report_begin(dwfl);
	m = dwfl_report_offline(dwfl, "self", "/proc/self/exe", -1);
	dwfl_report_end(dwfl, NULL, NULL);
	if (!m || !(dw = dwfl_module_getdwarf(m, &bias)))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	dwfl_end(dwfl);
	return 0;
}

/* The type of global `name` in this test's CU. */
static struct vtype type_of(const char *name)
{
	Dwarf_Off off = 0, next;
	size_t hsize;
	struct vtype t = {0};
	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, child;
		if (dwarf_offdie(dw, off + hsize, &cu) && dwarf_child(&cu, &child) == 0) {
			do {
				const char *n = dwarf_diename(&child);
				if (dwarf_tag(&child) == DW_TAG_variable && n && !strcmp(n, name)) {
					vars_type_init(&t, &child);
					return t;
				}
			} while (dwarf_siblingof(&child, &child) == 0);
		}
		off = next;
	}
	fail_msg("no variable %s in the test's DWARF", name);
	return t;
}

/* parse VAR TEXT: expect success and these bytes. */
static void ok(const char *var, const char *text, const void *want, size_t wsize)
{
	struct vtype t = type_of(var);
	struct vars_loc_ctx c = {0};
	unsigned char out[16];
	size_t size = 0;
	struct wt_err err = {0};
	int r = vars_value_parse(&c, &t, text, out, &size, &err);
	if (r != 0)
		fail_msg("%s=%s: %s", var, text, err.msg);
	assert_int_equal(size, wsize);
	assert_memory_equal(out, want, wsize);
}

/* parse VAR TEXT: expect refusal with this message. */
static void refused(const char *var, const char *text, const char *msg)
{
	struct vtype t = type_of(var);
	struct vars_loc_ctx c = {0};
	unsigned char out[16];
	size_t size = 0;
	struct wt_err err = {0};
	assert_int_not_equal(vars_value_parse(&c, &t, text, out, &size, &err), 0);
	assert_string_equal(err.msg, msg);
}

#define OK(var, text, ctype, value)                                                                \
	do {                                                                                       \
		ctype v_ = (value);                                                                \
		ok(var, text, &v_, sizeof(v_));                                                    \
	} while (0)

static void test_integer_limits(void **state)
{
	OK("tv_s8", "-128", signed char, -128);
	OK("tv_s8", "127", signed char, 127);
	refused("tv_s8", "128", "128 is out of range for signed char (-128 to 127)");
	refused("tv_s8", "-129", "-129 is out of range for signed char (-128 to 127)");
	OK("tv_u8", "255", unsigned char, 255);
	refused("tv_u8", "256", "256 is out of range for unsigned char (0 to 255)");
	refused("tv_u8", "-1", "-1 is out of range for unsigned char (0 to 255)");
	OK("tv_s16", "-32768", short, -32768);
	refused("tv_s16", "32768", "32768 is out of range for short int (-32768 to 32767)");
	OK("tv_u16", "65535", unsigned short, 65535);
	OK("tv_s32", "-2147483648", int, INT32_MIN);
	refused("tv_s32", "2147483648",
		"2147483648 is out of range for int (-2147483648 to 2147483647)");
	OK("tv_u32", "4294967295", unsigned int, UINT32_MAX);
	refused("tv_u32", "4294967296",
		"4294967296 is out of range for unsigned int (0 to 4294967295)");
	OK("tv_s64", "-9223372036854775808", long, INT64_MIN);
	OK("tv_s64", "9223372036854775807", long, INT64_MAX);
	refused("tv_s64", "9223372036854775808",
		"9223372036854775808 is out of range for long int (-9223372036854775808 to "
		"9223372036854775807)");
	OK("tv_u64", "18446744073709551615", unsigned long, UINT64_MAX);
	refused("tv_u64", "18446744073709551616",
		"18446744073709551616 is out of range for long unsigned int");
	OK("tv_u64", "-0", unsigned long, 0);
}

static void test_integer_syntax(void **state)
{
	OK("tv_s32", "0x7f", int, 127);
	OK("tv_s32", "-0x10", int, -16);
	OK("tv_s32", "0b101", int, 5);
	OK("tv_s32", "017", int, 15);
	/* What strtol would take but a person rarely means: a quoting slip, refused. */
	refused("tv_s32", " 42", "' 42' has a space before or after it; write the value alone");
	refused("tv_s32", "42 ", "'42 ' has a space before or after it; write the value alone");
	refused("tv_s32", "\t42", "'\\t42' has a space before or after it; write the value alone");
	refused("tv_s32", "+7", "'+7' is not a value for int: write it without the '+'");
	refused("tv_u64", "+0x10",
		"'+0x10' is not a value for long unsigned int: write it without the '+'");
	refused("tv_f64", " 1.5", "' 1.5' has a space before or after it; write the value alone");
	refused("tv_f64", "+1.5", "'+1.5' is not a value for double: write it without the '+'");
	refused("tv_enum", " TV_RED",
		"' TV_RED' has a space before or after it; write the value alone");
	refused("tv_bool", "true ", "'true ' has a space before or after it; write the value alone");
	refused("tv_str", " 0x1000",
		"' 0x1000' has a space before or after it; write the value alone");
	OK("tv_c", "' '", char, ' ');
	refused("tv_s32", "12abc", "'12abc' is not a number for int");
	refused("tv_s32", "", "'' is not a number for int");
	refused("tv_s32", "1e3", "'1e3' is not a number for int");
	refused("tv_s32", "0x", "'0x' is not a number for int");
	refused("tv_s32", "\033[2J", "'\\e[2J' is not a number for int");
}

static void test_char_bool_enum(void **state)
{
	OK("tv_c", "'a'", char, 'a');
	OK("tv_c", "'\\n'", char, '\n');
	OK("tv_c", "'\\x41'", char, 'A');
	OK("tv_c", "65", char, 65);
	OK("tv_u8", "'\\0'", unsigned char, 0);
	OK("tv_bool", "true", bool, true);
	OK("tv_bool", "0", bool, false);
	refused("tv_bool", "2", "'2' is not a bool (true, false, 1 or 0)");
	OK("tv_enum", "TV_BLUE", enum tv_color, TV_BLUE);
	OK("tv_enum", "5", enum tv_color, TV_GREEN);
	refused("tv_enum", "TV_PINK",
		"'TV_PINK' is not a value of enum tv_color (one of: TV_RED, TV_GREEN, TV_BLUE, "
		"or a number)");
}

static void test_float_pointer(void **state)
{
	OK("tv_f32", "2.5", float, 2.5f);
	OK("tv_f32", "-1e-3", float, -1e-3f);
	refused("tv_f32", "3.5e38", "3.5e38 is out of range for float (about +-3.4e38)");
	OK("tv_f64", "1e300", double, 1e300);
	refused("tv_f64", "1e309", "1e309 is out of range for double");
	refused("tv_f64", "abc", "'abc' is not a number for double");
	OK("tv_str", "NULL", uint64_t, 0);
	OK("tv_str", "0x1000", uint64_t, 0x1000);
	refused("tv_str", "-1", "'-1' is not an address (write 0x... or NULL)");
	refused("tv_arr", "1",
		"int [5] is not a scalar; poke one of its members or elements instead");
	refused("tv_struct", "1",
		"struct tv_pair is not a scalar; poke one of its members or elements instead");
}

static void name_is(const char *var, const char *want)
{
	struct vtype t = type_of(var);
	struct wt_buf b;
	wt_buf_init(&b);
	vars_type_name(&t, &b);
	assert_string_equal(b.data, want);
	wt_buf_free(&b);
}

static void test_type_names(void **state)
{
	name_is("tv_s8", "signed char");
	name_is("tv_u64", "long unsigned int");
	name_is("tv_str", "const char *");
	name_is("tv_cptr", "char *const");
	name_is("tv_arr", "int [5]");
	name_is("tv_struct", "struct tv_pair");
	name_is("tv_enum", "enum tv_color");
	name_is("tv_fn", "function pointer");
	name_is("tv_anon_table", "const struct <anonymous> [8]");
	name_is("tv_cv_arr", "volatile const int [2] [3]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_integer_limits), cmocka_unit_test(test_integer_syntax),
	    cmocka_unit_test(test_char_bool_enum), cmocka_unit_test(test_float_pointer),
	    cmocka_unit_test(test_type_names),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
