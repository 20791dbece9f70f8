/*
 * table.c: what whytop knows about each system call, by NAME: strace's
 * classes and argument counts (sysent.h, generated from strace's tables),
 * the kind of each argument and of the result (sigs[] below). One entry
 * serves x86_64 and i386; the numbers come from libseccomp (sysnames.h),
 * resolved once into an array per ABI indexed by number.
 *
 * Where i386 differs: its 32-bit words are sign-extended by kind (K_INT,
 * K_LONG), struct timespec of the old calls is two 32-bit words (K_TS_*;
 * the *_time64 calls use K_TS64_*), stat64/fstat64/fstatat64 use the
 * stat64 layout (K_STAT), the old stat/fstat/lstat and old_mmap (i386 "mmap",
 * one pointer argument) stay hex, mmap2's offset is in pages (K_PGOFF),
 * 64-bit arguments passed in two words are joined (sigs_i386, K_LL),
 * _llseek's offset in two words stays hex, socketcall is shown as its
 * subcall (socket, connect, ...: sock_sub below) from the array of its
 * arguments, and the ipc multiplexer prints its raw arguments.
 */
#include <pthread.h>
#include <string.h>

#include <linux/audit.h>

#include <whytop/sysnames.h>

#include "decode_int.h"

/* The signature table, one call per line. */
/* clang-format off */
/* Shorthands for the signature table. */
#define HEX K_HEX
#define I K_INT
#define U K_UINT
#define L K_LONG
#define UL K_ULONG
#define O K_OCT
#define FD K_FD
#define DFD K_DIRFD
#define PATH K_PATH
#define STR K_STR
#define OBUF K_OBUF
#define OSTR K_OSTR
#define IBUF(n) SD_ARG(K_IBUF, n)
#define FL(x) SD_ARG(K_FLAGS, X_##x)
#define XV(x) SD_ARG(K_XVAL, X_##x)
#define SIG K_SIG
#define SA_IN(n) SD_ARG(K_SA_IN, n)
#define SA_OUT(n) SD_ARG(K_SA_OUT, n)
#define FDS SD_ARG(K_FDSET_IN, 0)
#define POLLFD SD_ARG(K_POLLFD, 1)

struct sd_sig {
	const char *name;
	uint8_t ret;
	uint16_t arg[6];
};

/* Argument kinds by name; calls not here print hex (strace's printargs). */
static const struct sd_sig sigs[] = {
	/* %desc, %file */
	{ "read", R_INT, { FD, OBUF, UL } },
	{ "write", R_INT, { FD, IBUF(2), UL } },
	{ "pread64", R_INT, { FD, OBUF, UL, L } },
	{ "pwrite64", R_INT, { FD, IBUF(2), UL, L } },
	{ "readv", R_INT, { FD, SD_ARG(K_IOV_OUT, 2), I } },
	{ "writev", R_INT, { FD, SD_ARG(K_IOV_IN, 2), I } },
	{ "preadv", R_INT, { FD, SD_ARG(K_IOV_OUT, 2), I, L } },
	{ "pwritev", R_INT, { FD, SD_ARG(K_IOV_IN, 2), I, L } },
	{ "preadv2", R_INT, { FD, SD_ARG(K_IOV_OUT, 2), I, L, L, FL(RWF) } },
	{ "pwritev2", R_INT, { FD, SD_ARG(K_IOV_IN, 2), I, L, L, FL(RWF) } },
	{ "open", R_FD, { PATH, K_OPENFL, SD_ARG(K_OPENMODE, 1) } },
	{ "creat", R_FD, { PATH, O } },
	{ "openat", R_FD, { DFD, PATH, K_OPENFL, SD_ARG(K_OPENMODE, 2) } },
	{ "openat2", R_FD, { DFD, PATH, HEX, UL } },
	{ "open_by_handle_at", R_FD, { DFD, HEX, K_OPENFL } },
	{ "name_to_handle_at", R_INT, { DFD, PATH, HEX, HEX, FL(AT) } },
	{ "close", R_INT, { FD } },
	{ "close_range", R_INT, { FD, FD, U } },
	{ "stat", R_INT, { PATH, K_STAT } },
	{ "lstat", R_INT, { PATH, K_STAT } },
	{ "fstat", R_INT, { FD, K_STAT } },
	{ "newfstatat", R_INT, { DFD, PATH, K_STAT, FL(AT) } },
	{ "stat64", R_INT, { PATH, K_STAT } },
	{ "lstat64", R_INT, { PATH, K_STAT } },
	{ "fstat64", R_INT, { FD, K_STAT } },
	{ "fstatat64", R_INT, { DFD, PATH, K_STAT, FL(AT) } },
	{ "statx", R_INT, { DFD, PATH, K_STATXFL, FL(STATX), K_STATX } },
	{ "statfs", R_INT, { PATH, HEX } },
	{ "fstatfs", R_INT, { FD, HEX } },
	{ "statfs64", R_INT, { PATH, UL, HEX } },
	{ "fstatfs64", R_INT, { FD, UL, HEX } },
	{ "poll", R_POLL, { POLLFD, U, I } },
	{ "ppoll", R_POLL, { POLLFD, U, K_TS_INOUT, K_SIGSET_IN, UL } },
	{ "ppoll_time64", R_POLL, { POLLFD, U, K_TS_INOUT, K_SIGSET_IN, UL } },
	{ "select", R_INT, { I, FDS, FDS, FDS, K_TV_IN } },
	{ "_newselect", R_INT, { I, FDS, FDS, FDS, K_TV_IN } },
	{ "pselect6", R_INT, { I, FDS, FDS, FDS, K_TS_IN, HEX } },
	{ "pselect6_time64", R_INT, { I, FDS, FDS, FDS, K_TS64_IN, HEX } },
	{ "lseek", R_INT, { FD, L, XV(SEEK) } },
	{ "_llseek", R_INT, { FD, UL, UL, HEX, XV(SEEK) } },
	{ "ioctl", R_INT, { FD, XV(IOCTL), SD_ARG(K_IOCTLARG, 1) } },
	{ "access", R_INT, { PATH, K_ACCESS } },
	{ "faccessat", R_INT, { DFD, PATH, K_ACCESS } },
	{ "faccessat2", R_INT, { DFD, PATH, K_ACCESS, FL(AT) } },
	{ "pipe", R_INT, { K_PIPE } },
	{ "pipe2", R_INT, { K_PIPE, FL(OPEN) } },
	{ "dup", R_FD, { FD } },
	{ "dup2", R_FD, { FD, FD } },
	{ "dup3", R_FD, { FD, FD, FL(OPEN) } },
	{ "fcntl", R_FCNTL, { FD, XV(FCNTL), SD_ARG(K_FCNTLARG, 1) } },
	{ "fcntl64", R_FCNTL, { FD, XV(FCNTL), SD_ARG(K_FCNTLARG, 1) } },
	{ "flock", R_INT, { FD, FL(LOCK) } },
	{ "fsync", R_INT, { FD } },
	{ "fdatasync", R_INT, { FD } },
	{ "syncfs", R_INT, { FD } },
	{ "sync_file_range", R_INT, { FD, L, L, U } },
	{ "truncate", R_INT, { PATH, L } },
	{ "ftruncate", R_INT, { FD, L } },
	{ "getdents", R_INT, { FD, SD_ARG(K_DENTS, 1), U } },
	{ "getdents64", R_INT, { FD, K_DENTS, U } },
	{ "getcwd", R_INT, { OSTR, UL } },
	{ "chdir", R_INT, { PATH } },
	{ "fchdir", R_INT, { FD } },
	{ "chroot", R_INT, { PATH } },
	{ "rename", R_INT, { PATH, PATH } },
	{ "renameat", R_INT, { DFD, PATH, DFD, PATH } },
	{ "renameat2", R_INT, { DFD, PATH, DFD, PATH, FL(RENAME) } },
	{ "mkdir", R_INT, { PATH, O } },
	{ "mkdirat", R_INT, { DFD, PATH, O } },
	{ "rmdir", R_INT, { PATH } },
	{ "link", R_INT, { PATH, PATH } },
	{ "linkat", R_INT, { DFD, PATH, DFD, PATH, FL(AT) } },
	{ "symlink", R_INT, { PATH, PATH } },
	{ "symlinkat", R_INT, { PATH, DFD, PATH } },
	{ "unlink", R_INT, { PATH } },
	{ "unlinkat", R_INT, { DFD, PATH, FL(AT) } },
	{ "readlink", R_INT, { PATH, OBUF, UL } },
	{ "readlinkat", R_INT, { DFD, PATH, OBUF, UL } },
	{ "chmod", R_INT, { PATH, O } },
	{ "fchmod", R_INT, { FD, O } },
	{ "fchmodat", R_INT, { DFD, PATH, O } },
	{ "fchmodat2", R_INT, { DFD, PATH, O, FL(AT) } },
	{ "chown", R_INT, { PATH, I, I } },
	{ "lchown", R_INT, { PATH, I, I } },
	{ "fchown", R_INT, { FD, I, I } },
	{ "fchownat", R_INT, { DFD, PATH, I, I, FL(AT) } },
	{ "mknod", R_INT, { PATH, O, HEX } },
	{ "mknodat", R_INT, { DFD, PATH, O, HEX } },
	{ "utime", R_INT, { PATH, HEX } },
	{ "utimes", R_INT, { PATH, HEX } },
	{ "futimesat", R_INT, { DFD, PATH, HEX } },
	{ "utimensat", R_INT, { DFD, PATH, HEX, FL(AT) } },
	{ "utimensat_time64", R_INT, { DFD, PATH, HEX, FL(AT) } },
	{ "acct", R_INT, { PATH } },
	{ "swapon", R_INT, { PATH, HEX } },
	{ "swapoff", R_INT, { PATH } },
	{ "mount", R_INT, { PATH, PATH, STR, HEX, HEX } },
	{ "umount2", R_INT, { PATH, HEX } },
	{ "pivot_root", R_INT, { PATH, PATH } },
	{ "truncate64", R_INT, { PATH, HEX, HEX } },
	{ "ftruncate64", R_INT, { FD, HEX, HEX } },
	{ "setxattr", R_INT, { PATH, STR, IBUF(3), UL, HEX } },
	{ "lsetxattr", R_INT, { PATH, STR, IBUF(3), UL, HEX } },
	{ "fsetxattr", R_INT, { FD, STR, IBUF(3), UL, HEX } },
	{ "getxattr", R_INT, { PATH, STR, OBUF, UL } },
	{ "lgetxattr", R_INT, { PATH, STR, OBUF, UL } },
	{ "fgetxattr", R_INT, { FD, STR, OBUF, UL } },
	{ "listxattr", R_INT, { PATH, HEX, UL } },
	{ "llistxattr", R_INT, { PATH, HEX, UL } },
	{ "flistxattr", R_INT, { FD, HEX, UL } },
	{ "removexattr", R_INT, { PATH, STR } },
	{ "lremovexattr", R_INT, { PATH, STR } },
	{ "fremovexattr", R_INT, { FD, STR } },
	{ "inotify_init1", R_FD, { FL(INIT1) } },
	{ "inotify_add_watch", R_INT, { FD, PATH, FL(IN) } },
	{ "inotify_rm_watch", R_INT, { FD, I } },
	{ "fanotify_mark", R_INT, { FD, HEX, HEX, DFD, PATH } },
	{ "eventfd", R_FD, { U } },
	{ "eventfd2", R_FD, { U, FL(EFD) } },
	{ "signalfd", R_FD, { FD, K_SIGSET_IN, UL } },
	{ "signalfd4", R_FD, { FD, K_SIGSET_IN, UL, FL(SFD) } },
	{ "timerfd_create", R_FD, { XV(CLOCK), FL(TFD) } },
	{ "timerfd_settime", R_INT, { FD, FL(TIMER), HEX, HEX } },
	{ "timerfd_settime64", R_INT, { FD, FL(TIMER), HEX, HEX } },
	{ "timerfd_gettime", R_INT, { FD, HEX } },
	{ "timerfd_gettime64", R_INT, { FD, HEX } },
	{ "epoll_create", R_FD, { I } },
	{ "epoll_create1", R_FD, { FL(EPOLLFL) } },
	{ "epoll_ctl", R_INT, { FD, XV(EPOLLCTL), FD, K_EPEV_IN } },
	{ "epoll_wait", R_INT, { FD, HEX, I, I } },
	{ "epoll_pwait", R_INT, { FD, HEX, I, I, HEX, UL } },
	{ "epoll_pwait2", R_INT, { FD, HEX, I, HEX, HEX, UL } },
	{ "sendfile", R_INT, { FD, FD, HEX, UL } },
	{ "sendfile64", R_INT, { FD, FD, HEX, UL } },
	{ "splice", R_INT, { FD, HEX, FD, HEX, UL, HEX } },
	{ "tee", R_INT, { FD, FD, UL, HEX } },
	{ "vmsplice", R_INT, { FD, HEX, UL, HEX } },
	{ "copy_file_range", R_INT, { FD, HEX, FD, HEX, UL, U } },
	{ "fallocate", R_INT, { FD, FL(FALLOC), L, L } },
	{ "fadvise64", R_INT, { FD, L, UL, XV(FADV) } },
	{ "fadvise64_64", R_INT, { FD, HEX, HEX, HEX, HEX, XV(FADV) } },
	{ "readahead", R_INT, { FD, L, UL } },
	{ "memfd_create", R_FD, { STR, HEX } },
	{ "userfaultfd", R_FD, { FL(OPEN) } },
	{ "pidfd_open", R_FD, { I, U } },
	{ "pidfd_getfd", R_FD, { FD, FD, U } },
	{ "pidfd_send_signal", R_INT, { FD, SIG, HEX, U } },
	{ "setns", R_INT, { FD, FL(CLONE) } },
	{ "execve", R_INT, { PATH, K_ARGV, K_ENVC } },
	{ "execveat", R_INT, { DFD, PATH, K_ARGV, K_ENVC, FL(AT) } },
	/* %memory */
	{ "mmap", R_HEX, { HEX, UL, FL(PROT), FL(MAP), FD, K_XNUM } },
	{ "mmap2", R_HEX, { HEX, UL, FL(PROT), FL(MAP), FD, K_PGOFF } },
	{ "mprotect", R_INT, { HEX, UL, FL(PROT) } },
	{ "pkey_mprotect", R_INT, { HEX, UL, FL(PROT), I } },
	{ "munmap", R_INT, { HEX, UL } },
	{ "brk", R_HEX, { HEX } },
	{ "mremap", R_HEX, { HEX, UL, UL, FL(MREMAP), HEX } },
	{ "msync", R_INT, { HEX, UL, FL(MSYNC) } },
	{ "madvise", R_INT, { HEX, UL, XV(MADV) } },
	{ "mincore", R_INT, { HEX, UL, HEX } },
	{ "mlock", R_INT, { HEX, UL } },
	{ "mlock2", R_INT, { HEX, UL, FL(MLOCK) } },
	{ "munlock", R_INT, { HEX, UL } },
	{ "mlockall", R_INT, { FL(MCL) } },
	{ "shmat", R_HEX, { I, HEX, FL(SHMAT) } },
	{ "shmdt", R_INT, { HEX } },
	/* %ipc (SysV): keys, flags and commands; the structures stay addresses */
	{ "semget", R_INT, { K_IPCKEY, I, SD_ARG(K_IPCFLAGS, X_IPCRES) } },
	{ "semop", R_INT, { I, SD_ARG(K_SEMBUF, 2), U } },
	{ "semtimedop", R_INT, { I, SD_ARG(K_SEMBUF, 2), U, K_TS_IN } },
	{ "semtimedop_time64", R_INT, { I, SD_ARG(K_SEMBUF, 2), U, K_TS64_IN } },
	{ "semctl", R_INT, { I, I, SD_ARG(K_IPCCMD, X_SEMCTL), HEX } },
	{ "msgget", R_INT, { K_IPCKEY, SD_ARG(K_IPCFLAGS, X_IPCRES) } },
	{ "msgsnd", R_INT, { I, SD_ARG(K_MSGBUF_IN, 2), UL, FL(IPCMSG) } },
	{ "msgrcv", R_INT, { I, SD_ARG(K_MSGBUF_OUT, 2), UL, L, FL(IPCMSG) } },
	{ "msgctl", R_INT, { I, SD_ARG(K_IPCCMD, X_MSGCTL), HEX } },
	{ "shmget", R_INT, { K_IPCKEY, UL, SD_ARG(K_IPCFLAGS, X_SHMRES) } },
	{ "shmctl", R_INT, { I, SD_ARG(K_IPCCMD, X_SHMCTL), HEX } },
	/* %process */
	{ "clone", R_INT, { K_CLONEFL, K_SKIP, K_SKIP, K_CLONETAIL, K_SKIP } },
	{ "clone3", R_INT, { HEX, UL } },
	{ "exit", R_NONE, { I } },
	{ "exit_group", R_NONE, { I } },
	{ "wait4", R_INT, { I, K_WSTATUS, FL(WAIT), HEX } },
	{ "waitpid", R_INT, { I, K_WSTATUS, FL(WAIT) } },
	{ "waitid", R_INT, { XV(IDTYPE), I, HEX, FL(WAIT), HEX } },
	{ "kill", R_INT, { I, SIG } },
	{ "tkill", R_INT, { I, SIG } },
	{ "tgkill", R_INT, { I, I, SIG } },
	{ "rt_sigqueueinfo", R_INT, { I, SIG, HEX } },
	{ "rt_tgsigqueueinfo", R_INT, { I, I, SIG, HEX } },
	{ "unshare", R_INT, { FL(CLONE) } },
	{ "uname", R_INT, { K_UTSNAME } },
	/* %signal */
	{ "rt_sigaction", R_INT, { SIG, K_SIGACT_IN, K_SIGACT_OUT, UL } },
	{ "rt_sigprocmask", R_INT, { XV(SIGHOW), K_SIGSET_IN, K_SIGSET_OUT, UL } },
	{ "rt_sigpending", R_INT, { K_SIGSET_OUT, UL } },
	{ "rt_sigsuspend", R_INT, { K_SIGSET_IN, UL } },
	{ "rt_sigtimedwait", R_INT, { K_SIGSET_IN, HEX, K_TS_IN, UL } },
	{ "rt_sigtimedwait_time64", R_INT, { K_SIGSET_IN, HEX, K_TS64_IN, UL } },
	{ "sigaltstack", R_INT, { HEX, HEX } },
	{ "rt_sigreturn", R_INT, { K_SIGFRAME } }, /* no arguments: the frame strace shows */
	{ "signal", R_HEX, { SIG, HEX } },
	{ "sigprocmask", R_INT, { XV(SIGHOW), HEX, HEX } },
	/* %network */
	{ "socket", R_FD, { XV(AF), K_SOCKTYPE, SD_ARG(K_SOCKPROTO, 0) } },
	{ "socketpair", R_INT, { XV(AF), K_SOCKTYPE, SD_ARG(K_SOCKPROTO, 0), K_PIPE } },
	{ "connect", R_INT, { FD, SA_IN(2), U } },
	{ "bind", R_INT, { FD, SA_IN(2), U } },
	{ "listen", R_INT, { FD, I } },
	{ "accept", R_FD, { FD, SA_OUT(2), K_LENP } },
	{ "accept4", R_FD, { FD, SA_OUT(2), K_LENP, FL(SOCKFL) } },
	{ "getsockname", R_INT, { FD, SA_OUT(2), K_LENP } },
	{ "getpeername", R_INT, { FD, SA_OUT(2), K_LENP } },
	{ "shutdown", R_INT, { FD, XV(SHUT) } },
	{ "sendto", R_INT, { FD, IBUF(2), UL, FL(MSG), SA_IN(5), U } },
	{ "recvfrom", R_INT, { FD, OBUF, UL, FL(MSG), SA_OUT(5), K_LENP } },
	{ "sendmsg", R_INT, { FD, K_MSGHDR_IN, FL(MSG) } },
	{ "recvmsg", R_INT, { FD, K_MSGHDR_OUT, FL(MSG) } },
	{ "sendmmsg", R_INT, { FD, SD_ARG(K_MMSG_SEND, 2), U, FL(MSG) } },
	{ "recvmmsg", R_MMSG, { FD, SD_ARG(K_MMSG_RECV, 2), U, FL(MSG), K_TS_INOUT } },
	{ "recvmmsg_time64", R_MMSG, { FD, SD_ARG(K_MMSG_RECV, 2), U, FL(MSG), K_TS_INOUT } },
	{ "setsockopt", R_INT, { FD, XV(SOL), I, HEX, U } },
	{ "getsockopt", R_INT, { FD, XV(SOL), I, HEX, HEX } },
	/* %clock, sleeping */
	{ "clock_gettime", R_INT, { XV(CLOCK), K_TS_OUT } },
	{ "clock_settime", R_INT, { XV(CLOCK), K_TS_IN } },
	{ "clock_getres", R_INT, { XV(CLOCK), K_TS_OUT } },
	{ "clock_gettime64", R_INT, { XV(CLOCK), K_TS64_OUT } },
	{ "clock_settime64", R_INT, { XV(CLOCK), K_TS64_IN } },
	{ "clock_getres_time64", R_INT, { XV(CLOCK), K_TS64_OUT } },
	{ "clock_adjtime", R_INT, { XV(CLOCK), HEX } },
	{ "clock_adjtime64", R_INT, { XV(CLOCK), HEX } },
	{ "clock_nanosleep", R_INT, { XV(CLOCK), FL(TIMER), K_TS_IN, HEX } },
	{ "clock_nanosleep_time64", R_INT, { XV(CLOCK), FL(TIMER), K_TS64_IN, HEX } },
	{ "nanosleep", R_INT, { K_TS_IN, HEX } },
	{ "gettimeofday", R_INT, { K_TV_OUT, HEX } },
	{ "settimeofday", R_INT, { K_TV_IN, HEX } },
	{ "time", R_INT, { HEX } },
	{ "adjtimex", R_INT, { HEX } },
	/* the rest of %file, %desc, %memory, %network, %signal: fds, paths and numbers
	 * decoded, structures they point to left as addresses */
	{ "bpf", R_INT, { I, HEX, U } },
	{ "cachestat", R_INT, { FD, HEX, HEX, U } },
	{ "chown32", R_INT, { PATH, I, I } },
	{ "lchown32", R_INT, { PATH, I, I } },
	{ "fchown32", R_INT, { FD, I, I } },
	{ "fanotify_init", R_FD, { HEX, FL(OPEN) } },
	{ "file_getattr", R_INT, { DFD, PATH, HEX, UL, FL(AT) } },
	{ "file_setattr", R_INT, { DFD, PATH, HEX, UL, FL(AT) } },
	{ "finit_module", R_INT, { FD, STR, U } },
	{ "fsconfig", R_INT, { FD, U, STR, HEX, I } },
	{ "fsmount", R_FD, { FD, U, U } },
	{ "fsopen", R_FD, { STR, U } },
	{ "fspick", R_FD, { DFD, PATH, U } },
	{ "get_mempolicy", R_INT, { HEX, HEX, UL, HEX, UL } },
	{ "set_mempolicy", R_INT, { I, HEX, UL } },
	{ "set_mempolicy_home_node", R_INT, { HEX, UL, UL, UL } },
	{ "mbind", R_INT, { HEX, UL, I, HEX, UL, U } },
	{ "migrate_pages", R_INT, { I, UL, HEX, HEX } },
	{ "move_pages", R_INT, { I, UL, HEX, HEX, HEX, I } },
	{ "getpmsg", R_INT, { FD, HEX, HEX, HEX, HEX } },
	{ "putpmsg", R_INT, { FD, HEX, HEX, I, I } },
	{ "getxattrat", R_INT, { DFD, PATH, FL(AT), STR, HEX, U } },
	{ "setxattrat", R_INT, { DFD, PATH, FL(AT), STR, HEX, U } },
	{ "listxattrat", R_INT, { DFD, PATH, FL(AT), HEX, UL } },
	{ "removexattrat", R_INT, { DFD, PATH, FL(AT), STR } },
	{ "io_setup", R_INT, { U, HEX } },
	{ "io_destroy", R_INT, { HEX } },
	{ "io_uring_setup", R_FD, { U, HEX } },
	{ "io_uring_enter", R_INT, { FD, U, U, U, HEX, UL } },
	{ "io_uring_register", R_INT, { FD, U, HEX, U } },
	{ "kexec_file_load", R_INT, { FD, FD, UL, STR, HEX } },
	{ "landlock_create_ruleset", R_FD, { HEX, UL, U } },
	{ "landlock_add_rule", R_INT, { FD, U, HEX, U } },
	{ "landlock_restrict_self", R_INT, { FD, U } },
	{ "map_shadow_stack", R_HEX, { HEX, UL, U } },
	{ "memfd_secret", R_FD, { FL(OPEN) } },
	{ "mq_open", R_FD, { STR, K_OPENFL, SD_ARG(K_OPENMODE, 1), HEX } },
	{ "mq_unlink", R_INT, { STR } },
	{ "mq_getsetattr", R_INT, { FD, HEX, HEX } },
	{ "mq_notify", R_INT, { FD, HEX } },
	{ "mq_timedsend", R_INT, { FD, IBUF(2), UL, U, K_TS_IN } },
	{ "mq_timedsend_time64", R_INT, { FD, IBUF(2), UL, U, K_TS64_IN } },
	{ "mq_timedreceive", R_INT, { FD, OBUF, UL, HEX, K_TS_IN } },
	{ "mq_timedreceive_time64", R_INT, { FD, OBUF, UL, HEX, K_TS64_IN } },
	{ "mseal", R_INT, { HEX, UL, UL } },
	{ "oldfstat", R_INT, { FD, HEX } },
	{ "oldlstat", R_INT, { PATH, HEX } },
	{ "oldstat", R_INT, { PATH, HEX } },
	{ "open_tree", R_FD, { DFD, PATH, U } },
	{ "open_tree_attr", R_FD, { DFD, PATH, U, HEX, UL } },
	{ "mount_setattr", R_INT, { DFD, PATH, FL(AT), HEX, UL } },
	{ "move_mount", R_INT, { DFD, PATH, DFD, PATH, U } },
	{ "perf_event_open", R_FD, { HEX, I, I, FD, UL } },
	{ "process_madvise", R_INT, { FD, HEX, UL, XV(MADV), U } },
	{ "process_mrelease", R_INT, { FD, U } },
	{ "quotactl", R_INT, { HEX, PATH, I, HEX } },
	{ "quotactl_fd", R_INT, { FD, HEX, I, HEX } },
	{ "readdir", R_INT, { FD, HEX, U } },
	{ "remap_file_pages", R_INT, { HEX, UL, FL(PROT), UL, FL(MAP) } },
	{ "sigaction", R_INT, { SIG, HEX, HEX } },
	{ "sigpending", R_INT, { HEX } },
	{ "sigsuspend", R_INT, { I, I, HEX } },
	{ "ssetmask", R_HEX, { HEX } },
	{ "umount", R_INT, { PATH } },
	{ "uselib", R_INT, { PATH } },
	{ "socketcall", R_INT, { I, K_SOCKARGS } },
	{ "ipc", R_INT, { K_XNUM, K_XNUM, K_XNUM, K_IPCTHIRD, K_XNUM, K_XNUM } },
	/* others strace decodes and people meet often */
	{ "futex", R_INT, { HEX, K_FUTEXOP, U, K_FUTEXTMO, HEX, U } },
	{ "futex_time64", R_INT, { HEX, K_FUTEXOP, U, K_FUTEXTMO, HEX, U } },
	{ "umask", R_OCT, { O } },
	{ "getrandom", R_INT, { K_OBUFX, UL, FL(GRND) } },
	{ "arch_prctl", R_INT, { XV(ARCHPRCTL), HEX } },
	{ "prlimit64", R_INT, { I, XV(RLIMIT), SD_ARG(K_RLIM_IN, 1), SD_ARG(K_RLIM_OUT, 1) } },
	{ "getrlimit", R_INT, { XV(RLIMIT), K_RLIM_OUT } },
	{ "ugetrlimit", R_INT, { XV(RLIMIT), K_RLIM_OUT } },
	{ "setrlimit", R_INT, { XV(RLIMIT), K_RLIM_IN } },
	{ "set_robust_list", R_INT, { HEX, UL } },
	{ "set_tid_address", R_INT, { HEX } },
	{ "rseq", R_INT, { HEX, K_XNUM, I, K_XNUM } },
	{ "getpriority", R_INT, { XV(PRIO), I } },
	{ "setpriority", R_INT, { XV(PRIO), I, I } },
	{ "setitimer", R_INT, { XV(ITIMER), HEX, HEX } },
	{ "getitimer", R_INT, { XV(ITIMER), HEX } },
	{ "alarm", R_INT, { U } },
};

/* i386 only: 64-bit arguments passed in two words (strace joins them). */
#define LL K_LL, K_SKIP
static const struct sd_sig sigs_i386[] = {
	{ "pread64", R_INT, { FD, OBUF, UL, LL } },
	{ "pwrite64", R_INT, { FD, IBUF(2), UL, LL } },
	{ "preadv", R_INT, { FD, SD_ARG(K_IOV_OUT, 2), I, LL } },
	{ "pwritev", R_INT, { FD, SD_ARG(K_IOV_IN, 2), I, LL } },
	{ "preadv2", R_INT, { FD, SD_ARG(K_IOV_OUT, 2), I, LL, FL(RWF) } },
	{ "pwritev2", R_INT, { FD, SD_ARG(K_IOV_IN, 2), I, LL, FL(RWF) } },
	{ "sync_file_range", R_INT, { FD, LL, LL, U } },
	{ "fanotify_mark", R_INT, { FD, HEX, LL, DFD, PATH } },
	{ "fallocate", R_INT, { FD, FL(FALLOC), LL, LL } },
	{ "fadvise64", R_INT, { FD, LL, UL, XV(FADV) } },
	{ "fadvise64_64", R_INT, { FD, LL, LL, XV(FADV) } },
	{ "readahead", R_INT, { FD, LL, UL } },
	{ "truncate64", R_INT, { PATH, LL } },
	{ "ftruncate64", R_INT, { FD, LL } },
	/* socketcall's subcalls that have no call of their own */
	{ "send", R_INT, { FD, IBUF(2), UL, FL(MSG) } },
	{ "recv", R_INT, { FD, OBUF, UL, FL(MSG) } },
};

/* i386 socketcall(2)'s subcalls by number (linux/net.h) and their argument
 * counts (strace's subcall table). */
static const struct {
	const char *name;
	int8_t nargs;
} sock_sub[] = {
	[1] = { "socket", 3 }, { "bind", 3 }, { "connect", 3 }, { "listen", 2 },
	{ "accept", 3 }, { "getsockname", 3 }, { "getpeername", 3 }, { "socketpair", 4 },
	{ "send", 4 }, { "recv", 4 }, { "sendto", 6 }, { "recvfrom", 6 }, { "shutdown", 2 },
	{ "setsockopt", 5 }, { "getsockopt", 5 }, { "sendmsg", 3 }, { "recvmsg", 3 },
	{ "accept4", 4 }, { "recvmmsg", 5 }, { "sendmmsg", 4 },
};
#define NSOCK_SUB (sizeof(sock_sub) / sizeof(sock_sub[0]))

/* i386 ipc(2)'s subcalls (linux/ipc.h) and, for each argument strace shows,
 * the ipc() argument it is (call, first, second, third, ptr, fifth), as
 * strace's decoders read them when indirect_ipccall(). */
static const struct {
	const char *name;
	uint8_t from[6];
} ipc_sub[] = {
	[1] = { "semop", { 1, 4, 2 } },
	[2] = { "semget", { 1, 2, 3 } },
	[3] = { "semctl", { 1, 2, 3, 4 } },
	[4] = { "semtimedop", { 1, 4, 2, 5 } },
	[11] = { "msgsnd", { 1, 4, 2, 3 } },
	[12] = { "msgrcv", { 1, 4, 2, 5, 3 } }, /* the new form (version 1) */
	[13] = { "msgget", { 1, 2 } },
	[14] = { "msgctl", { 1, 2, 4 } },
	[21] = { "shmat", { 1, 4, 2 } }, /* its address: at *third */
	[22] = { "shmdt", { 4 } },
	[23] = { "shmget", { 1, 2, 3 } },
	[24] = { "shmctl", { 1, 2, 4 } },
};
#define NIPC_SUB (sizeof(ipc_sub) / sizeof(ipc_sub[0]))

/* Classes and argument counts, from strace (sysent.h). */
struct sd_ent {
	const char *name;
	uint16_t classes;
	int8_t nargs[2]; /* x86_64, i386; -1: absent */
};
static const struct sd_ent ents[] = {
#define SYSENT(n, c, a64, a32) { n, c, { a64, a32 } },
#include "sysent.h"
#undef SYSENT
};

/* clang-format on */

#define NENTS (sizeof(ents) / sizeof(ents[0]))

/* Per ABI: the calls, and which one serves each number. */
static struct sd_call calls[2][NENTS];
static struct sd_call sock_calls[NSOCK_SUB];
static struct sd_call ipc_calls[NIPC_SUB];
static int16_t by_nr[2][SC_NR_MAX]; /* index into calls[abi], -1: unknown */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static const uint16_t *sig_of(const char *name, int i386)
{
	for (size_t i = 0; i386 && i < sizeof(sigs_i386) / sizeof(sigs_i386[0]); i++)
		if (strcmp(sigs_i386[i].name, name) == 0)
			return sigs_i386[i].arg;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (strcmp(sigs[i].name, name) == 0)
			return sigs[i].arg;
	return NULL;
}

static uint8_t ret_of(const char *name)
{
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (strcmp(sigs[i].name, name) == 0)
			return sigs[i].ret;
	return R_INT;
}

/* Layouts that exist only on x86_64 stay hex on i386, see the top. */
static int i386_hex(const char *name)
{
	static const char *const hex[] = {"stat", "lstat", "fstat", "mmap", "select"};
	for (size_t i = 0; i < sizeof(hex) / sizeof(hex[0]); i++)
		if (strcmp(hex[i], name) == 0)
			return 1;
	return 0;
}

static void resolve(void)
{
	static const uint32_t arch[2] = {AUDIT_ARCH_X86_64, AUDIT_ARCH_I386};
	for (int a = 0; a < 2; a++) {
		for (long nr = 0; nr < SC_NR_MAX; nr++)
			by_nr[a][nr] = -1;
		for (size_t i = 0; i < NENTS; i++) {
			struct sd_call *c = &calls[a][i];
			c->name = ents[i].name;
			c->classes = ents[i].classes;
			c->nargs = ents[i].nargs[a];
			c->arg = (a == 1 && i386_hex(c->name)) ? NULL : sig_of(c->name, a == 1);
			c->ret = ret_of(c->name);
			if (c->nargs < 0)
				continue;
			long nr = sysname_lookup(arch[a], c->name);
			if (nr >= 0 && nr < SC_NR_MAX && by_nr[a][nr] < 0)
				by_nr[a][nr] = (int16_t)i;
		}
	}
	for (size_t i = 1; i < NSOCK_SUB; i++)
		sock_calls[i] = (struct sd_call){.name = sock_sub[i].name,
						 .classes = SC_CLASS_NETWORK,
						 .nargs = sock_sub[i].nargs,
						 .ret = ret_of(sock_sub[i].name),
						 .arg = sig_of(sock_sub[i].name, 1)};
	for (size_t i = 1; i < NIPC_SUB; i++) {
		if (!ipc_sub[i].name)
			continue;
		int8_t n = 0;
		while (n < 6 && ipc_sub[i].from[n])
			n++;
		ipc_calls[i] = (struct sd_call){.name = ipc_sub[i].name,
						.classes = SC_CLASS_IPC,
						.nargs = n,
						.ret = ret_of(ipc_sub[i].name),
						.arg = sig_of(ipc_sub[i].name, 1)};
	}
}

const struct sd_call *sd_ipc_subcall(uint64_t arg0, const uint8_t **from)
{
	uint32_t call = (uint32_t)arg0 & 0xffff, version = (uint32_t)arg0 >> 16;
	if (call >= NIPC_SUB || !ipc_sub[call].name || (call == 12 && !version))
		return NULL;
	pthread_once(&once, resolve);
	*from = ipc_sub[call].from;
	return &ipc_calls[call];
}

const struct sd_call *sd_socket_subcall(uint64_t call)
{
	if (call < 1 || call >= NSOCK_SUB)
		return NULL;
	pthread_once(&once, resolve);
	return &sock_calls[call];
}

int sd_is_i386(uint32_t arch)
{
	return arch == AUDIT_ARCH_I386;
}

const struct sd_call *sd_call_of(uint32_t arch, long nr)
{
	int a;
	if (arch == AUDIT_ARCH_X86_64)
		a = 0;
	else if (arch == AUDIT_ARCH_I386)
		a = 1;
	else
		return NULL;
	if (nr < 0 || nr >= SC_NR_MAX)
		return NULL;
	pthread_once(&once, resolve);
	int i = by_nr[a][nr];
	return i < 0 ? NULL : &calls[a][i];
}

unsigned sysdecode_classes(uint32_t arch, long nr)
{
	const struct sd_call *c = sd_call_of(arch, nr);
	return c ? c->classes : 0;
}

int sd_kind_at_exit(enum sd_kind k)
{
	switch (k) {
	case K_OBUF:
	case K_OSTR:
	case K_OBUFX:
	case K_TS_OUT:
	case K_TS64_OUT:
	case K_SA_OUT:
	case K_LENP:
	case K_STAT:
	case K_PIPE:
	case K_SIGSET_OUT:
	case K_WSTATUS:
	case K_TV_OUT:
	case K_SIGACT_OUT:
	case K_STATX:
	case K_CLONETAIL:
	case K_RLIM_OUT:
	case K_IOCTLARG:
	case K_IPCTHIRD:
	case K_MSGBUF_OUT:
	case K_UTSNAME:
	case K_IOV_OUT:
	case K_DENTS:
	case K_MSGHDR_OUT:
	case K_MMSG_SEND:
	case K_MMSG_RECV:
		return 1;
	default:
		return 0;
	}
}

int sd_nargs(const struct sd_call *c)
{
	if (!c)
		return 6;
	if (c->arg && SD_KIND(c->arg[0]) == K_SIGFRAME)
		return 1;
	return c->nargs < 0 ? 0 : c->nargs > 6 ? 6 : c->nargs;
}

static unsigned min_u(unsigned a, unsigned b)
{
	return a < b ? a : b;
}

/* The region(s) an argument of this kind needs; returns how many were added. */
static int caps_of(uint16_t a, int i, int i386, int time64, unsigned strsize, struct sccap *out,
		   int room)
{
	unsigned sbuf = min_u(strsize + 1, SCEV_CAP_MAX);
	struct sccap c = {.arg = (uint8_t)i, .at_exit = (uint8_t)sd_kind_at_exit(SD_KIND(a))};
	switch (SD_KIND(a)) {
	case K_PATH:
		c.how = SCCAP_STR, c.max = SCEV_CAP_MAX;
		break;
	case K_STR:
		c.how = SCCAP_STR, c.max = sbuf;
		break;
	case K_IBUF:
		c.how = SCCAP_ARG, c.size_arg = (uint8_t)SD_PARAM(a), c.max = sbuf;
		break;
	case K_OBUF:
	case K_OBUFX:
		c.how = SCCAP_RET, c.max = sbuf;
		break;
	case K_OSTR: /* a path (getcwd): strace never cuts it at -s */
		c.how = SCCAP_RET, c.max = SCEV_CAP_MAX;
		break;
	case K_IOCTLARG: /* an int for FIONREAD; for other commands unused (may fault) */
	case K_IPCTHIRD: /* shmat's address (i386: 4 bytes); for the others unused */
		c.how = SCCAP_FIXED, c.max = 4;
		break;
	case K_SEMBUF: /* strace: -s of the 6-byte struct sembuf */
		c.how = SCCAP_ARG, c.size_arg = (uint8_t)SD_PARAM(a), c.count = 6;
		c.max = 6 * min_u(strsize + 1, SCEV_CAP_MAX / 6);
		break;
	case K_MSGBUF_IN: /* a long mtype, then the text, -s of it */
	case K_MSGBUF_OUT:
		c.how = SCCAP_ARG, c.size_arg = (uint8_t)SD_PARAM(a), c.each = i386 ? 4 : 8;
		c.max = min_u(sbuf + c.each, SCEV_CAP_MAX);
		break;
	case K_UTSNAME: /* sysname and nodename, 65 bytes each */
		c.how = SCCAP_FIXED, c.max = 130;
		break;
	case K_ARGV: /* strace: -s strings of -s bytes at most, then "..." */
		c.how = SCCAP_ARGV, c.max = SCEV_CAP_MAX;
		c.each = (uint16_t)sbuf;
		c.count = (uint16_t)min_u(strsize + 1, 1024);
		break;
	case K_ENVC:
		c.how = SCCAP_ARGC, c.max = 4;
		break;
	case K_IOV_IN: /* strace: -s elements of -s bytes, then "..." */
	case K_IOV_OUT:
		c.how = SCCAP_IOV, c.max = SCEV_CAP_MAX, c.size_arg = (uint8_t)SD_PARAM(a);
		c.each = (uint16_t)sbuf;
		c.count = (uint16_t)min_u(strsize + 1, 1024);
		break;
	case K_MSGHDR_IN: /* the struct, its name, control and iovecs as SCCAP_IOV's */
	case K_MSGHDR_OUT:
		c.how = SCCAP_MSGHDR, c.max = SCEV_CAP_MAX;
		c.each = (uint16_t)sbuf;
		c.count = (uint16_t)min_u(strsize + 1, 1024);
		if (SD_KIND(a) == K_MSGHDR_IN)
			break;
		/* recvmsg: msg_namelen at entry too (110 => 16) */
		if (room < 2)
			return 0;
		out[0] =
		    (struct sccap){.arg = (uint8_t)i, .how = SCCAP_FIXED, .max = i386 ? 8 : 12};
		out[1] = c;
		return 2;
	case K_MMSG_SEND: /* strace: -s elements, their iovecs as writev's */
	case K_MMSG_RECV:
		c.how = SCCAP_MMSGHDR, c.max = SCEV_CAP_MAX, c.size_arg = (uint8_t)SD_PARAM(a);
		c.each = (uint16_t)sbuf;
		c.count = (uint16_t)min_u(strsize + 1, 1024);
		if (SD_KIND(a) == K_MMSG_SEND)
			break;
		/* recvmmsg: each msg_namelen at entry too (110 => 0); no bytes of its iovecs */
		if (room < 2)
			return 0;
		out[0] = c;
		out[0].at_exit = 0, out[0].each = 0;
		out[1] = c;
		return 2;
	case K_SOCKARGS: /* at most six 32-bit words; also at exit, so that the
			    in-kernel log hands the entry's copy with the exit */
		if (room < 2)
			return 0;
		c.how = SCCAP_FIXED, c.max = 24, c.at_exit = 0;
		out[0] = c;
		c.at_exit = 1;
		out[1] = c;
		return 2;
	case K_DENTS: /* strace without -v: how many records */
		c.how = SCCAP_DENTS, c.max = 4;
		c.size_arg = (uint8_t)(i386 && SD_PARAM(a) ? 8 : 16);
		break;
	case K_SIGFRAME:
		/* uc.uc_sigmask of the rt_sigframe: the restorer has popped
		 * pretcode, so on x86_64 the ucontext starts at sp and its mask
		 * is 296 bytes in (flags, link, stack_t, sigcontext); on i386 sp
		 * is the frame + 4, the mask at frame + 252 */
		c.how = SCCAP_SP, c.max = 8, c.size_arg = i386 ? 248 / 8 : 296 / 8;
		break;
	case K_TS_IN:
	case K_TS_OUT:
		c.how = SCCAP_FIXED, c.max = i386 ? 8 : 16;
		break;
	case K_FUTEXTMO: /* val2 for some operations: then the copy faults or is unused */
		c.how = SCCAP_FIXED, c.max = (i386 && !time64) ? 8 : 16;
		break;
	case K_TS64_IN:
	case K_TS64_OUT:
		c.how = SCCAP_FIXED, c.max = 16;
		break;
	case K_SA_IN:
		c.how = SCCAP_ARG, c.size_arg = (uint8_t)SD_PARAM(a), c.max = 128;
		break;
	case K_SA_OUT:
		c.how = SCCAP_ARGP, c.size_arg = (uint8_t)SD_PARAM(a), c.max = 128;
		break;
	case K_POLLFD: /* 8 struct pollfd at most; in and out (revents) */
	case K_TS_INOUT:
	case K_LENP:
		/* In and out: strace shows [128 => 16] when the kernel changed it. */
		if (room < 2)
			return 0;
		c.how = SCCAP_FIXED, c.at_exit = 0;
		c.max = SD_KIND(a) == K_POLLFD ? 64
			: SD_KIND(a) == K_LENP ? 4
			: (i386 && !time64)    ? 8
					       : 16;
		out[0] = c;
		c.at_exit = 1;
		out[1] = c;
		return 2;
	case K_STAT:
		c.how = SCCAP_FIXED, c.max = i386 ? 96 : 144;
		break;
	case K_PIPE:
		c.how = SCCAP_FIXED, c.max = 8;
		break;
	case K_RLIM_IN:
	case K_RLIM_OUT:
		c.how = SCCAP_FIXED, c.max = (i386 && !SD_PARAM(a)) ? 8 : 16;
		break;
	case K_STATX: /* up to stx_size */
		c.how = SCCAP_FIXED, c.max = 48;
		break;
	case K_SIGSET_IN:
	case K_SIGSET_OUT:
		c.how = SCCAP_FIXED, c.max = 8;
		break;
	case K_WSTATUS:
		c.how = SCCAP_FIXED, c.max = 4;
		break;
	case K_EPEV_IN:
		c.how = SCCAP_FIXED, c.max = 12;
		break;
	case K_TV_IN:
	case K_TV_OUT:
		c.how = SCCAP_FIXED, c.max = i386 ? 8 : 16;
		break;
	case K_SIGACT_IN:
	case K_SIGACT_OUT: /* handler, flags, restorer, mask */
		c.how = SCCAP_FIXED, c.max = i386 ? 20 : 32;
		break;
	case K_FDSET_IN: /* nfds bytes cover nfds bits (fd_set holds 1024) */
		c.how = SCCAP_ARG, c.size_arg = (uint8_t)SD_PARAM(a), c.max = 128;
		break;
	default:
		return 0;
	}
	if (room < 1)
		return 0;
	out[0] = c;
	return 1;
}

int sysdecode_fd_captures(uint32_t arch, long nr, int n, struct sccap out[SCEV_MAX_CAPS])
{
	const struct sd_call *c = sd_call_of(arch, nr);
	if (!c || !c->arg || n < 0)
		return n < 0 ? 0 : n;
	struct sccap fc = {.how = SCCAP_FDPATH, .max = SCEV_CAP_MAX};
	/* recvmmsg fills the four regions; its socket's path matters more than
	 * the timeout's rest (strace's "left {...}", and the timeout is rarely
	 * given), so that one gives way */
	if (c->ret == R_MMSG && n == SCEV_MAX_CAPS && out[n - 1].at_exit && out[n - 1].arg == 4)
		n--;
	for (int i = 0; i < sd_nargs(c) && n < SCEV_MAX_CAPS; i++) {
		enum sd_kind k = SD_KIND(c->arg[i]);
		if (k == K_PIPE) { /* its two fds, from the int[2] at exit */
			for (int e = 0; e < 2 && n < SCEV_MAX_CAPS; e++)
				out[n++] = (struct sccap){.arg = (uint8_t)(SCCAP_FD | SCCAP_FD_MEM |
									   e << 3 | i),
							  .at_exit = 1,
							  .how = SCCAP_FDPATH,
							  .max = SCEV_CAP_MAX};
			continue;
		}
		if (k != K_FD && k != K_DIRFD)
			continue;
		fc.arg = (uint8_t)(SCCAP_FD | i);
		out[n++] = fc;
	}
	if ((c->ret == R_FD || c->ret == R_FCNTL) && n < SCEV_MAX_CAPS) {
		fc.arg = SCCAP_FD | SCCAP_FD_RESULT;
		fc.at_exit = 1;
		out[n++] = fc;
	}
	return n;
}

int sysdecode_captures(uint32_t arch, long nr, unsigned strsize, struct sccap out[SCEV_MAX_CAPS])
{
	const struct sd_call *c = sd_call_of(arch, nr);
	if (!c || !c->arg)
		return 0;
	int n = 0, i386 = sd_is_i386(arch), t64 = strstr(c->name, "time64") != NULL;
	for (int i = 0; i < sd_nargs(c); i++)
		n += caps_of(c->arg[i], i, i386, t64, strsize, out + n, SCEV_MAX_CAPS - n);
	return n;
}
