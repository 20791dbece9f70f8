/*
 * stub.c: the fallback decoder (every argument in hex) until the tables
 * land; replaced by src/core/decode/{table,xlat,format,set}.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/decode.h>
#include <whytop/sysnames.h>

int sysdecode_captures(uint32_t arch, long nr, unsigned strsize, struct sccap out[SCEV_MAX_CAPS])
{
	(void)arch, (void)nr, (void)strsize, (void)out;
	return 0;
}

const char *sysdecode_errno_name(int e)
{
	return strerrorname_np(e);
}

const char *sysdecode_signal_name(int sig)
{
	static __thread char buf[16];
	const char *a = sigabbrev_np(sig);
	if (!a)
		return NULL;
	snprintf(buf, sizeof(buf), "SIG%s", a);
	return buf;
}

void sysdecode_format(const struct scev *ev, enum scev_part part, const struct sysdecode_opts *o,
		      struct wt_buf *out)
{
	(void)o;
	char nbuf[48];
	if (part & SCEV_ENTRY) {
		wt_buf_printf(out, "%s(", sysname(ev->arch, ev->nr, nbuf, sizeof(nbuf)));
		for (int i = 0; i < 6; i++)
			wt_buf_printf(out, "%s%#llx", i ? ", " : "", (unsigned long long)ev->arg[i]);
	}
	if (part & SCEV_EXIT) {
		wt_buf_puts(out, ")");
		if (ev->ret < 0 && ev->ret >= -4095) {
			const char *n = sysdecode_errno_name((int)-ev->ret);
			wt_buf_printf(out, " = -1 %s (%s)", n ? n : "E?", strerror((int)-ev->ret));
		} else {
			wt_buf_printf(out, " = %lld", (long long)ev->ret);
		}
	}
}

unsigned sysdecode_classes(uint32_t arch, long nr)
{
	(void)arch, (void)nr;
	return 0;
}

void sc_set_all(struct sc_set *s)
{
	memset(s->bits, 0xff, sizeof(s->bits));
}

static int abi_of(uint32_t arch)
{
	return arch == sc_abi_arch(SC_ABI_I386) ? SC_ABI_I386 : SC_ABI_X86_64;
}

int sc_set_parse(struct sc_set *s, const char *expr, struct wt_err *err)
{
	memset(s->bits, 0, sizeof(s->bits));
	char *dup = strdup(expr), *save = NULL;
	if (!dup)
		return -ENOMEM;
	for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		bool any = false;
		for (int a = SC_ABI_X86_64; a <= SC_ABI_I386; a++) {
			long nr = sysname_lookup(sc_abi_arch((enum sc_abi)a), t);
			if (nr >= 0 && nr < SC_NR_MAX) {
				unsigned slot = sc_slot((enum sc_abi)a, nr);
				s->bits[slot / 64] |= 1ull << (slot % 64);
				any = true;
			}
		}
		if (!any) {
			wt_err_set(err, -EINVAL, "no syscall named '%s' (x86_64 or i386)", t);
			free(dup);
			return -EINVAL;
		}
	}
	free(dup);
	return 0;
}

bool sc_set_has(const struct sc_set *s, uint32_t arch, long nr)
{
	unsigned slot = sc_slot((enum sc_abi)abi_of(arch), nr);
	return s->bits[slot / 64] >> (slot % 64) & 1;
}
