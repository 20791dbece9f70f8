/*
 * sc_bpfprogs: prints how many eBPF programs named wt_sc_* are loaded in
 * the kernel right now (whytop's syscall counters). A test runs it after
 * whytop ended, or was killed, to check that nothing keeps counting.
 * Prints -1 when built without libbpf.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

#ifdef HAVE_LIBBPF
#include <bpf/bpf.h>
#include <linux/bpf.h>
#endif

int main(void)
{
#ifdef HAVE_LIBBPF
	unsigned int id = 0;
	int n = 0;
	while (bpf_prog_get_next_id(id, &id) == 0) {
		int fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0)
			continue;
		struct bpf_prog_info info;
		unsigned int len = sizeof(info);
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 &&
		    strncmp(info.name, "wt_sc_", 6) == 0)
			n++;
		close(fd);
	}
	printf("%d\n", n);
#else
	printf("-1\n");
#endif
	return 0;
}
