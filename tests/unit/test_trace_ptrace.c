/*
 * test_trace_ptrace.c: the ptrace backend of the syscall log on real
 * children: the calls a child makes after a handshake come as entry and
 * exit records with their numbers and results, a blocking read's entry
 * before its exit, a signal is logged and still delivered, -f follows a
 * fork, launch mode logs the execve (and says when the exec fails), a
 * thread id is refused, and after trace_close the child runs on untraced.
 *
 * Nothing waits on time: every step waits for a record (trace_fd) or a
 * pipe; the long poll timeouts only turn a hang into a failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/audit.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <whytop/stack.h>
#include <whytop/trace.h>

#include "core/trace/trace_int.h"

#define MISSING "/nonexistent-whytop-trace-test/x"
#define FD_NULL 100 /* the child's /dev/null */
#define FD_FEED 101 /* the child reads the parent's bytes here */
#define FD_BACK 102 /* and answers here */
#define GUARD_MS 30000

struct rec {
	struct trace_rec r;
	char str[64]; /* the first captured region, when any */
	bool has_str;
};

struct recs {
	struct rec *v;
	size_t n, cap;
};

static void recs_add(const struct trace_rec *r, void *p)
{
	struct recs *rs = p;
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 64;
		rs->v = realloc(rs->v, rs->cap * sizeof(*rs->v));
		assert_non_null(rs->v);
	}
	struct rec *e = &rs->v[rs->n++];
	memset(e, 0, sizeof(*e));
	e->r = *r;
	if (r->kind == TRACE_SYSCALL && r->sc.ncap && r->sc.cap[0].state == SCEV_CAP_OK) {
		size_t len =
		    r->sc.cap[0].len < sizeof(e->str) - 1 ? r->sc.cap[0].len : sizeof(e->str) - 1;
		memcpy(e->str, r->sc.cap[0].data, len);
		e->has_str = true;
	}
	for (unsigned i = 0; i < SCEV_MAX_CAPS; i++)
		e->r.sc.cap[i].data = NULL; /* valid during the callback only */
}

/* Calls whose first argument is this (-1: any). */
static long want_arg0 = -1;

/* Index of the first record from `from` on that matches, or -1. */
static long find_rec(const struct recs *rs, size_t from, enum trace_kind kind, pid_t tid, long nr,
		     unsigned part)
{
	for (size_t i = from; i < rs->n; i++) {
		const struct trace_rec *r = &rs->v[i].r;
		if (r->kind != kind || (tid && r->tid != tid))
			continue;
		if (kind == TRACE_SYSCALL &&
		    (r->sc.arch != AUDIT_ARCH_X86_64 || r->sc.nr != nr || r->sc.part != part ||
		     (want_arg0 >= 0 && r->sc.arg[0] != (uint64_t)want_arg0)))
			continue;
		return (long)i;
	}
	return -1;
}

/* Drain until rs holds a record find_rec finds (the guard only ends a hang). */
static long wait_rec(struct trace_session *s, struct recs *rs, enum trace_kind kind, pid_t tid,
		     long nr, unsigned part)
{
	struct wt_err err = {0};
	long i;
	while ((i = find_rec(rs, 0, kind, tid, nr, part)) < 0) {
		struct pollfd p = {.fd = trace_fd(s), .events = POLLIN};
		int r = poll(&p, 1, GUARD_MS);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			fail_msg("no record of kind %d (tid %d, nr %ld) after %d ms", kind,
				 (int)tid, nr, GUARD_MS);
		assert_true(trace_drain(s, recs_add, rs, &err) >= 0);
	}
	return i;
}

/* Drain until no traced task is left; the fd must wake for that too. */
static void wait_all_gone(struct trace_session *s, struct recs *rs)
{
	struct wt_err err = {0};
	while (trace_alive(s, NULL)) {
		struct pollfd p = {.fd = trace_fd(s), .events = POLLIN};
		int r = poll(&p, 1, GUARD_MS);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			fail_msg("trace_alive still 1 and trace_fd silent after %d ms", GUARD_MS);
		assert_true(trace_drain(s, recs_add, rs, &err) >= 0);
	}
	assert_true(trace_drain(s, recs_add, rs, &err) >= 0);
}

static void dump_recs(const struct recs *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct trace_rec *r = &rs->v[i].r;
		fprintf(stderr, "# %zu: kind %d pid %d tid %d nr %ld part %u arg0 %lld ret %lld\n",
			i, r->kind, (int)r->pid, (int)r->tid, r->sc.nr, r->sc.part,
			(long long)r->sc.arg[0], (long long)r->sc.ret);
	}
}

static long tracer_of(pid_t pid)
{
	char path[64], buf[2048];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	const char *p = strstr(buf, "TracerPid:");
	return p ? atol(p + 10) : -1;
}

/* A child that runs body(go_fd) once the parent writes a byte on its pipe. */
struct kid {
	pid_t pid;
	int go;	  /* write a byte: the child starts */
	int feed; /* the child's FD_FEED */
	int back; /* the child's FD_BACK */
};

/* Children of the test, killed by the teardown should a test fail half-way. */
static pid_t kids[8];
static size_t nkids;

static int kill_kids(void **state)
{
	(void)state;
	for (size_t i = 0; i < nkids; i++) {
		/* Still our child (not a reaped pid used again by someone else)? */
		char path[64];
		int ppid = 0;
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)kids[i]);
		FILE *f = fopen(path, "r");
		if (f && fscanf(f, "%*d (%*[^)]) %*c %d", &ppid) == 1 && ppid == getpid())
			kill(kids[i], SIGKILL);
		if (f)
			fclose(f);
	}
	nkids = 0;
	return 0;
}

static void kid_wait(int fd)
{
	char c;
	if (read(fd, &c, 1) != 1)
		_exit(120);
}

static struct kid kid_start(void (*body)(void))
{
	int go[2], feed[2], back[2];
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(feed), 0);
	assert_int_equal(pipe(back), 0);
	struct kid k;
	k.pid = fork();
	assert_true(k.pid >= 0);
	if (k.pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		close(go[1]);
		close(feed[1]);
		close(back[0]);
		int nul = open("/dev/null", O_WRONLY);
		if (nul < 0 || dup2(nul, FD_NULL) < 0 || dup2(feed[0], FD_FEED) < 0 ||
		    dup2(back[1], FD_BACK) < 0)
			_exit(121);
		if (write(FD_BACK, "r", 1) != 1) /* ready: set up, about to wait */
			_exit(122);
		kid_wait(go[0]);
		body();
		_exit(0);
	}
	if (nkids < sizeof(kids) / sizeof(kids[0]))
		kids[nkids++] = k.pid;
	close(go[0]);
	close(feed[0]);
	close(back[1]);
	k.go = go[1];
	k.feed = feed[1];
	k.back = back[0];
	/* Traced from here on: what it does before is not the test's. */
	char c;
	assert_int_equal(read(k.back, &c, 1), 1);
	return k;
}

static void kid_send(int fd)
{
	assert_int_equal(write(fd, "x", 1), 1);
}

static void kid_close(struct kid *k)
{
	close(k->go);
	close(k->feed);
	close(k->back);
}

static struct trace_session *open_pid(pid_t pid, bool follow, const struct sc_set *set)
{
	struct trace_opts o = {.pids = &pid,
			       .npids = 1,
			       .backend = SC_BACKEND_PTRACE,
			       .follow = follow,
			       .set = set,
			       .strsize = 32};
	struct trace_session *s;
	struct wt_err err = {0};
	int r = trace_open(&s, &o, &err);
	if (r == -EPERM)
		skip(); /* no ptrace rights here */
	if (r < 0)
		fail_msg("trace_open: %s", err.msg);
	assert_string_equal(trace_backend_name(s), "ptrace");
	return s;
}

/* ---- known calls, a blocking read, a signal ---- */

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

static void body_calls(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigset_t usr1, old;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &old);
	syscall(SYS_openat, AT_FDCWD, MISSING, O_RDONLY);
	syscall(SYS_write, FD_NULL, "hello", 5);
	char c;
	syscall(SYS_read, FD_FEED, &c, 1); /* blocks until the parent writes */
	syscall(SYS_getpid);
	while (!got_usr1)
		sigsuspend(&old); /* the parent sends SIGUSR1 once it saw getpid */
	_exit(got_usr1 ? 42 : 1);
}

static void test_calls_signal_exit(void **state)
{
	(void)state;
	struct kid k = kid_start(body_calls);
	struct trace_session *s = open_pid(k.pid, false, NULL);
	struct recs rs = {0};
	wait_rec(s, &rs, TRACE_ATTACH, k.pid, 0, 0);
	kid_send(k.go);

	/* The read blocks: its entry is logged while the child waits for us. */
	want_arg0 = FD_FEED;
	long rd_in = wait_rec(s, &rs, TRACE_SYSCALL, k.pid, SYS_read, SCEV_ENTRY);
	assert_int_equal(rs.v[rd_in].r.sc.arg[0], FD_FEED);
	assert_int_equal(find_rec(&rs, 0, TRACE_SYSCALL, k.pid, SYS_read, SCEV_EXIT), -1);
	kid_send(k.feed);
	long rd_out = wait_rec(s, &rs, TRACE_SYSCALL, k.pid, SYS_read, SCEV_EXIT);
	assert_true(rd_out > rd_in);
	assert_int_equal(rs.v[rd_out].r.sc.ret, 1);
	want_arg0 = -1;

	long gp = wait_rec(s, &rs, TRACE_SYSCALL, k.pid, SYS_getpid, SCEV_EXIT);
	assert_int_equal(rs.v[gp].r.sc.ret, k.pid);
	assert_int_equal(kill(k.pid, SIGUSR1), 0);
	long sg = wait_rec(s, &rs, TRACE_SIGNAL, k.pid, 0, 0);
	assert_int_equal(rs.v[sg].r.si.si_signo, SIGUSR1);
	assert_int_equal(rs.v[sg].r.si.si_pid, getpid());
	long ex = wait_rec(s, &rs, TRACE_EXIT, k.pid, 0, 0);
	/* 42: the handler ran, so the signal was delivered. */
	assert_true(WIFEXITED(rs.v[ex].r.status));
	assert_int_equal(WEXITSTATUS(rs.v[ex].r.status), 42);
	wait_all_gone(s, &rs);

	/* openat of a missing path: ENOENT, entry before exit, the path captured if asked for. */
	long op_in = find_rec(&rs, 0, TRACE_SYSCALL, k.pid, SYS_openat, SCEV_ENTRY);
	long op_out = find_rec(&rs, 0, TRACE_SYSCALL, k.pid, SYS_openat, SCEV_EXIT);
	if (op_in < 0 || op_out < op_in)
		dump_recs(&rs);
	assert_true(op_in >= 0 && op_out > op_in);
	assert_int_equal(rs.v[op_out].r.sc.ret, -ENOENT);
	assert_int_equal((int)rs.v[op_out].r.sc.arg[0], AT_FDCWD);
	struct sccap caps[SCEV_MAX_CAPS];
	int nc = sysdecode_captures(AUDIT_ARCH_X86_64, SYS_openat, 32, caps);
	if (nc > 0 && caps[0].arg == 1 && caps[0].how == SCCAP_STR) {
		assert_true(rs.v[op_in].has_str);
		assert_string_equal(rs.v[op_in].str, MISSING);
	}
	long wr = find_rec(&rs, 0, TRACE_SYSCALL, k.pid, SYS_write, SCEV_EXIT);
	assert_true(wr >= 0);
	assert_int_equal(rs.v[wr].r.sc.arg[0], FD_NULL);
	assert_int_equal(rs.v[wr].r.sc.arg[2], 5);
	assert_int_equal(rs.v[wr].r.sc.ret, 5);
	for (size_t i = 0; i < rs.n; i++)
		assert_int_equal(rs.v[i].r.pid, k.pid);
	trace_close(s);
	kid_close(&k);
	free(rs.v);
}

/* ---- only the calls of the set ---- */

static void body_set(void)
{
	syscall(SYS_openat, AT_FDCWD, MISSING, O_RDONLY);
	syscall(SYS_getpid);
	_exit(3);
}

static void test_set_filters(void **state)
{
	(void)state;
	struct sc_set set;
	struct wt_err err = {0};
	assert_int_equal(sc_set_parse(&set, "getpid", &err), 0);
	struct kid k = kid_start(body_set);
	struct trace_session *s = open_pid(k.pid, false, &set);
	struct recs rs = {0};
	kid_send(k.go);
	wait_rec(s, &rs, TRACE_EXIT, k.pid, 0, 0);
	wait_all_gone(s, &rs);
	assert_true(find_rec(&rs, 0, TRACE_SYSCALL, k.pid, SYS_getpid, SCEV_EXIT) >= 0);
	for (size_t i = 0; i < rs.n; i++)
		if (rs.v[i].r.kind == TRACE_SYSCALL)
			assert_int_equal(rs.v[i].r.sc.nr, SYS_getpid);
	trace_close(s);
	kid_close(&k);
	free(rs.v);
}

/* ---- -f: a fork's calls under the grandchild's pid ---- */

static void body_fork(void)
{
	pid_t g = fork();
	if (g == 0) {
		syscall(SYS_getpid);
		_exit(7);
	}
	int st = 0;
	waitpid(g, &st, 0);
	_exit(WIFEXITED(st) && WEXITSTATUS(st) == 7 ? 0 : 1);
}

static void test_follow_fork(void **state)
{
	(void)state;
	struct kid k = kid_start(body_fork);
	struct trace_session *s = open_pid(k.pid, true, NULL);
	struct recs rs = {0};
	kid_send(k.go);
	wait_rec(s, &rs, TRACE_EXIT, k.pid, 0, 0);
	wait_all_gone(s, &rs);
	/* The grandchild: a task that joined, other than the child. */
	pid_t g = 0;
	for (size_t i = 0; i < rs.n && !g; i++)
		if (rs.v[i].r.kind == TRACE_ATTACH && rs.v[i].r.tid != k.pid)
			g = rs.v[i].r.tid;
	assert_true(g > 0);
	long gp = find_rec(&rs, 0, TRACE_SYSCALL, g, SYS_getpid, SCEV_EXIT);
	assert_true(gp >= 0);
	assert_int_equal(rs.v[gp].r.pid, g);
	assert_int_equal(rs.v[gp].r.sc.ret, g);
	long gx = find_rec(&rs, 0, TRACE_EXIT, g, 0, 0);
	assert_true(gx >= 0);
	assert_int_equal(WEXITSTATUS(rs.v[gx].r.status), 7);
	long cx = find_rec(&rs, 0, TRACE_EXIT, k.pid, 0, 0);
	assert_int_equal(WEXITSTATUS(rs.v[cx].r.status), 0);
	/* The child's fork (clone on x86_64) is logged in the child. */
	assert_true(find_rec(&rs, 0, TRACE_SYSCALL, k.pid, SYS_clone, SCEV_EXIT) >= 0);
	trace_close(s);
	kid_close(&k);
	free(rs.v);
}

/* ---- threads: with -f each is logged under the process; without, only the one given ---- */

static void *thread_getpid(void *p)
{
	(void)p;
	syscall(SYS_getpid);
	return NULL;
}

static void body_thread(void)
{
	pthread_t th;
	if (pthread_create(&th, NULL, thread_getpid, NULL) != 0)
		_exit(1);
	pthread_join(th, NULL);
	_exit(0);
}

static void run_thread_kid(bool follow, struct recs *rs, pid_t *pid)
{
	struct kid k = kid_start(body_thread);
	struct trace_session *s = open_pid(k.pid, follow, NULL);
	kid_send(k.go);
	wait_rec(s, rs, TRACE_EXIT, k.pid, 0, 0);
	wait_all_gone(s, rs);
	trace_close(s);
	kid_close(&k);
	*pid = k.pid;
}

static void test_threads(void **state)
{
	(void)state;
	struct recs rs = {0};
	pid_t pid;
	run_thread_kid(true, &rs, &pid);
	pid_t th = 0;
	for (size_t i = 0; i < rs.n && !th; i++)
		if (rs.v[i].r.kind == TRACE_ATTACH && rs.v[i].r.tid != pid)
			th = rs.v[i].r.tid;
	assert_true(th > 0);
	long gp = find_rec(&rs, 0, TRACE_SYSCALL, th, SYS_getpid, SCEV_EXIT);
	assert_true(gp >= 0);
	assert_int_equal(rs.v[gp].r.pid, pid);
	assert_int_equal(rs.v[gp].r.sc.ret, pid);
	free(rs.v);

	/* Without -f (strace -p): the thread's calls are not logged, the process's are. */
	memset(&rs, 0, sizeof(rs));
	run_thread_kid(false, &rs, &pid);
	assert_true(find_rec(&rs, 0, TRACE_SYSCALL, pid, SYS_clone3, SCEV_EXIT) >= 0 ||
		    find_rec(&rs, 0, TRACE_SYSCALL, pid, SYS_clone, SCEV_EXIT) >= 0);
	for (size_t i = 0; i < rs.n; i++)
		assert_int_equal(rs.v[i].r.tid, pid);
	free(rs.v);
}

/* ---- launch mode ---- */

static void test_launch_logs_execve(void **state)
{
	(void)state;
	char *argv[] = {"true", NULL};
	struct trace_opts o = {.argv = argv, .backend = SC_BACKEND_PTRACE, .strsize = 32};
	struct trace_session *s;
	struct wt_err err = {0};
	int r = trace_open(&s, &o, &err);
	if (r == -EPERM)
		skip();
	if (r < 0)
		fail_msg("trace_open: %s", err.msg);
	struct recs rs = {0};
	wait_all_gone(s, &rs);
	int status = -1;
	assert_int_equal(trace_alive(s, &status), 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* The first call logged is the program's execve, and one of them worked. */
	long first = -1;
	for (size_t i = 0; i < rs.n && first < 0; i++)
		if (rs.v[i].r.kind == TRACE_SYSCALL)
			first = (long)i;
	assert_true(first >= 0);
	assert_int_equal(rs.v[first].r.sc.nr, SYS_execve);
	bool ok = false;
	for (size_t i = 0; i < rs.n; i++)
		if (rs.v[i].r.kind == TRACE_SYSCALL && rs.v[i].r.sc.nr == SYS_execve &&
		    rs.v[i].r.sc.part == SCEV_EXIT && rs.v[i].r.sc.ret == 0)
			ok = true;
	assert_true(ok);
	assert_true(find_rec(&rs, 0, TRACE_SYSCALL, 0, SYS_exit_group, SCEV_ENTRY) >= 0);
	trace_close(s);
	free(rs.v);
}

static void test_launch_missing_program(void **state)
{
	(void)state;
	char *argv[] = {"/nonexistent-whytop-trace-test/prog", NULL};
	struct trace_opts o = {.argv = argv, .backend = SC_BACKEND_PTRACE, .strsize = 32};
	struct trace_session *s = NULL;
	struct wt_err err = {0};
	int r = trace_open(&s, &o, &err);
	if (r == -EPERM)
		skip();
	assert_int_equal(r, -ENOENT);
	assert_null(s);
	assert_string_equal(err.msg, "cannot run '/nonexistent-whytop-trace-test/prog': "
				     "No such file or directory");
}

/* ---- refusals ---- */

static pthread_mutex_t th_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t th_cv = PTHREAD_COND_INITIALIZER;
static pid_t th_tid;
static bool th_end;

static void *thread_body(void *p)
{
	(void)p;
	pthread_mutex_lock(&th_mu);
	th_tid = (pid_t)syscall(SYS_gettid);
	pthread_cond_broadcast(&th_cv);
	while (!th_end)
		pthread_cond_wait(&th_cv, &th_mu);
	pthread_mutex_unlock(&th_mu);
	return NULL;
}

static void test_refusals(void **state)
{
	(void)state;
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, thread_body, NULL), 0);
	pthread_mutex_lock(&th_mu);
	while (!th_tid)
		pthread_cond_wait(&th_cv, &th_mu);
	pid_t tid = th_tid;
	pthread_mutex_unlock(&th_mu);

	struct trace_opts o = {.pids = &tid, .npids = 1, .backend = SC_BACKEND_PTRACE};
	struct trace_session *s = NULL;
	struct wt_err err = {0};
	assert_int_equal(trace_open(&s, &o, &err), -EINVAL);
	assert_null(s);
	char want[200];
	snprintf(want, sizeof(want),
		 "%d is a thread of process %d, not a process; use 'whytop trace -f %d'", (int)tid,
		 (int)getpid(), (int)getpid());
	assert_string_equal(err.msg, want);

	struct trace_opts none = {.pids = NULL, .npids = 0, .backend = SC_BACKEND_PTRACE};
	assert_int_equal(trace_open(&s, &none, &err), -EINVAL);
	assert_null(s);

	pthread_mutex_lock(&th_mu);
	th_end = true;
	pthread_cond_broadcast(&th_cv);
	pthread_mutex_unlock(&th_mu);
	pthread_join(th, NULL);
}

/* ---- close: the child runs on, untraced ---- */

static void body_echo(void)
{
	char c;
	for (;;) {
		if (read(FD_FEED, &c, 1) != 1)
			_exit(0);
		if (write(FD_BACK, &c, 1) != 1)
			_exit(1);
	}
}

static void echo_once(struct kid *k)
{
	kid_send(k->feed);
	struct pollfd p = {.fd = k->back, .events = POLLIN};
	assert_int_equal(poll(&p, 1, GUARD_MS), 1);
	char c;
	assert_int_equal(read(k->back, &c, 1), 1);
}

static void test_close_leaves_running(void **state)
{
	(void)state;
	struct kid k = kid_start(body_echo);
	struct trace_session *s = open_pid(k.pid, false, NULL);
	assert_true(tracer_of(k.pid) > 0);
	struct recs rs = {0};
	kid_send(k.go);
	echo_once(&k);
	/* Its echo was logged; now it sits in read again, and we leave. */
	want_arg0 = FD_BACK;
	wait_rec(s, &rs, TRACE_SYSCALL, k.pid, SYS_write, SCEV_EXIT);
	want_arg0 = -1;
	trace_close(s);
	assert_int_equal(tracer_of(k.pid), 0);
	echo_once(&k); /* still running: it answers */
	int st;
	assert_int_equal(waitpid(k.pid, &st, WNOHANG), 0);
	close(k.feed); /* EOF: it exits 0, to us, its parent */
	assert_int_equal(waitpid(k.pid, &st, 0), k.pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	close(k.go);
	close(k.back);
	free(rs.v);
}

/*
 * A stack walk of a logged process is a job of the same target: it holds
 * the logged thread (its stops still logged), walks, and lets it go back
 * into the log, which goes on; the close then lets it go for good.
 */
static void test_walk_while_logging(void **state)
{
	(void)state;
	struct kid k = kid_start(body_echo);
	struct trace_session *s = open_pid(k.pid, false, NULL);
	struct recs rs = {0};
	kid_send(k.go);
	echo_once(&k);
	want_arg0 = FD_BACK;
	wait_rec(s, &rs, TRACE_SYSCALL, k.pid, SYS_write, SCEV_EXIT);
	struct debug_proc *dp;
	struct wt_err err = {0};
	assert_int_equal(debug_proc_open(k.pid, &dp, &err), 0);
	for (int i = 0; i < 3; i++) {
		struct stack *st;
		if (stack_walk(dp, NULL, &st, &err) < 0)
			fail_msg("walk %d while logging: %s", i, err.msg);
		assert_int_equal(st->nthreads, 1);
		stack_free(st);
	}
	debug_proc_close(dp);
	/* Still logged after the walks: the next echo's write shows. */
	size_t before = rs.n;
	echo_once(&k);
	while (find_rec(&rs, before, TRACE_SYSCALL, k.pid, SYS_write, SCEV_EXIT) < 0) {
		struct pollfd p = {.fd = trace_fd(s), .events = POLLIN};
		if (poll(&p, 1, GUARD_MS) == 0)
			fail_msg("no write logged after the walks");
		assert_true(trace_drain(s, recs_add, &rs, &err) >= 0);
	}
	want_arg0 = -1;
	trace_close(s);
	assert_int_equal(tracer_of(k.pid), 0);
	echo_once(&k);
	close(k.feed);
	int st;
	assert_int_equal(waitpid(k.pid, &st, 0), k.pid);
	assert_true(WIFEXITED(st));
	close(k.go);
	close(k.back);
	free(rs.v);
}

/* ---- a stopped process stays stopped ---- */

static char state_of(pid_t pid)
{
	char path[64];
	char st = '?';
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%*d (%*[^)]) %c", &st) != 1)
			st = '?';
		fclose(f);
	}
	return st;
}

/* Wait (a condition, polled: /proc has no event) until pid is in group-stop, untraced. */
static void wait_stopped(pid_t pid)
{
	for (int i = 0; i < GUARD_MS / 5 && state_of(pid) != 'T'; i++)
		usleep(5000);
	assert_int_equal(state_of(pid), 'T');
}

/*
 * SIGSTOP while traced: logged, and delivered, so that after trace_close
 * the process is stopped (T) whatever stop it was in when we let go (its
 * signal-delivery-stop: the signal is handed back; its group-stop: the
 * kernel keeps it). Had the SIGSTOP been swallowed it would never stop.
 */
static void test_group_stop_kept(void **state)
{
	(void)state;
	struct kid k = kid_start(body_echo);
	struct trace_session *s = open_pid(k.pid, false, NULL);
	struct recs rs = {0};
	kid_send(k.go);
	echo_once(&k);
	assert_int_equal(kill(k.pid, SIGSTOP), 0);
	long sg = wait_rec(s, &rs, TRACE_SIGNAL, k.pid, 0, 0);
	assert_int_equal(rs.v[sg].r.si.si_signo, SIGSTOP);
	trace_close(s);
	assert_int_equal(tracer_of(k.pid), 0);
	wait_stopped(k.pid);
	assert_int_equal(kill(k.pid, SIGCONT), 0);
	echo_once(&k);
	close(k.feed);
	int st;
	assert_int_equal(waitpid(k.pid, &st, 0), k.pid);
	assert_true(WIFEXITED(st));
	close(k.go);
	close(k.back);
	free(rs.v);
}

/* ---- captures: the child's memory, region by region ---- */

static void body_wait(void)
{
	char c;
	ssize_t n = read(FD_FEED, &c, 1);
	_exit(n == 1 ? 0 : 1);
}

static struct scev_cap cap_of(pid_t pid, struct scev *ev, struct sccap sp, unsigned char *buf)
{
	struct scev_cap c;
	memset(&c, 0xa5, sizeof(c));
	trace_ptrace_capture(pid, ev, &sp, buf, &c);
	assert_int_equal(c.arg, sp.arg);
	return c;
}

static void test_capture_regions(void **state)
{
	(void)state;
	long page = sysconf(_SC_PAGESIZE);
	/* Two strings that end at a hole: one with its NUL before it, one without. */
	char *m = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	char *m2 = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	assert_true(m != MAP_FAILED && m2 != MAP_FAILED);
	assert_int_equal(munmap(m + page, (size_t)page), 0);
	assert_int_equal(munmap(m2 + page, (size_t)page), 0);
	memcpy(m + page - 4, "abc", 4);
	memcpy(m2 + page - 3, "xyz", 3);
	static char data[16] = "0123456789";
	static int len5 = 5;
	struct kid k = kid_start(body_wait);
	/* What we read is the child's: our own copies change now. */
	memcpy(m + page - 4, "ABC", 4);
	memcpy(data, "ABCDEFGHIJ", 10);
	len5 = 9;

	/* Reading a child's memory needs ptrace rights over it. */
	char probe[4];
	struct iovec lo = {probe, 4}, re = {data, 4};
	if (process_vm_readv(k.pid, &lo, 1, &re, 1, 0) < 0 && (errno == EPERM || errno == ENOSYS))
		skip();
	unsigned char *buf = malloc(SCEV_CAP_MAX);
	assert_non_null(buf);
	struct scev ev;
	memset(&ev, 0, sizeof(ev));
	ev.part = SCEV_ENTRY;
	ev.arg[1] = (uint64_t)(uintptr_t)(m + page - 4);
	struct scev_cap c =
	    cap_of(k.pid, &ev, (struct sccap){.arg = 1, .how = SCCAP_STR, .max = 64}, buf);
	assert_int_equal(c.state, SCEV_CAP_OK);
	assert_int_equal(c.len, 3);
	assert_false(c.cut);
	assert_memory_equal(c.data, "abc", 3);
	/* cut at the bound */
	c = cap_of(k.pid, &ev, (struct sccap){.arg = 1, .how = SCCAP_STR, .max = 2}, buf);
	assert_int_equal(c.len, 2);
	assert_true(c.cut);
	/* no NUL before the hole: what was there, cut */
	ev.arg[1] = (uint64_t)(uintptr_t)(m2 + page - 3);
	c = cap_of(k.pid, &ev, (struct sccap){.arg = 1, .how = SCCAP_STR, .max = 64}, buf);
	assert_int_equal(c.state, SCEV_CAP_OK);
	assert_int_equal(c.len, 3);
	assert_true(c.cut);
	assert_memory_equal(c.data, "xyz", 3);
	/* the hole itself, and NULL */
	ev.arg[1] = (uint64_t)(uintptr_t)(m + page);
	c = cap_of(k.pid, &ev, (struct sccap){.arg = 1, .how = SCCAP_STR, .max = 64}, buf);
	assert_int_equal(c.state, SCEV_CAP_FAULT);
	ev.arg[1] = 0;
	c = cap_of(k.pid, &ev, (struct sccap){.arg = 1, .how = SCCAP_STR, .max = 64}, buf);
	assert_int_equal(c.state, SCEV_CAP_NONE);

	/* a buffer sized by another argument, bounded by max */
	ev.arg[0] = (uint64_t)(uintptr_t)data;
	ev.arg[2] = 10;
	c = cap_of(k.pid, &ev, (struct sccap){.arg = 0, .how = SCCAP_ARG, .size_arg = 2, .max = 4},
		   buf);
	assert_int_equal(c.state, SCEV_CAP_OK);
	assert_int_equal(c.len, 4);
	assert_true(c.cut);
	assert_memory_equal(c.data, "0123", 4);
	c = cap_of(k.pid, &ev, (struct sccap){.arg = 0, .how = SCCAP_ARG, .size_arg = 2, .max = 64},
		   buf);
	assert_int_equal(c.len, 10);
	assert_false(c.cut);
	/* sized by the result: only at the exit, only when it is positive */
	c = cap_of(k.pid, &ev, (struct sccap){.arg = 0, .at_exit = 1, .how = SCCAP_RET, .max = 64},
		   buf);
	assert_int_equal(c.state, SCEV_CAP_NONE);
	ev.part = SCEV_EXIT;
	ev.ret = 3;
	c = cap_of(k.pid, &ev, (struct sccap){.arg = 0, .at_exit = 1, .how = SCCAP_RET, .max = 64},
		   buf);
	assert_int_equal(c.len, 3);
	assert_memory_equal(c.data, "012", 3);
	assert_int_equal(c.at_exit, 1);
	ev.ret = -ENOENT;
	c = cap_of(k.pid, &ev, (struct sccap){.arg = 0, .at_exit = 1, .how = SCCAP_RET, .max = 64},
		   buf);
	assert_int_equal(c.state, SCEV_CAP_NONE);
	/* sized by the int another argument points at (the child's 5) */
	ev.arg[3] = (uint64_t)(uintptr_t)&len5;
	c = cap_of(k.pid, &ev,
		   (struct sccap){.arg = 0, .how = SCCAP_ARGP, .size_arg = 3, .max = 64}, buf);
	assert_int_equal(c.len, 5);
	assert_memory_equal(c.data, "01234", 5);
	/* a struct */
	c = cap_of(k.pid, &ev, (struct sccap){.arg = 0, .how = SCCAP_FIXED, .max = 8}, buf);
	assert_int_equal(c.len, 8);
	assert_false(c.cut);
	/* relative to the stack pointer (rt_sigreturn's frame), not to an argument */
	ev.arg[0] = 0;
	ev.sp = (uint64_t)(uintptr_t)data - 16;
	c = cap_of(k.pid, &ev, (struct sccap){.arg = 0, .how = SCCAP_SP, .size_arg = 2, .max = 4},
		   buf);
	assert_int_equal(c.state, SCEV_CAP_OK);
	assert_int_equal(c.len, 4);
	assert_memory_equal(c.data, "0123", 4);
	ev.sp = 0; /* unknown */
	c = cap_of(k.pid, &ev, (struct sccap){.arg = 0, .how = SCCAP_SP, .size_arg = 2, .max = 4},
		   buf);
	assert_int_equal(c.state, SCEV_CAP_NONE);
	/* -y: the child's fds and cwd, read from /proc while it holds them */
	ev.part = SCEV_ENTRY;
	ev.arg[1] = FD_FEED;
	c = cap_of(k.pid, &ev, (struct sccap){.arg = SCCAP_FD | 1, .how = SCCAP_FDPATH, .max = 64},
		   buf);
	assert_int_equal(c.state, SCEV_CAP_OK);
	assert_true(c.len > 6 && memcmp(c.data, "pipe:[", 6) == 0);
	ev.arg[1] = (uint64_t)-100; /* AT_FDCWD */
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	c = cap_of(k.pid, &ev,
		   (struct sccap){.arg = SCCAP_FD | 1, .how = SCCAP_FDPATH, .max = SCEV_CAP_MAX},
		   buf);
	assert_int_equal(c.len, strlen(cwd));
	assert_memory_equal(c.data, cwd, c.len);
	ev.arg[1] = 999; /* not open */
	c = cap_of(k.pid, &ev, (struct sccap){.arg = SCCAP_FD | 1, .how = SCCAP_FDPATH, .max = 64},
		   buf);
	assert_int_equal(c.state, SCEV_CAP_FAULT);
	/* the result's fd: only at exit */
	struct sccap res = {.arg = SCCAP_FD | SCCAP_FD_RESULT, .at_exit = 1, .how = SCCAP_FDPATH,
			    .max = 64};
	ev.ret = FD_FEED;
	c = cap_of(k.pid, &ev, res, buf);
	assert_int_equal(c.state, SCEV_CAP_NONE);
	ev.part = SCEV_EXIT;
	c = cap_of(k.pid, &ev, res, buf);
	assert_int_equal(c.state, SCEV_CAP_OK);
	assert_true(memcmp(c.data, "pipe:[", 6) == 0);
	/* execve's argv, as the child has it: strings with their NULs, bounded */
	static const char *av[] = {"ls", "-l", "0123456789", NULL};
	ev.arg[1] = (uint64_t)(uintptr_t)av;
	ev.arch = AUDIT_ARCH_X86_64;
	c = cap_of(k.pid, &ev,
		   (struct sccap){.arg = 1, .how = SCCAP_ARGV, .max = 64, .each = 5, .count = 8},
		   buf);
	assert_int_equal(c.state, SCEV_CAP_OK);
	assert_int_equal(c.len, 3 + 3 + 6);
	assert_memory_equal(c.data, "ls\0-l\0" "01234\0", 12);
	assert_false(c.cut);
	c = cap_of(k.pid, &ev,
		   (struct sccap){.arg = 1, .how = SCCAP_ARGV, .max = 64, .each = 5, .count = 2},
		   buf);
	assert_int_equal(c.len, 6);
	assert_true(c.cut);
	c = cap_of(k.pid, &ev, (struct sccap){.arg = 1, .how = SCCAP_ARGC, .max = 4}, buf);
	uint32_t nargs;
	memcpy(&nargs, c.data, 4);
	assert_int_equal(nargs, 3);
	ev.arg[1] = (uint64_t)(uintptr_t)(m + page); /* the hole */
	c = cap_of(k.pid, &ev, (struct sccap){.arg = 1, .how = SCCAP_ARGC, .max = 4}, buf);
	assert_int_equal(c.state, SCEV_CAP_FAULT);
	/* iovecs: base, length, bytes copied (at most each) and the bytes */
	static struct iovec iv[2] = {{data, 3}, {data + 3, 7}};
	ev.arg[1] = (uint64_t)(uintptr_t)iv;
	ev.arg[2] = 2;
	c = cap_of(k.pid, &ev,
		   (struct sccap){.arg = 1, .how = SCCAP_IOV, .size_arg = 2, .max = 256, .each = 5,
				  .count = 8},
		   buf);
	assert_int_equal(c.state, SCEV_CAP_OK);
	assert_int_equal(c.len, 2 * SCCAP_IOV_HEAD + 3 + 5);
	uint64_t ilen;
	uint32_t igot;
	memcpy(&ilen, c.data + SCCAP_IOV_HEAD + 3 + 8, 8);
	memcpy(&igot, c.data + SCCAP_IOV_HEAD + 3 + 16, 4);
	assert_int_equal(ilen, 7);
	assert_int_equal(igot, 5);
	assert_memory_equal(c.data + 2 * SCCAP_IOV_HEAD + 3, "34567", 5);
	assert_memory_equal(c.data + SCCAP_IOV_HEAD, "012", 3);
	/* a msghdr: its fields, name (a sockaddr_in), control and iovecs */
	static unsigned char sname[16] = {2, 0, 0, 80, 127, 0, 0, 1};
	static struct iovec mv[1] = {{data, 4}};
	static struct msghdr mh = {.msg_name = sname,
				   .msg_namelen = 16,
				   .msg_iov = mv,
				   .msg_iovlen = 1,
				   .msg_control = data + 4,
				   .msg_controllen = 3};
	ev.arg[1] = (uint64_t)(uintptr_t)&mh;
	c = cap_of(
	    k.pid, &ev,
	    (struct sccap){.arg = 1, .how = SCCAP_MSGHDR, .max = 4096, .each = 8, .count = 4}, buf);
	assert_int_equal(c.state, SCEV_CAP_OK);
	assert_int_equal(c.len, SCCAP_MSGHDR_HEAD + 4 + 16 + 4 + 3 + SCCAP_IOV_HEAD + 4);
	uint64_t mf[7];
	memcpy(mf, c.data, sizeof(mf));
	assert_int_equal(mf[0], (uintptr_t)sname);
	assert_int_equal(mf[1], 16);
	assert_int_equal(mf[3], 1);
	assert_int_equal(mf[5], 3);
	assert_int_equal(mf[6], 0);
	memcpy(&igot, c.data + SCCAP_MSGHDR_HEAD, 4);
	assert_int_equal(igot, 16);
	assert_memory_equal(c.data + SCCAP_MSGHDR_HEAD + 4, sname, 16);
	memcpy(&igot, c.data + SCCAP_MSGHDR_HEAD + 20, 4);
	assert_int_equal(igot, 3);
	assert_memory_equal(c.data + SCCAP_MSGHDR_HEAD + 24, "456", 3);
	assert_memory_equal(c.data + SCCAP_MSGHDR_HEAD + 27 + SCCAP_IOV_HEAD, "0123", 4);
	ev.arg[1] = (uint64_t)(uintptr_t)(m + page); /* the hole */
	c = cap_of(k.pid, &ev, (struct sccap){.arg = 1, .how = SCCAP_MSGHDR, .max = 4096}, buf);
	assert_int_equal(c.state, SCEV_CAP_FAULT);
	/* SCCAP_ARG's factor and header: semop's 6-byte sembufs, a message's
	 * long mtype before its text */
	static unsigned char sb[18] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
	ev.arg[1] = (uint64_t)(uintptr_t)sb;
	ev.arg[2] = 2;
	c = cap_of(k.pid, &ev,
		   (struct sccap){.arg = 1, .how = SCCAP_ARG, .size_arg = 2, .max = 64, .count = 6},
		   buf);
	assert_int_equal(c.state, SCEV_CAP_OK);
	assert_int_equal(c.len, 12);
	assert_false(c.cut);
	assert_memory_equal(c.data, sb, 12);
	c = cap_of(k.pid, &ev,
		   (struct sccap){.arg = 1, .how = SCCAP_ARG, .size_arg = 2, .max = 64, .each = 8},
		   buf);
	assert_int_equal(c.len, 10);
	c = cap_of(k.pid, &ev,
		   (struct sccap){.arg = 1, .how = SCCAP_ARG, .size_arg = 2, .max = 8, .count = 6},
		   buf);
	assert_int_equal(c.len, 8);
	assert_true(c.cut);
	/* an mmsghdr array: per element its msghdr's bytes and msg_len, then the
	 * msghdr as above; count elements at most, the rest cut */
	static struct mmsghdr mm[3] = {
	    {.msg_hdr = {.msg_iov = mv, .msg_iovlen = 1}, .msg_len = 4},
	    {.msg_hdr = {.msg_name = sname, .msg_namelen = 16}, .msg_len = 9},
	    {.msg_len = 1}};
	ev.arg[1] = (uint64_t)(uintptr_t)mm;
	ev.arg[2] = 3;
	c = cap_of(
	    k.pid, &ev,
	    (struct sccap){
		.arg = 1, .how = SCCAP_MMSGHDR, .size_arg = 2, .max = 4096, .each = 8, .count = 2},
	    buf);
	assert_int_equal(c.state, SCEV_CAP_OK);
	uint32_t e0 = SCCAP_MSGHDR_HEAD + 8 + SCCAP_IOV_HEAD + 4, e1 = SCCAP_MSGHDR_HEAD + 8 + 16;
	assert_int_equal(c.len, 2 * SCCAP_MMSGHDR_HEAD + e0 + e1);
	assert_true(c.cut);
	memcpy(&igot, c.data, 4);
	assert_int_equal(igot, e0);
	memcpy(&igot, c.data + 4, 4);
	assert_int_equal(igot, 4);
	assert_memory_equal(c.data + 8 + SCCAP_MSGHDR_HEAD + 8 + SCCAP_IOV_HEAD, "0123", 4);
	memcpy(&igot, c.data + 8 + e0 + 4, 4);
	assert_int_equal(igot, 9);
	memcpy(mf, c.data + 16 + e0, sizeof(mf));
	assert_int_equal(mf[0], (uintptr_t)sname);
	assert_int_equal(mf[1], 16);
	assert_memory_equal(c.data + 16 + e0 + SCCAP_MSGHDR_HEAD + 4, sname, 16);
	ev.arg[1] = (uint64_t)(uintptr_t)(m + page); /* the hole */
	c = cap_of(
	    k.pid, &ev,
	    (struct sccap){.arg = 1, .how = SCCAP_MMSGHDR, .size_arg = 2, .max = 4096, .count = 2},
	    buf);
	assert_int_equal(c.state, SCEV_CAP_FAULT);
	/* getdents64's records in the result's bytes: their lengths at 16 */
	static unsigned char dents[72] = {[16] = 24, [40] = 24, [64] = 24};
	ev.arg[1] = (uint64_t)(uintptr_t)dents;
	unsigned part0 = ev.part;
	int64_t ret0 = ev.ret;
	ev.part = SCEV_BOTH;
	ev.ret = 72;
	c = cap_of(
	    k.pid, &ev,
	    (struct sccap){.arg = 1, .at_exit = 1, .how = SCCAP_DENTS, .max = 4, .size_arg = 16},
	    buf);
	assert_int_equal(c.state, SCEV_CAP_OK);
	assert_int_equal(c.len, 4);
	memcpy(&igot, c.data, 4);
	assert_int_equal(igot, 3);
	ev.ret = 48; /* the result bounds the walk */
	c = cap_of(
	    k.pid, &ev,
	    (struct sccap){.arg = 1, .at_exit = 1, .how = SCCAP_DENTS, .max = 4, .size_arg = 16},
	    buf);
	memcpy(&igot, c.data, 4);
	assert_int_equal(igot, 2);
	ev.part = part0;
	ev.ret = ret0;
	/* an fd in the child's memory (pipe2's int[2]), element 1 */
	static int32_t fds2[2] = {999, FD_FEED};
	ev.arg[0] = (uint64_t)(uintptr_t)fds2;
	ev.ret = 0;
	c = cap_of(k.pid, &ev,
		   (struct sccap){.arg = SCCAP_FD | SCCAP_FD_MEM | 1 << 3 | 0, .at_exit = 1,
				  .how = SCCAP_FDPATH, .max = 64},
		   buf);
	assert_int_equal(c.state, SCEV_CAP_OK);
	assert_true(memcmp(c.data, "pipe:[", 6) == 0);

	free(buf);
	kid_send(k.go);
	kid_send(k.feed);
	int st;
	assert_int_equal(waitpid(k.pid, &st, 0), k.pid);
	assert_int_equal(WEXITSTATUS(st), 0);
	kid_close(&k);
	munmap(m, (size_t)page);
	munmap(m2, (size_t)page);
}

int main(void)
{
	/* As whytop's main does: SIGCHLD is taken by the tracer threads only. */
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &chld, NULL);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_calls_signal_exit, kill_kids),
	    cmocka_unit_test_teardown(test_set_filters, kill_kids),
	    cmocka_unit_test_teardown(test_follow_fork, kill_kids),
	    cmocka_unit_test_teardown(test_threads, kill_kids),
	    cmocka_unit_test_teardown(test_launch_logs_execve, kill_kids),
	    cmocka_unit_test_teardown(test_launch_missing_program, kill_kids),
	    cmocka_unit_test_teardown(test_refusals, kill_kids),
	    cmocka_unit_test_teardown(test_close_leaves_running, kill_kids),
	    cmocka_unit_test_teardown(test_capture_regions, kill_kids),
	    cmocka_unit_test_teardown(test_group_stop_kept, kill_kids),
	    cmocka_unit_test_teardown(test_walk_while_logging, kill_kids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
