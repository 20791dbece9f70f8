/*
 * kformat.c: words for the kernel view, shared by the CLI and the TUI so
 * that both say the same thing: state names and durations. (The JSON form
 * is the CLI's alone: src/cli/kjson.c.)
 */
#include <inttypes.h>
#include <stdio.h>

#include <whytop/kernel.h>

const char *kernel_state_name(char s)
{
	switch (s) {
	case 'R': return "running";
	case 'S': return "sleeping (interruptible)";
	case 'D': return "disk sleep (uninterruptible)";
	case 'T': return "stopped";
	case 't': return "stopped by a tracer";
	case 'Z': return "zombie";
	case 'X': return "dead";
	case 'I': return "idle kernel thread";
	case 'P': return "parked";
	case 'W': return "waking";
	case 'K': return "wakekill";
	default: return "unknown";
	}
}

char *kernel_duration_format(uint64_t ns, char *out, size_t outsz)
{
	uint64_t s = ns / 1000000000u;
	if (s < 60)
		snprintf(out, outsz, "%" PRIu64 ".%01" PRIu64 "s", s, (ns / 100000000u) % 10);
	else if (s < 3600)
		snprintf(out, outsz, "%" PRIu64 "m%02" PRIu64 "s", s / 60, s % 60);
	else
		snprintf(out, outsz, "%" PRIu64 "h%02" PRIu64 "m", s / 3600, (s / 60) % 60);
	return out;
}
