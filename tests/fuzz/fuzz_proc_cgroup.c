/*
 * fuzz_proc_cgroup: the files of the scheduling and cgroup columns:
 * status's Cpus_allowed_list and context switches, /proc/PID/cgroup, and
 * the shortening and container id of a cgroup path.
 */
#include <stdint.h>
#include "core/proc/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	const char *cpus, *path;
	size_t cpus_len, path_len;
	uint64_t v, nv;
	proc_parse_status_sched(buf, size, &cpus, &cpus_len, &v, &nv);
	if (proc_parse_cgroup(buf, size, &path, &path_len) == 0) {
		char shortened[64], id[13];
		proc_cgroup_shorten(path, path_len, shortened, sizeof(shortened));
		proc_cgroup_container(path, path_len, id);
	}
	/* The path functions on the raw input too: any bytes, any length. */
	char out[8], id[13];
	proc_cgroup_shorten(buf, size, out, sizeof(out));
	proc_cgroup_container(buf, size, id);
	return 0;
}
