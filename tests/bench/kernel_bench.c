/*
 * kernel_bench: what one refresh of the kernel view costs inside whytop
 * (no process start), side by side with the bare reads it is made of.
 *
 *   kernel_bench PID [N]
 *
 * For PID: kernel_stack_read (every thread: stat, status, syscall, wchan, stack,
 * decoding with fd links and path reads) against reading the same four
 * /proc files per thread with open+read+close and nothing else. For the
 * system: kernel_blocked_scan against opening /proc/PID/task/TID/stat for every
 * task. Medians of N runs (default 101), in microseconds, and the ratio.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <whytop/kernel.h>

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static uint64_t median(uint64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_u64);
	return v[n / 2];
}

static void read_file(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
	}
}

/* The same files kernel_stack_read reads per thread, raw. */
static void bare_proc(pid_t pid)
{
	char path[600];
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return;
	static const char *const files[] = { "stat", "status", "syscall", "wchan", "stack" };
	struct dirent *de;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			for (size_t i = 0; i < WT_ARRAY_SIZE(files); i++) {
				snprintf(path, sizeof(path), "/proc/%d/task/%s/%s", (int)pid,
					 de->d_name, files[i]);
				read_file(path);
			}
	closedir(d);
}

/* Every task's stat, as a scan for D tasks must read at least. */
static void bare_scan(void)
{
	DIR *p = opendir("/proc");
	struct dirent *de;
	char path[600];
	while (p && (de = readdir(p))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/task", de->d_name);
		DIR *t = opendir(path);
		struct dirent *te;
		while (t && (te = readdir(t)))
			if (te->d_name[0] != '.') {
				snprintf(path, sizeof(path), "/proc/%s/task/%s/stat", de->d_name,
					 te->d_name);
				read_file(path);
			}
		if (t)
			closedir(t);
	}
	if (p)
		closedir(p);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: kernel_bench PID [N]\n");
		return 2;
	}
	pid_t pid = atoi(argv[1]);
	int n = argc > 2 ? atoi(argv[2]) : 101;
	uint64_t *a = calloc((size_t)n, sizeof(*a)), *b = calloc((size_t)n, sizeof(*b));
	uint64_t *c = calloc((size_t)n, sizeof(*c)), *d = calloc((size_t)n, sizeof(*d));
	size_t nthreads = 0, ntasks = 0;
	for (int i = 0; i < n; i++) {
		struct kernel_proc *kp = NULL;
		struct kernel_blocked *bl = NULL;
		struct wt_err err;
		uint64_t t0 = wt_now_ns();
		if (kernel_stack_read(pid, NULL, &kp, &err)) {
			fprintf(stderr, "kernel_bench: %s\n", err.msg);
			return 1;
		}
		uint64_t t1 = wt_now_ns();
		bare_proc(pid);
		uint64_t t2 = wt_now_ns();
		kernel_blocked_scan(NULL, &bl, &err);
		uint64_t t3 = wt_now_ns();
		bare_scan();
		uint64_t t4 = wt_now_ns();
		nthreads = kp->nthreads;
		ntasks = bl ? bl->nscanned : 0;
		kernel_proc_free(kp);
		kernel_blocked_free(bl);
		a[i] = (t1 - t0) / 1000;
		b[i] = (t2 - t1) / 1000;
		c[i] = (t3 - t2) / 1000;
		d[i] = (t4 - t3) / 1000;
	}
	uint64_t ma = median(a, n), mb = median(b, n), mc = median(c, n), md = median(d, n);
	printf("%d runs; pid %d has %zu threads; %zu tasks on the system; medians in us\n", n,
	       (int)pid, nthreads, ntasks);
	printf("%-36s %8s   %-36s %8s   ratio\n", "whytop (in process)", "us", "bare reads", "us");
	printf("%-36s %8llu   %-36s %8llu   %.2f\n", "kernel_stack_read PID",
	       (unsigned long long)ma, "5 files x threads, open+read+close", (unsigned long long)mb,
	       mb ? (double)ma / (double)mb : 0.0);
	printf("%-36s %8llu   %-36s %8llu   %.2f\n", "kernel_blocked_scan", (unsigned long long)mc,
	       "every task's stat", (unsigned long long)md, md ? (double)mc / (double)md : 0.0);
	free(a);
	free(b);
	free(c);
	free(d);
	return 0;
}
