/*
 * libbpf_log.h: what libbpf prints, for every loader of a skeleton (the
 * syscall counter, the syscall log, off-CPU, library calls). Silent by
 * default; around a load, the messages are kept so that a refusal can say
 * what the kernel's verifier said. WHYTOP_BPF_DEBUG=1 lets libbpf print
 * everything on stderr instead.
 */
#ifndef WHYTOP_LIBBPF_LOG_H
#define WHYTOP_LIBBPF_LOG_H

/* libbpf silent (or, with WHYTOP_BPF_DEBUG, its own printer). */
void wt_libbpf_quiet(void);
/* Keep libbpf's messages from now on (a load is coming). */
void wt_libbpf_keep(void);
/*
 * Back to quiet; what was kept, on one line ("" none), valid until the
 * next wt_libbpf_keep of this thread. Per thread: loads on two threads at
 * once each keep their own messages.
 */
const char *wt_libbpf_kept(void);

#endif
