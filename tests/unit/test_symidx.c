/*
 * test_symidx: the sorted symbol index names addresses exactly as libdwfl's
 * dwfl_module_addrinfo does, on the real modules of this very process
 * (the test binary, libc with its debug file when installed, libdw, ld.so,
 * the vDSO): at every symbol's first and last byte, its middle, just past
 * its end, and in the gaps between symbols.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/stack/stack_int.h"

struct probe_stats {
	struct debug_proc *dp;
	size_t modules, probes, named, mismatches;
};

/* Compare one address; prints the first few disagreements. */
static void probe(struct probe_stats *st, Dwfl_Module *mod, const char *modname, uint64_t pc)
{
	GElf_Off off = 0;
	GElf_Sym sym;
	const char *want = dwfl_module_addrinfo(mod, pc, &off, &sym, NULL, NULL, NULL);
	uint64_t start = 0;
	const char *got = symidx_lookup(st->dp, mod, pc, &start);
	st->probes++;
	bool same = (!want && !got) ||
		    (want && got && strcmp(want, got) == 0 && start == pc - off);
	if (want && same)
		st->named++;
	if (!same && st->mismatches++ < 10)
		fprintf(stderr, "%s %#llx: libdwfl %s+%#llx, index %s at %#llx\n", modname,
			(unsigned long long)pc, want ? want : "(none)", (unsigned long long)off,
			got ? got : "(none)", (unsigned long long)start);
}

static int probe_module(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr base,
			void *arg)
{
	struct probe_stats *st = arg;
	int n = dwfl_module_getsymtab(mod);
	if (n <= 1)
		return DWARF_CB_OK;
	st->modules++;
	/* Large tables (libc's debug file) are sampled: libdwfl scans all of it per call. */
	int step = n > 1500 ? n / 1500 : 1;
	for (int i = 1; i < n; i += step) {
		GElf_Sym sym;
		GElf_Addr addr;
		GElf_Word shndx;
		const char *s = dwfl_module_getsym_info(mod, i, &sym, &addr, &shndx, NULL, NULL);
		if (!s || shndx == SHN_UNDEF || GELF_ST_TYPE(sym.st_info) == STT_TLS)
			continue;
		probe(st, mod, name, addr);
		probe(st, mod, name, addr + 1);
		if (sym.st_size > 1) {
			probe(st, mod, name, addr + sym.st_size / 2);
			probe(st, mod, name, addr + sym.st_size - 1);
		}
		probe(st, mod, name, addr + sym.st_size);
		probe(st, mod, name, addr + sym.st_size + 7);
		if (addr > 0)
			probe(st, mod, name, addr - 1);
	}
	return DWARF_CB_OK;
}

static void test_agrees_with_libdwfl(void **state)
{
	(void)state;
	struct wt_err err = {0};
	struct debug_proc *dp;
	assert_int_equal(debug_proc_open(getpid(), &dp, &err), 0);
	struct probe_stats st = {.dp = dp};
	dwfl_getmodules(debug_proc_dwfl(dp), probe_module, &st, 0);
	fprintf(stderr, "%zu modules, %zu addresses, %zu named, %zu disagreements\n", st.modules,
		st.probes, st.named, st.mismatches);
	/* This binary, libc, libdw, libelf, cmocka, ld.so at least. */
	assert_true(st.modules >= 5);
	assert_true(st.named > 1000);
	assert_int_equal(st.mismatches, 0);
	debug_proc_close(dp);
}

/* A function of this binary is found at its own address, and after a flush too. */
static void test_own_function(void **state)
{
	(void)state;
	struct wt_err err = {0};
	struct debug_proc *dp;
	assert_int_equal(debug_proc_open(getpid(), &dp, &err), 0);
	uint64_t pc = (uint64_t)(uintptr_t)&test_own_function;
	Dwfl_Module *mod = dwfl_addrmodule(debug_proc_dwfl(dp), pc);
	assert_non_null(mod);
	for (int round = 0; round < 2; round++) {
		uint64_t start = 0;
		const char *name = symidx_lookup(dp, mod, pc + 3, &start);
		assert_non_null(name);
		assert_string_equal(name, "test_own_function");
		assert_true(start == pc);
		symidx_flush(dp);
	}
	debug_proc_close(dp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_agrees_with_libdwfl),
	    cmocka_unit_test(test_own_function),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
