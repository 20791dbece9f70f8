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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
