/*
 * profile_int.h: the perf sample parser of profile.c, for its unit test
 * (tests/unit/test_profile_sample.c).
 */
#ifndef WHYTOP_PROFILE_INT_H
#define WHYTOP_PROFILE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROFILE_MAX_KFRAMES 128

/* One PERF_RECORD_SAMPLE of IP|TID|TIME[|CALLCHAIN]|REGS_USER|STACK_USER. */
struct profile_sample {
	uint64_t ip;
	uint32_t pid, tid;
	uint64_t time;
	uint64_t kips[PROFILE_MAX_KFRAMES]; /* kernel frames, innermost first, markers dropped */
	size_t nk;
	bool has_regs;	      /* false: no user registers (a kernel thread) */
	uint64_t regs[24];    /* by perf's x86_64 register number (segments left 0) */
	const uint8_t *stack; /* the stack copy inside the record, from sp */
	uint64_t stack_size;  /* bytes asked for (0: none) */
	uint64_t stack_len;   /* bytes of it that hold the stack (dyn_size) */
};

/* Parse a sample's body (after the header); -EINVAL when it is cut short. */
int profile_parse_sample(const uint8_t *p, size_t len, bool callchain, struct profile_sample *out);

#endif
