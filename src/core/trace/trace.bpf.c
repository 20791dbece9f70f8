// SPDX-License-Identifier: GPL-2.0
/*
 * trace.bpf.c: the in-kernel syscall log's eBPF programs (loaded by bpf.c
 * through the skeleton bpftool makes of this file).
 *
 *   sys_enter:  traced task? (hash lookup) -> slot logged? (array load) ->
 *               remember nr, args, time per task (task storage), copy the
 *               entry captures, put a TB_ENTER record in the ring buffer
 *   sys_exit:   traced task? -> an entry remembered? -> exit captures,
 *               TB_EXIT (nr, args, entry time, result)
 *   signal_deliver, sched_process_exit, sched_process_fork (with follow):
 *               TB_SIGNAL, TB_TASK_EXIT (and the task leaves the set),
 *               TB_ATTACH (and a traced parent's child joins the set)
 *
 * A call not asked for costs the two lookups. An entry and its exit are
 * two records so that a call that blocks shows at once; the writer pairs
 * them. Records without captures are reserved in the ring buffer directly;
 * those with captures are built in a per-CPU scratch buffer (the size is
 * only known after the copies) and output from there. A record that finds
 * no room counts in `lost`, which bpf.c reports: never silent.
 */
#include "whytop_bpf.h"

#include "bpf_rec.h"

char LICENSE[] SEC("license") = "GPL";

#define TS_COMPAT 0x0002 /* thread_info.status: an i386 syscall (int $0x80 or a 32-bit task) */
#define X32_BIT 0x40000000
#define SCEV_CAP_OK 0
#define SCEV_CAP_FAULT 1
#define SCEV_CAP_NONE 2
#define SCCAP_STR 0
#define SCCAP_FIXED 1
#define SCCAP_ARG 2
#define SCCAP_RET 3
#define SCCAP_ARGP 4
#define SCCAP_SP 5
#define SCCAP_FDPATH 6
#define SCCAP_ARGV 7
#define SCCAP_ARGC 8
#define SCCAP_ARGC_MAX 4096
#define SCCAP_IOV 9
#define SCCAP_IOV_HEAD 20
#define SCCAP_DENTS 10
#define SCCAP_DENTS_MAX 65536
#define SCCAP_MSGHDR 11
#define SCCAP_MSGHDR_HEAD 56
#define SCCAP_MSGHDR_NAME 128
#define SCCAP_MSGHDR_CTL 256
#define SCCAP_MMSGHDR 12
#define SCCAP_MMSGHDR_HEAD 8
#define SCCAP_FD 0x80
#define SCCAP_FD_RESULT 6
#define SCCAP_FD_MEM 0x40
#define PIPEFS_MAGIC 0x50495045
#define SOCKFS_MAGIC 0x534F434B
#define ANON_INODE_FS_MAGIC 0x09041934
#define ABI_X86_64 0
#define ABI_I386 1
#define ABI_X32 2

/* Set by bpf.c before loading. */
const volatile bool follow = false; /* traced is keyed by tgid, else by tid */
const volatile bool batch = false;  /* wake the reader only past WAKE_BYTES (it ticks) */
struct tb_spec slots[TB_SLOTS];	    /* by sc_slot(abi, nr) */
__u64 lost;			    /* records that found no room */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, __u8);
} traced SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);
} events SEC(".maps");

/* The call a task is in: what its exit needs (freed with the task). */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct tb_pending); /* bpf_rec.h: bpf.c seeds calls in progress */
} pending SEC(".maps");

struct scratch {
	struct tb_rec r;
	__u8 data[TB_DATA_MAX];
	struct dentry *comp[TB_PATH_DEPTH]; /* -y: a path's dentries, leaf first */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

static __always_inline bool is_traced(__u64 pid_tgid)
{
	__u32 key = follow ? (__u32)(pid_tgid >> 32) : (__u32)pid_tgid;
	return bpf_map_lookup_elem(&traced, &key) != NULL;
}

static __always_inline void rec_head(struct tb_rec *r, __u32 kind, __u64 pid_tgid)
{
	r->kind = kind;
	r->size = sizeof(*r);
	r->pid = (__u32)(pid_tgid >> 32);
	r->tid = (__u32)pid_tgid;
	r->t_ns = bpf_ktime_get_ns();
	r->t_entry_ns = 0;
	r->abi = 0;
	r->nr = -1;
	for (int i = 0; i < 6; i++)
		r->arg[i] = 0;
	r->ret = 0;
	r->ncap = 0;
	r->flags = 0;
	for (int i = 0; i < TB_CAPS; i++) {
		r->cap[i].arg = 0;
		r->cap[i].at_exit = 0;
		r->cap[i].state = 0;
		r->cap[i].cut = 0;
		r->cap[i].len = 0;
	}
	r->signo = r->sig_errno = r->sig_code = r->sig_pid = 0;
	r->sig_uid = 0;
	r->status = 0;
}

#define WAKE_BYTES (1 << 20)

/*
 * A wake-up per record costs the logged task more than the record itself
 * (measured: tests/bench/trace_overhead.sh). With batch, syscall records
 * wake the reader only once a megabyte waits; bpf.c's fd also ticks every
 * few milliseconds, so a lone record (a call that blocks) still shows.
 */
static __always_inline __u64 wake_flags(void)
{
	if (!batch)
		return 0;
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > WAKE_BYTES ? BPF_RB_FORCE_WAKEUP
									  : BPF_RB_NO_WAKEUP;
}

static __always_inline void count_lost(void)
{
	__sync_fetch_and_add(&lost, 1);
}

/*
 * Copy the captures of sp taken at entry, at exit or both after the
 * record; returns the bytes of data, counts the faults. NULL pointers are
 * not captured, an unreadable one is a fault.
 */
struct cap_loop {
	__u32 slot;
	__u32 off, n, faults;
	long ret;
	__u64 sp;
	bool entry, exit;
};

static __always_inline struct scratch *scratch_get(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&scratch, &zero);
}

/*
 * -y: the path behind fd (AT_FDCWD: the cwd) of the current task into dst
 * (at most TB_CAP_MAX - TB_NAME_MAX bytes), as d_path and /proc/PID/fd
 * show it: the dentries up to the task's root, crossing mounts; pipes,
 * sockets and anonymous inodes as pipe:[ino], socket:[ino],
 * anon_inode:NAME. bpf_d_path is not allowed from a tracepoint, so the
 * walk is done here, bounded (TB_PATH_DEPTH components). Returns the
 * length, -1 if the fd is not open.
 */
const char fmt_pipe[] = "pipe:[%llu]";
const char fmt_sock[] = "socket:[%llu]";
const char fmt_anon[] = "anon_inode:%s";

static __always_inline struct scratch *scratch_get(void);

/* fd_path's walk up the tree, one dentry a step (bpf_loop's body). */
struct path_walk {
	struct dentry *d, *root;
	struct vfsmount *vm, *root_mnt;
	struct mount *mnt;
	__u32 n;
};

static long path_up(__u32 i, void *vctx)
{
	struct path_walk *w = vctx;
	struct scratch *sc = scratch_get();
	if (!sc || w->n >= TB_PATH_DEPTH || (w->d == w->root && w->vm == w->root_mnt))
		return 1;
	/* locals: a CO-RE read's chain must start at a kernel type */
	struct dentry *d = w->d, *parent = BPF_CORE_READ(d, d_parent);
	struct vfsmount *vm = w->vm;
	struct mount *mnt = w->mnt;
	struct dentry *mroot = BPF_CORE_READ(vm, mnt_root);
	if (d == mroot || d == parent) {
		struct mount *up = BPF_CORE_READ(mnt, mnt_parent);
		if (d != mroot || up == mnt)
			return 1; /* the global root (or a detached tree) */
		w->d = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = up;
		w->vm = (void *)up + bpf_core_field_offset(struct mount, mnt);
		return 0;
	}
	sc->comp[w->n & (TB_PATH_DEPTH - 1)] = d;
	w->n++;
	w->d = parent;
	return 0;
}

/* Then the names root first, "/name" a step. */
struct path_out {
	__u32 off, pos, n;
	int err;
};

static long path_name(__u32 i, void *vctx)
{
	struct path_out *o = vctx;
	struct scratch *sc = scratch_get();
	if (!sc || i >= o->n)
		return 1;
	struct dentry *c = sc->comp[(o->n - 1 - i) & (TB_PATH_DEPTH - 1)];
	if (o->pos >= TB_CAP_MAX - TB_NAME_MAX - 1)
		return 1; /* too long: cut */
	__u32 at = (o->off & 0x3fff) + (o->pos & 0xfff);
	barrier_var(at); /* the check below on the register the access uses */
	if (at >= TB_DATA_MAX - TB_NAME_MAX - 1)
		return 1;
	sc->data[at] = '/';
	long got = bpf_probe_read_kernel_str(&sc->data[at + 1], TB_NAME_MAX,
					     BPF_CORE_READ(c, d_name.name));
	if (got <= 0 || got > TB_NAME_MAX) {
		o->err = 1;
		return 1;
	}
	o->pos = (o->pos + (__u32)got) & 0x1fff; /* the '/' and the name, not its NUL */
	return 0;
}

/*
 * -y: the path behind fd (AT_FDCWD: the cwd) of the current task at
 * scratch data + off (at most TB_CAP_MAX - TB_NAME_MAX bytes), as d_path
 * and /proc/PID/fd show it: the dentries up to the task's root, crossing
 * mounts; pipes, sockets and anonymous inodes as pipe:[ino], socket:[ino],
 * anon_inode:NAME. bpf_d_path is not allowed from a tracepoint, so the
 * walk is done here, bounded (TB_PATH_DEPTH components, then cut). A
 * global function: the verifier checks it once, not per call site.
 * Returns the length, -1 if the fd is not open.
 */
__noinline int wt_fd_path(__u32 off, long fd)
{
	struct scratch *sc = scratch_get();
	if (!sc)
		return -1;
	struct task_struct *task = bpf_get_current_task_btf();
	struct dentry *d;
	struct vfsmount *vm;
	if (fd == -100) {
		d = BPF_CORE_READ(task, fs, pwd.dentry);
		vm = BPF_CORE_READ(task, fs, pwd.mnt);
	} else {
		struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
		if (!fdt || fd < 0 || fd >= BPF_CORE_READ(fdt, max_fds))
			return -1;
		struct file **fds = BPF_CORE_READ(fdt, fd);
		struct file *f = NULL;
		if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) < 0 || !f)
			return -1;
		d = BPF_CORE_READ(f, f_path.dentry);
		vm = BPF_CORE_READ(f, f_path.mnt);
	}
	if (!d || !vm)
		return -1;
	off &= 0x3fff;
	const struct dentry_operations *op = BPF_CORE_READ(d, d_op);
	if (op && BPF_CORE_READ(op, d_dname)) { /* a name made up by its file system */
		unsigned long magic = BPF_CORE_READ(d, d_sb, s_magic);
		__u64 a[1];
		long n = -1;
		if (magic == PIPEFS_MAGIC) {
			a[0] = BPF_CORE_READ(d, d_inode, i_ino);
			n = bpf_snprintf((char *)&sc->data[off], TB_NAME_MAX, fmt_pipe, a, sizeof(a));
		} else if (magic == SOCKFS_MAGIC) {
			a[0] = BPF_CORE_READ(d, d_inode, i_ino);
			n = bpf_snprintf((char *)&sc->data[off], TB_NAME_MAX, fmt_sock, a, sizeof(a));
		} else if (magic == ANON_INODE_FS_MAGIC) {
			a[0] = (__u64)BPF_CORE_READ(d, d_name.name);
			n = bpf_snprintf((char *)&sc->data[off], TB_NAME_MAX, fmt_anon, a, sizeof(a));
		}
		if (n > 1)
			return (int)n - 1;
	}
	struct path_walk w = {.d = d, .vm = vm};
	w.root = BPF_CORE_READ(task, fs, root.dentry);
	w.root_mnt = BPF_CORE_READ(task, fs, root.mnt);
	w.mnt = (void *)vm - bpf_core_field_offset(struct mount, mnt);
	bpf_loop(TB_PATH_DEPTH + 16, path_up, &w, 0);
	if (!w.n) {
		sc->data[off] = '/';
		return 1;
	}
	struct path_out o = {.off = off, .n = w.n};
	bpf_loop(TB_PATH_DEPTH, path_name, &o, 0);
	return o.err ? -1 : (int)o.pos;
}

/* execve's argv and envp (SCCAP_ARGV, SCCAP_ARGC): one pointer a step. */
struct argv_walk {
	__u64 addr;
	__u32 off, pos, each, count, max, word, n;
	__u32 cut, fault, argc;
};

static long argv_step(__u32 i, void *vctx)
{
	struct argv_walk *w = vctx;
	struct scratch *sc = scratch_get();
	if (!sc)
		return 1;
	__u64 p = 0;
	long e;
	if (w->word == 4) {
		__u32 p32 = 0;
		e = bpf_probe_read_user(&p32, 4, (void *)(w->addr + 4 * (__u64)i));
		p = p32;
	} else {
		e = bpf_probe_read_user(&p, 8, (void *)(w->addr + 8 * (__u64)i));
	}
	if (e < 0) {
		if (i == 0)
			w->fault = 1;
		else
			w->cut = 1;
		return 1;
	}
	if (!p)
		return 1;
	if (w->argc) {
		w->n = i + 1;
		return 0;
	}
	if (i >= w->count || w->pos + 2 > w->max) {
		w->cut = 1;
		return 1;
	}
	__u32 each = w->each;
	if (each > w->max - w->pos - 1)
		each = w->max - w->pos - 1;
	each &= 0xfff;
	__u32 at = (w->off & 0x3fff) + (w->pos & 0xfff);
	barrier_var(at);
	if (at > TB_DATA_MAX - TB_CAP_MAX - 2)
		return 1;
	long got = bpf_probe_read_user_str(&sc->data[at], (each + 1) & 0x1fff, (void *)p);
	if (got <= 0) { /* an unreadable string: the array stops there */
		w->cut = 1;
		return 1;
	}
	w->pos += (__u32)got & 0x1fff; /* the string and its NUL */
	return 0;
}

/*
 * The strings of the array at addr (argv: at most count of at most each
 * bytes, max in all, each followed by a NUL) or its length (envp) at
 * scratch data + off. Returns the bytes | the cut flag << 16, -1 if the
 * array is unreadable. Global: verified once.
 */
__noinline int wt_argv(__u32 off, __u64 addr, __u32 argc_word, __u32 each, __u32 count_max)
{
	struct scratch *sc = scratch_get();
	if (!sc)
		return -1;
	struct argv_walk w = {.addr = addr,
			      .off = off & 0x3fff,
			      .each = each,
			      .count = count_max & 0xffff,
			      .max = count_max >> 16,
			      .word = argc_word >> 8,
			      .argc = argc_word & 1};
	if (w.max > TB_CAP_MAX)
		w.max = TB_CAP_MAX;
	bpf_loop(w.argc ? SCCAP_ARGC_MAX : (w.count & 0x7ff) + 1, argv_step, &w, 0);
	if (w.fault)
		return -1;
	if (w.argc) {
		__u32 at = w.off;
		barrier_var(at);
		if (at > TB_DATA_MAX - 4)
			return -1;
		__builtin_memcpy(&sc->data[at], &w.n, 4);
		return 4 | (w.n >= SCCAP_ARGC_MAX) << 16;
	}
	return (int)((w.pos & 0x1fff) | (w.cut ? 1 : 0) << 16);
}

/* struct iovec[n] (SCCAP_IOV): one element a step. */
struct iov_walk {
	__u64 addr;
	__u32 off, pos, n, each, count, max, word;
	__u32 cut, fault, strict;
};

static long iov_step(__u32 i, void *vctx)
{
	struct iov_walk *w = vctx;
	struct scratch *sc = scratch_get();
	if (!sc || i >= w->n)
		return 1;
	if (i >= w->count || w->pos + SCCAP_IOV_HEAD + 1 > w->max) {
		w->cut = 1;
		return 1;
	}
	__u64 hd[2] = {0, 0};
	long e;
	if (w->word == 4) {
		__u32 h32[2] = {0, 0};
		e = bpf_probe_read_user(h32, 8, (void *)(w->addr + 8 * (__u64)i));
		hd[0] = h32[0];
		hd[1] = h32[1];
	} else {
		e = bpf_probe_read_user(hd, 16, (void *)(w->addr + 16 * (__u64)i));
	}
	if (e < 0) {
		if (i == 0)
			w->fault = 1;
		else
			w->cut = 1;
		return 1;
	}
	__u64 got = w->each;
	if (got > hd[1])
		got = hd[1];
	if (got > w->max - w->pos - SCCAP_IOV_HEAD)
		got = w->max - w->pos - SCCAP_IOV_HEAD;
	got &= 0xfff;
	__u32 at = (w->off & 0x3fff) + (w->pos & 0xfff);
	barrier_var(at);
	if (at > TB_DATA_MAX - TB_CAP_MAX - SCCAP_IOV_HEAD - 1)
		return 1;
	if (got && bpf_probe_read_user(&sc->data[at + SCCAP_IOV_HEAD], got, (void *)hd[0]) < 0) {
		/* at entry: a page the task never touched (a string literal);
		 * the exit copies it again, once the call has faulted it in */
		if (w->strict) {
			w->fault = 1;
			return 1;
		}
		got = 0;
	}
	__u32 g = (__u32)got;
	__builtin_memcpy(&sc->data[at], hd, 16);
	__builtin_memcpy(&sc->data[at + 16], &g, 4);
	w->pos += SCCAP_IOV_HEAD + g;
	return 0;
}

/* The elements of the iovec array at addr (SCCAP_IOV's layout) at scratch
 * data + off; returns the bytes | the cut flag << 16, -1 if unreadable. */
__noinline int wt_iov(__u32 off, __u64 addr, __u32 n, __u32 word_each, __u32 count_max)
{
	struct iov_walk w = {.addr = addr,
			     .off = off & 0x3fff,
			     .n = n,
			     .each = word_each & 0xffff,
			     .word = word_each >> 16 & 0xff,
			     .strict = word_each >> 24 & 1,
			     .count = count_max & 0xffff,
			     .max = count_max >> 16};
	if (w.max > TB_CAP_MAX)
		w.max = TB_CAP_MAX;
	bpf_loop((w.count & 0x7ff) + 1, iov_step, &w, 0);
	if (w.fault)
		return -1;
	return (int)((w.pos & 0x1fff) | (w.cut ? 1 : 0) << 16);
}

/* getdents's records (SCCAP_DENTS): one record's length a step. */
struct dents_walk {
	__u64 addr, size, pos;
	__u32 at, n, fault;
};

static long dents_step(__u32 i, void *vctx)
{
	struct dents_walk *w = vctx;
	__u16 reclen = 0;
	if (w->pos + w->at + 2 > w->size)
		return 1;
	if (bpf_probe_read_user(&reclen, 2, (void *)(w->addr + w->pos + w->at)) < 0) {
		if (i == 0)
			w->fault = 1;
		return 1;
	}
	if (!reclen)
		return 1;
	w->n = i + 1;
	w->pos += reclen;
	return 0;
}

/* How many records the size bytes at addr hold, each one's length the
 * __u16 at reclen_at in it, as a __u32 at scratch data + off; returns 4 |
 * the cut flag << 16, -1 if unreadable. */
__noinline int wt_dents(__u32 off, __u64 addr, __u64 size, __u32 reclen_at)
{
	struct scratch *sc = scratch_get();
	if (!sc)
		return -1;
	struct dents_walk w = {.addr = addr, .size = size, .at = reclen_at & 0xff};
	bpf_loop(SCCAP_DENTS_MAX, dents_step, &w, 0);
	if (w.fault)
		return -1;
	__u32 at = off & 0x3fff;
	barrier_var(at);
	if (at > TB_DATA_MAX - 4)
		return -1;
	__builtin_memcpy(&sc->data[at], &w.n, 4);
	return 4 | (w.n >= SCCAP_DENTS_MAX && w.pos < size) << 16;
}

/*
 * struct msghdr (SCCAP_MSGHDR) at scratch data + off: its seven fields as
 * __u64, its name and control (a __u32 length, the bytes), then its iovecs
 * as wt_iov copies them. Returns the bytes | the cut flag << 16, -1 if the
 * struct is unreadable.
 */
__noinline int wt_msghdr(__u32 off, __u64 addr, __u32 word, __u32 each, __u32 count_max)
{
	struct scratch *sc = scratch_get();
	if (!sc)
		return -1;
	__u64 h[7] = {};
	if ((word & 0xff) == 4) {
		__u32 h32[7] = {};
		if (bpf_probe_read_user(h32, sizeof(h32), (void *)addr) < 0)
			return -1;
		for (int j = 0; j < 7; j++)
			h[j] = h32[j];
	} else if (bpf_probe_read_user(h, sizeof(h), (void *)addr) < 0) {
		return -1;
	}
	h[1] &= 0xffffffff; /* msg_namelen and msg_flags are ints */
	h[6] &= 0xffffffff;
	__u32 max = count_max >> 16;
	if (max > TB_CAP_MAX)
		max = TB_CAP_MAX;
	if (max < SCCAP_MSGHDR_HEAD + 8 + SCCAP_MSGHDR_NAME + SCCAP_MSGHDR_CTL)
		return -1;
	__u32 at = off & 0x3fff;
	barrier_var(at);
	if (at > TB_DATA_MAX - TB_CAP_MAX)
		return -1;
	__builtin_memcpy(&sc->data[at], h, SCCAP_MSGHDR_HEAD);
	__u32 pos = SCCAP_MSGHDR_HEAD;
	/* the name */
	__u32 got = h[1] < SCCAP_MSGHDR_NAME ? (__u32)h[1] : SCCAP_MSGHDR_NAME;
	got &= 0xff;
	if (!h[0] || (got && bpf_probe_read_user(&sc->data[at + SCCAP_MSGHDR_HEAD + 4], got,
						 (void *)h[0]) < 0))
		got = 0;
	__builtin_memcpy(&sc->data[at + SCCAP_MSGHDR_HEAD], &got, 4);
	pos += 4 + got;
	/* the control messages */
	__u32 cn = h[5] < SCCAP_MSGHDR_CTL ? (__u32)h[5] : SCCAP_MSGHDR_CTL;
	cn &= 0x1ff;
	__u32 cat = at + (pos & 0xff);
	barrier_var(cat);
	if (cat > TB_DATA_MAX - TB_CAP_MAX + SCCAP_MSGHDR_HEAD + 4 + SCCAP_MSGHDR_NAME)
		return -1;
	if (!h[4] || (cn && bpf_probe_read_user(&sc->data[cat + 4], cn, (void *)h[4]) < 0))
		cn = 0;
	__builtin_memcpy(&sc->data[cat], &cn, 4);
	pos += 4 + cn;
	if (!h[2])
		return (int)pos;
	/* the iovecs, as readv's */
	int r = wt_iov(off + pos, h[2], (__u32)h[3], (each & 0xffff) | (word & 0x1ff) << 16,
		       (count_max & 0xffff) | (max - pos) << 16);
	if (r < 0)
		return word >> 8 & 1 ? -1 : (int)pos;
	return (int)(((pos + ((__u32)r & 0x1fff)) & 0x1fff) | ((__u32)r & 0x10000));
}

/* struct mmsghdr[n] (SCCAP_MMSGHDR): one element a step, as wt_msghdr copies
 * it, after its bytes and msg_len (two __u32). */
/* an element's room: wt_msghdr wants it for a whole name and control */
#define MMSG_ROOM                                                                                  \
	(SCCAP_MMSGHDR_HEAD + SCCAP_MSGHDR_HEAD + 8 + SCCAP_MSGHDR_NAME + SCCAP_MSGHDR_CTL)
struct mmsg_walk {
	__u64 addr;
	__u32 off, pos, n, word, each, count, max;
	__u32 cut, fault;
};

static long mmsg_step(__u32 i, void *vctx)
{
	struct mmsg_walk *w = vctx;
	struct scratch *sc = scratch_get();
	if (!sc || i >= w->n)
		return 1;
	if (i >= w->count || w->pos + MMSG_ROOM > w->max) {
		w->cut = 1;
		return 1;
	}
	/* sizeof(struct mmsghdr) and offsetof(msg_len): 64 and 56, i386 32 and 28 */
	__u64 el = w->addr + (__u64)i * ((w->word & 0xff) == 4 ? 32 : 64);
	__u32 ml = 0;
	int r = -1;
	if (bpf_probe_read_user(&ml, 4, (void *)(el + ((w->word & 0xff) == 4 ? 28 : 56))) == 0)
		r = wt_msghdr(w->off + w->pos + SCCAP_MMSGHDR_HEAD, el, w->word, w->each,
			      (w->count & 0xffff) | (w->max - w->pos - SCCAP_MMSGHDR_HEAD) << 16);
	if (r < 0) {
		if (i == 0)
			w->fault = 1;
		else
			w->cut = 1;
		return 1;
	}
	__u32 got = (__u32)r & 0x1fff;
	__u32 at = (w->off & 0x3fff) + (w->pos & 0xfff);
	barrier_var(at);
	if (at > TB_DATA_MAX - SCCAP_MMSGHDR_HEAD)
		return 1;
	__builtin_memcpy(&sc->data[at], &got, 4);
	__builtin_memcpy(&sc->data[at + 4], &ml, 4);
	w->pos += SCCAP_MMSGHDR_HEAD + got;
	return 0;
}

/* The n elements of the mmsghdr array at addr at scratch data + off; returns
 * the bytes | the cut flag << 16, -1 if the first is unreadable. */
__noinline int wt_mmsghdr(__u32 off, __u64 addr, __u32 n, __u32 word_each, __u32 count_max)
{
	struct mmsg_walk w = {.addr = addr,
			      .off = off & 0x3fff,
			      .n = n,
			      .each = word_each & 0xffff,
			      .word = word_each >> 16 & 0x1ff,
			      .count = count_max & 0xffff,
			      .max = count_max >> 16};
	if (w.max > TB_CAP_MAX)
		w.max = TB_CAP_MAX;
	bpf_loop((w.count & 0x7ff) + 1, mmsg_step, &w, 0);
	if (w.fault)
		return -1;
	return (int)((w.pos & 0x1fff) | (w.cut ? 1 : 0) << 16);
}

/*
 * One capture (bpf_loop's body: the verifier checks it once, not once per
 * capture and per path through the ones before, which took half a second
 * at load when unrolled).
 */
static long copy_cap(__u32 i, void *vctx)
{
	struct cap_loop *l = vctx;
	struct scratch *sc = scratch_get();
	if (!sc || l->slot >= TB_SLOTS) /* i < TB_CAPS: bpf_loop's count */
		return 1;
	const struct tb_spec *sp = &slots[l->slot];
	if (i >= sp->ncap)
		return 1;
	struct tb_rec *r = &sc->r;
	/* the masks keep the bounds the verifier needs through clang's reordering */
	struct tb_cap_spec c = sp->cap[i & (TB_CAPS - 1)];
	if (c.at_exit ? !l->exit : !l->entry)
		return 0;
	__u32 n = l->n;
	if (n >= TB_CAPS)
		return 1;
	struct tb_cap *o = &r->cap[n & (TB_CAPS - 1)];
	l->n = n + 1;
	o->arg = c.arg;
	o->at_exit = c.at_exit;
	o->cut = 0;
	o->len = 0;
	o->state = SCEV_CAP_NONE;
	if (c.how == SCCAP_FDPATH) {
		__u32 w = c.arg & ~SCCAP_FD;
		long fd;
		if (w & SCCAP_FD_MEM) { /* pipe2's int[2], written by the call */
			__s32 v;
			if ((w & 7) > 5)
				return 0;
			__u64 p = r->arg[w & 7];
			if (!l->exit || l->ret < 0 || !p ||
			    bpf_probe_read_user(&v, sizeof(v), (void *)(p + 4 * (w >> 3 & 1))) < 0)
				return 0;
			fd = v;
		} else if (w == SCCAP_FD_RESULT) {
			if (!l->exit || l->ret < 0)
				return 0;
			fd = l->ret;
		} else if (w < 6) {
			fd = r->abi == ABI_I386 ? (long)(__s32)r->arg[w] : (long)(int)r->arg[w];
		} else {
			return 0;
		}
		int len = wt_fd_path(l->off, fd);
		if (len < 0) {
			o->state = SCEV_CAP_FAULT; /* not open: no path */
			return 0;
		}
		o->len = (__u32)len & 0xfff;
		o->state = SCEV_CAP_OK;
		l->off = (l->off & 0x3fff) + o->len;
		return 0;
	}
	if (c.arg > 5 || (c.size_arg > 5 && c.how != SCCAP_SP && c.how != SCCAP_DENTS))
		return 0;
	__u64 ptr = r->arg[c.arg & 7];
	if (c.how == SCCAP_SP) /* rt_sigreturn's frame: at the stack pointer, not an argument */
		ptr = l->sp ? l->sp + 8 * (__u64)c.size_arg : 0;
	if (!ptr)
		return 0;
	if (c.how == SCCAP_DENTS && (!l->exit || l->ret < 0))
		return 0;
	if (c.how == SCCAP_ARGV || c.how == SCCAP_ARGC || c.how == SCCAP_IOV ||
	    c.how == SCCAP_DENTS || c.how == SCCAP_MSGHDR || c.how == SCCAP_MMSGHDR) {
		__u32 word = r->abi == ABI_I386 ? 4 : 8;
		if (!l->exit) /* at entry, an unreadable iovec base faults: copied again at exit */
			word |= 0x100;
		__u32 count_max = c.count | (__u32)(c.max & 0xffff) << 16;
		int got;
		if (c.how == SCCAP_IOV)
			got = wt_iov(l->off, ptr, (__u32)r->arg[c.size_arg & 7], c.each | word << 16,
				     count_max);
		else if (c.how == SCCAP_DENTS)
			got = wt_dents(l->off, ptr, (__u64)l->ret, c.size_arg);
		else if (c.how == SCCAP_MSGHDR)
			got = wt_msghdr(l->off, ptr, word, c.each, count_max);
		else if (c.how == SCCAP_MMSGHDR)
			got = wt_mmsghdr(l->off, ptr, (__u32)r->arg[c.size_arg & 7],
					 c.each | word << 16, count_max);
		else
			got = wt_argv(l->off, ptr, (c.how == SCCAP_ARGC) | (word & 0xff) << 8, c.each,
				      count_max);
		if (got < 0) {
			o->state = SCEV_CAP_FAULT;
			l->faults++;
			return 0;
		}
		o->len = (__u32)got & 0x1fff;
		o->cut = (__u32)got >> 16 & 1;
		o->state = SCEV_CAP_OK;
		l->off = (l->off & 0x3fff) + o->len;
		return 0;
	}
	__u64 max = c.max > TB_CAP_MAX ? TB_CAP_MAX : c.max;
	__u64 want = max;
	if (c.how == SCCAP_ARG) { /* times count (an element's size), plus each (a header) */
		want = r->arg[c.size_arg & 7];
		if (want > TB_CAP_MAX)
			want = TB_CAP_MAX + 1; /* past max: cut, without overflowing */
		else
			want = want * (c.count ? c.count : 1) + c.each;
	} else if (c.how == SCCAP_RET) {
		want = l->ret < 0 ? 0 : (__u64)l->ret;
	} else if (c.how == SCCAP_ARGP) {
		__s32 len = 0;
		__u64 lp = r->arg[c.size_arg & 7];
		if (!lp || bpf_probe_read_user(&len, sizeof(len), (void *)lp) < 0)
			return 0;
		want = len < 0 ? 0 : (__u64)len;
	}
	if (want > max) {
		want = max;
		o->cut = 1;
	}
	__u32 off = l->off & 0x3fff;
	void *dst = &sc->data[off];
	if (c.how == SCCAP_STR) {
		/* up to max characters: read two more bytes (one for the NUL,
		 * one to tell a string of exactly max from a longer one) */
		long got = bpf_probe_read_user_str(dst, (__u32)(want + 2) & 0x1fff, (void *)ptr);
		if (got <= 0) {
			o->state = SCEV_CAP_FAULT;
			l->faults++;
			return 0;
		}
		__u64 chars = (__u64)got - 1;
		o->len = (__u32)(chars > want ? want : chars);
		o->cut = chars > want;
	} else {
		__u32 sz = (__u32)want & 0x1fff;
		if (sz > TB_CAP_MAX)
			sz = TB_CAP_MAX;
		if (sz && bpf_probe_read_user(dst, sz, (void *)ptr) < 0) {
			o->state = SCEV_CAP_FAULT;
			l->faults++;
			return 0;
		}
		o->len = sz;
	}
	o->state = SCEV_CAP_OK;
	l->off = off + o->len;
	return 0;
}

/*
 * Copy the captures of the slot taken at entry, at exit or both after the
 * record (NULL pointers are not captured, an unreadable one is a fault);
 * returns the faults. The record's size says how much data came.
 */
static __always_inline __u32 copy_caps(struct scratch *sc, __u32 slot, bool entry, bool exit,
				       long ret, __u64 sp)
{
	struct cap_loop l = {.slot = slot, .ret = ret, .entry = entry, .exit = exit, .sp = sp};
	bpf_loop(TB_CAPS, copy_cap, &l, 0);
	sc->r.ncap = l.n;
	__u32 len = l.off;
	if (len > TB_DATA_MAX)
		len = TB_DATA_MAX;
	sc->r.size = sizeof(sc->r) + len;
	return l.faults;
}

static __always_inline void output_scratch(struct scratch *sc)
{
	__u32 size = sc->r.size;
	if (size > sizeof(*sc))
		size = sizeof(*sc);
	if (size < sizeof(sc->r))
		size = sizeof(sc->r);
	if (bpf_ringbuf_output(&events, sc, size, wake_flags()) < 0)
		count_lost();
}

SEC("tp_btf/sys_enter")
int BPF_PROG(wt_trace_enter, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (!is_traced(pid_tgid))
		return 0;
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 abi = ABI_X86_64;
	long nr = id;
	if (task->thread_info.status & TS_COMPAT) {
		abi = ABI_I386;
	} else if (nr >= 0 && (nr & X32_BIT)) {
		abi = ABI_X32;
		nr &= ~(long)X32_BIT;
	}
	__u32 n = (nr < 0 || nr >= TB_NR_MAX) ? TB_NR_MAX : (__u32)nr;
	__u32 slot = abi * (TB_NR_MAX + 1) + n;
	if (slot >= TB_SLOTS)
		return 0;
	const struct tb_spec *sp = &slots[slot];
	if (!sp->log)
		return 0;

	struct tb_pending *p = bpf_task_storage_get(&pending, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!p) {
		count_lost();
		return 0;
	}
	p->slot = slot;
	p->abi = abi;
	p->nr = (__s32)nr;
	if (abi == ABI_I386) {
		p->arg[0] = (__u32)regs->bx;
		p->arg[1] = (__u32)regs->cx;
		p->arg[2] = (__u32)regs->dx;
		p->arg[3] = (__u32)regs->si;
		p->arg[4] = (__u32)regs->di;
		p->arg[5] = (__u32)regs->bp;
	} else {
		p->arg[0] = regs->di;
		p->arg[1] = regs->si;
		p->arg[2] = regs->dx;
		p->arg[3] = regs->r10;
		p->arg[4] = regs->r8;
		p->arg[5] = regs->r9;
	}
	p->sp = regs->sp;
	p->mm = (__u64)BPF_CORE_READ(bpf_get_current_task_btf(), mm);

	if (!sp->n_entry) {
		struct tb_rec *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
		p->refetch = 0;
		if (!r) {
			/* the exit still comes, with the number and arguments */
			count_lost();
			p->t = bpf_ktime_get_ns();
			p->active = 1;
			return 0;
		}
		rec_head(r, TB_ENTER, pid_tgid);
		r->abi = abi;
		r->nr = (__s32)nr;
		for (int i = 0; i < 6; i++)
			r->arg[i] = p->arg[i];
		r->t_entry_ns = p->t = r->t_ns;
		p->active = 1;
		bpf_ringbuf_submit(r, wake_flags());
		return 0;
	}
	struct scratch *sc = scratch_get();
	if (!sc)
		return 0;
	rec_head(&sc->r, TB_ENTER, pid_tgid);
	sc->r.abi = abi;
	sc->r.nr = (__s32)nr;
	for (int i = 0; i < 6; i++)
		sc->r.arg[i] = p->arg[i];
	sc->r.t_entry_ns = p->t = sc->r.t_ns;
	p->active = 1;
	/*
	 * A page the task never touched (a string literal of a fresh child)
	 * cannot be read here: no page faults in this context. The kernel
	 * reads the argument itself during the call, so then the entry record
	 * is left out and the exit copies the entry's regions again: one
	 * record with the whole call (TB_F_WHOLE), so that its text is right.
	 */
	p->refetch = copy_caps(sc, slot, true, false, 0, p->sp) != 0;
	if (!p->refetch)
		output_scratch(sc);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(wt_trace_exit, struct pt_regs *regs, long ret)
{
	/*
	 * Only tasks the entry program saw have storage: no need to look the
	 * task up in the traced set (an empty task storage is cheaper to find
	 * than a hash entry, for every task of the machine).
	 */
	struct task_struct *task = bpf_get_current_task_btf();
	struct tb_pending *p = bpf_task_storage_get(&pending, task, 0, 0);
	/* none: a call in progress when the log began, or one not asked for */
	if (!p || !p->active)
		return 0;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	p->active = 0;
	bool refetch = p->refetch;
	p->refetch = 0;
	__u32 slot = p->slot;
	if (slot >= TB_SLOTS)
		return 0;
	const struct tb_spec *sp = &slots[slot];

	if (!sp->n_exit && !refetch) {
		struct tb_rec *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
		if (!r) {
			count_lost();
			return 0;
		}
		rec_head(r, TB_EXIT, pid_tgid);
		r->abi = p->abi;
		r->nr = p->nr;
		for (int i = 0; i < 6; i++)
			r->arg[i] = p->arg[i];
		r->t_entry_ns = p->t;
		r->ret = ret;
		bpf_ringbuf_submit(r, wake_flags());
		return 0;
	}
	struct scratch *sc = scratch_get();
	if (!sc)
		return 0;
	rec_head(&sc->r, TB_EXIT, pid_tgid);
	sc->r.abi = p->abi;
	sc->r.nr = p->nr;
	for (int i = 0; i < 6; i++)
		sc->r.arg[i] = p->arg[i];
	sc->r.t_entry_ns = p->t;
	sc->r.ret = ret;
	if (refetch)
		sc->r.flags = TB_F_WHOLE;
	/*
	 * A successful execve replaced the address space: the entry's
	 * addresses now point into the new program. Its regions are then not
	 * read again (they print as addresses), never read from the wrong
	 * memory.
	 */
	bool same_mm = (__u64)BPF_CORE_READ(task, mm) == p->mm;
	copy_caps(sc, slot, refetch && same_mm, true, ret, p->sp);
	output_scratch(sc);
	return 0;
}

SEC("tp_btf/signal_deliver")
int BPF_PROG(wt_trace_signal, int sig, struct kernel_siginfo *info, struct k_sigaction *ka)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (!is_traced(pid_tgid))
		return 0;
	struct tb_rec *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		count_lost();
		return 0;
	}
	rec_head(r, TB_SIGNAL, pid_tgid);
	r->signo = sig;
	if (info) {
		r->sig_errno = BPF_CORE_READ(info, si_errno);
		r->sig_code = BPF_CORE_READ(info, si_code);
		/* SI_USER, SI_TKILL, SI_QUEUE... (si_code <= 0) and SIGCHLD carry
		 * the sender's pid and uid at the same place */
		if (r->sig_code <= 0 || sig == 17) {
			r->sig_pid = BPF_CORE_READ(info, _sifields._kill._pid);
			r->sig_uid = BPF_CORE_READ(info, _sifields._kill._uid);
		}
	}
	bpf_ringbuf_submit(r, 0);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(wt_trace_task_exit, struct task_struct *t)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (!is_traced(pid_tgid))
		return 0;
	struct tb_rec *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (r) {
		rec_head(r, TB_TASK_EXIT, pid_tgid);
		r->status = t->exit_code;
		bpf_ringbuf_submit(r, 0);
	} else {
		count_lost();
	}
	/* the record first, so that a reader who sees the set empty and then
	 * drains finds it */
	__u32 key = (__u32)pid_tgid;
	if (follow) {
		if (t->signal->live.counter != 0)
			return 0;
		key = (__u32)(pid_tgid >> 32);
	}
	bpf_map_delete_elem(&traced, &key);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(wt_trace_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = parent->tgid, ctgid = child->tgid;
	if (!bpf_map_lookup_elem(&traced, &ptgid))
		return 0;
	if (ctgid != ptgid) {
		__u8 one = 1;
		if (bpf_map_update_elem(&traced, &ctgid, &one, BPF_ANY) < 0) {
			/* the set is full: this child's events are lost, said so */
			count_lost();
			return 0;
		}
	}
	struct tb_rec *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		count_lost();
		return 0;
	}
	rec_head(r, TB_ATTACH, ((__u64)ctgid << 32) | (__u32)child->pid);
	bpf_ringbuf_submit(r, 0);
	return 0;
}
