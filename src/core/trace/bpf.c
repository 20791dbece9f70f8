/*
 * bpf.c: the in-kernel backend of the syscall log (trace_backend_bpf). It
 * loads trace.bpf.c's programs through their bpftool skeleton, tells them
 * which tasks and which calls to log (and what memory to copy for each,
 * from decode.h's capture specs), and turns the records of their ring
 * buffer into struct trace_rec. The tasks never stop; everything the
 * kernel holds for us lives as long as the skeleton's fds.
 */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/types.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "trace_int.h"

#include "bpf_rec.h"
#include "core/bpf/libbpf_log.h"

int (*trace_bpf_captures)(uint32_t arch, long nr, unsigned strsize,
			  struct sccap out[SCEV_MAX_CAPS]) = sysdecode_captures;

#ifdef HAVE_BPF_SKEL
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "src/core/trace/trace.skel.h" /* built: in the build tree */

_Static_assert(sizeof(struct tb_cap_spec) == sizeof(struct sccap), "struct sccap changed");
_Static_assert(TB_SLOTS == SC_SLOTS && TB_NR_MAX == SC_NR_MAX, "sc_slot() changed");
_Static_assert(TB_CAPS == SCEV_MAX_CAPS && TB_CAP_MAX == SCEV_CAP_MAX, "decode.h's bounds changed");

struct bpf_priv {
	struct trace_bpf *skel;
	struct ring_buffer *rb;
	int64_t clock_off; /* CLOCK_REALTIME - CLOCK_MONOTONIC (bpf_ktime_get_ns) at open */
	uint64_t lost_seen;
	/*
	 * What trace_fd hands out: an epoll set of the ring buffer's fd and a
	 * timer ticking every TICK_MS. The programs wake us only when much
	 * waits (one wake-up per record costs the task more than the record);
	 * the tick brings a lone record (a call that blocks) within TICK_MS.
	 */
	int epfd, tick;
	/*
	 * An entry's captures of a call with outputs too (recvmsg's
	 * msg_namelen, getsockname's length), kept by thread until its exit
	 * record, which then carries them as ptrace's exit event does (the
	 * decoder prints [110 => 2] at exit).
	 */
	struct bpf_held *held;
	size_t nheld, capheld;
	/* calls in progress at open, handed out as entries by the first drain */
	struct bpf_seed *seed;
	size_t nseed;
	bool seed_out;
	/* during a drain */
	struct trace_session *s;
	trace_cb cb;
	void *ctx;
	int n;
};

#define TICK_MS 10

/*
 * A call a task was already in when the log began (a read that blocks).
 * The programs saw no entry, so they would drop its exit; strace, which
 * stops the task to attach, makes such a call restart and logs it whole.
 * Here the task does not stop: bpf_open reads the call from
 * /proc/TID/syscall and writes it into the programs' task storage (keyed
 * by a pidfd) as if its entry had been seen, so the exit comes as any
 * other; the first drain hands out its entry, the entry's regions read
 * with process_vm_readv.
 */
struct bpf_seed {
	pid_t pid, tid;
	struct tb_pending v;
};

struct bpf_held {
	pid_t tid;
	long nr;
	unsigned ncap;
	struct scev_cap cap[SCEV_MAX_CAPS]; /* data: in buf */
	unsigned char *buf;
};

static struct bpf_held *held_find(struct bpf_priv *p, pid_t tid)
{
	for (size_t i = 0; i < p->nheld; i++)
		if (p->held[i].tid == tid)
			return &p->held[i];
	return NULL;
}

static void held_drop(struct bpf_priv *p, struct bpf_held *h)
{
	free(h->buf);
	*h = p->held[--p->nheld];
}

/* Keep the entry captures of e (a call whose slot also copies at exit). */
static void held_keep(struct bpf_priv *p, const struct tb_rec *r, const struct scev *e)
{
	if (e->nr < 0 || e->nr >= SC_NR_MAX || r->abi >= SC_ABI_N || !e->ncap ||
	    !p->skel->bss->slots[sc_slot((enum sc_abi)r->abi, e->nr)].n_exit)
		return;
	struct bpf_held *h = held_find(p, e->tid);
	if (h)
		held_drop(p, h);
	if (p->nheld == p->capheld) {
		size_t cap = p->capheld ? 2 * p->capheld : 16;
		struct bpf_held *n = realloc(p->held, cap * sizeof(*n));
		if (!n)
			return;
		p->held = n;
		p->capheld = cap;
	}
	size_t total = 0;
	for (unsigned i = 0; i < e->ncap; i++)
		total += e->cap[i].state == SCEV_CAP_OK ? e->cap[i].len : 0;
	h = &p->held[p->nheld];
	memset(h, 0, sizeof(*h));
	h->buf = malloc(total ? total : 1);
	if (!h->buf)
		return;
	p->nheld++;
	h->tid = e->tid;
	h->nr = e->nr;
	h->ncap = e->ncap;
	size_t off = 0;
	for (unsigned i = 0; i < e->ncap; i++) {
		h->cap[i] = e->cap[i];
		h->cap[i].data = NULL;
		if (e->cap[i].state == SCEV_CAP_OK && e->cap[i].len) {
			memcpy(h->buf + off, e->cap[i].data, e->cap[i].len);
			h->cap[i].data = h->buf + off;
			off += e->cap[i].len;
		}
	}
}

/* An exit: the entry's captures first, as ptrace's exit event has them. */
static void held_join(struct bpf_held *h, struct scev *e)
{
	struct scev_cap all[SCEV_MAX_CAPS];
	unsigned n = 0;
	for (unsigned i = 0; i < h->ncap && n < SCEV_MAX_CAPS; i++)
		all[n++] = h->cap[i];
	for (unsigned i = 0; i < e->ncap && n < SCEV_MAX_CAPS; i++)
		if (e->cap[i].at_exit)
			all[n++] = e->cap[i];
	memcpy(e->cap, all, n * sizeof(all[0]));
	e->ncap = n;
}

static int64_t ns_of(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static uint64_t real_ns(const struct bpf_priv *p, uint64_t mono)
{
	return mono ? (uint64_t)((int64_t)mono + p->clock_off) : 0;
}

/* "NR ARG0..ARG5 SP PC" of /proc/TID/syscall: a task blocked in call NR. */
static bool seed_read(pid_t tid, long *nr, uint64_t arg[6], uint64_t *sp)
{
	char path[64], buf[256];
	unsigned long long a[8];
	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	if (sscanf(buf, "%ld %llx %llx %llx %llx %llx %llx %llx %llx", nr, &a[0], &a[1], &a[2],
		   &a[3], &a[4], &a[5], &a[6], &a[7]) != 9 ||
	    *nr < 0) /* "running", or "-1 SP PC": not in a call */
		return false;
	for (int i = 0; i < 6; i++)
		arg[i] = a[i];
	*sp = a[6];
	return true;
}

/* The ABI of process pid's calls: its program's ELF class (int $0x80 in a
 * 64-bit program is taken as x86_64's: then the call is not seeded). */
static enum sc_abi seed_abi(pid_t pid)
{
	char path[64];
	unsigned char id[EI_NIDENT];
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return SC_ABI_UNKNOWN;
	ssize_t n = read(fd, id, sizeof(id));
	close(fd);
	if (n != (ssize_t)sizeof(id) || memcmp(id, ELFMAG, SELFMAG) != 0)
		return SC_ABI_UNKNOWN;
	return id[EI_CLASS] == ELFCLASS32 ? SC_ABI_I386 : SC_ABI_X86_64;
}

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

/* One task: if it is in a logged call, make the programs know that call. */
static void seed_task(struct bpf_priv *p, pid_t pid, pid_t tid, enum sc_abi abi)
{
	long nr;
	uint64_t arg[6], sp, arg2[6], sp2;
	if (!seed_read(tid, &nr, arg, &sp))
		return;
	if (abi == SC_ABI_X86_64 && (nr & 0x40000000)) {
		abi = SC_ABI_X32;
		nr &= ~0x40000000L;
	}
	if (abi == SC_ABI_UNKNOWN || nr >= SC_NR_MAX)
		return;
	uint32_t slot = (uint32_t)sc_slot(abi, nr);
	if (!p->skel->bss->slots[slot].log)
		return;
	int pfd = (int)syscall(SYS_pidfd_open, tid, tid == pid ? 0 : PIDFD_THREAD);
	if (pfd < 0)
		return; /* an older kernel, for a thread: its call is not seen */
	struct bpf_seed sd = {.pid = pid, .tid = tid};
	sd.v.t = (uint64_t)ns_of(CLOCK_MONOTONIC); /* bpf_ktime_get_ns's clock */
	sd.v.slot = slot;
	sd.v.active = 1;
	sd.v.abi = (uint32_t)abi;
	sd.v.nr = (int32_t)nr;
	memcpy(sd.v.arg, arg, sizeof(arg));
	sd.v.sp = sp;
	int map = bpf_map__fd(p->skel->maps.pending);
	/* NOEXIST: a call it entered since the programs were attached wins */
	if (bpf_map_update_elem(map, &pfd, &sd.v, BPF_NOEXIST) < 0) {
		close(pfd);
		return;
	}
	/*
	 * Still in the same call: its exit is to come, and finds this. Else
	 * it may have ended before the write: take it back (unless its exit,
	 * or a newer call, has already replaced it).
	 */
	if (!seed_read(tid, &nr, arg2, &sp2) || nr != sd.v.nr || sp2 != sp ||
	    memcmp(arg, arg2, sizeof(arg)) != 0) {
		struct tb_pending now;
		if (bpf_map_lookup_elem(map, &pfd, &now) == 0 && now.active && now.t == sd.v.t)
			bpf_map_delete_elem(map, &pfd);
		close(pfd);
		return;
	}
	close(pfd);
	void *n = realloc(p->seed, (p->nseed + 1) * sizeof(*p->seed));
	if (!n)
		return;
	p->seed = n;
	p->seed[p->nseed++] = sd;
}

/* Every traced task (with follow, every thread of each process). */
static void seed_all(struct bpf_priv *p, const struct trace_session *s)
{
	for (size_t i = 0; i < s->npids; i++) {
		pid_t pid = s->pids[i];
		enum sc_abi abi = seed_abi(pid);
		char path[64];
		if (!s->follow) {
			seed_task(p, pid, pid, abi);
			continue;
		}
		snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
		DIR *d = opendir(path);
		if (!d)
			continue;
		struct dirent *e;
		while ((e = readdir(d)))
			if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
				seed_task(p, pid, (pid_t)atoi(e->d_name), abi);
		closedir(d);
	}
}

/* The first drain: the entries of the calls seed_all found, before any record. */
static void seed_entries(struct bpf_priv *p)
{
	static unsigned char bufs[SCEV_MAX_CAPS][SCEV_CAP_MAX];
	for (size_t i = 0; i < p->nseed; i++) {
		const struct bpf_seed *sd = &p->seed[i];
		const struct tb_spec *spec = &p->skel->bss->slots[sd->v.slot];
		struct trace_rec t = {.kind = TRACE_SYSCALL, .pid = sd->pid, .tid = sd->tid};
		struct scev *e = &t.sc;
		e->pid = sd->pid;
		e->tid = sd->tid;
		e->arch = sc_abi_arch((enum sc_abi)sd->v.abi);
		e->nr = sd->v.nr;
		memcpy(e->arg, sd->v.arg, sizeof(e->arg));
		e->sp = sd->v.sp;
		e->part = SCEV_ENTRY;
		e->t_entry_ns = t.t_ns = real_ns(p, sd->v.t);
		for (unsigned k = 0; k < spec->ncap && k < SCEV_MAX_CAPS; k++) {
			struct sccap sc;
			memcpy(&sc, &spec->cap[k], sizeof(sc));
			if (sc.at_exit)
				continue;
			trace_ptrace_capture(sd->tid, e, &sc, bufs[e->ncap], &e->cap[e->ncap]);
			e->ncap++;
		}
		struct tb_rec r = {.abi = sd->v.abi};
		held_keep(p, &r, e);
		p->cb(&t, p->ctx);
		p->n++;
	}
	free(p->seed);
	p->seed = NULL;
	p->nseed = 0;
}

/* Every logged (ABI, nr) slot with its capture specs, into the programs' .bss. */
static void fill_slots(struct trace_bpf *skel, const struct trace_session *s)
{
	static const enum sc_abi abis[] = {SC_ABI_X86_64, SC_ABI_I386, SC_ABI_X32};
	for (size_t a = 0; a < WT_ARRAY_SIZE(abis); a++) {
		uint32_t arch = sc_abi_arch(abis[a]);
		for (long nr = 0; nr <= SC_NR_MAX; nr++) {
			/* SC_NR_MAX: the shared slot of numbers out of range */
			if (!s->all_calls && (nr == SC_NR_MAX || !sc_set_has(&s->set, arch, nr)))
				continue;
			struct tb_spec *sp = &skel->bss->slots[sc_slot(abis[a], nr)];
			struct sccap caps[SCEV_MAX_CAPS];
			int n = nr < SC_NR_MAX ? trace_bpf_captures(arch, nr, s->strsize, caps) : 0;
			if (n < 0 || n > SCEV_MAX_CAPS)
				n = 0;
			if (s->fd_paths && nr < SC_NR_MAX) /* -y: paths copied in the call */
				n = sysdecode_fd_captures(arch, nr, n, caps);
			sp->log = 1;
			sp->ncap = (uint8_t)n;
			for (int i = 0; i < n; i++) {
				memcpy(&sp->cap[i], &caps[i], sizeof(caps[i]));
				if (caps[i].at_exit)
					sp->n_exit++;
				else
					sp->n_entry++;
			}
		}
	}
}

/* A task that is gone, or a zombie whose exit the programs may have missed. */
static bool task_gone(pid_t pid)
{
	char path[64], buf[256];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return true;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	const char *rp = strrchr(buf, ')');
	return !rp || rp[1] != ' ' || rp[2] == 'Z' || rp[2] == 'X';
}

static void rec_to_trace(const struct bpf_priv *p, const struct tb_rec *r, size_t size,
			 struct trace_rec *t)
{
	memset(t, 0, sizeof(*t));
	t->pid = (pid_t)r->pid;
	t->tid = (pid_t)r->tid;
	t->t_ns = real_ns(p, r->t_ns);
	switch (r->kind) {
	case TB_ENTER:
	case TB_EXIT: {
		struct scev *e = &t->sc;
		t->kind = TRACE_SYSCALL;
		e->pid = t->pid;
		e->tid = t->tid;
		e->arch = sc_abi_arch(r->abi < SC_ABI_N ? (enum sc_abi)r->abi : SC_ABI_UNKNOWN);
		e->nr = r->nr;
		memcpy(e->arg, r->arg, sizeof(e->arg));
		e->t_entry_ns = real_ns(p, r->t_entry_ns);
		t->t_ns = e->t_entry_ns ? e->t_entry_ns : t->t_ns;
		if (r->kind == TB_ENTER) {
			e->part = SCEV_ENTRY;
		} else {
			e->part = r->flags & TB_F_WHOLE ? SCEV_BOTH : SCEV_EXIT;
			e->ret = r->ret;
			e->t_exit_ns = real_ns(p, r->t_ns);
		}
		/* the data follows the record, in capture order */
		const unsigned char *data = (const unsigned char *)(r + 1);
		size_t off = 0, room = size - sizeof(*r);
		for (unsigned i = 0; i < r->ncap && i < SCEV_MAX_CAPS; i++) {
			struct scev_cap *c = &e->cap[e->ncap++];
			c->arg = r->cap[i].arg;
			c->at_exit = r->cap[i].at_exit;
			c->state = r->cap[i].state;
			c->cut = r->cap[i].cut;
			if (c->state != SCEV_CAP_OK)
				continue;
			if (r->cap[i].len > room - off) {
				c->state = SCEV_CAP_NONE; /* never past the record */
				continue;
			}
			c->len = r->cap[i].len;
			c->data = data + off;
			off += c->len;
		}
		break;
	}
	case TB_SIGNAL:
		t->kind = TRACE_SIGNAL;
		t->si.si_signo = r->signo;
		t->si.si_errno = r->sig_errno;
		t->si.si_code = r->sig_code;
		t->si.si_pid = r->sig_pid;
		t->si.si_uid = r->sig_uid;
		break;
	case TB_TASK_EXIT:
		t->kind = TRACE_EXIT;
		t->status = r->status;
		break;
	case TB_ATTACH:
	default:
		t->kind = TRACE_ATTACH;
		break;
	}
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct bpf_priv *p = ctx;
	const struct tb_rec *r = data;
	if (size < sizeof(*r) || r->size > size || r->kind < TB_ENTER || r->kind > TB_ATTACH)
		return 0; /* not ours: skipped rather than misread */
	struct trace_rec t;
	rec_to_trace(p, r, r->size, &t);
	struct bpf_held *h = NULL;
	if (t.kind == TRACE_SYSCALL && t.sc.part == SCEV_ENTRY) {
		held_keep(p, r, &t.sc);
	} else if (t.kind == TRACE_SYSCALL && t.sc.part == SCEV_EXIT) {
		h = held_find(p, t.tid);
		if (h && h->nr == t.sc.nr)
			held_join(h, &t.sc);
	} else if (t.kind == TRACE_EXIT) /* a task that died in a call: its entry goes */
		h = held_find(p, t.tid);
	p->cb(&t, p->ctx);
	if (h)
		held_drop(p, h);
	p->n++;
	return 0;
}

static void bpf_close(struct trace_session *s)
{
	struct bpf_priv *p = s->priv;
	if (!p)
		return;
	ring_buffer__free(p->rb);
	trace_bpf__destroy(p->skel);
	if (p->epfd >= 0)
		close(p->epfd);
	if (p->tick >= 0)
		close(p->tick);
	while (p->nheld)
		held_drop(p, &p->held[0]);
	free(p->held);
	free(p->seed);
	free(p);
	s->priv = NULL;
}

static int bpf_open(struct trace_session *s, struct wt_err *err)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		return wt_err_set(
		    err, -ENOTSUP,
		    "this kernel has no BTF (/sys/kernel/btf/vmlinux): the in-kernel log "
		    "needs CONFIG_DEBUG_INFO_BTF; use --backend ptrace");
	struct bpf_priv *p = calloc(1, sizeof(*p));
	if (!p)
		return wt_err_set(err, -ENOMEM, "out of memory");
	s->priv = p;
	p->epfd = p->tick = -1;
	wt_libbpf_quiet(); /* WHYTOP_BPF_DEBUG=1: libbpf's own printer, the verifier's log */
	int rc;
	p->skel = trace_bpf__open();
	if (!p->skel) {
		rc = -errno;
		wt_err_set(err, rc, "could not open the in-kernel log's programs: %s",
			   strerror(-rc));
		goto fail;
	}
	p->skel->rodata->follow = s->follow;
	/* WHYTOP_TRACE_WAKE_EACH=1: a wake-up per record (to measure what batching saves) */
	const char *each = getenv("WHYTOP_TRACE_WAKE_EACH");
	p->skel->rodata->batch = !(each && *each == '1');
	bpf_program__set_autoload(p->skel->progs.wt_trace_fork, s->follow);
	fill_slots(p->skel, s);
	rc = trace_bpf__load(p->skel);
	if (rc < 0) {
		/* EPERM: no capability; the verifier's refusals are EACCES or EINVAL */
		if (rc == -EPERM)
			wt_err_set(err, rc,
				   "the in-kernel log needs root (CAP_BPF and CAP_PERFMON)");
		else
			wt_err_set(
			    err, rc,
			    "the kernel refused the in-kernel log's programs (%s); use --backend "
			    "ptrace, or WHYTOP_BPF_DEBUG=1 to see the verifier's reasons",
			    strerror(-rc));
		goto fail;
	}
	int map = bpf_map__fd(p->skel->maps.traced);
	uint8_t one = 1;
	pid_t child = s->child;
	size_t npids = s->child ? 1 : s->npids;
	const pid_t *pids = s->child ? &child : s->pids;
	for (size_t i = 0; i < npids; i++) {
		uint32_t key = (uint32_t)pids[i];
		if (bpf_map_update_elem(map, &key, &one, BPF_ANY) < 0) {
			rc = -errno;
			wt_err_set(err, rc, "could not add process %d to the in-kernel log: %s",
				   (int)pids[i], strerror(-rc));
			goto fail;
		}
	}
	p->rb = ring_buffer__new(bpf_map__fd(p->skel->maps.events), on_record, p, NULL);
	if (!p->rb) {
		rc = -errno;
		wt_err_set(err, rc, "could not map the in-kernel log's ring buffer: %s",
			   strerror(-rc));
		goto fail;
	}
	p->epfd = epoll_create1(EPOLL_CLOEXEC);
	p->tick = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	struct itimerspec its = {.it_interval = {0, TICK_MS * 1000000},
				 .it_value = {0, TICK_MS * 1000000}};
	struct epoll_event ev = {.events = EPOLLIN};
	if (p->epfd < 0 || p->tick < 0 || timerfd_settime(p->tick, 0, &its, NULL) < 0 ||
	    epoll_ctl(p->epfd, EPOLL_CTL_ADD, ring_buffer__epoll_fd(p->rb), &ev) < 0 ||
	    epoll_ctl(p->epfd, EPOLL_CTL_ADD, p->tick, &ev) < 0) {
		rc = -errno;
		wt_err_set(err, rc, "could not set up the in-kernel log's poll set: %s",
			   strerror(-rc));
		goto fail;
	}
	p->clock_off = ns_of(CLOCK_REALTIME) - ns_of(CLOCK_MONOTONIC);
	rc = trace_bpf__attach(p->skel);
	if (rc < 0) {
		wt_err_set(err, rc,
			   "could not attach the in-kernel log to the syscall tracepoints: %s",
			   strerror(-rc));
		goto fail;
	}
	/* a task that ended before the programs were attached: its exit was not seen */
	for (size_t i = 0; i < npids; i++) {
		uint32_t key = (uint32_t)pids[i];
		if (task_gone(pids[i]))
			bpf_map_delete_elem(map, &key);
	}
	/* attached processes only: a program we start waits in our own read */
	if (!s->child)
		seed_all(p, s);
	return 0;
fail:
	bpf_close(s);
	return rc;
}

static int bpf_fd(const struct trace_session *s)
{
	const struct bpf_priv *p = s->priv;
	return p->epfd;
}

static int bpf_drain(struct trace_session *s, trace_cb cb, void *ctx, struct wt_err *err)
{
	struct bpf_priv *p = s->priv;
	p->s = s;
	p->cb = cb;
	p->ctx = ctx;
	p->n = 0;
	uint64_t ticks;
	if (read(p->tick, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		return wt_err_set(err, -errno, "could not read the in-kernel log's timer: %s",
				  strerror(errno));
	if (!p->seed_out) {
		p->seed_out = true;
		seed_entries(p);
	}
	int rc = ring_buffer__consume(p->rb);
	if (rc < 0 && rc != -EINTR)
		return wt_err_set(err, rc, "could not read the in-kernel log's ring buffer: %s",
				  strerror(-rc));
	/* lost after the records that did fit: report the count since the last time */
	uint64_t lost = __atomic_load_n(&p->skel->bss->lost, __ATOMIC_RELAXED);
	if (lost > p->lost_seen) {
		struct trace_rec t = {.kind = TRACE_LOST, .lost = lost - p->lost_seen};
		t.t_ns = (uint64_t)ns_of(CLOCK_REALTIME);
		p->lost_seen = lost;
		cb(&t, ctx);
		p->n++;
	}
	return p->n;
}

static int bpf_alive(const struct trace_session *s)
{
	const struct bpf_priv *p = s->priv;
	uint32_t key;
	return bpf_map_get_next_key(bpf_map__fd(p->skel->maps.traced), NULL, &key) == 0;
}

#else /* !HAVE_BPF_SKEL */

static int bpf_open(struct trace_session *s, struct wt_err *err)
{
	(void)s;
	return wt_err_set(err, -ENOTSUP, "whytop was built without eBPF programs: %s",
			  WHYTOP_NO_BPF_SKEL_WHY);
}

static int bpf_fd(const struct trace_session *s)
{
	(void)s;
	return -1;
}

static int bpf_drain(struct trace_session *s, trace_cb cb, void *ctx, struct wt_err *err)
{
	(void)s, (void)cb, (void)ctx, (void)err;
	return 0;
}

static int bpf_alive(const struct trace_session *s)
{
	(void)s;
	return 0;
}

static void bpf_close(struct trace_session *s)
{
	(void)s;
}
#endif

const struct trace_backend trace_backend_bpf = {
    .name = "in-kernel (eBPF ring buffer)",
    .open = bpf_open,
    .fd = bpf_fd,
    .drain = bpf_drain,
    .alive = bpf_alive,
    .close = bpf_close,
};
