/*
 * kparse.c: parsers of the kernel view's /proc files -- a thread's status
 * (context switches), syscall, wchan and stack (its stat is proc's parser,
 * proc_parse_stat) -- on text alone, so
 * that the unit tests can feed them canned, truncated and hostile input.
 * Nothing here opens a file.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/kernel.h>

static const char *skip_spaces(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static int parse_hex(const char *p, const char *end, uint64_t *out, const char **next)
{
	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	uint64_t v = 0;
	const char *start = p;
	while (p < end && isxdigit((unsigned char)*p)) {
		int d =
		    isdigit((unsigned char)*p) ? *p - '0' : (tolower((unsigned char)*p) - 'a' + 10);
		if (p - start >= 16)
			return -EINVAL;
		v = v * 16 + (uint64_t)d;
		p++;
	}
	if (p == start)
		return -EINVAL;
	*out = v;
	*next = p;
	return 0;
}

static void parse_frame(const char *line, const char *end, struct kernel_frame *f)
{
	const char *p = skip_spaces(line, end);
	/* "[<0>] " or "[<ffffffff81234567>] ": the address, hidden unless kptr_restrict allows. */
	if (p < end && *p == '[') {
		const char *close = memchr(p, ']', (size_t)(end - p));
		if (close)
			p = skip_spaces(close + 1, end);
	}
	const char *sym = p;
	while (p < end && *p != '+' && *p != ' ')
		p++;
	const char *symend = p;
	uint64_t off = 0, size = 0;
	if (p < end && *p == '+') {
		const char *q;
		if (parse_hex(p + 1, end, &off, &q) == 0) {
			p = q;
			if (p < end && *p == '/' && parse_hex(p + 1, end, &size, &q) == 0)
				p = q;
		}
	}
	p = skip_spaces(p, end);
	f->module = NULL;
	if (p < end && *p == '[') {
		/* The module ends the line: its ']' is the last one. */
		const char *close = memrchr(p, ']', (size_t)(end - p));
		if (close && close > p + 1)
			f->module = wt_escape(p + 1, (size_t)(close - p - 1), 0);
	}
	if (symend == sym) {
		/* Not "sym+off/size": keep the whole line, escaped, so nothing is lost. */
		f->func = wt_escape(line, (size_t)(end - line), 0);
		off = size = 0;
	} else {
		f->func = wt_escape(sym, (size_t)(symend - sym), 0);
	}
	f->offset = off;
	f->size = size;
}

int kernel_stack_parse_stack(const char *text, size_t len, struct kernel_frame **out, size_t *n)
{
	size_t cap = 0, cnt = 0;
	struct kernel_frame *frames = NULL;
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		if (skip_spaces(p, le) < le) {
			if (cnt == cap) {
				size_t nc = cap ? cap * 2 : 16;
				struct kernel_frame *nf = realloc(frames, nc * sizeof(*nf));
				if (!nf) {
					kernel_frames_free(frames, cnt);
					return -ENOMEM;
				}
				frames = nf;
				cap = nc;
			}
			parse_frame(p, le, &frames[cnt]);
			if (!frames[cnt].func) {
				kernel_frames_free(frames, cnt);
				return -ENOMEM;
			}
			cnt++;
		}
		p = nl ? nl + 1 : end;
	}
	*out = frames;
	*n = cnt;
	return 0;
}

void kernel_frames_free(struct kernel_frame *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(f[i].func);
		free(f[i].module);
	}
	free(f);
}

int kernel_stack_parse_syscall(const char *text, struct kernel_syscall *sc)
{
	const char *end = text + strlen(text);
	while (end > text && isspace((unsigned char)end[-1]))
		end--;
	const char *p = skip_spaces(text, end);

	if ((size_t)(end - p) == 7 && memcmp(p, "running", 7) == 0) {
		sc->state = KSYS_RUNNING;
		return 0;
	}
	/* The number is decimal: "-1" (not in a syscall) or "0".."N". */
	const char *q = p;
	bool neg = false;
	if (q < end && *q == '-') {
		neg = true;
		q++;
	}
	long nr = 0;
	const char *digits = q;
	while (q < end && isdigit((unsigned char)*q)) {
		if (q - digits >= 9)
			return -EINVAL;
		nr = nr * 10 + (*q - '0');
		q++;
	}
	if (q == digits || (q < end && *q != ' '))
		return -EINVAL;
	if (neg)
		nr = -nr;
	if (nr < -1)
		return -EINVAL;

	uint64_t v[8];
	int want = nr == -1 ? 2 : 8, got = 0;
	while (got < want) {
		q = skip_spaces(q, end);
		if (q == end)
			return -EINVAL; /* truncated */
		const char *next;
		if (parse_hex(q, end, &v[got], &next) || (next < end && *next != ' '))
			return -EINVAL;
		q = next;
		got++;
	}
	if (skip_spaces(q, end) != end)
		return -EINVAL;
	if (nr == -1) {
		sc->state = KSYS_NONE;
		sc->nr = -1;
		sc->sp = v[0];
		sc->pc = v[1];
		return 0;
	}
	sc->state = KSYS_IN;
	sc->nr = nr;
	memcpy(sc->raw, v, sizeof(sc->raw));
	sc->sp = v[6];
	sc->pc = v[7];
	return 0;
}

int kernel_stack_parse_switches(const char *text, uint64_t *out)
{
	static const char *keys[] = {"\nvoluntary_ctxt_switches:", "\nnonvoluntary_ctxt_switches:"};
	uint64_t sum = 0;
	for (size_t i = 0; i < WT_ARRAY_SIZE(keys); i++) {
		const char *p = strstr(text, keys[i]);
		if (!p)
			return -EINVAL;
		p += strlen(keys[i]);
		while (*p == ' ' || *p == '\t')
			p++;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		sum += strtoull(p, NULL, 10);
	}
	*out = sum;
	return 0;
}

const char *kernel_stack_mm_frame(const struct kernel_frame *f, size_t n)
{
	static const char *const mm_frames[] = {
		"exc_page_fault", "do_user_addr_fault", "handle_mm_fault", "__handle_mm_fault",
		"lock_mm_and_find_vma", "lock_vma_under_rcu", "vm_mmap_pgoff", "do_mmap",
		"__vm_munmap", "do_vmi_munmap", "__do_sys_brk", "__do_sys_mprotect",
		"do_mprotect_pkey", "do_madvise", "__mm_populate", "populate_vma_page_range",
		"get_user_pages_unlocked", "__get_user_pages", "mmap_read_lock_killable",
	};
	for (size_t i = 0; i < n; i++) {
		size_t len = strcspn(f[i].func, ".");
		for (size_t j = 0; j < WT_ARRAY_SIZE(mm_frames); j++)
			if (strlen(mm_frames[j]) == len &&
			    memcmp(mm_frames[j], f[i].func, len) == 0)
				return mm_frames[j];
	}
	return NULL;
}

char *kernel_stack_clean_wchan(const char *text, size_t len)
{
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	if (len == 0 || (len == 1 && text[0] == '0'))
		return strdup("");
	return wt_escape(text, len, 0);
}
