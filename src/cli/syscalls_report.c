/*
 * syscalls_report.c: prints a finished syscall count like strace -c does
 * (share of time, seconds, usecs/call, calls, errors), plus the most common
 * errno, the backend and what it cost, and lost events; or the same as JSON.
 */
#include <stdio.h>
#include <string.h>

#include <whytop/syscalls.h>
#include <whytop/util.h>

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
	fprintf(f, "whytop syscalls: %s, %.2f s\n", ri->what, c->elapsed_s);
	fprintf(f, "backend: %s: %s\n", ri->backend_name, ri->cost);
	fprintf(
	    f, "lost events: %llu%s\n", (unsigned long long)c->lost,
	    c->lost
		? " (what they carried -- a time, an error, an errno -- is missing from the table)"
		: "");
	if (ri->exit_status >= 0)
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

void sc_report_json(FILE *f, const struct sc_counts *c, const struct sc_report_info *ri)
{
	struct wt_buf b;
	wt_buf_init(&b);
	wt_buf_printf(&b, "{\"pid\":%ld,\"tid\":%ld,\"backend\":", ri->pid, ri->tid);
	wt_json_str(&b, ri->backend);
	wt_buf_puts(&b, ",\"backend_name\":");
	wt_json_str(&b, ri->backend_name);
	wt_buf_puts(&b, ",\"cost\":");
	wt_json_str(&b, ri->cost);
	wt_buf_printf(&b, ",\"seconds\":%.3f,\"lost\":%llu", c->elapsed_s,
		      (unsigned long long)c->lost);
	if (ri->exit_status >= 0)
		wt_buf_printf(&b, ",\"exit_status\":%d", ri->exit_status);
	wt_buf_printf(&b, ",\"ended\":%s", ri->ended || ri->exit_status >= 0 ? "true" : "false");
	wt_buf_printf(&b, ",\"total\":{\"calls\":%llu,\"errors\":%llu,\"time_ns\":%llu}",
		      (unsigned long long)c->total_calls, (unsigned long long)c->total_errors,
		      (unsigned long long)c->total_time_ns);
	wt_buf_puts(&b, ",\"syscalls\":[");
	for (size_t i = 0; i < c->nrows; i++) {
		const struct sc_row *r = &c->rows[i];
		char eb[32];
		wt_buf_puts(&b, i ? ",{\"name\":" : "{\"name\":");
		wt_json_str(&b, r->name);
		wt_buf_puts(&b, ",\"abi\":");
		wt_json_str(&b, sc_abi_label(r->abi));
		wt_buf_printf(&b, ",\"nr\":%d,\"calls\":%llu,\"errors\":%llu,\"errno\":", r->nr,
			      (unsigned long long)r->calls, (unsigned long long)r->errors);
		if (r->top_errno)
			wt_json_str(&b, sc_errno_name(r->top_errno, eb, sizeof(eb)));
		else
			wt_buf_puts(&b, "null");
		wt_buf_printf(&b,
			      ",\"errno_calls\":%llu,\"timed\":%llu,\"time_ns\":%llu,"
			      "\"rate\":%.1f,\"share\":%.4f}",
			      (unsigned long long)r->top_errno_calls, (unsigned long long)r->timed,
			      (unsigned long long)r->time_ns, r->rate, r->share);
	}
	wt_buf_puts(&b, "]}\n");
	fputs(b.data ? b.data : "{}\n", f);
	wt_buf_free(&b);
}
