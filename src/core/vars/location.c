/*
 * location.c: where a variable lives in one frame, by evaluating its DWARF
 * location (a single expression or a location list) against that frame's
 * registers, CFA and memory.
 *
 * Results are a memory address, a register (live in frame 0, or the slot an
 * outer frame saved it to), or bytes with no place (constants, stack values,
 * pieces), which are shown but never written. Anything the frame cannot
 * give (a register the unwinder did not recover, thread-local storage,
 * entry values) becomes "unavailable" with the reason, never a guess.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vars/vars_int.h"

static const char *const reg_names[] = {
    "rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp", "r8",
    "r9",  "r10", "r11", "r12", "r13", "r14", "r15", "rip",
};

const char *vars_loc_reg_name(int reg)
{
	static __thread char buf[16];
	if (reg >= 0 && reg < (int)WT_ARRAY_SIZE(reg_names))
		return reg_names[reg];
	if (reg >= 17 && reg <= 32) {
		snprintf(buf, sizeof(buf), "xmm%d", reg - 17);
		return buf;
	}
	snprintf(buf, sizeof(buf), "reg%d", reg);
	return buf;
}

int vars_loc_reg_value(struct vars_loc_ctx *c, int reg, uint64_t *val)
{
	const struct stack_frame *fr = &c->f->frame;
	if (reg < 0 || reg >= STACK_NREGS || !(fr->regs_valid & (1u << reg)))
		return -ENOENT;
	*val = fr->regs[reg];
	return 0;
}

#define LX_STACK 64
/* Branches may go backwards: a corrupt expression could loop forever. */
#define LX_MAX_STEPS 10000

/*
 * One evaluation of one expression: the loop in eval_ops and the op helpers
 * below share it. Every helper runs one op (or one family of ops) on e and
 * returns 0 to go on, or a negative errno with e->why saying what was
 * wrong; eval_ops then makes the result "unavailable" with that reason.
 * Only op_piece writes *e->out (pieces are assembled there as they come);
 * when a piece fails, out already says why (e->out_final).
 */
struct vars_loc_eval {
	struct vars_loc_ctx *c;
	const Dwarf_Op *ops; /* the whole expression: branches look their target up */
	size_t nops;
	Dwarf_Attribute *attr; /* the expression's attribute (implicit values), or NULL */
	int depth;	       /* 0, or 1 inside the frame base's own expression */
	struct lval *out;
	uint64_t st[LX_STACK];
	int sp;
	size_t next;	 /* index of the op to run next: branches change it */
	struct lval cur; /* a register or a value with no place, from the last such op */
	bool have_cur;	 /* cur is set (and wins over the stack at the end) */
	bool pieces;	 /* out holds the DW_OP_piece bytes assembled so far */
	bool out_final;	 /* a piece failed: out is the result, with its reason */
	char why[160];
};

static int push(struct vars_loc_eval *e, uint64_t v)
{
	if (e->sp >= LX_STACK) {
		snprintf(e->why, sizeof(e->why), "DWARF expression too deep");
		return -EINVAL;
	}
	e->st[e->sp++] = v;
	return 0;
}

static int need(struct vars_loc_eval *e, int n)
{
	if (e->sp < n) {
		snprintf(e->why, sizeof(e->why), "malformed DWARF expression");
		return -EINVAL;
	}
	return 0;
}

/* The k-th value from the top (0 = top); callers checked with need(). */
static uint64_t peek(const struct vars_loc_eval *e, int k)
{
	return k >= 0 && k < e->sp ? e->st[e->sp - 1 - k] : 0;
}

static int reg_or_why(struct vars_loc_eval *e, int reg, uint64_t *v)
{
	if (vars_loc_reg_value(e->c, reg, v) == 0)
		return 0;
	snprintf(e->why, sizeof(e->why), "register %s was not recovered in frame %d",
		 vars_loc_reg_name(reg), e->c->f->index);
	return -ENOENT;
}

static int eval_ops(struct vars_loc_ctx *c, const Dwarf_Op *ops, size_t nops, Dwarf_Attribute *attr,
		    struct lval *out, int depth);

/* The frame base of the physical function (DW_AT_frame_base). */
static int frame_base(struct vars_loc_eval *e, uint64_t *base)
{
	struct vars_loc_ctx *c = e->c;
	Dwarf_Attribute fb;
	Dwarf_Op *ops;
	size_t nops;
	struct lval lv;

	if (c->phys_scope < 0 ||
	    !dwarf_attr_integrate(&c->scopes[c->phys_scope], DW_AT_frame_base, &fb)) {
		snprintf(e->why, sizeof(e->why), "the function has no frame base");
		return -ENOENT;
	}
	if (dwarf_getlocation_addr(&fb, c->pc - c->bias, &ops, &nops, 1) <= 0) {
		snprintf(e->why, sizeof(e->why), "frame base not available at this pc");
		return -ENOENT;
	}
	memset(&lv, 0, sizeof(lv));
	if (eval_ops(c, ops, nops, &fb, &lv, 1) < 0) {
		snprintf(e->why, sizeof(e->why), "frame base: %.140s", lv.why);
		return -ENOENT;
	}
	/* DW_OP_call_frame_cfa gives an address; DW_OP_regN a register holding it. */
	if (lv.kind == LV_MEM) {
		*base = lv.addr;
		return 0;
	}
	if (lv.kind == LV_REG)
		return reg_or_why(e, lv.reg, base);
	snprintf(e->why, sizeof(e->why), "frame base not available");
	return -ENOENT;
}

int vars_loc_frame_cfa(struct vars_loc_ctx *c, uint64_t *cfa)
{
	if (c->f->frame.cfa) {
		*cfa = c->f->frame.cfa;
		return 0;
	}
	if (!c->cfa_tried) {
		/* No CFA from the unwinder (frame 0): compute it from the module's CFI. */
		Dwarf_Addr bias;
		Dwarf_CFI *cfi;
		Dwarf_Frame *fr = NULL;
		Dwarf_Op *ops;
		size_t nops;
		struct lval lv;

		c->cfa_tried = true;
		for (int k = 0; k < 2 && !c->cfa_known; k++) {
			cfi = k == 0 ? dwfl_module_eh_cfi(c->mod, &bias)
				     : dwfl_module_dwarf_cfi(c->mod, &bias);
			if (!cfi || dwarf_cfi_addrframe(cfi, c->pc - bias, &fr) != 0)
				continue;
			/* elfutils 0.188 gives the rule as DW_OP_bregx (reg, offset). */
			memset(&lv, 0, sizeof(lv));
			if (dwarf_frame_cfa(fr, &ops, &nops) == 0 && nops > 0 &&
			    eval_ops(c, ops, nops, NULL, &lv, 1) == 0 && lv.kind == LV_MEM) {
				c->cfa = lv.addr;
				c->cfa_known = true;
			}
			free(fr);
			fr = NULL;
		}
	}
	if (!c->cfa_known)
		return -ENOENT;
	*cfa = c->cfa;
	return 0;
}

static int deref(struct vars_loc_eval *e, uint64_t addr, unsigned size, uint64_t *v)
{
	*v = 0;
	if (size > 8 || vars_loc_mem_read(e->c, addr, v, size) < 0) {
		snprintf(e->why, sizeof(e->why), "cannot read memory at 0x%llx",
			 (unsigned long long)addr);
		return -EFAULT;
	}
	return 0;
}

/* One piece of a composite location, read into dst now (pieces are read-only). */
static int add_piece(struct vars_loc_ctx *c, struct lval *out, const struct lval *p, uint64_t size,
		     bool empty)
{
	unsigned char tmp[64];
	if (size > sizeof(out->bytes) - out->nbytes) { /* not nbytes + size: it can wrap */
		snprintf(out->why, sizeof(out->why), "composite value too large to show");
		return -E2BIG;
	}
	memset(tmp, 0, sizeof(tmp));
	if (!empty && vars_lval_read(c, p, size, tmp, sizeof(tmp)) < 0) {
		snprintf(out->why, sizeof(out->why), "part of the value is not available");
		return -ENOENT;
	}
	if (empty) {
		snprintf(out->why, sizeof(out->why), "part of the value is optimized out");
		return -ENOENT;
	}
	memcpy(out->bytes + out->nbytes, tmp, size);
	out->nbytes += size;
	return 0;
}

static int op_index(const Dwarf_Op *ops, size_t nops, uint64_t offset)
{
	for (size_t i = 0; i < nops; i++)
		if (ops[i].offset == offset)
			return (int)i;
	return -1;
}

/*
 * The op families. Each helper is called by eval_one for the atoms listed
 * above it only, and keeps the contract of struct vars_loc_eval.
 */

/* DW_OP_lit0..31, DW_OP_const*, DW_OP_addr: push the operand. DW_OP_addr is
 * an address in the module's file: add the load bias (PIE, libraries). */
static int op_literal(struct vars_loc_eval *e, const Dwarf_Op *op)
{
	if (op->atom >= DW_OP_lit0 && op->atom <= DW_OP_lit31)
		return push(e, op->atom - DW_OP_lit0);
	if (op->atom == DW_OP_addr)
		return push(e, op->number + e->c->bias);
	return push(e, op->number);
}

/* DW_OP_dup, drop, over, pick, swap, rot: too few values is "malformed". */
static int op_stack(struct vars_loc_eval *e, const Dwarf_Op *op)
{
	uint64_t a;
	int r;

	switch (op->atom) {
	case DW_OP_dup:
		if ((r = need(e, 1)) == 0)
			r = push(e, peek(e, 0));
		return r;
	case DW_OP_drop:
		if ((r = need(e, 1)) == 0)
			e->sp--;
		return r;
	case DW_OP_over:
		if ((r = need(e, 2)) == 0)
			r = push(e, peek(e, 1));
		return r;
	case DW_OP_pick:
		/* An index past the stack is refused before it becomes an int. */
		if (op->number >= LX_STACK)
			return need(e, LX_STACK + 1);
		if ((r = need(e, (int)op->number + 1)) == 0)
			r = push(e, peek(e, (int)op->number));
		return r;
	case DW_OP_swap:
		if ((r = need(e, 2)) == 0) {
			a = e->st[e->sp - 1];
			e->st[e->sp - 1] = e->st[e->sp - 2];
			e->st[e->sp - 2] = a;
		}
		return r;
	default: /* DW_OP_rot: the top goes third, the second and third move up */
		if ((r = need(e, 3)) == 0) {
			a = e->st[e->sp - 1];
			e->st[e->sp - 1] = e->st[e->sp - 2];
			e->st[e->sp - 2] = e->st[e->sp - 3];
			e->st[e->sp - 3] = a;
		}
		return r;
	}
}

/* DW_OP_plus_uconst, neg, not, abs: replace the top (abs: as signed). */
static int op_unary(struct vars_loc_eval *e, const Dwarf_Op *op)
{
	uint64_t *top;
	int r = need(e, 1);

	if (r)
		return r;
	top = &e->st[e->sp - 1];
	switch (op->atom) {
	case DW_OP_plus_uconst:
		*top += op->number;
		break;
	case DW_OP_neg:
		*top = -*top;
		break;
	case DW_OP_not:
		*top = ~*top;
		break;
	default: /* DW_OP_abs */
		if ((int64_t)*top < 0)
			*top = -*top;
		break;
	}
	return 0;
}

/* The operands of a binary op: b was the top, a the value under it. The
 * caller stores the result in a's slot (the new top). */
static int pop2(struct vars_loc_eval *e, uint64_t *a, uint64_t *b)
{
	int r = need(e, 2);

	if (r)
		return r;
	*b = e->st[--e->sp];
	*a = e->st[e->sp - 1];
	return 0;
}

/* DW_OP_plus, minus, mul, div, mod, and, or, xor, shl, shr, shra. Never
 * traps on untrusted input: a shift by 64 or more gives 0, division by
 * zero gives 0, INT64_MIN / -1 wraps (to -a). div is signed, mod unsigned. */
static int op_arith(struct vars_loc_eval *e, const Dwarf_Op *op)
{
	uint64_t a, b, v;
	int r = pop2(e, &a, &b);

	if (r)
		return r;
	switch (op->atom) {
	case DW_OP_plus:
		v = a + b;
		break;
	case DW_OP_minus:
		v = a - b;
		break;
	case DW_OP_mul:
		v = a * b;
		break;
	case DW_OP_and:
		v = a & b;
		break;
	case DW_OP_or:
		v = a | b;
		break;
	case DW_OP_xor:
		v = a ^ b;
		break;
	case DW_OP_shl:
		v = b < 64 ? a << b : 0;
		break;
	case DW_OP_shr:
		v = b < 64 ? a >> b : 0;
		break;
	case DW_OP_shra:
		v = b < 64 ? (uint64_t)((int64_t)a >> b) : 0;
		break;
	case DW_OP_div:
		/* INT64_MIN / -1 overflows (SIGFPE): it wraps, as -a. */
		v = b == UINT64_MAX ? 0 - a : b ? (uint64_t)((int64_t)a / (int64_t)b) : 0;
		break;
	default: /* DW_OP_mod */
		v = b ? a % b : 0;
		break;
	}
	e->st[e->sp - 1] = v;
	return 0;
}

/* DW_OP_eq, ne, lt, le, gt, ge: 1 or 0 for a OP b, ordered as signed. */
static int op_compare(struct vars_loc_eval *e, const Dwarf_Op *op)
{
	uint64_t a, b, v;
	int r = pop2(e, &a, &b);

	if (r)
		return r;
	switch (op->atom) {
	case DW_OP_eq:
		v = a == b;
		break;
	case DW_OP_ne:
		v = a != b;
		break;
	case DW_OP_lt:
		v = (int64_t)a < (int64_t)b;
		break;
	case DW_OP_le:
		v = (int64_t)a <= (int64_t)b;
		break;
	case DW_OP_gt:
		v = (int64_t)a > (int64_t)b;
		break;
	default: /* DW_OP_ge */
		v = (int64_t)a >= (int64_t)b;
		break;
	}
	e->st[e->sp - 1] = v;
	return 0;
}

/* DW_OP_skip, and DW_OP_bra when the popped top is not 0: go to the op at
 * a byte offset relative to the end of this one (1 + 2 bytes), or to the
 * end of the expression. A target between ops is "bad DWARF branch". */
static int op_branch(struct vars_loc_eval *e, const Dwarf_Op *op)
{
	uint64_t target = op->offset + 3 + (int16_t)op->number;
	int r, j;

	if (op->atom == DW_OP_bra) {
		if ((r = need(e, 1)))
			return r;
		if (e->st[--e->sp] == 0)
			return 0;
	}
	j = op_index(e->ops, e->nops, target);
	if (j >= 0) {
		e->next = (size_t)j;
		return 0;
	}
	if (target == e->ops[e->nops - 1].offset + 1) {
		e->next = e->nops;
		return 0;
	}
	snprintf(e->why, sizeof(e->why), "bad DWARF branch");
	return -EINVAL;
}

/* DW_OP_reg0..31 and DW_OP_regx name the register holding the value (cur);
 * DW_OP_breg0..31 and DW_OP_bregx push a register plus an offset, and fail
 * when the unwinder did not recover that register in this frame. */
static int op_register(struct vars_loc_eval *e, const Dwarf_Op *op)
{
	uint8_t atom = op->atom;
	uint64_t v;
	int r;

	if ((atom >= DW_OP_reg0 && atom <= DW_OP_reg31) || atom == DW_OP_regx) {
		/* A number past int is no register we know (and no negative shift later). */
		int reg = atom == DW_OP_regx ? (op->number > INT_MAX ? INT_MAX : (int)op->number)
					     : atom - DW_OP_reg0;
		e->cur = (struct lval){.kind = LV_REG, .loc = LOCALS_LOC_REGISTER, .reg = reg};
		e->have_cur = true;
		return 0;
	}
	if (atom == DW_OP_bregx) {
		if ((r = reg_or_why(e, (int)op->number, &v)) == 0)
			r = push(e, v + (int64_t)op->number2);
		return r;
	}
	if ((r = reg_or_why(e, atom - DW_OP_breg0, &v)) == 0)
		r = push(e, v + (int64_t)op->number);
	return r;
}

/* DW_OP_deref, deref_size: replace the top address by the 8 (or N <= 8)
 * bytes of target memory there; -EFAULT when they cannot be read. */
static int op_deref(struct vars_loc_eval *e, const Dwarf_Op *op)
{
	unsigned size = op->atom == DW_OP_deref ? 8 : (unsigned)op->number;
	int r = need(e, 1);

	if (r)
		return r;
	return deref(e, e->st[e->sp - 1], size, &e->st[e->sp - 1]);
}

/* DW_OP_fbreg: the frame base (DW_AT_frame_base, itself an expression that
 * may not use DW_OP_fbreg) plus an offset. DW_OP_call_frame_cfa: the
 * frame's CFA, from the unwinder or the module's CFI. */
static int op_frame(struct vars_loc_eval *e, const Dwarf_Op *op)
{
	uint64_t v;
	int r;

	if (op->atom == DW_OP_call_frame_cfa) {
		if ((r = vars_loc_frame_cfa(e->c, &v)) == 0)
			return push(e, v);
		snprintf(e->why, sizeof(e->why), "the frame's CFA is not known");
		return r;
	}
	if (e->depth > 0) {
		snprintf(e->why, sizeof(e->why), "frame base refers to itself");
		return -EINVAL;
	}
	if ((r = frame_base(e, &v)) == 0)
		r = push(e, v + (int64_t)op->number);
	return r;
}

/* DW_OP_stack_value (the top is the value itself) and DW_OP_implicit_value
 * (a constant block of the attribute): a value with no place, in cur. */
static int op_implicit(struct vars_loc_eval *e, const Dwarf_Op *op)
{
	Dwarf_Block blk;
	int r;

	if (op->atom == DW_OP_stack_value) {
		if ((r = need(e, 1)))
			return r;
		e->cur = (struct lval){.kind = LV_BYTES, .loc = LOCALS_LOC_COMPUTED};
		memcpy(e->cur.bytes, &e->st[e->sp - 1], 8);
		e->cur.nbytes = 8;
		snprintf(e->cur.why, sizeof(e->cur.why),
			 "computed by the compiler (DW_OP_stack_value): no place to write");
		e->have_cur = true;
		return 0;
	}
	if (!e->attr || dwarf_getlocation_implicit_value(e->attr, op, &blk) != 0) {
		snprintf(e->why, sizeof(e->why), "implicit value unreadable");
		return -EINVAL;
	}
	e->cur = (struct lval){.kind = LV_BYTES, .loc = LOCALS_LOC_CONSTANT};
	e->cur.nbytes = blk.length < sizeof(e->cur.bytes) ? blk.length : sizeof(e->cur.bytes);
	memcpy(e->cur.bytes, blk.data, e->cur.nbytes);
	snprintf(e->cur.why, sizeof(e->cur.why), "an implicit constant: no place to write");
	e->have_cur = true;
	return 0;
}

/* DW_OP_piece: the next N bytes of the value are in cur (a register or a
 * value with no place), else at the address on the top (popped), else
 * nowhere (optimized out). They are read now into out, which becomes
 * LV_BYTES; a piece that cannot be read makes out LV_NONE and final. */
static int op_piece(struct vars_loc_eval *e, const Dwarf_Op *op)
{
	struct lval p = e->cur;
	bool empty = !e->have_cur && e->sp == 0;
	int r;

	if (!e->have_cur && e->sp > 0)
		p = (struct lval){.kind = LV_MEM, .addr = e->st[--e->sp]};
	if (!e->pieces) {
		*e->out = (struct lval){.kind = LV_BYTES, .loc = LOCALS_LOC_COMPUTED};
		e->pieces = true;
	}
	if ((r = add_piece(e->c, e->out, &p, op->number, empty)) < 0) {
		e->out->kind = LV_NONE;
		e->out->loc = empty ? LOCALS_LOC_OPTIMIZED_OUT : LOCALS_LOC_UNAVAILABLE;
		e->out_final = true;
		return r;
	}
	e->have_cur = false;
	e->cur.kind = LV_NONE;
	return 0;
}

/* What the frame cannot give: entry values (the value a register had on
 * entry to the function needs the caller's frame), thread-local storage,
 * and any op not listed in eval_one. Refused with the reason, never guessed. */
static int op_refused(struct vars_loc_eval *e, const Dwarf_Op *op)
{
	switch (op->atom) {
	case DW_OP_entry_value:
	case DW_OP_GNU_entry_value:
		snprintf(e->why, sizeof(e->why),
			 "only known as the value on entry to the function (optimized)");
		return -ENOENT;
	case DW_OP_form_tls_address:
	case DW_OP_GNU_push_tls_address:
		snprintf(e->why, sizeof(e->why), "thread-local storage is not supported");
		return -ENOTSUP;
	default:
		snprintf(e->why, sizeof(e->why), "DWARF operation 0x%x is not supported", op->atom);
		return -ENOTSUP;
	}
}

/* One op: its family's helper. */
static int eval_one(struct vars_loc_eval *e, const Dwarf_Op *op)
{
	uint8_t atom = op->atom;

	if (atom >= DW_OP_lit0 && atom <= DW_OP_lit31)
		return op_literal(e, op);
	if ((atom >= DW_OP_reg0 && atom <= DW_OP_reg31) ||
	    (atom >= DW_OP_breg0 && atom <= DW_OP_breg31))
		return op_register(e, op);
	switch (atom) {
	case DW_OP_addr:
	case DW_OP_const1u:
	case DW_OP_const2u:
	case DW_OP_const4u:
	case DW_OP_const8u:
	case DW_OP_constu:
	case DW_OP_const1s:
	case DW_OP_const2s:
	case DW_OP_const4s:
	case DW_OP_const8s:
	case DW_OP_consts:
		return op_literal(e, op);
	case DW_OP_regx:
	case DW_OP_bregx:
		return op_register(e, op);
	case DW_OP_fbreg:
	case DW_OP_call_frame_cfa:
		return op_frame(e, op);
	case DW_OP_dup:
	case DW_OP_drop:
	case DW_OP_over:
	case DW_OP_pick:
	case DW_OP_swap:
	case DW_OP_rot:
		return op_stack(e, op);
	case DW_OP_deref:
	case DW_OP_deref_size:
		return op_deref(e, op);
	case DW_OP_plus_uconst:
	case DW_OP_neg:
	case DW_OP_not:
	case DW_OP_abs:
		return op_unary(e, op);
	case DW_OP_plus:
	case DW_OP_minus:
	case DW_OP_mul:
	case DW_OP_div:
	case DW_OP_mod:
	case DW_OP_and:
	case DW_OP_or:
	case DW_OP_xor:
	case DW_OP_shl:
	case DW_OP_shr:
	case DW_OP_shra:
		return op_arith(e, op);
	case DW_OP_eq:
	case DW_OP_ne:
	case DW_OP_lt:
	case DW_OP_le:
	case DW_OP_gt:
	case DW_OP_ge:
		return op_compare(e, op);
	case DW_OP_skip:
	case DW_OP_bra:
		return op_branch(e, op);
	case DW_OP_nop:
		return 0;
	case DW_OP_stack_value:
	case DW_OP_implicit_value:
		return op_implicit(e, op);
	case DW_OP_piece:
		return op_piece(e, op);
	default:
		return op_refused(e, op);
	}
}

/* The expression ran to its end: pieces, else the register or value with
 * no place, else the address on the top, else nothing (empty expression). */
static void eval_result(struct vars_loc_eval *e)
{
	struct lval *out = e->out;

	if (e->pieces) {
		snprintf(out->why, sizeof(out->why),
			 "split across registers and memory (DW_OP_piece): shown read-only");
		return;
	}
	if (e->have_cur) {
		*out = e->cur;
		return;
	}
	if (e->sp == 0) {
		*out = (struct lval){.kind = LV_NONE, .loc = LOCALS_LOC_OPTIMIZED_OUT};
		snprintf(out->why, sizeof(out->why), "optimized out (empty location)");
		return;
	}
	*out = (struct lval){.kind = LV_MEM, .loc = LOCALS_LOC_STACK, .addr = e->st[e->sp - 1]};
}

/*
 * Evaluate ops (of attr, or NULL) into out: the op loop. depth is 1 inside
 * the frame base's expression. Returns 0 with out filled (LV_NONE with a
 * reason included), or a negative errno with out LV_NONE and out->why.
 */
static int eval_ops(struct vars_loc_ctx *c, const Dwarf_Op *ops, size_t nops, Dwarf_Attribute *attr,
		    struct lval *out, int depth)
{
	struct vars_loc_eval e = {
	    .c = c, .ops = ops, .nops = nops, .attr = attr, .depth = depth, .out = out};
	int r, steps = 0;

	e.cur.kind = LV_NONE;
	for (size_t i = 0; i < nops; i = e.next) {
		if (++steps > LX_MAX_STEPS) {
			snprintf(e.why, sizeof(e.why), "DWARF expression does not end (it loops)");
			r = -ELOOP;
			goto fail;
		}
		e.next = i + 1;
		if ((r = eval_one(&e, &ops[i])))
			goto fail;
	}
	eval_result(&e);
	return 0;
fail:
	if (e.out_final)
		return r;
	*out = (struct lval){.kind = LV_NONE, .loc = LOCALS_LOC_UNAVAILABLE};
	snprintf(out->why, sizeof(out->why), "%s", e.why[0] ? e.why : "location not evaluable");
	return r;
}

int vars_loc_eval_ops(struct vars_loc_ctx *c, const Dwarf_Op *ops, size_t nops, struct lval *out)
{
	return eval_ops(c, ops, nops, NULL, out, 0);
}

/* Where one location expression puts the value, in a word, or NULL to ignore it. */
static const char *place_word(const Dwarf_Op *ops, size_t n, char *buf, size_t sz)
{
	if (n == 0)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (ops[i].atom == DW_OP_stack_value || ops[i].atom == DW_OP_entry_value ||
		    ops[i].atom == DW_OP_GNU_entry_value || ops[i].atom == DW_OP_implicit_value ||
		    ops[i].atom == DW_OP_piece)
			return NULL; /* no place of its own: cannot hold a stale copy */
	if (ops[0].atom >= DW_OP_reg0 && ops[0].atom <= DW_OP_reg31)
		snprintf(buf, sz, "%s", vars_loc_reg_name(ops[0].atom - DW_OP_reg0));
	else if (ops[0].atom == DW_OP_regx)
		snprintf(buf, sz, "%s", vars_loc_reg_name((int)ops[0].number));
	else
		snprintf(buf, sz, "memory");
	return buf;
}

/*
 * Optimized code: the other places the location list keeps the variable in
 * elsewhere in the function. A loop may test such a copy, or store it back
 * over a write made here: worth saying when it is the case.
 */
static void note_copies(struct vars_loc_ctx *c, Dwarf_Attribute *attr, const Dwarf_Op *here,
			size_t nhere, struct lval *out)
{
	char cur[32], w[32], list[160] = "";
	const char *hw = place_word(here, nhere, cur, sizeof(cur));
	Dwarf_Addr base, start, end;
	Dwarf_Op *ops;
	size_t n;
	ptrdiff_t off = 0;
	int guard = 0;

	while ((off = dwarf_getlocations(attr, off, &base, &start, &end, &ops, &n)) > 0 &&
	       guard++ < 256) {
		const char *p = place_word(ops, n, w, sizeof(w));
		if (!p || (hw && strcmp(p, hw) == 0))
			continue;
		/* Each place once: "rbx, memory". */
		char *hit = strstr(list, p);
		size_t pl = strlen(p);
		if (hit && (hit[pl] == '\0' || hit[pl] == ','))
			continue;
		if (strlen(list) + pl + 3 < sizeof(list))
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 list[0] ? ", " : "", p);
	}
	if (list[0])
		snprintf(out->copies, sizeof(out->copies), "%s", list);
}

int vars_loc_eval_location(struct vars_loc_ctx *c, Dwarf_Die *var, struct lval *out)
{
	Dwarf_Attribute attr;
	Dwarf_Op *ops;
	size_t nops;
	int n;

	memset(out, 0, sizeof(*out));
	if (dwarf_attr_integrate(var, DW_AT_const_value, &attr)) {
		Dwarf_Block blk;
		Dwarf_Sword sv;
		Dwarf_Word uv;
		out->kind = LV_BYTES;
		out->loc = LOCALS_LOC_CONSTANT;
		if (dwarf_formblock(&attr, &blk) == 0) {
			out->nbytes =
			    blk.length < sizeof(out->bytes) ? blk.length : sizeof(out->bytes);
			memcpy(out->bytes, blk.data, out->nbytes);
		} else if (dwarf_formsdata(&attr, &sv) == 0) {
			memcpy(out->bytes, &sv, 8);
			out->nbytes = 8;
		} else if (dwarf_formudata(&attr, &uv) == 0) {
			memcpy(out->bytes, &uv, 8);
			out->nbytes = 8;
		} else {
			out->kind = LV_NONE;
		}
		snprintf(out->why, sizeof(out->why),
			 "a constant (DW_AT_const_value): the program keeps no copy of it, nothing "
			 "to poke");
		return 0;
	}
	if (!dwarf_attr(var, DW_AT_location, &attr)) {
		out->kind = LV_NONE;
		out->loc = LOCALS_LOC_OPTIMIZED_OUT;
		snprintf(
		    out->why, sizeof(out->why),
		    "optimized out: the compiler kept no location for it, nothing to read or poke");
		return 0;
	}
	out->has_loclist = attr.form == DW_FORM_sec_offset || attr.form == DW_FORM_loclistx ||
			   attr.form == DW_FORM_data4 || attr.form == DW_FORM_data8;
	n = dwarf_getlocation_addr(&attr, c->pc - c->bias, &ops, &nops, 1);
	if (n < 0) {
		out->kind = LV_NONE;
		out->loc = LOCALS_LOC_UNAVAILABLE;
		snprintf(out->why, sizeof(out->why), "unreadable location: %s", dwarf_errmsg(-1));
		return 0;
	}
	if (n == 0) {
		out->kind = LV_NONE;
		out->loc = LOCALS_LOC_NOT_LIVE;
		snprintf(out->why, sizeof(out->why),
			 "not live here: no location covers this pc (optimized code)");
		return 0;
	}
	bool ll = out->has_loclist;
	eval_ops(c, ops, nops, &attr, out, 0);
	out->has_loclist = ll;
	if (ll)
		note_copies(c, &attr, ops, nops, out);
	if (out->kind == LV_REG) {
		/* Outer frames: the register's value sits where the callee saved it. */
		const struct stack_frame *fr = &c->f->frame;
		if (out->reg >= STACK_NREGS || !(fr->regs_valid & (1u << out->reg))) {
			out->kind = LV_NONE;
			out->loc = LOCALS_LOC_UNAVAILABLE;
			snprintf(out->why, sizeof(out->why),
				 "in register %s, which was not recovered in frame %d",
				 vars_loc_reg_name(out->reg), c->f->index);
		} else {
			out->save_addr = fr->reg_addr[out->reg];
		}
	}
	if (out->kind == LV_MEM && !out->why[0]) {
		/* A fixed address is static storage; anything else is on the stack. */
		out->loc =
		    (nops >= 1 && ops[0].atom == DW_OP_addr) ? LOCALS_LOC_STATIC : LOCALS_LOC_STACK;
	}
	return 0;
}
