/*
 * addr.c: what a fault address is, from the text of /proc/PID/maps alone
 * (pure: no process, unit-tested on canned maps): the NULL page, a stack
 * overflow (the guard gap below a stack, or glibc's ---p guard page below
 * a thread's stack), unmapped, a mapping without the access needed, or
 * which mapping.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <whytop/catch.h>

#include "core/proc/parse.h"

/* The kernel's default stack_guard_gap: 256 pages. */
#define CATCH_GUARD_GAP (256ull * 4096)

const char *catch_addr_kind_name(enum catch_addr_kind k)
{
	switch (k) {
	case CATCH_ADDR_NULL:
		return "NULL page";
	case CATCH_ADDR_STACK_GUARD:
		return "stack overflow";
	case CATCH_ADDR_UNMAPPED:
		return "unmapped";
	case CATCH_ADDR_NO_ACCESS:
		return "no access";
	case CATCH_ADDR_READ_ONLY:
		return "read-only";
	case CATCH_ADDR_NO_EXEC:
		return "not executable";
	case CATCH_ADDR_MAPPED:
		return "mapped";
	default:
		return "none";
	}
}

static void catch_addr_take(struct catch_addr *out, const struct proc_map *m, uint64_t addr)
{
	out->map_start = m->start;
	out->map_end = m->end;
	out->map_offset = m->offset + (addr >= m->start ? addr - m->start : 0);
	memcpy(out->perms, m->perms, sizeof(out->perms));
	/* Untrusted: a file name is the program's choice. */
	if (m->path_len)
		wt_escape_to(out->path, sizeof(out->path), m->path, m->path_len, 0);
	else
		out->path[0] = '\0';
}

static bool catch_has_addr(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGTRAP;
}

void catch_addr_classify(const char *maps, size_t len, int sig, int code, uint64_t addr,
			 uint64_t pc, uint64_t sp, uint64_t min_addr, struct catch_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->addr = addr;
	/* Sent by a process (kill, abort's tgkill): no address. */
	if (!catch_has_addr(sig) || code <= 0) {
		out->kind = CATCH_ADDR_NONE;
		return;
	}
	if (!min_addr)
		min_addr = 4096;
	if (addr < min_addr) {
		out->kind = CATCH_ADDR_NULL;
		return;
	}
	const char *p = maps, *end = maps + len;
	struct proc_map m, prev = {0}, stack = {0};
	bool have_prev = false, found = false, have_stack = false;
	struct proc_map hit = {0}, next = {0};
	bool have_next = false;
	while (p < end) {
		if (proc_parse_maps_line(&p, end, &m) < 0)
			continue;
		/* The stack the fault ran on: [stack], or the mapping holding sp. */
		if ((sp >= m.start && sp < m.end) ||
		    (!have_stack && m.path_len == 7 && memcmp(m.path, "[stack]", 7) == 0)) {
			stack = m;
			have_stack = true;
		}
		if (addr >= m.start && addr < m.end) {
			hit = m;
			found = true;
		} else if (m.end <= addr) {
			prev = m;
			have_prev = true;
		} else if (!have_next && m.start > addr) {
			next = m;
			have_next = true;
		}
	}
	/*
	 * A stack overflow: the address is in the gap just below the stack
	 * (the main thread's, which cannot grow further), or in the no-access
	 * guard page right below a thread's stack (glibc's pthread stacks).
	 */
	if (have_stack && addr < stack.start) {
		bool in_gap = !found && stack.start - addr <= CATCH_GUARD_GAP;
		bool in_guard = found && strcmp(hit.perms, "---p") == 0 && hit.end == stack.start;
		if (in_gap || in_guard) {
			out->kind = CATCH_ADDR_STACK_GUARD;
			catch_addr_take(out, &stack, stack.start);
			return;
		}
	}
	if (!found) {
		out->kind = CATCH_ADDR_UNMAPPED;
		out->below = have_prev ? prev.end : 0;
		out->above = have_next ? next.start : 0;
		return;
	}
	catch_addr_take(out, &hit, addr);
	bool exec = addr == pc && sig == SIGSEGV;
	if (hit.perms[0] != 'r' && hit.perms[1] != 'w' && hit.perms[2] != 'x')
		out->kind = CATCH_ADDR_NO_ACCESS;
	else if (exec && hit.perms[2] != 'x')
		out->kind = CATCH_ADDR_NO_EXEC;
	else if (sig == SIGSEGV && code == SEGV_ACCERR && hit.perms[1] != 'w')
		out->kind = CATCH_ADDR_READ_ONLY;
	else
		out->kind = CATCH_ADDR_MAPPED;
}

static void catch_map_words(const struct catch_addr *a, char *buf, size_t size)
{
	if (a->path[0])
		snprintf(buf, size, "%s at offset 0x%" PRIx64 " (%s, 0x%" PRIx64 "-0x%" PRIx64 ")",
			 a->path, a->map_offset, a->perms, a->map_start, a->map_end);
	else
		snprintf(buf, size, "an anonymous mapping (%s, 0x%" PRIx64 "-0x%" PRIx64 ")",
			 a->perms, a->map_start, a->map_end);
}

void catch_addr_text(const struct catch_addr *a, char *buf, size_t size)
{
	char map[400];
	catch_map_words(a, map, sizeof(map));
	switch (a->kind) {
	case CATCH_ADDR_NONE:
		snprintf(buf, size, "no fault address (the signal was sent, not a fault)");
		return;
	case CATCH_ADDR_NULL:
		snprintf(buf, size, "0x%" PRIx64 ": the NULL page (a NULL pointer dereference%s)",
			 a->addr, a->addr ? ", at an offset from NULL" : "");
		return;
	case CATCH_ADDR_STACK_GUARD:
		snprintf(buf, size,
			 "0x%" PRIx64 ": the guard below a stack (%s, 0x%" PRIx64 "-0x%" PRIx64
			 "): a stack overflow",
			 a->addr, a->path[0] ? a->path : "a thread's stack", a->map_start,
			 a->map_end);
		return;
	case CATCH_ADDR_UNMAPPED:
		snprintf(buf, size,
			 "0x%" PRIx64 ": unmapped (nothing mapped between 0x%" PRIx64
			 " and 0x%" PRIx64 ")",
			 a->addr, a->below, a->above);
		return;
	case CATCH_ADDR_NO_ACCESS:
		snprintf(buf, size, "0x%" PRIx64 ": a mapping with no access (a guard): %s",
			 a->addr, map);
		return;
	case CATCH_ADDR_READ_ONLY:
		snprintf(buf, size, "0x%" PRIx64 ": a read-only mapping (a write to it): %s",
			 a->addr, map);
		return;
	case CATCH_ADDR_NO_EXEC:
		snprintf(buf, size,
			 "0x%" PRIx64 ": code run from a mapping that is not executable: %s",
			 a->addr, map);
		return;
	case CATCH_ADDR_MAPPED:
		snprintf(buf, size, "0x%" PRIx64 ": %s", a->addr, map);
		return;
	}
}
