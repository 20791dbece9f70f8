/*
 * parse.c: pure parsers of /proc text, no I/O and no stdio.
 *
 * The refresh loop calls these thousands of times a second, so numbers are
 * parsed by hand (strtoull costs a locale lookup and errno traffic), and no
 * parser trusts the text: a process chooses its own name, a file can be cut
 * short when the task exits mid-read, and numbers can be as large as 2^64-1.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "core/proc/parse.h"

static const char *skip_spaces(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

int proc_parse_u64(const char **pp, const char *end, uint64_t *out)
{
	const char *p = skip_spaces(*pp, end);
	uint64_t v = 0;
	int any = 0;

	while (p < end && *p >= '0' && *p <= '9') {
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			v = UINT64_MAX; /* saturate, keep consuming digits */
		else
			v = v * 10 + d;
		any = 1;
		p++;
	}
	if (!any)
		return -EINVAL;
	*pp = p;
	*out = v;
	return 0;
}

int proc_parse_s64(const char **pp, const char *end, int64_t *out)
{
	const char *p = skip_spaces(*pp, end);
	int neg = 0;
	uint64_t u;

	if (p < end && *p == '-') {
		neg = 1;
		p++;
	}
	if (proc_parse_u64(&p, end, &u))
		return -EINVAL;
	if (neg)
		*out = u > (uint64_t)INT64_MAX + 1 ? INT64_MIN : (int64_t)(0 - u);
	else
		*out = u > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)u;
	*pp = p;
	return 0;
}

/* Skip n space-separated fields. */
static int skip_fields(const char **pp, const char *end, int n)
{
	const char *p = *pp;
	while (n-- > 0) {
		p = skip_spaces(p, end);
		if (p >= end || *p == '\n')
			return -EINVAL;
		while (p < end && *p != ' ' && *p != '\n')
			p++;
	}
	*pp = p;
	return 0;
}

static int get_u64(const char **p, const char *end, uint64_t *v)
{
	return proc_parse_u64(p, end, v);
}

static int get_long(const char **p, const char *end, long *v)
{
	int64_t s;
	if (proc_parse_s64(p, end, &s))
		return -EINVAL;
	*v = (long)s;
	return 0;
}

int proc_parse_stat(const char *buf, size_t len, struct proc_stat_raw *o)
{
	const char *end = buf + len;
	const char *p = buf;
	const char *open, *close = NULL;
	uint64_t u;

	memset(o, 0, sizeof(*o));
	o->processor = -1;
	if (get_long(&p, end, &o->pid))
		return -EINVAL;
	open = memchr(p, '(', (size_t)(end - p));
	if (!open)
		return -EINVAL;
	/* The name may itself contain ')': the last one ends it. */
	for (const char *q = end; q > open + 1;) {
		q--;
		if (*q == ')') {
			close = q;
			break;
		}
	}
	if (!close)
		return -EINVAL;
	o->comm = open + 1;
	o->comm_len = (size_t)(close - open - 1);
	p = skip_spaces(close + 1, end);
	if (p >= end)
		return -EINVAL;
	o->state = *p++;                               /* 3 */
	if (get_long(&p, end, &o->ppid))               /* 4 */
		return -EINVAL;
	if (skip_fields(&p, end, 4))                   /* 5-8 pgrp session tty tpgid */
		return -EINVAL;
	if (get_u64(&p, end, &u))                      /* 9 flags */
		return -EINVAL;
	o->flags = (unsigned long)u;
	if (get_u64(&p, end, &o->minflt) || skip_fields(&p, end, 1) || /* 10, 11 */
	    get_u64(&p, end, &o->majflt) || skip_fields(&p, end, 1) || /* 12, 13 */
	    get_u64(&p, end, &o->utime) || get_u64(&p, end, &o->stime) || /* 14, 15 */
	    skip_fields(&p, end, 2) ||                                  /* 16, 17 */
	    get_long(&p, end, &o->priority) || get_long(&p, end, &o->nice) || /* 18, 19 */
	    get_long(&p, end, &o->num_threads) || skip_fields(&p, end, 1) || /* 20, 21 */
	    get_u64(&p, end, &o->starttime) || get_u64(&p, end, &o->vsize) || /* 22, 23 */
	    get_u64(&p, end, &o->rss_pages))                                  /* 24 */
		return -EINVAL;
	/* A number running into the end of the buffer may have been cut short. */
	if (p >= end)
		return -EINVAL;
	/* 39 processor: optional, older or truncated lines stop earlier. */
	if (skip_fields(&p, end, 14) == 0 && get_u64(&p, end, &u) == 0 && p < end)
		o->processor = u > INT32_MAX ? -1 : (int)u;
	return 0;
}

/* Find "key:" at the start of a line; returns the text after the colon. */
static const char *find_key(const char *buf, size_t len, const char *key)
{
	size_t klen = strlen(key);
	const char *end = buf + len;
	const char *p = buf;

	while (p < end) {
		if ((size_t)(end - p) > klen && memcmp(p, key, klen) == 0 && p[klen] == ':')
			return p + klen + 1;
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		p = nl + 1;
	}
	return NULL;
}

int proc_parse_key_u64(const char *buf, size_t len, const char *key, uint64_t *out)
{
	const char *p = find_key(buf, len, key);
	if (!p)
		return -ENOENT;
	return get_u64(&p, buf + len, out);
}

int proc_parse_status_uid(const char *buf, size_t len, uid_t *euid)
{
	const char *end = buf + len;
	const char *p = find_key(buf, len, "Uid");
	uint64_t real, eff;

	if (!p)
		return -EINVAL;
	if (get_u64(&p, end, &real) || get_u64(&p, end, &eff) || eff > UINT32_MAX)
		return -EINVAL;
	*euid = (uid_t)eff;
	return 0;
}

int proc_parse_statm(const char *buf, size_t len, uint64_t *size_pages, uint64_t *resident_pages)
{
	const char *p = buf, *end = buf + len;
	if (get_u64(&p, end, size_pages) || get_u64(&p, end, resident_pages))
		return -EINVAL;
	return 0;
}

int proc_parse_io(const char *buf, size_t len, uint64_t *read_bytes, uint64_t *write_bytes)
{
	if (proc_parse_key_u64(buf, len, "read_bytes", read_bytes) ||
	    proc_parse_key_u64(buf, len, "write_bytes", write_bytes))
		return -EINVAL;
	return 0;
}

int proc_parse_syscall(const char *buf, size_t len, long *nr)
{
	const char *p = buf, *end = buf + len;
	if (len >= 7 && memcmp(buf, "running", 7) == 0) {
		*nr = -1;
		return 0;
	}
	long v;
	if (get_long(&p, end, &v))
		return -EINVAL;
	*nr = v < 0 ? -1 : v;
	return 0;
}

int proc_parse_cpu_line(const char **pp, const char *end, int *index, struct proc_cpu_ticks *t)
{
	const char *p = *pp;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	const char *eol = nl ? nl : end;
	uint64_t v[8] = { 0 };
	int i;

	*pp = nl ? nl + 1 : end;
	if (eol - p < 4 || memcmp(p, "cpu", 3) != 0)
		return -ENOENT;
	p += 3;
	if (*p == ' ') {
		*index = -1;
	} else {
		uint64_t n;
		if (get_u64(&p, eol, &n) || n > INT32_MAX)
			return -EINVAL;
		*index = (int)n;
	}
	/* user nice system idle are always there; the rest came with later kernels. */
	for (i = 0; i < 8; i++)
		if (get_u64(&p, eol, &v[i]))
			break;
	if (i < 4)
		return -EINVAL;
	t->user = v[0];
	t->nice = v[1];
	t->system = v[2];
	t->idle = v[3];
	t->iowait = v[4];
	t->irq = v[5];
	t->softirq = v[6];
	t->steal = v[7];
	return 0;
}

int proc_parse_meminfo(const char *buf, size_t len, struct proc_meminfo_raw *m)
{
	memset(m, 0, sizeof(*m));
	if (proc_parse_key_u64(buf, len, "MemTotal", &m->total) ||
	    proc_parse_key_u64(buf, len, "MemFree", &m->free))
		return -EINVAL;
	m->has_avail = proc_parse_key_u64(buf, len, "MemAvailable", &m->avail) == 0;
	proc_parse_key_u64(buf, len, "Buffers", &m->buffers);
	proc_parse_key_u64(buf, len, "Cached", &m->cached);
	proc_parse_key_u64(buf, len, "SReclaimable", &m->sreclaimable);
	proc_parse_key_u64(buf, len, "Shmem", &m->shmem);
	proc_parse_key_u64(buf, len, "SwapTotal", &m->swap_total);
	proc_parse_key_u64(buf, len, "SwapFree", &m->swap_free);
	return 0;
}

/* "12.34" -> 12.34 without strtod (and its locale). */
static int get_fixed(const char **pp, const char *end, double *out)
{
	const char *p = *pp;
	uint64_t ip, frac = 0;
	double scale = 1.0;

	if (get_u64(&p, end, &ip))
		return -EINVAL;
	if (p < end && *p == '.') {
		p++;
		while (p < end && *p >= '0' && *p <= '9') {
			if (scale < 1e15) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				scale *= 10.0;
			}
			p++;
		}
	}
	*out = (double)ip + (double)frac / scale;
	*pp = p;
	return 0;
}

int proc_parse_loadavg(const char *buf, size_t len, double load[3], unsigned *running,
		       unsigned *total, uint64_t *last_pid)
{
	const char *p = buf, *end = buf + len;
	uint64_t r, t;
	for (int i = 0; i < 3; i++)
		if (get_fixed(&p, end, &load[i]))
			return -EINVAL;
	if (get_u64(&p, end, &r) || p >= end || *p != '/')
		return -EINVAL;
	p++;
	if (get_u64(&p, end, &t))
		return -EINVAL;
	/* The last pid, only if it is whole (followed by the newline). */
	if (get_u64(&p, end, last_pid) || p >= end)
		*last_pid = 0;
	*running = r > UINT32_MAX ? UINT32_MAX : (unsigned)r;
	*total = t > UINT32_MAX ? UINT32_MAX : (unsigned)t;
	return 0;
}

int proc_parse_uptime(const char *buf, size_t len, double *uptime_s)
{
	const char *p = buf;
	return get_fixed(&p, buf + len, uptime_s);
}

/* Hex digits (an optional "0x"), saturating at UINT64_MAX as strtoull did. */
static int get_hex(const char **pp, const char *end, uint64_t *out)
{
	const char *p = skip_spaces(*pp, end);
	uint64_t v = 0;
	int any = 0;

	for (; p < end; p++) {
		unsigned d;
		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (*p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			break;
		v = v > (UINT64_MAX >> 4) ? UINT64_MAX : v << 4 | d;
		any = 1;
	}
	if (!any)
		return -EINVAL;
	*pp = p;
	*out = v;
	return 0;
}

/* A pid-like "Key:" number of status; 0 if absent or not a positive int. */
static int status_id(const char *buf, size_t len, const char *key, pid_t *out)
{
	const char *p = find_key(buf, len, key);
	uint64_t v;
	/* A number running into the end of the text may have been cut short. */
	if (!p || get_u64(&p, buf + len, &v) || p >= buf + len || v > 0x7fffffff)
		return 0;
	*out = (pid_t)v;
	return 1;
}

int proc_parse_status(const char *buf, size_t len, struct proc_status *st)
{
	const char *end = buf + len;
	const char *p;
	uint64_t v;

	memset(st, 0, sizeof(*st));
	st->state = '?';
	/* Keys only at the start of a line: the kernel escapes a '\n' in Name. */
	if (status_id(buf, len, "Tgid", &st->tgid))
		st->have |= PROC_STATUS_TGID;
	if (status_id(buf, len, "PPid", &st->ppid))
		st->have |= PROC_STATUS_PPID;
	if (status_id(buf, len, "TracerPid", &st->tracer_pid))
		st->have |= PROC_STATUS_TRACER;
	p = find_key(buf, len, "Threads");
	if (p && get_u64(&p, end, &v) == 0 && p < end) {
		st->threads = v > 0x7fffffff ? 0x7fffffff : (long)v;
		st->have |= PROC_STATUS_THREADS;
	}
	p = find_key(buf, len, "State");
	if (p && (p = skip_spaces(p, end)) < end && *p != '\n') {
		st->state = *p;
		st->have |= PROC_STATUS_STATE;
	}
	p = find_key(buf, len, "CapEff");
	if (p && get_hex(&p, end, &v) == 0 && p < end) {
		st->cap_eff = v;
		st->have |= PROC_STATUS_CAPEFF;
	}
	return st->have & PROC_STATUS_TGID ? 0 : -EINVAL;
}

int proc_parse_maps_line(const char **pp, const char *end, struct proc_map *m)
{
	const char *p = *pp;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	const char *eol = nl ? nl : end;
	uint64_t v;
	size_t k;

	*pp = nl ? nl + 1 : end;
	memset(m, 0, sizeof(*m));
	/* "start-end perms offset major:minor inode [path]" */
	if (get_hex(&p, eol, &m->start) || p >= eol || *p++ != '-' || get_hex(&p, eol, &m->end))
		return -EINVAL;
	p = skip_spaces(p, eol);
	for (k = 0; k < sizeof(m->perms) - 1 && p < eol && *p != ' '; k++)
		m->perms[k] = *p++;
	if (k == 0 || (p < eol && *p != ' '))
		return -EINVAL;
	if (get_hex(&p, eol, &m->offset) || get_hex(&p, eol, &v) || v > UINT32_MAX || p >= eol ||
	    *p++ != ':')
		return -EINVAL;
	m->dev_major = (unsigned)v;
	if (get_hex(&p, eol, &v) || v > UINT32_MAX)
		return -EINVAL;
	m->dev_minor = (unsigned)v;
	if (get_u64(&p, eol, &m->inode) || (p < eol && *p != ' '))
		return -EINVAL;
	while (p < eol && *p == ' ')
		p++;
	/* The path as maps gives it: "\012" for a newline, " (deleted)" kept. */
	m->path = p;
	m->path_len = (size_t)(eol - p);
	return 0;
}

/* The text after "key:" on its line, spaces skipped, up to the newline. */
static int line_value(const char *buf, size_t len, const char *key, const char **v, size_t *vlen)
{
	const char *end = buf + len;
	const char *p = find_key(buf, len, key);
	if (!p)
		return -EINVAL;
	p = skip_spaces(p, end);
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl)
		return -EINVAL; /* cut short: the value may be too */
	*v = p;
	*vlen = (size_t)(nl - p);
	return 0;
}

int proc_parse_status_sched(const char *buf, size_t len, const char **cpus, size_t *cpus_len,
			    uint64_t *vctxt, uint64_t *nvctxt)
{
	const char *end = buf + len;
	const char *p;
	if (line_value(buf, len, "Cpus_allowed_list", cpus, cpus_len) || *cpus_len == 0)
		return -EINVAL;
	p = find_key(buf, len, "voluntary_ctxt_switches");
	if (!p || get_u64(&p, end, vctxt) || p >= end)
		return -EINVAL;
	p = find_key(buf, len, "nonvoluntary_ctxt_switches");
	if (!p || get_u64(&p, end, nvctxt) || p >= end)
		return -EINVAL;
	return 0;
}

static int seg_is(const char *s, size_t n, const char *name)
{
	return n == strlen(name) && memcmp(s, name, n) == 0;
}

int proc_parse_cgroup(const char *buf, size_t len, const char **path, size_t *path_len)
{
	const char *end = buf + len;
	const char *first = NULL, *sysd = NULL;
	size_t first_len = 0, sysd_len = 0;

	for (const char *p = buf; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break; /* a line without its newline may be cut */
		/* "ID:CONTROLLERS:PATH"; the path may itself hold ':' */
		const char *c1 = memchr(p, ':', (size_t)(nl - p));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(nl - c1 - 1)) : NULL;
		if (c2 && c2 + 1 < nl && c2[1] == '/') {
			const char *v = c2 + 1;
			size_t vl = (size_t)(nl - v);
			if (c1 - p == 1 && *p == '0' && c2 == c1 + 1) {
				*path = v;
				*path_len = vl;
				return 0;
			}
			if (!sysd && seg_is(c1 + 1, (size_t)(c2 - c1 - 1), "name=systemd")) {
				sysd = v;
				sysd_len = vl;
			}
			if (!first) {
				first = v;
				first_len = vl;
			}
		}
		p = nl + 1;
	}
	if (sysd) {
		*path = sysd;
		*path_len = sysd_len;
		return 0;
	}
	if (first) {
		*path = first;
		*path_len = first_len;
		return 0;
	}
	return -EINVAL;
}

static int is_hex64(const char *s, size_t n)
{
	if (n != 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int has_prefix(const char *s, size_t n, const char *pre)
{
	size_t l = strlen(pre);
	return n >= l && memcmp(s, pre, l) == 0;
}

static int has_suffix(const char *s, size_t n, const char *suf)
{
	size_t l = strlen(suf);
	return n >= l && memcmp(s + n - l, suf, l) == 0;
}

/*
 * A container segment: its 64-hex id at *id and the runtime's short name
 * ("docker", "podman", "crio", "cri", or "" for a bare id segment).
 */
static int container_seg(const char *s, size_t n, const char **id, const char **rt)
{
	static const struct {
		const char *prefix, *name;
	} scopes[] = {
		{ "docker-", "docker" },
		{ "libpod-", "podman" },
		{ "crio-", "crio" },
		{ "cri-containerd-", "cri" },
	};
	if (is_hex64(s, n)) {
		*id = s;
		*rt = "";
		return 1;
	}
	if (!has_suffix(s, n, ".scope"))
		return 0;
	n -= 6;
	for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
		size_t pl = strlen(scopes[i].prefix);
		if (has_prefix(s, n, scopes[i].prefix) && is_hex64(s + pl, n - pl)) {
			*id = s + pl;
			*rt = scopes[i].name;
			return 1;
		}
	}
	return 0;
}

int proc_cgroup_container(const char *path, size_t len, char out[13])
{
	const char *end = path + len, *id = NULL, *rt;
	out[0] = '\0';
	for (const char *p = path; p < end;) {
		const char *sl = memchr(p, '/', (size_t)(end - p));
		const char *se = sl ? sl : end;
		const char *sid;
		if (container_seg(p, (size_t)(se - p), &sid, &rt))
			id = sid; /* the innermost one: a container in a container */
		p = se + 1;
	}
	if (!id)
		return 0;
	memcpy(out, id, 12);
	out[12] = '\0';
	return 1;
}

struct sbuf {
	char *out;
	size_t sz, n;
};

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n && b->n + 1 < b->sz; i++)
		b->out[b->n++] = s[i];
	b->out[b->n] = '\0';
}

void proc_cgroup_shorten(const char *path, size_t len, char *out, size_t outsz)
{
	struct sbuf b = { out, outsz, 0 };
	const char *end = path + len;
	int tagged = 0; /* the last thing written was a [X] tag: no '/' after it */
	int any = 0, in_user = 0, in_kube = 0;

	if (!outsz)
		return;
	out[0] = '\0';
	for (const char *p = path; p < end;) {
		const char *sl = memchr(p, '/', (size_t)(end - p));
		const char *se = sl ? sl : end;
		size_t n = (size_t)(se - p);
		const char *s = p, *id, *rt;
		p = se + 1;
		if (n == 0)
			continue;
		char tag[32] = "";
		if (seg_is(s, n, "system.slice")) {
			strcpy(tag, "[S]");
		} else if (seg_is(s, n, "machine.slice")) {
			strcpy(tag, "[M]");
		} else if (seg_is(s, n, "user.slice")) {
			in_user = 1;
			strcpy(tag, "[U]");
		} else if (seg_is(s, n, "kubepods.slice") || seg_is(s, n, "kubepods")) {
			in_kube = 1;
			strcpy(tag, "[K]");
		}
		if (in_user && has_prefix(s, n, "user-") && has_suffix(s, n, ".slice") &&
		    n - 11 < 16) {
			/* [U] becomes [U:1000] */
			if (tagged && b.n >= 3 && memcmp(b.out + b.n - 3, "[U]", 3) == 0)
				b.n -= 3;
			memcpy(tag, "[U:", 3);
			memcpy(tag + 3, s + 5, n - 11);
			memcpy(tag + 3 + n - 11, "]", 2);
		} else if (in_user && has_prefix(s, n, "user@") && has_suffix(s, n, ".service")) {
			continue; /* the user's manager: implied by [U:UID] */
		} else if (in_kube && has_prefix(s, n, "kubepods-") && has_suffix(s, n, ".slice")) {
			/* kubepods-burstable-pod<uid>.slice: the last dash-part is enough */
			const char *d = s + n - 6;
			while (d > s && d[-1] != '-')
				d--;
			s = d;
			n = (size_t)(se - d) - 6;
		}
		if (tag[0]) {
			sb_put(&b, tag, strlen(tag));
			tagged = 1;
			any = 1;
			continue;
		}
		if (any && !tagged)
			sb_put(&b, "/", 1);
		tagged = 0;
		any = 1;
		if (container_seg(s, n, &id, &rt)) {
			if (rt[0]) {
				sb_put(&b, rt, strlen(rt));
				sb_put(&b, ":", 1);
			}
			sb_put(&b, id, 12);
			continue;
		}
		if (has_suffix(s, n, ".service"))
			n -= 8;
		else if (has_suffix(s, n, ".scope"))
			n -= 6;
		else if (has_suffix(s, n, ".slice"))
			n -= 6;
		sb_put(&b, s, n);
	}
	if (!any)
		sb_put(&b, "/", 1);
}

int proc_ioprio_key(int ioprio, long nice)
{
	int cls = (ioprio >> 13) & 7, level = ioprio & 0x1fff;
	if (cls == PROC_IOPRIO_NONE) {
		/* No class set: the kernel serves it best-effort at a level from its nice. */
		long l = (nice + 20) / 5;
		cls = PROC_IOPRIO_BE;
		level = (int)(l < 0 ? 0 : l > 7 ? 7 : l);
	}
	return cls * 0x2000 + (level > 7 ? 7 : level);
}

void proc_ioprio_format(int ioprio, long nice, char *out, size_t outsz)
{
	int key = proc_ioprio_key(ioprio, nice);
	char s[3] = { '?', (char)('0' + key % 0x2000), '\0' };
	switch (key / 0x2000) {
	case PROC_IOPRIO_RT: s[0] = 'R'; break;
	case PROC_IOPRIO_BE: s[0] = 'B'; break;
	case PROC_IOPRIO_IDLE: s[0] = 'i', s[1] = 'd'; break;
	default: break;
	}
	if (!outsz)
		return;
	size_t n = outsz - 1 < 2 ? outsz - 1 : 2;
	memcpy(out, s, n);
	out[n] = '\0';
}

int proc_parse_psi(const char *buf, size_t len, struct proc_psi *psi)
{
	const char *p = buf, *end = buf + len;
	memset(psi, 0, sizeof(*psi));
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		bool some = eol - p >= 5 && memcmp(p, "some ", 5) == 0;
		bool full = eol - p >= 5 && memcmp(p, "full ", 5) == 0;
		double a[3];
		const char *q = p + 5;
		static const char *const keys[3] = { "avg10=", "avg60=", "avg300=" };
		int got = 0;
		for (int i = 0; (some || full) && i < 3; i++) {
			size_t k = strlen(keys[i]);
			while (q < eol && *q == ' ')
				q++;
			if ((size_t)(eol - q) < k || memcmp(q, keys[i], k) != 0)
				break;
			q += k;
			if (get_fixed(&q, eol, &a[i]))
				break;
			got++;
		}
		if (got == 3 && some) {
			memcpy(psi->some, a, sizeof(a));
			psi->have = true;
		} else if (got == 3 && full) {
			memcpy(psi->full, a, sizeof(a));
			psi->has_full = true;
		}
		p = eol < end ? eol + 1 : end;
	}
	return psi->have ? 0 : -EINVAL;
}
