/*
 * maps.c: a debug_proc's memory map: /proc/PID/maps read whole (kept, so
 * that a walk notices a dlopen or munmap by comparing the text), parsed by
 * proc's maps parser into sorted debug_maps, and the map of an address.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/util.h>

#include "core/proc/parse.h"
#include "core/stack/stack_int.h"

int debug_parse_maps(struct debug_proc *dp)
{
	size_t n = 0, cap = 64;
	struct debug_map *maps = malloc(cap * sizeof(*maps));
	if (!maps)
		return -ENOMEM;
	const char *p = dp->maps_text, *end = p + dp->maps_len;
	while (p < end) {
		/* proc's maps parser (core/proc/parse.h); the path stays as maps escapes it. */
		struct proc_map m;
		if (proc_parse_maps_line(&p, end, &m) == 0) {
			if (n == cap) {
				void *q = realloc(maps, (cap *= 2) * sizeof(*maps));
				if (!q) {
					free(maps);
					return -ENOMEM;
				}
				maps = q;
			}
			maps[n++] = (struct debug_map){
			    .start = m.start,
			    .end = m.end,
			    .readable = m.perms[0] == 'r',
			    .writable = m.perms[1] == 'w',
			    .exec = m.perms[2] == 'x',
			    .file = m.inode != 0 && m.path_len > 0 && m.path[0] == '/',
			    .offset = m.offset,
			    .ino = m.inode,
			    .dev_major = m.dev_major,
			    .dev_minor = m.dev_minor,
			    .path = m.path,
			    .path_len = m.path_len,
			};
		}
	}
	free(dp->maps);
	dp->maps = maps;
	dp->nmaps = n;
	return 0;
}

int debug_proc_read_maps(struct debug_proc *dp, bool *changed)
{
	char path[64];
	char *text;
	size_t len;
	snprintf(path, sizeof(path), "/proc/%d/maps", dp->pid);
	int r = wt_read_all_at(AT_FDCWD, path, &text, &len);
	if (r < 0)
		return r;
	if (len == 0) {
		free(text);
		return -ESRCH; /* a zombie has no map */
	}
	*changed = !dp->maps_text || len != dp->maps_len || memcmp(text, dp->maps_text, len) != 0;
	if (!*changed) {
		free(text);
		return 0;
	}
	free(dp->maps_text);
	dp->maps_text = text;
	dp->maps_len = len;
	return debug_parse_maps(dp);
}

const struct debug_map *debug_proc_find_map(const struct debug_proc *dp, uint64_t addr)
{
	size_t lo = 0, hi = dp->nmaps;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (addr < dp->maps[mid].start)
			hi = mid;
		else if (addr >= dp->maps[mid].end)
			lo = mid + 1;
		else
			return &dp->maps[mid];
	}
	return NULL;
}
