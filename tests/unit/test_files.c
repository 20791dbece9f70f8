/*
 * test_files.c: the parsers of src/core/proc/files.c on canned text --
 * fdinfo, fd link targets, /proc/net tcp/tcp6/udp/unix/netlink lines
 * (IPv4 and IPv6 addresses, states, unix paths with an escape in them),
 * open flags as names, environ split and escaped -- and proc_fds_read on
 * this very process (a pipe, a file at a known offset).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <whytop/files.h>

static void test_fdinfo(void **state)
{
	(void)state;
	static const char t[] = "pos:\t1234\nflags:\t02102002\nmnt_id:\t27\nino:\t99\n";
	uint64_t pos = 0;
	unsigned flags = 0;
	assert_int_equal(proc_parse_fdinfo(t, sizeof(t) - 1, &pos, &flags), 0);
	assert_int_equal(pos, 1234);
	assert_int_equal(flags, 02102002);
	char buf[128];
	proc_fd_flags_str(flags, buf, sizeof(buf));
	assert_string_equal(buf, "O_RDWR|O_APPEND|O_CLOEXEC");
	proc_fd_flags_str(O_WRONLY | O_NONBLOCK, buf, sizeof(buf));
	assert_string_equal(buf, "O_WRONLY|O_NONBLOCK");
	proc_fd_flags_str(O_RDONLY, buf, sizeof(buf));
	assert_string_equal(buf, "O_RDONLY");
	static const char bad[] = "mnt_id:\t27\n";
	assert_int_equal(proc_parse_fdinfo(bad, sizeof(bad) - 1, &pos, &flags), -EINVAL);
}

static void test_classify(void **state)
{
	(void)state;
	assert_int_equal(proc_fd_classify("socket:[123]", 0), PROC_FD_SOCKET);
	assert_int_equal(proc_fd_classify("pipe:[77]", 0), PROC_FD_PIPE);
	assert_int_equal(proc_fd_classify("anon_inode:[eventfd]", 0), PROC_FD_EVENTFD);
	assert_int_equal(proc_fd_classify("anon_inode:[eventpoll]", 0), PROC_FD_EVENTPOLL);
	assert_int_equal(proc_fd_classify("anon_inode:[signalfd]", 0), PROC_FD_SIGNALFD);
	assert_int_equal(proc_fd_classify("anon_inode:[timerfd]", 0), PROC_FD_TIMERFD);
	assert_int_equal(proc_fd_classify("anon_inode:inotify", 0), PROC_FD_INOTIFY);
	assert_int_equal(proc_fd_classify("anon_inode:[io_uring]", 0), PROC_FD_ANON);
	assert_int_equal(proc_fd_classify("/memfd:buf (deleted)", S_IFREG), PROC_FD_MEMFD);
	assert_int_equal(proc_fd_classify("/dev/null", S_IFCHR), PROC_FD_CHR);
	assert_int_equal(proc_fd_classify("/dev/sda", S_IFBLK), PROC_FD_BLK);
	assert_int_equal(proc_fd_classify("/tmp", S_IFDIR), PROC_FD_DIR);
	assert_int_equal(proc_fd_classify("/etc/passwd", S_IFREG), PROC_FD_FILE);
	assert_string_equal(proc_fd_type_name(PROC_FD_EVENTFD), "eventfd");
	assert_string_equal(proc_fd_type_name((enum proc_fd_type)999), "other");
}

static const struct proc_sock *by_inode(const struct proc_sock *v, size_t n, uint64_t ino)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].inode == ino)
			return &v[i];
	return NULL;
}

static void test_net_inet(void **state)
{
	(void)state;
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
	skip(); /* the canned addresses are as a little-endian kernel prints them */
#endif
	static const char tcp[] =
	    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
	    "timeout inode\n"
	    "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0     "
	    "   0 1001 1 0000000000000000 100 0 0 10 0\n"
	    "   1: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000     "
	    "   0 1002 1 0000000000000000 20 4 30 10 -1\n"
	    "   2: garbage\n";
	static const char tcp6[] =
	    "  sl  local_address                         remote_address                        st "
	    "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	    "   0: 00000000000000000000000001000000:0035 00000000000000000000000000000000:0000 0A "
	    "00000000:00000000 00:00000000 00000000     0        0 2001 1 0000000000000000 100 0 0 "
	    "10 0\n"
	    "   1: B80D0120000000000000000001000000:01BB B80D0120000000000000000002000000:D431 01 "
	    "00000000:00000000 00:00000000 00000000     0        0 2002 1 0000000000000000 100 0 0 "
	    "10 0\n";
	static const char udp[] = "   sl  local_address rem_address   st tx_queue rx_queue tr "
				  "tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
				  "  100: 00000000:0044 00000000:0000 07 00000000:00000000 "
				  "00:00000000 00000000     0        0 3001 2 0000000000000000 0\n";
	struct proc_sock *v = NULL;
	size_t n = 0, cap = 0;
	assert_int_equal(proc_parse_net("tcp", tcp, sizeof(tcp) - 1, &v, &n, &cap), 0);
	assert_int_equal(proc_parse_net("tcp6", tcp6, sizeof(tcp6) - 1, &v, &n, &cap), 0);
	assert_int_equal(proc_parse_net("udp", udp, sizeof(udp) - 1, &v, &n, &cap), 0);
	assert_int_equal(n, 5);
	const struct proc_sock *s = by_inode(v, n, 1001);
	assert_non_null(s);
	assert_string_equal(s->proto, "tcp");
	assert_string_equal(s->local, "127.0.0.1:8080");
	assert_string_equal(s->remote, "");
	assert_string_equal(s->state, "LISTEN");
	s = by_inode(v, n, 1002);
	assert_string_equal(s->local, "127.0.0.1:50000");
	assert_string_equal(s->remote, "127.0.0.1:8080");
	assert_string_equal(s->state, "ESTABLISHED");
	s = by_inode(v, n, 2001);
	assert_string_equal(s->proto, "tcp6");
	assert_string_equal(s->local, "[::1]:53");
	assert_string_equal(s->state, "LISTEN");
	s = by_inode(v, n, 2002);
	assert_string_equal(s->local, "[2001:db8::1]:443");
	assert_string_equal(s->remote, "[2001:db8::2]:54321");
	assert_string_equal(s->state, "ESTABLISHED");
	s = by_inode(v, n, 3001);
	assert_string_equal(s->proto, "udp");
	assert_string_equal(s->local, "0.0.0.0:68");
	assert_string_equal(s->state, "");
	free(v);
}

static void test_net_unix_netlink(void **state)
{
	(void)state;
	static const char unx[] =
	    "Num       RefCount Protocol Flags    Type St Inode Path\n"
	    "0000000000000000: 00000002 00000000 00010000 0001 01 4001 /run/whytop.sock\n"
	    "0000000000000000: 00000003 00000000 00000000 0001 03 4002\n"
	    "0000000000000000: 00000002 00000000 00000000 0002 01 4003 @abstract name\033[31m\n";
	static const char nl[] = "sk               Eth Pid        Groups   Rmem     Wmem     Dump  "
				 "Locks    Drops    Inode\n"
				 "0000000067897175 0   4242       00000000 0        0        0     "
				 "2        0        5001\n";
	struct proc_sock *v = NULL;
	size_t n = 0, cap = 0;
	assert_int_equal(proc_parse_net("unix", unx, sizeof(unx) - 1, &v, &n, &cap), 0);
	assert_int_equal(proc_parse_net("netlink", nl, sizeof(nl) - 1, &v, &n, &cap), 0);
	assert_int_equal(n, 4);
	const struct proc_sock *s = by_inode(v, n, 4001);
	assert_string_equal(s->proto, "unix");
	assert_string_equal(s->local, "/run/whytop.sock");
	assert_string_equal(s->state, "LISTEN");
	s = by_inode(v, n, 4002);
	assert_string_equal(s->local, "");
	assert_string_equal(s->state, "CONNECTED");
	s = by_inode(v, n, 4003);
	assert_string_equal(s->local, "@abstract name\\e[31m");
	s = by_inode(v, n, 5001);
	assert_string_equal(s->proto, "netlink");
	assert_string_equal(s->local, "route port 4242");
	free(v);
}

static void test_environ(void **state)
{
	(void)state;
	static const char env[] = "HOME=/root\0EVIL=a\033]0;x\a\0\0PATH=/bin";
	char **v;
	size_t n;
	assert_int_equal(proc_parse_environ(env, sizeof(env) - 1, &v, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "HOME=/root");
	assert_string_equal(v[1], "EVIL=a\\e]0;x\\x07");
	assert_string_equal(v[2], "PATH=/bin");
	proc_environ_free(v, n);
}

static void test_own_fds(void **state)
{
	(void)state;
	int p[2];
	char path[] = "/tmp/whytop-files.XXXXXX";
	int f = mkstemp(path);
	assert_true(f >= 0);
	assert_int_equal(write(f, "0123456789", 10), 10);
	assert_int_equal(lseek(f, 7, SEEK_SET), 7);
	assert_int_equal(pipe(p), 0);
	struct proc_fd *v;
	size_t n;
	struct wt_err err;
	assert_int_equal(proc_fds_read(getpid(), &v, &n, &err), 0);
	bool file = false, rd = false;
	for (size_t i = 0; i < n; i++) {
		if (v[i].fd == f) {
			file = true;
			assert_int_equal(v[i].type, PROC_FD_FILE);
			assert_string_equal(v[i].target, path);
			assert_true(v[i].have_info);
			assert_int_equal(v[i].pos, 7);
			assert_int_equal(v[i].flags & O_ACCMODE, O_RDWR);
		}
		if (v[i].fd == p[0]) {
			rd = true;
			assert_int_equal(v[i].type, PROC_FD_PIPE);
			assert_int_equal(strncmp(v[i].target, "pipe:[", 6), 0);
		}
	}
	assert_true(file && rd);
	proc_fds_free(v, n);
	unlink(path);
	close(f);
	close(p[0]);
	close(p[1]);
	assert_int_equal(proc_fds_read(2147483647, &v, &n, &err), -ESRCH);
	assert_non_null(strstr(err.msg, "has exited"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fdinfo),   cmocka_unit_test(test_classify),
	    cmocka_unit_test(test_net_inet), cmocka_unit_test(test_net_unix_netlink),
	    cmocka_unit_test(test_environ),  cmocka_unit_test(test_own_fds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
