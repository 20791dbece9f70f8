/*
 * session.c: a trace session (trace.h): the copy of the options, the
 * choice of a backend (in-kernel when asked or when it opens as root,
 * ptrace otherwise) and launch mode, where the program is forked here and
 * held before its exec until the backend watches it, so that the log
 * starts with its execve. Records come from the backend; session.c only
 * notes the launched program's end on their way through.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <whytop/proc.h>
#include <whytop/trace.h>

#include "core/trace/trace_int.h"

/* Refuse what cannot be a traced process: gone, or a thread id (cli_parse_pid's words). */
static int trace_check_pid(pid_t pid, struct wt_err *err)
{
	pid_t tgid;
	if (pid <= 0)
		return wt_err_set(err, EINVAL, "'%ld' is not a process id", (long)pid);
	if (kill(pid, 0) < 0 && errno == ESRCH)
		return wt_err_set(err, ESRCH, "no process %ld (it may have exited)", (long)pid);
	if (proc_tgid_of(pid, &tgid) == 0 && tgid != pid)
		return wt_err_set(
		    err, EINVAL,
		    "%ld is a thread of process %d, not a process; use 'whytop trace -f %d'",
		    (long)pid, (int)tgid, (int)tgid);
	return 0;
}

/*
 * Fork the program; it waits for the end of go before its exec (closing
 * it, rather than writing, cannot raise SIGPIPE in whytop), and reports
 * an exec failure's errno on ex (close-on-exec: EOF means it ran).
 */
/*
 * The file a program name runs, as execvp would find it, found before the
 * fork as strace does: the log then holds one execve, of that file, not
 * one failed execve per directory of PATH tried before it. A name with a
 * slash is used as it is. Returns 0, or -ENOENT/-EACCES.
 */
static int trace_find_program(const char *name, char *out, size_t size)
{
	if (strchr(name, '/')) {
		snprintf(out, size, "%s", name);
		return 0;
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	int err = -ENOENT;
	for (const char *p = path;; p++) {
		const char *e = strchrnul(p, ':');
		size_t n = (size_t)(e - p);
		/* an empty entry is the working directory, as for execvp */
		int w = snprintf(out, size, "%.*s%s%s", (int)n, p, n ? "/" : "", name);
		struct stat st;
		if (w > 0 && (size_t)w < size && stat(out, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(out, X_OK) == 0)
				return 0;
			err = -EACCES;
		}
		if (!*e)
			break;
		p = e;
	}
	return err;
}

static pid_t trace_fork_program(char *const *argv, int go[2], int ex[2],
				const struct sock_fprog *filter, struct wt_err *err)
{
	char file[4096];
	int found = trace_find_program(argv[0], file, sizeof(file));
	if (found < 0) {
		char esc[128];
		return wt_err_set(err, -found, "cannot run '%s': %s",
				  wt_escape_to(esc, sizeof(esc), argv[0], strlen(argv[0]), 0),
				  strerror(-found));
	}
	if (pipe2(go, O_CLOEXEC) < 0)
		return wt_err_set(err, errno, "cannot create a pipe: %s", strerror(errno));
	if (pipe2(ex, O_CLOEXEC) < 0) {
		int e = errno;
		close(go[0]);
		close(go[1]);
		return wt_err_set(err, e, "cannot create a pipe: %s", strerror(e));
	}
	pid_t child = fork();
	if (child == 0) {
		/* The program starts with no signal blocked (whytop blocks SIGCHLD, target.h). */
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		close(go[1]);
		close(ex[0]);
		char c;
		while (read(go[0], &c, 1) < 0 && errno == EINTR)
			; /* EOF: go (whytop kills it if it gives up) */
		if (filter) { /* inject: stop only at the calls that matter (trace_int.h) */
			if (geteuid() != 0)
				prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
			if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, filter) < 0) {
				int e = errno;
				ssize_t w = write(ex[1], &e, sizeof(e));
				(void)w;
				_exit(127);
			}
		}
		execv(file, argv);
		int e = errno;
		ssize_t w = write(ex[1], &e, sizeof(e));
		(void)w;
		_exit(127);
	}
	int e = errno;
	close(go[0]);
	close(ex[1]);
	if (child < 0) {
		close(go[1]);
		close(ex[0]);
		return wt_err_set(err, e, "cannot start a process: %s", strerror(e));
	}
	return child;
}

static void trace_free(struct trace_session *s)
{
	free(s->inject);
	free(s->pids);
	free(s);
}

/* Open s on backend be; a refusal keeps its words in err. */
static int trace_try(struct trace_session *s, const struct trace_backend *be, struct wt_err *err)
{
	s->be = be;
	s->priv = NULL;
	int r = be->open(s, err);
	if (r < 0)
		s->be = NULL;
	return r;
}

static int trace_pick(struct trace_session *s, enum sc_backend want, struct wt_err *err)
{
	if (want == SC_BACKEND_KERNEL)
		return trace_try(s, &trace_backend_bpf, err);
	if (want == SC_BACKEND_PTRACE)
		return trace_try(s, &trace_backend_ptrace, err);
	if (geteuid() == 0) {
		struct wt_err kerr = {0};
		if (trace_try(s, &trace_backend_bpf, &kerr) == 0)
			return 0;
		snprintf(s->be_note, sizeof(s->be_note), "in-kernel log refused: %.170s", kerr.msg);
	} else {
		snprintf(s->be_note, sizeof(s->be_note),
			 "in-kernel log needs root; ptrace stops the traced tasks at every call");
	}
	return trace_try(s, &trace_backend_ptrace, err);
}

int trace_open(struct trace_session **out, const struct trace_opts *o, struct wt_err *err)
{
	*out = NULL;
	if (!o->argv && !o->npids)
		return wt_err_set(err, EINVAL,
				  "no process to trace: give a PID or a command after --");
	if (o->argv && !o->argv[0])
		return wt_err_set(err, EINVAL, "no command to run after --");
	if (o->stacks && o->backend != SC_BACKEND_PTRACE)
		return wt_err_set(err, EINVAL,
				  "stacks (-k) come from ptrace stops: use --backend ptrace with -k");
	if (o->ninject && o->backend == SC_BACKEND_KERNEL)
		return wt_err_set(
		    err, EINVAL,
		    "faults are injected at ptrace stops: use --backend ptrace (or auto) "
		    "with inject");
	if (o->ninject > TRACE_INJ_MAX)
		return wt_err_set(err, EINVAL, "at most %d inject rules at once", TRACE_INJ_MAX);
	for (size_t i = 0; !o->argv && i < o->npids; i++) {
		int r = trace_check_pid(o->pids[i], err);
		if (r < 0)
			return r;
	}
	struct trace_session *s = calloc(1, sizeof(*s));
	if (!s)
		return wt_err_set(err, ENOMEM, "out of memory");
	s->follow = o->follow;
	s->strsize = o->strsize;
	s->fd_paths = o->fd_paths;
	s->stacks = o->stacks;
	s->all_calls = !o->set;
	if (o->ninject) {
		s->inject = malloc(o->ninject * sizeof(*s->inject));
		if (!s->inject) {
			trace_free(s);
			return wt_err_set(err, ENOMEM, "out of memory");
		}
		memcpy(s->inject, o->inject, o->ninject * sizeof(*s->inject));
		s->ninject = o->ninject;
	}
	/* injection is done at ptrace stops: AUTO means ptrace then */
	enum sc_backend want = o->ninject ? SC_BACKEND_PTRACE : o->backend;
	if (o->set)
		s->set = *o->set;
	else
		sc_set_all(&s->set);
	if (!o->argv) {
		s->pids = malloc(o->npids * sizeof(*s->pids));
		if (!s->pids) {
			trace_free(s);
			return wt_err_set(err, ENOMEM, "out of memory");
		}
		/* A pid given twice is traced once. */
		for (size_t i = 0; i < o->npids; i++) {
			size_t j = 0;
			while (j < s->npids && s->pids[j] != o->pids[i])
				j++;
			if (j == s->npids)
				s->pids[s->npids++] = o->pids[i];
		}
		int r = trace_pick(s, want, err);
		if (r < 0) {
			trace_free(s);
			return r;
		}
		*out = s;
		return 0;
	}

	/* inject with -f (whytop inject, run --inject): a seccomp filter, unless every call is
	 * logged */
	struct sock_fprog filter = {0, NULL};
	if (o->ninject && s->follow && o->set) {
		struct sc_set all = s->set;
		for (size_t i = 0; i < o->ninject; i++)
			for (size_t w = 0; w < sizeof(all.bits) / sizeof(all.bits[0]); w++)
				all.bits[w] |= o->inject[i].set.bits[w];
		int r = trace_seccomp_filter(&all, &filter, err);
		if (r < 0) {
			trace_free(s);
			return r;
		}
		s->seccomp = true;
	}
	int go[2], ex[2];
	pid_t child = trace_fork_program(o->argv, go, ex, s->seccomp ? &filter : NULL, err);
	free(filter.filter);
	if (child < 0) {
		trace_free(s);
		return child;
	}
	s->child = child;
	int r = trace_pick(s, want, err);
	if (r < 0) {
		kill(child, SIGKILL); /* it must not run untraced */
		close(go[1]);
		close(ex[0]);
		waitpid(child, NULL, 0);
		trace_free(s);
		return r;
	}
	/* Watched: let it exec; then learn whether the exec worked. */
	close(go[1]);
	int e = 0;
	ssize_t n;
	while ((n = read(ex[0], &e, sizeof(e))) < 0 && errno == EINTR)
		;
	close(ex[0]);
	if (n == (ssize_t)sizeof(e)) {
		char esc[128];
		wt_err_set(err, e, "cannot run '%s': %s",
			   wt_escape_to(esc, sizeof(esc), o->argv[0], strlen(o->argv[0]), 0),
			   strerror(e));
		s->be->close(s);
		/* Traced or not, it exits at once; reap it unless its tracer did. */
		waitpid(child, NULL, 0);
		trace_free(s);
		return -e;
	}
	*out = s;
	return 0;
}

int trace_fd(const struct trace_session *s)
{
	return s->be->fd(s);
}

int trace_drain(struct trace_session *s, trace_cb cb, void *ctx, struct wt_err *err)
{
	return s->be->drain(s, cb, ctx, err);
}

size_t trace_tasks(const struct trace_session *s, pid_t *out, size_t max)
{
	size_t n = 0;
	if (s->child) {
		if (max)
			out[n++] = s->child;
		return n;
	}
	for (size_t i = 0; i < s->npids && n < max; i++) {
		char path[64];
		DIR *d = NULL;
		if (s->follow) {
			snprintf(path, sizeof(path), "/proc/%d/task", (int)s->pids[i]);
			d = opendir(path);
		}
		if (!d) { /* without follow only the thread the pid names, as strace -p */
			out[n++] = s->pids[i];
			continue;
		}
		struct dirent *e;
		while ((e = readdir(d)) && n < max)
			if (e->d_name[0] >= '1' && e->d_name[0] <= '9')
				out[n++] = (pid_t)atoi(e->d_name);
		closedir(d);
	}
	return n;
}

int trace_alive(const struct trace_session *s, int *status)
{
	int alive = s->be->alive(s);
	if (s->child) {
		/*
		 * The program's status: the ptrace backend reaps it (whytop's
		 * tracer thread and its parent are one thread group) and notes
		 * it in the session itself; with the kernel backend whytop is only its
		 * parent and reaps it here. Never waitpid while ptrace traces it:
		 * that could take a tracer's stop away from the tracer thread.
		 */
		struct trace_session *m = (struct trace_session *)s; /* the header's const */
		if (s->be != &trace_backend_ptrace && !m->child_done) {
			int st;
			if (waitpid(s->child, &st, WNOHANG) == s->child) {
				m->child_status = st;
				m->child_done = true;
			}
		}
		if (__atomic_load_n(&s->child_done, __ATOMIC_ACQUIRE)) {
			if (status)
				*status = s->child_status;
		} else if (s->be != &trace_backend_ptrace) {
			alive = 1; /* the kernel backend may not have told its end yet */
		}
	}
	return alive;
}

const char *trace_backend_name(const struct trace_session *s)
{
	return s->be->name;
}

const char *trace_backend_note(const struct trace_session *s)
{
	return s->be == &trace_backend_ptrace && s->be_note[0] ? s->be_note : NULL;
}

void trace_close(struct trace_session *s)
{
	if (!s)
		return;
	s->be->close(s);
	/* A launched program that ended after the last drain: no zombie left behind. */
	if (s->child && !s->child_done)
		waitpid(s->child, NULL, WNOHANG);
	trace_free(s);
}

ssize_t trace_fd_link(pid_t tid, int fd, char *buf, size_t size)
{
	char path[64];
	if (fd == -100) /* AT_FDCWD: the working directory */
		snprintf(path, sizeof(path), "/proc/%d/cwd", (int)tid);
	else if (fd >= 0)
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)tid, fd);
	else
		return -EBADF;
	ssize_t n = readlink(path, buf, size);
	return n < 0 ? -errno : n;
}
