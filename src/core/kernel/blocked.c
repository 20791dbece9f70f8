/*
 * blocked.c: tasks that are not making progress.
 *
 * Two things live here. The tracker remembers, across refreshes, since when
 * each task has been continuously blocked as whytop observed it: in D, or
 * in S on the same wchan, without being switched in between (the test the
 * kernel's hung-task detector makes with the context switch counts). And
 * the system-wide view: every D task right now, grouped by the innermost
 * kernel frame that says something about why -- skipping the scheduler and
 * generic waiting primitives every sleeping stack ends in -- the way one
 * reads a hung-task report.
 *
 * Where the kernel tells (waitstart.c: eBPF, root), a blocked task's time
 * is since it last left the CPU, also for a wait that began before whytop
 * looked; otherwise it is as observed, and marked as "at least".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <whytop/kernel.h>
#include <whytop/sysnames.h>
#include "core/proc/parse.h"

/* ---- which frames say nothing about why ---- */

static const char *const generic_frames[] = {
	/* the scheduler itself */
	"__schedule", "schedule", "schedule_timeout", "schedule_timeout_uninterruptible",
	"schedule_timeout_killable", "schedule_timeout_interruptible", "schedule_hrtimeout",
	"schedule_hrtimeout_range", "schedule_hrtimeout_range_clock", "schedule_preempt_disabled",
	"io_schedule", "io_schedule_timeout", "preempt_schedule", "preempt_schedule_common",
	/* completions and wait bits: the caller says what is awaited */
	"do_wait_for_common", "__wait_for_common", "wait_for_common", "wait_for_common_io",
	"wait_for_completion", "wait_for_completion_io", "wait_for_completion_killable",
	"wait_for_completion_interruptible", "wait_for_completion_timeout",
	"wait_for_completion_io_timeout", "wait_for_completion_state",
	"wait_for_completion_killable_timeout", "bit_wait", "bit_wait_io", "bit_wait_timeout",
	"__wait_on_bit", "__wait_on_bit_lock", "out_of_line_wait_on_bit",
	"out_of_line_wait_on_bit_lock", "__wait_var_event",
	/* page locks: the caller says why the page is awaited (a fault, a read) */
	"folio_wait_bit_common", "folio_wait_bit", "folio_wait_bit_killable", "__folio_lock",
	"__folio_lock_killable", "__folio_lock_or_retry", "wait_on_page_bit_common",
	/* sleeping locks: the caller says which lock */
	"__mutex_lock", "__mutex_lock_slowpath", "mutex_lock", "mutex_lock_killable",
	"mutex_lock_interruptible", "__mutex_lock_killable_slowpath",
	"__mutex_lock_interruptible_slowpath", "mutex_lock_nested", "rwsem_down_read_slowpath",
	"rwsem_down_write_slowpath", "down_read", "down_write", "down_read_killable",
	"down_write_killable", "down_read_interruptible", "__down", "__down_common",
	"__down_killable", "__down_interruptible", "__down_timeout", "down", "down_killable",
	"down_interruptible", "down_timeout", "rt_mutex_slowlock", "rt_mutex_slowlock_block",
	"__rt_mutex_slowlock", "__rt_mutex_slowlock_locked", "rt_mutex_schedule",
	"percpu_rwsem_wait", "__percpu_down_read",
};

bool kernel_blocked_frame_generic(const char *func)
{
	/* "__schedule.constprop.0", "schedule_timeout.isra.3": compare the base name. */
	size_t len = strcspn(func, ".");
	for (size_t i = 0; i < WT_ARRAY_SIZE(generic_frames); i++)
		if (strlen(generic_frames[i]) == len && memcmp(generic_frames[i], func, len) == 0)
			return true;
	return false;
}

const struct kernel_frame *kernel_blocked_key_frame(const struct kernel_frame *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (f[i].func && f[i].func[0] && !kernel_blocked_frame_generic(f[i].func))
			return &f[i];
	return NULL;
}

/* ---- the tracker ---- */

struct kernel_block_entry {
	pid_t tid;
	uint64_t start_ticks;
	char state;
	char wchan[64];
	uint64_t nswitches;
	uint64_t since_ns, seen_ns;
	time_t since_wall;
};

struct kernel_block_tracker {
	struct kernel_block_entry *e;
	size_t n, cap;
	/* the kernel's view: opened at the first apply or scan */
	struct kernel_waitstart *ws;
	bool ws_tried;
	char *ws_note; /* why there is none, or NULL */
	struct kernel_offcpu_since *ks; /* the last read, by tid */
	size_t nks;
	uint64_t ks_at; /* when it was read (wt_now_ns) */
};

struct kernel_block_tracker *kernel_block_tracker_new(void)
{
	return calloc(1, sizeof(struct kernel_block_tracker));
}

void kernel_block_tracker_free(struct kernel_block_tracker *tr)
{
	if (tr) {
		kernel_waitstart_close(tr->ws);
		free(tr->ws_note);
		free(tr->ks);
		free(tr->e);
		free(tr);
	}
}

const char *kernel_blocked_for_mark(const struct kernel_thread *t)
{
	if (t->blocked_exact)
		return "";
	const char *cs = nl_langinfo(CODESET);
	return cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8")) ? "\xe2\x89\xa5" : ">= ";
}

static int ks_cmp(const void *a, const void *b)
{
	const struct kernel_offcpu_since *x = a, *y = b;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

/* Read the kernel's off-CPU times (of tgid, or of every D task); none if it cannot. */
static void tracker_read_kernel(struct kernel_block_tracker *tr, pid_t tgid, bool only_d)
{
	free(tr->ks);
	tr->ks = NULL;
	tr->nks = 0;
	struct wt_err err;
	if (!tr->ws_tried) {
		tr->ws_tried = true;
		if (kernel_waitstart_open(&tr->ws, &err) < 0)
			tr->ws_note = strdup(err.msg);
	}
	if (!tr->ws)
		return;
	tr->ks_at = wt_now_ns();
	if (kernel_waitstart_read(tr->ws, tgid, only_d, &tr->ks, &tr->nks, &err) < 0) {
		free(tr->ws_note);
		tr->ws_note = strdup(err.msg);
		return;
	}
	free(tr->ws_note);
	tr->ws_note = NULL;
	qsort(tr->ks, tr->nks, sizeof(*tr->ks), ks_cmp);
}

size_t kernel_block_tracker_count(const struct kernel_block_tracker *tr)
{
	return tr->n;
}

static struct kernel_block_entry *tracker_find(struct kernel_block_tracker *tr, pid_t tid,
					       uint64_t start)
{
	for (size_t i = 0; i < tr->n; i++)
		if (tr->e[i].tid == tid && tr->e[i].start_ticks == start)
			return &tr->e[i];
	return NULL;
}

static void tracker_drop(struct kernel_block_tracker *tr, struct kernel_block_entry *e)
{
	*e = tr->e[--tr->n];
}

bool kernel_block_tracker_observe(struct kernel_block_tracker *tr, pid_t tid, uint64_t start_ticks,
				  char state, const char *wchan, uint64_t nswitches,
				  uint64_t now_ns, time_t now_wall, uint64_t *for_ns, time_t *since)
{
	/* An S task with a hidden wchan cannot be told from one that keeps waking up. */
	bool blocked = state == 'D' || (state == 'S' && wchan && wchan[0]);
	struct kernel_block_entry *e = tracker_find(tr, tid, start_ticks);
	*for_ns = 0;
	*since = 0;
	if (!blocked) {
		if (e)
			tracker_drop(tr, e);
		return false;
	}
	const char *w = wchan ? wchan : "";
	bool same = false;
	if (e) {
		if (state == 'D')
			same = e->state == 'D';
		else
			same = e->state == 'S' && strncmp(e->wchan, w, sizeof(e->wchan) - 1) == 0;
		/* It ran in between: a new wait, even if on the same wchan. */
		if (nswitches != UINT64_MAX && e->nswitches != UINT64_MAX &&
		    nswitches != e->nswitches)
			same = false;
	} else {
		if (tr->n == tr->cap) {
			size_t nc = tr->cap ? tr->cap * 2 : 64;
			struct kernel_block_entry *ne = realloc(tr->e, nc * sizeof(*ne));
			if (!ne)
				return true;
			tr->e = ne;
			tr->cap = nc;
		}
		e = &tr->e[tr->n++];
		memset(e, 0, sizeof(*e));
		e->tid = tid;
		e->start_ticks = start_ticks;
	}
	if (!same) {
		e->since_ns = now_ns;
		e->since_wall = now_wall;
	}
	e->state = state;
	snprintf(e->wchan, sizeof(e->wchan), "%s", w);
	e->nswitches = nswitches;
	e->seen_ns = now_ns;
	*for_ns = now_ns - e->since_ns;
	*since = e->since_wall;
	return true;
}

void kernel_block_tracker_prune(struct kernel_block_tracker *tr, uint64_t older_than_ns)
{
	for (size_t i = 0; i < tr->n;) {
		if (tr->e[i].seen_ns < older_than_ns)
			tracker_drop(tr, &tr->e[i]);
		else
			i++;
	}
}

static void observe_thread(struct kernel_block_tracker *tr, struct kernel_thread *t, uint64_t now,
			   time_t wall)
{
	t->blocked = kernel_block_tracker_observe(tr, t->tid, t->start_ticks, t->state, t->wchan,
						  t->nswitches, now, wall, &t->blocked_ns,
						  &t->blocked_since);
	t->blocked_exact = false;
	if (!t->blocked || !tr->nks)
		return;
	struct kernel_offcpu_since key = {.tid = t->tid};
	const struct kernel_offcpu_since *k =
	    bsearch(&key, tr->ks, tr->nks, sizeof(*tr->ks), ks_cmp);
	/* The same wait as /proc showed: no switch in between (else as observed). */
	if (!k || !k->off_ns || (t->nswitches != UINT64_MAX && k->nswitches != t->nswitches))
		return;
	uint64_t ns = k->off_ns + (now > tr->ks_at ? now - tr->ks_at : 0);
	/* The same wait began before whytop saw it; shorter only by the rq clock's staleness. */
	if (ns < t->blocked_ns)
		ns = t->blocked_ns;
	t->blocked_ns = ns;
	t->blocked_since = wall - (time_t)(ns / 1000000000u);
	t->blocked_exact = true;
}

void kernel_block_tracker_apply(struct kernel_block_tracker *tr, struct kernel_proc *kp)
{
	/* a thread that ran between the two reads shows other switch counts: not taken */
	tracker_read_kernel(tr, kp->pid, false);
	uint64_t now = wt_now_ns();
	time_t wall = time(NULL);
	for (size_t i = 0; i < kp->nthreads; i++)
		observe_thread(tr, &kp->threads[i], now, wall);
}

/* ---- the system-wide view ---- */

static int group_add(struct kernel_blocked *b, const char *key, bool from_stack,
		     struct kernel_blocked_task *task)
{
	struct kernel_blocked_group *g = NULL;
	for (size_t i = 0; i < b->ngroups; i++)
		if (strcmp(b->groups[i].key, key) == 0) {
			g = &b->groups[i];
			break;
		}
	if (!g) {
		struct kernel_blocked_group *ng =
		    realloc(b->groups, (b->ngroups + 1) * sizeof(*ng));
		if (!ng)
			return -ENOMEM;
		b->groups = ng;
		g = &b->groups[b->ngroups++];
		memset(g, 0, sizeof(*g));
		g->key = strdup(key);
		g->from_stack = from_stack;
	}
	struct kernel_blocked_task *nt = realloc(g->tasks, (g->ntasks + 1) * sizeof(*nt));
	if (!nt)
		return -ENOMEM;
	g->tasks = nt;
	g->tasks[g->ntasks++] = *task;
	b->ntasks++;
	return 0;
}

static int group_cmp(const void *a, const void *b)
{
	const struct kernel_blocked_group *x = a, *y = b;
	if (x->ntasks != y->ntasks)
		return x->ntasks < y->ntasks ? 1 : -1;
	return strcmp(x->key, y->key);
}

/* The key a task is grouped under, and whether it came from its stack. */
static void task_key(const struct kernel_thread *t, char *key, size_t keysz, bool *from_stack)
{
	const struct kernel_frame *f = kernel_blocked_key_frame(t->frames, t->nframes);
	*from_stack = f != NULL;
	if (f && f->module)
		snprintf(key, keysz, "%s [%s]", f->func, f->module);
	else if (f)
		snprintf(key, keysz, "%s", f->func);
	else if (t->wchan && t->wchan[0])
		snprintf(key, keysz, "wchan %s", t->wchan);
	else
		snprintf(key, keysz, "(unknown: kernel stack and wchan not readable)");
}

/* Look at every thread of one process; read D ones fully. */
static void scan_process(struct kernel_blocked *b, struct kernel_block_tracker *tr, pid_t pid,
			 uint64_t now, time_t wall, bool *hidden)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	int piddir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (piddir < 0)
		return;
	char pcomm[64];
	struct proc_stat_raw ps;
	ssize_t n;
	uid_t uid = (uid_t)-1;
	bool is_kthread = false, have_proc = false;
	char mm_why[256] = "";
	/* Decoded below, once the whole process's memory-map state is known. */
	const struct kernel_stack_opts topts = {.defer_decode = true};
	uint32_t arch = 0;
	pid_t *tids = NULL;
	size_t ntids = 0;
	if (proc_threads_at(piddir, &tids, &ntids) < 0)
		goto out;
	for (size_t i = 0; i < ntids; i++) {
		pid_t tid = tids[i];
		b->nscanned++;
		snprintf(path, sizeof(path), "task/%d/stat", (int)tid);
		n = wt_read_at(piddir, path, buf, sizeof(buf));
		if (n <= 0 || proc_parse_stat(buf, (size_t)n, &ps) || ps.state != 'D')
			continue;
		/* The process's own details only once one of its tasks is in D: most never are. */
		if (!have_proc) {
			struct stat st;
			n = wt_read_at(piddir, "stat", buf, sizeof(buf));
			if (n <= 0 || proc_parse_stat(buf, (size_t)n, &ps))
				goto out;
			wt_escape_to(pcomm, sizeof(pcomm), ps.comm, ps.comm_len, 0);
			if (fstat(piddir, &st) == 0)
				uid = st.st_uid;
			is_kthread = (ps.flags & PROC_PF_KTHREAD) != 0;
			arch = is_kthread ? sysname_native_arch() : sysname_arch_of_pid(pid);
			if (!is_kthread)
				kernel_stack_mm_busy(piddir, mm_why, sizeof(mm_why));
			have_proc = true;
		}
		struct kernel_blocked_task task;
		memset(&task, 0, sizeof(task));
		task.pid = pid;
		if (kernel_thread_read(piddir, pid, tid, uid, is_kthread, arch, &topts, &task.t) ||
		    task.t.state != 'D') {
			kernel_thread_clear(&task.t); /* it woke up meanwhile */
			continue;
		}
		kernel_sys_decode_ex(&task.t.sc, arch, pid, task.t.tid, mm_why[0] ? mm_why : NULL);
		task.pcomm = strdup(pcomm);
		if (tr)
			observe_thread(tr, &task.t, now, wall);
		if (task.t.stack_error)
			*hidden = true;
		char key[256];
		bool from_stack;
		task_key(&task.t, key, sizeof(key), &from_stack);
		if (group_add(b, key, from_stack, &task)) {
			free(task.pcomm);
			kernel_thread_clear(&task.t);
		}
	}
out:
	free(tids);
	close(piddir);
}

int kernel_blocked_scan(struct kernel_block_tracker *tr, struct kernel_blocked **out,
			struct wt_err *err)
{
	DIR *proc = opendir("/proc");
	if (!proc)
		return wt_err_set(err, errno, "cannot list /proc: %s; is /proc mounted?",
				  strerror(errno));
	struct kernel_blocked *b = calloc(1, sizeof(*b));
	if (!b) {
		closedir(proc);
		return wt_err_set(err, ENOMEM, "out of memory");
	}
	/* before /proc: a task that ran since shows more switches there, and is not taken */
	if (tr)
		tracker_read_kernel(tr, 0, true);
	uint64_t now = wt_now_ns();
	time_t wall = time(NULL);
	bool hidden = false;
	struct dirent *de;
	while ((de = readdir(proc))) {
		long pid;
		if (wt_parse_long(de->d_name, 1, 0x7fffffff, &pid))
			continue;
		scan_process(b, tr, (pid_t)pid, now, wall, &hidden);
	}
	closedir(proc);
	/* Tasks not in D this time are no longer blocked: start afresh if they come back. */
	if (tr)
		kernel_block_tracker_prune(tr, now);
	if (b->ngroups > 1)
		qsort(b->groups, b->ngroups, sizeof(*b->groups), group_cmp);
	char opt[48];
	struct wt_buf note;
	wt_buf_init(&note);
	if (geteuid() != 0 && kernel_stack_proc_hidepid(opt, sizeof(opt)))
		wt_buf_printf(&note, "/proc is mounted with %s: other users' processes are hidden "
			      "from whytop, blocked or not; run whytop as root to see every task",
			      opt);
	if (hidden) {
		const char *why = NULL;
		for (size_t i = 0; i < b->ngroups && !why; i++)
			for (size_t j = 0; j < b->groups[i].ntasks && !why; j++)
				why = b->groups[i].tasks[j].t.stack_error;
		if (why)
			wt_buf_printf(&note, "%s%s; tasks are grouped by wchan instead",
				      note.len ? ". " : "", why);
	}
	/* times as observed only: say why (the blocked screen shows this note too) */
	if (tr && tr->ws_note && b->ntasks)
		wt_buf_printf(&note, "%s%s", note.len ? ". " : "", tr->ws_note);
	b->note = note.len ? wt_buf_steal(&note) : NULL;
	wt_buf_free(&note);
	*out = b;
	return 0;
}

void kernel_blocked_free(struct kernel_blocked *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->ngroups; i++) {
		for (size_t j = 0; j < b->groups[i].ntasks; j++) {
			free(b->groups[i].tasks[j].pcomm);
			kernel_thread_clear(&b->groups[i].tasks[j].t);
		}
		free(b->groups[i].tasks);
		free(b->groups[i].key);
	}
	free(b->groups);
	free(b->note);
	free(b);
}
