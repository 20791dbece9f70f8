/*
 * launch.c: whytop run: start a program traced from its first instruction
 * and count its syscalls (and those of everything it starts) until it ends.
 *
 * With a list of syscalls, the child installs a libseccomp filter before
 * exec: SCMP_ACT_TRACE for the listed calls, allow the rest. The program then
 * stops only for what is watched (a seccomp stop at entry; PTRACE_SYSCALL
 * from there shows that call's exit), so unwatched calls run at full speed.
 * Without a list every syscall stops, as under strace -c.
 *
 * PTRACE_O_EXITKILL: if whytop dies, the program dies with it. Without it a
 * program left with a SCMP_ACT_TRACE filter and no tracer would see every
 * watched call fail with ENOSYS. Forks are followed for the same reason:
 * the filter is inherited, so every descendant needs its tracer.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <whytop/sysnames.h>

#include "core/target/target_int.h"
#include "sc_internal.h"
#include "tracer.h"

/* Watch call nr of arch (a slot of an -e trace= set) by its name. */
static int watch_slot(scmp_filter_ctx ctx, uint32_t arch, long nr)
{
	char buf[32];
	const char *name = sysname(arch, nr, buf, sizeof(buf));
	int snr = name && name != buf ? seccomp_syscall_resolve_name(name) : __NR_SCMP_ERROR;
	if (snr == __NR_SCMP_ERROR)
		return 0; /* a number libseccomp has no name for: not watched */
	int r = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), snr, 0);
	return r == -EEXIST ? 0 : r;
}

/*
 * Build (in the parent, where errors can be told) the filter of the list
 * and of the set (-e trace=: its x86_64 and i386 calls, by name, which
 * libseccomp maps to both ABIs).
 */
static scmp_filter_ctx make_filter(const char *trace, const struct sc_set *set, struct wt_err *err)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx) {
		wt_err_set(err, ENOMEM, "cannot create a seccomp filter");
		return NULL;
	}
	/* the i386 ABI too: int 0x80 from a 64-bit program must not slip by */
	if (sysname_native_arch() == SCMP_ARCH_X86_64)
		seccomp_arch_add(ctx, SCMP_ARCH_X86); /* not fatal: the native ABI is watched */
	int n = 0;
	for (unsigned slot = 0; set && slot < SC_SLOTS; slot++) {
		enum sc_abi abi = (enum sc_abi)(slot / (SC_NR_MAX + 1));
		long nr = (long)(slot % (SC_NR_MAX + 1));
		if ((abi != SC_ABI_X86_64 && abi != SC_ABI_I386) || nr == SC_NR_MAX ||
		    !sc_set_has_slot(set, slot))
			continue;
		int r = watch_slot(ctx, sc_abi_arch(abi), nr);
		if (r < 0) {
			wt_err_set(err, -r, "cannot watch syscall %ld with seccomp: %s", nr,
				   strerror(-r));
			seccomp_release(ctx);
			return NULL;
		}
		n++;
	}
	char *list = strdup(trace ? trace : ""), *save = NULL;
	if (!list) {
		seccomp_release(ctx);
		wt_err_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	for (char *name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		while (*name == ' ')
			name++;
		if (!*name)
			continue;
		int nr = seccomp_syscall_resolve_name(name);
		if (nr == __NR_SCMP_ERROR) {
			wt_err_set(
			    err, EINVAL,
			    "'%s' is not a syscall name known to libseccomp (e.g. openat,read)",
			    name);
			free(list);
			seccomp_release(ctx);
			return NULL;
		}
		int r = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), nr, 0);
		if (r < 0 && r != -EEXIST) {
			wt_err_set(err, -r, "cannot watch '%s' with seccomp: %s", name,
				   strerror(-r));
			free(list);
			seccomp_release(ctx);
			return NULL;
		}
		n++;
	}
	free(list);
	if (!n) {
		seccomp_release(ctx);
		wt_err_set(err, EINVAL,
			   set ? "-e trace= names no syscall to watch"
			       : "--trace needs at least one syscall name");
		return NULL;
	}
	return ctx;
}

/*
 * The filter as a classic BPF program, made in the parent: the child of a
 * fork should not allocate, so it only hands this to prctl.
 */
static int export_filter(scmp_filter_ctx ctx, struct sock_fprog *prog, struct wt_err *err)
{
	int fd = memfd_create("whytop-seccomp", MFD_CLOEXEC);
	if (fd < 0)
		return wt_err_set(err, errno, "memfd_create: %s", strerror(errno));
	int r = seccomp_export_bpf(ctx, fd);
	off_t len = lseek(fd, 0, SEEK_END);
	if (r < 0 || len <= 0 || len % sizeof(struct sock_filter)) {
		close(fd);
		return wt_err_set(err, EINVAL, "cannot export the seccomp filter");
	}
	prog->filter = malloc((size_t)len);
	prog->len = (unsigned short)(len / sizeof(struct sock_filter));
	if (!prog->filter || pread(fd, prog->filter, (size_t)len, 0) != len) {
		close(fd);
		free(prog->filter);
		return wt_err_set(err, EIO, "cannot read back the seccomp filter");
	}
	close(fd);
	return 0;
}

/*
 * The program runs as a mode of its target (target.h): the target's thread
 * seizes it, lets it go on from the SIGSTOP it raised, and hands every stop
 * of it, its threads and the processes it starts (follow_forks) to the stop
 * engine (tracer.c), until none is left.
 */
struct launch_state {
	struct sc_tracer tr;
	struct target_mode mode;
	struct target *target;
	pid_t child;
	int status; /* the program's wait status */
	int seize_errno;
};

static void launch_stop(void *ctx, pid_t tid, int status)
{
	struct launch_state *ls = ctx;
	sc_tracer_handle(&ls->tr, tid, status);
}

static void launch_held(void *ctx, pid_t tid, int status)
{
	struct launch_state *ls = ctx;
	sc_tracer_account(&ls->tr, tid, status);
}

static void launch_resume(void *ctx, pid_t tid, const struct target_stop *ts)
{
	struct launch_state *ls = ctx;
	sc_tracer_resume(&ls->tr, tid, ts);
}

static void launch_gone(void *ctx, pid_t tid)
{
	struct launch_state *ls = ctx;
	sc_tracer_remove(&ls->tr, tid);
}

static void launch_exited(void *ctx, pid_t tid, int status)
{
	struct launch_state *ls = ctx;
	if (tid == ls->child)
		ls->status = status;
}

static void launch_job(void *arg)
{
	struct launch_state *ls = arg;
	struct target *t = ls->target;
	struct target_task *k;
	target_set_mode(t, &ls->mode, ls);
	int r = target_seize(t, ls->child, &k);
	if (r < 0) {
		ls->seize_errno = -r;
		target_set_mode(t, NULL, NULL);
		return;
	}
	sc_tracer_add(&ls->tr, ls->child);
	kill(ls->child, SIGCONT);
	/* Until every task of the program, and of what it started, has ended. */
	while (t->ntasks > 0)
		target_wait_counting(t);
	target_set_mode(t, NULL, NULL);
}

int sc_launch_run(char *const argv[], const char *trace, const struct sc_set *set,
		  struct sc_sample *out, int *status, struct wt_err *err)
{
	struct wt_err local;
	if (!err)
		err = &local;
	struct sock_fprog prog = {0, NULL};
	if (trace || set) {
		scmp_filter_ctx filter = make_filter(trace, set, err);
		if (!filter)
			return -err->code;
		int r = export_filter(filter, &prog, err);
		seccomp_release(filter);
		if (r)
			return r;
	}

	/* Ctrl-C reaches the program (same process group); we wait for it to end. */
	struct sigaction ign, old_int, old_quit;
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);

	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		int e = errno;
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		free(prog.filter);
		return wt_err_set(err, e, "pipe: %s", strerror(e));
	}
	pid_t child = fork();
	if (child == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		/* The program starts with no signal blocked (whytop blocks SIGCHLD, target.h). */
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		close(pfd[0]);
		/* Wait here until the parent has seized us. */
		raise(SIGSTOP);
		if (prog.filter) {
			if (geteuid() != 0)
				prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
			if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
				dprintf(pfd[1], "cannot load the seccomp filter: %s",
					strerror(errno));
				_exit(127);
			}
		}
		execvp(argv[0], argv);
		dprintf(pfd[1], "cannot run %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	if (child < 0) {
		int e = errno;
		close(pfd[0]);
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		free(prog.filter);
		return wt_err_set(err, e, "fork: %s", strerror(e));
	}
	free(prog.filter);

	int st, r = 0;
	while (waitpid(child, &st, WUNTRACED) < 0 && errno == EINTR)
		;
	struct launch_state ls;
	memset(&ls, 0, sizeof(ls));
	ls.child = child;
	ls.mode = (struct target_mode){
	    .doing = "counting its syscalls",
	    .options = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK |
		       PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL |
		       (trace || set ? PTRACE_O_TRACESECCOMP : 0),
	    .follow_forks = true,
	    .stop = launch_stop,
	    .held = launch_held,
	    .resume = launch_resume,
	    .gone = launch_gone,
	    .exited = launch_exited,
	};
	sc_tracer_init(&ls.tr, out, NULL, trace || set);
	ls.tr.set = set;
	int e = WIFSTOPPED(st) ? 0 : ECHILD;
	if (!e && (r = target_get(child, &ls.target, err)) < 0)
		e = -r;
	if (!e) {
		/* The program's one owner: its target's thread traces it, as any process. */
		target_call(ls.target, launch_job, &ls);
		target_put(ls.target);
		e = ls.seize_errno;
	}
	sc_tracer_fini(&ls.tr);
	if (e) {
		kill(child, SIGKILL);
		waitpid(child, &st, 0);
		close(pfd[0]);
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		return wt_err_set(err, e, "cannot trace the new process: %s", strerror(e));
	}
	*status = ls.status;
	r = 0;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);

	char msg[300];
	ssize_t n = read(pfd[0], msg, sizeof(msg) - 1);
	close(pfd[0]);
	if (n > 0) {
		msg[n] = '\0';
		r = wt_err_set(err, ENOEXEC, "%s", msg);
	}
	out->t_ns = wt_now_ns();
	return r;
}
