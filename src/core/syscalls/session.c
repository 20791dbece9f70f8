/*
 * session.c: a counting session: picks a backend (in-kernel when it can,
 * ptrace otherwise or on request) and hands out its cumulative counters.
 * Also the small shared pieces of struct sc_sample and the ABI labels.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <whytop/proc.h>
#include <whytop/sysnames.h>

#include "sc_internal.h"

const char *sc_abi_label(enum sc_abi abi)
{
	switch (abi) {
	case SC_ABI_X86_64:
		return "x86_64";
	case SC_ABI_I386:
		return "i386";
	case SC_ABI_X32:
		return "x32";
	default:
		return "abi?";
	}
}

uint32_t sc_abi_arch(enum sc_abi abi)
{
	switch (abi) {
	case SC_ABI_X86_64:
		return AUDIT_ARCH_X86_64;
	case SC_ABI_I386:
		return AUDIT_ARCH_I386;
	case SC_ABI_X32:
		return AUDIT_ARCH_X86_64; /* numbers without the x32 bit */
	default:
		return 0;
	}
}

enum sc_abi sc_abi_of(uint32_t audit_arch, long *nr)
{
	if (audit_arch == AUDIT_ARCH_I386)
		return SC_ABI_I386;
	if (audit_arch == AUDIT_ARCH_X86_64) {
		if (*nr >= 0 && (*nr & 0x40000000)) {
			*nr &= ~0x40000000L;
			return SC_ABI_X32;
		}
		return SC_ABI_X86_64;
	}
	return SC_ABI_UNKNOWN;
}

void sc_raw_add_errno(struct sc_raw *r, int err, uint64_t n)
{
	int free_i = -1, min_i = 0;
	for (int i = 0; i < SC_ERRNO_TOP; i++) {
		if (r->errno_calls[i] && r->errnos[i] == err) {
			r->errno_calls[i] += n;
			return;
		}
		if (!r->errno_calls[i] && free_i < 0)
			free_i = i;
		if (r->errno_calls[i] < r->errno_calls[min_i])
			min_i = i;
	}
	/* Full: the rarest errno makes room (the most frequent one is what we show). */
	int i = free_i >= 0 ? free_i : min_i;
	if (free_i < 0 && r->errno_calls[i] >= n)
		return;
	r->errnos[i] = (uint16_t)err;
	r->errno_calls[i] = n;
}

struct sc_sample *sc_sample_new(void)
{
	return calloc(1, sizeof(struct sc_sample));
}

void sc_sample_free(struct sc_sample *s)
{
	free(s);
}

/* A process to count: alive, and a process rather than one of its threads. */
static int check_pid(pid_t pid, struct wt_err *err)
{
	if (kill(pid, 0) < 0 && errno == ESRCH)
		return wt_err_set(err, ESRCH, "process %d is gone", (int)pid);
	/* A thread id is not a process: the kernel filter would match nothing. */
	pid_t tgid;
	if (proc_tgid_of(pid, &tgid) == 0 && tgid != pid)
		return wt_err_set(err, EINVAL,
				  "%d is a thread of process %ld; count it with PID %ld "
				  "and --thread %d",
				  (int)pid, (long)tgid, (long)tgid, (int)pid);
	return 0;
}

static void session_free(struct sc_session *s)
{
	free(s->pids);
	free(s->set);
	free(s);
}

int sc_session_open(struct sc_session **out, const struct sc_opts *o, struct wt_err *err)
{
	*out = NULL;
	size_t n = o->npids ? o->npids : 1;
	const pid_t *pids = o->npids ? o->pids : &o->pid;
	if (o->tid && n > 1)
		return wt_err_set(err, EINVAL,
				  "--thread names a thread of one process; "
				  "give one PID with it");
	if (o->tid && o->follow)
		return wt_err_set(err, EINVAL,
				  "--thread counts one thread: -f does not go with it");
	for (size_t i = 0; i < n; i++) {
		int r = check_pid(pids[i], err);
		if (r)
			return r;
		for (size_t j = 0; j < i; j++)
			if (pids[j] == pids[i])
				return wt_err_set(err, EINVAL, "process %d is given twice",
						  (int)pids[i]);
	}
	if (o->tid) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/task/%d", (int)pids[0], (int)o->tid);
		if (access(path, F_OK) < 0)
			return wt_err_set(err, ESRCH, "thread %d is not a thread of process %d",
					  (int)o->tid, (int)pids[0]);
	}
	struct sc_session *s = calloc(1, sizeof(*s));
	if (!s || !(s->pids = calloc(n, sizeof(*s->pids))) ||
	    (o->trace && !(s->set = malloc(sizeof(*s->set))))) {
		if (s)
			session_free(s);
		return wt_err_set(err, ENOMEM, "out of memory");
	}
	memcpy(s->pids, pids, n * sizeof(*pids));
	s->npids = n;
	if (o->trace)
		*s->set = *o->trace;
	s->opts = *o;
	s->opts.pid = s->pids[0];
	s->opts.pids = s->pids;
	s->opts.npids = n;
	s->opts.trace = s->set;
	s->t0_ns = wt_now_ns();
	int r;
	if (o->backend == SC_BACKEND_KERNEL) {
		s->kind = SC_BACKEND_KERNEL;
		r = sc_bpf_open(s, err);
	} else if (o->backend == SC_BACKEND_PTRACE) {
		s->kind = SC_BACKEND_PTRACE;
		r = sc_ptrace_open(s, err);
	} else {
		/* In the kernel when we may; the target is not slowed. */
		s->kind = SC_BACKEND_KERNEL;
		r = geteuid() == 0 ? sc_bpf_open(s, err)
				   : wt_err_set(err, EPERM, "in-kernel counting needs root");
		if (r) {
			snprintf(s->note, sizeof(s->note), "%s", err ? err->msg : "");
			wt_err_clear(err);
			s->kind = SC_BACKEND_PTRACE;
			r = sc_ptrace_open(s, err);
		}
	}
	if (r) {
		session_free(s);
		return r;
	}
	*out = s;
	return 0;
}

int sc_session_read(struct sc_session *s, struct sc_sample *out, struct wt_err *err)
{
	int r = s->ops->read(s, out, err);
	out->t_ns = wt_now_ns();
	return r;
}

enum sc_backend sc_session_backend(const struct sc_session *s)
{
	return s->kind;
}

const char *sc_session_backend_name(const struct sc_session *s)
{
	return s->name[0] ? s->name : s->ops->name;
}

void sc_session_cost(const struct sc_session *s, const struct sc_sample *now, char *buf,
		     size_t size)
{
	s->ops->cost(s, now, buf, size);
	size_t n = strlen(buf);
	if (s->note[0] && n + 40 < size)
		snprintf(buf + n, size - n, " (not in-kernel: %s)", s->note);
}

static int task_alive(pid_t pid, pid_t tid)
{
	char state;
	int r = proc_task_stat_read(pid, tid, &state, NULL);
	if (r < 0 && r != -EINVAL)
		return -ESRCH;
	if (r == 0 && (state == 'Z' || state == 'X'))
		return -ESRCH;
	return 0;
}

/*
 * The count goes on while a given process lives, and with -f while a child
 * it followed does (as strace -f -p goes on until every traced process has
 * ended); the backend knows the children.
 */
int sc_session_alive(const struct sc_session *s)
{
	for (size_t i = 0; i < s->npids; i++)
		if (task_alive(s->pids[i], s->opts.tid ? s->opts.tid : s->pids[i]) == 0)
			return 0;
	if (s->opts.follow && s->ops->alive && s->ops->alive(s))
		return 0;
	return -ESRCH;
}

void sc_session_close(struct sc_session *s)
{
	if (!s)
		return;
	s->ops->close(s);
	session_free(s);
}
