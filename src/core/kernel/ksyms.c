/*
 * ksyms.c: naming kernel addresses from /proc/kallsyms (kernel.h), for the
 * CPU profile's kernel call chains and the off-CPU view's kernel stacks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/kernel.h>
#include <whytop/util.h>

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

int ksyms_load(struct ksyms *ks)
{
	memset(ks, 0, sizeof(*ks));
	FILE *f = fopen("/proc/kallsyms", "re");
	if (!f)
		return -errno;
	/* stdio reads /proc files 1 KiB at a time: 5000 reads for kallsyms */
	setvbuf(f, NULL, _IOFBF, 1 << 16);
	char line[512];
	size_t cap = 0;
	int rc = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char type, name[256], mod[128] = "";
		if (sscanf(line, "%llx %c %255s [%127[^]]]", &addr, &type, name, mod) < 3)
			continue;
		if (type != 't' && type != 'T' && type != 'w' && type != 'W')
			continue;
		if (addr == 0) {
			ks->hidden = true;
			continue;
		}
		if (ks->n == cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			struct ksym *v = realloc(ks->v, ncap * sizeof(*v));
			if (!v) {
				rc = -ENOMEM;
				break;
			}
			ks->v = v;
			cap = ncap;
		}
		struct ksym *k = &ks->v[ks->n];
		k->addr = addr;
		k->name = wt_escape(name, strlen(name), 0);
		k->module = mod[0] ? wt_escape(mod, strlen(mod), 0) : NULL;
		if (!k->name || (mod[0] && !k->module)) {
			free(k->name);
			free(k->module);
			rc = -ENOMEM;
			break;
		}
		ks->n++;
	}
	fclose(f);
	qsort(ks->v, ks->n, sizeof(*ks->v), ksym_cmp);
	return rc;
}

const struct ksym *ksyms_find(const struct ksyms *ks, uint64_t addr)
{
	size_t lo = 0, hi = ks->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ks->v[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &ks->v[lo - 1] : NULL;
}

void ksyms_free(struct ksyms *ks)
{
	for (size_t i = 0; i < ks->n; i++) {
		free(ks->v[i].name);
		free(ks->v[i].module);
	}
	free(ks->v);
	memset(ks, 0, sizeof(*ks));
}
