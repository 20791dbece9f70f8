/*
 * decode.h: what whytop knows about each system call, as data, and the
 * decoding of one call into strace's text.
 *
 * The knowledge is a table per ABI (x86_64, i386): for each call its name,
 * its class (strace's %file, %desc, ...), the kind of each argument (fd,
 * path, flags of some set, struct timespec, sockaddr, buffer of the size in
 * another argument or in the result, ...) and the kind of its result. Two
 * things are derived from it:
 *
 *  - what a backend must copy out of the traced task's memory for a call
 *    (sysdecode_captures): the eBPF program gets these specs in a map and
 *    copies at entry and exit without knowing any call; the ptrace backend
 *    reads the same bytes with process_vm_readv at the same two moments;
 *  - the text: `name(args) = ret` with symbolic flags, quoted strings,
 *    errno names and texts, exactly as strace prints them.
 *
 * A backend hands over a struct scev (numbers plus the bytes captured);
 * decoding never reads the task's memory itself, so an event can be decoded
 * later, elsewhere, or from a test's canned bytes. Unknown calls print their
 * six arguments in hex under libseccomp's name ("syscall_NNN" if it has
 * none), never another call's name.
 */
#ifndef WHYTOP_DECODE_H
#define WHYTOP_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <whytop/syscalls.h>
#include <whytop/util.h>

/* ---- what to capture ---- */

#define SCEV_MAX_CAPS 4	      /* captured memory regions per call */
#define SCEV_CAP_MAX 4096     /* bytes per region at most (strings: -s caps it lower) */

enum sccap_size {
	SCCAP_STR,     /* a NUL-terminated string, at most max bytes */
	SCCAP_FIXED,   /* exactly max bytes (a struct) */
	SCCAP_ARG,     /* as many bytes as argument size_arg says (times count, when not 0,
			  plus each: semop's sembufs, msgsnd's mtype and text), at most max */
	SCCAP_RET,     /* as many bytes as the result says (read, recv...), at most max */
	SCCAP_ARGP,    /* as many bytes as the int that argument size_arg points at */
	SCCAP_SP,      /* max bytes at the entry's stack pointer + 8 * size_arg (arg unused:
			  rt_sigreturn's signal frame, which strace reads there) */
	SCCAP_FDPATH,  /* -y: the path behind an fd, as /proc/PID/fd/N's link (AT_FDCWD: the
			  cwd), at most max bytes; arg is SCCAP_FD | the argument holding the
			  fd, or SCCAP_FD | SCCAP_FD_RESULT (at exit) for the result */
	SCCAP_ARGV,    /* a NULL-terminated array of string pointers (execve's argv): at most
			  count strings of at most each bytes, each stored with a NUL after
			  it, max bytes in all; cut: the array went on */
	SCCAP_ARGC,    /* the same array's length only (envp: "/+ 23 vars +/"), a uint32_t,
			  counting at most SCCAP_ARGC_MAX pointers */
	SCCAP_IOV,     /* struct iovec[N], N in argument size_arg: at most count elements,
			  each as its base and length (two uint64_t), the bytes copied (a
			  uint32_t, at most each) and those bytes; max bytes in all; cut: more */
	SCCAP_DENTS,   /* the records of a getdents buffer the result sized: their count (a
			  uint32_t, at most SCCAP_DENTS_MAX), each record's length being the
			  uint16_t at offset size_arg in it; cut: the count stopped there */
	SCCAP_MSGHDR,  /* struct msghdr (SCCAP_MSGHDR_HEAD: its seven fields as uint64_t),
			  its msg_name (a uint32_t length, then at most 128 bytes), its
			  msg_control (the same, at most SCCAP_MSGHDR_CTL bytes), then its
			  iovecs as SCCAP_IOV's (count, each); max bytes in all; at exit
			  the lengths are what the call wrote back */
	SCCAP_MMSGHDR, /* struct mmsghdr[N], N in argument size_arg (sendmmsg, recvmmsg): at
			  most count elements, each as a uint32_t (the bytes of its msghdr
			  as SCCAP_MSGHDR stores it), its msg_len (a uint32_t) and those
			  bytes, iovecs of at most count elements of at most each bytes
			  (each 0: none of their bytes); max bytes in all; cut: more */
};
#define SCCAP_DENTS_MAX 65536
#define SCCAP_MSGHDR_HEAD 56
#define SCCAP_MSGHDR_NAME 128
#define SCCAP_MSGHDR_CTL 256
#define SCCAP_MMSGHDR_HEAD 8 /* an element's bytes and msg_len */
#define SCCAP_ARGC_MAX 4096
#define SCCAP_IOV_HEAD 20 /* an element's base, length and bytes copied */
#define SCCAP_FD 0x80
#define SCCAP_FD_RESULT 6
/* an fd in memory: element (arg >> 3 & 1) of the int[2] the argument (arg & 7)
 * points at, at exit (pipe2, socketpair) */
#define SCCAP_FD_MEM 0x40

/* One region: argument `arg` is a pointer; copy from it at entry or exit. */
struct sccap {
	uint8_t arg;	  /* 0..5 */
	uint8_t at_exit;  /* 1: an output, copied when the call returns */
	uint8_t how;	  /* enum sccap_size */
	uint8_t size_arg; /* SCCAP_ARG / SCCAP_ARGP: which argument holds the size;
			     SCCAP_SP: the offset from the stack pointer, in 8-byte words */
	uint32_t max;	  /* bytes at most (<= SCEV_CAP_MAX) */
	uint16_t each;	  /* SCCAP_ARGV: bytes of one string at most; SCCAP_ARG: added */
	uint16_t count;	  /* SCCAP_ARGV: strings at most; SCCAP_ARG: a factor (0: 1) */
};

/*
 * The regions call nr of ABI arch needs, in order; returns how many (0..
 * SCEV_MAX_CAPS). strsize bounds strings and buffers as strace's -s does
 * (a string is still captured one byte longer, so that "..." can be told).
 */
int sysdecode_captures(uint32_t arch, long nr, unsigned strsize, struct sccap out[SCEV_MAX_CAPS]);
/*
 * -y: append to the n regions of sysdecode_captures the fd paths of call nr
 * (its fd arguments at entry, an fd result at exit) while room is left, so
 * that the path is the one the fd had when the call was made, not when its
 * line is written; returns the new count. An fd without its capture is
 * looked up by sysdecode_opts.fd_path when the line is written.
 */
int sysdecode_fd_captures(uint32_t arch, long nr, int n, struct sccap out[SCEV_MAX_CAPS]);

/* ---- one call, as a backend saw it ---- */

enum scev_part { SCEV_ENTRY = 1, SCEV_EXIT = 2, SCEV_BOTH = 3 };

enum scev_cap_state {
	SCEV_CAP_OK,	/* data holds len bytes */
	SCEV_CAP_FAULT, /* the address was not readable (strace prints it in hex) */
	SCEV_CAP_NONE,	/* not captured (NULL pointer, or the backend could not) */
};

struct scev_cap {
	uint8_t arg, at_exit, state; /* as in struct sccap; state: enum scev_cap_state */
	uint32_t len;		     /* bytes in data */
	bool cut;		     /* the object went on past len (string without its NUL
					within the bound, buffer larger than the bound) */
	const unsigned char *data;
};

struct scev {
	pid_t pid, tid;
	uint32_t arch; /* AUDIT_ARCH_* the call came in on */
	long nr;       /* without x32's bit 30 */
	uint64_t arg[6];
	uint64_t sp;	 /* the stack pointer at entry (for SCCAP_SP; 0: unknown) */
	int64_t ret;	 /* valid with SCEV_EXIT */
	unsigned part;	 /* SCEV_ENTRY, SCEV_EXIT or both */
	uint64_t t_entry_ns, t_exit_ns; /* CLOCK_REALTIME; 0: unknown */
	unsigned ncap;
	struct scev_cap cap[SCEV_MAX_CAPS];
};

/* ---- text ---- */

struct sysdecode_opts {
	unsigned strsize; /* -s: bytes of a string shown (strace's default: 32) */
	bool fd_paths;	  /* -y: fd arguments as 3</etc/passwd> */
	/* -y: the path behind fd of pid (escaped); NULL: leave the fd a number. Only
	 * for an fd without an SCCAP_FDPATH capture */
	const char *(*fd_path)(void *ctx, pid_t pid, int fd, char *buf, size_t size);
	void *ctx;
	/* -x: 1 a string with a non-printable byte all in \xHH, 2 (-xx) every string */
	unsigned xflag;
};

/*
 * Append the call to out, in strace's text:
 *   SCEV_BOTH:  "openat(AT_FDCWD, \"/etc/x\", O_RDONLY) = -1 ENOENT (No such file or directory)"
 *   SCEV_ENTRY: "read(3, " -- the arguments known at entry, up to the first output
 *               (the writer appends " <unfinished ...>")
 *   SCEV_EXIT:  "\"data\"..., 4096) = 4096" -- the rest, after "<... read resumed>"
 * For an exit or a whole call the result follows: " = 3", " = -1 ENOENT (No
 * such file or directory)", " = 0x7f...", " = ? " for a call that did not
 * return (exit_group). Strings are escaped as strace does (\n, \t, \", \\,
 * octal for other bytes, cut at strsize with "..."), so nothing raw reaches
 * a terminal.
 */
void sysdecode_format(const struct scev *ev, enum scev_part part, const struct sysdecode_opts *o,
		      struct wt_buf *out);

/* "ENOENT"; NULL if unknown. Texts are strerror's, as strace prints them. */
const char *sysdecode_errno_name(int e);
/* "SIGSEGV"; NULL if unknown (real-time signals print as SIGRT_N). */
const char *sysdecode_signal_name(int sig);

/* ---- sets of calls: strace's -e trace=EXPR ---- */

enum sc_class {
	SC_CLASS_FILE = 1 << 0,	   /* %file: takes a file name */
	SC_CLASS_DESC = 1 << 1,	   /* %desc: takes or returns an fd */
	SC_CLASS_PROCESS = 1 << 2, /* %process */
	SC_CLASS_NETWORK = 1 << 3, /* %network, %net */
	SC_CLASS_SIGNAL = 1 << 4,  /* %signal */
	SC_CLASS_IPC = 1 << 5,	   /* %ipc */
	SC_CLASS_MEMORY = 1 << 6,  /* %memory */
	SC_CLASS_CREDS = 1 << 7,   /* %creds */
	SC_CLASS_CLOCK = 1 << 8,   /* %clock */
	SC_CLASS_PURE = 1 << 9,	   /* %pure: no arguments, always succeed */
};
/* The classes of a call (0 if none or unknown). */
unsigned sysdecode_classes(uint32_t arch, long nr);
/* SC_CLASS_* of a class name without its '%' ("file", "net"); 0 if none. */
unsigned sysdecode_class_named(const char *name, size_t len);

/* One bit per (ABI, number), as struct sc_sample's slots. */
struct sc_set {
	uint64_t bits[(SC_SLOTS + 63) / 64];
};
void sc_set_all(struct sc_set *s);
/*
 * strace's syntax: "open,openat", "%file", "!%desc,write", "all", "none",
 * "/regex" (names matching). Names unknown on every ABI are refused:
 * "no syscall named 'opne' (x86_64 or i386)".
 */
int sc_set_parse(struct sc_set *s, const char *expr, struct wt_err *err);
bool sc_set_has(const struct sc_set *s, uint32_t arch, long nr);

#endif
