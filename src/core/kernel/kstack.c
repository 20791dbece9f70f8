/*
 * kstack.c: the kernel side of every thread of a process, from
 * /proc/PID/task/TID/{stat,status,wchan,stack,syscall} (stat and status parsed
 * by proc's parsers, core/proc/parse.h; the rest by kparse.c).
 *
 * The kernel guards these files differently: stat is for everyone, wchan
 * prints "0" unless the reader may ptrace the task, syscall needs ptrace
 * access, stack needs ptrace access *and* CAP_SYS_ADMIN. A refusal is
 * turned into a sentence naming what was refused and what would allow it,
 * never into an empty field.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <whytop/kernel.h>
#include <whytop/sysnames.h>
#include "core/proc/parse.h"

#define CAP_SYS_PTRACE_BIT 19
#define CAP_SYS_ADMIN_BIT 21

/* ---- who may read what ---- */

static bool have_cap(int bit)
{
	struct proc_status st;
	if (proc_status_read(0, &st) < 0)
		return false;
	return (st.cap_eff >> bit) & 1;
}

static void user_name(uid_t uid, char *out, size_t outsz)
{
	struct passwd pw, *res = NULL;
	char buf[1024];
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res)
		wt_escape_to(out, outsz, res->pw_name, strlen(res->pw_name), 0);
	else
		snprintf(out, outsz, "%u", (unsigned)uid);
}

static char *sentence(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *sentence(const char *fmt, ...)
{
	struct wt_err e;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
	va_end(ap);
	return strdup(e.msg);
}

static char *stack_refusal(pid_t tid, uid_t uid, int code)
{
	if (code == ENOENT || code == ESRCH)
		return sentence("thread %d exited while its stack was being read", (int)tid);
	if (code != EACCES && code != EPERM)
		return sentence("cannot read /proc/%d/stack: %s", (int)tid, strerror(code));
	if (!have_cap(CAP_SYS_ADMIN_BIT))
		return sentence(
		    "the kernel shows kernel stacks only to CAP_SYS_ADMIN (and a reader "
		    "allowed to ptrace the task); run whytop as root to see where "
		    "thread %d waits",
		    (int)tid);
	char who[64];
	user_name(uid, who, sizeof(who));
	return sentence("the kernel refused the stack of thread %d (user %s) although whytop has "
			"CAP_SYS_ADMIN: ptrace access is denied (a Yama or LSM policy, or another "
			"user namespace); run whytop as root in the task's namespace",
			(int)tid, who);
}

static char *syscall_refusal(pid_t tid, uid_t uid, int code)
{
	if (code == ENOENT || code == ESRCH)
		return sentence("thread %d exited while its system call was being read", (int)tid);
	if (code != EACCES && code != EPERM)
		return sentence("cannot read /proc/%d/syscall: %s", (int)tid, strerror(code));
	char who[64];
	user_name(uid, who, sizeof(who));
	if (uid != geteuid() && !have_cap(CAP_SYS_PTRACE_BIT))
		return sentence("thread %d belongs to user %s: the kernel shows the system call "
				"only to a reader allowed to ptrace it; run whytop as that user "
				"or as root (CAP_SYS_PTRACE)",
				(int)tid, who);
	return sentence("the kernel refused ptrace access to thread %d (user %s): it may be "
			"non-dumpable (setuid), protected by Yama or an LSM, or in another user "
			"namespace; run whytop as root in the task's namespace",
			(int)tid, who);
}

/* ---- reading one thread ---- */

void kernel_thread_clear(struct kernel_thread *kt)
{
	free(kt->comm);
	free(kt->wchan);
	kernel_frames_free(kt->frames, kt->nframes);
	kernel_sys_clear(&kt->sc);
	free(kt->wchan_error);
	free(kt->stack_error);
	free(kt->syscall_error);
	memset(kt, 0, sizeof(*kt));
}

static const char *state_phrase(char s)
{
	switch (s) {
	case 'Z': return "a zombie: it has exited and its parent has not reaped it";
	case 'X': return "dead";
	default: return NULL;
	}
}

int kernel_thread_read(int piddir, pid_t pid, pid_t tid, uid_t uid, bool is_kthread, uint32_t arch,
		       const struct kernel_stack_opts *opts, struct kernel_thread *kt)
{
	char path[64], buf[4096];
	memset(kt, 0, sizeof(*kt));
	kt->tid = tid;
	kt->sc.nr = -1;

	snprintf(path, sizeof(path), "task/%d/stat", (int)tid);
	ssize_t n = wt_read_at(piddir, path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	char comm[64];
	struct proc_stat_raw ps;
	if (proc_parse_stat(buf, (size_t)n, &ps))
		return -EINVAL;
	wt_escape_to(comm, sizeof(comm), ps.comm, ps.comm_len, 0);
	kt->state = ps.state;
	kt->start_ticks = ps.starttime;
	kt->comm = strdup(comm);
	kt->nswitches = UINT64_MAX;
	snprintf(path, sizeof(path), "task/%d/status", (int)tid);
	if (wt_read_at(piddir, path, buf, sizeof(buf)) > 0)
		kernel_stack_parse_switches(buf, &kt->nswitches);

	/* syscall first: whether it is refused tells how to read a "0" wchan. */
	bool ptrace_refused = false;
	if (is_kthread) {
		/* The kernel prints zeros for a kernel thread; "read(0, ...)" would be a lie. */
		kt->sc.state = KSYS_KTHREAD;
	} else {
		snprintf(path, sizeof(path), "task/%d/syscall", (int)tid);
		n = wt_read_at(piddir, path, buf, sizeof(buf));
		if (n < 0) {
			kt->sc.state = KSYS_UNKNOWN;
			kt->syscall_error = syscall_refusal(tid, uid, (int)-n);
			ptrace_refused = n == -EACCES || n == -EPERM;
		} else if (kernel_stack_parse_syscall(buf, &kt->sc)) {
			kt->sc.state = KSYS_UNKNOWN;
			kt->syscall_error =
			    sentence("the kernel printed an unexpected syscall line "
				     "for thread %d",
				     (int)tid);
		}
		/* A zombie's registers are those of its last kernel entry, not a live call. */
		if ((kt->state == 'Z' || kt->state == 'X') && kt->sc.state != KSYS_UNKNOWN)
			kt->sc.state = KSYS_EXITED;
	}

	snprintf(path, sizeof(path), "task/%d/wchan", (int)tid);
	n = wt_read_at(piddir, path, buf, 256);
	if (n < 0) {
		kt->wchan_error = sentence("cannot read the wait channel of thread %d: %s",
					   (int)tid, strerror((int)-n));
	} else {
		kt->wchan = kernel_stack_clean_wchan(buf, (size_t)n);
		/* "0" for a sleeping task we may not ptrace means hidden, not "not waiting". */
		if (!kt->wchan[0] && ptrace_refused && (kt->state == 'S' || kt->state == 'D')) {
			free(kt->wchan);
			kt->wchan = NULL;
			kt->wchan_error = sentence("the kernel hides the wait channel of a task "
						   "whytop may not ptrace; run whytop as the "
						   "task's user or as root");
		}
	}

	snprintf(path, sizeof(path), "task/%d/stack", (int)tid);
	char *text = NULL;
	size_t len = 0;
	int rc = wt_read_all_at(piddir, path, &text, &len);
	if (rc < 0) {
		kt->stack_error = stack_refusal(tid, uid, -rc);
	} else {
		rc = kernel_stack_parse_stack(text, len, &kt->frames, &kt->nframes);
		free(text);
		if (rc < 0)
			return rc;
		if (kt->nframes == 0) {
			const char *why = state_phrase(kt->state);
			kt->stack_error =
			    why ? sentence("no kernel stack: thread %d is %s", (int)tid, why)
				: sentence("the kernel returned an empty stack for thread "
					   "%d (it was running, or exiting)",
					   (int)tid);
		}
	}
	if (!(opts && opts->defer_decode)) {
		const char *mm = kernel_stack_mm_frame(kt->frames, kt->nframes);
		char why[256];
		if (mm)
			snprintf(why, sizeof(why), "not read: thread %d is inside its memory map "
				 "(%s), reading its memory could hang", (int)tid, mm);
		kernel_sys_decode_ex(&kt->sc, arch, opts && opts->no_decode ? 0 : pid, tid,
				     mm ? why : NULL);
	}
	return 0;
}

/* ---- a process /proc does not show ---- */

bool kernel_stack_proc_hidepid(char *opt, size_t optsz)
{
	char *text = NULL;
	size_t len;
	bool hidden = false;
	if (wt_read_all_at(AT_FDCWD, "/proc/self/mountinfo", &text, &len) < 0)
		return false;
	/* The last mount on /proc is the one in use (mounts can stack). */
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char mnt[64];
		if (sscanf(line, "%*s %*s %*s %*s %63s", mnt) != 1 || strcmp(mnt, "/proc") != 0)
			continue;
		const char *h = strstr(line, "hidepid=");
		hidden = false;
		if (h) {
			char v[32];
			size_t n = strcspn(h + 8, ", ");
			snprintf(v, sizeof(v), "%.*s", (int)(n < sizeof(v) ? n : sizeof(v) - 1),
				 h + 8);
			hidden = strcmp(v, "0") != 0 && strcmp(v, "off") != 0;
			if (opt)
				snprintf(opt, optsz, "hidepid=%s", v);
		}
	}
	free(text);
	return hidden;
}

/* The process exists (kill says so) but its /proc entry cannot be read. */
static int proc_gone_or_hidden(pid_t pid, struct wt_err *err)
{
	char opt[48];
	if (kill(pid, 0) == 0 || errno == EPERM) {
		if (kernel_stack_proc_hidepid(opt, sizeof(opt)))
			return wt_err_set(
			    err, EACCES,
			    "process %d exists but /proc hides it (mounted with %s); run "
			    "whytop as root or as the process's user",
			    (int)pid, opt);
		return wt_err_set(
		    err, EACCES,
		    "process %d exists but its /proc entry cannot be read; run whytop "
		    "as root or as the process's user",
		    (int)pid);
	}
	return wt_err_set(err, ESRCH, "no process %d (it may have exited)", (int)pid);
}

/* ---- a whole process ---- */

static void mm_why(char *why, size_t whysz, pid_t tid, const char *frame)
{
	snprintf(why, whysz,
		 "not read: thread %d of this process is inside its memory map (%s), reading its "
		 "memory could hang",
		 (int)tid, frame);
}

/* Is thread tid (not otherwise read) inside the memory map? Fills why if so. */
static void mm_busy_thread(int piddir, pid_t tid, char *why, size_t whysz)
{
	why[0] = '\0';
	char path[64], *text = NULL;
	size_t len;
	struct kernel_frame *f;
	size_t n;
	snprintf(path, sizeof(path), "task/%d/stack", (int)tid);
	if (wt_read_all_at(piddir, path, &text, &len) < 0)
		return;
	if (kernel_stack_parse_stack(text, len, &f, &n) == 0) {
		const char *mm = kernel_stack_mm_frame(f, n);
		if (mm)
			mm_why(why, whysz, tid, mm);
		kernel_frames_free(f, n);
	}
	free(text);
}

bool kernel_stack_mm_busy(int piddir, char *why, size_t whysz)
{
	why[0] = '\0';
	pid_t *tids;
	size_t n;
	if (proc_threads_at(piddir, &tids, &n) < 0)
		return false;
	for (size_t i = 0; i < n && !why[0]; i++)
		mm_busy_thread(piddir, tids[i], why, whysz);
	free(tids);
	return why[0] != '\0';
}

static int tid_cmp(const void *a, const void *b)
{
	pid_t x = ((const struct kernel_thread *)a)->tid,
	      y = ((const struct kernel_thread *)b)->tid;
	return (x > y) - (x < y);
}

int kernel_stack_read(pid_t pid, const struct kernel_stack_opts *opts, struct kernel_proc **out,
		      struct wt_err *err)
{
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	int piddir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (piddir < 0)
		return proc_gone_or_hidden(pid, err);
	struct kernel_proc *kp = calloc(1, sizeof(*kp));
	if (!kp) {
		close(piddir);
		return wt_err_set(err, ENOMEM, "out of memory");
	}
	kp->pid = pid;
	struct stat st;
	if (fstat(piddir, &st) == 0)
		kp->uid = st.st_uid;
	/*
	 * /proc/TID works for any thread, and lists the whole process's tasks:
	 * asked about a thread, show that thread, under its process's pid.
	 */
	struct kernel_stack_opts topts = {0};
	if (opts)
		topts = *opts;
	struct proc_status pst;
	ssize_t sn = wt_read_at(piddir, "status", buf, sizeof(buf));
	if (sn > 0 && proc_parse_status(buf, (size_t)sn, &pst) == 0) {
		pid_t tgid = pst.tgid;
		if (tgid > 0 && tgid != pid) {
			kp->pid = (pid_t)tgid;
			if (!topts.only_tid)
				topts.only_tid = pid;
		}
	}
	ssize_t n = wt_read_at(piddir, "stat", buf, sizeof(buf));
	char comm[64];
	struct proc_stat_raw ps;
	if (n < 0 || proc_parse_stat(buf, (size_t)n, &ps)) {
		close(piddir);
		kernel_proc_free(kp);
		return proc_gone_or_hidden(pid, err);
	}
	wt_escape_to(comm, sizeof(comm), ps.comm, ps.comm_len, 0);
	kp->comm = strdup(comm);
	kp->is_kthread = (ps.flags & PROC_PF_KTHREAD) != 0;
	kp->arch = kp->is_kthread ? sysname_native_arch() : sysname_arch_of_pid(pid);

	pid_t *tids;
	size_t ntids;
	if (proc_threads_at(piddir, &tids, &ntids) < 0) {
		close(piddir);
		kernel_proc_free(kp);
		return proc_gone_or_hidden(pid, err);
	}
	/* Decode once every thread is read: any one in its memory map makes memory reads unsafe. */
	topts.defer_decode = true;
	char why[256] = "";
	size_t cap = 0;
	for (size_t i = 0; i < ntids; i++) {
		pid_t tid = tids[i];
		if (topts.only_tid && topts.only_tid != tid) {
			/* Not shown, but its memory-map state decides whether memory is read. */
			if (!why[0] && !topts.no_decode)
				mm_busy_thread(piddir, tid, why, sizeof(why));
			continue;
		}
		if (kp->nthreads == cap) {
			size_t nc = cap ? cap * 2 : 8;
			struct kernel_thread *nt = realloc(kp->threads, nc * sizeof(*nt));
			if (!nt)
				break;
			kp->threads = nt;
			cap = nc;
		}
		struct kernel_thread *kt = &kp->threads[kp->nthreads];
		if (kernel_thread_read(piddir, pid, tid, kp->uid, kp->is_kthread, kp->arch, &topts,
				       kt) == 0)
			kp->nthreads++;
		else
			kernel_thread_clear(kt); /* exited meanwhile */
	}
	free(tids);
	close(piddir);
	if (kp->nthreads == 0) {
		pid_t tgid = kp->pid;
		kernel_proc_free(kp);
		if (topts.only_tid)
			return wt_err_set(err, ESRCH, "process %d has no thread %d", (int)tgid,
					  (int)topts.only_tid);
		return proc_gone_or_hidden(pid, err);
	}
	qsort(kp->threads, kp->nthreads, sizeof(*kp->threads), tid_cmp);
	for (size_t i = 0; i < kp->nthreads && !why[0]; i++) {
		const char *mm =
		    kernel_stack_mm_frame(kp->threads[i].frames, kp->threads[i].nframes);
		if (mm)
			mm_why(why, sizeof(why), kp->threads[i].tid, mm);
	}
	bool no_decode = opts && opts->no_decode;
	if (!(opts && opts->defer_decode))
		for (size_t i = 0; i < kp->nthreads; i++)
			kernel_sys_decode_ex(&kp->threads[i].sc, kp->arch, no_decode ? 0 : pid,
					     kp->threads[i].tid, why[0] ? why : NULL);
	*out = kp;
	return 0;
}

void kernel_proc_free(struct kernel_proc *kp)
{
	if (!kp)
		return;
	for (size_t i = 0; i < kp->nthreads; i++)
		kernel_thread_clear(&kp->threads[i]);
	free(kp->threads);
	free(kp->comm);
	free(kp);
}
