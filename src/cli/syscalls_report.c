/*
 * syscalls_report.c: prints a finished syscall count like strace -c does
 * (share of time, seconds, usecs/call, calls, errors), plus the most common
 * errno, the backend and what it cost, and lost events; or the same as JSON.
 */
#include <stdio.h>
#include <string.h>

#include <whytop/syscalls.h>
#include <whytop/cli.h>
#include <whytop/util.h>

#include "cli/json.h"

#include "syscalls_report.h"

int sc_report_sort_key(const char *name)
{
	for (int k = 0; k < SC_SORT_N; k++)
		if (strcmp(name, sc_sort_name((enum sc_sort)k)) == 0)
			return k;
	return -1;
}

/* i386 calls of a 64-bit program carry their ABI in front of the name. */
static const char *row_name(const struct sc_row *r, char *buf, size_t size)
{
	if (r->abi == SC_ABI_X86_64)
		return r->name;
	snprintf(buf, size, "%s:%s", sc_abi_label(r->abi), r->name);
	return buf;
}

void sc_report_text(FILE *f, const struct sc_counts *c, const struct sc_report_info *ri)
{
	static const char rule[] = "------ ----------- ----------- --------- --------- "
				   "------------------ ----------------";
	fprintf(f, "whytop %s: %s, %.2f s\n", ri->cmd ? ri->cmd : "syscalls", ri->what,
		c->elapsed_s);
	fprintf(f, "backend: %s: %s\n", ri->backend_name, ri->cost);
	fprintf(
	    f, "lost events: %llu%s\n", (unsigned long long)c->lost,
	    c->lost
		? " (what they carried -- a time, an error, an errno -- is missing from the table)"
		: "");
	if (ri->exit_status >= 0 && ri->killed)
		fprintf(f, "program ended: %s (status %d)\n", ri->killed, ri->exit_status);
	else if (ri->exit_status >= 0)
		fprintf(f, "program ended: status %d\n", ri->exit_status);
	else if (ri->ended)
		fprintf(f, "the process ended while it was counted\n");
	fprintf(f, "%6s %11s %11s %9s %9s %-18s %s\n", "% time", "seconds", "usecs/call", "calls",
		"errors", "errno", "syscall");
	fprintf(f, "%s\n", rule);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct sc_row *r = &c->rows[i];
		char nb[64], eb[32], en[48] = "";
		if (r->top_errno)
			snprintf(en, sizeof(en), "%s", sc_errno_name(r->top_errno, eb, sizeof(eb)));
		fprintf(f, "%6.2f %11.6f %11.0f %9llu %9llu %-18s %s\n", r->share * 100.0,
			(double)r->time_ns / 1e9,
			r->timed ? (double)r->time_ns / (double)r->timed / 1e3 : 0.0,
			(unsigned long long)r->calls, (unsigned long long)r->errors, en,
			row_name(r, nb, sizeof(nb)));
	}
	fprintf(f, "%s\n", rule);
	fprintf(f, "%6.2f %11.6f %11.0f %9llu %9llu %-18s %s\n", c->total_time_ns ? 100.0 : 0.0,
		(double)c->total_time_ns / 1e9,
		c->total_calls ? (double)c->total_time_ns / (double)c->total_calls / 1e3 : 0.0,
		(unsigned long long)c->total_calls, (unsigned long long)c->total_errors, "",
		"total");
}

int sc_report_json(const char *sub, FILE *f, const struct sc_counts *c,
		   const struct sc_report_info *ri)
{
	struct json j;
	json_init(&j);
	sc_report_json_object(&j, c, ri);
	return cli_json_print(sub, &j, f);
}

void sc_report_json_object(struct json *jw, const struct sc_counts *c,
			   const struct sc_report_info *ri)
{
	json_object_begin(jw);
	json_field_int(jw, "pid", ri->pid);
	json_field_int(jw, "tid", ri->tid);
	json_field_string(jw, "backend", ri->backend);
	json_field_string(jw, "backend_name", ri->backend_name);
	json_field_string(jw, "cost", ri->cost);
	json_field_double(jw, "seconds", c->elapsed_s, 3);
	json_field_uint(jw, "lost", c->lost);
	if (ri->exit_status >= 0)
		json_field_int(jw, "exit_status", ri->exit_status);
	if (ri->killed)
		json_field_string(jw, "killed", ri->killed);
	json_field_bool(jw, "ended", ri->ended || ri->exit_status >= 0);
	if (ri->npids) {
		json_key(jw, "pids");
		json_array_begin(jw);
		for (size_t i = 0; i < ri->npids; i++)
			json_int(jw, ri->pids[i]);
		json_array_end(jw);
		json_field_bool(jw, "follow", ri->follow);
	}
	json_key(jw, "total");
	json_object_begin(jw);
	json_field_uint(jw, "calls", c->total_calls);
	json_field_uint(jw, "errors", c->total_errors);
	json_field_uint(jw, "time_ns", c->total_time_ns);
	json_object_end(jw);
	json_key(jw, "syscalls");
	json_array_begin(jw);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct sc_row *r = &c->rows[i];
		char eb[32];
		json_object_begin(jw);
		json_field_string(jw, "name", r->name);
		json_field_string(jw, "abi", sc_abi_label(r->abi));
		json_field_int(jw, "nr", r->nr);
		json_field_uint(jw, "calls", r->calls);
		json_field_uint(jw, "errors", r->errors);
		json_field_string(
		    jw, "errno", r->top_errno ? sc_errno_name(r->top_errno, eb, sizeof(eb)) : NULL);
		json_field_uint(jw, "errno_calls", r->top_errno_calls);
		json_field_uint(jw, "timed", r->timed);
		json_field_uint(jw, "time_ns", r->time_ns);
		json_field_double(jw, "rate", r->rate, 1);
		json_field_double(jw, "share", r->share, 4);
		json_object_end(jw);
	}
	json_array_end(jw);
	json_object_end(jw);
}
