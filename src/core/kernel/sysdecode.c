/*
 * sysdecode.c: turn the numbers of /proc/PID/task/TID/syscall into words.
 *
 * The name comes from libseccomp for the task's own ABI (sysnames.h). The
 * arguments follow a small table of signatures, by name so that one entry
 * serves every ABI: which arguments are file descriptors (shown with the
 * path behind them, from /proc/PID/task/TID/fd/N), which are paths in the
 * task's memory (read with process_vm_readv, bounded, escaped), which are
 * numbers. A call not in the table shows its six arguments in hex.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <whytop/kernel.h>
#include <whytop/sysnames.h>

#include "sysdecode_io.h"

struct kernel_sys_io kernel_sys_io = {.vm_readv = process_vm_readv, .readlink = readlink};

#define PATH_READ_MAX 1024 /* a path longer than this is shown truncated */

/*
 * Signatures: "name:kind" per argument; kinds: f fd, d dirfd, p path,
 * n number, x hex, o octal mode. The calls a blocked task is usually in.
 */
static const struct {
	const char *name;
	const char *sig;
} signatures[] = {
	{ "read", "fd:f buf:x count:n" },
	{ "write", "fd:f buf:x count:n" },
	{ "pread64", "fd:f buf:x count:n offset:n" },
	{ "pwrite64", "fd:f buf:x count:n offset:n" },
	{ "readv", "fd:f iov:x iovcnt:n" },
	{ "writev", "fd:f iov:x iovcnt:n" },
	{ "preadv", "fd:f iov:x iovcnt:n pos_l:n pos_h:n" },
	{ "pwritev", "fd:f iov:x iovcnt:n pos_l:n pos_h:n" },
	{ "preadv2", "fd:f iov:x iovcnt:n pos_l:n pos_h:n flags:x" },
	{ "pwritev2", "fd:f iov:x iovcnt:n pos_l:n pos_h:n flags:x" },
	{ "open", "path:p flags:x mode:o" },
	{ "creat", "path:p mode:o" },
	{ "openat", "dirfd:d path:p flags:x mode:o" },
	{ "openat2", "dirfd:d path:p how:x size:n" },
	{ "close", "fd:f" },
	{ "stat", "path:p statbuf:x" },
	{ "lstat", "path:p statbuf:x" },
	{ "fstat", "fd:f statbuf:x" },
	{ "newfstatat", "dirfd:d path:p statbuf:x flags:x" },
	{ "fstatat64", "dirfd:d path:p statbuf:x flags:x" },
	{ "statx", "dirfd:d path:p flags:x mask:x statxbuf:x" },
	{ "access", "path:p mode:o" },
	{ "faccessat", "dirfd:d path:p mode:o" },
	{ "faccessat2", "dirfd:d path:p mode:o flags:x" },
	{ "readlink", "path:p buf:x bufsiz:n" },
	{ "readlinkat", "dirfd:d path:p buf:x bufsiz:n" },
	{ "mkdir", "path:p mode:o" },
	{ "mkdirat", "dirfd:d path:p mode:o" },
	{ "rmdir", "path:p" },
	{ "unlink", "path:p" },
	{ "unlinkat", "dirfd:d path:p flags:x" },
	{ "rename", "oldpath:p newpath:p" },
	{ "renameat", "olddirfd:d oldpath:p newdirfd:d newpath:p" },
	{ "renameat2", "olddirfd:d oldpath:p newdirfd:d newpath:p flags:x" },
	{ "truncate", "path:p length:n" },
	{ "ftruncate", "fd:f length:n" },
	{ "chdir", "path:p" },
	{ "fchdir", "fd:f" },
	{ "execve", "path:p argv:x envp:x" },
	{ "execveat", "dirfd:d path:p argv:x envp:x flags:x" },
	{ "mount", "source:p target:p fstype:p flags:x data:x" },
	{ "umount2", "target:p flags:x" },
	{ "fsync", "fd:f" },
	{ "fdatasync", "fd:f" },
	{ "syncfs", "fd:f" },
	{ "sync_file_range", "fd:f offset:n nbytes:n flags:x" },
	{ "fallocate", "fd:f mode:x offset:n len:n" },
	{ "flock", "fd:f op:n" },
	{ "fcntl", "fd:f cmd:n arg:x" },
	{ "ioctl", "fd:f request:x arg:x" },
	{ "lseek", "fd:f offset:n whence:n" },
	{ "getdents64", "fd:f dirp:x count:n" },
	{ "getdents", "fd:f dirp:x count:n" },
	{ "sendfile", "out_fd:f in_fd:f offset:x count:n" },
	{ "splice", "fd_in:f off_in:x fd_out:f off_out:x len:n flags:x" },
	{ "copy_file_range", "fd_in:f off_in:x fd_out:f off_out:x len:n flags:x" },
	{ "poll", "fds:x nfds:n timeout:n" },
	{ "ppoll", "fds:x nfds:n tmo:x sigmask:x sigsetsize:n" },
	{ "select", "nfds:n readfds:x writefds:x exceptfds:x timeout:x" },
	{ "pselect6", "nfds:n readfds:x writefds:x exceptfds:x timeout:x sigmask:x" },
	{ "epoll_wait", "epfd:f events:x maxevents:n timeout:n" },
	{ "epoll_pwait", "epfd:f events:x maxevents:n timeout:n sigmask:x sigsetsize:n" },
	{ "epoll_pwait2", "epfd:f events:x maxevents:n timeout:x sigmask:x sigsetsize:n" },
	{ "epoll_ctl", "epfd:f op:n fd:f event:x" },
	{ "accept", "fd:f addr:x addrlen:x" },
	{ "accept4", "fd:f addr:x addrlen:x flags:x" },
	{ "connect", "fd:f addr:x addrlen:n" },
	{ "recvfrom", "fd:f buf:x len:n flags:x src:x addrlen:x" },
	{ "sendto", "fd:f buf:x len:n flags:x dest:x addrlen:n" },
	{ "recvmsg", "fd:f msg:x flags:x" },
	{ "sendmsg", "fd:f msg:x flags:x" },
	{ "recvmmsg", "fd:f msgvec:x vlen:n flags:x timeout:x" },
	{ "sendmmsg", "fd:f msgvec:x vlen:n flags:x" },
	{ "shutdown", "fd:f how:n" },
	{ "io_uring_enter", "fd:f to_submit:n min_complete:n flags:x sig:x sigsz:n" },
	{ "inotify_add_watch", "fd:f path:p mask:x" },
	{ "fanotify_mark", "fd:f flags:x mask:x dirfd:d path:p" },
	{ "futex", "uaddr:x op:x val:n timeout:x uaddr2:x val3:x" },
	{ "nanosleep", "req:x rem:x" },
	{ "clock_nanosleep", "clockid:n flags:x req:x rem:x" },
	{ "wait4", "pid:n status:x options:x rusage:x" },
	{ "waitid", "idtype:n id:n infop:x options:x rusage:x" },
	{ "kill", "pid:n sig:n" },
	{ "tgkill", "tgid:n tid:n sig:n" },
	{ "pause", "" },
	{ "vfork", "" },
	{ "fork", "" },
	{ "sync", "" },
	{ "sched_yield", "" },
	{ "exit", "status:n" },
	{ "exit_group", "status:n" },
	{ "rt_sigsuspend", "mask:x sigsetsize:n" },
	{ "rt_sigtimedwait", "set:x info:x timeout:x sigsetsize:n" },
	{ "msgrcv", "msqid:n msgp:x msgsz:n msgtyp:n msgflg:x" },
	{ "msgsnd", "msqid:n msgp:x msgsz:n msgflg:x" },
	{ "semop", "semid:n sops:x nsops:n" },
	{ "semtimedop", "semid:n sops:x nsops:n timeout:x" },
	{ "mq_timedreceive", "mqdes:f msg:x len:n prio:x timeout:x" },
	{ "mq_timedsend", "mqdes:f msg:x len:n prio:n timeout:x" },
	{ "msync", "addr:x length:n flags:x" },
	{ "mmap", "addr:x length:n prot:x flags:x fd:f offset:x" },
	{ "munmap", "addr:x length:n" },
	{ "dup", "fd:f" },
	{ "dup2", "oldfd:f newfd:n" },
	{ "dup3", "oldfd:f newfd:n flags:x" },
	{ "pipe2", "fds:x flags:x" },
	{ "pidfd_open", "pid:n flags:x" },
	{ "ptrace", "request:n pid:n addr:x data:x" },
};

const char *kernel_sys_signature(const char *name)
{
	for (size_t i = 0; i < WT_ARRAY_SIZE(signatures); i++)
		if (strcmp(signatures[i].name, name) == 0)
			return signatures[i].sig;
	return NULL;
}

int kernel_sys_read_string(pid_t pid, uint64_t addr, size_t max, char **out, bool *truncated)
{
	char *buf = malloc(max + 1);
	if (!buf)
		return -ENOMEM;
	size_t got = 0;
	long page = sysconf(_SC_PAGESIZE);
	bool found = false;
	/* Read page by page: the string may end just before an unmapped page. */
	while (got < max) {
		uint64_t a = addr + got;
		size_t chunk = (size_t)page - (size_t)(a % (uint64_t)page);
		if (chunk > max - got)
			chunk = max - got;
		struct iovec local = { buf + got, chunk };
		struct iovec remote = { (void *)(uintptr_t)a, chunk };
		ssize_t n = kernel_sys_io.vm_readv(pid, &local, 1, &remote, 1, 0);
		if (n <= 0) {
			if (got == 0) {
				int e = n < 0 ? errno : EFAULT;
				free(buf);
				return -e;
			}
			break;
		}
		char *nul = memchr(buf + got, '\0', (size_t)n);
		if (nul) {
			got = (size_t)(nul - buf);
			found = true;
			break;
		}
		got += (size_t)n;
	}
	if (truncated)
		*truncated = !found;
	*out = wt_escape(buf, got, 0);
	free(buf);
	return *out ? 0 : -ENOMEM;
}

static char *fd_target(pid_t pid, pid_t tid, int fd, char **note)
{
	char path[64], link[4096];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/fd/%d", (int)pid, (int)tid, fd);
	ssize_t n = kernel_sys_io.readlink(path, link, sizeof(link));
	if (n < 0) {
		int e = errno;
		if (e == ENOENT)
			*note = strdup("no such fd any more (closed meanwhile)");
		else if (e == EACCES || e == EPERM)
			*note = strdup("the path behind an fd is shown only to a reader allowed to "
				       "ptrace the task (same user, or root)");
		else
			*note = strdup(strerror(e));
		return NULL;
	}
	return wt_escape(link, (size_t)n, 0);
}

static void decode_arg(struct kernel_sys_arg *a, char kind, bool wide, pid_t pid, pid_t tid,
		       const char *no_memory)
{
	char tmp[64];
	/* A 32-bit ABI's registers hold 32-bit values; sign-extend them from there. */
	int64_t sval = wide ? (int64_t)a->raw : (int64_t)(int32_t)a->raw;
	int fd = (int)(int32_t)a->raw;

	switch (kind) {
	case 'd':
		a->kind = KARG_DIRFD;
		if (fd == -100) {
			a->text = strdup("AT_FDCWD");
			return;
		}
		/* fall through */
	case 'f':
		if (kind == 'f')
			a->kind = KARG_FD;
		/* The kernel takes an fd as an int: the low 32 bits. */
		if (fd < 0 || pid <= 0) {
			snprintf(tmp, sizeof(tmp), "%d", fd);
			a->text = strdup(tmp);
			return;
		}
		a->target = fd_target(pid, tid, fd, &a->note);
		{
			struct wt_buf b;
			wt_buf_init(&b);
			wt_buf_printf(&b, "%d<%s>", fd, a->target ? a->target : "?");
			a->text = wt_buf_steal(&b);
		}
		return;
	case 'p':
		a->kind = KARG_PATH;
		if (a->raw == 0) {
			a->text = strdup("NULL");
			return;
		}
		if (pid > 0 && no_memory) {
			a->note = strdup(no_memory);
		} else if (pid > 0) {
			bool trunc = false;
			int rc =
			    kernel_sys_read_string(pid, a->raw, PATH_READ_MAX, &a->target, &trunc);
			if (rc == 0) {
				struct wt_buf b;
				wt_buf_init(&b);
				wt_buf_printf(&b, "\"%s\"%s", a->target, trunc ? "..." : "");
				a->text = wt_buf_steal(&b);
				return;
			}
			a->target = NULL;
			a->note = (rc == -EPERM || rc == -EACCES)
					  ? strdup("the task's memory is readable only by a reader "
						   "allowed to ptrace it (same user, or root)")
					  : strdup("the address is not mapped in the task");
		}
		snprintf(tmp, sizeof(tmp), "0x%llx", (unsigned long long)a->raw);
		a->text = strdup(tmp);
		return;
	case 'n':
		a->kind = KARG_NUM;
		snprintf(tmp, sizeof(tmp), "%lld", (long long)sval);
		a->text = strdup(tmp);
		return;
	case 'o':
		a->kind = KARG_OCT;
		snprintf(tmp, sizeof(tmp), a->raw ? "0%llo" : "0", (unsigned long long)a->raw);
		a->text = strdup(tmp);
		return;
	default:
		a->kind = KARG_HEX;
		snprintf(tmp, sizeof(tmp), "0x%llx", (unsigned long long)a->raw);
		a->text = strdup(tmp);
		return;
	}
}

/* Static argument names: interned so that kernel_sys_arg.name may stay a const pointer. */
static const char *intern_name(const char *p, size_t l)
{
	static const char *known[] = {
		"fd", "buf", "count", "offset", "iov", "iovcnt", "pos_l", "pos_h", "flags", "path",
		"mode", "dirfd", "how", "size", "statbuf", "mask", "statxbuf", "bufsiz", "oldpath",
		"newpath", "olddirfd", "newdirfd", "length", "argv", "envp", "source", "target",
		"fstype", "data", "nbytes", "len", "op", "cmd", "arg", "request", "whence", "dirp",
		"out_fd", "in_fd", "fd_in", "off_in", "fd_out", "off_out", "fds", "nfds", "timeout",
		"tmo", "sigmask", "sigsetsize", "readfds", "writefds", "exceptfds", "epfd",
		"events", "maxevents", "event", "addr", "addrlen", "src", "dest", "msg", "msgvec",
		"vlen", "to_submit", "min_complete", "sig", "sigsz", "uaddr", "val", "uaddr2",
		"val3", "req", "rem", "clockid", "pid", "status", "options", "rusage", "idtype",
		"id", "infop", "tgid", "tid", "set", "info", "msqid", "msgp", "msgsz", "msgtyp",
		"msgflg", "semid", "sops", "nsops", "mqdes", "prio", "prot", "oldfd", "newfd",
	};
	for (size_t i = 0; i < WT_ARRAY_SIZE(known); i++)
		if (strlen(known[i]) == l && memcmp(known[i], p, l) == 0)
			return known[i];
	return "arg";
}

void kernel_sys_clear(struct kernel_syscall *sc)
{
	for (int i = 0; i < 6; i++) {
		free(sc->arg[i].text);
		free(sc->arg[i].target);
		free(sc->arg[i].note);
		sc->arg[i].text = sc->arg[i].target = sc->arg[i].note = NULL;
	}
	free(sc->summary);
	sc->summary = NULL;
	sc->file = NULL;
	sc->nargs = 0;
}

void kernel_sys_decode(struct kernel_syscall *sc, uint32_t arch, pid_t pid, pid_t tid)
{
	kernel_sys_decode_ex(sc, arch, pid, tid, NULL);
}

void kernel_sys_decode_ex(struct kernel_syscall *sc, uint32_t arch, pid_t pid, pid_t tid,
			  const char *no_memory)
{
	sc->arch = arch;
	sc->file = NULL;
	switch (sc->state) {
	case KSYS_UNKNOWN:
		snprintf(sc->name, sizeof(sc->name), "?");
		sc->summary = strdup("unknown");
		return;
	case KSYS_RUNNING:
		snprintf(sc->name, sizeof(sc->name), "running");
		sc->summary = strdup("running");
		return;
	case KSYS_NONE:
		snprintf(sc->name, sizeof(sc->name), "-");
		sc->summary = strdup("not in a syscall");
		return;
	case KSYS_KTHREAD:
		snprintf(sc->name, sizeof(sc->name), "-");
		sc->summary = strdup("kernel thread: makes no syscalls");
		return;
	case KSYS_EXITED:
		snprintf(sc->name, sizeof(sc->name), "-");
		sc->summary = strdup("exited: a zombie makes no more syscalls");
		return;
	case KSYS_IN:
		break;
	}

	char nbuf[48];
	uint32_t name_arch = arch;
	long nr = sc->nr;
	/* An x32 task on x86_64 marks its numbers with bit 30; the names are x86_64's. */
	if (arch == AUDIT_ARCH_X86_64 && (nr & 0x40000000))
		nr &= ~0x40000000L;
	snprintf(sc->name, sizeof(sc->name), "%s", sysname(name_arch, nr, nbuf, sizeof(nbuf)));

	const char *sig = kernel_sys_signature(sc->name);
	const char *names[6];
	char kinds[6];
	int n = 0;
	if (sig) {
		/* "fd:f buf:x count:n": a name, a colon, one kind letter. */
		for (const char *p = sig; *p && n < 6;) {
			while (*p == ' ')
				p++;
			const char *colon = strchr(p, ':');
			if (!colon || !colon[1])
				break;
			names[n] = intern_name(p, (size_t)(colon - p));
			kinds[n] = colon[1];
			n++;
			p = colon + 2;
		}
	} else {
		n = 6;
		for (int i = 0; i < 6; i++) {
			names[i] = "arg";
			kinds[i] = 'x';
		}
	}
	bool wide = arch != AUDIT_ARCH_I386;
	struct wt_buf b;
	wt_buf_init(&b);
	wt_buf_printf(&b, "%s(", sc->name);
	sc->nargs = n;
	for (int i = 0; i < n; i++) {
		struct kernel_sys_arg *a = &sc->arg[i];
		a->name = names[i];
		a->raw = sc->raw[i];
		decode_arg(a, kinds[i], wide, pid, tid, no_memory);
		if (!sc->file && a->target && (a->kind != KARG_HEX))
			sc->file = a->target;
		wt_buf_printf(&b, "%s%s", i ? ", " : "", a->text ? a->text : "?");
	}
	wt_buf_puts(&b, ")");
	sc->summary = wt_buf_steal(&b);
}
