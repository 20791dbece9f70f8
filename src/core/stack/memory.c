/*
 * memory.c: a debug_proc's memory as the unwinders read it, one word at a
 * time: the stack windows copied while the threads were held (snapshot.c),
 * then a loaded snapshot's file (snapfile.c), then a direct-mapped cache of
 * read-only file pages (unwind tables and code do not change), then the
 * live process (attach_read_mem).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <whytop/attach.h>

#include "core/stack/stack_int.h"

void debug_pages_flush(struct debug_proc *dp)
{
	for (size_t i = 0; i < DEBUG_PAGE_SLOTS; i++)
		dp->pages[i].addr = 0;
}

static bool debug_window_word(const struct snap_thread *t, uint64_t addr, void *val, size_t len)
{
	if (!t->win || addr < t->win_lo || addr + len > t->win_lo + t->win_len)
		return false;
	memcpy(val, t->win + (addr - t->win_lo), len);
	return true;
}

/* len bytes (4 or 8) at addr: the stack copies, cached read-only pages, the live process. */
static int debug_mem_read(struct debug_proc *dp, uint64_t addr, void *val, size_t len)
{
	if (dp->cur && debug_window_word(dp->cur, addr, val, len))
		return 0;
	if (dp->snap)
		for (size_t i = 0; i < dp->snap->nthreads; i++)
			if (debug_window_word(&dp->snap->threads[i], addr, val, len))
				return 0;
	if (dp->stored)
		return snapfile_mem_read(dp, addr, val, len);
	const struct debug_map *m = debug_proc_find_map(dp, addr);
	uint64_t page = addr & ~4095ull;
	if (m && m->file && !m->writable && m->readable && (addr & 4095) <= 4096 - len && page) {
		/* Unwind tables and code do not change: keep their pages. */
		struct debug_page *pg = &dp->pages[(page >> 12) % DEBUG_PAGE_SLOTS];
		if (pg->addr != page) {
			ssize_t n = attach_read_mem(dp->pid, page, pg->data, sizeof(pg->data));
			if (n != (ssize_t)sizeof(pg->data)) {
				pg->addr = 0;
				goto live;
			}
			pg->addr = page;
		}
		memcpy(val, pg->data + (addr - page), len);
		return 0;
	}
live:
	if (attach_read_mem(dp->pid, addr, val, len) != (ssize_t)len)
		return -EFAULT;
	return 0;
}

int debug_mem_read_word(struct debug_proc *dp, uint64_t addr, uint64_t *val)
{
	return debug_mem_read(dp, addr, val, 8);
}

int debug_mem_read_word32(struct debug_proc *dp, uint64_t addr, uint64_t *val)
{
	uint32_t v;
	int r = debug_mem_read(dp, addr, &v, 4);
	if (r == 0)
		*val = v;
	return r;
}
