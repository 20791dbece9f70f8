/*
 * fuzz_valparse: the text typed for poke (valparse.c), against real DWARF
 * types: this harness's own globals, read with libdw (built with -g).
 * Input: a type selector (1), then the text.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/vars/vars_int.h"

enum fz_color { FZ_RED, FZ_GREEN = 5, FZ_BLUE = -3 };
struct fz_pair {
	int a;
	char b;
};

__attribute__((used)) signed char fz_s8;
__attribute__((used)) unsigned char fz_u8;
__attribute__((used)) char fz_c;
__attribute__((used)) short fz_s16;
__attribute__((used)) unsigned short fz_u16;
__attribute__((used)) int fz_s32;
__attribute__((used)) unsigned int fz_u32;
__attribute__((used)) long fz_s64;
__attribute__((used)) unsigned long fz_u64;
__attribute__((used)) __int128 fz_s128;
__attribute__((used)) bool fz_bool;
__attribute__((used)) float fz_f32;
__attribute__((used)) double fz_f64;
__attribute__((used)) long double fz_f80;
__attribute__((used)) enum fz_color fz_enum;
__attribute__((used)) const volatile int *fz_ptr;
__attribute__((used)) struct fz_pair fz_struct;

static const char *const vars[] = {
	"fz_s8",  "fz_u8",   "fz_c",   "fz_s16", "fz_u16", "fz_s32",  "fz_u32",   "fz_s64", "fz_u64",
	"fz_s128", "fz_bool", "fz_f32", "fz_f64", "fz_f80", "fz_enum", "fz_ptr", "fz_struct",
};
#define NVARS (sizeof(vars) / sizeof(vars[0]))

static const Dwfl_Callbacks offline_cb = {
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

/* The types of vars[], from this program's DWARF; traps if it has none. */
static void load_types(struct vtype *types)
{
	static Dwfl *dwfl; /* stays open: the DIEs point into it */
	Dwarf_Addr bias;
	dwfl = dwfl_begin(&offline_cb);
	dwfl_report_begin(dwfl);
	Dwfl_Module *m = dwfl_report_offline(dwfl, "self", "/proc/self/exe", -1);
	dwfl_report_end(dwfl, NULL, NULL);
	Dwarf *dw = m ? dwfl_module_getdwarf(m, &bias) : NULL;
	Dwarf_Off off = 0, next;
	size_t hsize, found = 0;
	while (dw && dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, d;
		if (dwarf_offdie(dw, off + hsize, &cu) && dwarf_child(&cu, &d) == 0) {
			do {
				const char *n = dwarf_diename(&d);
				for (size_t i = 0; n && dwarf_tag(&d) == DW_TAG_variable && i < NVARS; i++)
					if (!types[i].valid && strcmp(n, vars[i]) == 0) {
						vars_type_init(&types[i], &d);
						found++;
					}
			} while (dwarf_siblingof(&d, &d) == 0);
		}
		off = next;
	}
	if (found != NVARS)
		__builtin_trap(); /* no DWARF: the harness would test nothing */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vtype types[NVARS];
	static bool loaded;
	struct vars_loc_ctx c = {0};
	struct wt_err err = {0};
	unsigned char out[16];
	size_t outsz = 0;

	if (!loaded) {
		load_types(types);
		loaded = true;
	}
	if (size < 1)
		return 0;
	char *text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (vars_value_parse(&c, &types[data[0] % NVARS], text, out, &outsz, &err) == 0 &&
	    outsz > sizeof(out))
		__builtin_trap();
	free(text);
	return 0;
}
