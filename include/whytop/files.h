/*
 * files.h: what a process holds open and maps, and its environment
 * (src/core/proc/files.c): every fd from /proc/PID/fd and fdinfo, with the
 * sockets looked up in the process's own /proc/PID/net tables; the memory
 * maps from smaps (or maps) with their RSS; /proc/PID/environ. No curses.
 * Every string handed out is escaped (wt_escape). Readers return 0 or
 * -errno and fill a struct wt_err with a sentence; the parsers below them
 * work on canned text (tests/unit/test_files.c).
 */
#ifndef WHYTOP_FILES_H
#define WHYTOP_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <whytop/util.h>

enum proc_fd_type {
	PROC_FD_OTHER,
	PROC_FD_FILE,
	PROC_FD_DIR,
	PROC_FD_CHR,
	PROC_FD_BLK,
	PROC_FD_PIPE, /* a pipe or a FIFO */
	PROC_FD_SOCKET,
	PROC_FD_EVENTFD,
	PROC_FD_EVENTPOLL,
	PROC_FD_SIGNALFD,
	PROC_FD_TIMERFD,
	PROC_FD_INOTIFY,
	PROC_FD_FANOTIFY,
	PROC_FD_PIDFD,
	PROC_FD_MEMFD,
	PROC_FD_ANON, /* another anon inode ("anon_inode:[io_uring]") */
};

/* "file", "dir", "pipe", "socket", "eventfd", ... (never NULL). */
const char *proc_fd_type_name(enum proc_fd_type t);

/* A socket as the process's network namespace lists it. */
struct proc_sock {
	uint64_t inode;
	char proto[16];	  /* "tcp", "tcp6", "udp", "udp6", "raw", "raw6", "unix", "netlink" */
	char local[128];  /* "127.0.0.1:8080", "[::1]:53", a unix path (escaped), "pid 1234" */
	char remote[128]; /* "" when there is no peer the table shows */
	char state[16];	  /* "LISTEN", "ESTABLISHED", "CONNECTED", ... or "" */
};

struct proc_fd {
	int fd;
	enum proc_fd_type type;
	char *target;	/* the link ("/etc/passwd", "pipe:[123]"), escaped */
	bool have_info; /* flags and pos were read from fdinfo */
	unsigned flags; /* open flags (O_RDWR | O_APPEND ...) from fdinfo */
	uint64_t pos;
	bool have_sock; /* a socket found in /proc/PID/net: sock is filled */
	struct proc_sock sock;
};

/*
 * The open fds of pid in increasing order (fds malloc'd; proc_fds_free).
 * An fd closed while it is read is passed over. 0 or -errno (-ESRCH: the
 * process has exited; -EACCES: not ours), err says which and what to do.
 */
int proc_fds_read(pid_t pid, struct proc_fd **fds, size_t *n, struct wt_err *err);
void proc_fds_free(struct proc_fd *fds, size_t n);

/* "O_RDWR|O_APPEND|O_CLOEXEC" (and "0NNN" for bits it has no name for) into buf. */
char *proc_fd_flags_str(unsigned flags, char *buf, size_t size);

/* One mapping with its resident size. */
struct proc_mapping {
	uint64_t start, end, offset;
	char perms[5];
	uint64_t rss_kb; /* 0 when smaps could not be read */
	char *path;	 /* escaped; "" for an anonymous mapping, "[heap]", "[stack]" */
};

/*
 * The mappings of pid from /proc/PID/smaps (the RSS of each), or from maps
 * when smaps cannot be read (have_rss false); *total_rss_kb from
 * smaps_rollup (or the sum). Reading takes the target's mmap lock (as the
 * command line does): only on demand. 0 or -errno with err.
 */
int proc_maps_read(pid_t pid, struct proc_mapping **maps, size_t *n, bool *have_rss,
		   uint64_t *total_rss_kb, struct wt_err *err);
void proc_maps_free(struct proc_mapping *maps, size_t n);

/*
 * The environment of pid (/proc/PID/environ), one "NAME=value" string per
 * variable, each escaped (vars malloc'd; proc_environ_free). At most
 * PROC_ENVIRON_MAX bytes are read (*cut says more was there). An empty
 * environment (a kernel thread, a zombie) is 0 with *n == 0. 0 or -errno
 * with err (EACCES: run as root or as the owner; ESRCH: gone).
 */
#define PROC_ENVIRON_MAX (4u << 20)
int proc_environ_read(pid_t pid, char ***vars, size_t *n, bool *cut, struct wt_err *err);
void proc_environ_free(char **vars, size_t n);

/* Parsers on canned text (exposed for tests). */

/* fdinfo: "pos:" and "flags:" (octal). -EINVAL if either is missing. */
int proc_parse_fdinfo(const char *buf, size_t len, uint64_t *pos, unsigned *flags);
/* The type of an fd from its link target, and (for paths) its st_mode (0: unknown). */
enum proc_fd_type proc_fd_classify(const char *target, unsigned mode);
/*
 * The sockets of one /proc/net table (proto "tcp", "tcp6", "udp", "udp6",
 * "raw", "raw6", "unix" or "netlink"), appended to *socks (*n of them,
 * *cap allocated). Lines that do not parse are passed over. 0 or -ENOMEM.
 */
int proc_parse_net(const char *proto, const char *buf, size_t len, struct proc_sock **socks,
		   size_t *n, size_t *cap);
/* Split a NUL-separated environ into escaped strings (see proc_environ_read). */
int proc_parse_environ(const char *buf, size_t len, char ***vars, size_t *n);

#endif
