/*
 * valparse.c: the text a person types for poke, turned into exactly the
 * bytes of a scalar type, or refused with the reason and the type's range.
 *
 * Integers take decimal, 0x hex, 0 octal and 0b binary, maybe after a
 * '-'; char also takes 'c'; bool takes true/false/1/0; enums take an
 * enumerator's name or a number; floating point takes what strtod does;
 * pointers take a number or NULL. A value with a space before or after it,
 * or a leading '+', is refused: more likely a slip than meant.
 *
 * Also the other path a person types: an --expand PATH, checked for what
 * it names being expandable, with the reason when it is not.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/stack/stack_int.h"
#include "core/vars/vars_int.h"

static int base_encoding(const struct vtype *t)
{
	Dwarf_Attribute a;
	Dwarf_Word w;
	if (dwarf_attr((Dwarf_Die *)&t->die, DW_AT_encoding, &a) && dwarf_formudata(&a, &w) == 0)
		return (int)w;
	return 0;
}

static const char *skip_ws(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* Parse an integer of any sign into magnitude and sign; rejects trailing junk. */
static int parse_int(const char *s, bool *neg, uint64_t *mag)
{
	int base = 10;
	char *end;
	s = skip_ws(s);
	*neg = false;
	if (*s == '-' || *s == '+') {
		*neg = *s == '-';
		s++;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
		base = 2;
		s += 2;
	} else if (s[0] == '0' && s[1]) {
		base = 8;
		s++;
	}
	if (!isalnum((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*mag = strtoull(s, &end, base);
	if (errno == ERANGE)
		return -ERANGE;
	if (*skip_ws(end))
		return -EINVAL;
	return 0;
}

/* A char literal: 'a', '\n', '\0', '\x41'. */
static int parse_char_lit(const char *s, int64_t *v)
{
	size_t n = strlen(s);
	if (n < 3 || s[0] != '\'' || s[n - 1] != '\'')
		return -EINVAL;
	if (n == 3) {
		*v = (unsigned char)s[1];
		return 0;
	}
	if (s[1] != '\\')
		return -EINVAL;
	if (n == 4) {
		switch (s[2]) {
		case 'n':
			*v = '\n';
			return 0;
		case 't':
			*v = '\t';
			return 0;
		case 'r':
			*v = '\r';
			return 0;
		case '0':
			*v = 0;
			return 0;
		case '\\':
			*v = '\\';
			return 0;
		case '\'':
			*v = '\'';
			return 0;
		default:
			return -EINVAL;
		}
	}
	if (s[2] == 'x') {
		char *end;
		unsigned long x = strtoul(s + 3, &end, 16);
		if (end != s + n - 1 || x > 0xff)
			return -EINVAL;
		*v = (int64_t)x;
		return 0;
	}
	return -EINVAL;
}

static int range_int(const char *text, const char *tname, uint64_t size, bool is_signed, bool neg,
		     uint64_t mag, unsigned char *out, struct wt_err *err)
{
	unsigned bits = (unsigned)size * 8;
	uint64_t umax = bits >= 64 ? UINT64_MAX : (1ull << bits) - 1;
	if (is_signed) {
		uint64_t pmax = umax >> 1;
		int64_t min = -(int64_t)pmax - 1;
		if ((!neg && mag > pmax) || (neg && mag > pmax + 1))
			return wt_err_set(err, EINVAL,
					  "%s is out of range for %s (%" PRId64 " to %" PRIu64 ")",
					  text, tname, min, pmax);
		int64_t v = neg ? (int64_t)(0 - mag) : (int64_t)mag;
		memcpy(out, &v, size);
		return 0;
	}
	if (neg && mag != 0)
		return wt_err_set(err, EINVAL, "%s is out of range for %s (0 to %" PRIu64 ")", text,
				  tname, umax);
	if (mag > umax)
		return wt_err_set(err, EINVAL, "%s is out of range for %s (0 to %" PRIu64 ")", text,
				  tname, umax);
	memcpy(out, &mag, size);
	return 0;
}

static int parse_enum(const struct vtype *t, const char *text, const char *tname, uint64_t size,
		      unsigned char *out, struct wt_err *err)
{
	Dwarf_Die child;
	struct wt_buf names;
	bool neg;
	uint64_t mag;
	const char *s = skip_ws(text);
	int r;

	wt_buf_init(&names);
	if (dwarf_child((Dwarf_Die *)&t->die, &child) == 0) {
		do {
			Dwarf_Attribute a;
			Dwarf_Sword sv;
			const char *n = dwarf_diename(&child);
			if (dwarf_tag(&child) != DW_TAG_enumerator || !n ||
			    !dwarf_attr(&child, DW_AT_const_value, &a) ||
			    dwarf_formsdata(&a, &sv) != 0)
				continue;
			if (strcmp(n, s) == 0) {
				/* A 16-byte enum (size is at most 16): the value, then its
				 * sign in the high bytes (out is zeroed). */
				memcpy(out, &sv, size < sizeof(sv) ? size : sizeof(sv));
				if (size > sizeof(sv) && sv < 0)
					memset(out + sizeof(sv), 0xff, size - sizeof(sv));
				wt_buf_free(&names);
				return 0;
			}
			if (names.len < 200) {
				char tmp[64];
				wt_buf_printf(&names, "%s%s", names.len ? ", " : "",
					      wt_escape_to(tmp, sizeof(tmp), n, strlen(n), 0));
			}
		} while (dwarf_siblingof(&child, &child) == 0);
	}
	if (parse_int(s, &neg, &mag) == 0) {
		r = range_int(text, tname, size, true, neg, mag, out, err);
		wt_buf_free(&names);
		return r;
	}
	wt_err_set(err, EINVAL, "'%s' is not a value of %s (one of: %s, or a number)", text, tname,
		   names.len ? names.data : "none");
	wt_buf_free(&names);
	return -EINVAL;
}

int vars_value_parse(struct vars_loc_ctx *c, const struct vtype *t0, const char *text,
		     unsigned char *out, size_t *sizep, struct wt_err *err)
{
	struct vtype t = *t0;
	struct wt_buf tn;
	uint64_t size;
	bool neg;
	uint64_t mag;
	int r = 0, enc;
	char esc[128];

	wt_escape_to(esc, sizeof(esc), text, strlen(text), 0);
	wt_buf_init(&tn);
	vars_type_name(t0, &tn);
	if (!vars_type_strip(&t) || !vars_type_is_scalar(&t)) {
		r = wt_err_set(err, EINVAL,
			       "%s is not a scalar; poke one of its members or elements instead",
			       tn.data ? tn.data : "this type");
		goto out;
	}
	size = vars_type_size(&t);
	if (size == 0 || size > 16) {
		r = wt_err_set(err, EINVAL, "cannot write a %s of size %" PRIu64, tn.data, size);
		goto out;
	}
	*sizep = size;
	memset(out, 0, size);
	/*
	 * strtoull and strtod skip leading blanks and take a '+': a value typed
	 * as i=" 1" or i=+1 was written without a word. It is more likely a
	 * quoting slip than meant: say so, and write nothing.
	 */
	if (text[0] && (isspace((unsigned char)text[0]) ||
			isspace((unsigned char)text[strlen(text) - 1]))) {
		r = wt_err_set(err, EINVAL,
			       "'%s' has a space before or after it; write the value alone", esc);
		goto out;
	}
	if (text[0] == '+') {
		r = wt_err_set(err, EINVAL, "'%s' is not a value for %s: write it without the '+'",
			       esc, tn.data);
		goto out;
	}
	if (vars_type_tag(&t) == DW_TAG_enumeration_type) {
		r = parse_enum(&t, esc, tn.data, size, out, err);
		goto out;
	}
	if (vars_type_tag(&t) == DW_TAG_pointer_type) {
		if (strcmp(skip_ws(text), "NULL") == 0 || strcmp(skip_ws(text), "nullptr") == 0) {
			r = 0;
			goto out;
		}
		if (parse_int(text, &neg, &mag) != 0 || neg) {
			r = wt_err_set(err, EINVAL, "'%s' is not an address (write 0x... or NULL)",
				       esc);
			goto out;
		}
		r = range_int(esc, tn.data, size, false, false, mag, out, err);
		goto out;
	}
	enc = base_encoding(&t);
	switch (enc) {
	case DW_ATE_boolean: {
		const char *s = skip_ws(text);
		if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0)
			out[0] = 1;
		else if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0)
			out[0] = 0;
		else
			r = wt_err_set(err, EINVAL, "'%s' is not a bool (true, false, 1 or 0)",
				       esc);
		break;
	}
	case DW_ATE_float: {
		char *end;
		errno = 0;
		double d = strtod(text, &end);
		if (end == text || *skip_ws(end)) {
			r = wt_err_set(err, EINVAL, "'%s' is not a number for %s", esc, tn.data);
			break;
		}
		if (size == 4) {
			if (isfinite(d) && fabs(d) > 3.40282346638528859812e+38) {
				r = wt_err_set(err, EINVAL,
					       "%s is out of range for %s (about +-3.4e38)", esc,
					       tn.data);
				break;
			}
			float f = (float)d;
			memcpy(out, &f, 4);
		} else if (size == 8) {
			if (errno == ERANGE && isinf(d)) {
				r = wt_err_set(err, EINVAL, "%s is out of range for %s", esc,
					       tn.data);
				break;
			}
			memcpy(out, &d, 8);
		} else {
			long double ld = strtold(text, NULL);
			memcpy(out, &ld, 10);
		}
		break;
	}
	case DW_ATE_signed_char:
	case DW_ATE_unsigned_char: {
		int64_t v;
		if (parse_char_lit(skip_ws(text), &v) == 0) {
			out[0] = (unsigned char)v;
			break;
		}
		/* Not a 'c' literal: a number. */
		__attribute__((fallthrough));
	}
	case DW_ATE_signed:
	case DW_ATE_unsigned:
	case DW_ATE_UTF:
		if (size > 8) {
			r = wt_err_set(err, EINVAL, "writing 128-bit integers is not supported");
			break;
		}
		r = parse_int(text, &neg, &mag);
		if (r == -ERANGE) {
			r = wt_err_set(err, EINVAL, "%s is out of range for %s", esc, tn.data);
			break;
		}
		if (r) {
			r = wt_err_set(err, EINVAL, "'%s' is not a number for %s", esc, tn.data);
			break;
		}
		r = range_int(esc, tn.data, size, enc == DW_ATE_signed || enc == DW_ATE_signed_char,
			      neg, mag, out, err);
		break;
	default:
		r = wt_err_set(err, EINVAL, "cannot parse a value for %s", tn.data);
		break;
	}
out:
	wt_buf_free(&tn);
	return r < 0 ? r : (r > 0 ? -r : 0);
}

int locals_expand_check(struct debug_proc *dp, const struct locals_frame *f, const char *path,
			struct wt_err *err)
{
	Dwfl *dwfl = debug_proc_dwfl(dp);
	struct vars_loc_ctx c;
	struct vtype t, st, pointee;
	struct lval v;
	struct wt_buf tn;
	char esc[300];
	int r;

	if ((r = vars_loc_open(dwfl, f, &c, false, err)) < 0)
		return r;
	if ((r = vars_loc_resolve(&c, path, &t, &v, err)) < 0) {
		vars_loc_close(&c);
		return r;
	}
	wt_escape_to(esc, sizeof(esc), path, strlen(path), 0);
	wt_buf_init(&tn);
	vars_type_name(&t, &tn);
	st = t;
	vars_type_strip(&st);
	r = 0;
	if (vars_type_is_aggregate(&st) && vars_value_nchildren(&st) > 0) {
		if (v.kind == LV_NONE)
			r = wt_err_set(err, ENODATA, "'%s' has no value here (%s): nothing to expand",
				       esc, v.why[0] ? v.why : locals_loc_name(v.loc));
	} else if (vars_type_tag(&st) == DW_TAG_pointer_type ||
		   vars_type_tag(&st) == DW_TAG_reference_type ||
		   vars_type_tag(&st) == DW_TAG_rvalue_reference_type) {
		uint64_t ptr = 0;
		unsigned char probe;
		vars_type_init(&pointee, &st.die);
		int pt = vars_type_strip(&pointee) ? vars_type_tag(&pointee) : 0;
		if ((pt != DW_TAG_structure_type && pt != DW_TAG_union_type &&
		     pt != DW_TAG_class_type) ||
		    vars_value_nchildren(&pointee) == 0)
			r = wt_err_set(err, EINVAL,
				       "'%s' is of type %s, a pointer to neither struct nor union: "
				       "nothing to expand",
				       esc, tn.data ? tn.data : "pointer");
		else if (v.kind == LV_NONE)
			r = wt_err_set(err, ENODATA, "'%s' has no value here (%s): nothing to expand",
				       esc, v.why[0] ? v.why : locals_loc_name(v.loc));
		else if (vars_lval_read(&c, &v, 8, (unsigned char *)&ptr, 8) < 0)
			r = wt_err_set(err, EFAULT, "cannot read the pointer '%s'", esc);
		else if (!ptr)
			r = wt_err_set(err, EFAULT, "'%s' is a NULL pointer: nothing to expand", esc);
		else if (vars_loc_mem_read(&c, ptr, &probe, 1) < 0)
			r = wt_err_set(err, EFAULT,
				       "'%s' points to 0x%" PRIx64
				       ", which cannot be read: nothing to expand",
				       esc, ptr);
	} else {
		r = wt_err_set(err, EINVAL,
			       "'%s' is of type %s, not a struct, union, array or pointer to "
			       "one: nothing to expand",
			       esc, tn.data ? tn.data : "value with no type");
	}
	wt_buf_free(&tn);
	vars_loc_close(&c);
	return r < 0 ? r : (r > 0 ? -r : 0);
}
