/*
 * test_location_ops.c: the DWARF expression evaluator of location.c
 * (vars_loc_eval_ops) on hand-built Dwarf_Op arrays, one test per op family:
 * literals, stack manipulation, arithmetic, comparisons, branches
 * (DW_OP_bra and DW_OP_skip by byte offset), registers, memory, pieces,
 * stack values against memory locations, frame base and CFA, and the ops
 * refused (entry values, TLS, unknown). Malformed input (stack underflow,
 * overflow, bad branch targets, endless loops) must give an error with a
 * reason, never a crash.
 *
 * The context is the one tests/fuzz/fuzz_location.c uses: registers from a
 * fake frame (register i holds REG(i), rbx is "not recovered"), memory
 * from a memfd standing for /proc/PID/mem (address A is byte A of it, so
 * MEM holds mem_image and anything past it is unreadable). DW_OP_fbreg
 * uses the real frame base of this test's own function fb_probe, read with
 * libdw (the test is built with -g): DW_OP_call_frame_cfa from gcc, a
 * register from clang.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/vars/vars_int.h"

#define REG(i) (0x1000u * ((unsigned)(i) + 1))
#define REG_NOT_RECOVERED 3 /* rbx */
#define MEM 0x4000u
#define UNMAPPED 0x200000u
#define BIAS 0x555500000000ull

static const unsigned char mem_image[16] = {0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
					    0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28};

static struct locals_frame frame;
static struct vars_loc_ctx ctx;
static int memfd = -1;

static int setup(void **state)
{
	(void)state;
	memfd = memfd_create("test-location-mem", 0);
	if (memfd < 0 || pwrite(memfd, mem_image, sizeof(mem_image), MEM) != sizeof(mem_image))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (memfd >= 0)
		close(memfd);
	return 0;
}

/* A fresh frame and context before each test: tests may change them. */
static int reset(void **state)
{
	(void)state;
	memset(&frame, 0, sizeof(frame));
	for (int i = 0; i < STACK_NREGS; i++)
		frame.frame.regs[i] = REG(i);
	frame.frame.regs_valid = ((1u << STACK_NREGS) - 1) & ~(1u << REG_NOT_RECOVERED);
	frame.frame.cfa = 0x7ff0;
	memset(&ctx, 0, sizeof(ctx));
	ctx.f = &frame;
	ctx.memfd = memfd;
	ctx.bias = BIAS;
	ctx.phys_scope = -1;  /* no DW_AT_frame_base unless a test gives one */
	ctx.cfa_tried = true; /* no module CFI: the CFA is the frame's, or unknown */
	return 0;
}

#define OP(a)                                                                                      \
	{                                                                                          \
		.atom = (a)                                                                        \
	}
#define OPN(a, n)                                                                                  \
	{                                                                                          \
		.atom = (a), .number = (Dwarf_Word)(n)                                             \
	}
#define OPNN(a, n, n2)                                                                             \
	{                                                                                          \
		.atom = (a), .number = (Dwarf_Word)(n), .number2 = (Dwarf_Word)(n2)                \
	}
/* With its byte offset in the expression (branches need them). */
#define AT(off, a, n)                                                                              \
	{                                                                                          \
		.atom = (a), .number = (Dwarf_Word)(n), .offset = (off)                            \
	}

#define OPS(...) ((const Dwarf_Op[]){__VA_ARGS__})
#define NOPS(...) (sizeof(OPS(__VA_ARGS__)) / sizeof(Dwarf_Op))

static int eval(const Dwarf_Op *ops, size_t n, struct lval *out)
{
	memset(out, 0x5a, sizeof(*out)); /* stale garbage: the evaluator must fill it */
	return vars_loc_eval_ops(&ctx, ops, n, out);
}
#define EVAL(out, ...) eval(OPS(__VA_ARGS__), NOPS(__VA_ARGS__), out)

/* The expression succeeds with a memory location: the top of its stack. */
static uint64_t top(const Dwarf_Op *ops, size_t n)
{
	struct lval out;
	assert_int_equal(eval(ops, n, &out), 0);
	assert_int_equal(out.kind, LV_MEM);
	assert_int_equal(out.loc, LOCALS_LOC_STACK);
	return out.addr;
}
#define TOP(...) top(OPS(__VA_ARGS__), NOPS(__VA_ARGS__))

/* The expression is refused with error r, "unavailable", and a reason containing why. */
static void refused(const Dwarf_Op *ops, size_t n, int r, const char *why)
{
	struct lval out;
	assert_int_equal(eval(ops, n, &out), r);
	assert_int_equal(out.kind, LV_NONE);
	assert_int_equal(out.loc, LOCALS_LOC_UNAVAILABLE);
	if (!strstr(out.why, why))
		fail_msg("reason \"%s\" lacks \"%s\"", out.why, why);
}
#define REFUSED(r, why, ...) refused(OPS(__VA_ARGS__), NOPS(__VA_ARGS__), r, why)

static void test_literals(void **state)
{
	(void)state;
	assert_int_equal(TOP(OP(DW_OP_lit0)), 0);
	assert_int_equal(TOP(OP(DW_OP_lit17)), 17);
	assert_int_equal(TOP(OP(DW_OP_lit31)), 31);
	assert_int_equal(TOP(OPN(DW_OP_const1u, 200)), 200);
	assert_int_equal(TOP(OPN(DW_OP_const2s, -2)), (uint64_t)-2);
	assert_int_equal(TOP(OPN(DW_OP_const4u, 0xdeadbeef)), 0xdeadbeef);
	assert_int_equal(TOP(OPN(DW_OP_const8u, 0x0123456789abcdefull)), 0x0123456789abcdefull);
	assert_int_equal(TOP(OPN(DW_OP_constu, 123456)), 123456);
	assert_int_equal(TOP(OPN(DW_OP_consts, -7)), (uint64_t)-7);
	/* DW_OP_addr is a file address: the module's load bias is added. */
	assert_int_equal(TOP(OPN(DW_OP_addr, 0x4010)), BIAS + 0x4010);
	/* The last value pushed is the location. */
	assert_int_equal(TOP(OP(DW_OP_lit1), OP(DW_OP_lit2), OP(DW_OP_lit3)), 3);
}

static void test_stack_ops(void **state)
{
	(void)state;
	assert_int_equal(TOP(OP(DW_OP_lit5), OP(DW_OP_dup), OP(DW_OP_plus)), 10);
	assert_int_equal(TOP(OP(DW_OP_lit1), OP(DW_OP_lit2), OP(DW_OP_drop)), 1);
	assert_int_equal(TOP(OP(DW_OP_lit7), OP(DW_OP_lit2), OP(DW_OP_over)), 7);
	assert_int_equal(TOP(OP(DW_OP_lit7), OP(DW_OP_lit2), OP(DW_OP_over), OP(DW_OP_drop)), 2);
	assert_int_equal(TOP(OP(DW_OP_lit1), OP(DW_OP_lit2), OP(DW_OP_lit3), OPN(DW_OP_pick, 2)),
			 1);
	assert_int_equal(TOP(OP(DW_OP_lit1), OP(DW_OP_lit2), OP(DW_OP_lit3), OPN(DW_OP_pick, 0)),
			 3);
	assert_int_equal(TOP(OP(DW_OP_lit9), OP(DW_OP_lit2), OP(DW_OP_swap)), 9);
	assert_int_equal(TOP(OP(DW_OP_lit9), OP(DW_OP_lit2), OP(DW_OP_swap), OP(DW_OP_minus)),
			 (uint64_t)(2 - 9));
	/* rot: [1 2 3] (3 on top) becomes [3 1 2]. */
	assert_int_equal(TOP(OP(DW_OP_lit1), OP(DW_OP_lit2), OP(DW_OP_lit3), OP(DW_OP_rot)), 2);
	assert_int_equal(
	    TOP(OP(DW_OP_lit1), OP(DW_OP_lit2), OP(DW_OP_lit3), OP(DW_OP_rot), OP(DW_OP_drop)), 1);
	assert_int_equal(TOP(OP(DW_OP_lit1), OP(DW_OP_lit2), OP(DW_OP_lit3), OP(DW_OP_rot),
			     OP(DW_OP_drop), OP(DW_OP_drop)),
			 3);
}

struct binop_case {
	uint8_t atom;
	uint64_t a, b, want;
};

static void run_binops(const struct binop_case *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t got =
		    TOP(OPN(DW_OP_const8u, t[i].a), OPN(DW_OP_const8u, t[i].b), OP(t[i].atom));
		if (got != t[i].want)
			fail_msg("op 0x%x on %#llx, %#llx: %#llx, not %#llx", t[i].atom,
				 (unsigned long long)t[i].a, (unsigned long long)t[i].b,
				 (unsigned long long)got, (unsigned long long)t[i].want);
	}
}

static void test_arithmetic(void **state)
{
	static const struct binop_case t[] = {
	    {DW_OP_plus, 40, 2, 42},
	    {DW_OP_plus, UINT64_MAX, 2, 1}, /* wraps */
	    {DW_OP_minus, 40, 2, 38},
	    {DW_OP_minus, 2, 40, (uint64_t)-38},
	    {DW_OP_mul, 6, 7, 42},
	    {DW_OP_and, 0xf0f0, 0xff00, 0xf000},
	    {DW_OP_or, 0xf0f0, 0x0f00, 0xfff0},
	    {DW_OP_xor, 0xf0f0, 0xff00, 0x0ff0},
	    {DW_OP_shl, 1, 4, 16},
	    {DW_OP_shl, 1, 64, 0}, /* shifts past the width give 0, no UB */
	    {DW_OP_shr, 0x8000000000000000ull, 63, 1},
	    {DW_OP_shr, 0x100, 70, 0},
	    {DW_OP_shra, (uint64_t)-16, 2, (uint64_t)-4}, /* keeps the sign */
	    {DW_OP_shra, (uint64_t)-16, 64, 0},
	    {DW_OP_div, 42, 6, 7},
	    {DW_OP_div, (uint64_t)-7, 2, (uint64_t)-3},				 /* signed */
	    {DW_OP_div, 42, 0, 0},						 /* no SIGFPE */
	    {DW_OP_div, (uint64_t)INT64_MIN, (uint64_t)-1, (uint64_t)INT64_MIN}, /* wraps */
	    {DW_OP_mod, 43, 6, 1},
	    {DW_OP_mod, UINT64_MAX, 10, 5}, /* unsigned */
	    {DW_OP_mod, 43, 0, 0},
	};
	(void)state;
	run_binops(t, WT_ARRAY_SIZE(t));

	assert_int_equal(TOP(OP(DW_OP_lit5), OPN(DW_OP_plus_uconst, 100)), 105);
	assert_int_equal(TOP(OP(DW_OP_lit5), OP(DW_OP_neg)), (uint64_t)-5);
	assert_int_equal(TOP(OP(DW_OP_lit5), OP(DW_OP_not)), ~(uint64_t)5);
	assert_int_equal(TOP(OPN(DW_OP_consts, -5), OP(DW_OP_abs)), 5);
	assert_int_equal(TOP(OP(DW_OP_lit5), OP(DW_OP_abs)), 5);
}

static void test_comparisons(void **state)
{
	static const struct binop_case t[] = {
	    {DW_OP_eq, 3, 3, 1},
	    {DW_OP_eq, 3, 4, 0},
	    {DW_OP_ne, 3, 4, 1},
	    {DW_OP_ne, 3, 3, 0},
	    {DW_OP_lt, (uint64_t)-1, 0, 1}, /* signed: -1 < 0 */
	    {DW_OP_lt, 0, (uint64_t)-1, 0},
	    {DW_OP_lt, 3, 3, 0},
	    {DW_OP_le, 3, 3, 1},
	    {DW_OP_le, 4, 3, 0},
	    {DW_OP_gt, 0, (uint64_t)-1, 1},
	    {DW_OP_gt, 3, 3, 0},
	    {DW_OP_ge, 3, 3, 1},
	    {DW_OP_ge, (uint64_t)-2, (uint64_t)-1, 0},
	};
	(void)state;
	run_binops(t, WT_ARRAY_SIZE(t));
}

/* cond ? 9 : 7, as a compiler lays it out: bra over the else arm, skip over the then arm. */
static uint64_t if_else(uint8_t cond_lit)
{
	return TOP(AT(0, cond_lit, 0), AT(1, DW_OP_bra, 4),    /* to 8 */
		   AT(4, DW_OP_lit7, 0), AT(5, DW_OP_skip, 1), /* to 9 */
		   AT(8, DW_OP_lit9, 0), AT(9, DW_OP_nop, 0));
}

static void test_branches(void **state)
{
	(void)state;
	assert_int_equal(if_else(DW_OP_lit1), 9);
	assert_int_equal(if_else(DW_OP_lit0), 7);
	assert_int_equal(if_else(DW_OP_lit31), 9); /* any non-zero is true */
	/* A branch just past the last op ends the expression. */
	assert_int_equal(TOP(AT(0, DW_OP_lit5, 0), AT(1, DW_OP_skip, 1), AT(4, DW_OP_lit3, 0)), 5);
	/* A backward branch: acc += 10 three times. */
	assert_int_equal(TOP(AT(0, DW_OP_lit0, 0), AT(1, DW_OP_lit3, 0),	 /* acc n */
			     AT(2, DW_OP_swap, 0), AT(3, DW_OP_plus_uconst, 10), /* loop: */
			     AT(5, DW_OP_swap, 0), AT(6, DW_OP_lit1, 0), AT(7, DW_OP_minus, 0),
			     AT(8, DW_OP_dup, 0), AT(9, DW_OP_bra, -10), /* to 2 while n */
			     AT(12, DW_OP_drop, 0)),
			 30);
	/* Into the middle of an op, or before the expression: refused. */
	REFUSED(-EINVAL, "bad DWARF branch", AT(0, DW_OP_skip, 1), AT(3, DW_OP_const2u, 7),
		AT(6, DW_OP_lit1, 0));
	REFUSED(-EINVAL, "bad DWARF branch", AT(0, DW_OP_lit1, 0), AT(1, DW_OP_bra, -20),
		AT(4, DW_OP_lit1, 0));
	/* Untrusted loops stop after 10000 ops: 1 + 4 * 2499 run, 1 + 4 * 2500 do not. */
	assert_int_equal(TOP(AT(0, DW_OP_const2u, 2499), AT(3, DW_OP_lit1, 0), /* loop: */
			     AT(4, DW_OP_minus, 0), AT(5, DW_OP_dup, 0),
			     AT(6, DW_OP_bra, -6)), /* to 3 while n */
			 0);
	REFUSED(-ELOOP, "does not end", AT(0, DW_OP_const2u, 2500), AT(3, DW_OP_lit1, 0),
		AT(4, DW_OP_minus, 0), AT(5, DW_OP_dup, 0), AT(6, DW_OP_bra, -6));
	/* A branch to itself: stopped, not run forever. */
	REFUSED(-ELOOP, "does not end", AT(0, DW_OP_lit1, 0), AT(1, DW_OP_skip, -3));
}

static void test_underflow(void **state)
{
	static const uint8_t need1[] = {
	    DW_OP_dup, DW_OP_drop, DW_OP_deref, DW_OP_deref_size,  DW_OP_plus_uconst, DW_OP_neg,
	    DW_OP_not, DW_OP_abs,  DW_OP_bra,	DW_OP_stack_value, DW_OP_pick,
	};
	static const uint8_t need2[] = {
	    DW_OP_over, DW_OP_swap, DW_OP_plus, DW_OP_minus, DW_OP_mul, DW_OP_div,  DW_OP_mod,
	    DW_OP_and,	DW_OP_or,   DW_OP_xor,	DW_OP_shl,   DW_OP_shr, DW_OP_shra, DW_OP_eq,
	    DW_OP_ne,	DW_OP_lt,   DW_OP_le,	DW_OP_gt,    DW_OP_ge,
	};
	(void)state;
	for (size_t i = 0; i < WT_ARRAY_SIZE(need1); i++)
		REFUSED(-EINVAL, "malformed DWARF expression", AT(0, need1[i], 1));
	for (size_t i = 0; i < WT_ARRAY_SIZE(need2); i++)
		REFUSED(-EINVAL, "malformed DWARF expression", OP(DW_OP_lit1), OP(need2[i]));
	REFUSED(-EINVAL, "malformed DWARF expression", OP(DW_OP_lit1), OP(DW_OP_lit2),
		OP(DW_OP_rot));
	REFUSED(-EINVAL, "malformed DWARF expression", OP(DW_OP_lit1), OP(DW_OP_lit2),
		OPN(DW_OP_pick, 2));
	REFUSED(-EINVAL, "malformed DWARF expression", OP(DW_OP_lit1), OPN(DW_OP_pick, UINT64_MAX));
	/* What a dropped value left: nothing. */
	REFUSED(-EINVAL, "malformed DWARF expression", OP(DW_OP_lit1), OP(DW_OP_drop),
		OP(DW_OP_dup));

	/* 64 values fit, 65 do not. */
	Dwarf_Op deep[65];
	struct lval out;
	for (size_t i = 0; i < 65; i++)
		deep[i] = (Dwarf_Op){.atom = DW_OP_lit1, .offset = i};
	assert_int_equal(top(deep, 64), 1);
	refused(deep, 65, -EINVAL, "too deep");

	/* No op at all: nothing to locate, not an error. */
	assert_int_equal(eval(deep, 0, &out), 0);
	assert_int_equal(out.kind, LV_NONE);
	assert_int_equal(out.loc, LOCALS_LOC_OPTIMIZED_OUT);
	/* Ops no expression may have. */
	REFUSED(-ENOTSUP, "DWARF operation 0x1 is not supported", OP(0x01));
	REFUSED(-ENOTSUP, "DWARF operation 0xff is not supported", OP(DW_OP_lit1), OP(0xff));
}

static void test_registers(void **state)
{
	struct lval out;
	unsigned char buf[8];
	uint64_t v;
	(void)state;

	assert_int_equal(TOP(OPN(DW_OP_breg0, 16)), REG(0) + 16);
	assert_int_equal(TOP(OPN(DW_OP_breg7, -8)), REG(7) - 8);
	assert_int_equal(TOP(OPN(DW_OP_breg16, 0)), REG(16));
	assert_int_equal(TOP(OPNN(DW_OP_bregx, 6, 24)), REG(6) + 24);
	assert_int_equal(TOP(OPNN(DW_OP_bregx, 12, -4)), REG(12) - 4);

	/* DW_OP_regN: the value is in the register, read from the frame. */
	assert_int_equal(EVAL(&out, OP(DW_OP_reg5)), 0);
	assert_int_equal(out.kind, LV_REG);
	assert_int_equal(out.loc, LOCALS_LOC_REGISTER);
	assert_int_equal(out.reg, 5);
	assert_int_equal(vars_lval_read(&ctx, &out, 8, buf, sizeof(buf)), 0);
	memcpy(&v, buf, 8);
	assert_int_equal(v, REG(5));
	assert_int_equal(EVAL(&out, OPN(DW_OP_regx, 12)), 0);
	assert_int_equal(out.kind, LV_REG);
	assert_int_equal(out.reg, 12);
	/* A register number past int is bounded, never negative. */
	assert_int_equal(EVAL(&out, OPN(DW_OP_regx, 0x100000000ull)), 0);
	assert_int_equal(out.kind, LV_REG);
	assert_int_equal(out.reg, INT_MAX);
	/* A register wins over the stack. */
	assert_int_equal(EVAL(&out, OP(DW_OP_lit3), OP(DW_OP_reg2)), 0);
	assert_int_equal(out.kind, LV_REG);
	assert_int_equal(out.reg, 2);

	/* Registers the unwinder did not recover: a reason, not a made-up value. */
	REFUSED(-ENOENT, "register rbx was not recovered in frame 0", OPN(DW_OP_breg3, 8));
	REFUSED(-ENOENT, "register rbx was not recovered", OPNN(DW_OP_bregx, 3, 0));
	REFUSED(-ENOENT, "register reg40 was not recovered", OPNN(DW_OP_bregx, 40, 0));
	REFUSED(-ENOENT, "was not recovered", OPNN(DW_OP_bregx, UINT64_MAX, 0));
	frame.index = 2;
	frame.frame.regs_valid = 0;
	REFUSED(-ENOENT, "register rax was not recovered in frame 2", OPN(DW_OP_breg0, 0));
}

static void test_memory(void **state)
{
	struct lval out;
	unsigned char buf[8];
	(void)state;

	assert_int_equal(TOP(OPN(DW_OP_constu, MEM), OP(DW_OP_deref)), 0x1817161514131211ull);
	assert_int_equal(TOP(OPN(DW_OP_constu, MEM + 8), OP(DW_OP_deref)), 0x2827262524232221ull);
	assert_int_equal(TOP(OPN(DW_OP_constu, MEM), OPN(DW_OP_deref_size, 1)), 0x11);
	assert_int_equal(TOP(OPN(DW_OP_constu, MEM + 1), OPN(DW_OP_deref_size, 2)), 0x1312);
	assert_int_equal(TOP(OPN(DW_OP_constu, MEM), OPN(DW_OP_deref_size, 4)), 0x14131211);
	/* The address of a register-based pointer, then the pointed-to value. */
	frame.frame.regs[6] = MEM - 0x10;
	assert_int_equal(TOP(OPN(DW_OP_breg6, 0x18), OP(DW_OP_deref)), 0x2827262524232221ull);

	REFUSED(-EFAULT, "cannot read memory at 0x200000", OPN(DW_OP_constu, UNMAPPED),
		OP(DW_OP_deref));
	REFUSED(-EFAULT, "cannot read memory at 0x400c", OPN(DW_OP_constu, MEM + 12),
		OP(DW_OP_deref)); /* only 4 of its 8 bytes exist */
	REFUSED(-EFAULT, "cannot read memory at 0x4000", OPN(DW_OP_constu, MEM),
		OPN(DW_OP_deref_size, 9));

	/* A memory location is read where it points. */
	assert_int_equal(EVAL(&out, OPN(DW_OP_constu, MEM + 8)), 0);
	assert_int_equal(vars_lval_read(&ctx, &out, 8, buf, sizeof(buf)), 0);
	assert_memory_equal(buf, mem_image + 8, 8);
}

static void test_pieces(void **state)
{
	struct lval out;
	(void)state;

	/* Low half in rdx, high half in memory at MEM, then 2 computed bytes. */
	assert_int_equal(EVAL(&out, OP(DW_OP_reg1), OPN(DW_OP_piece, 4), OPN(DW_OP_constu, MEM),
			      OPN(DW_OP_piece, 4), OPN(DW_OP_const2u, 0xbeef),
			      OP(DW_OP_stack_value), OPN(DW_OP_piece, 2)),
			 0);
	uint32_t lo = REG(1);
	unsigned char want[10];
	memcpy(want, &lo, 4);
	memcpy(want + 4, mem_image, 4);
	want[8] = 0xef;
	want[9] = 0xbe;
	assert_int_equal(out.kind, LV_BYTES);
	assert_int_equal(out.loc, LOCALS_LOC_COMPUTED);
	assert_int_equal(out.nbytes, 10);
	assert_memory_equal(out.bytes, want, 10);
	assert_non_null(strstr(out.why, "DW_OP_piece"));

	/* Memory pieces take their address off the stack: the top first. */
	assert_int_equal(EVAL(&out, OPN(DW_OP_constu, MEM), OPN(DW_OP_constu, MEM + 8),
			      OPN(DW_OP_piece, 2), OPN(DW_OP_piece, 3)),
			 0);
	assert_int_equal(out.nbytes, 5);
	assert_memory_equal(out.bytes, "\x21\x22\x11\x12\x13", 5);

	/* A piece with no location is optimized out. */
	assert_int_equal(EVAL(&out, OP(DW_OP_reg1), OPN(DW_OP_piece, 4), OPN(DW_OP_piece, 4)),
			 -ENOENT);
	assert_int_equal(out.kind, LV_NONE);
	assert_int_equal(out.loc, LOCALS_LOC_OPTIMIZED_OUT);
	assert_non_null(strstr(out.why, "optimized out"));
	/* Pieces that cannot be read: unavailable. */
	assert_int_equal(EVAL(&out, OP(DW_OP_reg3), OPN(DW_OP_piece, 8)), -ENOENT);
	assert_int_equal(out.kind, LV_NONE);
	assert_int_equal(out.loc, LOCALS_LOC_UNAVAILABLE);
	assert_non_null(strstr(out.why, "not available"));
	assert_int_equal(EVAL(&out, OPN(DW_OP_constu, UNMAPPED), OPN(DW_OP_piece, 4)), -ENOENT);
	assert_int_equal(out.loc, LOCALS_LOC_UNAVAILABLE);
	/* More than a value holds (64 bytes), also when the sizes would wrap. */
	assert_int_equal(EVAL(&out, OP(DW_OP_reg1), OPN(DW_OP_piece, 65)), -E2BIG);
	assert_int_equal(out.kind, LV_NONE);
	assert_non_null(strstr(out.why, "too large"));
	assert_int_equal(EVAL(&out, OP(DW_OP_reg1), OPN(DW_OP_piece, 4), OP(DW_OP_reg1),
			      OPN(DW_OP_piece, UINT64_MAX - 1)),
			 -E2BIG);
	/* An error after the pieces still fails the whole value. */
	REFUSED(-EINVAL, "malformed", OP(DW_OP_reg1), OPN(DW_OP_piece, 4), OP(DW_OP_drop));
}

static void test_stack_value_vs_memory(void **state)
{
	struct lval out;
	uint64_t v;
	(void)state;

	/* Without DW_OP_stack_value the result is an address... */
	assert_int_equal(EVAL(&out, OPN(DW_OP_constu, MEM)), 0);
	assert_int_equal(out.kind, LV_MEM);
	assert_int_equal(out.loc, LOCALS_LOC_STACK);
	assert_int_equal(out.addr, MEM);
	/* ...with it, the value itself, which has no place to write. */
	assert_int_equal(EVAL(&out, OPN(DW_OP_constu, MEM), OP(DW_OP_stack_value)), 0);
	assert_int_equal(out.kind, LV_BYTES);
	assert_int_equal(out.loc, LOCALS_LOC_COMPUTED);
	assert_int_equal(out.nbytes, 8);
	memcpy(&v, out.bytes, 8);
	assert_int_equal(v, MEM);
	assert_non_null(strstr(out.why, "DW_OP_stack_value"));
	/* The value is the top at DW_OP_stack_value, not what lies under it. */
	assert_int_equal(EVAL(&out, OP(DW_OP_lit1), OPN(DW_OP_constu, MEM), OP(DW_OP_stack_value)),
			 0);
	memcpy(&v, out.bytes, 8);
	assert_int_equal(v, MEM);
	assert_int_equal(
	    EVAL(&out, OP(DW_OP_breg2), OPN(DW_OP_plus_uconst, 1), OP(DW_OP_stack_value)), 0);
	memcpy(&v, out.bytes, 8);
	assert_int_equal(v, REG(2) + 1);
	/* An implicit value needs the attribute's block: none here. */
	REFUSED(-EINVAL, "implicit value unreadable", OPN(DW_OP_implicit_value, 4));
	/* Only a nop: an empty location. */
	assert_int_equal(EVAL(&out, OP(DW_OP_nop)), 0);
	assert_int_equal(out.kind, LV_NONE);
	assert_int_equal(out.loc, LOCALS_LOC_OPTIMIZED_OUT);
}

/* The function whose DW_AT_frame_base DW_OP_fbreg uses. */
__attribute__((noinline, used)) static int fb_probe(int x)
{
	volatile int y = x + 1;
	return y;
}

static const Dwfl_Callbacks offline_cb = {
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = dwfl_offline_section_address,
};

/* Point ctx at fb_probe in this test's own debug info; the caller ends *dwfl. */
static void ctx_in_fb_probe(Dwfl **dwfl, Dwarf_Die **scopes)
{
	Dwfl_Module *m;
	Dwarf *dw;
	Dwarf_Addr bias, lo;
	Dwarf_Off off = 0, next;
	size_t hsize;
	Dwarf_Die cu, child;
	bool found = false;

	*dwfl = dwfl_begin(&offline_cb);
	assert_non_null(*dwfl);
	dwfl_report_begin(*dwfl);
	m = dwfl_report_offline(*dwfl, "self", "/proc/self/exe", -1);
	dwfl_report_end(*dwfl, NULL, NULL);
	assert_non_null(m);
	dw = dwfl_module_getdwarf(m, &bias);
	assert_non_null(dw);
	while (!found && dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		if (dwarf_offdie(dw, off + hsize, &cu) && dwarf_child(&cu, &child) == 0) {
			do {
				const char *n = dwarf_diename(&child);
				if (dwarf_tag(&child) == DW_TAG_subprogram && n &&
				    !strcmp(n, "fb_probe") && dwarf_lowpc(&child, &lo) == 0) {
					found = true;
					break;
				}
			} while (dwarf_siblingof(&child, &child) == 0);
		}
		off = next;
	}
	assert_true(found);
	ctx.mod = m;
	ctx.bias = bias;
	ctx.pc = lo + bias;
	ctx.cudie = cu;
	ctx.nscopes = dwarf_getscopes(&cu, lo, scopes);
	assert_true(ctx.nscopes >= 1);
	assert_int_equal(dwarf_tag(&(*scopes)[0]), DW_TAG_subprogram);
	ctx.scopes = *scopes;
	ctx.fn_scope = ctx.phys_scope = 0;
}

static void test_frame_base_and_cfa(void **state)
{
	Dwfl *dwfl;
	Dwarf_Die *scopes = NULL;
	Dwarf_Attribute fb;
	Dwarf_Op *fbops;
	size_t nfb;
	uint64_t base = 0;
	(void)state;

	/* DW_OP_call_frame_cfa: the unwinder's CFA for the frame. */
	assert_int_equal(TOP(OP(DW_OP_call_frame_cfa)), 0x7ff0);
	assert_int_equal(TOP(OP(DW_OP_call_frame_cfa), OPN(DW_OP_plus_uconst, 0x10)), 0x8000);
	frame.frame.cfa = 0;
	REFUSED(-ENOENT, "the frame's CFA is not known", OP(DW_OP_call_frame_cfa));
	frame.frame.cfa = 0x7ff0;
	/* A function without DW_AT_frame_base. */
	REFUSED(-ENOENT, "the function has no frame base", OPN(DW_OP_fbreg, -16));

	/* fb_probe's real frame base: the CFA (gcc) or a register (clang). */
	ctx_in_fb_probe(&dwfl, &scopes);
	assert_true(dwarf_attr_integrate(&scopes[0], DW_AT_frame_base, &fb) != NULL);
	assert_int_equal(dwarf_getlocation_addr(&fb, ctx.pc - ctx.bias, &fbops, &nfb, 1), 1);
	assert_int_equal(nfb, 1);
	if (fbops[0].atom == DW_OP_call_frame_cfa)
		base = 0x7ff0;
	else if (fbops[0].atom >= DW_OP_reg0 && fbops[0].atom <= DW_OP_reg16)
		base = REG(fbops[0].atom - DW_OP_reg0);
	else
		fail_msg("fb_probe's frame base is DWARF op 0x%x", fbops[0].atom);
	assert_int_equal(TOP(OPN(DW_OP_fbreg, -20)), base - 20);
	assert_int_equal(TOP(OPN(DW_OP_fbreg, 8)), base + 8);
	assert_int_equal(TOP(OPN(DW_OP_fbreg, -20), OP(DW_OP_lit4), OP(DW_OP_plus)), base - 16);
	/* What the frame base needs is not there: refused, with why. */
	if (fbops[0].atom == DW_OP_call_frame_cfa) {
		frame.frame.cfa = 0;
		REFUSED(-ENOENT, "frame base: the frame's CFA is not known", OPN(DW_OP_fbreg, -20));
	} else {
		frame.frame.regs_valid = 0;
		REFUSED(-ENOENT, "was not recovered", OPN(DW_OP_fbreg, -20));
	}
	free(scopes);
	dwfl_end(dwfl);
}

static void test_refused(void **state)
{
	(void)state;
	/* Entry values need the caller's frame at the call: not guessed. */
	REFUSED(-ENOENT, "value on entry to the function", OPN(DW_OP_entry_value, 1));
	REFUSED(-ENOENT, "value on entry to the function", OPN(DW_OP_GNU_entry_value, 1),
		OP(DW_OP_stack_value));
	REFUSED(-ENOENT, "value on entry", OP(DW_OP_lit1), OPN(DW_OP_entry_value, 1),
		OP(DW_OP_plus));
	REFUSED(-ENOTSUP, "thread-local storage is not supported", OPN(DW_OP_const8u, 0x10),
		OP(DW_OP_form_tls_address));
	REFUSED(-ENOTSUP, "thread-local storage", OPN(DW_OP_const8u, 0x10),
		OP(DW_OP_GNU_push_tls_address));
	REFUSED(-ENOTSUP, "DWARF operation 0x", OP(DW_OP_call2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_literals, reset),
	    cmocka_unit_test_setup(test_stack_ops, reset),
	    cmocka_unit_test_setup(test_arithmetic, reset),
	    cmocka_unit_test_setup(test_comparisons, reset),
	    cmocka_unit_test_setup(test_branches, reset),
	    cmocka_unit_test_setup(test_underflow, reset),
	    cmocka_unit_test_setup(test_registers, reset),
	    cmocka_unit_test_setup(test_memory, reset),
	    cmocka_unit_test_setup(test_pieces, reset),
	    cmocka_unit_test_setup(test_stack_value_vs_memory, reset),
	    cmocka_unit_test_setup(test_frame_base_and_cfa, reset),
	    cmocka_unit_test_setup(test_refused, reset),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
