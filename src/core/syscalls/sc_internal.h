/*
 * sc_internal.h: what the syscall counting backends share inside the core
 * (not a front-end contract; see include/whytop/syscalls.h for that).
 */
#ifndef WHYTOP_SC_INTERNAL_H
#define WHYTOP_SC_INTERNAL_H

#include <stdbool.h>

#include <whytop/decode.h>
#include <whytop/syscalls.h>

struct sc_session;

struct sc_backend_ops {
	const char *name; /* shown to people */
	int (*read)(struct sc_session *s, struct sc_sample *out, struct wt_err *err);
	void (*cost)(const struct sc_session *s, const struct sc_sample *now, char *buf,
		     size_t size);
	/* -f: 1 while a process beyond the given ones is counted (optional) */
	int (*alive)(const struct sc_session *s);
	void (*close)(struct sc_session *s);
};

struct sc_session {
	struct sc_opts opts;
	enum sc_backend kind;
	const struct sc_backend_ops *ops;
	uint64_t t0_ns;
	char note[512]; /* why the default backend was not used, if it was not */
	char name[64];	/* the backend's name when it says more than ops->name */
	void *priv;
	/* opts.pid or opts.pids, owned; opts.pid is pids[0] */
	pid_t *pids;
	size_t npids;
	struct sc_set *set; /* a copy of opts.trace, or NULL */
};

/* A set's bit for a slot (decode.h: one bit per slot, as in a sample). */
static inline bool sc_set_has_slot(const struct sc_set *set, unsigned slot)
{
	return set->bits[slot / 64] >> (slot % 64) & 1;
}

/* Each returns 0 and sets s->ops and s->priv, or -errno with err filled. */
int sc_bpf_open(struct sc_session *s, struct wt_err *err);
int sc_ptrace_open(struct sc_session *s, struct wt_err *err);

/* The ABI of a syscall as PTRACE_GET_SYSCALL_INFO reports it. */
enum sc_abi sc_abi_of(uint32_t audit_arch, long *nr);

#endif
