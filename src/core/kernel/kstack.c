/*
 * kstack.c: the kernel side of every thread of a process, from
 * /proc/PID/task/TID/{stat,wchan,stack,syscall}, and the parsers of those
 * files.
 *
 * The kernel guards these files differently: stat is for everyone, wchan
 * prints "0" unless the reader may ptrace the task, syscall needs ptrace
 * access, stack needs ptrace access *and* CAP_SYS_ADMIN. A refusal is
 * turned into a sentence naming what was refused and what would allow it,
 * never into an empty field.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <whytop/kernel.h>
#include <whytop/sysnames.h>

#define PF_KTHREAD_FLAG 0x00200000UL /* PF_KTHREAD in /proc/PID/stat's flags */
#define CAP_SYS_PTRACE_BIT 19
#define CAP_SYS_ADMIN_BIT 21

/* ---- parsers ---- */

static const char *skip_spaces(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static int parse_hex(const char *p, const char *end, uint64_t *out, const char **next)
{
	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	uint64_t v = 0;
	const char *start = p;
	while (p < end && isxdigit((unsigned char)*p)) {
		int d = isdigit((unsigned char)*p) ? *p - '0' : (tolower((unsigned char)*p) - 'a' + 10);
		if (p - start >= 16)
			return -EINVAL;
		v = v * 16 + (uint64_t)d;
		p++;
	}
	if (p == start)
		return -EINVAL;
	*out = v;
	*next = p;
	return 0;
}

static void parse_frame(const char *line, const char *end, struct kframe *f)
{
	const char *p = skip_spaces(line, end);
	/* "[<0>] " or "[<ffffffff81234567>] ": the address, hidden unless kptr_restrict allows. */
	if (p < end && *p == '[') {
		const char *close = memchr(p, ']', (size_t)(end - p));
		if (close)
			p = skip_spaces(close + 1, end);
	}
	const char *sym = p;
	while (p < end && *p != '+' && *p != ' ')
		p++;
	const char *symend = p;
	uint64_t off = 0, size = 0;
	if (p < end && *p == '+') {
		const char *q;
		if (parse_hex(p + 1, end, &off, &q) == 0) {
			p = q;
			if (p < end && *p == '/' && parse_hex(p + 1, end, &size, &q) == 0)
				p = q;
		}
	}
	p = skip_spaces(p, end);
	f->module = NULL;
	if (p < end && *p == '[') {
		/* The module ends the line: its ']' is the last one. */
		const char *close = memrchr(p, ']', (size_t)(end - p));
		if (close && close > p + 1)
			f->module = wt_escape(p + 1, (size_t)(close - p - 1), 0);
	}
	if (symend == sym) {
		/* Not "sym+off/size": keep the whole line, escaped, so nothing is lost. */
		f->func = wt_escape(line, (size_t)(end - line), 0);
		off = size = 0;
	} else {
		f->func = wt_escape(sym, (size_t)(symend - sym), 0);
	}
	f->offset = off;
	f->size = size;
}

int kstack_parse_stack(const char *text, size_t len, struct kframe **out, size_t *n)
{
	size_t cap = 0, cnt = 0;
	struct kframe *frames = NULL;
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		if (skip_spaces(p, le) < le) {
			if (cnt == cap) {
				size_t nc = cap ? cap * 2 : 16;
				struct kframe *nf = realloc(frames, nc * sizeof(*nf));
				if (!nf) {
					kframes_free(frames, cnt);
					return -ENOMEM;
				}
				frames = nf;
				cap = nc;
			}
			parse_frame(p, le, &frames[cnt]);
			if (!frames[cnt].func) {
				kframes_free(frames, cnt);
				return -ENOMEM;
			}
			cnt++;
		}
		p = nl ? nl + 1 : end;
	}
	*out = frames;
	*n = cnt;
	return 0;
}

void kframes_free(struct kframe *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(f[i].func);
		free(f[i].module);
	}
	free(f);
}

int kstack_parse_syscall(const char *text, struct ksyscall *sc)
{
	const char *end = text + strlen(text);
	while (end > text && isspace((unsigned char)end[-1]))
		end--;
	const char *p = skip_spaces(text, end);

	if ((size_t)(end - p) == 7 && memcmp(p, "running", 7) == 0) {
		sc->state = KSYS_RUNNING;
		return 0;
	}
	/* The number is decimal: "-1" (not in a syscall) or "0".."N". */
	const char *q = p;
	bool neg = false;
	if (q < end && *q == '-') {
		neg = true;
		q++;
	}
	long nr = 0;
	const char *digits = q;
	while (q < end && isdigit((unsigned char)*q)) {
		if (q - digits >= 9)
			return -EINVAL;
		nr = nr * 10 + (*q - '0');
		q++;
	}
	if (q == digits || (q < end && *q != ' '))
		return -EINVAL;
	if (neg)
		nr = -nr;
	if (nr < -1)
		return -EINVAL;

	uint64_t v[8];
	int want = nr == -1 ? 2 : 8, got = 0;
	while (got < want) {
		q = skip_spaces(q, end);
		if (q == end)
			return -EINVAL; /* truncated */
		const char *next;
		if (parse_hex(q, end, &v[got], &next) || (next < end && *next != ' '))
			return -EINVAL;
		q = next;
		got++;
	}
	if (skip_spaces(q, end) != end)
		return -EINVAL;
	if (nr == -1) {
		sc->state = KSYS_NONE;
		sc->nr = -1;
		sc->sp = v[0];
		sc->pc = v[1];
		return 0;
	}
	sc->state = KSYS_IN;
	sc->nr = nr;
	memcpy(sc->raw, v, sizeof(sc->raw));
	sc->sp = v[6];
	sc->pc = v[7];
	return 0;
}

int kstack_parse_stat(const char *text, size_t len, char *comm, size_t commsz, char *state,
		      unsigned long *flags, uint64_t *start_ticks)
{
	const char *end = text + len;
	const char *open = memchr(text, '(', len);
	const char *close = NULL;
	/* A comm may contain ')': the real end is the last one. */
	for (const char *p = end; p > text; p--)
		if (p[-1] == ')') {
			close = p - 1;
			break;
		}
	if (!open || !close || close < open)
		return -EINVAL;
	if (comm)
		wt_escape_to(comm, commsz, open + 1, (size_t)(close - open - 1), 0);
	const char *p = close + 1;
	/* Fields after comm: 3 state, 4 ppid, ... 9 flags, ... 22 starttime. */
	int field = 3;
	unsigned long fl = 0;
	uint64_t st = 0;
	bool have_flags = false, have_start = false;
	while (p < end && field <= 22) {
		p = skip_spaces(p, end);
		const char *tok = p;
		while (p < end && *p != ' ' && *p != '\n')
			p++;
		if (p == tok)
			break;
		if (field == 3) {
			if (p - tok != 1)
				return -EINVAL;
			*state = *tok;
		} else if (field == 9 || field == 22) {
			uint64_t v = 0;
			for (const char *d = tok; d < p; d++) {
				if (!isdigit((unsigned char)*d))
					return -EINVAL;
				v = v * 10 + (uint64_t)(*d - '0');
			}
			if (field == 9) {
				fl = (unsigned long)v;
				have_flags = true;
			} else {
				st = v;
				have_start = true;
			}
		}
		field++;
	}
	if (field <= 3)
		return -EINVAL;
	if (flags)
		*flags = have_flags ? fl : 0;
	if (start_ticks)
		*start_ticks = have_start ? st : 0;
	return have_flags && have_start ? 0 : -EINVAL;
}

int kstack_parse_switches(const char *text, uint64_t *out)
{
	static const char *keys[] = { "\nvoluntary_ctxt_switches:", "\nnonvoluntary_ctxt_switches:" };
	uint64_t sum = 0;
	for (size_t i = 0; i < WT_ARRAY_SIZE(keys); i++) {
		const char *p = strstr(text, keys[i]);
		if (!p)
			return -EINVAL;
		p += strlen(keys[i]);
		while (*p == ' ' || *p == '\t')
			p++;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		sum += strtoull(p, NULL, 10);
	}
	*out = sum;
	return 0;
}

const char *kstack_mm_frame(const struct kframe *f, size_t n)
{
	static const char *const mm_frames[] = {
		"exc_page_fault", "do_user_addr_fault", "handle_mm_fault", "__handle_mm_fault",
		"lock_mm_and_find_vma", "lock_vma_under_rcu", "vm_mmap_pgoff", "do_mmap",
		"__vm_munmap", "do_vmi_munmap", "__do_sys_brk", "__do_sys_mprotect",
		"do_mprotect_pkey", "do_madvise", "__mm_populate", "populate_vma_page_range",
		"get_user_pages_unlocked", "__get_user_pages", "mmap_read_lock_killable",
	};
	for (size_t i = 0; i < n; i++) {
		size_t len = strcspn(f[i].func, ".");
		for (size_t j = 0; j < WT_ARRAY_SIZE(mm_frames); j++)
			if (strlen(mm_frames[j]) == len && memcmp(mm_frames[j], f[i].func, len) == 0)
				return mm_frames[j];
	}
	return NULL;
}

char *kstack_clean_wchan(const char *text, size_t len)
{
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	if (len == 0 || (len == 1 && text[0] == '0'))
		return strdup("");
	return wt_escape(text, len, 0);
}

/* ---- who may read what ---- */

static bool have_cap(int bit)
{
	char buf[4096];
	if (wt_read_at(AT_FDCWD, "/proc/self/status", buf, sizeof(buf)) < 0)
		return false;
	const char *p = strstr(buf, "\nCapEff:");
	if (!p)
		return false;
	unsigned long long eff = strtoull(p + 8, NULL, 16);
	return (eff >> bit) & 1;
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
		return sentence("the kernel shows kernel stacks only to CAP_SYS_ADMIN (and a reader "
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

void kthread_clear(struct kthread *kt)
{
	free(kt->comm);
	free(kt->wchan);
	kframes_free(kt->frames, kt->nframes);
	ksys_clear(&kt->sc);
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

int kthread_read(int piddir, pid_t pid, pid_t tid, uid_t uid, bool is_kthread, uint32_t arch,
		 const struct kstack_opts *opts, struct kthread *kt)
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
	unsigned long flags;
	if (kstack_parse_stat(buf, (size_t)n, comm, sizeof(comm), &kt->state, &flags,
			      &kt->start_ticks))
		return -EINVAL;
	kt->comm = strdup(comm);
	kt->nswitches = UINT64_MAX;
	snprintf(path, sizeof(path), "task/%d/status", (int)tid);
	if (wt_read_at(piddir, path, buf, sizeof(buf)) > 0)
		kstack_parse_switches(buf, &kt->nswitches);

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
		} else if (kstack_parse_syscall(buf, &kt->sc)) {
			kt->sc.state = KSYS_UNKNOWN;
			kt->syscall_error = sentence("the kernel printed an unexpected syscall line "
						     "for thread %d", (int)tid);
		}
	}

	snprintf(path, sizeof(path), "task/%d/wchan", (int)tid);
	n = wt_read_at(piddir, path, buf, 256);
	if (n < 0) {
		kt->wchan_error = sentence("cannot read the wait channel of thread %d: %s",
					   (int)tid, strerror((int)-n));
	} else {
		kt->wchan = kstack_clean_wchan(buf, (size_t)n);
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
		rc = kstack_parse_stack(text, len, &kt->frames, &kt->nframes);
		free(text);
		if (rc < 0)
			return rc;
		if (kt->nframes == 0) {
			const char *why = state_phrase(kt->state);
			kt->stack_error = why ? sentence("no kernel stack: thread %d is %s", (int)tid, why)
					      : sentence("the kernel returned an empty stack for thread "
							 "%d (it was running, or exiting)", (int)tid);
		}
	}
	if (!(opts && opts->defer_decode)) {
		const char *mm = kstack_mm_frame(kt->frames, kt->nframes);
		char why[256];
		if (mm)
			snprintf(why, sizeof(why), "not read: thread %d is inside its memory map "
				 "(%s), reading its memory could hang", (int)tid, mm);
		ksys_decode_ex(&kt->sc, arch, opts && opts->no_decode ? 0 : pid, tid,
			       mm ? why : NULL);
	}
	return 0;
}

/* ---- a whole process ---- */

static int tid_cmp(const void *a, const void *b)
{
	pid_t x = ((const struct kthread *)a)->tid, y = ((const struct kthread *)b)->tid;
	return (x > y) - (x < y);
}

int kstack_read(pid_t pid, const struct kstack_opts *opts, struct kproc **out, struct wt_err *err)
{
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	int piddir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (piddir < 0)
		return wt_err_set(err, errno, "no process %d (it may have exited)", (int)pid);
	struct kproc *kp = calloc(1, sizeof(*kp));
	if (!kp) {
		close(piddir);
		return wt_err_set(err, ENOMEM, "out of memory");
	}
	kp->pid = pid;
	struct stat st;
	if (fstat(piddir, &st) == 0)
		kp->uid = st.st_uid;
	ssize_t n = wt_read_at(piddir, "stat", buf, sizeof(buf));
	char comm[64];
	unsigned long flags = 0;
	uint64_t start;
	char state;
	if (n < 0 || kstack_parse_stat(buf, (size_t)n, comm, sizeof(comm), &state, &flags, &start)) {
		close(piddir);
		kproc_free(kp);
		return wt_err_set(err, ESRCH, "no process %d (it may have exited)", (int)pid);
	}
	kp->comm = strdup(comm);
	kp->is_kthread = (flags & PF_KTHREAD_FLAG) != 0;
	kp->arch = kp->is_kthread ? sysname_native_arch() : sysname_arch_of_pid(pid);

	int tfd = openat(piddir, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = tfd >= 0 ? fdopendir(tfd) : NULL;
	if (!d) {
		if (tfd >= 0)
			close(tfd);
		close(piddir);
		kproc_free(kp);
		return wt_err_set(err, ESRCH, "no process %d (it may have exited)", (int)pid);
	}
	/* Decode after every thread is read: any one in its memory map makes memory reads unsafe. */
	struct kstack_opts topts = { 0 };
	if (opts)
		topts = *opts;
	topts.defer_decode = true;
	size_t cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		long tid;
		if (wt_parse_long(de->d_name, 1, 0x7fffffff, &tid))
			continue;
		if (opts && opts->only_tid && opts->only_tid != tid)
			continue;
		if (kp->nthreads == cap) {
			size_t nc = cap ? cap * 2 : 8;
			struct kthread *nt = realloc(kp->threads, nc * sizeof(*nt));
			if (!nt)
				break;
			kp->threads = nt;
			cap = nc;
		}
		struct kthread *kt = &kp->threads[kp->nthreads];
		if (kthread_read(piddir, pid, (pid_t)tid, kp->uid, kp->is_kthread, kp->arch, &topts,
				 kt) == 0)
			kp->nthreads++;
		else
			kthread_clear(kt); /* exited meanwhile */
	}
	closedir(d);
	close(piddir);
	if (kp->nthreads == 0) {
		kproc_free(kp);
		if (opts && opts->only_tid)
			return wt_err_set(err, ESRCH, "process %d has no thread %d", (int)pid,
					  (int)opts->only_tid);
		return wt_err_set(err, ESRCH, "no process %d (it may have exited)", (int)pid);
	}
	qsort(kp->threads, kp->nthreads, sizeof(*kp->threads), tid_cmp);
	char why[256] = "";
	for (size_t i = 0; i < kp->nthreads && !why[0]; i++) {
		const char *mm = kstack_mm_frame(kp->threads[i].frames, kp->threads[i].nframes);
		if (mm)
			snprintf(why, sizeof(why), "not read: thread %d of this process is inside its "
				 "memory map (%s), reading its memory could hang",
				 (int)kp->threads[i].tid, mm);
	}
	bool no_decode = opts && opts->no_decode;
	if (!(opts && opts->defer_decode))
		for (size_t i = 0; i < kp->nthreads; i++)
			ksys_decode_ex(&kp->threads[i].sc, kp->arch, no_decode ? 0 : pid,
				       kp->threads[i].tid, why[0] ? why : NULL);
	*out = kp;
	return 0;
}

void kproc_free(struct kproc *kp)
{
	if (!kp)
		return;
	for (size_t i = 0; i < kp->nthreads; i++)
		kthread_clear(&kp->threads[i]);
	free(kp->threads);
	free(kp->comm);
	free(kp);
}
