/*
 * xlat.c: names of constants and flags, as data (one array per set, in
 * strace's order from its xlat/NAME.in files, with the kernel's x86 values,
 * which x86_64 and i386 share), errno names and texts, signal names.
 */
#include <stdio.h>
#include <string.h>

#include "decode_int.h"

/* Tables of constants, a few names per line. */
/* clang-format off */
#define X(name, val) { (uint64_t)(val), name }
#define SET(arr, unk) { arr, sizeof(arr) / sizeof(arr[0]), unk }

static const struct sd_xval open_fl[] = {
	X("O_CREAT", 0100), X("O_EXCL", 0200), X("O_NOCTTY", 0400), X("O_TRUNC", 01000),
	X("O_APPEND", 02000), X("O_NONBLOCK", 04000), X("O_SYNC", 04010000), X("O_DSYNC", 010000),
	X("O_DIRECT", 040000), X("O_LARGEFILE", 0100000), X("O_NOFOLLOW", 0400000),
	X("O_NOATIME", 01000000), X("O_CLOEXEC", 02000000), X("O_PATH", 010000000),
	X("O_TMPFILE", 020200000), X("O_DIRECTORY", 0200000), X("FASYNC", 020000),
};
static const struct sd_xval at_fl[] = {
	X("AT_SYMLINK_NOFOLLOW", 0x100), X("AT_REMOVEDIR", 0x200), X("AT_SYMLINK_FOLLOW", 0x400),
	X("AT_NO_AUTOMOUNT", 0x800), X("AT_EMPTY_PATH", 0x1000), X("AT_RECURSIVE", 0x8000),
};
static const struct sd_xval prot_fl[] = {
	X("PROT_NONE", 0), X("PROT_READ", 1), X("PROT_WRITE", 2), X("PROT_EXEC", 4),
	X("PROT_SEM", 8), X("PROT_GROWSDOWN", 0x01000000), X("PROT_GROWSUP", 0x02000000),
};
/* MAP_SHARED/PRIVATE/SHARED_VALIDATE are a 2-bit type: see sd_print_flags. */
static const struct sd_xval map_fl[] = {
	X("MAP_SHARED_VALIDATE", 3), X("MAP_SHARED", 1), X("MAP_PRIVATE", 2),
	X("MAP_DROPPABLE", 8), X("MAP_FIXED", 0x10), X("MAP_ANONYMOUS", 0x20),
	X("MAP_32BIT", 0x40), X("MAP_ABOVE4G", 0x80), X("MAP_NORESERVE", 0x4000),
	X("MAP_POPULATE", 0x8000), X("MAP_NONBLOCK", 0x10000), X("MAP_GROWSDOWN", 0x100),
	X("MAP_DENYWRITE", 0x800), X("MAP_EXECUTABLE", 0x1000), X("MAP_LOCKED", 0x2000),
	X("MAP_STACK", 0x20000), X("MAP_HUGETLB", 0x40000), X("MAP_SYNC", 0x80000),
	X("MAP_UNINITIALIZED", 0x4000000), X("MAP_FIXED_NOREPLACE", 0x100000),
};
static const struct sd_xval msg_fl[] = {
	X("MSG_OOB", 0x1), X("MSG_PEEK", 0x2), X("MSG_DONTROUTE", 0x4), X("MSG_CTRUNC", 0x8),
	X("MSG_PROBE", 0x10), X("MSG_TRUNC", 0x20), X("MSG_DONTWAIT", 0x40), X("MSG_EOR", 0x80),
	X("MSG_WAITALL", 0x100), X("MSG_FIN", 0x200), X("MSG_SYN", 0x400), X("MSG_CONFIRM", 0x800),
	X("MSG_RST", 0x1000), X("MSG_ERRQUEUE", 0x2000), X("MSG_NOSIGNAL", 0x4000),
	X("MSG_MORE", 0x8000), X("MSG_WAITFORONE", 0x10000), X("MSG_BATCH", 0x40000),
	X("MSG_ZEROCOPY", 0x4000000), X("MSG_FASTOPEN", 0x20000000),
	X("MSG_CMSG_CLOEXEC", 0x40000000),
};
static const struct sd_xval seek_v[] = {
	X("SEEK_SET", 0), X("SEEK_CUR", 1), X("SEEK_END", 2), X("SEEK_DATA", 3), X("SEEK_HOLE", 4),
};
static const struct sd_xval fcntl_v[] = {
	X("F_DUPFD", 0), X("F_GETFD", 1), X("F_SETFD", 2), X("F_GETFL", 3), X("F_SETFL", 4),
	X("F_GETLK", 5), X("F_SETLK", 6), X("F_SETLKW", 7), X("F_SETOWN", 8), X("F_GETOWN", 9),
	X("F_SETSIG", 10), X("F_GETSIG", 11), X("F_GETLK64", 12), X("F_SETLK64", 13),
	X("F_SETLKW64", 14), X("F_SETOWN_EX", 15), X("F_GETOWN_EX", 16), X("F_OFD_GETLK", 36),
	X("F_OFD_SETLK", 37), X("F_OFD_SETLKW", 38), X("F_SETLEASE", 1024),
	X("F_GETLEASE", 1025), X("F_NOTIFY", 1026), X("F_DUPFD_CLOEXEC", 1030),
	X("F_SETPIPE_SZ", 1031), X("F_GETPIPE_SZ", 1032), X("F_ADD_SEALS", 1033),
	X("F_GET_SEALS", 1034),
};
static const struct sd_xval fdflags_fl[] = { X("FD_CLOEXEC", 1) };
static const struct sd_xval sighow_v[] = {
	X("SIG_BLOCK", 0), X("SIG_UNBLOCK", 1), X("SIG_SETMASK", 2),
};
static const struct sd_xval clock_v[] = {
	X("CLOCK_REALTIME", 0), X("CLOCK_MONOTONIC", 1), X("CLOCK_PROCESS_CPUTIME_ID", 2),
	X("CLOCK_THREAD_CPUTIME_ID", 3), X("CLOCK_MONOTONIC_RAW", 4),
	X("CLOCK_REALTIME_COARSE", 5), X("CLOCK_MONOTONIC_COARSE", 6), X("CLOCK_BOOTTIME", 7),
	X("CLOCK_REALTIME_ALARM", 8), X("CLOCK_BOOTTIME_ALARM", 9), X("CLOCK_TAI", 11),
};
static const struct sd_xval af_v[] = {
	X("AF_UNSPEC", 0), X("AF_UNIX", 1), X("AF_INET", 2), X("AF_AX25", 3), X("AF_IPX", 4),
	X("AF_APPLETALK", 5), X("AF_NETROM", 6), X("AF_BRIDGE", 7), X("AF_ATMPVC", 8),
	X("AF_X25", 9), X("AF_INET6", 10), X("AF_KEY", 15), X("AF_NETLINK", 16),
	X("AF_PACKET", 17), X("AF_ALG", 38), X("AF_VSOCK", 40), X("AF_XDP", 44),
};
static const struct sd_xval ipproto_v[] = {
	X("IPPROTO_IP", 0), X("IPPROTO_ICMP", 1), X("IPPROTO_IGMP", 2), X("IPPROTO_IPIP", 4),
	X("IPPROTO_TCP", 6), X("IPPROTO_EGP", 8), X("IPPROTO_PUP", 12), X("IPPROTO_UDP", 17),
	X("IPPROTO_IDP", 22), X("IPPROTO_TP", 29), X("IPPROTO_DCCP", 33), X("IPPROTO_IPV6", 41),
	X("IPPROTO_RSVP", 46), X("IPPROTO_GRE", 47), X("IPPROTO_ESP", 50), X("IPPROTO_AH", 51),
	X("IPPROTO_ICMPV6", 58), X("IPPROTO_SCTP", 132), X("IPPROTO_UDPLITE", 136),
	X("IPPROTO_MPTCP", 262), X("IPPROTO_RAW", 255),
};
static const struct sd_xval epollctl_v[] = {
	X("EPOLL_CTL_ADD", 1), X("EPOLL_CTL_DEL", 2), X("EPOLL_CTL_MOD", 3),
};
static const struct sd_xval epollev_fl[] = {
	X("EPOLLIN", 0x1), X("EPOLLPRI", 0x2), X("EPOLLOUT", 0x4), X("EPOLLERR", 0x8),
	X("EPOLLHUP", 0x10), X("EPOLLNVAL", 0x20), X("EPOLLRDNORM", 0x40),
	X("EPOLLRDBAND", 0x80), X("EPOLLWRNORM", 0x100), X("EPOLLWRBAND", 0x200),
	X("EPOLLMSG", 0x400), X("EPOLLRDHUP", 0x2000), X("EPOLLEXCLUSIVE", 0x10000000),
	X("EPOLLWAKEUP", 0x20000000), X("EPOLLONESHOT", 0x40000000), X("EPOLLET", 0x80000000u),
};
static const struct sd_xval epollfl_fl[] = { X("EPOLL_CLOEXEC", 02000000) };
static const struct sd_xval wait_fl[] = {
	X("WNOHANG", 1), X("WUNTRACED", 2), X("WEXITED", 4), X("WCONTINUED", 8),
	X("WNOWAIT", 0x01000000), X("__WCLONE", 0x80000000u), X("__WALL", 0x40000000),
	X("__WNOTHREAD", 0x20000000),
};
static const struct sd_xval shut_v[] = { X("SHUT_RD", 0), X("SHUT_WR", 1), X("SHUT_RDWR", 2) };
static const struct sd_xval madv_v[] = {
	X("MADV_NORMAL", 0), X("MADV_RANDOM", 1), X("MADV_SEQUENTIAL", 2),
	X("MADV_WILLNEED", 3), X("MADV_DONTNEED", 4), X("MADV_FREE", 8), X("MADV_REMOVE", 9),
	X("MADV_DONTFORK", 10), X("MADV_DOFORK", 11), X("MADV_MERGEABLE", 12),
	X("MADV_UNMERGEABLE", 13), X("MADV_HUGEPAGE", 14), X("MADV_NOHUGEPAGE", 15),
	X("MADV_DONTDUMP", 16), X("MADV_DODUMP", 17), X("MADV_WIPEONFORK", 18),
	X("MADV_KEEPONFORK", 19), X("MADV_COLD", 20), X("MADV_PAGEOUT", 21),
	X("MADV_POPULATE_READ", 22), X("MADV_POPULATE_WRITE", 23), X("MADV_HWPOISON", 100),
};
static const struct sd_xval msync_fl[] = { X("MS_ASYNC", 1), X("MS_INVALIDATE", 2), X("MS_SYNC", 4) };
static const struct sd_xval grnd_fl[] = { X("GRND_NONBLOCK", 1), X("GRND_RANDOM", 2), X("GRND_INSECURE", 4) };
static const struct sd_xval efd_fl[] = { X("EFD_SEMAPHORE", 1), X("EFD_NONBLOCK", 04000), X("EFD_CLOEXEC", 02000000) };
static const struct sd_xval tfd_fl[] = { X("TFD_NONBLOCK", 04000), X("TFD_CLOEXEC", 02000000) };
static const struct sd_xval sockfl_fl[] = { X("SOCK_CLOEXEC", 02000000), X("SOCK_NONBLOCK", 04000) };
static const struct sd_xval mremap_fl[] = { X("MREMAP_MAYMOVE", 1), X("MREMAP_FIXED", 2), X("MREMAP_DONTUNMAP", 4) };
static const struct sd_xval mcl_fl[] = { X("MCL_CURRENT", 1), X("MCL_FUTURE", 2), X("MCL_ONFAULT", 4) };
static const struct sd_xval rename_fl[] = { X("RENAME_NOREPLACE", 1), X("RENAME_EXCHANGE", 2), X("RENAME_WHITEOUT", 4) };
static const struct sd_xval lock_fl[] = { X("LOCK_SH", 1), X("LOCK_EX", 2), X("LOCK_NB", 4), X("LOCK_UN", 8) };
static const struct sd_xval sol_v[] = {
	X("SOL_IP", 0), X("SOL_SOCKET", 1), X("SOL_TCP", 6), X("SOL_UDP", 17), X("SOL_IPV6", 41),
	X("SOL_ICMPV6", 58), X("SOL_RAW", 255), X("SOL_PACKET", 263), X("SOL_NETLINK", 270),
};
static const struct sd_xval archprctl_v[] = {
	X("ARCH_SET_GS", 0x1001), X("ARCH_SET_FS", 0x1002), X("ARCH_GET_FS", 0x1003),
	X("ARCH_GET_GS", 0x1004), X("ARCH_GET_CPUID", 0x1011), X("ARCH_SET_CPUID", 0x1012),
};
static const struct sd_xval rlimit_v[] = {
	X("RLIMIT_CPU", 0), X("RLIMIT_FSIZE", 1), X("RLIMIT_DATA", 2), X("RLIMIT_STACK", 3),
	X("RLIMIT_CORE", 4), X("RLIMIT_RSS", 5), X("RLIMIT_NPROC", 6), X("RLIMIT_NOFILE", 7),
	X("RLIMIT_MEMLOCK", 8), X("RLIMIT_AS", 9), X("RLIMIT_LOCKS", 10),
	X("RLIMIT_SIGPENDING", 11), X("RLIMIT_MSGQUEUE", 12), X("RLIMIT_NICE", 13),
	X("RLIMIT_RTPRIO", 14), X("RLIMIT_RTTIME", 15),
};
static const struct sd_xval idtype_v[] = { X("P_ALL", 0), X("P_PID", 1), X("P_PGID", 2), X("P_PIDFD", 3) };
static const struct sd_xval falloc_fl[] = {
	X("FALLOC_FL_KEEP_SIZE", 1), X("FALLOC_FL_PUNCH_HOLE", 2), X("FALLOC_FL_COLLAPSE_RANGE", 8),
	X("FALLOC_FL_ZERO_RANGE", 0x10), X("FALLOC_FL_INSERT_RANGE", 0x20),
	X("FALLOC_FL_UNSHARE_RANGE", 0x40),
};
static const struct sd_xval in_fl[] = {
	X("IN_ACCESS", 0x1), X("IN_MODIFY", 0x2), X("IN_ATTRIB", 0x4), X("IN_CLOSE_WRITE", 0x8),
	X("IN_CLOSE_NOWRITE", 0x10), X("IN_OPEN", 0x20), X("IN_MOVED_FROM", 0x40),
	X("IN_MOVED_TO", 0x80), X("IN_CREATE", 0x100), X("IN_DELETE", 0x200),
	X("IN_DELETE_SELF", 0x400), X("IN_MOVE_SELF", 0x800), X("IN_UNMOUNT", 0x2000),
	X("IN_Q_OVERFLOW", 0x4000), X("IN_IGNORED", 0x8000), X("IN_ONLYDIR", 0x01000000),
	X("IN_DONT_FOLLOW", 0x02000000), X("IN_EXCL_UNLINK", 0x04000000),
	X("IN_MASK_CREATE", 0x10000000), X("IN_MASK_ADD", 0x20000000), X("IN_ISDIR", 0x40000000),
	X("IN_ONESHOT", 0x80000000u),
};
static const struct sd_xval timer_fl[] = { X("TIMER_ABSTIME", 1) };
static const struct sd_xval itimer_v[] = { X("ITIMER_REAL", 0), X("ITIMER_VIRTUAL", 1), X("ITIMER_PROF", 2) };
static const struct sd_xval mlock_fl[] = { X("MLOCK_ONFAULT", 1) };
static const struct sd_xval clone_fl[] = {
	X("CLONE_VM", 0x100), X("CLONE_FS", 0x200), X("CLONE_FILES", 0x400),
	X("CLONE_SIGHAND", 0x800), X("CLONE_PIDFD", 0x1000), X("CLONE_PTRACE", 0x2000),
	X("CLONE_VFORK", 0x4000), X("CLONE_PARENT", 0x8000), X("CLONE_THREAD", 0x10000),
	X("CLONE_NEWNS", 0x20000), X("CLONE_SYSVSEM", 0x40000), X("CLONE_SETTLS", 0x80000),
	X("CLONE_PARENT_SETTID", 0x100000), X("CLONE_CHILD_CLEARTID", 0x200000),
	X("CLONE_UNTRACED", 0x800000), X("CLONE_CHILD_SETTID", 0x1000000),
	X("CLONE_NEWCGROUP", 0x2000000), X("CLONE_NEWUTS", 0x4000000),
	X("CLONE_NEWIPC", 0x8000000), X("CLONE_NEWUSER", 0x10000000),
	X("CLONE_NEWPID", 0x20000000), X("CLONE_NEWNET", 0x40000000), X("CLONE_IO", 0x80000000u),
};
static const struct sd_xval prio_v[] = { X("PRIO_PROCESS", 0), X("PRIO_PGRP", 1), X("PRIO_USER", 2) };
static const struct sd_xval rwf_fl[] = {
	X("RWF_HIPRI", 1), X("RWF_DSYNC", 2), X("RWF_SYNC", 4), X("RWF_NOWAIT", 8), X("RWF_APPEND", 0x10),
};
static const struct sd_xval init1_fl[] = { X("IN_NONBLOCK", 04000), X("IN_CLOEXEC", 02000000) };
static const struct sd_xval sfd_fl[] = { X("SFD_NONBLOCK", 04000), X("SFD_CLOEXEC", 02000000) };

static const struct sd_xval fadv_v[] = {
	X("POSIX_FADV_NORMAL", 0), X("POSIX_FADV_RANDOM", 1), X("POSIX_FADV_SEQUENTIAL", 2),
	X("POSIX_FADV_WILLNEED", 3), X("POSIX_FADV_DONTNEED", 4), X("POSIX_FADV_NOREUSE", 5),
};

static const struct sd_xval sa_fl[] = {
	X("SA_RESTORER", 0x04000000), X("SA_ONSTACK", 0x08000000), X("SA_RESTART", 0x10000000),
	X("SA_INTERRUPT", 0x20000000), X("SA_NODEFER", 0x40000000), X("SA_RESETHAND", 0x80000000u),
	X("SA_SIGINFO", 4), X("SA_NOCLDSTOP", 1), X("SA_NOCLDWAIT", 2),
};
static const struct sd_xval ipcres_fl[] = { X("IPC_CREAT", 01000), X("IPC_EXCL", 02000), X("IPC_NOWAIT", 04000) };
static const struct sd_xval shmres_fl[] = {
	X("IPC_CREAT", 01000), X("IPC_EXCL", 02000), X("SHM_HUGETLB", 04000), X("SHM_NORESERVE", 010000),
};
static const struct sd_xval shmat_fl[] = {
	X("SHM_RDONLY", 010000), X("SHM_RND", 020000), X("SHM_REMAP", 040000), X("SHM_EXEC", 0100000),
};
static const struct sd_xval ipcmsg_fl[] = {
	X("MSG_NOERROR", 010000), X("MSG_EXCEPT", 020000), X("MSG_COPY", 040000), X("IPC_NOWAIT", 04000),
};
static const struct sd_xval semop_fl[] = { X("SEM_UNDO", 010000), X("IPC_NOWAIT", 04000) };
#define IPC_CMDS X("IPC_RMID", 0), X("IPC_SET", 1), X("IPC_STAT", 2), X("IPC_INFO", 3)
static const struct sd_xval semctl_v[] = {
	IPC_CMDS, X("GETPID", 11), X("GETVAL", 12), X("GETALL", 13), X("GETNCNT", 14),
	X("GETZCNT", 15), X("SETVAL", 16), X("SETALL", 17), X("SEM_STAT", 18), X("SEM_INFO", 19),
	X("SEM_STAT_ANY", 20),
};
static const struct sd_xval msgctl_v[] = {
	IPC_CMDS, X("MSG_STAT", 11), X("MSG_INFO", 12), X("MSG_STAT_ANY", 13),
};
static const struct sd_xval shmctl_v[] = {
	IPC_CMDS, X("SHM_LOCK", 11), X("SHM_UNLOCK", 12), X("SHM_STAT", 13), X("SHM_INFO", 14),
	X("SHM_STAT_ANY", 15),
};
static const struct sd_xval ioctl_v[] = {
	X("TCGETS", 0x5401), X("TCSETS", 0x5402), X("TCSETSW", 0x5403), X("TCSETSF", 0x5404),
	X("TCGETA", 0x5405), X("TCSETA", 0x5406), X("TCSETAW", 0x5407), X("TCSETAF", 0x5408),
	X("TCSBRK", 0x5409), X("TCXONC", 0x540a), X("TCFLSH", 0x540b), X("TIOCEXCL", 0x540c),
	X("TIOCNXCL", 0x540d), X("TIOCSCTTY", 0x540e), X("TIOCGPGRP", 0x540f),
	X("TIOCSPGRP", 0x5410), X("TIOCOUTQ", 0x5411), X("TIOCSTI", 0x5412),
	X("TIOCGWINSZ", 0x5413), X("TIOCSWINSZ", 0x5414), X("FIONREAD", 0x541b),
	X("TIOCLINUX", 0x541c), X("TIOCCONS", 0x541d), X("FIONBIO", 0x5421),
	X("TIOCNOTTY", 0x5422), X("TIOCSETD", 0x5423), X("TIOCGETD", 0x5424),
	X("TIOCGSID", 0x5429), X("TIOCGPTN", 0x80045430), X("TIOCSPTLCK", 0x40045431),
	X("FIONCLEX", 0x5450), X("FIOCLEX", 0x5451), X("FIOASYNC", 0x5452),
};

static const struct sd_xval poll_fl[] = {
	X("POLLIN", 0x1), X("POLLPRI", 0x2), X("POLLOUT", 0x4), X("POLLERR", 0x8), X("POLLHUP", 0x10),
	X("POLLNVAL", 0x20), X("POLLRDNORM", 0x40), X("POLLRDBAND", 0x80), X("POLLWRNORM", 0x100),
	X("POLLWRBAND", 0x200), X("POLLMSG", 0x400), X("POLLREMOVE", 0x1000), X("POLLRDHUP", 0x2000),
};

static const struct sd_xval statx_fl[] = {
	X("STATX_ALL", 0xfff), X("STATX_BASIC_STATS", 0x7ff), X("STATX_TYPE", 0x1),
	X("STATX_MODE", 0x2), X("STATX_NLINK", 0x4), X("STATX_UID", 0x8), X("STATX_GID", 0x10),
	X("STATX_ATIME", 0x20), X("STATX_MTIME", 0x40), X("STATX_CTIME", 0x80),
	X("STATX_INO", 0x100), X("STATX_SIZE", 0x200), X("STATX_BLOCKS", 0x400),
	X("STATX_BTIME", 0x800), X("STATX_MNT_ID", 0x1000), X("STATX_DIOALIGN", 0x2000),
	X("STATX_MNT_ID_UNIQUE", 0x4000), X("STATX_SUBVOL", 0x8000),
	X("STATX_WRITE_ATOMIC", 0x10000),
};

const struct sd_xlat_set sd_xlats[X_NXLAT] = {
	[X_OPEN] = SET(open_fl, "O_???"),
	[X_AT] = SET(at_fl, "AT_???"),
	[X_PROT] = SET(prot_fl, "PROT_???"),
	[X_MAP] = SET(map_fl, "MAP_???"),
	[X_MSG] = SET(msg_fl, "MSG_???"),
	[X_SEEK] = SET(seek_v, "SEEK_???"),
	[X_FCNTL] = SET(fcntl_v, "F_???"),
	[X_FDFLAGS] = SET(fdflags_fl, "FD_???"),
	[X_SIGHOW] = SET(sighow_v, "SIG_???"),
	[X_CLOCK] = SET(clock_v, "CLOCK_???"),
	[X_AF] = SET(af_v, "AF_???"),
	[X_IPPROTO] = SET(ipproto_v, "IPPROTO_???"),
	[X_EPOLLCTL] = SET(epollctl_v, "EPOLL_CTL_???"),
	[X_EPOLLEV] = SET(epollev_fl, "EPOLL???"),
	[X_EPOLLFL] = SET(epollfl_fl, "EPOLL_???"),
	[X_WAIT] = SET(wait_fl, "W???"),
	[X_SHUT] = SET(shut_v, "SHUT_???"),
	[X_MADV] = SET(madv_v, "MADV_???"),
	[X_MSYNC] = SET(msync_fl, "MS_???"),
	[X_GRND] = SET(grnd_fl, "GRND_???"),
	[X_EFD] = SET(efd_fl, "EFD_???"),
	[X_TFD] = SET(tfd_fl, "TFD_???"),
	[X_SOCKFL] = SET(sockfl_fl, "SOCK_???"),
	[X_MREMAP] = SET(mremap_fl, "MREMAP_???"),
	[X_MCL] = SET(mcl_fl, "MCL_???"),
	[X_RENAME] = SET(rename_fl, "RENAME_???"),
	[X_LOCK] = SET(lock_fl, "LOCK_???"),
	[X_SOL] = SET(sol_v, "SOL_???"),
	[X_ARCHPRCTL] = SET(archprctl_v, "ARCH_???"),
	[X_RLIMIT] = SET(rlimit_v, "RLIMIT_???"),
	[X_IDTYPE] = SET(idtype_v, "P_???"),
	[X_FALLOC] = SET(falloc_fl, "FALLOC_FL_???"),
	[X_IN] = SET(in_fl, "IN_???"),
	[X_TIMER] = SET(timer_fl, "TIMER_???"),
	[X_ITIMER] = SET(itimer_v, "ITIMER_???"),
	[X_MLOCK] = SET(mlock_fl, "MLOCK_???"),
	[X_CLONE] = SET(clone_fl, "CLONE_???"),
	[X_PRIO] = SET(prio_v, "PRIO_???"),
	[X_RWF] = SET(rwf_fl, "RWF_???"),
	[X_INIT1] = SET(init1_fl, "IN_???"),
	[X_SFD] = SET(sfd_fl, "SFD_???"),
	[X_FADV] = SET(fadv_v, "POSIX_FADV_???"),
	[X_SA] = SET(sa_fl, "SA_???"),
	[X_POLL] = SET(poll_fl, "POLL???"),
	[X_STATX] = SET(statx_fl, "STATX_???"),
	[X_IOCTL] = SET(ioctl_v, NULL), /* others: _IOC(...), print_ioc */
	[X_IPCRES] = SET(ipcres_fl, NULL),
	[X_SHMRES] = SET(shmres_fl, NULL),
	[X_SHMAT] = SET(shmat_fl, "SHM_???"),
	[X_IPCMSG] = SET(ipcmsg_fl, "MSG_???"),
	[X_SEMCTL] = SET(semctl_v, "SEM_???"),
	[X_MSGCTL] = SET(msgctl_v, "MSG_???"),
	[X_SHMCTL] = SET(shmctl_v, "SHM_???"),
	[X_SEMOP] = SET(semop_fl, "SEM_???"),
};

/* clang-format on */

const char *sd_xval_name(enum sd_xlat set, uint64_t v)
{
	const struct sd_xlat_set *s = &sd_xlats[set];
	for (unsigned i = 0; i < s->n; i++)
		if (s->v[i].val == v)
			return s->v[i].name;
	return NULL;
}

/*
 * An ioctl request no table names, taken apart as strace's ioctl_print_code
 * does: _IOC(_IOC_READ, 0x54, 0x99, 0x4) (x86's _IOC layout: nr in bits
 * 0-7, type 8-15, size 16-29, direction 30-31; 0 printed as 0).
 */
static void print_ioc(struct wt_buf *out, uint32_t code)
{
	static const char *const dir[] = {"_IOC_NONE", "_IOC_WRITE", "_IOC_READ",
					  "_IOC_READ|_IOC_WRITE"};
	wt_buf_printf(out, "_IOC(%s, %#x, %#x, %#x)", dir[code >> 30], code >> 8 & 0xff,
		      code & 0xff, code >> 16 & 0x3fff);
}

void sd_print_xval(struct wt_buf *out, enum sd_xlat set, uint64_t v)
{
	const char *n = sd_xval_name(set, v);
	if (n)
		wt_buf_puts(out, n);
	else if (set == X_IOCTL)
		print_ioc(out, (uint32_t)v);
	else if (!sd_xlats[set].unknown)
		wt_buf_printf(out, "%#llx", (unsigned long long)v);
	else
		wt_buf_printf(out, "%#llx /* %s */", (unsigned long long)v, sd_xlats[set].unknown);
}

void sd_print_flags(struct wt_buf *out, enum sd_xlat set, uint64_t v)
{
	const struct sd_xlat_set *s = &sd_xlats[set];
	const char *sep = "";
	if (v == 0) {
		const char *z = sd_xval_name(set, 0);
		wt_buf_puts(out, z ? z : "0");
		return;
	}
	if (set == X_MAP) { /* the type is a value in the low two bits, not flags */
		const char *t = sd_xval_name(set, v & 3);
		if (t) {
			wt_buf_puts(out, t);
			sep = "|";
		}
		if (t || (v & 3) == 0)
			v &= ~(uint64_t)3;
	}
	for (unsigned i = 0; i < s->n && v; i++) {
		uint64_t f = s->v[i].val;
		if (f == 0 || (v & f) != f)
			continue;
		if (set == X_MAP && f <= 3)
			continue;
		wt_buf_printf(out, "%s%s", sep, s->v[i].name);
		sep = "|";
		v &= ~f;
	}
	if (v)
		wt_buf_printf(out, "%s%#llx", sep, (unsigned long long)v);
}

/* clang-format off */
/* Signal names as the kernel numbers them on x86 (strace's signalent). */
static const char *const signames[] = {
	[1] = "SIGHUP",	    [2] = "SIGINT",	[3] = "SIGQUIT",  [4] = "SIGILL",
	[5] = "SIGTRAP",    [6] = "SIGABRT",	[7] = "SIGBUS",	  [8] = "SIGFPE",
	[9] = "SIGKILL",    [10] = "SIGUSR1",	[11] = "SIGSEGV", [12] = "SIGUSR2",
	[13] = "SIGPIPE",   [14] = "SIGALRM",	[15] = "SIGTERM", [16] = "SIGSTKFLT",
	[17] = "SIGCHLD",   [18] = "SIGCONT",	[19] = "SIGSTOP", [20] = "SIGTSTP",
	[21] = "SIGTTIN",   [22] = "SIGTTOU",	[23] = "SIGURG",  [24] = "SIGXCPU",
	[25] = "SIGXFSZ",   [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH",
	[29] = "SIGIO",	    [30] = "SIGPWR",	[31] = "SIGSYS",  [32] = "SIGRTMIN",
};

/* clang-format on */

const char *sysdecode_signal_name(int sig)
{
	static __thread char buf[16];
	if (sig > 0 && sig < 33)
		return signames[sig];
	if (sig >= 33 && sig <= 64) {
		snprintf(buf, sizeof(buf), "SIGRT_%d", sig - 32);
		return buf;
	}
	return NULL;
}

void sd_print_signal(struct wt_buf *out, int sig)
{
	const char *n = sysdecode_signal_name(sig);
	if (n)
		wt_buf_puts(out, n);
	else
		wt_buf_printf(out, "%d", sig);
}

/* clang-format off */
/* The kernel's internal restart codes strace names (512-530); others from libc. */
static const char *const kerr[] = {
	[0] = "ERESTARTSYS",	      [1] = "ERESTARTNOINTR", [2] = "ERESTARTNOHAND",
	[3] = "ENOIOCTLCMD",	      [4] = "ERESTART_RESTARTBLOCK", [5] = "EPROBE_DEFER",
	[6] = "EOPENSTALE",	      [7] = "ENOPARAM",	      [9] = "EBADHANDLE",
	[10] = "ENOTSYNC",	      [11] = "EBADCOOKIE",    [12] = "ENOTSUPP",
	[13] = "ETOOSMALL",	      [14] = "ESERVERFAULT",  [15] = "EBADTYPE",
	[16] = "EJUKEBOX",	      [17] = "EIOCBQUEUED",   [18] = "ERECALLCONFLICT",
	[19] = "ENOGRACE",
};

/* clang-format on */

const char *sysdecode_errno_name(int e)
{
	if (e >= 512 && e <= 531)
		return kerr[e - 512];
	if (e <= 0 || e >= 512)
		return NULL;
	return strerrorname_np(e);
}
