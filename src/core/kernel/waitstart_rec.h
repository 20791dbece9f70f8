/*
 * waitstart_rec.h: what waitstart.bpf.c and waitstart.c share: one record
 * per task off the CPU, as the task iterator writes it.
 */
#ifndef WHYTOP_WAITSTART_REC_H
#define WHYTOP_WAITSTART_REC_H

struct wsb_rec {
	__u32 tid, tgid;
	__u64 off_ns;	 /* since it last left the CPU; 0: unknown */
	__u64 nswitches; /* nvcsw + nivcsw: the wait is the one /proc shows if equal */
	__u32 state;	 /* __state: 0x1 S, 0x2 D, ... */
	__u32 pad;
};

#endif
