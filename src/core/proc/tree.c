/*
 * tree.c: ordering the process table: a flat sort by any column, or a tree
 * (children under their parent, siblings sorted by a column) with each
 * task's depth and whether it is its parent's last child, for drawing
 * "|-" and "`-" branches.
 *
 * In the threads view a thread hangs under its process's leader. A task
 * whose parent is not in the table (filtered out, or pid 0) is a root. The
 * table is a snapshot taken over time, so the parent links are not trusted
 * to form a tree: anything a cycle would hide is emitted as a root.
 */
#include <stdlib.h>
#include <string.h>

#include <whytop/proc.h>
#include "core/proc/internal.h"

struct sort_ctx {
	enum proc_col col;
	bool desc;
};

static int task_order(const void *pa, const void *pb, void *arg)
{
	const struct sort_ctx *c = arg;
	const struct proc_task *a = pa, *b = pb;
	int r = proc_task_cmp(a, b, c->col);
	if (c->desc)
		r = -r;
	if (r == 0) /* equal keys stay in pid order either way */
		r = (a->pid > b->pid) - (a->pid < b->pid);
	return r;
}

void proc_table_sort(struct proc_table *t, enum proc_col col, bool descending)
{
	size_t n;
	struct proc_task *tasks = proc_table_tasks_(t, &n);
	struct sort_ctx c = { col, descending };
	if (n > 1)
		qsort_r(tasks, n, sizeof(*tasks), task_order, &c);
	for (size_t i = 0; i < n; i++) {
		tasks[i].depth = 0;
		tasks[i].last_child = false;
	}
}

struct pid_idx {
	pid_t pid;
	int idx;
};

static int pid_idx_cmp(const void *a, const void *b)
{
	pid_t x = ((const struct pid_idx *)a)->pid, y = ((const struct pid_idx *)b)->pid;
	return (x > y) - (x < y);
}

static int find_idx(const struct pid_idx *map, size_t n, pid_t pid)
{
	struct pid_idx key = { pid, 0 };
	const struct pid_idx *f = bsearch(&key, map, n, sizeof(*map), pid_idx_cmp);
	return f ? f->idx : -1;
}

void proc_table_tree(struct proc_table *t, enum proc_col col, bool descending)
{
	size_t n;
	struct proc_task *tasks;

	proc_table_sort(t, col, descending);
	tasks = proc_table_tasks_(t, &n);
	if (n < 2)
		return;

	struct pid_idx *map = malloc(n * sizeof(*map));
	int *first = malloc(n * sizeof(int)), *last = malloc(n * sizeof(int));
	int *next = malloc(n * sizeof(int)), *stack = malloc(n * sizeof(int));
	int *depth = malloc(n * sizeof(int)), *roots = malloc(n * sizeof(int));
	bool *done = calloc(n, sizeof(bool));
	struct proc_task *out = malloc(n * sizeof(*out));
	if (!map || !first || !last || !next || !stack || !depth || !roots || !done || !out)
		goto out; /* out of memory: stay sorted flat */

	for (size_t i = 0; i < n; i++) {
		map[i].pid = tasks[i].pid;
		map[i].idx = (int)i;
		first[i] = last[i] = next[i] = -1;
	}
	qsort(map, n, sizeof(*map), pid_idx_cmp);

	/* Children lists in sorted order, since tasks is already sorted. */
	size_t nroots = 0;
	for (size_t i = 0; i < n; i++) {
		const struct proc_task *p = &tasks[i];
		pid_t parent = p->is_thread ? p->tgid : p->ppid;
		int pi = parent > 0 && parent != p->pid ? find_idx(map, n, parent) : -1;
		if (pi < 0 || pi == (int)i) {
			roots[nroots++] = (int)i;
			continue;
		}
		if (last[pi] < 0)
			first[pi] = (int)i;
		else
			next[last[pi]] = (int)i;
		last[pi] = (int)i;
	}

	size_t o = 0;
	for (size_t pass = 0; pass < 2; pass++) {
		/* Pass 0 walks from the roots; pass 1 picks up what a cycle hid. */
		size_t count = pass == 0 ? nroots : n;
		for (size_t r = 0; r < count; r++) {
			int root = pass == 0 ? roots[r] : (int)r;
			if (done[root])
				continue;
			int sp = 0;
			stack[sp++] = root;
			depth[root] = 0;
			while (sp > 0) {
				int x = stack[--sp];
				if (done[x])
					continue;
				done[x] = true;
				out[o] = tasks[x];
				out[o].depth = depth[x];
				out[o].last_child = next[x] < 0;
				if (depth[x] == 0)
					out[o].last_child = pass == 0 && r + 1 == count;
				o++;
				/* Push children reversed so the first sorted child comes out first. */
				int base = sp;
				for (int c = first[x]; c >= 0; c = next[c]) {
					if (done[c])
						continue;
					depth[c] = depth[x] + 1;
					stack[sp++] = c;
				}
				for (int a = base, b = sp - 1; a < b; a++, b--) {
					int tmp = stack[a];
					stack[a] = stack[b];
					stack[b] = tmp;
				}
			}
		}
	}
	memcpy(tasks, out, o * sizeof(*out));
out:
	free(map);
	free(first);
	free(last);
	free(next);
	free(stack);
	free(depth);
	free(roots);
	free(done);
	free(out);
}
