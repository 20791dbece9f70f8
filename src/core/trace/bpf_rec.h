/*
 * bpf_rec.h: what the in-kernel log's eBPF programs (trace.bpf.c) and their
 * loader (bpf.c) share: the per-call specs the programs read, and the
 * records they put in the ring buffer. Included from both sides, so only
 * __u8.. types (vmlinux.h in the programs, <linux/types.h> in whytop).
 */
#ifndef WHYTOP_TRACE_BPF_REC_H
#define WHYTOP_TRACE_BPF_REC_H

#define TB_NR_MAX 1024 /* SC_NR_MAX */
#define TB_ABIS 4      /* SC_ABI_N: x86_64, i386, x32, unknown */
#define TB_SLOTS (TB_ABIS * (TB_NR_MAX + 1))
#define TB_CAPS 4	/* SCEV_MAX_CAPS */
#define TB_CAP_MAX 4096 /* SCEV_CAP_MAX */
/* The data after a record: room for every capture, and for the offsets'
 * masks the verifier needs (an offset is bounded by 0x3fff, a string read
 * by TB_CAP_MAX + 2). */
#define TB_DATA_MAX (6 * TB_CAP_MAX + 8 + TB_NAME_MAX) /* argv's strings: + TB_CAP_MAX */
/* -y's paths: a name is read whole (NAME_MAX + its NUL) at an offset < TB_CAP_MAX */
#define TB_NAME_MAX 256
#define TB_PATH_DEPTH 32 /* components of a path (more: cut, as a too long path) */

/* struct sccap's layout (decode.h): bpf.c checks that they agree. */
struct tb_cap_spec {
	__u8 arg, at_exit, how, size_arg;
	__u32 max;
	__u16 each, count;
};

/* What the programs do with one (ABI, nr) slot; all zero: not logged. */
struct tb_spec {
	__u8 log;
	__u8 ncap;
	__u8 n_entry, n_exit; /* captures at entry, at exit */
	__u32 pad;
	struct tb_cap_spec cap[TB_CAPS];
};

enum tb_kind { TB_ENTER = 1, TB_EXIT, TB_SIGNAL, TB_TASK_EXIT, TB_ATTACH };
/* TB_EXIT of a call whose entry record was left out (an entry region was
 * not readable then): it holds the whole call, entry regions read again. */
#define TB_F_WHOLE 1

struct tb_cap {
	__u8 arg, at_exit, state, cut; /* state: enum scev_cap_state */
	__u32 len;		       /* bytes of data (in cap order after the record) */
};

struct tb_rec {
	__u32 kind; /* enum tb_kind */
	__u32 size; /* of the record, data included */
	__u32 pid, tid;
	__u64 t_ns;	  /* bpf_ktime_get_ns() at the event */
	__u64 t_entry_ns; /* TB_EXIT: its entry's (0: unknown) */
	__u32 abi;	  /* enum sc_abi */
	__s32 nr;	  /* without x32's bit 30 */
	__u64 arg[6];
	__s64 ret; /* TB_EXIT */
	__u32 ncap;
	__u32 flags; /* TB_F_* */
	struct tb_cap cap[TB_CAPS];
	/* TB_SIGNAL */
	__s32 signo, sig_errno, sig_code, sig_pid;
	__u32 sig_uid;
	__s32 status; /* TB_TASK_EXIT: the wait status (task->exit_code) */
};

/*
 * A task's call in progress, its entry seen (task storage "pending"). The
 * entry program fills it; bpf.c also writes one for a call a task was
 * already in when the log began (from /proc/TID/syscall), so that its exit
 * is logged as any other.
 */
struct tb_pending {
	__u64 t;
	__u32 slot, active;
	__u32 abi;
	__s32 nr;
	__u32 refetch; /* an entry region faulted: copy it again at exit */
	__u32 pad;
	__u64 arg[6];
	__u64 sp; /* at entry: SCCAP_SP's base, also for a refetch at exit */
	__u64 mm; /* the address space at entry: a refetch reads only the same one */
};

#endif
