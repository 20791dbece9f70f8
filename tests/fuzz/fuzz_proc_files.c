/*
 * fuzz_proc_files: what the Files tab and `whytop files` parse from /proc:
 * fdinfo, an fd's link target, the /proc/PID/net tables (the first byte
 * picks the table) and environ.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/files.h>

static const char *const protos[] = { "tcp", "tcp6", "udp", "udp6", "raw", "raw6", "unix", "netlink" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	const char *proto = protos[data[0] % (sizeof(protos) / sizeof(protos[0]))];
	const char *buf = (const char *)data + 1;
	size_t len = size - 1;

	uint64_t pos;
	unsigned flags;
	if (proc_parse_fdinfo(buf, len, &pos, &flags) == 0) {
		char fl[256];
		proc_fd_flags_str(flags, fl, sizeof(fl));
	}

	char *target = malloc(len + 1);
	if (target) {
		memcpy(target, buf, len);
		target[len] = '\0';
		proc_fd_type_name(proc_fd_classify(target, (unsigned)data[0] << 12));
		free(target);
	}

	struct proc_sock *socks = NULL;
	size_t n = 0, cap = 0;
	proc_parse_net(proto, buf, len, &socks, &n, &cap);
	free(socks);

	char **vars;
	size_t nv;
	if (proc_parse_environ(buf, len, &vars, &nv) == 0)
		proc_environ_free(vars, nv);
	return 0;
}
