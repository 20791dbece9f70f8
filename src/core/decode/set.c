/*
 * set.c: sets of calls in strace's -e trace= syntax: names, %classes,
 * /regex, "all", "none", and "!" negating the whole expression; the old
 * class names without '%' ("file") as strace still takes them. A set is a
 * bit per (ABI, number), the slots of struct sc_sample.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/audit.h>

#include <whytop/sysnames.h>

#include "decode_int.h"

static const struct {
	const char *name;
	unsigned cls;
} classes[] = {
    {"file", SC_CLASS_FILE},	   {"desc", SC_CLASS_DESC},	{"process", SC_CLASS_PROCESS},
    {"network", SC_CLASS_NETWORK}, {"net", SC_CLASS_NETWORK},	{"signal", SC_CLASS_SIGNAL},
    {"ipc", SC_CLASS_IPC},	   {"memory", SC_CLASS_MEMORY}, {"creds", SC_CLASS_CREDS},
    {"clock", SC_CLASS_CLOCK},	   {"pure", SC_CLASS_PURE},
};

unsigned sysdecode_class_named(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strlen(classes[i].name) == len && memcmp(classes[i].name, name, len) == 0)
			return classes[i].cls;
	return 0;
}

/* The ABIs a name or class is looked up on (x32 is only reached by "all"). */
static const struct {
	enum sc_abi abi;
	uint32_t arch;
} abis[] = {{SC_ABI_X86_64, AUDIT_ARCH_X86_64}, {SC_ABI_I386, AUDIT_ARCH_I386}};

static void set_bit(struct sc_set *s, enum sc_abi abi, long nr)
{
	unsigned slot = sc_slot(abi, nr);
	s->bits[slot / 64] |= 1ull << (slot % 64);
}

void sc_set_all(struct sc_set *s)
{
	memset(s->bits, 0xff, sizeof(s->bits));
}

bool sc_set_has(const struct sc_set *s, uint32_t arch, long nr)
{
	enum sc_abi abi;
	if (arch == AUDIT_ARCH_I386) {
		abi = SC_ABI_I386;
	} else if (arch == AUDIT_ARCH_X86_64) {
		abi = (nr >= 0 && (nr & 0x40000000)) ? SC_ABI_X32 : SC_ABI_X86_64;
		nr &= ~0x40000000L;
	} else {
		abi = SC_ABI_UNKNOWN;
	}
	unsigned slot = sc_slot(abi, nr);
	return s->bits[slot / 64] >> (slot % 64) & 1;
}

static int add_class(struct sc_set *s, const char *t, struct wt_err *err)
{
	unsigned cls = 0;
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strcmp(classes[i].name, t + 1) == 0)
			cls = classes[i].cls;
	if (!cls)
		return wt_err_set(
		    err, -EINVAL,
		    "no syscall class '%s'; the classes are %%file, %%desc, %%process, "
		    "%%network (%%net), %%signal, %%ipc, %%memory, %%creds, %%clock, %%pure",
		    t);
	for (size_t a = 0; a < sizeof(abis) / sizeof(abis[0]); a++)
		for (long nr = 0; nr < SC_NR_MAX; nr++)
			if (sysdecode_classes(abis[a].arch, nr) & cls)
				set_bit(s, abis[a].abi, nr);
	return 0;
}

static int add_regex(struct sc_set *s, const char *t, struct wt_err *err)
{
	regex_t re;
	int rc = regcomp(&re, t + 1, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		char msg[128];
		regerror(rc, &re, msg, sizeof(msg));
		return wt_err_set(err, -EINVAL, "'%s' is not a valid regular expression: %s", t,
				  msg);
	}
	for (size_t a = 0; a < sizeof(abis) / sizeof(abis[0]); a++)
		for (long nr = 0; nr < SC_NR_MAX; nr++) {
			char buf[48];
			const char *name = sysname(abis[a].arch, nr, buf, sizeof(buf));
			if (name == buf) /* "syscall_NNN": not a call this ABI has */
				continue;
			if (regexec(&re, name, 0, NULL, 0) == 0)
				set_bit(s, abis[a].abi, nr);
		}
	regfree(&re);
	return 0;
}

static int add_name(struct sc_set *s, const char *t, struct wt_err *err)
{
	bool quiet = t[0] == '?', any = false;
	if (quiet)
		t++;
	/* strace still takes the old class names without '%' (trace=file) */
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strcmp(classes[i].name, t) == 0 && sysname_lookup(AUDIT_ARCH_X86_64, t) < 0) {
			char pct[16];
			snprintf(pct, sizeof(pct), "%%%s", t);
			return add_class(s, pct, err);
		}
	for (size_t a = 0; a < sizeof(abis) / sizeof(abis[0]); a++) {
		long nr = sysname_lookup(abis[a].arch, t);
		if (nr >= 0 && nr < SC_NR_MAX) {
			set_bit(s, abis[a].abi, nr);
			any = true;
		}
	}
	if (!any && !quiet)
		return wt_err_set(err, -EINVAL, "no syscall named '%s' (x86_64 or i386)", t);
	return 0;
}

int sc_set_parse(struct sc_set *s, const char *expr, struct wt_err *err)
{
	memset(s->bits, 0, sizeof(s->bits));
	bool negate = expr[0] == '!';
	if (negate)
		expr++;
	if (!*expr)
		return wt_err_set(err, -EINVAL,
				  "empty syscall set: give names, %%classes, /regex, all or none");
	char *dup = strdup(expr), *save = NULL;
	if (!dup)
		return wt_err_set(err, -ENOMEM, "out of memory parsing the syscall set");
	int rc = 0;
	for (char *t = strtok_r(dup, ",", &save); t && !rc; t = strtok_r(NULL, ",", &save)) {
		if (strcmp(t, "all") == 0)
			sc_set_all(s);
		else if (strcmp(t, "none") == 0)
			continue;
		else if (t[0] == '%')
			rc = add_class(s, t, err);
		else if (t[0] == '/')
			rc = add_regex(s, t, err);
		else
			rc = add_name(s, t, err);
	}
	free(dup);
	if (rc)
		return rc;
	if (negate)
		for (size_t i = 0; i < sizeof(s->bits) / sizeof(s->bits[0]); i++)
			s->bits[i] = ~s->bits[i];
	return 0;
}
