/*
 * profile_int.h: the perf sample parser of profile.c, for its unit test
 * (tests/unit/test_profile_sample.c), and a session without perf for the
 * window's (tests/unit/test_profile_window.c).
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

/* Window mode forgets stacks out of the ring once it holds this many (pf_prune). */
#define PROFILE_PRUNE_MIN 4096

struct profile;
struct profile_session;
struct wt_err;
/*
 * For tests/unit/test_profile_window.c: a session with no process and no
 * events (close it with profile_close), counting only the samples given by
 * profile_count_names (user frames by name, innermost first) at a time of
 * the test's; profile_result_at composes the report at such a time.
 */
struct profile_session *profile_session_bare(uint64_t t0, unsigned window_secs, size_t prune_at);
void profile_count_names(struct profile_session *s, uint64_t now, const char *const *names,
			 size_t n);
int profile_result_at(struct profile_session *s, uint64_t now, struct profile **out,
		      struct wt_err *err);
size_t profile_nstacks(const struct profile_session *s);

#endif
