/*
 * test_proc_parse.c: the /proc parsers of src/core/proc/parse.c on canned
 * text: real lines, hostile process names, truncated files, huge numbers.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <whytop/util.h>

#include "core/proc/internal.h"
#include "core/proc/parse.h"

#define S(lit) (lit), (sizeof(lit) - 1)

/* A real line from this machine (cat reading its own stat). */
static const char stat_cat[] =
	"8229 (cat) R 8227 8227 4260 0 -1 4194304 103 0 2 0 11 7 0 0 20 0 1 0 50275 3133440 413 "
	"18446744073709551615 93849851498496 93849851518377 140723140559152 0 0 0 0 0 0 0 0 0 17 1 "
	"0 0 0 0 0 93849851534384 93849851536000 93850913558528 140723140565446 140723140565466 "
	"140723140565466 140723140567019 0\n";

static void test_stat_real_line(void **state)
{
	struct proc_stat_raw st;
	assert_int_equal(proc_parse_stat(S(stat_cat), &st), 0);
	assert_int_equal(st.pid, 8229);
	assert_int_equal(st.comm_len, 3);
	assert_memory_equal(st.comm, "cat", 3);
	assert_int_equal(st.state, 'R');
	assert_int_equal(st.ppid, 8227);
	assert_int_equal(st.flags, 4194304);
	assert_int_equal(st.minflt, 103);
	assert_int_equal(st.majflt, 2);
	assert_int_equal(st.utime, 11);
	assert_int_equal(st.stime, 7);
	assert_int_equal(st.priority, 20);
	assert_int_equal(st.nice, 0);
	assert_int_equal(st.num_threads, 1);
	assert_int_equal(st.starttime, 50275);
	assert_int_equal(st.vsize, 3133440);
	assert_int_equal(st.rss_pages, 413);
	assert_int_equal(st.processor, 1);
	assert_false(st.flags & PROC_PF_KTHREAD);
}

static void test_stat_kthread_negative_prio(void **state)
{
	static const char kw[] = "4 (kworker/R-rcu_gp) I 2 0 0 0 -1 69238880 0 0 0 0 0 0 0 0 0 -20 "
				 "1 0 3 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 "
				 "17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
	static const char rt[] = "19 (migration/1) S 2 0 0 0 -1 69238848 0 0 0 0 0 5 0 0 -100 0 1 0 "
				 "4 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 1 "
				 "99 1 0 0 0 0 0 0 0 0 0 0 0\n";
	struct proc_stat_raw st;
	assert_int_equal(proc_parse_stat(S(kw), &st), 0);
	assert_true(st.flags & PROC_PF_KTHREAD);
	assert_int_equal(st.state, 'I');
	assert_int_equal(st.nice, -20);
	assert_int_equal(st.priority, 0);
	assert_int_equal(st.comm_len, strlen("kworker/R-rcu_gp"));
	assert_int_equal(proc_parse_stat(S(rt), &st), 0);
	assert_int_equal(st.priority, -100);
	assert_int_equal(st.stime, 5);
	assert_int_equal(st.processor, 1);
}

/* A process may call itself "x) R 99 (" or put newlines in its name. */
static void test_stat_hostile_comm(void **state)
{
	static const char evil[] = "77 (a) R 99 (b c\n) d)) S 1 77 77 0 -1 4194304 5 0 0 0 3 4 0 0 20 "
				   "0 2 0 900 1000 7 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 "
				   "17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
	static const char osc[] = "78 (\033]0;pwned\007) T 1 78 78 0 -1 4194304 5 0 0 0 3 4 0 0 20 "
				  "0 1 0 901 1000 7 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 "
				  "17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
	static const char empty[] = "79 () S 1 79 79 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n";
	struct proc_stat_raw st;

	assert_int_equal(proc_parse_stat(S(evil), &st), 0);
	assert_int_equal(st.comm_len, strlen("a) R 99 (b c\n) d)"));
	assert_memory_equal(st.comm, "a) R 99 (b c\n) d)", st.comm_len);
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.ppid, 1);
	assert_int_equal(st.utime, 3);
	assert_int_equal(st.stime, 4);
	assert_int_equal(st.num_threads, 2);
	assert_int_equal(st.starttime, 900);

	assert_int_equal(proc_parse_stat(S(osc), &st), 0);
	assert_memory_equal(st.comm, "\033]0;pwned\007", st.comm_len);
	assert_int_equal(st.state, 'T');

	assert_int_equal(proc_parse_stat(S(empty), &st), 0);
	assert_int_equal(st.comm_len, 0);
	assert_int_equal(st.processor, -1); /* the line stops before field 39 */
	assert_int_equal(st.rss_pages, 0);
}

static void test_stat_truncated(void **state)
{
	struct proc_stat_raw st;
	/* Every cut before field 24 (rss) must be refused, never half-filled. */
	size_t full = strlen(stat_cat);
	const char *rss = strstr(stat_cat, " 413 ");
	size_t need = (size_t)(rss - stat_cat) + 5; /* " 413 ": a cut "41" is not a number */
	for (size_t cut = 0; cut < need; cut++)
		assert_int_equal(proc_parse_stat(stat_cat, cut, &st), -EINVAL);
	assert_int_equal(proc_parse_stat(stat_cat, need, &st), 0);
	assert_int_equal(st.rss_pages, 413);
	assert_int_equal(st.processor, -1);
	assert_int_equal(proc_parse_stat(stat_cat, full, &st), 0);
	assert_int_equal(proc_parse_stat(S("12 (no close paren R 1 2 3"), &st), -EINVAL);
	assert_int_equal(proc_parse_stat(S("garbage"), &st), -EINVAL);
	assert_int_equal(proc_parse_stat(S("1 (x) S 1 2 3 4 5 notanumber"), &st), -EINVAL);
}

static void test_numbers_huge(void **state)
{
	const char *p, *s;
	uint64_t u;
	int64_t v;

	s = "18446744073709551615 x";
	p = s;
	assert_int_equal(proc_parse_u64(&p, s + strlen(s), &u), 0);
	assert_true(u == UINT64_MAX);
	assert_int_equal(*p, ' ');
	s = "99999999999999999999999999";
	p = s;
	assert_int_equal(proc_parse_u64(&p, s + strlen(s), &u), 0);
	assert_true(u == UINT64_MAX); /* saturates, does not wrap */
	assert_true(p == s + strlen(s));
	s = "-9999999999999999999999";
	p = s;
	assert_int_equal(proc_parse_s64(&p, s + strlen(s), &v), 0);
	assert_true(v == INT64_MIN);
	s = "  -42";
	p = s;
	assert_int_equal(proc_parse_s64(&p, s + strlen(s), &v), 0);
	assert_true(v == -42);
	s = "-";
	p = s;
	assert_int_equal(proc_parse_s64(&p, s + 1, &v), -EINVAL);
	s = "123";
	p = s;
	assert_int_equal(proc_parse_u64(&p, s + 2, &u), 0); /* never past end */
	assert_true(u == 12);

	struct proc_stat_raw st;
	static const char big[] = "5 (big) R 1 5 5 0 -1 0 0 0 0 0 99999999999999999999999 "
				  "18446744073709551615 0 0 20 0 1 0 18446744073709551615 "
				  "18446744073709551615 18446744073709551615\n";
	assert_int_equal(proc_parse_stat(S(big), &st), 0);
	assert_true(st.utime == UINT64_MAX && st.stime == UINT64_MAX);
	assert_true(st.starttime == UINT64_MAX && st.rss_pages == UINT64_MAX);
}

static const char status_txt[] = "Name:\tbash\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t4424\n"
				 "Uid:\t1000\t1001\t1002\t1003\nGid:\t0\t0\t0\t0\n"
				 "VmRSS:\t    4242 kB\nvoluntary_ctxt_switches:\t17\n";

static void test_status(void **state)
{
	uid_t uid = 0;
	uint64_t v;
	assert_int_equal(proc_parse_status_uid(S(status_txt), &uid), 0);
	assert_int_equal(uid, 1001); /* effective, as top shows */
	assert_int_equal(proc_parse_key_u64(S(status_txt), "VmRSS", &v), 0);
	assert_int_equal(v, 4242);
	assert_int_equal(proc_parse_key_u64(S(status_txt), "voluntary_ctxt_switches", &v), 0);
	assert_int_equal(v, 17);
	assert_int_equal(proc_parse_key_u64(S(status_txt), "VmSwap", &v), -ENOENT);
	/* "Uid" must start a line: a name containing "\nUid:" is escaped by the kernel. */
	assert_int_equal(proc_parse_status_uid(S("Name:\tUid:\t5\t5\n"), &uid), -EINVAL);
	/* Truncated in the middle of the Uid line. */
	assert_int_equal(proc_parse_status_uid(S("Name:\tx\nUid:\t1000"), &uid), -EINVAL);
	assert_int_equal(proc_parse_status_uid(S("Name:\tx\nUid:\t1000\t7"), &uid), 0);
	assert_int_equal(uid, 7);
	assert_int_equal(proc_parse_status_uid(S("Uid:\t1\t99999999999\n"), &uid), -EINVAL);
}

static void test_statm_io_syscall(void **state)
{
	uint64_t a, b;
	long nr;
	assert_int_equal(proc_parse_statm(S("11633 1209 859 206 0 254 0\n"), &a, &b), 0);
	assert_int_equal(a, 11633);
	assert_int_equal(b, 1209);
	assert_int_equal(proc_parse_statm(S("11633"), &a, &b), -EINVAL);

	static const char io[] = "rchar: 6976\nwchar: 0\nsyscr: 10\nsyscw: 0\nread_bytes: 4096\n"
				 "write_bytes: 8192\ncancelled_write_bytes: 0\n";
	assert_int_equal(proc_parse_io(S(io), &a, &b), 0);
	assert_int_equal(a, 4096);
	assert_int_equal(b, 8192);
	assert_int_equal(proc_parse_io(S("rchar: 1\nread_bytes: 5\n"), &a, &b), -EINVAL);

	assert_int_equal(proc_parse_syscall(S("running\n"), &nr), 0);
	assert_int_equal(nr, -1);
	assert_int_equal(proc_parse_syscall(S("-1 0x7ffc 0x4011\n"), &nr), 0);
	assert_int_equal(nr, -1);
	assert_int_equal(proc_parse_syscall(S("230 0x1 0x0 0x7ffd 0x0 0x0 0x0 0x7ffd 0x7f\n"), &nr), 0);
	assert_int_equal(nr, 230);
	assert_int_equal(proc_parse_syscall(S(""), &nr), -EINVAL);
}

static const char stat_sys[] = "cpu  1471 5 1824 96559 335 1 35 6 0 0\n"
			       "cpu0 374 0 628 49106 5 0 13 1 0 0\n"
			       "cpu1 1096 5 1196 47453 329 1 21 5 0 0\n"
			       "intr 12345 0 0\nctxt 999\nbtime 1764129000\nprocesses 12000\n"
			       "procs_running 2\nprocs_blocked 1\n";

static void test_cpu_lines(void **state)
{
	const char *p = stat_sys, *end = stat_sys + strlen(stat_sys);
	struct proc_cpu_ticks t;
	int idx, ncpu = 0, agg = 0, other = 0;
	while (p < end) {
		int rc = proc_parse_cpu_line(&p, end, &idx, &t);
		if (rc == -ENOENT) {
			other++;
			continue;
		}
		assert_int_equal(rc, 0);
		if (idx < 0) {
			agg++;
			assert_int_equal(t.user, 1471);
			assert_int_equal(t.nice, 5);
			assert_int_equal(t.idle, 96559);
			assert_int_equal(t.steal, 6);
		} else {
			assert_int_equal(idx, ncpu);
			ncpu++;
		}
	}
	assert_int_equal(agg, 1);
	assert_int_equal(ncpu, 2);
	assert_int_equal(other, 6);

	/* An old kernel's four-column line, and a truncated one. */
	p = "cpu3 1 2 3 4\n";
	assert_int_equal(proc_parse_cpu_line(&p, p + strlen(p), &idx, &t), 0);
	assert_int_equal(idx, 3);
	assert_int_equal(t.idle, 4);
	assert_int_equal(t.iowait, 0);
	p = "cpu 1 2\n";
	assert_int_equal(proc_parse_cpu_line(&p, p + strlen(p), &idx, &t), -EINVAL);
}

static void test_meminfo(void **state)
{
	static const char mi[] = "MemTotal:       24684092 kB\nMemFree:        23000000 kB\n"
				 "MemAvailable:   24000000 kB\nBuffers:           12345 kB\n"
				 "Cached:           500000 kB\nSwapCached:            0 kB\n"
				 "Shmem:              100 kB\nSReclaimable:      40000 kB\n"
				 "SwapTotal:       1048576 kB\nSwapFree:         1000000 kB\n";
	struct proc_meminfo_raw m;
	assert_int_equal(proc_parse_meminfo(S(mi), &m), 0);
	assert_int_equal(m.total, 24684092);
	assert_int_equal(m.avail, 24000000);
	assert_true(m.has_avail);
	assert_int_equal(m.buffers, 12345);
	assert_int_equal(m.cached, 500000); /* not SwapCached */
	assert_int_equal(m.sreclaimable, 40000);
	assert_int_equal(m.swap_total, 1048576);
	assert_int_equal(m.swap_free, 1000000);
	assert_int_equal(proc_parse_meminfo(S("MemTotal: 5 kB\n"), &m), -EINVAL);
	assert_int_equal(proc_parse_meminfo(S("MemTotal: 5 kB\nMemFree: 3 kB\n"), &m), 0);
	assert_false(m.has_avail);
}

static void test_loadavg_uptime(void **state)
{
	double l[3], up;
	unsigned r, tot;
	uint64_t last;
	assert_int_equal(proc_parse_loadavg(S("0.52 10.58 123.05 2/345 12345\n"), l, &r, &tot, &last), 0);
	assert_int_equal(last, 12345);
	assert_true(l[0] > 0.519 && l[0] < 0.521);
	assert_true(l[1] > 10.579 && l[1] < 10.581);
	assert_true(l[2] > 123.049 && l[2] < 123.051);
	assert_int_equal(r, 2);
	assert_int_equal(tot, 345);
	assert_int_equal(proc_parse_loadavg(S("0.52 0.58"), l, &r, &tot, &last), -EINVAL);
	assert_int_equal(proc_parse_loadavg(S("0.52 0.58 0.59 2"), l, &r, &tot, &last), -EINVAL);
	/* Cut inside the last pid: the loads count, the pid is not trusted. */
	assert_int_equal(proc_parse_loadavg(S("0.52 0.58 0.59 2/3 123"), l, &r, &tot, &last), 0);
	assert_int_equal(last, 0);
	assert_int_equal(proc_parse_uptime(S("502.75 965.59\n"), &up), 0);
	assert_true(up > 502.74 && up < 502.76);
	assert_int_equal(proc_parse_uptime(S(""), &up), -EINVAL);
}

/*
 * The kernel view's reads of a thread's stat (they were kernel_stack_parse_stat's
 * tests in test_kernel_parse.c): state, flags, start time, escaped comm.
 */
static void test_stat_kernel_view(void **state)
{
	/* A comm can contain ") S (" to fool a naive parser; the last ')' ends it. */
	const char text[] =
	    "4242 (evil) R 1 (x) D 7915 7906 4424 0 -1 2097216 105 0 0 0 0 0 0 0 20 "
	    "0 1 0 41795 2400256 281\n";
	struct proc_stat_raw st;
	char comm[64];
	assert_int_equal(proc_parse_stat(S(text), &st), 0);
	wt_escape_to(comm, sizeof(comm), st.comm, st.comm_len, 0);
	assert_string_equal(comm, "evil) R 1 (x");
	assert_int_equal(st.state, 'D');
	assert_int_equal(st.flags, 2097216);
	assert_true(st.flags & PROC_PF_KTHREAD);
	assert_int_equal(st.starttime, 41795);

	const char esc[] = "1 (a\033[2Jb) S 0 0 0 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 7 0 0\n";
	assert_int_equal(proc_parse_stat(S(esc), &st), 0);
	wt_escape_to(comm, sizeof(comm), st.comm, st.comm_len, 0);
	assert_string_equal(comm, "a\\e[2Jb");
	assert_int_equal(st.state, 'S');
	assert_false(st.flags & PROC_PF_KTHREAD);

	/* Truncated before the start time; no parentheses at all. */
	assert_int_equal(proc_parse_stat(S("1 (a) S 0 0 0 0 -1 4194304 0 0"), &st), -EINVAL);
	assert_int_equal(proc_parse_stat(S("1 a S"), &st), -EINVAL);
}

/* Status as this machine prints it (cat /proc/self/status, first lines). */
static const char status_self[] = "Name:\tcat\nUmask:\t0022\nState:\tR (running)\nTgid:\t7216\n"
				  "Ngid:\t0\nPid:\t7216\nPPid:\t7214\nTracerPid:\t0\n"
				  "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t256\nGroups:\t \n"
				  "Threads:\t1\nCapEff:\t000001fffeffffff\n";

static void test_status_fields(void **state)
{
	struct proc_status st;
	assert_int_equal(proc_parse_status(S(status_self), &st), 0);
	assert_int_equal(st.tgid, 7216);
	assert_int_equal(st.ppid, 7214);
	assert_int_equal(st.tracer_pid, 0);
	assert_int_equal(st.threads, 1);
	assert_int_equal(st.state, 'R');
	assert_int_equal(st.cap_eff, 0x000001fffeffffffull);
	assert_true(st.cap_eff & (1ull << 19)); /* CAP_SYS_PTRACE */
	assert_int_equal(st.have, PROC_STATUS_TGID | PROC_STATUS_PPID | PROC_STATUS_TRACER |
				      PROC_STATUS_THREADS | PROC_STATUS_STATE | PROC_STATUS_CAPEFF);

	/* A traced zombie thread of another process. */
	assert_int_equal(proc_parse_status(S("Name:\tw\nState:\tZ (zombie)\nTgid:\t10\nPPid:\t1\n"
					     "TracerPid:\t4321\nThreads:\t3\n"),
					   &st),
			 0);
	assert_int_equal(st.tgid, 10);
	assert_int_equal(st.tracer_pid, 4321);
	assert_int_equal(st.threads, 3);
	assert_int_equal(st.state, 'Z');
	assert_false(st.have & PROC_STATUS_CAPEFF);
	assert_int_equal(st.cap_eff, 0);
}

static void test_status_hostile(void **state)
{
	struct proc_status st;
	/*
	 * A process names itself "TracerPid:99" (the kernel escapes a newline
	 * in Name, not a tab or a colon): keys count only at a line's start,
	 * so it cannot pose as traced by whytop's thread 99, nor fake a Tgid.
	 */
	assert_int_equal(proc_parse_status(S("Name:\tTracerPid:\t99\nState:\tS (sleeping)\n"
					     "Tgid:\t50\nPPid:\t1\nTracerPid:\t0\n"),
					   &st),
			 0);
	assert_int_equal(st.tracer_pid, 0);
	assert_int_equal(proc_parse_status(S("Name:\tx\\nTgid:\t1\nState:\tS (sleeping)\n"), &st),
			 -EINVAL);
	assert_int_equal(st.tgid, 0);
	/* Cut inside a number: not trusted. */
	assert_int_equal(proc_parse_status(S("Tgid:\t12\nTracerPid:\t43"), &st), 0);
	assert_int_equal(st.tgid, 12);
	assert_false(st.have & PROC_STATUS_TRACER);
	assert_int_equal(st.tracer_pid, 0);
	/* Not a pid: too large, negative, missing. */
	assert_int_equal(proc_parse_status(S("Tgid:\t99999999999\n"), &st), -EINVAL);
	assert_int_equal(proc_parse_status(S("Tgid:\t-5\n"), &st), -EINVAL);
	assert_int_equal(proc_parse_status(S("Tgid:\n"), &st), -EINVAL);
	assert_int_equal(proc_parse_status(S(""), &st), -EINVAL);
	assert_int_equal(st.state, '?');
	/* A huge CapEff saturates as strtoull did. */
	assert_int_equal(proc_parse_status(S("Tgid:\t1\nCapEff:\tffffffffffffffffff\n"), &st), 0);
	assert_int_equal(st.cap_eff, UINT64_MAX);
}

static void test_maps_lines(void **state)
{
	const char maps[] =
	    "55703d62d000-55703d633000 r-xp 00002000 fe:00 247498                     "
	    "/usr/bin/head\n"
	    "7ffd1c3a0000-7ffd1c3c1000 rw-p 00000000 00:00 0                          [stack]\n"
	    "7f0000000000-7f0000001000 rw-s 00000000 00:00 0 \n"
	    "7f0000001000-7f0000002000 ---p 00000000 00:00 0\n"
	    "garbage line\n"
	    "7f1000000000-7f1000001000 r--p 00001000 103:0a 12 /tmp/a b\\012c (deleted)\n"
	    "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  "
	    "[vsyscall]";
	const char *p = maps, *end = maps + sizeof(maps) - 1;
	struct proc_map m;

	assert_int_equal(proc_parse_maps_line(&p, end, &m), 0);
	assert_int_equal(m.start, 0x55703d62d000ull);
	assert_int_equal(m.end, 0x55703d633000ull);
	assert_string_equal(m.perms, "r-xp");
	assert_int_equal(m.offset, 0x2000);
	assert_int_equal(m.dev_major, 0xfe);
	assert_int_equal(m.dev_minor, 0);
	assert_int_equal(m.inode, 247498);
	assert_int_equal(m.path_len, strlen("/usr/bin/head"));
	assert_memory_equal(m.path, "/usr/bin/head", m.path_len);

	assert_int_equal(proc_parse_maps_line(&p, end, &m), 0);
	assert_string_equal(m.perms, "rw-p");
	assert_int_equal(m.path_len, 7);
	assert_memory_equal(m.path, "[stack]", 7);

	/* Anonymous: no path, with or without the space after the inode. */
	assert_int_equal(proc_parse_maps_line(&p, end, &m), 0);
	assert_string_equal(m.perms, "rw-s");
	assert_int_equal(m.path_len, 0);
	assert_int_equal(proc_parse_maps_line(&p, end, &m), 0);
	assert_string_equal(m.perms, "---p");
	assert_int_equal(m.inode, 0);
	assert_int_equal(m.path_len, 0);

	assert_int_equal(proc_parse_maps_line(&p, end, &m), -EINVAL);

	/* The path as the kernel escapes it: spaces, "\012", " (deleted)" kept. */
	assert_int_equal(proc_parse_maps_line(&p, end, &m), 0);
	assert_int_equal(m.dev_major, 0x103);
	assert_int_equal(m.dev_minor, 0xa);
	assert_int_equal(m.offset, 0x1000);
	assert_int_equal(m.path_len, strlen("/tmp/a b\\012c (deleted)"));
	assert_memory_equal(m.path, "/tmp/a b\\012c (deleted)", m.path_len);

	/* The last line, without a newline. */
	assert_int_equal(proc_parse_maps_line(&p, end, &m), 0);
	assert_int_equal(m.start, 0xffffffffff600000ull);
	assert_string_equal(m.perms, "--xp");
	assert_memory_equal(m.path, "[vsyscall]", m.path_len);
	assert_ptr_equal(p, end);

	/* Cut anywhere before the inode: refused, never read past the end. */
	const char line[] = "7f0000000000-7f0000001000 r-xp 00000000 08:01 4242 /lib/x.so\n";
	for (size_t cut = 0; cut < sizeof(line) - 1; cut++) {
		const char *q = line;
		int r = proc_parse_maps_line(&q, line + cut, &m);
		if (cut < strlen("7f0000000000-7f0000001000 r-xp 00000000 08:01 4"))
			assert_int_equal(r, -EINVAL);
		else
			assert_int_equal(r, 0);
		assert_ptr_equal(q, line + cut);
	}
	const char *bad[] = {"7f00-", "7f00-7f01", "7f00 7f01 r-xp 0 0:0 0", "-7f01 r-xp 0 0:0 0",
			     "7f00-7f01 r-xp 0 0 0", "7f00-7f01 r-xp 0 0:0 x", "7f00-7f01 r-xpxx 0 0:0 0"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *q = bad[i];
		if (proc_parse_maps_line(&q, bad[i] + strlen(bad[i]), &m) != -EINVAL)
			fail_msg("accepted malformed maps line '%s'", bad[i]);
	}
}


/* The status lines the sched columns read on every refresh. */
static void test_status_sched(void **state)
{
	static const char st[] = "Name:\tcat\nTgid:\t12\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\n"
				 "Mems_allowed_list:\t0\nvoluntary_ctxt_switches:\t150\n"
				 "nonvoluntary_ctxt_switches:\t545\n";
	const char *cpus;
	size_t cl;
	uint64_t v, nv;
	assert_int_equal(proc_parse_status_sched(S(st), &cpus, &cl, &v, &nv), 0);
	assert_int_equal(cl, 3);
	assert_memory_equal(cpus, "0-1", 3);
	assert_int_equal(v, 150);
	assert_int_equal(nv, 545);
	/* cut before the last number ends: not trusted */
	assert_int_equal(proc_parse_status_sched(st, sizeof(st) - 3, &cpus, &cl, &v, &nv), -EINVAL);
	/* a hostile Name cannot fake a key: keys only at the start of a line */
	static const char fake[] = "Name:\tx voluntary_ctxt_switches:\t9\nCpus_allowed_list:\t0\n"
				   "nonvoluntary_ctxt_switches:\t1\n";
	assert_int_equal(proc_parse_status_sched(S(fake), &cpus, &cl, &v, &nv), -EINVAL);
}

static void test_cgroup_lines(void **state)
{
	const char *p;
	size_t n;
	static const char v2[] = "0::/system.slice/cron.service\n";
	assert_int_equal(proc_parse_cgroup(S(v2), &p, &n), 0);
	assert_int_equal(n, strlen("/system.slice/cron.service"));
	assert_memory_equal(p, "/system.slice/cron.service", n);
	/* hybrid: the v2 line wins, wherever it is */
	static const char hy[] = "12:cpu,cpuacct:/x\n1:name=systemd:/user.slice/a.scope\n0::/y:z\n";
	assert_int_equal(proc_parse_cgroup(S(hy), &p, &n), 0);
	assert_memory_equal(p, "/y:z", n);
	/* v1 only: name=systemd's */
	static const char v1[] = "12:cpu,cpuacct:/x\n1:name=systemd:/user.slice/a.scope\n";
	assert_int_equal(proc_parse_cgroup(S(v1), &p, &n), 0);
	assert_memory_equal(p, "/user.slice/a.scope", n);
	/* cut short (no newline), or nothing: unknown */
	assert_int_equal(proc_parse_cgroup("0::/sys", 7, &p, &n), -EINVAL);
	assert_int_equal(proc_parse_cgroup("", 0, &p, &n), -EINVAL);
}

#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void test_cgroup_shorten(void **state)
{
	static const struct {
		const char *in, *out, *id;
	} cases[] = {
		{ "/", "/", "" },
		{ "/init.scope", "init", "" },
		{ "/system.slice/cron.service", "[S]cron", "" },
		{ "/user.slice/user-1000.slice/session-3.scope", "[U:1000]session-3", "" },
		{ "/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome.scope",
		  "[U:1000]app/app-gnome", "" },
		{ "/system.slice/docker-" HEX64 ".scope", "[S]docker:0123456789ab", "0123456789ab" },
		{ "/machine.slice/libpod-" HEX64 ".scope/container", "[M]podman:0123456789ab/container",
		  "0123456789ab" },
		{ "/docker/" HEX64, "docker/0123456789ab", "0123456789ab" },
		{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1a2b.slice/"
		  "cri-containerd-" HEX64 ".scope",
		  "[K]burstable/pod1a2b/cri:0123456789ab", "0123456789ab" },
		/* 63 hex digits: not an id */
		{ "/system.slice/docker-" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde"
		  ".scope", NULL, "" },
	};
	char out[256], id[13];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		proc_cgroup_shorten(cases[i].in, strlen(cases[i].in), out, sizeof(out));
		if (cases[i].out)
			assert_string_equal(out, cases[i].out);
		assert_int_equal(proc_cgroup_container(cases[i].in, strlen(cases[i].in), id),
				 cases[i].id[0] != '\0');
		assert_string_equal(id, cases[i].id);
	}
	/* a small buffer is cut, never overrun */
	proc_cgroup_shorten("/system.slice/cron.service", 26, out, 5);
	assert_string_equal(out, "[S]c");
}

static void test_ioprio(void **state)
{
	char b[8];
	/* class NONE: best effort at (nice + 20) / 5, as the kernel serves it */
	proc_ioprio_format(0, 0, b, sizeof(b));
	assert_string_equal(b, "B4");
	proc_ioprio_format(0, 19, b, sizeof(b));
	assert_string_equal(b, "B7");
	proc_ioprio_format(0, -20, b, sizeof(b));
	assert_string_equal(b, "B0");
	proc_ioprio_format(PROC_IOPRIO_RT << 13 | 0, 0, b, sizeof(b));
	assert_string_equal(b, "R0");
	proc_ioprio_format(PROC_IOPRIO_BE << 13 | 6, 0, b, sizeof(b));
	assert_string_equal(b, "B6");
	proc_ioprio_format(PROC_IOPRIO_IDLE << 13, 0, b, sizeof(b));
	assert_string_equal(b, "id");
	/* RT before BE before idle */
	assert_true(proc_ioprio_key(PROC_IOPRIO_RT << 13 | 7, 0) < proc_ioprio_key(0, -20));
	assert_true(proc_ioprio_key(0, 19) < proc_ioprio_key(PROC_IOPRIO_IDLE << 13, 0));
	assert_int_equal(proc_ioprio_key(0, 0), proc_ioprio_key(PROC_IOPRIO_BE << 13 | 4, 5));
}

/* The /proc/pressure files: some and full, cpu without full, broken and cut lines; no locale. */
static void test_psi(void **state)
{
	(void)state;
	struct proc_psi psi;
	const char *io = "some avg10=0.12 avg60=3.40 avg300=10.00 total=123456\n"
			 "full avg10=0.05 avg60=1.50 avg300=7.25 total=99\n";
	assert_int_equal(proc_parse_psi(io, strlen(io), &psi), 0);
	assert_true(psi.have && psi.has_full);
	assert_true(psi.some[0] > 0.119 && psi.some[0] < 0.121);
	assert_true(psi.some[1] > 3.39 && psi.some[1] < 3.41);
	assert_true(psi.some[2] > 9.99 && psi.some[2] < 10.01);
	assert_true(psi.full[2] > 7.24 && psi.full[2] < 7.26);

	const char *cpu = "some avg10=99.99 avg60=0.00 avg300=0.01 total=5\n";
	assert_int_equal(proc_parse_psi(cpu, strlen(cpu), &psi), 0);
	assert_true(psi.have && !psi.has_full);
	assert_true(psi.some[0] > 99.98 && psi.some[0] < 100.0);

	/* A value cut short, a missing field, a comma decimal: not a reading. */
	const char *cut = "some avg10=0.12 avg60=";
	assert_int_equal(proc_parse_psi(cut, strlen(cut), &psi), -EINVAL);
	assert_false(psi.have);
	const char *comma = "some avg10=0,12 avg60=1,00 avg300=2,00 total=1\n";
	assert_int_equal(proc_parse_psi(comma, strlen(comma), &psi), -EINVAL);
	const char *none = "";
	assert_int_equal(proc_parse_psi(none, 0, &psi), -EINVAL);
	/* Only the given length is read: the "full" line past it is not seen. */
	assert_int_equal(proc_parse_psi(io, strcspn(io, "\n") + 1, &psi), 0);
	assert_false(psi.has_full);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_real_line),
		cmocka_unit_test(test_stat_kthread_negative_prio),
		cmocka_unit_test(test_stat_hostile_comm),
		cmocka_unit_test(test_stat_truncated),
		cmocka_unit_test(test_numbers_huge),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_statm_io_syscall),
		cmocka_unit_test(test_cpu_lines),
		cmocka_unit_test(test_meminfo),
		cmocka_unit_test(test_loadavg_uptime),
		cmocka_unit_test(test_stat_kernel_view),
		cmocka_unit_test(test_status_fields),
		cmocka_unit_test(test_status_hostile),
		cmocka_unit_test(test_maps_lines),
		cmocka_unit_test(test_status_sched),
		cmocka_unit_test(test_cgroup_lines),
		cmocka_unit_test(test_cgroup_shorten),
		cmocka_unit_test(test_ioprio),
		cmocka_unit_test(test_psi),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
