/*
 * value.c: types and values. Names a DWARF type the way C spells it, reads
 * a value's bytes (bounded), and formats them by type: integers of every
 * size and signedness, char, bool, enums by name, floating point, pointers
 * with the symbol or string they point to, char arrays as strings, and
 * structs, unions and arrays a level at a time.
 *
 * Everything read from the target or from DWARF is escaped here.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/vars/vars_int.h"

int vars_loc_mem_read(struct vars_loc_ctx *c, uint64_t addr, void *buf, size_t n)
{
	ssize_t r;
	if (n == 0)
		return 0;
	r = pread(c->memfd, buf, n, (off_t)addr);
	if (r < 0)
		return -errno;
	if ((size_t)r != n)
		return -EFAULT;
	return 0;
}

void vars_type_init(struct vtype *t, Dwarf_Die *owner)
{
	Dwarf_Attribute a;
	memset(t, 0, sizeof(*t));
	if (dwarf_attr_integrate(owner, DW_AT_type, &a) && dwarf_formref_die(&a, &t->die))
		t->valid = true;
}

/* Follow DW_AT_type of die into t (dim 0). */
static bool vars_type_follow(const Dwarf_Die *die, struct vtype *t)
{
	Dwarf_Die d = *die;
	vars_type_init(t, &d);
	return t->valid;
}

bool vars_type_strip(struct vtype *t)
{
	for (int guard = 0; t->valid && guard < 32; guard++) {
		int tag;
		if (t->dim > 0)
			return true;
		tag = dwarf_tag(&t->die);
		if (tag != DW_TAG_typedef && tag != DW_TAG_const_type &&
		    tag != DW_TAG_volatile_type && tag != DW_TAG_restrict_type &&
		    tag != DW_TAG_atomic_type)
			return true;
		vars_type_follow(&t->die, t);
	}
	return t->valid;
}

int vars_type_tag(const struct vtype *t)
{
	return t->valid ? dwarf_tag((Dwarf_Die *)&t->die) : 0;
}

/* Dimensions of an array type: element counts, and how many. */
static int array_dims(const struct vtype *t, uint64_t *counts, int max)
{
	Dwarf_Die child;
	int n = 0;
	if (dwarf_child((Dwarf_Die *)&t->die, &child) != 0)
		return 0;
	do {
		Dwarf_Attribute a;
		Dwarf_Word w;
		uint64_t cnt = 0;
		if (dwarf_tag(&child) != DW_TAG_subrange_type)
			continue;
		if (dwarf_attr(&child, DW_AT_count, &a) && dwarf_formudata(&a, &w) == 0)
			cnt = w;
		else if (dwarf_attr(&child, DW_AT_upper_bound, &a) && dwarf_formudata(&a, &w) == 0)
			cnt = w + 1;
		if (n < max)
			counts[n] = cnt;
		n++;
	} while (dwarf_siblingof(&child, &child) == 0);
	return n < max ? n : max;
}

/* Element type of the array at t (the next dimension, or DW_AT_type). */
static void array_elem(const struct vtype *t, struct vtype *et)
{
	uint64_t counts[8];
	int nd = array_dims(t, counts, 8);
	if (t->dim + 1 < nd) {
		*et = *t;
		et->dim++;
		return;
	}
	vars_type_follow(&t->die, et);
}

static uint64_t array_count(const struct vtype *t)
{
	uint64_t counts[8];
	int nd = array_dims(t, counts, 8);
	return t->dim < nd ? counts[t->dim] : 0;
}

uint64_t vars_type_size(const struct vtype *t)
{
	struct vtype s = *t;
	Dwarf_Word w;
	if (!vars_type_strip(&s))
		return 0;
	if (vars_type_tag(&s) == DW_TAG_array_type) {
		struct vtype et;
		array_elem(&s, &et);
		return array_count(&s) * vars_type_size(&et);
	}
	if (dwarf_aggregate_size(&s.die, &w) == 0)
		return w;
	if (vars_type_tag(&s) == DW_TAG_pointer_type ||
	    vars_type_tag(&s) == DW_TAG_reference_type ||
	    vars_type_tag(&s) == DW_TAG_rvalue_reference_type)
		return 8;
	return 0;
}

static int base_encoding(const struct vtype *t)
{
	Dwarf_Attribute a;
	Dwarf_Word w;
	if (dwarf_attr((Dwarf_Die *)&t->die, DW_AT_encoding, &a) && dwarf_formudata(&a, &w) == 0)
		return (int)w;
	return 0;
}

bool vars_type_is_scalar(const struct vtype *t)
{
	switch (vars_type_tag(t)) {
	case DW_TAG_base_type:
	case DW_TAG_enumeration_type:
	case DW_TAG_pointer_type:
		return true;
	default:
		return false;
	}
}

bool vars_type_is_aggregate(const struct vtype *t)
{
	int tag = vars_type_tag(t);
	return tag == DW_TAG_structure_type || tag == DW_TAG_union_type ||
	       tag == DW_TAG_class_type || tag == DW_TAG_array_type;
}

static void put_name(struct wt_buf *b, Dwarf_Die *die)
{
	const char *n = dwarf_diename(die);
	char tmp[256];
	wt_buf_puts(b, n ? wt_escape_to(tmp, sizeof(tmp), n, strlen(n), 0) : "<anonymous>");
}

static bool vars_type_is_qual(int tag)
{
	return tag == DW_TAG_const_type || tag == DW_TAG_volatile_type ||
	       tag == DW_TAG_restrict_type || tag == DW_TAG_atomic_type;
}

/* The element type of array arr carries qualifier tag (const, volatile) already. */
static bool vars_type_elem_has_qual(const struct vtype *arr, int tag)
{
	struct vtype e;
	vars_type_follow(&arr->die, &e);
	for (int i = 0; i < 8 && e.valid; i++) {
		int et = vars_type_tag(&e);
		if (et == tag)
			return true;
		if (et == DW_TAG_array_type) {
			/* a further dimension of the same array */
		} else if (!vars_type_is_qual(et)) {
			return false;
		}
		struct vtype next;
		vars_type_follow(&e.die, &next);
		e = next;
	}
	return false;
}

/* Qualifier q sits on an array whose elements carry it too. */
static bool vars_type_qual_repeated(const struct vtype *q)
{
	struct vtype a;
	vars_type_follow(&q->die, &a);
	for (int i = 0; i < 8 && a.valid && vars_type_is_qual(vars_type_tag(&a)); i++) {
		struct vtype next;
		vars_type_follow(&a.die, &next);
		a = next;
	}
	return a.valid && vars_type_tag(&a) == DW_TAG_array_type &&
	       vars_type_elem_has_qual(&a, vars_type_tag(q));
}

/* C spelling, written inside out for pointers and arrays: "char *", "int [4]". */
static void vars_type_name_rec(const struct vtype *t, struct wt_buf *b, int guard)
{
	struct vtype n;
	if (!t->valid) {
		wt_buf_puts(b, "void");
		return;
	}
	if (guard > 16) {
		wt_buf_puts(b, "...");
		return;
	}
	switch (vars_type_tag(t)) {
	case DW_TAG_base_type:
	case DW_TAG_typedef:
		put_name(b, (Dwarf_Die *)&t->die);
		break;
	case DW_TAG_structure_type:
	case DW_TAG_class_type:
		wt_buf_puts(b, "struct ");
		put_name(b, (Dwarf_Die *)&t->die);
		break;
	case DW_TAG_union_type:
		wt_buf_puts(b, "union ");
		put_name(b, (Dwarf_Die *)&t->die);
		break;
	case DW_TAG_enumeration_type:
		wt_buf_puts(b, "enum ");
		put_name(b, (Dwarf_Die *)&t->die);
		break;
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
		vars_type_follow(&t->die, &n);
		/* A qualified pointer is spelled after the star: "char *const". */
		if (n.valid && vars_type_tag(&n) == DW_TAG_pointer_type) {
			vars_type_name_rec(&n, b, guard + 1);
			wt_buf_puts(b,
				    vars_type_tag(t) == DW_TAG_const_type ? "const" : "volatile");
			break;
		}
		/*
		 * A qualified array: C qualifies its elements, and GCC says it twice
		 * (const -> array -> const -> struct for `const struct {...} a[8]`).
		 * Spell the qualifier once.
		 */
		if (vars_type_qual_repeated(t)) {
			vars_type_name_rec(&n, b, guard + 1);
			break;
		}
		wt_buf_puts(b, vars_type_tag(t) == DW_TAG_const_type ? "const " : "volatile ");
		vars_type_name_rec(&n, b, guard + 1);
		break;
	case DW_TAG_restrict_type:
	case DW_TAG_atomic_type:
		vars_type_follow(&t->die, &n);
		vars_type_name_rec(&n, b, guard + 1);
		break;
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
		vars_type_follow(&t->die, &n);
		if (n.valid && vars_type_tag(&n) == DW_TAG_subroutine_type) {
			wt_buf_puts(b, "function pointer");
			break;
		}
		vars_type_name_rec(&n, b, guard + 1);
		wt_buf_puts(b, vars_type_tag(t) == DW_TAG_pointer_type	   ? " *"
			       : vars_type_tag(t) == DW_TAG_reference_type ? " &"
									   : " &&");
		break;
	case DW_TAG_array_type: {
		struct vtype et = *t;
		uint64_t counts[8];
		int nd = array_dims(t, counts, 8);
		vars_type_follow(&t->die, &et);
		vars_type_name_rec(&et, b, guard + 1);
		for (int i = t->dim; i < nd; i++)
			wt_buf_printf(b, " [%" PRIu64 "]", counts[i]);
		break;
	}
	case DW_TAG_subroutine_type:
		wt_buf_puts(b, "function");
		break;
	default:
		put_name(b, (Dwarf_Die *)&t->die);
		break;
	}
}

void vars_type_name(const struct vtype *t, struct wt_buf *b)
{
	vars_type_name_rec(t, b, 0);
}

int vars_lval_read(struct vars_loc_ctx *c, const struct lval *v, uint64_t size, unsigned char *buf,
		   size_t max)
{
	uint64_t r;
	if (size > max)
		size = max;
	memset(buf, 0, size);
	switch (v->kind) {
	case LV_MEM:
		return vars_loc_mem_read(c, v->addr, buf, size);
	case LV_REG:
		if (vars_loc_reg_value(c, v->reg, &r) < 0)
			return -ENOENT;
		memcpy(buf, &r, size < 8 ? size : 8);
		return 0;
	case LV_BYTES:
		memcpy(buf, v->bytes, size < v->nbytes ? size : v->nbytes);
		return 0;
	default:
		return -ENOENT;
	}
}

static uint64_t get_u(const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	memcpy(&v, p, n < 8 ? n : 8);
	return v;
}

static int64_t get_s(const unsigned char *p, size_t n)
{
	uint64_t v = get_u(p, n);
	if (n < 8 && (v >> (n * 8 - 1)) & 1)
		v |= ~0ull << (n * 8);
	return (int64_t)v;
}

/* A quoted, escaped string from bytes (stops at NUL). */
static void put_string(struct wt_buf *out, const unsigned char *s, size_t n, bool cut)
{
	char tmp[LX_MAX_STRING * 4 + 8];
	size_t len = strnlen((const char *)s, n);
	wt_buf_puts(out, "\"");
	wt_escape_to(tmp, sizeof(tmp), (const char *)s, len, 0);
	for (char *q = tmp; *q; q++) {
		if (*q == '"')
			wt_buf_puts(out, "\\\"");
		else
			wt_buf_add(out, q, 1);
	}
	wt_buf_puts(out, "\"");
	if (cut && len == n)
		wt_buf_puts(out, "...");
}

static void format_char(struct wt_buf *out, int64_t v)
{
	char tmp[16], ch = (char)v;
	if (v >= 0x20 && v < 0x7f && ch != '\'' && ch != '\\')
		wt_buf_printf(out, "%" PRId64 " '%c'", v, ch);
	else
		wt_buf_printf(out, "%" PRId64 " '%s'", v,
			      wt_escape_to(tmp, sizeof(tmp), &ch, 1, 0));
}

static void format_enum(const struct vtype *t, struct wt_buf *out, int64_t sv, uint64_t uv)
{
	Dwarf_Die child;
	if (dwarf_child((Dwarf_Die *)&t->die, &child) == 0) {
		do {
			Dwarf_Attribute a;
			Dwarf_Word w;
			if (dwarf_tag(&child) != DW_TAG_enumerator ||
			    !dwarf_attr(&child, DW_AT_const_value, &a) ||
			    dwarf_formudata(&a, &w) != 0)
				continue;
			if (w == uv || (int64_t)w == sv) {
				put_name(out, &child);
				return;
			}
		} while (dwarf_siblingof(&child, &child) == 0);
	}
	wt_buf_printf(out, "%" PRId64, sv);
}

static void format_pointer(struct vars_loc_ctx *c, const struct vtype *t, struct wt_buf *out,
			   uint64_t p)
{
	struct vtype target;
	vars_type_follow(&t->die, &target);
	if (p == 0) {
		wt_buf_puts(out, "NULL");
		return;
	}
	wt_buf_printf(out, "0x%" PRIx64, p);
	vars_type_strip(&target);
	if (target.valid && vars_type_tag(&target) == DW_TAG_base_type &&
	    vars_type_size(&target) == 1 &&
	    (base_encoding(&target) == DW_ATE_signed_char ||
	     base_encoding(&target) == DW_ATE_unsigned_char)) {
		unsigned char s[LX_MAX_STRING];
		size_t got = 0;
		/* Read a byte at a time past page ends: strings may end near one. */
		while (got < sizeof(s) && vars_loc_mem_read(c, p + got, s + got, 1) == 0) {
			if (s[got++] == 0)
				break;
		}
		if (got > 0) {
			wt_buf_puts(out, " ");
			put_string(out, s, got, true);
		}
		return;
	}
	/* Code or data with a symbol: name it. */
	Dwfl_Module *m = dwfl_addrmodule(c->dwfl, p);
	if (m) {
		GElf_Off off;
		GElf_Sym sym;
		const char *name = dwfl_module_addrinfo(m, p, &off, &sym, NULL, NULL, NULL);
		if (name) {
			char tmp[256];
			wt_buf_printf(out, " <%s",
				      wt_escape_to(tmp, sizeof(tmp), name, strlen(name), 0));
			if (off)
				wt_buf_printf(out, "+%" PRIu64, (uint64_t)off);
			wt_buf_puts(out, ">");
		}
	}
}

static void format_scalar(struct vars_loc_ctx *c, const struct vtype *t, const unsigned char *bytes,
			  size_t n, struct wt_buf *out)
{
	uint64_t size = vars_type_size(t);
	if (size > n) {
		wt_buf_puts(out, "<unreadable>");
		return;
	}
	switch (vars_type_tag(t)) {
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
		format_pointer(c, t, out, get_u(bytes, size));
		return;
	case DW_TAG_enumeration_type:
		format_enum(t, out, get_s(bytes, size), get_u(bytes, size));
		return;
	default:
		break;
	}
	switch (base_encoding(t)) {
	case DW_ATE_boolean:
		wt_buf_puts(out, get_u(bytes, size) ? "true" : "false");
		if (get_u(bytes, size) > 1)
			wt_buf_printf(out, " (%" PRIu64 ")", get_u(bytes, size));
		break;
	case DW_ATE_signed_char:
		format_char(out, get_s(bytes, size));
		break;
	case DW_ATE_unsigned_char:
		format_char(out, (int64_t)get_u(bytes, size));
		break;
	case DW_ATE_signed:
		if (size == 16) {
			wt_buf_printf(out, "0x%016" PRIx64 "%016" PRIx64, get_u(bytes + 8, 8),
				      get_u(bytes, 8));
			break;
		}
		wt_buf_printf(out, "%" PRId64, get_s(bytes, size));
		break;
	case DW_ATE_unsigned:
	case DW_ATE_UTF:
		if (size == 16) {
			wt_buf_printf(out, "0x%016" PRIx64 "%016" PRIx64, get_u(bytes + 8, 8),
				      get_u(bytes, 8));
			break;
		}
		wt_buf_printf(out, "%" PRIu64, get_u(bytes, size));
		break;
	case DW_ATE_float:
		if (size == 4) {
			float f;
			memcpy(&f, bytes, 4);
			wt_buf_printf(out, "%.9g", (double)f);
		} else if (size == 8) {
			double d;
			memcpy(&d, bytes, 8);
			wt_buf_printf(out, "%.17g", d);
		} else if (size == 16 || size == 12) {
			long double ld = 0;
			memcpy(&ld, bytes, 10);
			wt_buf_printf(out, "%.21Lg", ld);
		} else {
			wt_buf_puts(out, "<float of unknown size>");
		}
		break;
	default:
		wt_buf_printf(out, "0x%" PRIx64, get_u(bytes, size));
		break;
	}
}

static bool is_char_type(const struct vtype *t)
{
	struct vtype s = *t;
	int enc;
	if (!vars_type_strip(&s) || vars_type_tag(&s) != DW_TAG_base_type ||
	    vars_type_size(&s) != 1)
		return false;
	enc = base_encoding(&s);
	return enc == DW_ATE_signed_char || enc == DW_ATE_unsigned_char;
}

size_t vars_value_nchildren(const struct vtype *t)
{
	Dwarf_Die child;
	size_t n = 0;
	if (vars_type_tag(t) == DW_TAG_array_type)
		return array_count(t);
	if (!vars_type_is_aggregate(t) || dwarf_child((Dwarf_Die *)&t->die, &child) != 0)
		return 0;
	do {
		if (dwarf_tag(&child) == DW_TAG_member)
			n++;
	} while (dwarf_siblingof(&child, &child) == 0);
	return n;
}

static int nth_member(const struct vtype *t, size_t i, Dwarf_Die *out)
{
	Dwarf_Die child;
	size_t n = 0;
	if (dwarf_child((Dwarf_Die *)&t->die, &child) != 0)
		return -ENOENT;
	do {
		if (dwarf_tag(&child) != DW_TAG_member)
			continue;
		if (n++ == i) {
			*out = child;
			return 0;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
	return -ENOENT;
}

long vars_value_member_index(const struct vtype *t, const char *name)
{
	size_t n = vars_value_nchildren(t);
	if (vars_type_tag(t) == DW_TAG_array_type)
		return -1;
	for (size_t i = 0; i < n; i++) {
		Dwarf_Die m;
		const char *mn;
		if (nth_member(t, i, &m) == 0 && (mn = dwarf_diename(&m)) && strcmp(mn, name) == 0)
			return (long)i;
	}
	return -1;
}

/* Offset of a part inside a value: bytes for memory and register saves. */
static void vars_lval_offset(const struct lval *parent, uint64_t off, struct lval *cv)
{
	*cv = *parent;
	cv->bit_size = cv->bit_offset = 0;
	switch (parent->kind) {
	case LV_MEM:
		cv->addr = parent->addr + off;
		break;
	case LV_BYTES:
		if (off >= parent->nbytes) {
			cv->nbytes = 0;
		} else {
			memmove(cv->bytes, parent->bytes + off, parent->nbytes - off);
			cv->nbytes = parent->nbytes - off;
		}
		break;
	case LV_REG:
		/* A small aggregate in a register: show its parts, do not write them. */
		cv->kind = LV_NONE;
		cv->loc = LOCALS_LOC_UNAVAILABLE;
		snprintf(cv->why, sizeof(cv->why), "part of an aggregate held in a register");
		break;
	default:
		break;
	}
}

int vars_value_child(struct vars_loc_ctx *c, const struct vtype *t, const struct lval *parent,
		     size_t i, char *name, size_t namesz, struct vtype *ct, struct lval *cv)
{
	if (vars_type_tag(t) == DW_TAG_array_type) {
		array_elem(t, ct);
		vars_lval_offset(parent, i * vars_type_size(ct), cv);
		snprintf(name, namesz, "[%zu]", i);
		return 0;
	}
	Dwarf_Die m;
	Dwarf_Attribute a;
	Dwarf_Word off = 0, w;
	const char *mn;
	if (nth_member(t, i, &m) != 0)
		return -ENOENT;
	vars_type_init(ct, &m);
	if (dwarf_attr(&m, DW_AT_data_member_location, &a))
		dwarf_formudata(&a, &off);
	mn = dwarf_diename(&m);
	wt_escape_to(name, namesz, mn ? mn : "<anonymous>", mn ? strlen(mn) : 11, 0);
	if (dwarf_attr(&m, DW_AT_bit_size, &a) && dwarf_formudata(&a, &w) == 0) {
		Dwarf_Word bo = 0;
		if (dwarf_attr(&m, DW_AT_data_bit_offset, &a))
			dwarf_formudata(&a, &bo);
		vars_lval_offset(parent, bo / 8, cv);
		cv->bit_size = (unsigned)w;
		cv->bit_offset = (unsigned)(bo % 8);
		return 0;
	}
	vars_lval_offset(parent, off, cv);
	return 0;
}

void vars_value_format(struct vars_loc_ctx *c, const struct vtype *t0, const unsigned char *bytes,
		       size_t n, struct wt_buf *out, int depth)
{
	struct vtype t = *t0;
	if (!vars_type_strip(&t)) {
		wt_buf_puts(out, "<void>");
		return;
	}
	/* A C++ reference shows as the address it refers to, like a pointer. */
	if (vars_type_is_scalar(&t) || vars_type_tag(&t) == DW_TAG_reference_type ||
	    vars_type_tag(&t) == DW_TAG_rvalue_reference_type) {
		format_scalar(c, &t, bytes, n, out);
		return;
	}
	if (!vars_type_is_aggregate(&t)) {
		wt_buf_puts(out, "<not shown>");
		return;
	}
	if (vars_type_tag(&t) == DW_TAG_array_type) {
		struct vtype et;
		array_elem(&t, &et);
		if (is_char_type(&et) && et.dim == 0) {
			uint64_t cnt = array_count(&t);
			put_string(out, bytes, cnt < n ? cnt : n, false);
			return;
		}
	}
	if (depth >= 2) {
		wt_buf_puts(out, "{...}");
		return;
	}
	size_t nc = vars_value_nchildren(&t);
	struct lval whole = {.kind = LV_MEM, .addr = 0};
	wt_buf_puts(out, "{");
	for (size_t i = 0; i < nc; i++) {
		char name[128];
		struct vtype ct;
		struct lval cv;
		uint64_t off, csz;
		if (out->len > LX_MAX_TEXT) {
			wt_buf_puts(out, "...");
			break;
		}
		/* Placed at address 0, a child's address is its offset in bytes. */
		if (vars_value_child(c, &t, &whole, i, name, sizeof(name), &ct, &cv) != 0)
			break;
		if (i)
			wt_buf_puts(out, ", ");
		if (vars_type_tag(&t) != DW_TAG_array_type)
			wt_buf_printf(out, "%s = ", name);
		off = cv.addr;
		csz = cv.bit_size ? (cv.bit_offset + cv.bit_size + 7) / 8 : vars_type_size(&ct);
		if (off + csz > n) {
			wt_buf_puts(out, "<not read>");
			continue;
		}
		if (cv.bit_size) {
			uint64_t v = get_u(bytes + off, csz);
			v = (v >> cv.bit_offset) &
			    (cv.bit_size >= 64 ? ~0ull : ((1ull << cv.bit_size) - 1));
			wt_buf_printf(out, "%" PRIu64, v);
			continue;
		}
		vars_value_format(c, &ct, bytes + off, n - off, out, depth + 1);
	}
	wt_buf_puts(out, "}");
}
