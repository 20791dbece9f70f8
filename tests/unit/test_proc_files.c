/*
 * test_proc_files.c: proc_fds_read (src/core/proc/files.c) on this
 * very process: the fds it opens are listed in order with their paths, a
 * file whose name holds a newline and an escape comes out escaped, a
 * closed fd is gone, and a process that does not exist is -ESRCH with a
 * sentence.
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
#include <unistd.h>

#include <cmocka.h>

#include <whytop/files.h>
#include <whytop/util.h>

static const struct proc_fd *find_fd(const struct proc_fd *v, size_t n, int fd)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].fd == fd)
			return &v[i];
	return NULL;
}

static void test_own_fds(void **state)
{
	(void)state;
	char dir[] = "/tmp/whytop-files.XXXXXX", plain[64], evil[80];
	assert_non_null(mkdtemp(dir));
	snprintf(plain, sizeof(plain), "%s/plain.txt", dir);
	snprintf(evil, sizeof(evil), "%s/a\nb\033[31m", dir);
	int f1 = open(plain, O_RDWR | O_CREAT, 0600), f2 = open(evil, O_RDWR | O_CREAT, 0600);
	assert_true(f1 >= 0 && f2 >= 0);

	struct proc_fd *v = NULL;
	size_t n = 0;
	struct wt_err err = {0};
	assert_int_equal(proc_fds_read(getpid(), &v, &n, &err), 0);
	for (size_t i = 1; i < n; i++)
		assert_true(v[i - 1].fd < v[i].fd);
	const struct proc_fd *p = find_fd(v, n, f1), *e = find_fd(v, n, f2);
	assert_non_null(p);
	assert_string_equal(p->target, plain);
	assert_non_null(e);
	assert_null(strchr(e->target, '\n'));
	assert_null(strchr(e->target, '\033'));
	assert_non_null(strstr(e->target, "/a\\nb\\e[31m"));
	proc_fds_free(v, n);

	close(f2);
	assert_int_equal(proc_fds_read(getpid(), &v, &n, &err), 0);
	assert_null(find_fd(v, n, f2));
	assert_non_null(find_fd(v, n, f1));
	proc_fds_free(v, n);
	close(f1);
	unlink(plain);
	unlink(evil);
	rmdir(dir);
}

static void test_no_process(void **state)
{
	(void)state;
	struct proc_fd *v = NULL;
	size_t n = 0;
	struct wt_err err = {0};
	/* above the kernel's pid_max limit (4194304): never a process */
	assert_int_equal(proc_fds_read(2147483647, &v, &n, &err), -ESRCH);
	assert_non_null(strstr(err.msg, "process 2147483647 has exited"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_own_fds),
	    cmocka_unit_test(test_no_process),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
