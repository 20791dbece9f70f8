/*
 * columns.c: the columns a front end may show, what /proc file each needs,
 * how a cell is formatted, and how two tasks compare by a column.
 *
 * The TUI and `whytop list` share this table so that both show the same
 * thing under the same names. A field the refresh could not read (its
 * PROC_KNOWN_* bit is clear) is formatted as "?", never as 0.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <whytop/proc.h>
#include <whytop/sysnames.h>
#include "core/proc/internal.h"

const struct proc_col_info proc_columns[PROC_COL_COUNT] = {
	[PROC_COL_PID] = { "pid", "PID", 7, true, false, PROC_NEED_STAT },
	[PROC_COL_PPID] = { "ppid", "PPID", 7, true, false, PROC_NEED_STAT },
	[PROC_COL_USER] = { "user", "USER", 9, false, false, PROC_NEED_STATUS },
	[PROC_COL_STATE] = { "state", "S", 1, false, false, PROC_NEED_STAT },
	[PROC_COL_PRIORITY] = { "priority", "PRI", 3, true, false, PROC_NEED_STAT },
	[PROC_COL_NICE] = { "nice", "NI", 3, true, false, PROC_NEED_STAT },
	[PROC_COL_THREADS] = { "threads", "THR", 4, true, true, PROC_NEED_STAT },
	[PROC_COL_CPU] = { "cpu", "CPU%", 5, true, true, PROC_NEED_STAT },
	[PROC_COL_MEM] = { "mem", "MEM%", 5, true, true, PROC_NEED_STAT },
	[PROC_COL_RSS] = { "rss", "RES", 6, true, true, PROC_NEED_STAT },
	[PROC_COL_VIRT] = { "virt", "VIRT", 6, true, true, PROC_NEED_STAT },
	[PROC_COL_TIME] = { "time", "TIME+", 9, true, true, PROC_NEED_STAT },
	[PROC_COL_START] = { "start", "START", 5, true, false, PROC_NEED_STAT },
	[PROC_COL_WCHAN] = { "wchan", "WCHAN", 16, false, false, PROC_NEED_WCHAN },
	[PROC_COL_SYSCALL] = { "syscall", "SYSCALL", 14, false, false, PROC_NEED_SYSCALL },
	[PROC_COL_PROCESSOR] = { "processor", "CPU", 3, true, false, PROC_NEED_STAT },
	[PROC_COL_IO_READ_RATE] = { "io_read_rate", "DISK READ", 10, true, true, PROC_NEED_IO },
	[PROC_COL_IO_WRITE_RATE] = { "io_write_rate", "DISK WRITE", 10, true, true, PROC_NEED_IO },
	[PROC_COL_IO_RATE] = { "io_rate", "DISK R/W", 10, true, true, PROC_NEED_IO },
	[PROC_COL_IO_PRIORITY] = { "io_priority", "IO", 3, false, false, PROC_NEED_IOPRIO },
	[PROC_COL_CGROUP] = { "cgroup", "CGROUP", 32, false, false, PROC_NEED_CGROUP },
	[PROC_COL_CCGROUP] = { "ccgroup", "CCGROUP", 20, false, false, PROC_NEED_CGROUP },
	[PROC_COL_CONTAINER] = { "container", "CONTAINER", 12, false, false, PROC_NEED_CGROUP },
	[PROC_COL_AFFINITY] = { "affinity", "AFFINITY", 8, false, false, PROC_NEED_SCHED },
	[PROC_COL_VCTXT] = { "vctxt", "VCSW/s", 7, true, true, PROC_NEED_SCHED },
	[PROC_COL_NVCTXT] = { "nvctxt", "ICSW/s", 7, true, true, PROC_NEED_SCHED },
	[PROC_COL_OOM] = { "oom", "OOM", 4, true, true, PROC_NEED_OOM },
	[PROC_COL_ELAPSED] = { "elapsed", "ELAPSED", 11, true, true, PROC_NEED_STAT },
	[PROC_COL_EXE] = { "exe", "EXE", 32, false, false, PROC_NEED_EXE },
	[PROC_COL_EXE_STATE] = { "exe_state", "EXE?", 8, false, true, PROC_NEED_EXE },
	[PROC_COL_COMMAND] = { "command", "Command", 0, false, false, PROC_NEED_CMDLINE },
};

int proc_col_by_name(const char *name)
{
	if (!name)
		return -1;
	/* Names first: "cpu" is CPU%, while the title "CPU" is the processor. */
	for (int i = 0; i < PROC_COL_COUNT; i++)
		if (strcasecmp(name, proc_columns[i].name) == 0)
			return i;
	for (int i = 0; i < PROC_COL_COUNT; i++)
		if (strcasecmp(name, proc_columns[i].title) == 0)
			return i;
	/* A few spellings from ps and htop. */
	static const struct {
		const char *alias;
		enum proc_col col;
	} aliases[] = {
		{ "res", PROC_COL_RSS },      { "%cpu", PROC_COL_CPU },   { "%mem", PROC_COL_MEM },
		{ "stat", PROC_COL_STATE },   { "s", PROC_COL_STATE },    { "pri", PROC_COL_PRIORITY },
		{ "ni", PROC_COL_NICE },      { "nlwp", PROC_COL_THREADS }, { "cmd", PROC_COL_COMMAND },
		{ "args", PROC_COL_COMMAND }, { "psr", PROC_COL_PROCESSOR }, { "tid", PROC_COL_PID },
		/* htop's names, for a column list copied from htoprc */
		{ "io_read", PROC_COL_IO_READ_RATE }, { "io_write", PROC_COL_IO_WRITE_RATE },
		{ "etime", PROC_COL_ELAPSED }, { "oom_score", PROC_COL_OOM },
		{ "cpus_allowed", PROC_COL_AFFINITY }, { "cpus", PROC_COL_AFFINITY },
		{ "deleted", PROC_COL_EXE_STATE }, { "nvcsw", PROC_COL_VCTXT },
		{ "nivcsw", PROC_COL_NVCTXT },
	};
	for (size_t i = 0; i < WT_ARRAY_SIZE(aliases); i++)
		if (strcasecmp(name, aliases[i].alias) == 0)
			return (int)aliases[i].col;
	return -1;
}

int proc_cols_parse(const char *list, enum proc_col *cols, size_t max, struct wt_err *err)
{
	size_t n = 0;
	wt_err_clear(err);
	for (const char *p = list ? list : ""; *p;) {
		size_t len = strcspn(p, " \t,");
		if (len == 0) {
			p++;
			continue;
		}
		char name[64];
		size_t cl = len < sizeof(name) - 1 ? len : sizeof(name) - 1;
		memcpy(name, p, cl);
		name[cl] = '\0';
		p += len;
		int col = len < sizeof(name) ? proc_col_by_name(name) : -1;
		if (col < 0)
			return wt_err_set(err, EINVAL, "unknown column '%.40s'", name);
		for (size_t i = 0; i < n; i++)
			if (cols[i] == (enum proc_col)col)
				return wt_err_set(err, EINVAL, "column '%.40s' given twice", name);
		if (n < max)
			cols[n++] = (enum proc_col)col;
	}
	if (n == 0)
		return wt_err_set(err, EINVAL, "no columns");
	/* The command takes the rest of the line, so it can only be last. */
	for (size_t i = 0; i + 1 < n; i++) {
		if (cols[i] == PROC_COL_COMMAND) {
			memmove(&cols[i], &cols[i + 1], (n - i - 1) * sizeof(*cols));
			cols[n - 1] = PROC_COL_COMMAND;
			break;
		}
	}
	return (int)n;
}

unsigned proc_cols_need(const enum proc_col *cols, size_t n)
{
	unsigned need = PROC_NEED_STAT;
	for (size_t i = 0; i < n; i++)
		if ((unsigned)cols[i] < PROC_COL_COUNT)
			need |= proc_columns[cols[i]].need;
	return need;
}

/* 5432K, 98.4M, 123M, 1.2G, 13G, 1.5T. */
static void fmt_kb(char *out, size_t sz, uint64_t kb)
{
	static const char units[] = "MGTP";
	double v;
	if (kb < 100000) {
		snprintf(out, sz, "%lluK", (unsigned long long)kb);
		return;
	}
	v = (double)kb / 1024.0;
	for (int u = 0; units[u]; u++) {
		if (v < 100.0 || (v < 1024.0 && u == 0 && v >= 100.0) || v < 1000.0) {
			if (v < 10.0)
				snprintf(out, sz, "%.1f%c", v, units[u]);
			else
				snprintf(out, sz, "%.0f%c", v, units[u]);
			return;
		}
		v /= 1024.0;
	}
	snprintf(out, sz, "%.0fE", v);
}

/* htop's TIME+: "1:23.45" under an hour, "12h34:56" after, "123d04h" after 100 h. */
static void fmt_ticks(char *out, size_t sz, uint64_t ticks, long hz)
{
	uint64_t cs = hz > 0 ? ticks * 100 / (uint64_t)hz : 0;
	uint64_t s = cs / 100, m = s / 60, h = m / 60;
	if (h == 0)
		snprintf(out, sz, "%llu:%02llu.%02llu", (unsigned long long)m,
			 (unsigned long long)(s % 60), (unsigned long long)(cs % 100));
	else if (h < 100)
		snprintf(out, sz, "%lluh%02llu:%02llu", (unsigned long long)h,
			 (unsigned long long)(m % 60), (unsigned long long)(s % 60));
	else
		snprintf(out, sz, "%llud%02lluh", (unsigned long long)(h / 24),
			 (unsigned long long)(h % 24));
}

/* Start time: "HH:MM" today, "Mon DD" this year, "YYYY" before. */
static void fmt_start(char *out, size_t sz, const struct proc_task *t, const struct proc_sysinfo *si)
{
	long hz = si && si->clk_tck > 0 ? si->clk_tck : 100;
	if (!si || !si->boot_time) {
		snprintf(out, sz, "?");
		return;
	}
	time_t start = (time_t)(si->boot_time + t->start_ticks / (uint64_t)hz);
	time_t now = time(NULL);
	struct tm tm_s, tm_n;
	localtime_r(&start, &tm_s);
	localtime_r(&now, &tm_n);
	if (now - start < 24 * 3600)
		strftime(out, sz, "%H:%M", &tm_s);
	else if (tm_s.tm_year == tm_n.tm_year)
		strftime(out, sz, "%b%d", &tm_s);
	else
		strftime(out, sz, "%Y", &tm_s);
}

/* Bytes per second: "0B/s", "512B/s", "12.3K/s", "4.56M/s", "1.20G/s". */
static void fmt_rate(char *out, size_t sz, double bps)
{
	static const char units[] = "KMGT";
	if (bps < 1023.5) {
		snprintf(out, sz, "%.0fB/s", bps);
		return;
	}
	double v = bps / 1024.0;
	int u = 0;
	while (v >= 1023.5 && units[u + 1]) {
		v /= 1024.0;
		u++;
	}
	snprintf(out, sz, u == 0 ? "%.1f%c/s" : "%.2f%c/s", v, units[u]);
}

/* Elapsed time as ps's etime: "mm:ss", "hh:mm:ss", "dd-hh:mm:ss". */
static void fmt_elapsed(char *out, size_t sz, const struct proc_task *t,
			const struct proc_sysinfo *si)
{
	long hz = si && si->clk_tck > 0 ? si->clk_tck : 100;
	if (!si || si->uptime_s <= 0) {
		snprintf(out, sz, "?");
		return;
	}
	double e = si->uptime_s - (double)t->start_ticks / (double)hz;
	unsigned long long s = e > 0 ? (unsigned long long)e : 0;
	unsigned long long d = s / 86400, h = s / 3600 % 24, m = s / 60 % 60;
	if (d)
		snprintf(out, sz, "%llu-%02llu:%02llu:%02llu", d, h, m, s % 60);
	else if (h)
		snprintf(out, sz, "%02llu:%02llu:%02llu", h, m, s % 60);
	else
		snprintf(out, sz, "%02llu:%02llu", m, s % 60);
}

static void fmt_per_s(char *out, size_t sz, double v)
{
	snprintf(out, sz, v < 99.95 ? "%.1f" : "%.0f", v);
}

const char *proc_task_exe_mark(const struct proc_task *t)
{
	if (!(t->known & PROC_KNOWN_EXE))
		return "";
	switch (t->exe_state) {
	case PROC_EXE_DELETED: return "[deleted] ";
	case PROC_EXE_REPLACED: return "[replaced] ";
	default: return "";
	}
}

void proc_col_format(const struct proc_task *t, enum proc_col col, const struct proc_sysinfo *si,
		     char *out, size_t outsz)
{
	bool stat = t->known & PROC_KNOWN_STAT;

	if (!outsz)
		return;
	out[0] = '\0';
	if (proc_columns[col < PROC_COL_COUNT ? col : 0].need == PROC_NEED_STAT && !stat &&
	    col != PROC_COL_PID) {
		snprintf(out, outsz, "?");
		return;
	}
	switch (col) {
	case PROC_COL_PID:
		snprintf(out, outsz, "%d", (int)t->pid);
		break;
	case PROC_COL_PPID:
		snprintf(out, outsz, "%d", (int)t->ppid);
		break;
	case PROC_COL_USER:
		snprintf(out, outsz, "%s", (t->known & PROC_KNOWN_USER) && t->user ? t->user : "?");
		break;
	case PROC_COL_STATE:
		snprintf(out, outsz, "%c", t->state ? t->state : '?');
		break;
	case PROC_COL_PRIORITY:
		/* Real-time priorities show as negative numbers down to -100. */
		if (t->priority <= -100)
			snprintf(out, outsz, "RT");
		else
			snprintf(out, outsz, "%ld", t->priority);
		break;
	case PROC_COL_NICE:
		snprintf(out, outsz, "%ld", t->nice);
		break;
	case PROC_COL_THREADS:
		snprintf(out, outsz, "%ld", t->nthreads);
		break;
	case PROC_COL_CPU:
		snprintf(out, outsz, "%.1f", t->cpu_pct);
		break;
	case PROC_COL_MEM:
		snprintf(out, outsz, "%.1f", t->mem_pct);
		break;
	case PROC_COL_RSS:
		fmt_kb(out, outsz, t->rss_kb);
		break;
	case PROC_COL_VIRT:
		fmt_kb(out, outsz, t->virt_kb);
		break;
	case PROC_COL_TIME:
		fmt_ticks(out, outsz, t->time_ticks, si ? si->clk_tck : 100);
		break;
	case PROC_COL_START:
		fmt_start(out, outsz, t, si);
		break;
	case PROC_COL_WCHAN:
		if (!(t->known & PROC_KNOWN_WCHAN) || !t->wchan)
			snprintf(out, outsz, "?");
		else
			snprintf(out, outsz, "%s", t->wchan[0] ? t->wchan : "-");
		break;
	case PROC_COL_SYSCALL:
		if (!(t->known & PROC_KNOWN_SYSCALL) || t->syscall_nr < -1) {
			snprintf(out, outsz, "?");
		} else if (t->syscall_nr == -1) {
			snprintf(out, outsz, "-");
		} else {
			char nb[32];
			uint32_t arch = t->syscall_arch ? t->syscall_arch : sysname_native_arch();
			snprintf(out, outsz, "%s", sysname(arch, t->syscall_nr, nb, sizeof(nb)));
		}
		break;
	case PROC_COL_PROCESSOR:
		if (t->processor < 0)
			snprintf(out, outsz, "?");
		else
			snprintf(out, outsz, "%d", t->processor);
		break;
	case PROC_COL_IO_READ_RATE:
	case PROC_COL_IO_WRITE_RATE:
	case PROC_COL_IO_RATE:
		/* not ours to read, or one sample only: no rate, and never a 0 */
		if (!(t->known & PROC_KNOWN_IO_RATE))
			snprintf(out, outsz, "?");
		else
			fmt_rate(out, outsz, col == PROC_COL_IO_READ_RATE ? t->io_read_rate
					     : col == PROC_COL_IO_WRITE_RATE ? t->io_write_rate
					     : t->io_read_rate + t->io_write_rate);
		break;
	case PROC_COL_IO_PRIORITY:
		if (!(t->known & PROC_KNOWN_IOPRIO))
			snprintf(out, outsz, "?");
		else
			proc_ioprio_format(t->ioprio, t->nice, out, outsz);
		break;
	case PROC_COL_CGROUP:
	case PROC_COL_CCGROUP:
		snprintf(out, outsz, "%s",
			 !(t->known & PROC_KNOWN_CGROUP) ? "?"
			 : col == PROC_COL_CGROUP	  ? t->cgroup
							  : t->ccgroup);
		break;
	case PROC_COL_CONTAINER:
		snprintf(out, outsz, "%s", !(t->known & PROC_KNOWN_CGROUP) ? "?"
					   : t->container[0] ? t->container : "-");
		break;
	case PROC_COL_AFFINITY:
		snprintf(out, outsz, "%s", (t->known & PROC_KNOWN_SCHED) ? t->cpus_allowed : "?");
		break;
	case PROC_COL_VCTXT:
	case PROC_COL_NVCTXT:
		if (!(t->known & PROC_KNOWN_CTXT_RATE))
			snprintf(out, outsz, "?");
		else
			fmt_per_s(out, outsz,
				  col == PROC_COL_VCTXT ? t->vctxt_rate : t->nvctxt_rate);
		break;
	case PROC_COL_OOM:
		if (!(t->known & PROC_KNOWN_OOM))
			snprintf(out, outsz, "?");
		else
			snprintf(out, outsz, "%d", t->oom_score);
		break;
	case PROC_COL_ELAPSED:
		fmt_elapsed(out, outsz, t, si);
		break;
	case PROC_COL_EXE:
		if (!(t->known & PROC_KNOWN_EXE) || !t->exe)
			snprintf(out, outsz, "?");
		else
			snprintf(out, outsz, "%s", t->exe[0] ? t->exe : "-");
		break;
	case PROC_COL_EXE_STATE:
		if (!(t->known & PROC_KNOWN_EXE))
			snprintf(out, outsz, "?");
		else
			snprintf(out, outsz, "%s",
				 t->exe_state == PROC_EXE_DELETED    ? "deleted"
				 : t->exe_state == PROC_EXE_REPLACED ? "replaced"
								     : "-");
		break;
	case PROC_COL_COMMAND:
		/* htop marks a program whose file is gone; we can only when exe was read */
		snprintf(out, outsz, "%s%s", proc_task_exe_mark(t),
			 t->cmdline ? t->cmdline : (t->comm ? t->comm : "?"));
		break;
	default:
		snprintf(out, outsz, "?");
		break;
	}
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_dbl(double a, double b)
{
	return a < b ? -1 : a > b;
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* A measured value, or below every measured one (unknowns sort last when descending). */
static double known_or(const struct proc_task *t, unsigned bit, double v)
{
	return (t->known & bit) ? v : -1.0;
}

static double col_key(const struct proc_task *t, enum proc_col col)
{
	switch (col) {
	case PROC_COL_IO_READ_RATE: return known_or(t, PROC_KNOWN_IO_RATE, t->io_read_rate);
	case PROC_COL_IO_WRITE_RATE: return known_or(t, PROC_KNOWN_IO_RATE, t->io_write_rate);
	case PROC_COL_IO_RATE:
		return known_or(t, PROC_KNOWN_IO_RATE, t->io_read_rate + t->io_write_rate);
	case PROC_COL_IO_PRIORITY:
		return known_or(t, PROC_KNOWN_IOPRIO, proc_ioprio_key(t->ioprio, t->nice));
	case PROC_COL_VCTXT: return known_or(t, PROC_KNOWN_CTXT_RATE, t->vctxt_rate);
	case PROC_COL_NVCTXT: return known_or(t, PROC_KNOWN_CTXT_RATE, t->nvctxt_rate);
	case PROC_COL_OOM: return known_or(t, PROC_KNOWN_OOM, t->oom_score);
	case PROC_COL_EXE_STATE: return known_or(t, PROC_KNOWN_EXE, t->exe_state);
	default: return 0;
	}
}

int proc_task_cmp(const struct proc_task *a, const struct proc_task *b, enum proc_col col)
{
	int r = 0;
	switch (col) {
	case PROC_COL_PID: break;
	case PROC_COL_PPID: r = cmp_u64((uint64_t)a->ppid, (uint64_t)b->ppid); break;
	case PROC_COL_USER: r = cmp_str(a->user, b->user); break;
	case PROC_COL_STATE: r = (unsigned char)a->state - (unsigned char)b->state; break;
	case PROC_COL_PRIORITY: r = (a->priority > b->priority) - (a->priority < b->priority); break;
	case PROC_COL_NICE: r = (a->nice > b->nice) - (a->nice < b->nice); break;
	case PROC_COL_THREADS: r = (a->nthreads > b->nthreads) - (a->nthreads < b->nthreads); break;
	case PROC_COL_CPU: r = cmp_dbl(a->cpu_pct, b->cpu_pct); break;
	case PROC_COL_MEM:
	case PROC_COL_RSS: r = cmp_u64(a->rss_kb, b->rss_kb); break;
	case PROC_COL_VIRT: r = cmp_u64(a->virt_kb, b->virt_kb); break;
	case PROC_COL_TIME: r = cmp_u64(a->time_ticks, b->time_ticks); break;
	case PROC_COL_START: r = cmp_u64(a->start_ticks, b->start_ticks); break;
	case PROC_COL_WCHAN: r = cmp_str(a->wchan, b->wchan); break;
	case PROC_COL_SYSCALL: r = (a->syscall_nr > b->syscall_nr) - (a->syscall_nr < b->syscall_nr); break;
	case PROC_COL_PROCESSOR: r = a->processor - b->processor; break;
	case PROC_COL_COMMAND: r = cmp_str(a->cmdline, b->cmdline); break;
	/* the older process has run longer: elapsed is start time reversed */
	case PROC_COL_ELAPSED: r = cmp_u64(b->start_ticks, a->start_ticks); break;
	case PROC_COL_CGROUP: r = cmp_str(a->cgroup, b->cgroup); break;
	case PROC_COL_CCGROUP: r = cmp_str(a->ccgroup, b->ccgroup); break;
	case PROC_COL_CONTAINER: r = strcmp(a->container, b->container); break;
	case PROC_COL_AFFINITY: r = cmp_str(a->cpus_allowed, b->cpus_allowed); break;
	case PROC_COL_EXE: r = cmp_str(a->exe, b->exe); break;
	default: r = cmp_dbl(col_key(a, col), col_key(b, col)); break;
	}
	if (col == PROC_COL_PID)
		r = (a->pid > b->pid) - (a->pid < b->pid);
	return r;
}
