/*
 * sysinfo.c: the system-wide half of a refresh: per-core and total CPU usage
 * from /proc/stat (as deltas between refreshes), memory and swap from
 * /proc/meminfo, load from /proc/loadavg, uptime from /proc/uptime, and
 * pressure stall averages from /proc/pressure/{cpu,io,memory} when present.
 *
 * The four files stay open between refreshes and are re-read with pread:
 * they are read on every refresh, and opening is half the kernel's cost.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <whytop/util.h>
#include "core/proc/internal.h"

#define STAT_BUF (64 * 1024)

struct proc_sysreader {
	int fd_stat, fd_meminfo, fd_loadavg, fd_uptime;
	int fd_psi[3];               /* PROC_PSI_*; -1 when not open */
	char *buf;                   /* STAT_BUF bytes: /proc/stat grows with the CPU count */
	struct proc_cpu_ticks prev_all;
	struct proc_cpu_ticks *prev; /* per cpu index */
	struct proc_cpu *cpu;        /* what proc_sysinfo.cpu points to */
	int ncap;                    /* entries in prev and cpu */
	bool have_prev;
	uint64_t boot_time;
};

struct proc_sysreader *proc_sysreader_new(void)
{
	struct proc_sysreader *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->buf = malloc(STAT_BUF);
	if (!r->buf) {
		free(r);
		return NULL;
	}
	r->fd_stat = r->fd_meminfo = r->fd_loadavg = r->fd_uptime = -1;
	r->fd_psi[0] = r->fd_psi[1] = r->fd_psi[2] = -1;
	return r;
}

void proc_sysreader_free(struct proc_sysreader *r)
{
	if (!r)
		return;
	int fds[] = { r->fd_stat,   r->fd_meminfo, r->fd_loadavg, r->fd_uptime,
		      r->fd_psi[0], r->fd_psi[1],  r->fd_psi[2] };
	for (size_t i = 0; i < WT_ARRAY_SIZE(fds); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(r->buf);
	free(r->prev);
	free(r->cpu);
	free(r);
}

static uint64_t sub(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0; /* counters can step back on CPU hotplug */
}

static void cpu_rate(const struct proc_cpu_ticks *now, const struct proc_cpu_ticks *was,
		     struct proc_cpu *out)
{
	uint64_t user = sub(now->user + now->nice, was->user + was->nice);
	uint64_t sys = sub(now->system, was->system);
	uint64_t iow = sub(now->iowait, was->iowait);
	uint64_t irq = sub(now->irq + now->softirq, was->irq + was->softirq);
	uint64_t steal = sub(now->steal, was->steal);
	uint64_t idle = sub(now->idle, was->idle);
	uint64_t total = user + sys + iow + irq + steal + idle;

	memset(out, 0, sizeof(*out));
	if (!total)
		return;
	out->user_pct = 100.0 * (double)user / (double)total;
	out->system_pct = 100.0 * (double)sys / (double)total;
	out->iowait_pct = 100.0 * (double)iow / (double)total;
	out->irq_pct = 100.0 * (double)irq / (double)total;
	out->steal_pct = 100.0 * (double)steal / (double)total;
	/* iowait is idle time waiting for I/O: not busy, as in htop's default. */
	out->total_pct = 100.0 * (double)(user + sys + irq + steal) / (double)total;
}

static int grow(struct proc_sysreader *r, int n)
{
	if (n <= r->ncap)
		return 0;
	struct proc_cpu_ticks *p = realloc(r->prev, (size_t)n * sizeof(*p));
	if (!p)
		return -ENOMEM;
	r->prev = p;
	struct proc_cpu *c = realloc(r->cpu, (size_t)n * sizeof(*c));
	if (!c)
		return -ENOMEM;
	r->cpu = c;
	memset(r->prev + r->ncap, 0, (size_t)(n - r->ncap) * sizeof(*p));
	memset(r->cpu + r->ncap, 0, (size_t)(n - r->ncap) * sizeof(*c));
	r->ncap = n;
	return 0;
}

static int read_cpus(struct proc_sysreader *r, int procfd, struct proc_sysinfo *si)
{
	ssize_t n = proc_read_kept(procfd, "stat", &r->fd_stat, true, r->buf, STAT_BUF);
	if (n < 0)
		return (int)n;
	const char *p = r->buf, *end = r->buf + n;
	int ncpu = 0;
	while (p < end) {
		struct proc_cpu_ticks t;
		int idx;
		const char *line = p;
		int rc = proc_parse_cpu_line(&p, end, &idx, &t);
		if (rc == -ENOENT) {
			if (end - line > 6 && memcmp(line, "btime ", 6) == 0) {
				const char *q = line + 6;
				uint64_t bt;
				if (proc_parse_u64(&q, end, &bt) == 0)
					r->boot_time = bt;
			}
			continue;
		}
		if (rc)
			continue;
		if (idx < 0) {
			if (r->have_prev)
				cpu_rate(&t, &r->prev_all, &si->all);
			r->prev_all = t;
			continue;
		}
		/* Offline CPUs have no line: index by position, as htop does. */
		if (grow(r, ncpu + 1))
			return -ENOMEM;
		if (r->have_prev)
			cpu_rate(&t, &r->prev[ncpu], &r->cpu[ncpu]);
		r->prev[ncpu] = t;
		ncpu++;
	}
	si->ncpu = ncpu;
	si->cpu = r->cpu;
	si->boot_time = r->boot_time;
	r->have_prev = true;
	return 0;
}

static void read_psi(struct proc_sysreader *r, int procfd, struct proc_sysinfo *si)
{
	static const char *const files[3] = { "pressure/cpu", "pressure/io", "pressure/memory" };
	for (int i = 0; i < 3; i++) {
		char buf[512];
		ssize_t n = proc_read_kept(procfd, files[i], &r->fd_psi[i], true, buf, sizeof(buf));
		if (n > 0)
			proc_parse_psi(buf, strlen(buf), &si->psi[i]);
		else
			memset(&si->psi[i], 0, sizeof(si->psi[i]));
	}
}

int proc_sysreader_read(struct proc_sysreader *r, int procfd, struct proc_sysinfo *si)
{
	char buf[4096];
	ssize_t n;
	int rc = read_cpus(r, procfd, si);

	n = proc_read_kept(procfd, "meminfo", &r->fd_meminfo, true, buf, sizeof(buf));
	if (n > 0) {
		struct proc_meminfo_raw m;
		if (proc_parse_meminfo(buf, (size_t)n, &m) == 0) {
			uint64_t avail = m.has_avail ? m.avail : m.free + m.buffers + m.cached;
			si->mem_total_kb = m.total;
			si->mem_avail_kb = avail;
			si->mem_buffers_kb = m.buffers;
			si->mem_cached_kb = m.cached + m.sreclaimable - (m.shmem < m.cached ? m.shmem : 0);
			si->mem_used_kb = m.total > avail ? m.total - avail : 0;
			si->swap_total_kb = m.swap_total;
			si->swap_used_kb = m.swap_total > m.swap_free ? m.swap_total - m.swap_free : 0;
		}
	}
	n = proc_read_kept(procfd, "loadavg", &r->fd_loadavg, true, buf, sizeof(buf));
	if (n > 0) {
		unsigned running, total;
		uint64_t last_pid;
		proc_parse_loadavg(buf, (size_t)n, si->load, &running, &total, &last_pid);
	}
	n = proc_read_kept(procfd, "uptime", &r->fd_uptime, true, buf, sizeof(buf));
	if (n > 0)
		proc_parse_uptime(buf, (size_t)n, &si->uptime_s);
	read_psi(r, procfd, si);
	return rc;
}
