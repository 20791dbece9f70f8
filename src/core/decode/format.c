/*
 * format.c: one call in strace's text, from the numbers and the bytes a
 * backend captured (struct scev) and the call's argument kinds (table.c).
 * Nothing here reads the task's memory; every captured byte is quoted the
 * way strace quotes it, so only printable ASCII reaches the output.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>

#include <whytop/sysnames.h>

#include "decode_int.h"

#define FUTEX_BITSET_MATCH_ANY 0xffffffffu

/* What the formatter works from. */
struct fmt {
	const struct scev *ev;
	const struct sd_call *c;
	const struct sysdecode_opts *o;
	unsigned strsize;
	unsigned xflag; /* -x, -xx */
	int i386;
	int tw;	     /* bytes of a timespec word: 4 for i386's old calls */
	bool failed; /* the call returned an error */
	int64_t ret;
};

static const struct scev_cap *cap_of(const struct fmt *f, int arg, int at_exit)
{
	unsigned n = f->ev->ncap < SCEV_MAX_CAPS ? f->ev->ncap : SCEV_MAX_CAPS;
	for (unsigned i = 0; i < n; i++) {
		const struct scev_cap *k = &f->ev->cap[i];
		if (k->arg == arg && !!k->at_exit == !!at_exit)
			return k;
	}
	return NULL;
}

/* A capture that holds bytes (at least need of them), or NULL. */
static const struct scev_cap *cap_ok(const struct fmt *f, int arg, int at_exit, uint32_t need)
{
	const struct scev_cap *k = cap_of(f, arg, at_exit);
	if (!k || k->state != SCEV_CAP_OK || !k->data || k->len < need)
		return NULL;
	return k;
}

static uint64_t word(const struct fmt *f, int i)
{
	uint64_t v = f->ev->arg[i];
	return f->i386 ? (uint32_t)v : v;
}

static void put_time(struct wt_buf *out, const struct fmt *f, int i, int at_exit, int w,
		     const char *sub);
static void put_mask(struct wt_buf *out, uint64_t m);

static void put_ptr(struct wt_buf *out, uint64_t v)
{
	if (v)
		wt_buf_printf(out, "%#llx", (unsigned long long)v);
	else
		wt_buf_puts(out, "NULL");
}

static void put_xnum(struct wt_buf *out, uint64_t v)
{
	wt_buf_printf(out, "%#llx", (unsigned long long)v);
}

/*
 * strace's quoting: printable ASCII as is, \" \\ \f \n \r \t \v, any other
 * byte in octal, three digits when an octal digit follows.
 */
static void quote_x(struct wt_buf *out, const unsigned char *p, size_t n, bool more, bool hex)
{
	char tmp[256];
	size_t t = 0;
	tmp[t++] = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned c = p[i];
		if (t > sizeof(tmp) - 8) {
			wt_buf_add(out, tmp, t);
			t = 0;
		}
		static const char from[] = "\"\\\f\n\r\t\v", to[] = "\"\\fnrtv";
		const char *e = c ? strchr(from, (int)c) : NULL;
		if (hex) {
			t += (size_t)snprintf(tmp + t, 6, "\\x%02x", c);
			continue;
		}
		if (e) {
			tmp[t++] = '\\';
			tmp[t++] = to[e - from];
		} else if (c >= 0x20 && c < 0x7f) {
			tmp[t++] = (char)c;
		} else if (i + 1 < n && p[i + 1] >= '0' && p[i + 1] <= '7') {
			t += (size_t)snprintf(tmp + t, 6, "\\%03o", c);
		} else {
			t += (size_t)snprintf(tmp + t, 6, "\\%o", c);
		}
	}
	tmp[t++] = '"';
	wt_buf_add(out, tmp, t);
	if (more)
		wt_buf_puts(out, "...");
}

static void quote(struct wt_buf *out, const unsigned char *p, size_t n, bool more)
{
	quote_x(out, p, n, more, false);
}

/* strace's -x: the whole string in hex if one byte is neither printable nor \t\n\v\f\r. */
static bool want_hex(const struct fmt *f, const unsigned char *p, size_t n)
{
	if (f->xflag > 1)
		return true;
	for (size_t i = 0; f->xflag && i < n; i++)
		if (p[i] > 0x7e || (p[i] < 0x20 && (unsigned)(p[i] - 9) >= 5))
			return true;
	return false;
}

/* A NUL-terminated string captured at entry; bound: bytes shown at most. */
static void put_cstr(struct wt_buf *out, const struct fmt *f, int i, size_t bound)
{
	const struct scev_cap *k = cap_of(f, i, 0);
	if (!k || k->state != SCEV_CAP_OK || !k->data) {
		put_ptr(out, word(f, i));
		return;
	}
	const unsigned char *nul = memchr(k->data, 0, k->len);
	size_t len = nul ? (size_t)(nul - k->data) : k->len;
	bool more = !nul && k->cut;
	if (len > bound) {
		len = bound;
		more = true;
	}
	quote_x(out, k->data, len, more, want_hex(f, k->data, len));
}

/* A buffer of size bytes (from an argument or the result). */
static void put_buf(struct wt_buf *out, const struct fmt *f, int i, int at_exit, uint64_t size,
		    bool cstr, bool hex)
{
	const struct scev_cap *k = cap_of(f, i, at_exit);
	if (!k || k->state != SCEV_CAP_OK || !k->data) {
		put_ptr(out, word(f, i));
		return;
	}
	size_t n = k->len;
	if (n > size)
		n = (size_t)size;
	if (cstr) { /* getcwd: the result counts the NUL */
		const unsigned char *nul = memchr(k->data, 0, n);
		if (nul)
			size = n = (size_t)(nul - k->data);
	}
	bool more = size > n || (k->cut && n == k->len);
	if (n > f->strsize && !cstr) { /* a path is never cut at -s */
		n = f->strsize;
		more = true;
	}
	quote_x(out, k->data, n, more, hex || want_hex(f, k->data, n));
}

/*
 * -y: "<path>" after fd (AT_FDCWD: -100, the directory): captured by the
 * backend when the call was made (src: the argument, SCCAP_FD_RESULT the
 * result, -1 none), else asked of the writer now.
 */
static void put_fd_path(struct wt_buf *out, const struct fmt *f, int fd, int src)
{
	if (!(fd >= 0 || fd == -100) || !f->o || !f->o->fd_paths)
		return;
	const struct scev_cap *k =
	    src < 0 ? NULL
		    : cap_of(f, SCCAP_FD | src, src == SCCAP_FD_RESULT || (src & SCCAP_FD_MEM));
	if (k) { /* an fd not open then (FAULT, NONE) has no path, as in strace */
		if (k->state == SCEV_CAP_OK && k->data && k->len) {
			char buf[4 * SCEV_CAP_MAX + 1];
			wt_buf_printf(out, "<%s>",
				      wt_escape_to(buf, sizeof(buf), (const char *)k->data, k->len, 0));
		}
		return;
	}
	if (f->o->fd_path) {
		char buf[4096];
		const char *p = f->o->fd_path(f->o->ctx, f->ev->pid, fd, buf, sizeof(buf));
		if (p)
			wt_buf_printf(out, "<%s>", p);
	}
}

static void put_fd(struct wt_buf *out, const struct fmt *f, int fd, int src)
{
	wt_buf_printf(out, "%d", fd);
	put_fd_path(out, f, fd, src);
}

static int64_t get_i64(const unsigned char *p, int size)
{
	if (size == 4) {
		int32_t v;
		memcpy(&v, p, 4);
		return v;
	}
	int64_t v;
	memcpy(&v, p, 8);
	return v;
}

static void put_ts(struct wt_buf *out, const struct fmt *f, int i, int at_exit, int w)
{
	put_time(out, f, i, at_exit, w, "tv_nsec");
}

static void put_time(struct wt_buf *out, const struct fmt *f, int i, int at_exit, int w,
		     const char *sub)
{
	const struct scev_cap *k = cap_ok(f, i, at_exit, (uint32_t)(2 * w));
	if (!k || (at_exit && f->failed)) {
		put_ptr(out, word(f, i));
		return;
	}
	wt_buf_printf(out, "{tv_sec=%lld, %s=%lld}", (long long)get_i64(k->data, w), sub,
		      (long long)get_i64(k->data + w, w));
}

static void put_sigset(struct wt_buf *out, const struct fmt *f, int i, int at_exit)
{
	const struct scev_cap *k = cap_ok(f, i, at_exit, 8);
	if (!k || (at_exit && f->failed)) {
		put_ptr(out, word(f, i));
		return;
	}
	uint64_t m;
	memcpy(&m, k->data, 8);
	put_mask(out, m);
}

static void put_mask(struct wt_buf *out, uint64_t m)
{
	if (__builtin_popcountll(m) >= 64 * 2 / 3) { /* strace shows the few missing */
		m = ~m;
		wt_buf_puts(out, "~");
	}
	const char *sep = "[";
	for (int s = 1; s <= 64; s++) {
		if (!(m >> (s - 1) & 1))
			continue;
		const char *n = sysdecode_signal_name(s);
		wt_buf_printf(out, "%s%s", sep, n ? n + 3 : "?");
		sep = " ";
	}
	wt_buf_puts(out, *sep == '[' ? "[]" : "]");
}

static void put_sigact(struct wt_buf *out, const struct fmt *f, int i, int at_exit)
{
	const int w = f->i386 ? 4 : 8;
	const struct scev_cap *k = cap_ok(f, i, at_exit, (uint32_t)(3 * w + 8));
	if (!k || (at_exit && f->failed)) {
		put_ptr(out, word(f, i));
		return;
	}
	uint64_t h = (uint64_t)get_i64(k->data, w), fl = (uint64_t)get_i64(k->data + w, w);
	uint64_t rest = (uint64_t)get_i64(k->data + 2 * w, w), m;
	if (w == 4)
		h = (uint32_t)h, fl = (uint32_t)fl, rest = (uint32_t)rest;
	memcpy(&m, k->data + 3 * w, 8);
	wt_buf_puts(out, "{sa_handler=");
	if (h == 0)
		wt_buf_puts(out, "SIG_DFL");
	else if (h == 1)
		wt_buf_puts(out, "SIG_IGN");
	else if (h == (w == 4 ? 0xffffffffu : ~0ull))
		wt_buf_puts(out, "SIG_ERR");
	else
		put_xnum(out, h);
	wt_buf_puts(out, ", sa_mask=");
	put_mask(out, m);
	wt_buf_puts(out, ", sa_flags=");
	sd_print_flags(out, X_SA, fl);
	if (fl & 0x04000000) { /* SA_RESTORER */
		wt_buf_puts(out, ", sa_restorer=");
		put_ptr(out, rest);
	}
	wt_buf_puts(out, "}");
}

/* struct pollfd[n]: events (at entry) or the entries with revents (at exit). */
static void put_pollfds(struct wt_buf *out, const struct fmt *f, int i, uint64_t n, int at_exit)
{
	const struct scev_cap *k = cap_ok(f, i, at_exit, 0);
	if (!k || (!at_exit && n > k->len / 8 && k->len < 64)) {
		put_ptr(out, word(f, i));
		return;
	}
	uint64_t have = k->len / 8 < n ? k->len / 8 : n;
	const char *sep = "[";
	for (uint64_t j = 0; j < have; j++) {
		int32_t fd;
		uint16_t ev[2];
		memcpy(&fd, k->data + 8 * j, 4);
		memcpy(ev, k->data + 8 * j + 4, 4);
		if (at_exit && !ev[1])
			continue;
		wt_buf_printf(out, "%s{fd=", sep);
		put_fd(out, f, fd, -1);
		wt_buf_puts(out, at_exit ? ", revents=" : ", events=");
		sd_print_flags(out, X_POLL, ev[at_exit]);
		wt_buf_puts(out, "}");
		sep = ", ";
	}
	if (have < n)
		wt_buf_printf(out, "%s...", sep);
	wt_buf_puts(out, *sep == '[' ? "[]" : "]");
}

static void put_fdset(struct wt_buf *out, const struct fmt *f, int i, int nfds)
{
	const struct scev_cap *k = cap_ok(f, i, 0, 0);
	if (!k || nfds < 0 || ((size_t)nfds + 7) / 8 > k->len) {
		put_ptr(out, word(f, i));
		return;
	}
	const char *sep = "[";
	for (int fd = 0; fd < nfds; fd++)
		if (k->data[fd / 8] >> (fd % 8) & 1) {
			wt_buf_printf(out, "%s%d", sep, fd);
			sep = " ";
		}
	wt_buf_puts(out, *sep == '[' ? "[]" : "]");
}

static void put_sa_bytes(struct wt_buf *out, const unsigned char *p, size_t n);

static void put_sockaddr(struct wt_buf *out, const struct fmt *f, int i, int at_exit, uint64_t len)
{
	const struct scev_cap *k = cap_ok(f, i, at_exit, 2);
	if (!k || (at_exit && f->failed)) {
		put_ptr(out, word(f, i));
		return;
	}
	put_sa_bytes(out, k->data, k->len < len ? k->len : (size_t)len);
}

/* A sockaddr of n (>= 2) bytes at p. */
static void put_sa_bytes(struct wt_buf *out, const unsigned char *p, size_t n)
{
	uint16_t fam;
	memcpy(&fam, p, 2);
	wt_buf_puts(out, "{sa_family=");
	sd_print_xval(out, X_AF, fam);
	if (fam == 2 && n >= 8) {
		uint16_t port;
		char a[INET_ADDRSTRLEN];
		memcpy(&port, p + 2, 2);
		inet_ntop(AF_INET, p + 4, a, sizeof(a));
		wt_buf_printf(out, ", sin_port=htons(%u), sin_addr=inet_addr(\"%s\")}", ntohs(port),
			      a);
	} else if (fam == 10 && n >= 24) {
		uint16_t port;
		uint32_t flow, scope = 0;
		char a[INET6_ADDRSTRLEN];
		memcpy(&port, p + 2, 2);
		memcpy(&flow, p + 4, 4);
		inet_ntop(AF_INET6, p + 8, a, sizeof(a));
		if (n >= 28)
			memcpy(&scope, p + 24, 4);
		wt_buf_printf(
		    out,
		    ", sin6_port=htons(%u), sin6_flowinfo=htonl(%u), inet_pton(AF_INET6, \"%s\", "
		    "&sin6_addr), sin6_scope_id=%u}",
		    ntohs(port), ntohl(flow), a, scope);
	} else if (fam == 1) {
		size_t plen = n > 2 ? n - 2 : 0;
		if (plen > 108)
			plen = 108;
		if (plen == 0) {
			wt_buf_puts(out, "}");
			return;
		}
		wt_buf_puts(out, ", sun_path=");
		const unsigned char *sp = p + 2;
		if (sp[0] == 0 && plen > 1) { /* abstract: @"name" */
			wt_buf_puts(out, "@");
			quote(out, sp + 1, plen - 1, false);
		} else {
			const unsigned char *nul = memchr(sp, 0, plen);
			quote(out, sp, nul ? (size_t)(nul - sp) : plen, false);
		}
		wt_buf_puts(out, "}");
	} else {
		wt_buf_puts(out, ", sa_data=");
		quote(out, p + 2, n > 2 ? n - 2 : 0, false);
		wt_buf_puts(out, "}");
	}
}

static void put_lenp(struct wt_buf *out, const struct fmt *f, int i)
{
	const struct scev_cap *in = cap_ok(f, i, 0, 4), *ou = cap_ok(f, i, 1, 4);
	int32_t a = 0, b = 0;
	if (in)
		memcpy(&a, in->data, 4);
	if (ou && !f->failed)
		memcpy(&b, ou->data, 4);
	else
		ou = NULL;
	if (in && ou && a != b)
		wt_buf_printf(out, "[%d => %d]", a, b);
	else if (in || ou)
		wt_buf_printf(out, "[%d]", ou ? b : a);
	else
		put_ptr(out, word(f, i));
}

static void put_mode(struct wt_buf *out, uint32_t mode)
{
	static const struct {
		uint32_t v;
		const char *n;
	} t[] = {{0140000, "S_IFSOCK"}, {0120000, "S_IFLNK"}, {0100000, "S_IFREG"},
		 {0060000, "S_IFBLK"},	{0040000, "S_IFDIR"}, {0020000, "S_IFCHR"},
		 {0010000, "S_IFIFO"}};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if ((mode & 0170000) == t[i].v) {
			wt_buf_printf(out, "%s|%#03o", t[i].n, mode & 07777);
			return;
		}
	wt_buf_printf(out, "%#03o", mode);
}

static void put_stat(struct wt_buf *out, const struct fmt *f, int i)
{
	/* x86_64 struct stat: mode at 24, rdev at 40, size at 48; i386 stat64: 16, 32, 44 */
	const int mo = f->i386 ? 16 : 24, ro = f->i386 ? 32 : 40, so = f->i386 ? 44 : 48;
	const struct scev_cap *k = cap_ok(f, i, 1, (uint32_t)so + 8);
	if (!k || f->failed) {
		put_ptr(out, word(f, i));
		return;
	}
	uint32_t mode;
	uint64_t rdev;
	int64_t size;
	memcpy(&mode, k->data + mo, 4);
	memcpy(&rdev, k->data + ro, 8);
	memcpy(&size, k->data + so, 8);
	wt_buf_puts(out, "{st_mode=");
	put_mode(out, mode);
	if ((mode & 0170000) == 0020000 || (mode & 0170000) == 0060000)
		wt_buf_printf(out, ", st_rdev=makedev(%#x, %#x), ...}", major(rdev), minor(rdev));
	else
		wt_buf_printf(out, ", st_size=%lld, ...}", (long long)size);
}

static void put_statx(struct wt_buf *out, const struct fmt *f, int i)
{
	const struct scev_cap *k = cap_ok(f, i, 1, 48);
	if (!k || f->failed) {
		put_ptr(out, word(f, i));
		return;
	}
	uint32_t mask;
	uint16_t mode;
	uint64_t attr, size;
	memcpy(&mask, k->data, 4);
	memcpy(&attr, k->data + 8, 8);
	memcpy(&mode, k->data + 28, 2);
	memcpy(&size, k->data + 40, 8);
	wt_buf_puts(out, "{stx_mask=");
	sd_print_flags(out, X_STATX, mask);
	wt_buf_printf(out, ", stx_attributes=%#llx, stx_mode=", (unsigned long long)attr);
	put_mode(out, mode);
	wt_buf_printf(out, ", stx_size=%llu, ...}", (unsigned long long)size);
}

static void put_rlim1(struct wt_buf *out, uint64_t v, int w)
{
	if (v == (w == 4 ? UINT32_MAX : UINT64_MAX))
		wt_buf_puts(out, w == 4 ? "RLIM_INFINITY" : "RLIM64_INFINITY");
	else if (v > 1024 && v % 1024 == 0)
		wt_buf_printf(out, "%llu*1024", (unsigned long long)(v / 1024));
	else
		wt_buf_printf(out, "%llu", (unsigned long long)v);
}

static void put_rlimit(struct wt_buf *out, const struct fmt *f, int i, int at_exit, int w)
{
	const struct scev_cap *k = cap_ok(f, i, at_exit, (uint32_t)(2 * w));
	if (!k || (at_exit && f->failed)) {
		put_ptr(out, word(f, i));
		return;
	}
	uint64_t cur = (uint64_t)get_i64(k->data, w), max = (uint64_t)get_i64(k->data + w, w);
	if (w == 4)
		cur = (uint32_t)cur, max = (uint32_t)max;
	wt_buf_puts(out, "{rlim_cur=");
	put_rlim1(out, cur, w);
	wt_buf_puts(out, ", rlim_max=");
	put_rlim1(out, max, w);
	wt_buf_puts(out, "}");
}

static void put_pipe(struct wt_buf *out, const struct fmt *f, int i)
{
	const struct scev_cap *k = cap_ok(f, i, 1, 8);
	if (!k || f->failed) {
		put_ptr(out, word(f, i));
		return;
	}
	int32_t fd[2];
	memcpy(fd, k->data, 8);
	wt_buf_puts(out, "[");
	put_fd(out, f, fd[0], SCCAP_FD_MEM | i);
	wt_buf_puts(out, ", ");
	put_fd(out, f, fd[1], SCCAP_FD_MEM | 1 << 3 | i);
	wt_buf_puts(out, "]");
}

static void put_wstatus(struct wt_buf *out, const struct fmt *f, int i)
{
	const struct scev_cap *k = cap_ok(f, i, 1, 4);
	if (!k || f->failed || f->ret == 0) {
		put_ptr(out, word(f, i));
		return;
	}
	int s;
	memcpy(&s, k->data, 4);
	if ((s & 0x7f) == 0) {
		wt_buf_printf(out, "[{WIFEXITED(s) && WEXITSTATUS(s) == %d}]", (s >> 8) & 0xff);
	} else if ((s & 0xff) == 0x7f) {
		wt_buf_puts(out, "[{WIFSTOPPED(s) && WSTOPSIG(s) == ");
		sd_print_signal(out, (s >> 8) & 0xff);
		wt_buf_puts(out, "}]");
	} else if (s == 0xffff) {
		wt_buf_puts(out, "[{WIFCONTINUED(s)}]");
	} else {
		wt_buf_puts(out, "[{WIFSIGNALED(s) && WTERMSIG(s) == ");
		sd_print_signal(out, s & 0x7f);
		wt_buf_puts(out, s & 0x80 ? " && WCOREDUMP(s)}]" : "}]");
	}
}

static void put_epev(struct wt_buf *out, const struct fmt *f, int i)
{
	const struct scev_cap *k = cap_ok(f, i, 0, 12);
	if (!k) {
		put_ptr(out, word(f, i));
		return;
	}
	uint32_t ev;
	uint64_t data;
	memcpy(&ev, k->data, 4);
	memcpy(&data, k->data + 4, 8);
	wt_buf_puts(out, "{events=");
	sd_print_flags(out, X_EPOLLEV, ev);
	wt_buf_printf(out, ", data={u32=%u, u64=%llu}}", (uint32_t)data, (unsigned long long)data);
}

/* ioctl's argument: FIONREAD's int out ([6]); other commands' stay addresses. */
static void put_ioctlarg(struct wt_buf *out, const struct fmt *f, int i, uint64_t cmd)
{
	const struct scev_cap *k = cap_ok(f, i, 1, 4);
	if ((uint32_t)cmd == 0x541b && k && !f->failed) { /* FIONREAD */
		int32_t n;
		memcpy(&n, k->data, 4);
		wt_buf_printf(out, "[%d]", n);
		return;
	}
	/* a request strace cannot decode: its argument as a number (0, not NULL) */
	if (!sd_xval_name(X_IOCTL, (uint32_t)cmd)) {
		put_xnum(out, word(f, i));
		return;
	}
	put_ptr(out, word(f, i));
}

/* struct utsname, as strace without -v: the first two of its 65-byte strings. */
static void put_utsname(struct wt_buf *out, const struct fmt *f, int i)
{
	const struct scev_cap *k = cap_ok(f, i, 1, 130);
	if (!k || f->failed) {
		put_ptr(out, word(f, i));
		return;
	}
	static const char *const field[] = {"sysname", "nodename"};
	wt_buf_puts(out, "{");
	for (int j = 0; j < 2; j++) {
		const unsigned char *p = k->data + 65 * j, *nul = memchr(p, 0, 65);
		wt_buf_printf(out, "%s=", field[j]);
		quote(out, p, nul ? (size_t)(nul - p) : 65, !nul);
		wt_buf_puts(out, ", ");
	}
	wt_buf_puts(out, "...}");
}

/* execve's argv: ["ls", "-l"]; at most -s strings, then "..." as strace. */
static void put_argv(struct wt_buf *out, const struct fmt *f, int i)
{
	const struct scev_cap *k = cap_ok(f, i, 0, 0);
	if (!k) {
		put_ptr(out, word(f, i));
		return;
	}
	const unsigned char *p = k->data, *end = k->data + k->len;
	unsigned n = 0;
	wt_buf_puts(out, "[");
	while (p < end) {
		const unsigned char *nul = memchr(p, 0, (size_t)(end - p));
		if (!nul)
			break;
		if (n)
			wt_buf_puts(out, ", ");
		if (n >= f->strsize) {
			wt_buf_puts(out, "...");
			wt_buf_puts(out, "]");
			return;
		}
		size_t len = (size_t)(nul - p);
		bool more = len > f->strsize;
		if (more)
			len = f->strsize;
		quote_x(out, p, len, more, want_hex(f, p, len));
		n++;
		p = nul + 1;
	}
	if (k->cut)
		wt_buf_puts(out, n ? ", ..." : "...");
	wt_buf_puts(out, "]");
}

/*
 * struct iovec[n]: [{iov_base="data", iov_len=5}, ...], at most -s elements;
 * readv's are filled up to the result (left: bytes not yet accounted), and
 * shown as addresses when it failed, as strace does.
 */
static void put_iov_upto(struct wt_buf *out, const struct fmt *f, const unsigned char *p,
			 const unsigned char *end, uint64_t left, bool failed, uint64_t n);

static void put_iov(struct wt_buf *out, const struct fmt *f, int i, int at_exit, uint64_t n)
{
	const struct scev_cap *k = cap_ok(f, i, at_exit, 0);
	if (!k || n == 0) {
		if (k && n == 0)
			wt_buf_puts(out, "[]");
		else
			put_ptr(out, word(f, i));
		return;
	}
	put_iov_upto(out, f, k->data, k->data + k->len, at_exit ? (uint64_t)f->ret : UINT64_MAX,
		     f->failed, n);
}

/* n iovecs in SCCAP_IOV's layout from p to end, their bytes shown up to left
 * in all (the data a call received), their bases when the call failed. */
static void put_iov_upto(struct wt_buf *out, const struct fmt *f, const unsigned char *p,
			 const unsigned char *end, uint64_t left, bool failed, uint64_t n)
{
	if (n == 0) {
		wt_buf_puts(out, "[]");
		return;
	}
	int at_exit = left != UINT64_MAX;
	uint64_t shown = 0;
	wt_buf_puts(out, "[");
	for (; shown < n && shown < f->strsize && end - p >= SCCAP_IOV_HEAD; shown++) {
		if (shown)
			wt_buf_puts(out, ", ");
		uint64_t base, len;
		uint32_t got;
		memcpy(&base, p, 8);
		memcpy(&len, p + 8, 8);
		memcpy(&got, p + 16, 4);
		p += SCCAP_IOV_HEAD;
		if (got > (size_t)(end - p))
			got = (uint32_t)(end - p);
		wt_buf_puts(out, "{iov_base=");
		if (failed) {
			put_ptr(out, base);
		} else {
			uint64_t want = len < left ? len : left;
			if (at_exit)
				left -= want;
			size_t m = got < want ? got : (size_t)want;
			bool more = want > m;
			if (m > f->strsize) {
				m = f->strsize;
				more = true;
			}
			quote_x(out, p, m, more, want_hex(f, p, m));
		}
		p += got;
		wt_buf_printf(out, ", iov_len=%llu}", (unsigned long long)len);
	}
	if (shown < n) /* past -s elements, or past what was copied */
		wt_buf_puts(out, shown ? ", ..." : "...");
	wt_buf_puts(out, "]");
}

/* getdents's buffer, as strace without -v: its address and how many records came. */
static void put_dents(struct wt_buf *out, const struct fmt *f, int i)
{
	const struct scev_cap *k = cap_ok(f, i, 1, 4);
	put_ptr(out, word(f, i));
	if (!k || f->failed)
		return;
	uint32_t n;
	memcpy(&n, k->data, 4);
	wt_buf_printf(out, " /* %u entr%s%s */", n, n == 1 ? "y" : "ies", k->cut ? " or more" : "");
}

/* msg_control: the cmsghdrs of n bytes at p (native header: a size_t and two ints). */
static void put_cmsgs(struct wt_buf *out, const struct fmt *f, const unsigned char *p, size_t n,
		      uint64_t total)
{
	size_t hd = f->i386 ? 12 : 16, al = f->i386 ? 4 : 8, off = 0;
	wt_buf_puts(out, "[");
	while (off + hd <= n) {
		uint64_t len = 0;
		int32_t lv, ty;
		memcpy(&len, p + off, f->i386 ? 4 : 8);
		memcpy(&lv, p + off + hd - 8, 4);
		memcpy(&ty, p + off + hd - 4, 4);
		if (off)
			wt_buf_puts(out, ", ");
		wt_buf_printf(out, "{cmsg_len=%llu, cmsg_level=", (unsigned long long)len);
		sd_print_xval(out, X_SOL, (uint32_t)lv);
		const unsigned char *d = p + off + hd;
		size_t dn = len > hd ? (size_t)(len - hd) : 0;
		if (dn > n - off - hd)
			dn = n - off - hd;
		if (lv == 1 && ty == 1) { /* SOL_SOCKET, SCM_RIGHTS: fds */
			wt_buf_puts(out, ", cmsg_type=SCM_RIGHTS, cmsg_data=[");
			for (size_t j = 0; j + 4 <= dn; j += 4) {
				int32_t fd;
				memcpy(&fd, d + j, 4);
				wt_buf_printf(out, "%s%d", j ? ", " : "", fd);
			}
			wt_buf_puts(out, "]}");
		} else if (lv == 1 && ty == 2 && dn >= 12) { /* SCM_CREDENTIALS */
			uint32_t c[3];
			memcpy(c, d, 12);
			wt_buf_printf(out,
				      ", cmsg_type=SCM_CREDENTIALS, cmsg_data={pid=%u, uid=%u, "
				      "gid=%u}}",
				      c[0], c[1], c[2]);
		} else {
			wt_buf_printf(out, ", cmsg_type=%#x, cmsg_data=", (unsigned)ty);
			quote_x(out, d, dn, false, true);
			wt_buf_puts(out, "}");
		}
		/* a length past the bytes we hold ends the walk (and cannot wrap off) */
		if (len < hd || len > n - off)
			break;
		off += (size_t)((len + al - 1) / al * al);
	}
	if (n < total && off < total)
		wt_buf_puts(out, off ? ", ..." : "...");
	wt_buf_puts(out, "]");
}

/*
 * struct msghdr, as strace: {msg_name=..., msg_namelen=16, msg_iov=[...],
 * msg_iovlen=1, msg_control=[...], msg_controllen=24, msg_flags=0};
 * recvmsg's at exit (msg_namelen=110 => 16 when the kernel changed it,
 * {msg_namelen=110} alone when the call failed).
 */
static void put_msghdr_data(struct wt_buf *out, const struct fmt *f, const unsigned char *d,
			    uint32_t len, int64_t namelen_in, uint64_t left, bool failed);

static void put_msghdr(struct wt_buf *out, const struct fmt *f, int i, int at_exit)
{
	const struct scev_cap *in = at_exit ? cap_ok(f, i, 0, f->i386 ? 8 : 12) : NULL;
	int64_t namelen_in = -1;
	if (in) {
		int32_t v;
		memcpy(&v, in->data + (f->i386 ? 4 : 8), 4);
		namelen_in = v;
	}
	if (at_exit && f->failed) {
		if (in)
			wt_buf_printf(out, "{msg_namelen=%lld}", (long long)namelen_in);
		else
			put_ptr(out, word(f, i));
		return;
	}
	const struct scev_cap *k = cap_ok(f, i, at_exit, SCCAP_MSGHDR_HEAD + 8);
	if (!k) {
		put_ptr(out, word(f, i));
		return;
	}
	put_msghdr_data(out, f, k->data, k->len, namelen_in,
			at_exit ? (uint64_t)f->ret : UINT64_MAX, f->failed);
}

/* One msghdr in SCCAP_MSGHDR's layout (len bytes at d, at least its head and
 * name length); namelen_in: msg_namelen before the call (-1: unknown); left
 * and failed: its iovecs' as put_iov_upto's. */
static void put_msghdr_data(struct wt_buf *out, const struct fmt *f, const unsigned char *d,
			    uint32_t len, int64_t namelen_in, uint64_t left, bool failed)
{
	uint64_t h[7];
	memcpy(h, d, sizeof(h));
	const unsigned char *p = d + SCCAP_MSGHDR_HEAD, *end = d + len;
	uint32_t nn, cn;
	memcpy(&nn, p, 4);
	if (nn > (size_t)(end - p - 4))
		nn = (uint32_t)(end - p - 4);
	const unsigned char *name = p + 4;
	p = name + nn;
	cn = 0;
	if (end - p >= 4) {
		memcpy(&cn, p, 4);
		p += 4;
		if (cn > (size_t)(end - p))
			cn = (uint32_t)(end - p);
	}
	const unsigned char *ctl = p;
	p += cn;
	uint32_t namelen = (uint32_t)h[1];
	wt_buf_puts(out, "{msg_name=");
	if (!h[0])
		wt_buf_puts(out, "NULL");
	else if (namelen == 0 || nn < 2)
		put_ptr(out, h[0]);
	else
		put_sa_bytes(out, name, nn);
	wt_buf_puts(out, ", msg_namelen=");
	if (namelen_in >= 0 && (uint32_t)namelen_in != namelen)
		wt_buf_printf(out, "%d => ", (int)namelen_in);
	wt_buf_printf(out, "%d, msg_iov=", (int)namelen);
	if (!h[2])
		wt_buf_puts(out, "NULL");
	else
		put_iov_upto(out, f, p, end, left, failed, h[3]);
	wt_buf_printf(out, ", msg_iovlen=%llu", (unsigned long long)h[3]);
	if (h[5]) {
		wt_buf_puts(out, ", msg_control=");
		if (!h[4])
			wt_buf_puts(out, "NULL");
		else
			put_cmsgs(out, f, ctl, cn, h[5]);
	}
	wt_buf_printf(out, ", msg_controllen=%llu, msg_flags=", (unsigned long long)h[5]);
	sd_print_flags(out, X_MSG, (uint32_t)h[6]);
	wt_buf_puts(out, "}");
}

/*
 * sendmmsg's and recvmmsg's struct mmsghdr[], at exit as strace prints them:
 * [{msg_hdr={...}, msg_len=3}, ...]. sendmmsg: vlen elements, their data
 * whole, msg_len for the first (result) ones, shown even when the call
 * failed; recvmmsg: the result's count, each element's iovecs filled up to
 * its msg_len, msg_namelen from entry (110 => 0), the address when it failed.
 * At most -s elements, then "..." (also where the copy ended).
 */
static void put_mmsg(struct wt_buf *out, const struct fmt *f, int i, int recv, int count_arg)
{
	if (recv && f->failed) {
		put_ptr(out, word(f, i));
		return;
	}
	uint64_t n = recv ? (uint64_t)f->ret : (uint32_t)word(f, count_arg);
	uint64_t with_len = recv ? n : f->failed ? 0 : (uint64_t)f->ret;
	const struct scev_cap *k = cap_ok(f, i, 1, 0);
	if (!word(f, i) || !k) {
		put_ptr(out, word(f, i));
		return;
	}
	if (n == 0) {
		wt_buf_puts(out, "[]");
		return;
	}
	const struct scev_cap *in = recv ? cap_ok(f, i, 0, 0) : NULL;
	const unsigned char *p = k->data, *end = k->data + k->len;
	const unsigned char *ip = in ? in->data : NULL, *iend = in ? in->data + in->len : NULL;
	wt_buf_puts(out, "[");
	for (uint64_t j = 0; j < n; j++) {
		if (j)
			wt_buf_puts(out, ", ");
		uint32_t el, ml;
		if (j >= f->strsize || end - p < SCCAP_MMSGHDR_HEAD) {
			wt_buf_puts(out, "...");
			break;
		}
		memcpy(&el, p, 4);
		memcpy(&ml, p + 4, 4);
		p += SCCAP_MMSGHDR_HEAD;
		if (el > (size_t)(end - p))
			el = (uint32_t)(end - p);
		int64_t namelen_in = -1;
		if (ip && iend - ip >= SCCAP_MMSGHDR_HEAD) {
			uint32_t iel, v;
			memcpy(&iel, ip, 4);
			if (iel >= 16 && iel <= (size_t)(iend - ip - SCCAP_MMSGHDR_HEAD)) {
				memcpy(&v, ip + SCCAP_MMSGHDR_HEAD + 8, 4); /* h[1]'s low half */
				namelen_in = (int32_t)v;
				ip += SCCAP_MMSGHDR_HEAD + iel;
			} else {
				ip = iend;
			}
		}
		wt_buf_puts(out, "{msg_hdr=");
		if (el < SCCAP_MSGHDR_HEAD + 4)
			wt_buf_puts(out, "...");
		else
			put_msghdr_data(out, f, p, el, namelen_in, recv ? ml : UINT64_MAX, false);
		p += el;
		if (j < with_len)
			wt_buf_printf(out, ", msg_len=%u", ml);
		wt_buf_puts(out, "}");
	}
	wt_buf_puts(out, "]");
}

/* semop's struct sembuf[n]: [{sem_num=0, sem_op=1, sem_flg=IPC_NOWAIT}], -s of them. */
static void put_sembuf(struct wt_buf *out, const struct fmt *f, int i, uint64_t n)
{
	const struct scev_cap *k = cap_ok(f, i, 0, 6);
	if (!k || n == 0) {
		if (word(f, i) && n == 0)
			wt_buf_puts(out, "[]");
		else
			put_ptr(out, word(f, i));
		return;
	}
	wt_buf_puts(out, "[");
	for (uint64_t j = 0; j < n; j++) {
		if (j)
			wt_buf_puts(out, ", ");
		if (j >= f->strsize || (j + 1) * 6 > k->len) {
			wt_buf_puts(out, "...");
			break;
		}
		uint16_t num;
		int16_t op, flg;
		memcpy(&num, k->data + 6 * j, 2);
		memcpy(&op, k->data + 6 * j + 2, 2);
		memcpy(&flg, k->data + 6 * j + 4, 2);
		wt_buf_printf(out, "{sem_num=%u, sem_op=%d, sem_flg=", num, op);
		sd_print_flags(out, X_SEMOP, (uint16_t)flg);
		wt_buf_puts(out, "}");
	}
	wt_buf_puts(out, "]");
}

/* msgsnd's and msgrcv's buffer: {mtype=1, mtext="hi"}, count bytes of text (-s). */
static void put_msgbuf(struct wt_buf *out, const struct fmt *f, int i, int at_exit, uint64_t count)
{
	unsigned w = f->i386 ? 4 : 8;
	const struct scev_cap *k = cap_ok(f, i, at_exit, w);
	if (!k) {
		put_ptr(out, word(f, i));
		return;
	}
	int64_t type = get_i64(k->data, (int)w);
	size_t have = k->len - w, m = count < f->strsize ? (size_t)count : f->strsize;
	bool more = count > m;
	if (have < m) {
		m = have;
		more = true;
	}
	wt_buf_printf(out, "{mtype=%lld, mtext=", (long long)type);
	quote_x(out, k->data + w, m, more, want_hex(f, k->data + w, m));
	wt_buf_puts(out, "}");
}

/* envp, as strace without -v: its address and how many strings. */
static void put_envc(struct wt_buf *out, const struct fmt *f, int i)
{
	const struct scev_cap *k = cap_ok(f, i, 0, 4);
	put_ptr(out, word(f, i));
	if (!k)
		return;
	uint32_t n;
	memcpy(&n, k->data, 4);
	wt_buf_printf(out, " /* %u var%s%s */", n, n == 1 ? "" : "s", k->cut ? " or more" : "");
}

/* rt_sigreturn: the mask it restores, from the frame at the stack pointer. */
static void put_sigframe(struct wt_buf *out, const struct fmt *f, int i)
{
	const struct scev_cap *k = cap_ok(f, i, 0, 8);
	if (!k)
		return; /* the backend could not read it: rt_sigreturn() */
	uint64_t m;
	memcpy(&m, k->data, 8);
	wt_buf_puts(out, "{mask=");
	put_mask(out, m);
	wt_buf_puts(out, "}");
}

/* The access mode is a value in the low two bits, the rest flags. */
static void put_openfl(struct wt_buf *out, uint64_t v)
{
	static const char *const acc[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
	wt_buf_puts(out, acc[v & 3]);
	if (v & ~(uint64_t)3) {
		wt_buf_puts(out, "|");
		sd_print_flags(out, X_OPEN, v & ~(uint64_t)3);
	}
}

static void put_sockflags(struct wt_buf *out, uint64_t v)
{
	static const char *const types[] = {
	    [1] = "SOCK_STREAM",    [2] = "SOCK_DGRAM", [3] = "SOCK_RAW",    [4] = "SOCK_RDM",
	    [5] = "SOCK_SEQPACKET", [6] = "SOCK_DCCP",	[10] = "SOCK_PACKET"};
	unsigned t = v & 0xf;
	if (t < sizeof(types) / sizeof(types[0]) && types[t])
		wt_buf_puts(out, types[t]);
	else
		wt_buf_printf(out, "%#x /* SOCK_??? */", t);
	v &= ~(uint64_t)0xf;
	if (v) {
		wt_buf_puts(out, "|");
		sd_print_flags(out, X_SOCKFL, v);
	}
}

static void put_access(struct wt_buf *out, uint64_t v)
{
	if (v == 0) {
		wt_buf_puts(out, "F_OK");
		return;
	}
	const char *sep = "";
	static const struct {
		unsigned b;
		const char *n;
	} t[] = {{4, "R_OK"}, {2, "W_OK"}, {1, "X_OK"}};
	for (int i = 0; i < 3; i++)
		if (v & t[i].b) {
			wt_buf_printf(out, "%s%s", sep, t[i].n);
			sep = "|";
			v &= ~(uint64_t)t[i].b;
		}
	if (v)
		wt_buf_printf(out, "%s%#llx", sep, (unsigned long long)v);
}

static void put_futexop(struct wt_buf *out, uint64_t v)
{
	static const char *const ops[] = {
	    "FUTEX_WAIT",	    "FUTEX_WAKE",	 "FUTEX_FD",
	    "FUTEX_REQUEUE",	    "FUTEX_CMP_REQUEUE", "FUTEX_WAKE_OP",
	    "FUTEX_LOCK_PI",	    "FUTEX_UNLOCK_PI",	 "FUTEX_TRYLOCK_PI",
	    "FUTEX_WAIT_BITSET",    "FUTEX_WAKE_BITSET", "FUTEX_WAIT_REQUEUE_PI",
	    "FUTEX_CMP_REQUEUE_PI", "FUTEX_LOCK_PI2",
	};
	unsigned cmd = (unsigned)v & ~(128u | 256u);
	if (cmd >= sizeof(ops) / sizeof(ops[0]) || (v >> 32)) {
		wt_buf_printf(out, "%#llx /* FUTEX_??? */", (unsigned long long)v);
		return;
	}
	wt_buf_printf(out, "%s%s%s", ops[cmd], v & 128 ? "_PRIVATE" : "",
		      v & 256 ? "|FUTEX_CLOCK_REALTIME" : "");
}

/* How many of futex's arguments strace shows for its operation. */
static int futex_nargs(uint64_t op)
{
	switch (op & ~(128u | 256u)) {
	case 0: /* WAIT */
		return 4;
	case 1: /* WAKE */
	case 7: /* UNLOCK_PI */
	case 8: /* TRYLOCK_PI */
		return 3;
	case 9:	 /* WAIT_BITSET */
	case 10: /* WAKE_BITSET */
		return 6;
	default:
		return 6;
	}
}

/* Whether argument i is shown at all (open's mode without O_CREAT is not). */
static bool shown(const struct fmt *f, int i)
{
	uint16_t a = f->c->arg[i];
	switch (SD_KIND(a)) {
	case K_SKIP:
		return false;
	case K_OPENMODE:
		return (f->ev->arg[SD_PARAM(a) % 6] & (0100 | 020000000)) != 0;
	case K_FCNTLARG:
		switch (f->ev->arg[SD_PARAM(a) % 6] & 0xffffffffu) {
		case 1:
		case 3:
		case 9:
		case 11:
		case 1025:
		case 1032:
		case 1034:
			return false; /* F_GETFD, F_GETFL, F_GETOWN, F_GETSIG, F_GETLEASE, ... */
		default:
			return true;
		}
	default:
		break;
	}
	/* futex's 5th argument (uaddr2) is left out of the bitset operations */
	if (SD_KIND(f->c->arg[1]) == K_FUTEXOP && i == 4) {
		unsigned cmd = (unsigned)f->ev->arg[1] & ~(128u | 256u);
		return cmd != 9 && cmd != 10;
	}
	return true;
}

static void put_arg(struct wt_buf *out, const struct fmt *f, int i)
{
	uint16_t a = f->c->arg[i];
	uint64_t v = word(f, i);
	unsigned p = SD_PARAM(a);
	if (SD_KIND(f->c->arg[1]) == K_FUTEXOP && i == 5 && (uint32_t)v == FUTEX_BITSET_MATCH_ANY) {
		wt_buf_puts(out, "FUTEX_BITSET_MATCH_ANY");
		return;
	}
	switch (SD_KIND(a)) {
	case K_HEX:
		put_ptr(out, v);
		break;
	case K_XNUM:
		put_xnum(out, v);
		break;
	case K_PGOFF:
		put_xnum(out, v * 4096);
		break;
	case K_INT:
		wt_buf_printf(out, "%d", (int32_t)v);
		break;
	case K_UINT:
		wt_buf_printf(out, "%u", (uint32_t)v);
		break;
	case K_LONG:
		wt_buf_printf(out, "%lld", f->i386 ? (long long)(int32_t)v : (long long)(int64_t)v);
		break;
	case K_ULONG:
		wt_buf_printf(out, "%llu", (unsigned long long)v);
		break;
	case K_OCT:
	case K_OPENMODE:
		wt_buf_printf(out, "%#03llo", (unsigned long long)(v & 0xffffffffu));
		break;
	case K_FD:
		put_fd(out, f, (int32_t)v, i);
		break;
	case K_DIRFD:
		if ((int32_t)v == -100) {
			wt_buf_puts(out, "AT_FDCWD");
			put_fd_path(out, f, -100, i); /* -y: AT_FDCWD</its/cwd>, as strace */
		} else
			put_fd(out, f, (int32_t)v, i);
		break;
	case K_PATH:
		put_cstr(out, f, i, SCEV_CAP_MAX);
		break;
	case K_STR:
		put_cstr(out, f, i, f->strsize);
		break;
	case K_IBUF:
		put_buf(out, f, i, 0, word(f, (int)(p % 6)), false, false);
		break;
	case K_OBUF:
	case K_OSTR:
	case K_OBUFX:
		if (f->failed)
			put_ptr(out, v);
		else if (f->ret == 0 && v) /* nothing came: no memory to read */
			wt_buf_puts(out, "\"\"");
		else
			put_buf(out, f, i, 1, (uint64_t)f->ret, SD_KIND(a) == K_OSTR,
				SD_KIND(a) == K_OBUFX);
		break;
	case K_FLAGS:
		sd_print_flags(out, (enum sd_xlat)(p % X_NXLAT), v);
		break;
	case K_OPENFL:
		put_openfl(out, v);
		break;
	case K_XVAL:
		sd_print_xval(out, (enum sd_xlat)(p % X_NXLAT), v);
		break;
	case K_SIG:
		sd_print_signal(out, (int32_t)v);
		break;
	case K_SOCKTYPE:
		put_sockflags(out, v);
		break;
	case K_SOCKPROTO: {
		uint64_t fam = word(f, (int)(p % 6));
		if (fam == 2 || fam == 10)
			sd_print_xval(out, X_IPPROTO, v);
		else
			wt_buf_printf(out, "%d", (int32_t)v);
		break;
	}
	case K_TS_IN:
		put_ts(out, f, i, 0, f->i386 ? 4 : 8);
		break;
	case K_TS_INOUT:
		put_ts(out, f, i, 0, f->tw);
		break;
	case K_POLLFD:
		put_pollfds(out, f, i, word(f, (int)(p % 6)), 0);
		break;
	case K_FUTEXTMO:
		switch ((unsigned)f->ev->arg[1] & ~(128u | 256u)) {
		case 0:
		case 6:
		case 9:
		case 11:
		case 13: /* WAIT, LOCK_PI, WAIT_BITSET, ... */
			put_ts(out, f, i, 0, f->tw);
			break;
		default:
			wt_buf_printf(out, "%u", (uint32_t)v);
		}
		break;
	case K_TS_OUT:
		put_ts(out, f, i, 1, f->i386 ? 4 : 8);
		break;
	case K_TS64_IN:
		put_ts(out, f, i, 0, 8);
		break;
	case K_TS64_OUT:
		put_ts(out, f, i, 1, 8);
		break;
	case K_SA_IN:
		put_sockaddr(out, f, i, 0, word(f, (int)(p % 6)));
		break;
	case K_SA_OUT: {
		const struct scev_cap *l = cap_ok(f, (int)(p % 6), 1, 4);
		uint32_t len = 128;
		if (l)
			memcpy(&len, l->data, 4);
		put_sockaddr(out, f, i, 1, len);
		break;
	}
	case K_LENP:
		put_lenp(out, f, i);
		break;
	case K_STAT:
		put_stat(out, f, i);
		break;
	case K_PIPE:
		put_pipe(out, f, i);
		break;
	case K_SIGSET_IN:
		put_sigset(out, f, i, 0);
		break;
	case K_SIGSET_OUT:
		put_sigset(out, f, i, 1);
		break;
	case K_WSTATUS:
		put_wstatus(out, f, i);
		break;
	case K_EPEV_IN:
		put_epev(out, f, i);
		break;
	case K_FCNTLARG:
		switch (word(f, (int)(p % 6))) {
		case 2: /* F_SETFD */
			sd_print_flags(out, X_FDFLAGS, v);
			break;
		case 4: /* F_SETFL */
			put_openfl(out, v);
			break;
		case 5:
		case 6:
		case 7:
		case 12:
		case 13:
		case 14:
		case 15:
		case 16:
		case 36:
		case 37:
		case 38:
			put_ptr(out, v); /* struct flock / f_owner_ex */
			break;
		default:
			wt_buf_printf(out, "%d", (int32_t)v);
		}
		break;
	case K_CLONEFL: /* clone's inputs, named, in strace's order */
		wt_buf_puts(out, "child_stack=");
		put_ptr(out, word(f, 1));
		wt_buf_puts(out, ", flags=");
		sd_print_flags(out, X_CLONE, v & ~(uint64_t)0xff);
		if (v & 0xff) {
			if (v & ~(uint64_t)0xff)
				wt_buf_puts(out, "|");
			sd_print_signal(out, (int)(v & 0xff));
		}
		break;
	case K_CLONETAIL: { /* its outputs, printed by strace when the call returns */
		uint64_t fl = word(f, 0);
		if (fl & 0x100000) { /* CLONE_PARENT_SETTID */
			wt_buf_puts(out, ", parent_tid=");
			put_ptr(out, word(f, 2));
		}
		if (fl & 0x1200000) { /* CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID */
			wt_buf_puts(out, ", child_tidptr=");
			put_ptr(out, word(f, f->i386 ? 4 : 3));
		}
		if (fl & 0x80000) { /* CLONE_SETTLS */
			wt_buf_puts(out, ", tls=");
			put_ptr(out, word(f, f->i386 ? 3 : 4));
		}
		break;
	}
	case K_FUTEXOP:
		put_futexop(out, v);
		break;
	case K_ACCESS:
		put_access(out, v);
		break;
	case K_TV_IN:
		put_time(out, f, i, 0, f->i386 ? 4 : 8, "tv_usec");
		break;
	case K_TV_OUT:
		put_time(out, f, i, 1, f->i386 ? 4 : 8, "tv_usec");
		break;
	case K_SIGACT_IN:
		put_sigact(out, f, i, 0);
		break;
	case K_SIGACT_OUT:
		put_sigact(out, f, i, 1);
		break;
	case K_FDSET_IN:
		put_fdset(out, f, i, (int32_t)word(f, (int)(p % 6)));
		break;
	case K_STATXFL: { /* the sync type is a value in 0x6000 */
		static const char *const sync[] = {"AT_STATX_SYNC_AS_STAT", "AT_STATX_FORCE_SYNC",
						   "AT_STATX_DONT_SYNC", "AT_STATX_SYNC_TYPE"};
		wt_buf_puts(out, sync[(v >> 13) & 3]);
		if (v & ~(uint64_t)0x6000) {
			wt_buf_puts(out, "|");
			sd_print_flags(out, X_AT, v & ~(uint64_t)0x6000);
		}
		break;
	}
	case K_STATX:
		put_statx(out, f, i);
		break;
	case K_RLIM_IN:
	case K_RLIM_OUT:
		put_rlimit(out, f, i, SD_KIND(a) == K_RLIM_OUT, (f->i386 && !p) ? 4 : 8);
		break;
	case K_IOCTLARG:
		put_ioctlarg(out, f, i, word(f, (int)(p % 6)));
		break;
	case K_UTSNAME:
		put_utsname(out, f, i);
		break;
	case K_SIGFRAME:
		put_sigframe(out, f, i);
		break;
	case K_ARGV:
		put_argv(out, f, i);
		break;
	case K_ENVC:
		put_envc(out, f, i);
		break;
	case K_IOV_IN:
	case K_IOV_OUT:
		put_iov(out, f, i, SD_KIND(a) == K_IOV_OUT, (uint32_t)word(f, (int)(p % 6)));
		break;
	case K_DENTS:
		put_dents(out, f, i);
		break;
	case K_MSGHDR_IN:
	case K_MSGHDR_OUT:
		put_msghdr(out, f, i, SD_KIND(a) == K_MSGHDR_OUT);
		break;
	case K_MMSG_SEND:
	case K_MMSG_RECV:
		put_mmsg(out, f, i, SD_KIND(a) == K_MMSG_RECV, (int)(p % 6));
		break;
	case K_LL:
		wt_buf_printf(out, "%lld",
			      (long long)((uint32_t)f->ev->arg[i] |
					  (i < 5 ? (uint64_t)f->ev->arg[i + 1] << 32 : 0)));
		break;
	case K_SOCKARGS: /* socketcall whose arguments could not be read: raw */
		put_ptr(out, v);
		break;
	case K_IPCKEY:
		if ((uint32_t)v == 0)
			wt_buf_puts(out, "IPC_PRIVATE");
		else
			wt_buf_printf(out, "%#x", (uint32_t)v);
		break;
	case K_IPCFLAGS: /* strace: the flags, then the mode in octal (000 for none) */
		if ((uint32_t)v & ~0777u) {
			sd_print_flags(out, (enum sd_xlat)(p % X_NXLAT), (uint32_t)v & ~0777u);
			wt_buf_puts(out, "|");
		}
		wt_buf_printf(out, "%#03o", (unsigned)v & 0777u);
		break;
	case K_IPCCMD: /* strace's PRINTCTL */
		if ((uint32_t)v & 0x100)
			wt_buf_puts(out, "IPC_64|");
		sd_print_xval(out, (enum sd_xlat)(p % X_NXLAT), (uint32_t)v & ~0x100u);
		break;
	case K_IPCTHIRD:
		put_xnum(out, v);
		break;
	case K_SEMBUF:
		put_sembuf(out, f, i, (uint32_t)word(f, (int)(p % 6)));
		break;
	case K_MSGBUF_IN:
	case K_MSGBUF_OUT:
		put_msgbuf(out, f, i, SD_KIND(a) == K_MSGBUF_OUT, word(f, (int)(p % 6)));
		break;
	case K_SKIP:
	case K_NKINDS:
		break;
	}
}

static void put_result(struct wt_buf *out, const struct fmt *f)
{
	const struct scev *ev = f->ev;
	int64_t r = f->ret;
	if (f->c && f->c->ret == R_NONE) {
		wt_buf_puts(out, " = ?");
		return;
	}
	if (f->failed) {
		int e = (int)-r;
		static const char *const restart[] = {
		    "To be restarted if SA_RESTART is set",
		    "To be restarted",
		    "To be restarted if no handler",
		    NULL,
		    "Interrupted by signal",
		};
		const char *n = sysdecode_errno_name(e);
		if (e >= 512 && e <= 516 && restart[e - 512]) {
			wt_buf_printf(out, " = ? %s (%s)", n, restart[e - 512]);
			return;
		}
		char tx[64];
		if (n)
			wt_buf_printf(out, " = -1 %s (%s)", n, strerror_r(e, tx, sizeof(tx)));
		else
			wt_buf_printf(out, " = -1 E%d (%s)", e, strerror_r(e, tx, sizeof(tx)));
		return;
	}
	switch (f->c ? f->c->ret : R_INT) {
	case R_POLL:
		if (r == 0) {
			wt_buf_puts(out, " = 0 (Timeout)");
			break;
		}
		wt_buf_printf(out, " = %lld", (long long)r);
		if (cap_ok(f, 0, 1, 8)) {
			wt_buf_puts(out, " (");
			put_pollfds(out, f, 0, word(f, 1), 1);
			for (int j = 0; j < f->c->nargs && j < 6; j++) {
				const struct scev_cap *t = cap_ok(f, j, 1, (uint32_t)(2 * f->tw));
				if (SD_KIND(f->c->arg[j]) == K_TS_INOUT && t && word(f, j)) {
					wt_buf_puts(out, ", left ");
					put_ts(out, f, j, 1, f->tw);
				}
			}
			wt_buf_puts(out, ")");
		}
		break;
	case R_MMSG: /* strace: the timeout's rest, when one was given */
		if (r == 0) {
			wt_buf_puts(out, " = 0 (Timeout)");
			break;
		}
		wt_buf_printf(out, " = %lld", (long long)r);
		if (word(f, 4) && cap_ok(f, 4, 1, (uint32_t)(2 * f->tw))) {
			wt_buf_puts(out, " (left ");
			put_ts(out, f, 4, 1, f->tw);
			wt_buf_puts(out, ")");
		}
		break;
	case R_HEX:
		wt_buf_printf(out, " = %#llx",
			      (unsigned long long)(f->i386 ? (uint32_t)r : (uint64_t)r));
		break;
	case R_OCT:
		wt_buf_printf(out, " = %#03llo", (unsigned long long)r);
		break;
	case R_FD:
		wt_buf_puts(out, " = ");
		put_fd(out, f, (int)r, SCCAP_FD_RESULT);
		break;
	case R_FCNTL:
		switch (ev->arg[1] & 0xffffffffu) {
		case 0:
		case 1030: /* F_DUPFD, F_DUPFD_CLOEXEC */
			wt_buf_puts(out, " = ");
			put_fd(out, f, (int)r, SCCAP_FD_RESULT);
			break;
		case 1: /* F_GETFD */
			if (r) {
				wt_buf_printf(out, " = %#llx (flags ", (unsigned long long)r);
				sd_print_flags(out, X_FDFLAGS, (uint64_t)r);
				wt_buf_puts(out, ")");
			} else {
				wt_buf_puts(out, " = 0");
			}
			break;
		case 3: /* F_GETFL */
			wt_buf_printf(out, " = %#llx (flags ", (unsigned long long)r);
			put_openfl(out, (uint64_t)r);
			wt_buf_puts(out, ")");
			break;
		default:
			wt_buf_printf(out, " = %lld", (long long)r);
		}
		break;
	default:
		wt_buf_printf(out, " = %lld", (long long)r);
	}
}

void sysdecode_format(const struct scev *ev, enum scev_part part, const struct sysdecode_opts *o,
		      struct wt_buf *out)
{
	struct fmt f = {
	    .ev = ev, .o = o, .strsize = o ? o->strsize : 32, .xflag = o ? o->xflag : 0};
	f.i386 = sd_is_i386(ev->arch);
	f.c = sd_call_of(ev->arch, ev->nr);
	f.tw = (f.i386 && !(f.c && strstr(f.c->name, "time64"))) ? 4 : 8;
	f.ret = f.i386 ? (int64_t)(int32_t)ev->ret : ev->ret;
	f.failed = f.ret < 0 && f.ret >= -4095;
	if (f.strsize > SCEV_CAP_MAX)
		f.strsize = SCEV_CAP_MAX;
	/* i386 socketcall(call, args): shown as strace shows it, as the subcall
	 * with the words args points at; what those point at was not copied,
	 * so the subcall's captures are none (its pointers print as addresses) */
	struct scev sub;
	const struct sd_call *sc = NULL;
	if (f.i386 && f.c && f.c->arg && SD_KIND(f.c->arg[1]) == K_SOCKARGS &&
	    (sc = sd_socket_subcall((uint32_t)ev->arg[0]))) {
		const struct scev_cap *k = cap_ok(&f, 1, 0, 4u * (uint32_t)sc->nargs);
		if (!k)
			k = cap_ok(&f, 1, 1, 4u * (uint32_t)sc->nargs);
		if (k) {
			sub = *ev;
			sub.ncap = 0;
			for (int i = 0; i < 6; i++) {
				uint32_t w = 0;
				if (i < sc->nargs)
					memcpy(&w, k->data + 4 * i, 4);
				sub.arg[i] = w;
			}
			f.ev = ev = &sub;
			f.c = sc;
		}
	}
	/* i386 ipc(call, first, second, third, ptr, fifth): as strace, the
	 * subcall with the arguments in the places its decoders read them;
	 * shmat's result is the address the kernel stored at *third */
	const uint8_t *from;
	const struct sd_call *ic;
	if (f.i386 && f.c && f.c->arg && SD_KIND(f.c->arg[3]) == K_IPCTHIRD &&
	    (ic = sd_ipc_subcall(ev->arg[0], &from))) {
		const struct scev_cap *k = cap_ok(&f, 3, 1, 4);
		sub = *ev;
		sub.ncap = 0;
		for (int i = 0; i < 6; i++)
			sub.arg[i] = i < ic->nargs ? ev->arg[from[i] % 6] : 0;
		if (ic->ret == R_HEX && (ev->part & SCEV_EXIT) && !f.failed && k) {
			uint32_t a;
			memcpy(&a, k->data, 4);
			sub.ret = a;
			f.ret = a;
		}
		f.ev = ev = &sub;
		f.c = ic;
	}

	/* The arguments shown, and the first one known only at exit. */
	int idx[6], n = 0, first_exit;
	if (f.c && f.c->arg) {
		int na = sd_nargs(f.c);
		if (SD_KIND(f.c->arg[1]) == K_FUTEXOP && na > futex_nargs(ev->arg[1]))
			na = futex_nargs(ev->arg[1]);
		for (int i = 0; i < na; i++)
			if (shown(&f, i))
				idx[n++] = i;
	} else {
		int na = sd_nargs(f.c);
		for (int i = 0; i < na; i++)
			idx[n++] = i;
	}
	first_exit = n;
	for (int j = 0; f.c && f.c->arg && j < n; j++)
		if (sd_kind_at_exit(SD_KIND(f.c->arg[idx[j]]))) {
			first_exit = j;
			break;
		}

	if (part & SCEV_ENTRY) {
		char nbuf[48];
		wt_buf_printf(out, "%s(",
			      f.c ? f.c->name : sysname(ev->arch, ev->nr, nbuf, sizeof(nbuf)));
	}
	for (int j = 0; j < n; j++) {
		bool at_exit = j >= first_exit;
		if (!(part & (at_exit ? SCEV_EXIT : SCEV_ENTRY)))
			continue;
		if (f.c && f.c->arg)
			put_arg(out, &f, idx[j]);
		else
			put_xnum(out, word(&f, idx[j]));
		/* entry part: "read(3, " as strace leaves it; clone's tail brings its own */
		if (j + 1 < n && !(f.c && f.c->arg && SD_KIND(f.c->arg[idx[j + 1]]) == K_CLONETAIL))
			wt_buf_puts(out, ", ");
	}
	if (part & SCEV_EXIT) {
		wt_buf_puts(out, ")");
		put_result(out, &f);
	}
}
