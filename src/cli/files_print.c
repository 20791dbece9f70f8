/* files_print.c: see files_print.h. */
#include <inttypes.h>
#include <stdio.h>

#include "cli/files_print.h"

void files_print_text(FILE *f, const struct proc_fd *fds, size_t n)
{
	char flags[160];
	fprintf(f, "%5s %-9s %10s  %-34s %s\n", "FD", "TYPE", "OFFSET", "FLAGS", "TARGET");
	for (size_t i = 0; i < n; i++) {
		char off[32] = "?";
		if (fds[i].have_info)
			snprintf(off, sizeof(off), "%" PRIu64, fds[i].pos);
		fprintf(f, "%5d %-9s %10s  %-34s ", fds[i].fd, proc_fd_type_name(fds[i].type), off,
			fds[i].have_info ? proc_fd_flags_str(fds[i].flags, flags, sizeof(flags)) : "?");
		if (fds[i].have_sock) {
			const struct proc_sock *s = &fds[i].sock;
			fprintf(f, "%s %s%s%s%s%s\n", s->proto, s->local[0] ? s->local : "(unnamed)",
				s->remote[0] ? " -> " : "", s->remote, s->state[0] ? " " : "", s->state);
		} else {
			fprintf(f, "%s\n", fds[i].target);
		}
	}
}

void files_json_array(struct json *j, const struct proc_fd *fds, size_t n)
{
	char flags[160];
	json_array_begin(j);
	for (size_t i = 0; i < n; i++) {
		json_newline(j);
		json_object_begin(j);
		json_field_int(j, "fd", fds[i].fd);
		json_field_string(j, "type", proc_fd_type_name(fds[i].type));
		json_field_string(j, "target", fds[i].target);
		if (fds[i].have_info) {
			json_field_string(j, "flags",
					  proc_fd_flags_str(fds[i].flags, flags, sizeof(flags)));
			json_field_uint(j, "pos", fds[i].pos);
		}
		if (fds[i].have_sock) {
			const struct proc_sock *s = &fds[i].sock;
			json_field_string(j, "proto", s->proto);
			json_field_string(j, "local", s->local);
			json_field_string(j, "remote", s->remote);
			json_field_string(j, "state", s->state);
		}
		json_object_end(j);
	}
	json_array_end(j);
}
