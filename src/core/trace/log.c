/*
 * log.c: the writer of `whytop trace`: records in (struct trace_rec), the
 * lines strace prints out, in strace's layout (src/strace.c printleader,
 * tabto, print_event_exit; src/syscall.c print_syscall_resume):
 *
 *   [pid  1234] 12:00:01.000001 read(3, "abc", 4096)   = 3 <0.000012>
 *
 * A call's entry is printed when it comes, as strace does, and left open;
 * its exit completes the line. When anything else is printed first (another
 * thread's call, a signal), the open line ends with " <unfinished ...>" and
 * the exit later prints "<... read resumed>" and the rest. The result is
 * padded to column 40 (strace's -a default). With -z/-Z an entry waits for
 * its exit and the whole line is printed, or not, once the result is known.
 *
 * The decoder (sysdecode_format) gives the text; the writer adds the
 * layout: prefix, timestamps, unfinished/resumed, padding, -T, signal, exit
 * and lost-event lines. With -k an entry's stack (trace_rec.stack) is kept
 * as text and printed, one " > " line a frame as strace -k does, right
 * after the line that ends the call's first part: the whole call's line,
 * or its "<unfinished ...>" line. Everything it prints is either the decoder's
 * (already escaped) text or made here from numbers and fixed names.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include <whytop/sysnames.h>
#include <whytop/trace.h>

/* strace's default -a: the column where " = result" starts. */
#define TRACE_LOG_ACOLUMN 40

/* A task in a call: its entry seen, its exit not yet. */
struct tl_call {
	pid_t tid;
	uint32_t arch;
	long nr;
	uint64_t t_entry_ns;
	struct wt_buf entry; /* the entry's text (kept only with -z/-Z) */
	struct wt_buf stack; /* -k: the entry's frames as lines, until printed */
};

struct trace_log {
	struct trace_log_opts o;
	FILE *out;
	pid_t open_tid; /* whose entry is the current, unfinished line (0: none) */
	size_t col;	/* bytes on the current line */
	struct tl_call *calls;
	size_t ncalls, cap;
	/* pid_prefix_live: the tasks alive as far as the records tell (strace's nprocs) */
	pid_t *live;
	size_t nlive, caplive;
	struct wt_buf tmp;
};

struct trace_log *trace_log_new(const struct trace_log_opts *o, FILE *out)
{
	struct trace_log *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->o = *o;
	l->out = out;
	wt_buf_init(&l->tmp);
	return l;
}

void trace_log_free(struct trace_log *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->ncalls; i++) {
		wt_buf_free(&l->calls[i].entry);
		wt_buf_free(&l->calls[i].stack);
	}
	free(l->calls);
	free(l->live);
	wt_buf_free(&l->tmp);
	free(l);
}

static bool tl_filtering(const struct trace_log *l)
{
	return l->o.only_ok || l->o.only_fail;
}

static struct tl_call *tl_find(struct trace_log *l, pid_t tid)
{
	for (size_t i = 0; i < l->ncalls; i++)
		if (l->calls[i].tid == tid)
			return &l->calls[i];
	return NULL;
}

static struct tl_call *tl_get(struct trace_log *l, pid_t tid)
{
	struct tl_call *c = tl_find(l, tid);
	if (c)
		return c;
	if (l->ncalls == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct tl_call *n = realloc(l->calls, cap * sizeof(*n));
		if (!n)
			return NULL;
		l->calls = n;
		l->cap = cap;
	}
	c = &l->calls[l->ncalls++];
	memset(c, 0, sizeof(*c));
	c->tid = tid;
	wt_buf_init(&c->entry);
	wt_buf_init(&c->stack);
	return c;
}

static void tl_drop(struct trace_log *l, struct tl_call *c)
{
	wt_buf_free(&c->entry);
	wt_buf_free(&c->stack);
	*c = l->calls[--l->ncalls];
}

static void tl_put(struct trace_log *l, const char *s, size_t n)
{
	fwrite_unlocked(s, 1, n, l->out); /* one thread writes a log */
	l->col += n;
}

static void tl_puts(struct trace_log *l, const char *s)
{
	tl_put(l, s, strlen(s));
}

static void tl_newline(struct trace_log *l)
{
	fputc_unlocked('\n', l->out);
	l->col = 0;
}

/*
 * -k: one frame a line, strace -k's " > module(function+0x1f) [0xpc]",
 * then what whytop stack adds: file:line, [inline] for an inlined call
 * (its function and line; the pc is the physical frame's). Names are the
 * symbolizer's, escaped already.
 */
void trace_log_stack_text(struct wt_buf *b, const struct stack_thread *st)
{
	for (size_t i = 0; i < st->nframes; i++) {
		const struct stack_frame *f = &st->frames[i];
		wt_buf_printf(b, " > %s(", f->module ? f->module : "?");
		if (f->function)
			wt_buf_printf(b, "%s+0x%" PRIx64, f->function, f->offset);
		else
			wt_buf_puts(b, "??");
		wt_buf_printf(b, ") [0x%" PRIx64 "]", f->pc);
		if (f->file && f->line > 0)
			wt_buf_printf(b, " %s:%d", f->file, f->line);
		if (f->flags & STACK_FRAME_INLINE)
			wt_buf_puts(b, " [inline]");
		wt_buf_puts(b, "\n");
	}
	if (st->error)
		wt_buf_printf(b, " > (%s)\n", st->error);
}

/* -k: the stack kept for c, printed once after its first line. */
static void tl_stack_out(struct trace_log *l, struct tl_call *c)
{
	if (!c || !c->stack.len)
		return;
	fwrite(c->stack.data, 1, c->stack.len, l->out);
	c->stack.len = 0;
}

/* The open line (some task's entry) ends here: it is interrupted. */
static void tl_end_open(struct trace_log *l)
{
	if (!l->open_tid)
		return;
	tl_puts(l, " <unfinished ...>");
	tl_newline(l);
	tl_stack_out(l, tl_find(l, l->open_tid));
	l->open_tid = 0;
}

/* -t, -tt, -ttt as strace prints them, local time. */
static void tl_time(struct trace_log *l, uint64_t t_ns)
{
	char s[64], hms[32];
	time_t sec = (time_t)(t_ns / 1000000000ull);
	unsigned long us = (unsigned long)(t_ns % 1000000000ull / 1000);
	struct tm tm;
	if (l->o.ts == TRACE_TS_NONE)
		return;
	if (l->o.ts == TRACE_TS_EPOCH) {
		snprintf(s, sizeof(s), "%lld.%06lu ", (long long)sec, us);
	} else {
		if (localtime_r(&sec, &tm))
			strftime(hms, sizeof(hms), "%T", &tm);
		else
			snprintf(hms, sizeof(hms), "%lld", (long long)sec);
		if (l->o.ts == TRACE_TS_USEC)
			snprintf(s, sizeof(s), "%s.%06lu ", hms, us);
		else
			snprintf(s, sizeof(s), "%s ", hms);
	}
	tl_puts(l, s);
}

/* strace's printleader: end the open line, then "[pid N] " and the time. */
static void tl_leader(struct trace_log *l, pid_t tid, uint64_t t_ns)
{
	char s[32];
	tl_end_open(l);
	l->col = 0;
	if (l->o.pid_column && tid) {
		snprintf(s, sizeof(s), "%-5d ", (int)tid);
		tl_puts(l, s);
	} else if ((l->o.pid_prefix || (l->o.pid_prefix_live && l->nlive > 1)) && tid) {
		snprintf(s, sizeof(s), "[pid %5d] ", (int)tid);
		tl_puts(l, s);
	}
	tl_time(l, t_ns);
}

size_t trace_log_result_at(const char *s)
{
	bool quoted = false;
	for (size_t i = 0; s[i]; i++) {
		if (quoted) {
			if (s[i] == '\\' && s[i + 1])
				i++;
			else if (s[i] == '"')
				quoted = false;
		} else if (s[i] == '"') {
			quoted = true;
		} else if (strncmp(s + i, ") = ", 4) == 0) {
			return i + 1;
		}
	}
	return (size_t)-1;
}

/*
 * The end of a call's line: text is the exit's part ("4096) = 3"); the
 * result goes to column 40 as strace's tabto puts it, then -T, then the
 * line ends.
 */
static void tl_finish(struct trace_log *l, const char *text, bool timed, uint64_t dt_ns,
		      unsigned injected)
{
	size_t at = trace_log_result_at(text);
	if (at == (size_t)-1) {
		tl_puts(l, text);
	} else {
		tl_put(l, text, at); /* up to and with ')' */
		tl_puts(l, " ");
		while (l->col < TRACE_LOG_ACOLUMN)
			tl_puts(l, " ");
		tl_puts(l, text + at + 1); /* "= ..." */
	}
	/* fault injection, as strace marks it */
	if (injected & TRACE_INJ_TAMPERED)
		tl_puts(l, " (INJECTED)");
	if (injected & TRACE_INJ_DELAYED)
		tl_puts(l, " (DELAYED)");
	if (l->o.show_time && timed) {
		char s[48];
		snprintf(s, sizeof(s), " <%" PRIu64 ".%06" PRIu64 ">",
			 (uint64_t)(dt_ns / 1000000000ull),
			 (uint64_t)(dt_ns % 1000000000ull / 1000));
		tl_puts(l, s);
	}
	tl_newline(l);
}

static void tl_resumed(struct trace_log *l, uint32_t arch, long nr)
{
	char nbuf[48];
	tl_puts(l, "<... ");
	tl_puts(l, sysname(arch, nr, nbuf, sizeof(nbuf)));
	tl_puts(l, " resumed>");
}

static bool tl_failed(int64_t ret)
{
	return ret < 0 && ret >= -4095;
}

static void tl_entry(struct trace_log *l, const struct trace_rec *r)
{
	const struct scev *ev = &r->sc;
	struct tl_call *c = tl_get(l, r->tid);
	if (!c)
		return;
	c->arch = ev->arch;
	c->nr = ev->nr;
	c->t_entry_ns = ev->t_entry_ns ? ev->t_entry_ns : r->t_ns;
	c->entry.len = 0;
	if (c->entry.data)
		c->entry.data[0] = '\0';
	c->stack.len = 0;
	if (r->stack)
		trace_log_stack_text(&c->stack, r->stack);
	if (tl_filtering(l)) {
		/* printed, or not, with its result */
		sysdecode_format(ev, SCEV_ENTRY, &l->o.dec, &c->entry);
		return;
	}
	l->tmp.len = 0;
	sysdecode_format(ev, SCEV_ENTRY, &l->o.dec, &l->tmp);
	tl_leader(l, r->tid, c->t_entry_ns);
	tl_put(l, l->tmp.data ? l->tmp.data : "", l->tmp.len);
	l->open_tid = r->tid;
}

static void tl_exit(struct trace_log *l, const struct trace_rec *r)
{
	const struct scev *ev = &r->sc;
	struct tl_call *c = tl_find(l, r->tid);
	uint64_t t_exit = ev->t_exit_ns ? ev->t_exit_ns : r->t_ns;
	if (c && (c->arch != ev->arch || c->nr != ev->nr)) {
		/* not this call's entry (an exit lost): that one never ends here */
		if (l->open_tid == r->tid)
			tl_end_open(l);
		tl_drop(l, c);
		c = NULL;
	}
	if (tl_filtering(l)) {
		bool failed = tl_failed(ev->ret);
		if (failed ? !l->o.only_fail : !l->o.only_ok) {
			if (c)
				tl_drop(l, c);
			return;
		}
	}
	l->tmp.len = 0;
	if (l->tmp.data)
		l->tmp.data[0] = '\0';
	sysdecode_format(ev, SCEV_EXIT, &l->o.dec, &l->tmp);
	if (c && tl_filtering(l)) {
		tl_leader(l, r->tid, c->t_entry_ns);
		tl_put(l, c->entry.data ? c->entry.data : "", c->entry.len);
	} else if (!c || l->open_tid != r->tid) {
		tl_leader(l, r->tid, t_exit);
		tl_resumed(l, ev->arch, ev->nr);
	}
	l->open_tid = 0;
	bool timed = c && t_exit >= c->t_entry_ns;
	uint64_t dt = timed ? t_exit - c->t_entry_ns : 0;
	tl_finish(l, l->tmp.data ? l->tmp.data : "", timed, dt, r->injected);
	if (c) {
		tl_stack_out(l, c);
		tl_drop(l, c);
	}
}

static void tl_syscall(struct trace_log *l, const struct trace_rec *r)
{
	if (r->sc.part & SCEV_ENTRY)
		tl_entry(l, r);
	if (r->sc.part & SCEV_EXIT)
		tl_exit(l, r);
}

/* ---- signals: strace's printsiginfo ---- */

static void tl_signame(struct wt_buf *b, int sig)
{
	const char *n = sysdecode_signal_name(sig);
	if (n)
		wt_buf_puts(b, n);
	else
		wt_buf_printf(b, "%d", sig);
}

static const char *tl_code_any(int code)
{
	switch (code) {
	case SI_USER:
		return "SI_USER";
	case SI_KERNEL:
		return "SI_KERNEL";
	case SI_QUEUE:
		return "SI_QUEUE";
	case SI_TIMER:
		return "SI_TIMER";
	case SI_MESGQ:
		return "SI_MESGQ";
	case SI_ASYNCIO:
		return "SI_ASYNCIO";
	case SI_SIGIO:
		return "SI_SIGIO";
	case SI_TKILL:
		return "SI_TKILL";
	case SI_DETHREAD:
		return "SI_DETHREAD";
	case SI_ASYNCNL:
		return "SI_ASYNCNL";
	default:
		return NULL;
	}
}

/* The signal-specific codes, 1 and up, as strace's xlat/sig*_codes.in. */
static const char *tl_code_of(int sig, int code)
{
	static const char *const segv[] = {
	    "SEGV_MAPERR",  "SEGV_ACCERR",  "SEGV_BNDERR",  "SEGV_PKUERR",  "SEGV_ACCADI",
	    "SEGV_ADIDERR", "SEGV_ADIPERR", "SEGV_MTEAERR", "SEGV_MTESERR", "SEGV_CPERR"};
	static const char *const bus[] = {"BUS_ADRALN", "BUS_ADRERR", "BUS_OBJERR", "BUS_MCEERR_AR",
					  "BUS_MCEERR_AO"};
	static const char *const ill[] = {"ILL_ILLOPC", "ILL_ILLOPN", "ILL_ILLADR",
					  "ILL_ILLTRP", "ILL_PRVOPC", "ILL_PRVREG",
					  "ILL_COPROC", "ILL_BADSTK", "ILL_BADIADDR"};
	static const char *const fpe[] = {"FPE_INTDIV", "FPE_INTOVF",  "FPE_FLTDIV", "FPE_FLTOVF",
					  "FPE_FLTUND", "FPE_FLTRES",  "FPE_FLTINV", "FPE_FLTSUB",
					  "FPE_FLTUNK", "FPE_CONDTRAP"};
	static const char *const trap[] = {"TRAP_BRKPT",  "TRAP_TRACE", "TRAP_BRANCH",
					   "TRAP_HWBKPT", "TRAP_UNK",	"TRAP_PERF"};
	static const char *const chld[] = {"CLD_EXITED",  "CLD_KILLED",	 "CLD_DUMPED",
					   "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED"};
	static const char *const poll[] = {"POLL_IN",  "POLL_OUT", "POLL_MSG",
					   "POLL_ERR", "POLL_PRI", "POLL_HUP"};
	static const char *const sys[] = {"SYS_SECCOMP", "SYS_USER_DISPATCH"};
#define TL_PICK(t) return code >= 1 && (size_t)code <= sizeof(t) / sizeof(t[0]) ? t[code - 1] : NULL
	switch (sig) {
	case SIGSEGV:
		TL_PICK(segv);
	case SIGBUS:
		TL_PICK(bus);
	case SIGILL:
		TL_PICK(ill);
	case SIGFPE:
		TL_PICK(fpe);
	case SIGTRAP:
		TL_PICK(trap);
	case SIGCHLD:
		TL_PICK(chld);
	case SIGIO:
		TL_PICK(poll);
	case SIGSYS:
		TL_PICK(sys);
	default:
		return NULL;
	}
#undef TL_PICK
}

static void tl_ptr(struct wt_buf *b, const char *field, const void *p)
{
	if (p)
		wt_buf_printf(b, ", %s=%p", field, p);
	else
		wt_buf_printf(b, ", %s=NULL", field);
}

static void tl_source(struct wt_buf *b, const siginfo_t *si)
{
	wt_buf_printf(b, ", si_pid=%d, si_uid=%u", (int)si->si_pid, (unsigned)si->si_uid);
}

static void tl_sigval(struct wt_buf *b, const siginfo_t *si)
{
	wt_buf_printf(b, ", si_int=%d", si->si_int);
	tl_ptr(b, "si_ptr", si->si_ptr);
}

/* "{si_signo=SIGUSR1, si_code=SI_USER, si_pid=1, si_uid=0}", as strace. */
static void tl_siginfo(struct wt_buf *b, const siginfo_t *si)
{
	const char *code = tl_code_any(si->si_code);
	if (!code)
		code = tl_code_of(si->si_signo, si->si_code);
	wt_buf_puts(b, "{si_signo=");
	tl_signame(b, si->si_signo);
	if (code)
		wt_buf_printf(b, ", si_code=%s", code);
	else
		wt_buf_printf(b, ", si_code=%d", si->si_code);
	if (si->si_errno) {
		const char *e = sysdecode_errno_name(si->si_errno);
		if (e)
			wt_buf_printf(b, ", si_errno=%s", e);
		else
			wt_buf_printf(b, ", si_errno=%d", si->si_errno);
	}
	if (si->si_code <= 0) { /* from a process: SI_FROMUSER */
		switch (si->si_code) {
		case SI_USER:
		case SI_TKILL:
			tl_source(b, si);
			break;
		case SI_TIMER:
			wt_buf_printf(b, ", si_timerid=%#x, si_overrun=%d",
				      (unsigned)si->si_timerid, si->si_overrun);
			tl_sigval(b, si);
			break;
		case SI_SIGIO:
			wt_buf_printf(b, ", si_band=%ld, si_fd=%d", (long)si->si_band, si->si_fd);
			break;
		default:
			tl_source(b, si);
			if (si->si_ptr)
				tl_sigval(b, si);
			break;
		}
	} else {
		switch (si->si_signo) {
		case SIGCHLD:
			tl_source(b, si);
			if (si->si_code == CLD_EXITED) {
				wt_buf_printf(b, ", si_status=%d", si->si_status);
			} else {
				wt_buf_puts(b, ", si_status=");
				tl_signame(b, si->si_status);
			}
			wt_buf_printf(b, ", si_utime=%lld, si_stime=%lld", (long long)si->si_utime,
				      (long long)si->si_stime);
			break;
		case SIGILL:
		case SIGFPE:
		case SIGBUS:
		case SIGSEGV:
		case SIGTRAP:
			tl_ptr(b, "si_addr", si->si_addr);
			break;
		case SIGIO:
			if (si->si_code >= POLL_IN && si->si_code <= POLL_HUP)
				wt_buf_printf(b, ", si_band=%ld, si_fd=%d", (long)si->si_band,
					      si->si_fd);
			break;
		case SIGSYS: {
			char nbuf[48];
			tl_ptr(b, "si_call_addr", si->si_call_addr);
			wt_buf_printf(b, ", si_syscall=%s, si_arch=%s",
				      sysname(si->si_arch, si->si_syscall, nbuf, sizeof(nbuf)),
				      si->si_arch == sysname_native_arch() ? "AUDIT_ARCH_X86_64"
									   : "AUDIT_ARCH_I386");
			break;
		}
		default:
			if (si->si_pid || si->si_uid)
				tl_source(b, si);
			if (si->si_ptr)
				tl_sigval(b, si);
			break;
		}
	}
	wt_buf_puts(b, "}");
}

void trace_event_text(struct wt_buf *b, const struct trace_rec *r)
{
	switch (r->kind) {
	case TRACE_SIGNAL:
		wt_buf_puts(b, "--- ");
		tl_signame(b, r->si.si_signo);
		wt_buf_puts(b, " ");
		tl_siginfo(b, &r->si);
		wt_buf_puts(b, " ---");
		return;
	case TRACE_EXIT:
		if (WIFSIGNALED(r->status)) {
			wt_buf_puts(b, "+++ killed by ");
			tl_signame(b, WTERMSIG(r->status));
			wt_buf_puts(b, WCOREDUMP(r->status) ? " (core dumped) +++" : " +++");
		} else {
			wt_buf_printf(b, "+++ exited with %d +++", WEXITSTATUS(r->status));
		}
		return;
	case TRACE_LOST:
		wt_buf_printf(b, "--- lost %" PRIu64 " event%s (the kernel's buffer was full) ---",
			      r->lost, r->lost == 1 ? "" : "s");
		return;
	case TRACE_SYSCALL:
	case TRACE_ATTACH:
		return;
	}
}

/* A signal, exit or lost record: its line. */
static void tl_event(struct trace_log *l, const struct trace_rec *r, pid_t tid)
{
	l->tmp.len = 0;
	trace_event_text(&l->tmp, r);
	tl_leader(l, tid, r->t_ns);
	tl_put(l, l->tmp.data, l->tmp.len);
	tl_newline(l);
}

static void tl_signal(struct trace_log *l, const struct trace_rec *r)
{
	tl_event(l, r, r->tid);
}

/* strace's print_event_exit: a call the task was in ends with " = ?". */
static void tl_unreturned(struct trace_log *l, const struct trace_rec *r)
{
	struct tl_call *c = tl_find(l, r->tid);
	if (!c)
		return;
	if (!tl_filtering(l)) {
		if (l->open_tid != r->tid) {
			tl_leader(l, r->tid, r->t_ns);
			tl_resumed(l, c->arch, c->nr);
		}
		l->open_tid = 0;
		tl_finish(l, ") = ?", false, 0, 0);
		tl_stack_out(l, c);
	}
	tl_drop(l, c);
}

static void tl_exited(struct trace_log *l, const struct trace_rec *r)
{
	tl_unreturned(l, r);
	tl_event(l, r, r->tid);
}

static void tl_lost(struct trace_log *l, const struct trace_rec *r)
{
	tl_event(l, r, 0);
}

/* pid_prefix_live: tid is a task the log follows (once it is known, strace
 * counts it: its attach, or the first record of a task whose attach came
 * before the log or was not reported). */
static void tl_live_add(struct trace_log *l, pid_t tid)
{
	if (!tid)
		return;
	for (size_t i = 0; i < l->nlive; i++)
		if (l->live[i] == tid)
			return;
	if (l->nlive == l->caplive) {
		size_t cap = l->caplive ? l->caplive * 2 : 16;
		pid_t *n = realloc(l->live, cap * sizeof(*n));
		if (!n)
			return;
		l->live = n;
		l->caplive = cap;
	}
	l->live[l->nlive++] = tid;
}

static void tl_live_drop(struct trace_log *l, pid_t tid)
{
	for (size_t i = 0; i < l->nlive; i++)
		if (l->live[i] == tid) {
			l->live[i] = l->live[--l->nlive];
			return;
		}
}

void trace_log_task(struct trace_log *l, pid_t tid)
{
	tl_live_add(l, tid);
}

void trace_log_add(struct trace_log *l, const struct trace_rec *r)
{
	if (r->kind != TRACE_LOST)
		tl_live_add(l, r->tid);
	switch (r->kind) {
	case TRACE_SYSCALL:
		tl_syscall(l, r);
		break;
	case TRACE_SIGNAL:
		tl_signal(l, r);
		break;
	case TRACE_EXIT:
		tl_exited(l, r);
		tl_live_drop(l, r->tid); /* after its line, as strace's droptcb */
		break;
	case TRACE_LOST:
		tl_lost(l, r);
		break;
	case TRACE_ATTACH:
		break; /* strace says it on stderr, not in the log */
	}
}

void trace_log_flush(struct trace_log *l)
{
	/* the open line is the only one still waiting to be ended; with -z/-Z
	 * a call that did not return is neither successful nor failed */
	tl_end_open(l);
	fflush(l->out);
}
