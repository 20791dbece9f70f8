/*
 * decode_int.h: the decoder's private data: argument kinds, the per-call
 * signature, the resolved per-ABI tables and the named-constant sets
 * (xlat) shared by table.c, xlat.c, format.c and set.c.
 */
#ifndef WHYTOP_DECODE_INT_H
#define WHYTOP_DECODE_INT_H

#include <stdint.h>

#include <whytop/decode.h>

/*
 * An argument's kind; an argument word is KIND | PARAM << 8, PARAM being
 * another argument's index (a size, flags) or an xlat set.
 */
enum sd_kind {
	K_HEX = 0,   /* 0x7ffd..., NULL for 0 (pointers, unknown) */
	K_INT,	     /* int, sign-extended from 32 bits */
	K_UINT,	     /* unsigned int */
	K_LONG,	     /* long (offsets, pids of wait4 -1): 32-bit on i386 */
	K_ULONG,     /* unsigned long, size_t */
	K_OCT,	     /* mode: 0644 */
	K_FD,	     /* file descriptor (-y: 3</etc/passwd>) */
	K_DIRFD,     /* AT_FDCWD or an fd */
	K_PATH,	     /* path at entry (PATH_MAX bound, as strace: not -s) */
	K_STR,	     /* string at entry, -s bound */
	K_IBUF,	     /* in-buffer of PARAM's size, at entry */
	K_OBUF,	     /* out-buffer of the result's size, at exit */
	K_OSTR,	     /* out-buffer of the result's size holding a C string (getcwd) */
	K_OBUFX,     /* out-buffer of the result's size, every byte as \xHH (getrandom) */
	K_XNUM,	     /* a number in hex, 0 as 0 (mmap's offset) */
	K_PGOFF,     /* mmap2's offset in pages, shown in bytes in hex */
	K_FLAGS,     /* flag set PARAM (enum sd_xlat) */
	K_OPENFL,    /* O_RDONLY|O_CREAT...: open's access mode and flags */
	K_XVAL,	     /* one value of set PARAM */
	K_SIG,	     /* signal number */
	K_SOCKTYPE,  /* SOCK_STREAM|SOCK_CLOEXEC */
	K_SOCKPROTO, /* IPPROTO_* for AF_INET/AF_INET6 in argument PARAM, else a number */
	K_OPENMODE,  /* mode, shown only if flags argument PARAM has O_CREAT or O_TMPFILE */
	K_TS_IN,     /* struct timespec (native long) at entry */
	K_TS_OUT,    /* struct timespec at exit */
	K_TS64_IN,   /* struct __kernel_timespec (64-bit on i386 too) at entry */
	K_TS64_OUT,
	K_SA_IN,     /* sockaddr of PARAM's length, at entry */
	K_SA_OUT,    /* sockaddr of *PARAM's length, at exit */
	K_LENP,	     /* int *: [16] at exit */
	K_STAT,	     /* struct stat (i386: stat64) at exit */
	K_PIPE,	     /* int[2] at exit */
	K_SIGSET_IN, /* sigset at entry */
	K_SIGSET_OUT,
	K_WSTATUS,   /* int * wait status at exit */
	K_EPEV_IN,   /* struct epoll_event at entry */
	K_FCNTLARG,  /* fcntl's third argument, by the command in argument 1 */
	K_CLONEFL,   /* clone's flags: child_stack=..., flags=CLONE_*|SIGCHLD */
	K_CLONETAIL, /* clone's outputs: , parent_tid=..., child_tidptr=..., tls=... (at exit) */
	K_FUTEXOP,   /* FUTEX_WAKE_PRIVATE */
	K_ACCESS,    /* F_OK or R_OK|W_OK|X_OK */
	K_TV_IN,     /* struct timeval at entry */
	K_TV_OUT,
	K_SIGACT_IN, /* struct sigaction (the kernel's) at entry */
	K_SIGACT_OUT,
	K_FDSET_IN, /* fd_set of argument PARAM's bits, at entry: [0 3] */
	K_POLLFD,   /* struct pollfd[N], N in argument PARAM: at entry, revents at exit */
	K_TS_INOUT, /* timespec at entry, what is left of it at exit (ppoll) */
	K_FUTEXTMO, /* futex's 4th: a timespec for the waiting operations, else val2 */
	K_STATXFL,  /* AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW */
	K_STATX,    /* struct statx at exit */
	K_RLIM_IN,  /* struct rlimit at entry; PARAM 1: 64-bit on i386 too (prlimit64) */
	K_RLIM_OUT,
	K_IOCTLARG,   /* ioctl's third, by the command in argument 1: FIONREAD's int at exit */
	K_UTSNAME,    /* struct utsname at exit: {sysname="Linux", nodename="vm", ...} */
	K_SIGFRAME,   /* rt_sigreturn: {mask=[...]} from the signal frame at the stack pointer */
	K_ARGV,	      /* execve's argv: ["ls", "-l"], -s strings and at most -s of them */
	K_ENVC,	      /* execve's envp as strace without -v: 0x7ffc... /+ 23 vars +/ */
	K_IOV_IN,     /* struct iovec[PARAM's count] at entry (writev) */
	K_IOV_OUT,    /* struct iovec[PARAM's count] at exit, filled up to the result (readv) */
	K_DENTS,      /* getdents's buffer at exit: 0x5600... /+ 5 entries +/ (PARAM 1: the old
			 struct linux_dirent, d_reclen at 16 (i386: 8); else at 16) */
	K_MSGHDR_IN,  /* struct msghdr at entry (sendmsg) */
	K_MSGHDR_OUT, /* struct msghdr at exit, its iovecs filled up to the result (recvmsg) */
	K_MMSG_SEND,  /* sendmmsg's struct mmsghdr[PARAM's count], shown at exit (msg_len set) */
	K_MMSG_RECV,  /* recvmmsg's, the result's count at exit (msg_namelen also at entry) */
	K_SOCKARGS,   /* i386 socketcall's array of the subcall's arguments (32-bit words) */
	K_IPCKEY,     /* a SysV IPC key: IPC_PRIVATE or hex */
	K_IPCFLAGS,   /* IPC_CREAT|0600: flags of set PARAM and the mode bits */
	K_IPCCMD,     /* IPC_64|IPC_STAT: a *ctl command of set PARAM */
	K_IPCTHIRD,   /* i386 ipc's third argument, a number; read at exit (shmat's address) */
	K_SEMBUF,     /* struct sembuf[PARAM's count] at entry (semop) */
	K_MSGBUF_IN,  /* {mtype=1, mtext="..."} of PARAM's text size, at entry (msgsnd) */
	K_MSGBUF_OUT, /* the same at exit (msgrcv) */
	K_LL,	      /* i386: a 64-bit value in this word (low) and the next (high) */
	K_SKIP,	      /* i386: the high word of K_LL, not shown */
	K_NKINDS
};

#define SD_ARG(kind, param) ((uint16_t)((kind) | (param) << 8))
#define SD_KIND(a) ((enum sd_kind)((a)&0xff))
#define SD_PARAM(a) ((unsigned)((a) >> 8))

/* The result's kind. */
enum sd_ret {
	R_INT = 0, /* = 3 */
	R_FD,	   /* = 3 (-y: 3</path>) */
	R_HEX,	   /* = 0x7f12... (mmap, brk) */
	R_OCT,	   /* = 022 (umask) */
	R_NONE,	   /* = ? (exit, exit_group: no return) */
	R_FCNTL,   /* by fcntl's command: F_GETFL = 0x8002 (flags O_RDWR|O_LARGEFILE) */
	R_POLL,	   /* = 1 ([{fd=3, revents=POLLIN}]), = 0 (Timeout) */
	R_MMSG,	   /* recvmmsg: = 2 (left {tv_sec=4, ...}) with a timeout, = 0 (Timeout) */
};

/* A call as the decoder knows it on one ABI. */
struct sd_call {
	const char *name;
	uint16_t classes; /* enum sc_class */
	int8_t nargs;
	uint8_t ret;	     /* enum sd_ret */
	const uint16_t *arg; /* 6 argument words; NULL: all hex */
};

/* The call nr of arch, NULL if unknown (resolved once from the name table). */
const struct sd_call *sd_call_of(uint32_t arch, long nr);
/*
 * i386's socketcall(2) subcall `call` (SYS_SOCKET 1 .. SYS_SENDMMSG 20) as
 * strace shows it: socket, bind, ..., with strace's argument counts; NULL
 * outside that range.
 */
const struct sd_call *sd_socket_subcall(uint64_t call);
/*
 * i386's ipc(2) subcall (arg0: call | version << 16) as strace shows it:
 * semop, semget, ..., shmctl, with from[i] the ipc() argument (1..5) that
 * is the subcall's argument i; NULL for an unknown call and for msgrcv's
 * old form (its arguments behind a pointer).
 */
const struct sd_call *sd_ipc_subcall(uint64_t arg0, const uint8_t **from);
/* 1 if arch is i386 (32-bit words, its own structure layouts). */
int sd_is_i386(uint32_t arch);
/* How many arguments (or pseudo-arguments: rt_sigreturn's frame) c shows, 0..6. */
int sd_nargs(const struct sd_call *c);
/* Whether an argument of this kind is printed only at exit. */
int sd_kind_at_exit(enum sd_kind k);

/* Named-constant sets. */
enum sd_xlat {
	X_OPEN,
	X_AT,
	X_PROT,
	X_MAP,
	X_MSG,
	X_SEEK,
	X_FCNTL,
	X_FDFLAGS,
	X_SIGHOW,
	X_CLOCK,
	X_AF,
	X_IPPROTO,
	X_EPOLLCTL,
	X_EPOLLEV,
	X_EPOLLFL,
	X_WAIT,
	X_SHUT,
	X_MADV,
	X_MSYNC,
	X_GRND,
	X_EFD,
	X_TFD,
	X_SOCKFL,
	X_MREMAP,
	X_MCL,
	X_RENAME,
	X_LOCK,
	X_SOL,
	X_ARCHPRCTL,
	X_RLIMIT,
	X_IDTYPE,
	X_FALLOC,
	X_IN,
	X_TIMER,
	X_ITIMER,
	X_MLOCK,
	X_CLONE,
	X_PRIO,
	X_RWF,
	X_INIT1,
	X_SFD,
	X_FADV,
	X_SA,
	X_IOCTL,
	X_POLL,
	X_STATX,
	X_IPCRES, /* semget's and msgget's IPC_CREAT|IPC_EXCL|IPC_NOWAIT */
	X_SHMRES, /* shmget's */
	X_SHMAT,  /* shmat's SHM_RDONLY... */
	X_IPCMSG, /* msgsnd's and msgrcv's */
	X_SEMCTL, /* commands */
	X_MSGCTL,
	X_SHMCTL,
	X_SEMOP, /* sem_flg */
	X_NXLAT
};

struct sd_xval {
	uint64_t val;
	const char *name;
};
struct sd_xlat_set {
	const struct sd_xval *v;
	unsigned n;
	const char *unknown; /* "SEEK_???" for a value not in the set; NULL: plain hex */
};
extern const struct sd_xlat_set sd_xlats[X_NXLAT];

/* Flags: "A|B|0x40"; "0" if none (or the set's name for 0). */
void sd_print_flags(struct wt_buf *out, enum sd_xlat set, uint64_t v);
/* One value: its name, or "0x5 /+ SEEK_??? +/". */
void sd_print_xval(struct wt_buf *out, enum sd_xlat set, uint64_t v);
/* The name of v in set, NULL if none. */
const char *sd_xval_name(enum sd_xlat set, uint64_t v);
/* Signal number as strace prints an argument: SIGTERM, 0, or the number. */
void sd_print_signal(struct wt_buf *out, int sig);

#endif
