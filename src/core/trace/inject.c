/*
 * inject.c: the words of fault injection (trace.h's struct trace_inject):
 * strace's -e inject= and -e fault= specs, when=FIRST..LAST+STEP and errno
 * names. The injection itself is the ptrace backend's (ptrace.c).
 */
#include <errno.h>
#include <linux/audit.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/decode.h>
#include <whytop/trace.h>

void trace_inject_init(struct trace_inject *in)
{
	memset(in, 0, sizeof(*in));
	in->first = 1;
	in->last = UINT_MAX;
	in->step = 1;
}

bool trace_inject_due(const struct trace_inject *in, uint64_t n)
{
	if (n < in->first || n > in->last)
		return false;
	return in->step == 0 ? n == in->first : (n - in->first) % in->step == 0;
}

/* digits only, 1..max */
static bool inj_number(const char *s, size_t len, unsigned long max, unsigned *out)
{
	if (!len || len > 10)
		return false;
	unsigned long v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v < 1 || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

int trace_inject_when(struct trace_inject *in, const char *expr, struct wt_err *err)
{
	char esc[96];
	const char *plus = strchr(expr, '+');
	const char *dots = strstr(expr, "..");
	size_t flen = dots ? (size_t)(dots - expr) : plus ? (size_t)(plus - expr) : strlen(expr);
	unsigned first, last = 0, step = 0;
	bool ok = inj_number(expr, flen, 65535, &first);
	if (ok && dots) {
		const char *l = dots + 2;
		size_t llen = plus ? (size_t)(plus - l) : strlen(l);
		ok = plus ? plus > l : true;
		ok = ok && inj_number(l, llen, 65534, &last) && last >= first;
	}
	if (ok && plus)
		ok = !plus[1] ? (step = 1, true)
			      : inj_number(plus + 1, strlen(plus + 1), 65535, &step);
	if (!ok)
		return wt_err_set(err, EINVAL,
				  "when='%s' is not FIRST, FIRST+, FIRST+STEP, FIRST..LAST or "
				  "FIRST..LAST+STEP (numbers from 1 to 65535, LAST >= FIRST)",
				  wt_escape_to(esc, sizeof(esc), expr, strlen(expr), 0));
	in->first = first;
	if (dots) {
		in->last = last;
		in->step = step ? step : 1;
	} else if (plus) {
		in->last = UINT_MAX;
		in->step = step;
	} else {
		in->last = first; /* the FIRST-th call only */
		in->step = 1;
	}
	return 0;
}

int trace_inject_errno(const char *name, int *e, struct wt_err *err)
{
	char esc[64];
	unsigned n;
	if (inj_number(name, strlen(name), 4095, &n)) {
		*e = (int)n;
		return 0;
	}
	for (int i = 1; i < 4096; i++) {
		const char *s = sysdecode_errno_name(i);
		if (s && strcmp(s, name) == 0) {
			*e = i;
			return 0;
		}
	}
	return wt_err_set(err, EINVAL,
			  "'%s' is not an errno: give a name such as ENOENT, EIO, EACCES, "
			  "or a number from 1 to 4095",
			  wt_escape_to(esc, sizeof(esc), name, strlen(name), 0));
}

static int inj_delay(const char *v, uint64_t *out, struct wt_err *err, const char *what)
{
	char esc[64];
	unsigned n = 0;
	if (strcmp(v, "0") != 0 && !inj_number(v, strlen(v), TRACE_INJ_DELAY_MAX, &n))
		return wt_err_set(err, EINVAL, "%s='%s' wants microseconds from 0 to %d", what,
				  wt_escape_to(esc, sizeof(esc), v, strlen(v), 0),
				  TRACE_INJ_DELAY_MAX);
	*out = n;
	return 0;
}

int trace_inject_parse(struct trace_inject *in, const char *spec, bool fault, struct wt_err *err)
{
	char esc[96];
	trace_inject_init(in);
	char *dup = strdup(spec);
	if (!dup)
		return wt_err_set(err, ENOMEM, "out of memory");
	char *colon = strchr(dup, ':');
	if (colon)
		*colon = '\0';
	int r = sc_set_parse(&in->set, dup, err);
	bool have_error = false;
	for (char *t = colon ? colon + 1 : NULL, *next; r == 0 && t; t = next) {
		next = strchr(t, ':');
		if (next)
			*next++ = '\0';
		char *v = strchr(t, '=');
		if (!v) {
			r = wt_err_set(err, EINVAL,
				       "'%s' in an inject rule wants a value (KEY=VALUE)",
				       wt_escape_to(esc, sizeof(esc), t, strlen(t), 0));
			break;
		}
		*v++ = '\0';
		if (strcmp(t, "error") == 0) {
			r = trace_inject_errno(v, &in->error, err);
			have_error = true;
		} else if (strcmp(t, "retval") == 0 && !fault) {
			char *end;
			errno = 0;
			long long n = strtoll(v, &end, 10);
			if (!*v || *end || errno || n < 0)
				r = wt_err_set(err, EINVAL,
					       "retval='%s' wants a number from 0 to %lld",
					       wt_escape_to(esc, sizeof(esc), v, strlen(v), 0),
					       (long long)LLONG_MAX);
			in->has_retval = true;
			in->retval = n;
		} else if (strcmp(t, "delay_enter") == 0 && !fault) {
			r = inj_delay(v, &in->delay_enter_us, err, "delay_enter");
		} else if (strcmp(t, "delay_exit") == 0 && !fault) {
			r = inj_delay(v, &in->delay_exit_us, err, "delay_exit");
		} else if (strcmp(t, "when") == 0) {
			r = trace_inject_when(in, v, err);
		} else if (strcmp(t, "path") == 0 && !fault) {
			/* whytop's own (--path of whytop inject): strace has no such key */
			if (!*v || strlen(v) >= sizeof(in->path))
				r = wt_err_set(err, EINVAL, "path= wants a glob of 1 to %zu bytes",
					       sizeof(in->path) - 1);
			else
				snprintf(in->path, sizeof(in->path), "%s", v);
		} else {
			r = wt_err_set(
			    err, EINVAL, "an inject rule takes %s, not '%s'",
			    fault ? "error= and when="
				  : "error=, retval=, delay_enter=, delay_exit=, when= and path=",
			    wt_escape_to(esc, sizeof(esc), t, strlen(t), 0));
		}
	}
	free(dup);
	if (r)
		return r;
	if (fault && !have_error)
		in->error = ENOSYS; /* strace's default for fault= */
	if (in->error && in->has_retval)
		return wt_err_set(err, EINVAL, "give error= or retval=, not both");
	if (!in->error && !in->has_retval && !in->delay_enter_us && !in->delay_exit_us)
		return wt_err_set(err, EINVAL,
				  "inject=%s does nothing: add error=ERRNO, retval=N, "
				  "delay_enter=US or delay_exit=US",
				  wt_escape_to(esc, sizeof(esc), spec, strlen(spec), 0));
	return 0;
}

/* ---- launch mode: the seccomp filter that stops the program only where it matters ---- */

#include <linux/filter.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <whytop/sysnames.h>

#include "core/trace/trace_int.h"

int trace_seccomp_filter(const struct sc_set *set, struct sock_fprog *prog, struct wt_err *err)
{
	prog->filter = NULL;
	prog->len = 0;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return wt_err_set(err, ENOMEM, "cannot create a seccomp filter");
	if (sysname_native_arch() == SCMP_ARCH_X86_64)
		seccomp_arch_add(ctx, SCMP_ARCH_X86);		    /* int 0x80 must not slip by */
	static const char *const always[] = {"execve", "execveat"}; /* the log starts there */
	for (size_t i = 0; i < 2; i++)
		seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), seccomp_syscall_resolve_name(always[i]),
				 0);
	static const uint32_t arches[] = {AUDIT_ARCH_X86_64, AUDIT_ARCH_I386};
	for (size_t a = 0; a < 2; a++) {
		for (long nr = 0; nr < SC_NR_MAX; nr++) {
			if (!sc_set_has(set, arches[a], nr))
				continue;
			char buf[32];
			const char *name = sysname(arches[a], nr, buf, sizeof(buf));
			int snr = name && name != buf ? seccomp_syscall_resolve_name(name)
						      : __NR_SCMP_ERROR;
			if (snr == __NR_SCMP_ERROR)
				continue; /* no name libseccomp knows: never stops */
			int r = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), snr, 0);
			if (r < 0 && r != -EEXIST) {
				seccomp_release(ctx);
				return wt_err_set(err, -r, "cannot watch %s with seccomp: %s", name,
						  strerror(-r));
			}
		}
	}
	int fd = memfd_create("whytop-seccomp", MFD_CLOEXEC);
	int r = fd < 0 ? -errno : seccomp_export_bpf(ctx, fd);
	seccomp_release(ctx);
	off_t len = r == 0 ? lseek(fd, 0, SEEK_END) : -1;
	if (len <= 0 || len % (off_t)sizeof(struct sock_filter)) {
		if (fd >= 0)
			close(fd);
		return wt_err_set(err, EINVAL, "cannot export the seccomp filter");
	}
	prog->filter = malloc((size_t)len);
	prog->len = (unsigned short)(len / (off_t)sizeof(struct sock_filter));
	if (!prog->filter || pread(fd, prog->filter, (size_t)len, 0) != len) {
		close(fd);
		free(prog->filter);
		prog->filter = NULL;
		return wt_err_set(err, EIO, "cannot read back the seccomp filter");
	}
	close(fd);
	return 0;
}
