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

const char *lx_reg_name(int reg)
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

int lx_reg_value(struct lx_ctx *c, int reg, uint64_t *val)
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

struct lx_eval {
	struct lx_ctx *c;
	uint64_t st[LX_STACK];
	int sp;
	char why[160];
};

static int push(struct lx_eval *e, uint64_t v)
{
	if (e->sp >= LX_STACK) {
		snprintf(e->why, sizeof(e->why), "DWARF expression too deep");
		return -EINVAL;
	}
	e->st[e->sp++] = v;
	return 0;
}

static int need(struct lx_eval *e, int n)
{
	if (e->sp < n) {
		snprintf(e->why, sizeof(e->why), "malformed DWARF expression");
		return -EINVAL;
	}
	return 0;
}

/* The k-th value from the top (0 = top); callers checked with need(). */
static uint64_t peek(const struct lx_eval *e, int k)
{
	return k >= 0 && k < e->sp ? e->st[e->sp - 1 - k] : 0;
}

static int reg_or_why(struct lx_eval *e, int reg, uint64_t *v)
{
	if (lx_reg_value(e->c, reg, v) == 0)
		return 0;
	snprintf(e->why, sizeof(e->why), "register %s was not recovered in frame %d",
		 lx_reg_name(reg), e->c->f->index);
	return -ENOENT;
}

static int eval_ops(struct lx_ctx *c, const Dwarf_Op *ops, size_t nops, Dwarf_Attribute *attr,
		    struct lval *out, int depth);

/* The frame base of the physical function (DW_AT_frame_base). */
static int frame_base(struct lx_eval *e, uint64_t *base)
{
	struct lx_ctx *c = e->c;
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

int lx_frame_cfa(struct lx_ctx *c, uint64_t *cfa)
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

static int deref(struct lx_eval *e, uint64_t addr, unsigned size, uint64_t *v)
{
	*v = 0;
	if (size > 8 || lx_mem_read(e->c, addr, v, size) < 0) {
		snprintf(e->why, sizeof(e->why), "cannot read memory at 0x%llx",
			 (unsigned long long)addr);
		return -EFAULT;
	}
	return 0;
}

/* One piece of a composite location, read into dst now (pieces are read-only). */
static int add_piece(struct lx_ctx *c, struct lval *out, const struct lval *p, uint64_t size,
		     bool empty)
{
	unsigned char tmp[64];
	if (size > sizeof(out->bytes) - out->nbytes) { /* not nbytes + size: it can wrap */
		snprintf(out->why, sizeof(out->why), "composite value too large to show");
		return -E2BIG;
	}
	memset(tmp, 0, sizeof(tmp));
	if (!empty && lv_read(c, p, size, tmp, sizeof(tmp)) < 0) {
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

static int eval_ops(struct lx_ctx *c, const Dwarf_Op *ops, size_t nops, Dwarf_Attribute *attr,
		    struct lval *out, int depth)
{
	struct lx_eval e = {.c = c};
	struct lval cur = {.kind = LV_NONE};
	bool have_cur = false, pieces = false;
	uint64_t a, b, v;
	int r, steps = 0;

	for (size_t i = 0; i < nops; i++) {
		const Dwarf_Op *op = &ops[i];
		uint8_t atom = op->atom;

		if (++steps > LX_MAX_STEPS) {
			snprintf(e.why, sizeof(e.why), "DWARF expression does not end (it loops)");
			r = -ELOOP;
			goto fail;
		}

		if (atom >= DW_OP_lit0 && atom <= DW_OP_lit31) {
			if ((r = push(&e, atom - DW_OP_lit0)))
				goto fail;
			continue;
		}
		if (atom >= DW_OP_reg0 && atom <= DW_OP_reg31) {
			cur = (struct lval){
			    .kind = LV_REG, .loc = LOCALS_LOC_REGISTER, .reg = atom - DW_OP_reg0};
			have_cur = true;
			continue;
		}
		if (atom >= DW_OP_breg0 && atom <= DW_OP_breg31) {
			if ((r = reg_or_why(&e, atom - DW_OP_breg0, &v)) ||
			    (r = push(&e, v + (int64_t)op->number)))
				goto fail;
			continue;
		}
		switch (atom) {
		case DW_OP_addr:
			r = push(&e, op->number + c->bias);
			break;
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
			r = push(&e, op->number);
			break;
		case DW_OP_regx:
			/* A number past int is no register we know (and no negative shift later). */
			cur = (struct lval){.kind = LV_REG,
					    .loc = LOCALS_LOC_REGISTER,
					    .reg = op->number > INT_MAX ? INT_MAX : (int)op->number};
			have_cur = true;
			r = 0;
			break;
		case DW_OP_bregx:
			if ((r = reg_or_why(&e, (int)op->number, &v)) == 0)
				r = push(&e, v + (int64_t)op->number2);
			break;
		case DW_OP_fbreg:
			if (depth > 0) {
				snprintf(e.why, sizeof(e.why), "frame base refers to itself");
				r = -EINVAL;
				break;
			}
			if ((r = frame_base(&e, &v)) == 0)
				r = push(&e, v + (int64_t)op->number);
			break;
		case DW_OP_call_frame_cfa:
			if ((r = lx_frame_cfa(c, &v)) == 0)
				r = push(&e, v);
			else
				snprintf(e.why, sizeof(e.why), "the frame's CFA is not known");
			break;
		case DW_OP_dup:
			if ((r = need(&e, 1)) == 0)
				r = push(&e, peek(&e, 0));
			break;
		case DW_OP_drop:
			if ((r = need(&e, 1)) == 0)
				e.sp--;
			break;
		case DW_OP_over:
			if ((r = need(&e, 2)) == 0)
				r = push(&e, peek(&e, 1));
			break;
		case DW_OP_pick:
			if (op->number >= LX_STACK)
				r = need(&e, LX_STACK + 1);
			else if ((r = need(&e, (int)op->number + 1)) == 0)
				r = push(&e, peek(&e, (int)op->number));
			break;
		case DW_OP_swap:
			if ((r = need(&e, 2)) == 0) {
				a = e.st[e.sp - 1];
				e.st[e.sp - 1] = e.st[e.sp - 2];
				e.st[e.sp - 2] = a;
			}
			break;
		case DW_OP_rot:
			if ((r = need(&e, 3)) == 0) {
				a = e.st[e.sp - 1];
				e.st[e.sp - 1] = e.st[e.sp - 2];
				e.st[e.sp - 2] = e.st[e.sp - 3];
				e.st[e.sp - 3] = a;
			}
			break;
		case DW_OP_deref:
			if ((r = need(&e, 1)) == 0)
				r = deref(&e, e.st[e.sp - 1], 8, &e.st[e.sp - 1]);
			break;
		case DW_OP_deref_size:
			if ((r = need(&e, 1)) == 0)
				r = deref(&e, e.st[e.sp - 1], (unsigned)op->number,
					  &e.st[e.sp - 1]);
			break;
		case DW_OP_plus_uconst:
			if ((r = need(&e, 1)) == 0)
				e.st[e.sp - 1] += op->number;
			break;
		case DW_OP_neg:
			if ((r = need(&e, 1)) == 0)
				e.st[e.sp - 1] = -e.st[e.sp - 1];
			break;
		case DW_OP_not:
			if ((r = need(&e, 1)) == 0)
				e.st[e.sp - 1] = ~e.st[e.sp - 1];
			break;
		case DW_OP_abs:
			if ((r = need(&e, 1)) == 0 && (int64_t)e.st[e.sp - 1] < 0)
				e.st[e.sp - 1] = -e.st[e.sp - 1];
			break;
		case DW_OP_plus:
		case DW_OP_minus:
		case DW_OP_mul:
		case DW_OP_and:
		case DW_OP_or:
		case DW_OP_xor:
		case DW_OP_shl:
		case DW_OP_shr:
		case DW_OP_shra:
		case DW_OP_div:
		case DW_OP_mod:
		case DW_OP_eq:
		case DW_OP_ne:
		case DW_OP_lt:
		case DW_OP_le:
		case DW_OP_gt:
		case DW_OP_ge:
			if ((r = need(&e, 2)))
				break;
			b = e.st[--e.sp];
			a = e.st[e.sp - 1];
			switch (atom) {
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
				v = b == UINT64_MAX ? 0 - a
						    : b ? (uint64_t)((int64_t)a / (int64_t)b) : 0;
				break;
			case DW_OP_mod:
				v = b ? a % b : 0;
				break;
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
			default:
				v = (int64_t)a >= (int64_t)b;
				break;
			}
			e.st[e.sp - 1] = v;
			break;
		case DW_OP_skip:
		case DW_OP_bra: {
			bool jump = true;
			if (atom == DW_OP_bra) {
				if ((r = need(&e, 1)))
					break;
				jump = e.st[--e.sp] != 0;
			}
			r = 0;
			if (jump) {
				/* The target is relative to the end of this op (1 + 2 bytes). */
				int j = op_index(ops, nops, op->offset + 3 + (int16_t)op->number);
				if (j < 0) {
					if (op->offset + 3 + (int16_t)op->number ==
					    ops[nops - 1].offset + 1)
						i = nops - 1;
					else {
						snprintf(e.why, sizeof(e.why), "bad DWARF branch");
						r = -EINVAL;
					}
				} else {
					i = (size_t)j - 1;
				}
			}
			break;
		}
		case DW_OP_nop:
			r = 0;
			break;
		case DW_OP_stack_value:
			if ((r = need(&e, 1)))
				break;
			cur = (struct lval){.kind = LV_BYTES, .loc = LOCALS_LOC_COMPUTED};
			memcpy(cur.bytes, &e.st[e.sp - 1], 8);
			cur.nbytes = 8;
			snprintf(cur.why, sizeof(cur.why),
				 "computed by the compiler (DW_OP_stack_value): no place to write");
			have_cur = true;
			break;
		case DW_OP_implicit_value: {
			Dwarf_Block blk;
			if (!attr || dwarf_getlocation_implicit_value(attr, op, &blk) != 0) {
				snprintf(e.why, sizeof(e.why), "implicit value unreadable");
				r = -EINVAL;
				break;
			}
			cur = (struct lval){.kind = LV_BYTES, .loc = LOCALS_LOC_CONSTANT};
			cur.nbytes =
			    blk.length < sizeof(cur.bytes) ? blk.length : sizeof(cur.bytes);
			memcpy(cur.bytes, blk.data, cur.nbytes);
			snprintf(cur.why, sizeof(cur.why),
				 "an implicit constant: no place to write");
			have_cur = true;
			r = 0;
			break;
		}
		case DW_OP_piece: {
			struct lval p = cur;
			bool empty = !have_cur && e.sp == 0;
			if (!have_cur && e.sp > 0) {
				p = (struct lval){.kind = LV_MEM, .addr = e.st[--e.sp]};
			}
			if (!pieces) {
				*out = (struct lval){.kind = LV_BYTES, .loc = LOCALS_LOC_COMPUTED};
				pieces = true;
			}
			if ((r = add_piece(c, out, &p, op->number, empty)) < 0) {
				out->kind = LV_NONE;
				out->loc =
				    empty ? LOCALS_LOC_OPTIMIZED_OUT : LOCALS_LOC_UNAVAILABLE;
				return r;
			}
			have_cur = false;
			cur.kind = LV_NONE;
			break;
		}
		case DW_OP_entry_value:
		case DW_OP_GNU_entry_value:
			snprintf(e.why, sizeof(e.why),
				 "only known as the value on entry to the function (optimized)");
			r = -ENOENT;
			break;
		case DW_OP_form_tls_address:
		case DW_OP_GNU_push_tls_address:
			snprintf(e.why, sizeof(e.why), "thread-local storage is not supported");
			r = -ENOTSUP;
			break;
		default:
			snprintf(e.why, sizeof(e.why), "DWARF operation 0x%x is not supported",
				 atom);
			r = -ENOTSUP;
			break;
		}
		if (r)
			goto fail;
	}
	if (pieces) {
		snprintf(out->why, sizeof(out->why),
			 "split across registers and memory (DW_OP_piece): shown read-only");
		return 0;
	}
	if (have_cur) {
		*out = cur;
		return 0;
	}
	if (e.sp == 0) {
		*out = (struct lval){.kind = LV_NONE, .loc = LOCALS_LOC_OPTIMIZED_OUT};
		snprintf(out->why, sizeof(out->why), "optimized out (empty location)");
		return 0;
	}
	*out = (struct lval){.kind = LV_MEM, .loc = LOCALS_LOC_STACK, .addr = e.st[e.sp - 1]};
	return 0;
fail:
	*out = (struct lval){.kind = LV_NONE, .loc = LOCALS_LOC_UNAVAILABLE};
	snprintf(out->why, sizeof(out->why), "%s", e.why[0] ? e.why : "location not evaluable");
	return r;
}

int lx_eval_ops(struct lx_ctx *c, const Dwarf_Op *ops, size_t nops, struct lval *out)
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
		snprintf(buf, sz, "%s", lx_reg_name(ops[0].atom - DW_OP_reg0));
	else if (ops[0].atom == DW_OP_regx)
		snprintf(buf, sz, "%s", lx_reg_name((int)ops[0].number));
	else
		snprintf(buf, sz, "memory");
	return buf;
}

/*
 * Optimized code: the other places the location list keeps the variable in
 * elsewhere in the function. A loop may test such a copy, or store it back
 * over a write made here: worth saying when it is the case.
 */
static void note_copies(struct lx_ctx *c, Dwarf_Attribute *attr, const Dwarf_Op *here, size_t nhere,
			struct lval *out)
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

int lx_eval_location(struct lx_ctx *c, Dwarf_Die *var, struct lval *out)
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
				 lx_reg_name(out->reg), c->f->index);
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
