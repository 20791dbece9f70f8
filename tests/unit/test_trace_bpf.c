/*
 * test_trace_bpf.c: the in-kernel syscall log (src/core/trace/bpf.c and
 * trace.bpf.c) on a real child, with real eBPF programs: the child waits
 * on a pipe while the backend opens on it, then makes known calls (an
 * openat that fails, a write to /dev/null, a read that blocks until we
 * write, getpid, an i386 getpid by int $0x80 where the kernel runs them,
 * a read that a signal interrupts) and exits with 7. One openat's path
 * lies in a file mapping the child never touched: unreadable at entry
 * (no page faults there), so the exit record must bring it. The records must say
 * exactly that, in order, with the blocked read's entry before its exit.
 *
 * Capture specs: the test sets its own through trace_bpf_captures (a path
 * string at entry, the write's buffer sized by its count argument, the
 * read's buffer sized by its result at exit), so that the copies are
 * checked whatever the decoder says.
 *
 * Needs root, a kernel with BTF and whytop built with its eBPF programs:
 * exits 77 with the reason otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "core/trace/trace_int.h"

#define MISSING "/nonexistent-whytop-trace-bpf/file"
#define PAGED "/nonexistent-whytop-trace-bpf/in-a-page-never-touched"
#define MSG "hello from the traced child\n"
#define DATA "data!"
/* longer than the write capture's bound (64): cut there */
#define LONG                                                                                       \
	"0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdef" \
	"ghij"
#define NR_I386_GETPID 20
#define ERESTARTSYS 512 /* the kernel's own */

struct rec {
	struct trace_rec r;
	unsigned char data[SCEV_MAX_CAPS][256];
};

static struct rec recs[256];
static int nrecs;
static int i386_ok;

static void keep(const struct trace_rec *r, void *ctx)
{
	(void)ctx;
	if (nrecs >= (int)WT_ARRAY_SIZE(recs))
		return;
	struct rec *k = &recs[nrecs++];
	k->r = *r;
	for (unsigned i = 0; i < r->sc.ncap && r->kind == TRACE_SYSCALL; i++) {
		k->r.sc.cap[i].data = NULL;
		if (r->sc.cap[i].data) {
			size_t n = r->sc.cap[i].len < 256 ? r->sc.cap[i].len : 256;
			memcpy(k->data[i], r->sc.cap[i].data, n);
			k->r.sc.cap[i].data = k->data[i];
		}
	}
}

static int test_caps(uint32_t arch, long nr, unsigned strsize, struct sccap out[SCEV_MAX_CAPS])
{
	(void)strsize;
	if (arch != AUDIT_ARCH_X86_64)
		return 0;
	switch (nr) {
	case SYS_openat:
		out[0] = (struct sccap){.arg = 1, .how = SCCAP_STR, .max = 64};
		return 1;
	case SYS_write:
		out[0] = (struct sccap){.arg = 1, .how = SCCAP_ARG, .size_arg = 2, .max = 64};
		return 1;
	case SYS_read:
		out[0] = (struct sccap){.arg = 1, .at_exit = 1, .how = SCCAP_RET, .max = 64};
		return 1;
	case SYS_sendmsg:
		out[0] = (struct sccap){
		    .arg = 1, .how = SCCAP_MSGHDR, .max = 4096, .each = 16, .count = 4};
		return 1;
	case SYS_recvmsg: /* msg_namelen at entry, the struct at exit */
		out[0] = (struct sccap){.arg = 1, .how = SCCAP_FIXED, .max = 12};
		out[1] = (struct sccap){.arg = 1,
					.at_exit = 1,
					.how = SCCAP_MSGHDR,
					.max = 4096,
					.each = 16,
					.count = 4};
		return 2;
	case SYS_sendmmsg:
		out[0] = (struct sccap){.arg = 1,
					.at_exit = 1,
					.how = SCCAP_MMSGHDR,
					.size_arg = 2,
					.max = 4096,
					.each = 16,
					.count = 4};
		return 1;
	case SYS_semop:
		out[0] = (struct sccap){
		    .arg = 1, .how = SCCAP_ARG, .size_arg = 2, .max = 64, .count = 6};
		return 1;
	case SYS_getdents64:
		out[0] = (struct sccap){
		    .arg = 1, .at_exit = 1, .how = SCCAP_DENTS, .max = 4, .size_arg = 16};
		return 1;
	}
	return 0;
}

static uint64_t now_real(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static long int80_getpid(void)
{
	long r;
	__asm__ volatile("int $0x80"
			 : "=a"(r)
			 : "a"((long)NR_I386_GETPID)
			 : "memory", "r8", "r9", "r10", "r11");
	return r;
}

/* Can this kernel take an i386 call from a 64-bit task? (ia32_emulation may be off.) */
static int probe_i386(void)
{
	pid_t p = fork();
	if (p == 0) {
		signal(SIGSEGV, SIG_DFL); /* not cmocka's handler: this child just dies */
		_exit(int80_getpid() == (long)getpid() ? 0 : 1);
	}
	int st = 0;
	waitpid(p, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* The second page of the file mapping, untouched: sendmsg's iovec base. */
static const char *paged2;
#define MSG2 "abc"
/* an empty directory: "." and ".." */
static char dents_dir[] = "/tmp/whytop-trace-bpf-dir-XXXXXX";

static void child(int go, int data, int devnull, const char *paged)
{
	char c, buf[64], path[64];
	struct sigaction sa = {.sa_handler = on_usr1}; /* no SA_RESTART: the read fails */
	sigaction(SIGUSR1, &sa, NULL);
	if (syscall(SYS_read, go, &c, 1) != 1)
		_exit(2);
	strcpy(path, MISSING); /* on the stack: in memory at entry */
	syscall(SYS_openat, (long)AT_FDCWD, path, (long)O_RDONLY);
	syscall(SYS_openat, (long)AT_FDCWD, paged, (long)O_RDONLY);
	char p64[65], p65[66]; /* 64 characters: whole; 65: cut at 64 */
	memcpy(p64, LONG, 64);
	p64[64] = 0;
	memcpy(p65, LONG, 65);
	p65[65] = 0;
	syscall(SYS_openat, (long)AT_FDCWD, p64, (long)O_RDONLY);
	syscall(SYS_openat, (long)AT_FDCWD, p65, (long)O_RDONLY);
	syscall(SYS_write, (long)devnull, MSG, (long)strlen(MSG));
	syscall(SYS_write, (long)devnull, LONG, (long)strlen(LONG));
	syscall(SYS_read, (long)data, buf, (long)sizeof(buf));
	syscall(SYS_getpid);
	/* a msghdr whose iovec lies in a page never touched (copied at exit),
	 * one received with a name the kernel empties (110 => 0), and the
	 * records of a directory of three entries */
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		_exit(2);
	struct iovec wv = {(void *)paged2, strlen(MSG2)}, rv = {buf, 16};
	struct msghdr wm = {.msg_iov = &wv, .msg_iovlen = 1};
	struct sockaddr_un from;
	struct msghdr rm = {
	    .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &rv, .msg_iovlen = 1};
	syscall(SYS_sendmsg, (long)sv[0], &wm, 0L);
	syscall(SYS_recvmsg, (long)sv[1], &rm, 0L);
	/* an mmsghdr array of two messages, their msg_len set by the call */
	struct iovec mv[2] = {{"xy", 2}, {"z", 1}};
	struct mmsghdr mm[2] = {{.msg_hdr = {.msg_iov = &mv[0], .msg_iovlen = 1}},
				{.msg_hdr = {.msg_iov = &mv[1], .msg_iovlen = 1}}};
	syscall(SYS_sendmmsg, (long)sv[0], mm, 2L, 0L);
	/* two 6-byte sembufs, on no semaphore set (EINVAL): copied at entry */
	static const unsigned char sops[18] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
	syscall(SYS_semop, -1L, sops, 2L);
	int dfd = open(dents_dir, O_RDONLY | O_DIRECTORY);
	syscall(SYS_getdents64, (long)dfd, buf, (long)sizeof(buf));
	if (i386_ok)
		int80_getpid();
	syscall(SYS_read, (long)go, &c, 1L); /* interrupted by SIGUSR1 */
	syscall(SYS_exit_group, 7L);
	_exit(3);
}

/* The first record at or after *from that matches; its index, or -1. */
static int find(int from, enum trace_kind kind, unsigned part, uint32_t arch, long nr, int arg0)
{
	for (int i = from; i < nrecs; i++) {
		const struct trace_rec *r = &recs[i].r;
		if (r->kind != kind)
			continue;
		if (kind != TRACE_SYSCALL)
			return i;
		if (r->sc.part == part && r->sc.arch == arch && r->sc.nr == nr &&
		    (arg0 < 0 || r->sc.arg[0] == (uint64_t)arg0))
			return i;
	}
	return -1;
}

/* Drain until cond() holds (or 20 s pass: a failure, not a timing bet). */
static void drain_until(struct trace_session *s, int (*cond)(struct trace_session *))
{
	struct wt_err err = {0};
	struct pollfd pfd = {.fd = trace_backend_bpf.fd(s), .events = POLLIN};
	uint64_t end = now_real() + 20000000000ull;
	while (!cond(s)) {
		assert_true(now_real() < end);
		poll(&pfd, 1, 100);
		assert_true(trace_backend_bpf.drain(s, keep, NULL, &err) >= 0);
	}
}

static int data_fd, go_fd;

static int seen_blocked_read(struct trace_session *s)
{
	(void)s;
	return find(0, TRACE_SYSCALL, SCEV_ENTRY, AUDIT_ARCH_X86_64, SYS_read, data_fd) >= 0;
}

static int seen_second_read(struct trace_session *s)
{
	(void)s;
	return find(0, TRACE_SYSCALL, SCEV_ENTRY, AUDIT_ARCH_X86_64, SYS_getpid, -1) >= 0 &&
	       find(find(0, TRACE_SYSCALL, SCEV_ENTRY, AUDIT_ARCH_X86_64, SYS_getpid, -1),
		    TRACE_SYSCALL, SCEV_ENTRY, AUDIT_ARCH_X86_64, SYS_read, go_fd) >= 0;
}

static int all_gone(struct trace_session *s)
{
	return trace_backend_bpf.alive(s) == 0;
}

static void test_known_calls(void **state)
{
	(void)state;
	int go[2], data[2];
	int devnull = open("/dev/null", O_WRONLY);
	assert_true(devnull >= 0);
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(data), 0);
	data_fd = data[0];
	go_fd = go[0];
	/* a file mapping nobody touched: not in the child's page tables */
	char tmpl[] = "/tmp/whytop-trace-bpf-XXXXXX";
	int tfd = mkstemp(tmpl);
	assert_true(tfd >= 0);
	unlink(tmpl);
	assert_int_equal(write(tfd, PAGED, sizeof(PAGED)), (ssize_t)sizeof(PAGED));
	const char *paged = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, tfd, 0);
	assert_true(paged != MAP_FAILED);
	assert_int_equal(pwrite(tfd, MSG2, strlen(MSG2), 4096), (ssize_t)strlen(MSG2));
	paged2 = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, tfd, 4096);
	assert_true(paged2 != MAP_FAILED);
	assert_non_null(mkdtemp(dents_dir));
	close(tfd);
	i386_ok = probe_i386();
	if (!i386_ok)
		print_message("i386 calls are not run by this kernel: that part is skipped\n");

	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		child(go[0], data[0], devnull, paged);
	uint64_t t0 = now_real();

	struct trace_session s = {.pids = &pid, .npids = 1, .strsize = 32};
	struct wt_err err = {0};
	assert_int_equal(
	    sc_set_parse(
		&s.set,
		"openat,write,read,getpid,sendmsg,recvmsg,sendmmsg,semop,getdents64,exit_group",
		&err),
	    0);
	trace_bpf_captures = test_caps;
	int rc = trace_backend_bpf.open(&s, &err);
	if (rc < 0)
		fail_msg("open: %s", err.msg);
	assert_int_equal(trace_backend_bpf.alive(&s), 1);

	assert_int_equal(write(go[1], "g", 1), 1);
	drain_until(&s, seen_blocked_read);
	/* the child sits in read(data): its entry is here, its exit cannot be */
	assert_int_equal(find(0, TRACE_SYSCALL, SCEV_EXIT, AUDIT_ARCH_X86_64, SYS_read, data[0]),
			 -1);
	assert_int_equal(write(data[1], DATA, strlen(DATA)), (ssize_t)strlen(DATA));
	drain_until(&s, seen_second_read);
	assert_int_equal(kill(pid, SIGUSR1), 0);
	drain_until(&s, all_gone);
	assert_true(trace_backend_bpf.drain(&s, keep, NULL, &err) >= 0);
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 7);
	uint64_t t1 = now_real();
	trace_backend_bpf.close(&s);

	for (int i = 0; i < nrecs; i++) {
		const struct trace_rec *r = &recs[i].r;
		if (getenv("V"))
			print_message("%d: kind %d pid %d part %u nr %ld ret %lld a0 %lld\n", i,
				      r->kind, r->tid, r->sc.part, r->sc.nr, (long long)r->sc.ret,
				      (long long)r->sc.arg[0]);
		assert_int_not_equal(r->kind, TRACE_LOST);
		assert_int_equal(r->pid, pid);
		assert_int_equal(r->tid, pid);
		assert_true(r->t_ns >= t0 && r->t_ns <= t1);
	}
	const uint32_t X64 = AUDIT_ARCH_X86_64;
	/* openat(AT_FDCWD, MISSING, O_RDONLY) = -1 ENOENT */
	int e = find(0, TRACE_SYSCALL, SCEV_ENTRY, X64, SYS_openat, AT_FDCWD);
	assert_true(e >= 0);
	const struct scev *sc = &recs[e].r.sc;
	assert_int_equal(sc->arg[2], O_RDONLY);
	assert_int_equal(sc->ncap, 1);
	assert_int_equal(sc->cap[0].state, SCEV_CAP_OK);
	assert_int_equal(sc->cap[0].len, strlen(MISSING));
	assert_false(sc->cap[0].cut);
	assert_memory_equal(sc->cap[0].data, MISSING, strlen(MISSING));
	int x = find(e, TRACE_SYSCALL, SCEV_EXIT, X64, SYS_openat, AT_FDCWD);
	assert_true(x > e);
	assert_int_equal(recs[x].r.sc.ret, -ENOENT);
	assert_int_equal(recs[x].r.sc.arg[1], sc->arg[1]);
	assert_true(recs[x].r.sc.t_exit_ns >= recs[x].r.sc.t_entry_ns);
	assert_int_equal(recs[x].r.sc.t_entry_ns, sc->t_entry_ns);
	assert_int_equal(recs[x].r.sc.ncap, 0);

	/* openat(AT_FDCWD, PAGED, ...): unreadable at entry, so no entry record
	 * but one of the whole call, the path copied at exit */
	assert_int_equal(find(x, TRACE_SYSCALL, SCEV_BOTH, X64, SYS_openat, AT_FDCWD), x + 1);
	x++;
	sc = &recs[x].r.sc;
	assert_int_equal(sc->arg[1], (uintptr_t)paged);
	assert_int_equal(sc->ret, -ENOENT);
	assert_true(sc->t_exit_ns >= sc->t_entry_ns && sc->t_entry_ns > 0);
	assert_int_equal(sc->ncap, 1);
	assert_int_equal(sc->cap[0].at_exit, 0);
	assert_int_equal(sc->cap[0].state, SCEV_CAP_OK);
	assert_int_equal(sc->cap[0].len, strlen(PAGED));
	assert_memory_equal(sc->cap[0].data, PAGED, strlen(PAGED));
	/* a path of exactly the bound, and one longer */
	for (int len = 64; len <= 65; len++) {
		e = find(x, TRACE_SYSCALL, SCEV_ENTRY, X64, SYS_openat, AT_FDCWD);
		assert_true(e > x);
		sc = &recs[e].r.sc;
		assert_int_equal(sc->cap[0].state, SCEV_CAP_OK);
		assert_int_equal(sc->cap[0].len, 64);
		assert_int_equal(sc->cap[0].cut, len > 64);
		assert_memory_equal(sc->cap[0].data, LONG, 64);
		x = find(e, TRACE_SYSCALL, SCEV_EXIT, X64, SYS_openat, AT_FDCWD);
		assert_true(x > e);
	}

	/* write(devnull, MSG, len) = len, the buffer copied at entry */
	e = find(x, TRACE_SYSCALL, SCEV_ENTRY, X64, SYS_write, devnull);
	assert_true(e > x);
	sc = &recs[e].r.sc;
	assert_int_equal(sc->arg[2], strlen(MSG));
	assert_int_equal(sc->cap[0].state, SCEV_CAP_OK);
	assert_int_equal(sc->cap[0].len, strlen(MSG));
	assert_memory_equal(sc->cap[0].data, MSG, strlen(MSG));
	x = find(e, TRACE_SYSCALL, SCEV_EXIT, X64, SYS_write, devnull);
	assert_true(x > e);
	assert_int_equal(recs[x].r.sc.ret, strlen(MSG));
	assert_int_equal(recs[x].r.sc.ncap, 0);
	e = find(x, TRACE_SYSCALL, SCEV_ENTRY, X64, SYS_write, devnull);
	assert_true(e > x);
	sc = &recs[e].r.sc;
	assert_int_equal(sc->cap[0].state, SCEV_CAP_OK);
	assert_int_equal(sc->cap[0].len, 64);
	assert_true(sc->cap[0].cut);
	assert_memory_equal(sc->cap[0].data, LONG, 64);
	x = find(e, TRACE_SYSCALL, SCEV_EXIT, X64, SYS_write, devnull);
	assert_true(x > e);

	/* read(data, buf, 64): entry, then (after our write) exit = 5 with the bytes */
	e = find(x, TRACE_SYSCALL, SCEV_ENTRY, X64, SYS_read, data[0]);
	assert_true(e > x);
	assert_int_equal(recs[e].r.sc.arg[2], 64);
	assert_int_equal(recs[e].r.sc.ncap, 0);
	x = find(e, TRACE_SYSCALL, SCEV_EXIT, X64, SYS_read, data[0]);
	assert_true(x > e);
	sc = &recs[x].r.sc;
	assert_int_equal(sc->ret, strlen(DATA));
	assert_int_equal(sc->ncap, 1);
	assert_int_equal(sc->cap[0].at_exit, 1);
	assert_int_equal(sc->cap[0].len, strlen(DATA));
	assert_memory_equal(sc->cap[0].data, DATA, strlen(DATA));

	/* getpid() = pid */
	e = find(x, TRACE_SYSCALL, SCEV_ENTRY, X64, SYS_getpid, -1);
	x = find(e, TRACE_SYSCALL, SCEV_EXIT, X64, SYS_getpid, -1);
	assert_true(e > 0 && x > e);
	assert_int_equal(recs[x].r.sc.ret, pid);
	/* sendmsg: its iovec unreadable at entry, so one record of the whole
	 * call, the struct and the bytes copied at exit */
	x = find(x, TRACE_SYSCALL, SCEV_BOTH, X64, SYS_sendmsg, -1);
	assert_true(x > 0);
	sc = &recs[x].r.sc;
	assert_int_equal(sc->ret, strlen(MSG2));
	assert_int_equal(sc->ncap, 1);
	assert_int_equal(sc->cap[0].at_exit, 0);
	assert_int_equal(sc->cap[0].state, SCEV_CAP_OK);
	uint64_t mh[7];
	uint32_t n32;
	const unsigned char *d = sc->cap[0].data;
	assert_int_equal(sc->cap[0].len, SCCAP_MSGHDR_HEAD + 8 + SCCAP_IOV_HEAD + strlen(MSG2));
	memcpy(mh, d, sizeof(mh));
	assert_int_equal(mh[0], 0); /* msg_name */
	assert_int_equal(mh[3], 1); /* msg_iovlen */
	assert_int_equal(mh[5], 0); /* msg_controllen */
	d += SCCAP_MSGHDR_HEAD + 8; /* no name, no control */
	memcpy(mh, d, 16);
	memcpy(&n32, d + 16, 4);
	assert_int_equal(mh[0], (uintptr_t)paged2);
	assert_int_equal(mh[1], strlen(MSG2));
	assert_int_equal(n32, strlen(MSG2));
	assert_memory_equal(d + SCCAP_IOV_HEAD, MSG2, strlen(MSG2));
	/* recvmsg: the exit carries the entry's msg_namelen (110) and the
	 * struct as the call left it (0), the bytes received */
	e = find(x, TRACE_SYSCALL, SCEV_ENTRY, X64, SYS_recvmsg, -1);
	x = find(e, TRACE_SYSCALL, SCEV_EXIT, X64, SYS_recvmsg, -1);
	assert_true(e > 0 && x > e);
	sc = &recs[x].r.sc;
	assert_int_equal(sc->ret, strlen(MSG2));
	assert_int_equal(sc->ncap, 2);
	assert_int_equal(sc->cap[0].at_exit, 0);
	assert_int_equal(sc->cap[0].len, 12);
	memcpy(&n32, sc->cap[0].data + 8, 4);
	assert_int_equal(n32, sizeof(struct sockaddr_un));
	assert_int_equal(sc->cap[1].at_exit, 1);
	d = sc->cap[1].data;
	memcpy(mh, d, sizeof(mh));
	assert_int_equal(mh[1], 0);
	memcpy(&n32, d + SCCAP_MSGHDR_HEAD, 4);
	assert_int_equal(n32, 0);
	d += SCCAP_MSGHDR_HEAD + 8;
	memcpy(mh, d, 16);
	assert_int_equal(mh[1], 16);
	memcpy(&n32, d + 16, 4);
	assert_int_equal(n32, 16); /* each: 16 bytes copied, the decoder shows the result's */
	assert_memory_equal(d + SCCAP_IOV_HEAD, MSG2, strlen(MSG2));
	/* sendmmsg: per message its msghdr's bytes, msg_len and the msghdr */
	x = find(x, TRACE_SYSCALL, SCEV_EXIT, X64, SYS_sendmmsg, -1);
	assert_true(x > 0);
	sc = &recs[x].r.sc;
	assert_int_equal(sc->ret, 2);
	assert_int_equal(sc->ncap, 1);
	assert_int_equal(sc->cap[0].state, SCEV_CAP_OK);
	assert_false(sc->cap[0].cut);
	d = sc->cap[0].data;
	const char *const mdata[2] = {"xy", "z"};
	uint32_t mtotal = 0;
	for (int j = 0; j < 2; j++) {
		uint32_t el, ml, n = (uint32_t)strlen(mdata[j]);
		memcpy(&el, d, 4);
		memcpy(&ml, d + 4, 4);
		assert_int_equal(el, SCCAP_MSGHDR_HEAD + 8 + SCCAP_IOV_HEAD + n);
		assert_int_equal(ml, n);
		memcpy(mh, d + SCCAP_MMSGHDR_HEAD, sizeof(mh));
		assert_int_equal(mh[3], 1);
		assert_memory_equal(d + SCCAP_MMSGHDR_HEAD + SCCAP_MSGHDR_HEAD + 8 + SCCAP_IOV_HEAD,
				    mdata[j], n);
		d += SCCAP_MMSGHDR_HEAD + el;
		mtotal += SCCAP_MMSGHDR_HEAD + el;
	}
	assert_int_equal(sc->cap[0].len, mtotal);
	/* semop: its count times the sembuf's 6 bytes */
	x = find(x, TRACE_SYSCALL, SCEV_ENTRY, X64, SYS_semop, -1);
	assert_true(x > 0);
	sc = &recs[x].r.sc;
	assert_int_equal(sc->ncap, 1);
	assert_int_equal(sc->cap[0].state, SCEV_CAP_OK);
	assert_int_equal(sc->cap[0].len, 12);
	static const unsigned char sops_want[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
	assert_memory_equal(sc->cap[0].data, sops_want, 12);
	/* getdents64 of an empty directory: "." and "..", 24 bytes each */
	x = find(x, TRACE_SYSCALL, SCEV_EXIT, X64, SYS_getdents64, -1);
	assert_true(x > 0);
	sc = &recs[x].r.sc;
	assert_int_equal(sc->ret, 48);
	assert_int_equal(sc->ncap, 1);
	assert_int_equal(sc->cap[0].len, 4);
	memcpy(&n32, sc->cap[0].data, 4);
	assert_int_equal(n32, 2);
	rmdir(dents_dir);
	if (i386_ok) {
		e = find(x, TRACE_SYSCALL, SCEV_ENTRY, AUDIT_ARCH_I386, NR_I386_GETPID, -1);
		x = find(e, TRACE_SYSCALL, SCEV_EXIT, AUDIT_ARCH_I386, NR_I386_GETPID, -1);
		assert_true(e > 0 && x > e);
		assert_int_equal(recs[x].r.sc.ret, pid);
	}
	/* read(go) = ? ERESTARTSYS (the kernel's value at exit, as strace shows
	 * it; the task sees EINTR), then SIGUSR1 from us */
	e = find(x, TRACE_SYSCALL, SCEV_ENTRY, X64, SYS_read, go[0]);
	x = find(e, TRACE_SYSCALL, SCEV_EXIT, X64, SYS_read, go[0]);
	assert_true(e > 0 && x > e);
	assert_int_equal(recs[x].r.sc.ret, -ERESTARTSYS);
	int sg = find(x, TRACE_SIGNAL, 0, 0, 0, -1);
	assert_true(sg > x);
	assert_int_equal(recs[sg].r.si.si_signo, SIGUSR1);
	assert_int_equal(recs[sg].r.si.si_code, SI_USER);
	assert_int_equal(recs[sg].r.si.si_pid, getpid());
	assert_int_equal(recs[sg].r.si.si_uid, getuid());

	/* exit_group(7): an entry, no exit; then the task's end with its status */
	e = find(sg, TRACE_SYSCALL, SCEV_ENTRY, X64, SYS_exit_group, 7);
	assert_true(e > sg);
	assert_int_equal(find(e, TRACE_SYSCALL, SCEV_EXIT, X64, SYS_exit_group, -1), -1);
	int ex = find(e, TRACE_EXIT, 0, 0, 0, -1);
	assert_true(ex > e);
	assert_int_equal(recs[ex].r.status, 7 << 8);
	assert_int_equal(ex, nrecs - 1);
	close(devnull);
	munmap((void *)paged, 4096);
}

static void *thread_main(void *arg)
{
	(void)arg;
	syscall(SYS_getpid);
	return NULL;
}

/* After the go: a thread that calls getpid, a child that calls getpid and
 * exits with 5; then getpid and exit 7. */
static void follow_child(int go)
{
	char c;
	if (syscall(SYS_read, go, &c, 1) != 1)
		_exit(2);
	pthread_t th;
	if (pthread_create(&th, NULL, thread_main, NULL) != 0)
		_exit(2);
	pthread_join(th, NULL);
	pid_t gc = fork();
	if (gc == 0) {
		syscall(SYS_getpid);
		syscall(SYS_exit_group, 5L);
	}
	int st;
	waitpid(gc, &st, 0);
	syscall(SYS_getpid);
	syscall(SYS_exit_group, 7L);
	_exit(3);
}

/* Every task of the tree: attach records for those born, their calls, their ends. */
static void test_follow(void **state)
{
	(void)state;
	int go[2];
	assert_int_equal(pipe(go), 0);
	nrecs = 0;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		follow_child(go[0]);
	struct trace_session s = {.pids = &pid, .npids = 1, .strsize = 32, .follow = true};
	struct wt_err err = {0};
	assert_int_equal(sc_set_parse(&s.set, "getpid", &err), 0);
	trace_bpf_captures = test_caps;
	if (trace_backend_bpf.open(&s, &err) < 0)
		fail_msg("open: %s", err.msg);
	assert_int_equal(write(go[1], "g", 1), 1);
	drain_until(&s, all_gone);
	assert_true(trace_backend_bpf.drain(&s, keep, NULL, &err) >= 0);
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 7);
	trace_backend_bpf.close(&s);

	pid_t thread = 0, gc = 0;
	int getpids = 0, exits = 0;
	for (int i = 0; i < nrecs; i++) {
		const struct trace_rec *r = &recs[i].r;
		if (getenv("V"))
			print_message(
			    "%d: kind %d pid %d tid %d part %u nr %ld ret %lld status %d\n", i,
			    r->kind, r->pid, r->tid, r->sc.part, r->sc.nr, (long long)r->sc.ret,
			    r->status);
		assert_int_not_equal(r->kind, TRACE_LOST);
		if (r->kind == TRACE_ATTACH) {
			if (r->pid == pid) {
				assert_int_not_equal(r->tid, pid);
				thread = r->tid;
			} else {
				assert_int_equal(r->tid, r->pid);
				gc = r->pid;
			}
		} else if (r->kind == TRACE_SYSCALL) {
			/* only getpid was asked for: every record is one */
			assert_int_equal(r->sc.nr, SYS_getpid);
			assert_int_equal(r->sc.arch, AUDIT_ARCH_X86_64);
			if (r->sc.part == SCEV_EXIT) {
				assert_true(r->tid == pid || r->tid == thread || r->tid == gc);
				assert_int_equal(r->sc.ret, r->pid);
				getpids++;
			}
		} else if (r->kind == TRACE_EXIT) {
			int want = r->tid == pid ? 7 << 8 : r->tid == gc ? 5 << 8 : 0;
			assert_true(r->tid == pid || r->tid == thread || r->tid == gc);
			assert_int_equal(r->status, want);
			exits++;
		}
	}
	assert_true(thread > 0 && gc > 0);
	assert_int_equal(getpids, 3);
	assert_int_equal(exits, 3);
	close(go[0]);
	close(go[1]);
}

#define MANY 100000

struct tally {
	long calls, exits, lost_recs, after_lost;
	uint64_t lost;
};

static void count(const struct trace_rec *r, void *ctx)
{
	struct tally *t = ctx;
	if (t->lost_recs)
		t->after_lost++;
	if (r->kind == TRACE_SYSCALL)
		t->calls++;
	else if (r->kind == TRACE_EXIT)
		t->exits++;
	else if (r->kind == TRACE_LOST) {
		t->lost += r->lost;
		t->lost_recs++;
	}
}

/* Nobody drains while the child makes MANY calls: the ring buffer fills,
 * and every record that found no room is counted, none silently gone. */
static void test_lost_counted(void **state)
{
	(void)state;
	int go[2];
	assert_int_equal(pipe(go), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char c;
		if (syscall(SYS_read, go[0], &c, 1) != 1)
			_exit(2);
		for (int i = 0; i < MANY; i++)
			syscall(SYS_getpid);
		syscall(SYS_exit_group, 0L);
	}
	struct trace_session s = {.pids = &pid, .npids = 1, .strsize = 32};
	struct wt_err err = {0};
	assert_int_equal(sc_set_parse(&s.set, "getpid", &err), 0);
	if (trace_backend_bpf.open(&s, &err) < 0)
		fail_msg("open: %s", err.msg);
	assert_int_equal(write(go[1], "g", 1), 1);
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(trace_backend_bpf.alive(&s), 0);
	struct tally t = {0};
	assert_true(trace_backend_bpf.drain(&s, count, &t, &err) > 0);
	assert_true(trace_backend_bpf.drain(&s, count, &t, &err) >= 0);
	trace_backend_bpf.close(&s);
	print_message("%ld call records, %ld exit, %llu lost\n", t.calls, t.exits,
		      (unsigned long long)t.lost);
	assert_true(t.lost > 0);
	assert_int_equal(t.lost_recs, 1);
	assert_int_equal(t.after_lost, 0);
	/* an entry and an exit per call, and the end: each one here or counted */
	assert_int_equal((uint64_t)t.calls + (uint64_t)t.exits + t.lost, 2 * MANY + 1);
	close(go[0]);
	close(go[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known_calls),
	    cmocka_unit_test(test_follow),
	    cmocka_unit_test(test_lost_counted),
	};
#ifndef HAVE_BPF_SKEL
	(void)tests;
	printf("SKIP: whytop was built without eBPF programs: %s\n", WHYTOP_NO_BPF_SKEL_WHY);
	return 77;
#else
	if (geteuid() != 0) {
		printf("SKIP: the in-kernel log needs root\n");
		return 77;
	}
	/* Can the programs load here at all? (no BTF, a locked-down kernel...) */
	pid_t self = getpid();
	struct trace_session probe = {.pids = &self, .npids = 1, .strsize = 32};
	struct wt_err err = {0};
	int rc = trace_backend_bpf.open(&probe, &err);
	if (rc == -EPERM || rc == -ENOTSUP) {
		printf("SKIP: %s\n", err.msg);
		return 77;
	}
	if (rc < 0) { /* anything else is a failure of ours (the verifier's refusal...) */
		printf("FAIL: %s\n", err.msg);
		return 1;
	}
	trace_backend_bpf.close(&probe);
	return cmocka_run_group_tests(tests, NULL, NULL);
#endif
}
