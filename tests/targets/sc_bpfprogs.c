/*
 * sc_bpfprogs: which of whytop's eBPF syscall counters (programs named
 * wt_sc_*) exist, so tests can check that nothing keeps counting after
 * whytop ended or was killed -- precisely, even while other whytops (other
 * tests, other people) count on the same machine:
 *   sc_bpfprogs ids PID     ids of the wt_sc_* programs whose fds PID holds
 *   sc_bpfprogs alive ID... how many of those program ids still exist
 *   sc_bpfprogs             how many wt_sc_* programs exist machine-wide
 * Prints -1 when built without libbpf.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

#ifdef HAVE_LIBBPF
#include <bpf/bpf.h>
#include <linux/bpf.h>

/* 1 if the program with this id exists and is ours, 0 if not. */
static int ours(unsigned int id)
{
	int fd = bpf_prog_get_fd_by_id(id);
	if (fd < 0)
		return 0;
	struct bpf_prog_info info;
	unsigned int len = sizeof(info);
	memset(&info, 0, sizeof(info));
	int r =
	    bpf_obj_get_info_by_fd(fd, &info, &len) == 0 && strncmp(info.name, "wt_sc_", 6) == 0;
	close(fd);
	return r;
}

static int ids_of(const char *pid)
{
	char path[256];
	snprintf(path, sizeof(path), "/proc/%s/fdinfo", pid);
	DIR *d = opendir(path);
	if (!d)
		return 0;
	unsigned int seen[64];
	int nseen = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		char p[512], line[256];
		snprintf(p, sizeof(p), "%s/%s", path, de->d_name);
		FILE *f = fopen(p, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			unsigned int id;
			/* a program's fd and its link's fd both name it */
			if (sscanf(line, "prog_id: %u", &id) != 1 || !ours(id))
				continue;
			int dup = 0;
			for (int i = 0; i < nseen; i++)
				dup |= seen[i] == id;
			if (!dup && nseen < 64) {
				seen[nseen++] = id;
				printf("%u\n", id);
			}
		}
		fclose(f);
	}
	closedir(d);
	return 0;
}
#endif

int main(int argc, char **argv)
{
#ifdef HAVE_LIBBPF
	if (argc == 3 && strcmp(argv[1], "ids") == 0)
		return ids_of(argv[2]);
	if (argc >= 2 && strcmp(argv[1], "alive") == 0) {
		int n = 0;
		for (int i = 2; i < argc; i++)
			n += ours((unsigned int)strtoul(argv[i], NULL, 10));
		printf("%d\n", n);
		return 0;
	}
	unsigned int id = 0;
	int n = 0;
	while (bpf_prog_get_next_id(id, &id) == 0)
		n += ours(id);
	printf("%d\n", n);
#else
	(void)argc;
	(void)argv;
	printf("-1\n");
#endif
	return 0;
}
