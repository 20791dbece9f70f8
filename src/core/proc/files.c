/*
 * files.c: a process's open fds (/proc/PID/fd, fdinfo, and the sockets in
 * its own /proc/PID/net tables), its memory maps (smaps, maps,
 * smaps_rollup) and its environment (/proc/PID/environ), for the Files tab,
 * the environment view and `whytop files`/`whytop env`. One-off reads:
 * open, read, close. The parsers take canned text (tests/unit/test_files.c).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <whytop/files.h>
#include <whytop/proc.h>
#include <whytop/util.h>
#include "core/proc/parse.h"

static const char *const fd_type_names[] = {
    [PROC_FD_OTHER] = "other",
    [PROC_FD_FILE] = "file",
    [PROC_FD_DIR] = "dir",
    [PROC_FD_CHR] = "chr",
    [PROC_FD_BLK] = "blk",
    [PROC_FD_PIPE] = "pipe",
    [PROC_FD_SOCKET] = "socket",
    [PROC_FD_EVENTFD] = "eventfd",
    [PROC_FD_EVENTPOLL] = "eventpoll",
    [PROC_FD_SIGNALFD] = "signalfd",
    [PROC_FD_TIMERFD] = "timerfd",
    [PROC_FD_INOTIFY] = "inotify",
    [PROC_FD_FANOTIFY] = "fanotify",
    [PROC_FD_PIDFD] = "pidfd",
    [PROC_FD_MEMFD] = "memfd",
    [PROC_FD_ANON] = "anon",
};

const char *proc_fd_type_name(enum proc_fd_type t)
{
	if ((unsigned)t < sizeof(fd_type_names) / sizeof(fd_type_names[0]) && fd_type_names[t])
		return fd_type_names[t];
	return "other";
}

/* The sentence for a failed read of one of pid's files. */
static int files_err(struct wt_err *err, int e, pid_t pid, const char *what)
{
	if (e == ENOENT || e == ESRCH)
		return wt_err_set(err, -ESRCH, "process %d has exited: its %s cannot be read",
				  (int)pid, what);
	if (e == EACCES || e == EPERM)
		return wt_err_set(err, -e,
				  "cannot read the %s of process %d (permission denied): run "
				  "whytop as root or as the process's owner",
				  what, (int)pid);
	return wt_err_set(err, -e, "cannot read the %s of process %d: %s", what, (int)pid,
			  strerror(e));
}

/* --- fds --------------------------------------------------------------- */

int proc_parse_fdinfo(const char *buf, size_t len, uint64_t *pos, unsigned *flags)
{
	bool have_pos = false, have_flags = false;
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		char line[64];
		size_t l =
		    (size_t)(eol - p) < sizeof(line) - 1 ? (size_t)(eol - p) : sizeof(line) - 1;
		memcpy(line, p, l);
		line[l] = '\0';
		char *e;
		if (!strncmp(line, "pos:", 4)) {
			unsigned long long v = strtoull(line + 4, &e, 10);
			if (e != line + 4) {
				*pos = v;
				have_pos = true;
			}
		} else if (!strncmp(line, "flags:", 6)) {
			unsigned long v = strtoul(line + 6, &e, 8);
			if (e != line + 6) {
				*flags = (unsigned)v;
				have_flags = true;
			}
		}
		p = nl ? nl + 1 : end;
	}
	return have_pos && have_flags ? 0 : -EINVAL;
}

enum proc_fd_type proc_fd_classify(const char *t, unsigned mode)
{
	static const struct {
		const char *prefix;
		enum proc_fd_type type;
	} anon[] = {
	    {"anon_inode:[eventfd]", PROC_FD_EVENTFD},
	    {"anon_inode:[eventpoll]", PROC_FD_EVENTPOLL},
	    {"anon_inode:[signalfd]", PROC_FD_SIGNALFD},
	    {"anon_inode:[timerfd]", PROC_FD_TIMERFD},
	    {"anon_inode:inotify", PROC_FD_INOTIFY},
	    {"anon_inode:[fanotify]", PROC_FD_FANOTIFY},
	    {"anon_inode:[pidfd]", PROC_FD_PIDFD},
	    {"socket:[", PROC_FD_SOCKET},
	    {"pipe:[", PROC_FD_PIPE},
	    {"/memfd:", PROC_FD_MEMFD},
	    {"anon_inode:", PROC_FD_ANON},
	};
	for (size_t i = 0; i < sizeof(anon) / sizeof(anon[0]); i++)
		if (!strncmp(t, anon[i].prefix, strlen(anon[i].prefix)))
			return anon[i].type;
	switch (mode & S_IFMT) {
	case S_IFREG:
		return PROC_FD_FILE;
	case S_IFDIR:
		return PROC_FD_DIR;
	case S_IFCHR:
		return PROC_FD_CHR;
	case S_IFBLK:
		return PROC_FD_BLK;
	case S_IFIFO:
		return PROC_FD_PIPE;
	case S_IFSOCK:
		return PROC_FD_SOCKET;
	}
	return t[0] == '/' ? PROC_FD_FILE : PROC_FD_OTHER;
}

/*
 * O_LARGEFILE as the kernel shows it in fdinfo: a 64-bit userspace
 * defines O_LARGEFILE as 0, the kernel's bit differs by architecture.
 */
#if defined(__x86_64__) || defined(__i386__)
#define KERNEL_O_LARGEFILE 0100000u
#elif defined(__aarch64__) || defined(__arm__)
#define KERNEL_O_LARGEFILE 0400000u
#else
#define KERNEL_O_LARGEFILE ((unsigned)O_LARGEFILE)
#endif

char *proc_fd_flags_str(unsigned flags, char *buf, size_t size)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
	    {O_CREAT, "O_CREAT"},	  {O_EXCL, "O_EXCL"},	      {O_NOCTTY, "O_NOCTTY"},
	    {O_TRUNC, "O_TRUNC"},	  {O_APPEND, "O_APPEND"},     {O_NONBLOCK, "O_NONBLOCK"},
	    {O_SYNC, "O_SYNC"},		  {O_DSYNC, "O_DSYNC"},	      {O_DIRECT, "O_DIRECT"},
	    {O_DIRECTORY, "O_DIRECTORY"}, {O_NOFOLLOW, "O_NOFOLLOW"}, {O_NOATIME, "O_NOATIME"},
	    {O_CLOEXEC, "O_CLOEXEC"},	  {O_PATH, "O_PATH"},	      {O_TMPFILE, "O_TMPFILE"},
	};
	const char *acc = (flags & O_ACCMODE) == O_RDONLY   ? "O_RDONLY"
			  : (flags & O_ACCMODE) == O_WRONLY ? "O_WRONLY"
			  : (flags & O_ACCMODE) == O_RDWR   ? "O_RDWR"
							    : "O_ACCMODE";
	unsigned rest = flags & ~(unsigned)O_ACCMODE;
	rest &= ~(unsigned)KERNEL_O_LARGEFILE; /* the kernel sets it on every 64-bit open: noise */
	size_t at = (size_t)snprintf(buf, size, "%s", acc);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		/* O_SYNC holds O_DSYNC's bit, O_TMPFILE O_DIRECTORY's: whole sets only. */
		if ((rest & names[i].bit) != names[i].bit || !names[i].bit)
			continue;
		rest &= ~names[i].bit;
		if (at < size)
			at += (size_t)snprintf(buf + at, size - at, "|%s", names[i].name);
	}
	if (rest && at < size)
		snprintf(buf + at, size - at, "|0%o", rest);
	return buf;
}

/* --- sockets ----------------------------------------------------------- */

static const char *const tcp_states[] = {
    "",	     "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",	 "TIME_WAIT",
    "CLOSE", "CLOSE_WAIT",  "LAST_ACK", "LISTEN",   "CLOSING",	 "NEW_SYN_RECV",
};
static const char *const unix_states[] = {"", "UNCONNECTED", "CONNECTING", "CONNECTED",
					  "DISCONNECTING"};

/* "0100007F:1F90" (v4) or 32 hex digits ":" port (v6) as "127.0.0.1:8080" / "[::1]:8080". */
static int inet_addr_str(const char *hex, size_t hl, bool v6, char *out, size_t size)
{
	char digits[33], txt[INET6_ADDRSTRLEN];
	const char *colon = memchr(hex, ':', hl);
	size_t al = colon ? (size_t)(colon - hex) : 0;
	if (!colon || al != (v6 ? 32u : 8u))
		return -EINVAL;
	char *e;
	unsigned long port = strtoul(colon + 1, &e, 16);
	if (e == colon + 1 || port > 65535)
		return -EINVAL;
	/* The kernel prints each 32-bit word of the address in host order. */
	if (v6) {
		struct in6_addr a;
		for (int w = 0; w < 4; w++) {
			memcpy(digits, hex + 8 * w, 8);
			digits[8] = '\0';
			uint32_t v = (uint32_t)strtoul(digits, &e, 16);
			if (*e)
				return -EINVAL;
			memcpy(&a.s6_addr[4 * w], &v, 4);
		}
		inet_ntop(AF_INET6, &a, txt, sizeof(txt));
		snprintf(out, size, "[%s]:%lu", txt, port);
	} else {
		memcpy(digits, hex, 8);
		digits[8] = '\0';
		struct in_addr a;
		a.s_addr = (uint32_t)strtoul(digits, &e, 16);
		if (*e)
			return -EINVAL;
		inet_ntop(AF_INET, &a, txt, sizeof(txt));
		snprintf(out, size, "%s:%lu", txt, port);
	}
	return 0;
}

/* The whitespace-separated fields of one line (at most max); returns how many. */
static size_t split_fields(const char *p, const char *eol, const char **f, size_t *fl, size_t max)
{
	size_t n = 0;
	while (p < eol && n < max) {
		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		if (p >= eol)
			break;
		f[n] = p;
		while (p < eol && *p != ' ' && *p != '\t')
			p++;
		fl[n] = (size_t)(p - f[n]);
		n++;
	}
	return n;
}

static bool field_num(const char *f, size_t fl, int base, uint64_t *v)
{
	char tmp[32], *e;
	if (!fl || fl >= sizeof(tmp))
		return false;
	memcpy(tmp, f, fl);
	tmp[fl] = '\0';
	*v = strtoull(tmp, &e, base);
	return *e == '\0';
}

/* The netlink families a process commonly holds (linux/netlink.h); NULL: another. */
static const char *netlink_family(uint64_t f)
{
	static const char *const names[] = {
	    [0] = "route",	[2] = "usersock",	 [4] = "sock_diag",
	    [6] = "xfrm",	[7] = "selinux",	 [9] = "audit",
	    [12] = "netfilter", [15] = "kobject_uevent", [16] = "generic",
	};
	return f < sizeof(names) / sizeof(names[0]) ? names[f] : NULL;
}

static int parse_net_line(const char *proto, const char *p, const char *eol, struct proc_sock *s)
{
	const char *f[12];
	size_t fl[12];
	size_t nf = split_fields(p, eol, f, fl, 12);
	uint64_t v;
	memset(s, 0, sizeof(*s));
	snprintf(s->proto, sizeof(s->proto), "%s", proto);
	if (!strcmp(proto, "unix")) {
		/* Num RefCount Protocol Flags Type St Inode [Path] */
		if (nf < 7 || !field_num(f[6], fl[6], 10, &s->inode) ||
		    !field_num(f[5], fl[5], 16, &v))
			return -EINVAL;
		uint64_t flags = 0;
		field_num(f[3], fl[3], 16, &flags);
		/* __SO_ACCEPTCON: a listening socket. */
		const char *st = (flags & 0x10000) ? "LISTEN" : v < 5 ? unix_states[v] : "";
		snprintf(s->state, sizeof(s->state), "%s", st);
		if (nf >= 8) {
			/* The path runs to the end of the line (it may hold spaces). */
			const char *path = f[7];
			wt_escape_to(s->local, sizeof(s->local), path, (size_t)(eol - path), 0);
		}
		return 0;
	}
	if (!strcmp(proto, "netlink")) {
		/* sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode */
		if (nf < 10 || !field_num(f[9], fl[9], 10, &s->inode) ||
		    !field_num(f[1], fl[1], 10, &v))
			return -EINVAL;
		uint64_t portid = 0;
		field_num(f[2], fl[2], 10, &portid);
		const char *fam = netlink_family(v);
		if (fam)
			snprintf(s->local, sizeof(s->local), "%s port %" PRIu64, fam, portid);
		else
			snprintf(s->local, sizeof(s->local), "family %" PRIu64 " port %" PRIu64, v,
				 portid);
		return 0;
	}
	/* sl local rem st tx:rx tr:tm retrnsmt uid timeout inode */
	bool v6 = strchr(proto, '6') != NULL;
	if (nf < 10 || !field_num(f[9], fl[9], 10, &s->inode) || !field_num(f[3], fl[3], 16, &v) ||
	    inet_addr_str(f[1], fl[1], v6, s->local, sizeof(s->local)) ||
	    inet_addr_str(f[2], fl[2], v6, s->remote, sizeof(s->remote)))
		return -EINVAL;
	if (!strncmp(proto, "raw", 3)) {
		/* A raw socket's "port" is its IP protocol; there is no TCP state. */
		snprintf(s->state, sizeof(s->state), "%s", v == 7 ? "" : "ESTABLISHED");
	} else if (!strncmp(proto, "udp", 3)) {
		snprintf(s->state, sizeof(s->state), "%s", v == 1 ? "ESTABLISHED" : "");
	} else if (v < sizeof(tcp_states) / sizeof(tcp_states[0])) {
		snprintf(s->state, sizeof(s->state), "%s", tcp_states[v]);
	}
	if (!strcmp(s->remote, "0.0.0.0:0") || !strcmp(s->remote, "[::]:0"))
		s->remote[0] = '\0';
	return 0;
}

int proc_parse_net(const char *proto, const char *buf, size_t len, struct proc_sock **socks,
		   size_t *n, size_t *cap)
{
	const char *p = buf, *end = buf + len;
	bool header = true;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		struct proc_sock s;
		if (!header && parse_net_line(proto, p, eol, &s) == 0 && s.inode) {
			if (*n == *cap) {
				size_t nc = *cap ? *cap * 2 : 32;
				struct proc_sock *nv = realloc(*socks, nc * sizeof(*nv));
				if (!nv)
					return -ENOMEM;
				*socks = nv;
				*cap = nc;
			}
			(*socks)[(*n)++] = s;
		}
		header = false;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

static int sock_cmp(const void *a, const void *b)
{
	const struct proc_sock *x = a, *y = b;
	return (x->inode > y->inode) - (x->inode < y->inode);
}

/* Every socket of pid's network namespace, sorted by inode (NULL, 0 if none readable). */
static struct proc_sock *net_sockets(int piddir, size_t *n)
{
	static const char *const tables[] = {"tcp", "tcp6", "udp",  "udp6",
					     "raw", "raw6", "unix", "netlink"};
	struct proc_sock *v = NULL;
	size_t cap = 0;
	*n = 0;
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char path[32], *raw;
		size_t len;
		snprintf(path, sizeof(path), "net/%s", tables[i]);
		if (wt_read_all_at(piddir, path, &raw, &len))
			continue; /* no IPv6 in this kernel, say */
		int r = proc_parse_net(tables[i], raw, len, &v, n, &cap);
		free(raw);
		if (r)
			break;
	}
	if (*n)
		qsort(v, *n, sizeof(*v), sock_cmp);
	return v;
}

/* --- the fd list ------------------------------------------------------- */

static int fd_cmp(const void *a, const void *b)
{
	const struct proc_fd *x = a, *y = b;
	return (x->fd > y->fd) - (x->fd < y->fd);
}

void proc_fds_free(struct proc_fd *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(fds[i].target);
	free(fds);
}

/* Fill one fd's type, fdinfo and (for a socket, looked up later) inode. */
static int fd_fill(int piddir, int dfd, const char *name, struct proc_fd *f)
{
	char link[4096], path[64], info[4096];
	ssize_t len = readlinkat(dfd, name, link, sizeof(link) - 1);
	if (len < 0)
		return -errno; /* closed meanwhile */
	link[len] = '\0';
	unsigned mode = 0;
	if (link[0] == '/') {
		/*
		 * The kind of file behind a path. DONT_SYNC: a FUSE file answers
		 * from its cached attributes, so a hung file system cannot hang us.
		 */
		struct statx sx;
		if (statx(dfd, name, AT_STATX_DONT_SYNC, STATX_TYPE, &sx) == 0)
			mode = sx.stx_mode;
	}
	f->type = proc_fd_classify(link, mode);
	if (!(f->target = wt_escape(link, (size_t)len, 0)))
		return -ENOMEM;
	snprintf(path, sizeof(path), "fdinfo/%s", name);
	ssize_t il = wt_read_at(piddir, path, info, sizeof(info));
	f->have_info = il > 0 && proc_parse_fdinfo(info, (size_t)il, &f->pos, &f->flags) == 0;
	return 0;
}

int proc_fds_read(pid_t pid, struct proc_fd **fds, size_t *n, struct wt_err *err)
{
	char path[64];
	*fds = NULL;
	*n = 0;
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	int piddir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (piddir < 0)
		return files_err(err, errno, pid, "open files");
	int dfd = openat(piddir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		int e = errno;
		if (dfd >= 0)
			close(dfd);
		close(piddir);
		return files_err(err, e, pid, "open files");
	}
	struct proc_fd *v = NULL;
	size_t cnt = 0, cap = 0, nsock = 0;
	struct dirent *de;
	int rc = 0;
	bool any_socket = false;
	while ((de = readdir(d))) {
		long fd;
		if (wt_parse_long(de->d_name, 0, 0x7fffffff, &fd) < 0)
			continue;
		if (pid == getpid() && (fd == dfd || fd == piddir))
			continue; /* ours, opened for this very listing */
		if (cnt == cap) {
			size_t nc = cap ? 2 * cap : 16;
			struct proc_fd *nv = realloc(v, nc * sizeof(*nv));
			if (!nv) {
				rc = -ENOMEM;
				break;
			}
			v = nv;
			cap = nc;
		}
		memset(&v[cnt], 0, sizeof(v[cnt]));
		v[cnt].fd = (int)fd;
		int r = fd_fill(piddir, dfd, de->d_name, &v[cnt]);
		if (r == -ENOMEM) {
			free(v[cnt].target);
			rc = r;
			break;
		}
		if (r < 0)
			continue;
		any_socket |= v[cnt].type == PROC_FD_SOCKET;
		cnt++;
	}
	closedir(d);
	if (rc < 0) {
		close(piddir);
		proc_fds_free(v, cnt);
		return wt_err_set(err, rc, "out of memory listing the open files of process %d",
				  (int)pid);
	}
	struct proc_sock *socks = any_socket ? net_sockets(piddir, &nsock) : NULL;
	close(piddir);
	for (size_t i = 0; i < cnt && nsock; i++) {
		struct proc_sock key;
		if (v[i].type != PROC_FD_SOCKET ||
		    sscanf(v[i].target, "socket:[%" SCNu64 "]", &key.inode) != 1)
			continue;
		const struct proc_sock *s = bsearch(&key, socks, nsock, sizeof(*socks), sock_cmp);
		if (s) {
			v[i].sock = *s;
			v[i].have_sock = true;
		}
	}
	free(socks);
	if (cnt)
		qsort(v, cnt, sizeof(*v), fd_cmp);
	*fds = v;
	*n = cnt;
	return 0;
}

/* --- memory maps ------------------------------------------------------- */

void proc_maps_free(struct proc_mapping *maps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(maps[i].path);
	free(maps);
}

/* "Rss:    123 kB" -> 123 (true), any other line false. */
static bool rss_line(const char *p, const char *eol, uint64_t *kb)
{
	if (eol - p < 5 || memcmp(p, "Rss:", 4))
		return false;
	p += 4;
	while (p < eol && *p == ' ')
		p++;
	uint64_t v = 0;
	bool any = false;
	while (p < eol && *p >= '0' && *p <= '9') {
		v = v * 10 + (uint64_t)(*p++ - '0');
		any = true;
	}
	*kb = v;
	return any;
}

int proc_maps_read(pid_t pid, struct proc_mapping **maps, size_t *n, bool *have_rss,
		   uint64_t *total_rss_kb, struct wt_err *err)
{
	char path[64], *raw = NULL;
	size_t len;
	*maps = NULL;
	*n = 0;
	*have_rss = true;
	*total_rss_kb = 0;
	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	int r = wt_read_all_at(AT_FDCWD, path, &raw, &len);
	if (r < 0) {
		*have_rss = false;
		snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
		r = wt_read_all_at(AT_FDCWD, path, &raw, &len);
	}
	if (r < 0)
		return files_err(err, -r, pid, "memory maps");
	struct proc_mapping *v = NULL;
	size_t cnt = 0, cap = 0;
	uint64_t sum = 0;
	const char *p = raw, *end = raw + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		uint64_t kb;
		if (rss_line(p, eol, &kb)) {
			if (cnt)
				v[cnt - 1].rss_kb = kb;
			sum += kb;
			p = nl ? nl + 1 : end;
			continue;
		}
		const char *q = p;
		struct proc_map m;
		p = nl ? nl + 1 : end;
		if (proc_parse_maps_line(&q, end, &m) < 0)
			continue; /* another smaps field */
		if (cnt == cap) {
			size_t nc = cap ? 2 * cap : 64;
			struct proc_mapping *nv = realloc(v, nc * sizeof(*nv));
			if (!nv)
				goto oom;
			v = nv;
			cap = nc;
		}
		struct proc_mapping *o = &v[cnt];
		memset(o, 0, sizeof(*o));
		o->start = m.start;
		o->end = m.end;
		o->offset = m.offset;
		memcpy(o->perms, m.perms, sizeof(o->perms));
		/* maps escapes a newline only: the rest is the file's name, untrusted. */
		if (!(o->path = wt_escape(m.path, m.path_len, 0)))
			goto oom;
		cnt++;
	}
	free(raw);
	*total_rss_kb = sum;
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	if (*have_rss && wt_read_all_at(AT_FDCWD, path, &raw, &len) == 0) {
		for (p = raw, end = raw + len; p < end;) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			uint64_t kb;
			if (rss_line(p, nl ? nl : end, &kb))
				*total_rss_kb = kb;
			p = nl ? nl + 1 : end;
		}
		free(raw);
	}
	*maps = v;
	*n = cnt;
	return 0;
oom:
	free(raw);
	proc_maps_free(v, cnt);
	return wt_err_set(err, -ENOMEM, "out of memory reading the memory maps of process %d",
			  (int)pid);
}

/* --- environment ------------------------------------------------------- */

void proc_environ_free(char **vars, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(vars[i]);
	free(vars);
}

int proc_parse_environ(const char *buf, size_t len, char ***vars, size_t *n)
{
	char **v = NULL;
	size_t cnt = 0, cap = 0;
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *z = memchr(p, '\0', (size_t)(end - p));
		const char *e = z ? z : end;
		if (e > p) {
			if (cnt == cap) {
				size_t nc = cap ? 2 * cap : 64;
				char **nv = realloc(v, nc * sizeof(*nv));
				if (!nv)
					goto oom;
				v = nv;
				cap = nc;
			}
			if (!(v[cnt] = wt_escape(p, (size_t)(e - p), 0)))
				goto oom;
			cnt++;
		}
		p = z ? z + 1 : end;
	}
	*vars = v;
	*n = cnt;
	return 0;
oom:
	proc_environ_free(v, cnt);
	*vars = NULL;
	*n = 0;
	return -ENOMEM;
}

int proc_environ_read(pid_t pid, char ***vars, size_t *n, bool *cut, struct wt_err *err)
{
	char path[64];
	*vars = NULL;
	*n = 0;
	*cut = false;
	snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return files_err(err, errno, pid, "environment");
	/* Read up to the cap, not the whole of what may be a huge block. */
	char *buf = malloc(PROC_ENVIRON_MAX + 1);
	size_t len = 0;
	if (!buf) {
		close(fd);
		return wt_err_set(err, -ENOMEM, "out of memory reading an environment");
	}
	while (len < PROC_ENVIRON_MAX + 1) {
		ssize_t r = read(fd, buf + len, PROC_ENVIRON_MAX + 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			close(fd);
			free(buf);
			return files_err(err, e, pid, "environment");
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if (len > PROC_ENVIRON_MAX) {
		*cut = true;
		len = PROC_ENVIRON_MAX;
	}
	int r = proc_parse_environ(buf, len, vars, n);
	free(buf);
	if (r < 0)
		return wt_err_set(err, r, "out of memory reading the environment of process %d",
				  (int)pid);
	return 0;
}
