/*
 * parse.h: pure parsers of /proc text (no I/O), so that each can be tested on
 * canned text: /proc/PID/stat, status, statm, io, syscall, maps, and the
 * system-wide /proc/stat, meminfo, loadavg, uptime. The one parser of each
 * file for the whole core: kernel/, target/, syscalls/, stack/ and vars/ use
 * these (or the readers in pidfiles.c) rather than parse /proc themselves.
 *
 * Every parser takes a buffer and its length (the buffer need not be
 * NUL-terminated), never reads past it, and returns 0 or -EINVAL when the
 * text is truncated or malformed. Numbers are parsed by hand (no strtol, no
 * locale) and saturate at the type's limit instead of wrapping.
 */
#ifndef WHYTOP_CORE_PROC_PARSE_H
#define WHYTOP_CORE_PROC_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <whytop/proc.h>

/* The kernel's PF_KTHREAD task flag (include/linux/sched.h). */
#define PROC_PF_KTHREAD 0x00200000u

/* What the table takes from /proc/PID/stat. */
struct proc_stat_raw {
	long pid;
	const char *comm; /* points into the parsed buffer, raw (unescaped) */
	size_t comm_len;
	char state;
	long ppid;
	unsigned long flags;
	uint64_t minflt, majflt;
	uint64_t utime, stime; /* clock ticks */
	long priority, nice;
	long num_threads;
	uint64_t starttime;    /* clock ticks after boot */
	uint64_t vsize;        /* bytes */
	uint64_t rss_pages;
	int processor;         /* -1 if the line stops before it */
};

/*
 * A hand-rolled unsigned decimal parse: skips leading spaces, reads digits,
 * saturates at UINT64_MAX. *p advances past the digits. Returns -EINVAL if
 * there is no digit.
 */
int proc_parse_u64(const char **p, const char *end, uint64_t *out);
/* Same, with an optional '-' sign; saturates at INT64_MIN / INT64_MAX. */
int proc_parse_s64(const char **p, const char *end, int64_t *out);

/*
 * /proc/PID/stat. comm is between the first '(' and the LAST ')': a process
 * may name itself "a) R 1 (" and the last ')' is the only reliable end.
 */
int proc_parse_stat(const char *buf, size_t len, struct proc_stat_raw *out);

/*
 * The fields of /proc/PID/status the core acts on (struct proc_status in
 * proc.h). Keys match only at the start of a line. -EINVAL if there is no
 * Tgid line (not a status file); a missing field leaves its have bit clear.
 */
int proc_parse_status(const char *buf, size_t len, struct proc_status *st);

/*
 * One line of /proc/PID/maps at *p (up to end); *p moves to the next line.
 * m->path points into the text, as maps escapes it. -EINVAL if the line is
 * not a mapping (the caller skips it).
 */
int proc_parse_maps_line(const char **p, const char *end, struct proc_map *m);

/* The effective uid from /proc/PID/status's "Uid:" line (real eff saved fs). */
int proc_parse_status_uid(const char *buf, size_t len, uid_t *euid);
/*
 * A "Key:\tvalue" line of status or meminfo, as a number (a "kB" suffix is
 * ignored). Returns -ENOENT if the key is not there.
 */
int proc_parse_key_u64(const char *buf, size_t len, const char *key, uint64_t *out);

/* /proc/PID/statm: size and resident, in pages. */
int proc_parse_statm(const char *buf, size_t len, uint64_t *size_pages, uint64_t *resident_pages);

/* /proc/PID/io: read_bytes and write_bytes (storage, not the rchar/wchar). */
int proc_parse_io(const char *buf, size_t len, uint64_t *read_bytes, uint64_t *write_bytes);

/*
 * /proc/PID/syscall: the number of the syscall the task is blocked in,
 * -1 when it is running or not in a syscall ("running", "-1 ...").
 */
int proc_parse_syscall(const char *buf, size_t len, long *nr);

/* One "cpu" or "cpuN" line of /proc/stat, in clock ticks. */
struct proc_cpu_ticks {
	uint64_t user, nice, system, idle, iowait, irq, softirq, steal;
};
/*
 * Parses the line at *p (up to end) if it starts with "cpu": *index is -1 for
 * the aggregate line and N for "cpuN". *p moves to the next line. Returns 0,
 * -ENOENT if the line is not a cpu line, -EINVAL if it is truncated.
 */
int proc_parse_cpu_line(const char **p, const char *end, int *index, struct proc_cpu_ticks *t);

/* System-wide memory in kB (MemTotal, MemFree, MemAvailable, Buffers, ...). */
struct proc_meminfo_raw {
	uint64_t total, free, avail, buffers, cached, sreclaimable, shmem;
	uint64_t swap_total, swap_free;
	int has_avail;
};
int proc_parse_meminfo(const char *buf, size_t len, struct proc_meminfo_raw *m);

/*
 * /proc/loadavg: "0.52 0.58 0.59 2/345 12345". The last number is the last
 * pid the kernel handed out (0 in *last_pid if the line stops before it).
 */
int proc_parse_loadavg(const char *buf, size_t len, double load[3], unsigned *running,
		       unsigned *total, uint64_t *last_pid);
/* /proc/uptime: seconds since boot (first number). */
int proc_parse_uptime(const char *buf, size_t len, double *uptime_s);

/*
 * /proc/PID/status, the lines a refresh reads on every pass for the
 * sched columns: Cpus_allowed_list (*cpus points into buf, *cpus_len
 * bytes, no newline), voluntary_ctxt_switches, nonvoluntary_ctxt_switches.
 * -EINVAL if any of the three is missing or cut short.
 */
int proc_parse_status_sched(const char *buf, size_t len, const char **cpus, size_t *cpus_len,
			    uint64_t *vctxt, uint64_t *nvctxt);

/*
 * /proc/PID/cgroup: the path of the cgroup v2 line ("0::/path"); on a
 * v1-only system, that of the name=systemd line, else of the first line.
 * *path points into buf. -EINVAL if there is no well-formed line.
 */
int proc_parse_cgroup(const char *buf, size_t len, const char **path, size_t *path_len);

/*
 * A cgroup path shortened as htop's CCGROUP does: the systemd slices as
 * [S] (system.slice), [U:UID] (user.slice/user-UID.slice, with its
 * user@UID.service), [M] (machine.slice); ".service", ".scope" and
 * ".slice" suffixes dropped; a container scope (docker-ID.scope,
 * libpod-ID.scope, cri-containerd-ID.scope, crio-ID.scope, a /docker/ID
 * or kubepods .../ID segment) as "docker:" (etc.) and 12 hex digits.
 * Raw in, raw out (escape the result); always NUL-terminated, cut to outsz.
 */
void proc_cgroup_shorten(const char *path, size_t len, char *out, size_t outsz);

/*
 * The container id in a cgroup path: the first 12 of the last run of 64
 * hex digits that forms a whole segment or a segment's "docker-"/"libpod-"/
 * "crio-"/"cri-containerd-" scope. out gets 12 digits and a NUL, or "".
 * Returns whether one was found.
 */
int proc_cgroup_container(const char *path, size_t len, char out[13]);

/* An IO priority as htop shows it: "R0".."R7", "B0".."B7", "id"; class NONE as B(nice+20)/5. */
void proc_ioprio_format(int ioprio, long nice, char *out, size_t outsz);
/* A sort key for the same: RT before BE before idle, lower level first. */
int proc_ioprio_key(int ioprio, long nice);

/*
 * One /proc/pressure file: "some avg10=0.12 avg60=0.30 avg300=1.00 total=N"
 * and, except for cpu on old kernels, the same for "full". Read without
 * the locale (the TUI runs under the user's: "0.12" is not "0,12").
 * -EINVAL without a well-formed "some" line.
 */
int proc_parse_psi(const char *buf, size_t len, struct proc_psi *psi);

#endif
