/*
 * overview.c: one-off reads about a single process for its Overview tab and
 * the CLI: name, exe, cwd, cgroup, command line, the interesting lines of
 * status, limits, namespaces, open fd count, context switches.
 *
 * Not on the refresh path: read once when a process's screen opens, so
 * simplicity wins over speed here. Every string is escaped; a file that
 * cannot be read leaves its field NULL (or -1) rather than failing the whole.
 * Multi-line fields (cgroup, status, limits) are escaped line by line and
 * joined with real '\n', the only control character in them, so a front
 * end splits on '\n' and never has to tell layout from escaped content.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <whytop/proc.h>
#include <whytop/util.h>
#include "core/proc/internal.h"

/*
 * Each line of raw escaped on its own, joined with '\n' (none after the
 * last). With tabs_are_layout, tabs become spaces first: in status and
 * limits the kernel uses them as separators and escapes the only untrusted
 * text (Name) itself.
 */
static char *escape_lines(char *raw, size_t len, bool tabs_are_layout)
{
	struct wt_buf b;
	wt_buf_init(&b);
	while (len > 0 && raw[len - 1] == '\n')
		len--;
	if (tabs_are_layout)
		for (size_t i = 0; i < len; i++)
			if (raw[i] == '\t')
				raw[i] = ' ';
	for (const char *p = raw, *end = raw + len; p <= end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		char *line = wt_escape(p, (size_t)(eol - p), 0);
		if (!line) {
			wt_buf_free(&b);
			return NULL;
		}
		if (p != raw)
			wt_buf_puts(&b, "\n");
		wt_buf_puts(&b, line);
		free(line);
		p = eol + 1;
	}
	return wt_buf_steal(&b);
}

static char *read_lines(int dirfd, const char *name, bool tabs_are_layout)
{
	char *raw;
	size_t len;
	if (wt_read_all_at(dirfd, name, &raw, &len))
		return NULL;
	char *s = escape_lines(raw, len, tabs_are_layout);
	free(raw);
	return s;
}

static char *read_escaped(int dirfd, const char *name, int nul_as_space, bool strip_nl)
{
	char *raw;
	size_t len;
	if (wt_read_all_at(dirfd, name, &raw, &len))
		return NULL;
	while (strip_nl && len > 0 && raw[len - 1] == '\n')
		len--;
	char *s = wt_escape(raw, len, nul_as_space);
	free(raw);
	return s;
}

static char *link_escaped(int dirfd, const char *name)
{
	char buf[4096];
	ssize_t n = readlinkat(dirfd, name, buf, sizeof(buf));
	if (n < 0)
		return NULL;
	return wt_escape(buf, (size_t)n, 0);
}

/* The status lines a person looks at first; the rest is in the raw file. */
static const char *const status_keys[] = {
	"Name",	      "State",	    "Tgid",	"Pid",	       "PPid",	      "TracerPid",
	"Uid",	      "Gid",	    "Threads",	"VmPeak",      "VmSize",      "VmHWM",
	"VmRSS",      "RssAnon",    "RssFile",	"RssShmem",    "VmSwap",      "SigPnd",
	"ShdPnd",     "SigBlk",	    "SigIgn",	"SigCgt",      "CapEff",      "NoNewPrivs",
	"Seccomp",    "Cpus_allowed_list",	"voluntary_ctxt_switches",
	"nonvoluntary_ctxt_switches",
};

/* The picked lines, escaped, joined with '\n' (tabs turned to spaces). */
static char *status_pick(char *buf, size_t len)
{
	struct wt_buf b;
	wt_buf_init(&b);
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\t')
			buf[i] = ' ';
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		const char *colon = memchr(p, ':', (size_t)(eol - p));
		if (colon) {
			size_t kl = (size_t)(colon - p);
			for (size_t i = 0; i < WT_ARRAY_SIZE(status_keys); i++) {
				if (strlen(status_keys[i]) == kl && memcmp(p, status_keys[i], kl) == 0) {
					char *line = wt_escape(p, (size_t)(eol - p), 0);
					if (line) {
						if (b.len)
							wt_buf_puts(&b, "\n");
						wt_buf_puts(&b, line);
						free(line);
					}
					break;
				}
			}
		}
		p = eol + 1;
	}
	return wt_buf_steal(&b);
}

static char *namespaces(int dirfd)
{
	static const char *const ns[] = { "mnt", "pid", "net", "ipc", "uts", "user", "cgroup", "time" };
	struct wt_buf b;
	wt_buf_init(&b);
	for (size_t i = 0; i < WT_ARRAY_SIZE(ns); i++) {
		char path[32], buf[128];
		strcpy(path, "ns/");
		strcat(path, ns[i]);
		ssize_t n = readlinkat(dirfd, path, buf, sizeof(buf) - 1);
		if (n < 0)
			continue;
		buf[n] = '\0';
		/* "mnt:[4026531841]": keep the kernel's own spelling. */
		char esc[256];
		wt_escape_to(esc, sizeof(esc), buf, (size_t)n, 0);
		if (b.len)
			wt_buf_puts(&b, " ");
		wt_buf_puts(&b, esc);
	}
	if (!b.len) {
		wt_buf_free(&b);
		return NULL;
	}
	return wt_buf_steal(&b);
}

static long count_fds(int dirfd)
{
	int fd = openat(dirfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	long n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

int proc_overview_read(pid_t pid, struct proc_overview *ov, struct wt_err *err)
{
	return proc_overview_read_flags(pid, 0, ov, err);
}

int proc_overview_read_flags(pid_t pid, unsigned flags, struct proc_overview *ov,
			     struct wt_err *err)
{
	char dir[32];
	memset(ov, 0, sizeof(*ov));
	ov->pid = pid;
	ov->nfds = -1;
	wt_err_clear(err);

	int len = 0;
	for (pid_t v = pid; v; v /= 10)
		len++;
	if (pid <= 0)
		return wt_err_set(err, EINVAL, "%d is not a process id", (int)pid);
	strcpy(dir, "/proc/");
	for (int i = 0, v = pid; i < len; i++, v /= 10)
		dir[6 + len - 1 - i] = (char)('0' + v % 10);
	dir[6 + len] = '\0';

	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		int e = errno;
		if (e == ENOENT)
			return wt_err_set(err, ESRCH, "no process %d (it may have exited)", (int)pid);
		return wt_err_set(err, e, "cannot open %s: %s", dir, strerror(e));
	}
	ov->name = read_escaped(dfd, "comm", 0, true);
	ov->exe = link_escaped(dfd, "exe");
	ov->cwd = link_escaped(dfd, "cwd");
	ov->cgroup = read_lines(dfd, "cgroup", false);
	if (!(flags & PROC_OVERVIEW_NO_CMDLINE))
		ov->cmdline = read_escaped(dfd, "cmdline", 1, false);
	ov->limits_text = read_lines(dfd, "limits", true);
	ov->namespaces_text = namespaces(dfd);
	ov->nfds = count_fds(dfd);

	char *raw;
	size_t rlen;
	int rc = wt_read_all_at(dfd, "status", &raw, &rlen);
	close(dfd);
	if (rc) {
		proc_overview_free(ov);
		ov->pid = pid;
		ov->nfds = -1;
		if (rc == -ESRCH || rc == -ENOENT)
			return wt_err_set(err, ESRCH, "process %d exited while it was read", (int)pid);
		return wt_err_set(err, rc, "cannot read /proc/%d/status: %s", (int)pid,
				  strerror(-rc));
	}
	ov->status_text = status_pick(raw, rlen);
	proc_parse_key_u64(raw, rlen, "voluntary_ctxt_switches", &ov->vol_ctxt);
	proc_parse_key_u64(raw, rlen, "nonvoluntary_ctxt_switches", &ov->nonvol_ctxt);
	free(raw);
	return 0;
}

void proc_overview_free(struct proc_overview *ov)
{
	if (!ov)
		return;
	free(ov->name);
	free(ov->exe);
	free(ov->cwd);
	free(ov->cgroup);
	free(ov->cmdline);
	free(ov->status_text);
	free(ov->limits_text);
	free(ov->namespaces_text);
	memset(ov, 0, sizeof(*ov));
}
