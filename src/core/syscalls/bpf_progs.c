/*
 * bpf_progs.c: the two eBPF programs of the in-kernel syscall counter,
 * hand-assembled (so that building whytop needs no BPF compiler), and the
 * tiny assembler with labels that writes them. bpf.c loads and reads them.
 *
 *   enter: in tids[tid % TIDS]: {now, slot, tid} (calls[slot]++ for exit and
 *          exit_group only: they never return)
 *   exit:  if tids[tid % TIDS] is ours and pending: calls++, timed++,
 *          time += now - t, errors++ and errs[slot<<12 | errno]++ for -4095..-1
 *
 * So a call is counted by the kernel when it returns (one stats update per
 * call instead of two: measured, it matters at the 3x target for a getppid
 * loop); bpf.c adds the calls in progress when it reads the counters.
 *
 * The ABI of each call is told apart in the kernel: TS_COMPAT in
 * current->thread_info.status marks an i386 syscall, from an i386 task or
 * from "int $0x80" in a 64-bit one; bit 30 of the number is x32.
 */
#include <errno.h>
#include <string.h>

#include "config.h"

#ifdef HAVE_LIBBPF
#include "bpf_progs.h"

// clang-format off
#define INSN(c, d, s, o, i)                                                                        \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
#define MOV64_REG(d, s) INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV32_REG(d, s) INSN(BPF_ALU | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV64_IMM(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define ALU64_IMM(op, d, i) INSN(BPF_ALU64 | (op) | BPF_K, d, 0, 0, i)
#define ALU32_IMM(op, d, i) INSN(BPF_ALU | (op) | BPF_K, d, 0, 0, i)
#define ALU64_REG(op, d, s) INSN(BPF_ALU64 | (op) | BPF_X, d, s, 0, 0)
#define NEG64(d) INSN(BPF_ALU64 | BPF_NEG, d, 0, 0, 0)
#define LDX(sz, d, s, o) INSN(BPF_LDX | (sz) | BPF_MEM, d, s, o, 0)
#define STX(sz, d, s, o) INSN(BPF_STX | (sz) | BPF_MEM, d, s, o, 0)
#define ST(sz, d, o, i) INSN(BPF_ST | (sz) | BPF_MEM, d, 0, o, i)
#define JMP_IMM(op, d, i, o) INSN(BPF_JMP | (op) | BPF_K, d, 0, o, i)
#define JMP_REG(op, d, s, o) INSN(BPF_JMP | (op) | BPF_X, d, s, o, 0)
#define JA(o) INSN(BPF_JMP | BPF_JA, 0, 0, o, 0)
#define CALL(f) INSN(BPF_JMP | BPF_CALL, 0, 0, 0, f)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define LD_MAP(d, fd) INSN(BPF_LD | BPF_DW | BPF_IMM, d, BPF_PSEUDO_MAP_FD, 0, fd), INSN(0, 0, 0, 0, 0)

/* r1 = the value for the key on the stack at r10 + key_off in map fd (or NULL). */
#define MAP_LOOKUP(fd, key_off)                                                                    \
	LD_MAP(BPF_REG_1, fd), MOV64_REG(BPF_REG_2, BPF_REG_10),                                  \
		ALU64_IMM(BPF_ADD, BPF_REG_2, key_off), CALL(BPF_FUNC_map_lookup_elem)
/* *(u64 *)(r + off) += 1, through r1. */
#define INC_DW(r, off)                                                                             \
	LDX(BPF_DW, BPF_REG_1, r, off), ALU64_IMM(BPF_ADD, BPF_REG_1, 1), STX(BPF_DW, r, BPF_REG_1, off)
/*
 * Both programs start alike: r6 = ctx, r7 = pid_tgid; leave (L_OUT) unless
 * the task is one of ours (and the chosen thread, when there is one; with no
 * thread filter the second test is a no-op).
 */
#define OUR_TASK_ONLY(st)                                                                          \
	MOV64_REG(BPF_REG_6, BPF_REG_1), CALL(BPF_FUNC_get_current_pid_tgid),                     \
		MOV64_REG(BPF_REG_7, BPF_REG_0), ALU64_IMM(BPF_RSH, BPF_REG_0, 32),               \
		JMP_IMM(BPF_JNE, BPF_REG_0, (st)->tgid, L_OUT), MOV32_REG(BPF_REG_1, BPF_REG_7),  \
		(st)->tid ? JMP_IMM(BPF_JNE, BPF_REG_1, (st)->tid, L_OUT) : MOV64_IMM(BPF_REG_1, 0)

/*
 * Jumps are written with labels: a jump's off holds the label number, and
 * asm_fix turns it into a relative offset once every label's index is known.
 * A LABEL pseudo-instruction (code 0xff) marks a position and is removed.
 */
#define LABEL(n) INSN(0xff, 0, 0, 0, n)
enum { L_OUT = 1, L_ABI_DONE, L_OOR, L_RANGE, L_INRANGE, L_COUNT, L_NOCOUNT, L_MATCH,
       L_LOST, L_ERRINS, L_ABI_UNKNOWN, L_ERRLOST, L_NLABELS };

static int asm_fix(struct bpf_insn *in, int n)
{
	int pos[L_NLABELS], m = 0;
	for (int i = 0; i < L_NLABELS; i++)
		pos[i] = -1;
	for (int i = 0; i < n; i++) {
		if (in[i].code == 0xff)
			pos[in[i].imm] = m;
		else
			in[m++] = in[i];
	}
	for (int i = 0; i < m; i++) {
		uint8_t cls = BPF_CLASS(in[i].code);
		if (cls != BPF_JMP || BPF_OP(in[i].code) == BPF_CALL || BPF_OP(in[i].code) == BPF_EXIT)
			continue;
		int target = pos[in[i].off];
		if (target < 0)
			return -EINVAL;
		in[i].off = (int16_t)(target - i - 1);
	}
	return m;
}

int bpf_prog_enter(struct bpf_insn *p, const struct bpf_prog_params *st)
{
	struct bpf_insn a[] = {
		OUR_TASK_ONLY(st),
		LDX(BPF_DW, BPF_REG_8, BPF_REG_6, 8), /* id */
		MOV64_IMM(BPF_REG_9, 0),              /* slot base: x86_64 */
	};
	/*
	 * compat (i386) syscall: TS_COMPAT in current->thread_info.status. With
	 * BTF the task is read directly; else through bpf_probe_read_kernel,
	 * which costs about 30 ns more per syscall (measured).
	 */
	struct bpf_insn abi_btf[] = {
		CALL(BPF_FUNC_get_current_task_btf),
		LDX(BPF_W, BPF_REG_1, BPF_REG_0, st->status_off),
		ALU64_IMM(BPF_AND, BPF_REG_1, TS_COMPAT),
		JMP_IMM(BPF_JEQ, BPF_REG_1, 0, L_ABI_DONE),
		MOV64_IMM(BPF_REG_9, SC_NR_MAX + 1),
		JA(L_RANGE),
	};
	struct bpf_insn abi[] = {
		CALL(BPF_FUNC_get_current_task),
		MOV64_REG(BPF_REG_3, BPF_REG_0),
		ALU64_IMM(BPF_ADD, BPF_REG_3, st->status_off),
		MOV64_REG(BPF_REG_1, BPF_REG_10),
		ALU64_IMM(BPF_ADD, BPF_REG_1, -40),
		MOV64_IMM(BPF_REG_2, 4),
		CALL(BPF_FUNC_probe_read_kernel),
		/* could not tell: counted by number under "abi?", never guessed */
		JMP_IMM(BPF_JNE, BPF_REG_0, 0, L_ABI_UNKNOWN),
		LDX(BPF_W, BPF_REG_1, BPF_REG_10, -40),
		ALU64_IMM(BPF_AND, BPF_REG_1, TS_COMPAT),
		JMP_IMM(BPF_JEQ, BPF_REG_1, 0, L_ABI_DONE),
		MOV64_IMM(BPF_REG_9, SC_NR_MAX + 1),
		JA(L_RANGE),
		LABEL(L_ABI_UNKNOWN),
		MOV64_IMM(BPF_REG_9, SC_ABI_UNKNOWN * (SC_NR_MAX + 1)),
		JA(L_RANGE),
	};
	struct bpf_insn tail[] = {
		LABEL(L_ABI_DONE),
		JMP_IMM(BPF_JSLT, BPF_REG_8, 0, L_OOR),
		MOV64_REG(BPF_REG_1, BPF_REG_8),
		ALU64_IMM(BPF_AND, BPF_REG_1, 0x40000000),
		JMP_IMM(BPF_JEQ, BPF_REG_1, 0, L_RANGE),
		MOV64_IMM(BPF_REG_9, 2 * (SC_NR_MAX + 1)),
		ALU64_IMM(BPF_AND, BPF_REG_8, (int32_t)0xbfffffff),
		LABEL(L_RANGE),
		JMP_IMM(BPF_JLE, BPF_REG_8, SC_NR_MAX - 1, L_INRANGE),
		LABEL(L_OOR),
		MOV64_IMM(BPF_REG_8, SC_NR_MAX),
		LABEL(L_INRANGE),
		ALU64_REG(BPF_ADD, BPF_REG_9, BPF_REG_8),
		/*
		 * Calls are counted by the exit program, with their time; only
		 * exit and exit_group, which never return, are counted here.
		 */
		JMP_IMM(BPF_JEQ, BPF_REG_9, 60, L_COUNT),
		JMP_IMM(BPF_JEQ, BPF_REG_9, 231, L_COUNT),
		JMP_IMM(BPF_JEQ, BPF_REG_9, SC_NR_MAX + 1 + 1, L_COUNT),
		JMP_IMM(BPF_JEQ, BPF_REG_9, SC_NR_MAX + 1 + 252, L_COUNT),
		JMP_IMM(BPF_JEQ, BPF_REG_9, 2 * (SC_NR_MAX + 1) + 60, L_COUNT),
		JMP_IMM(BPF_JEQ, BPF_REG_9, 2 * (SC_NR_MAX + 1) + 231, L_COUNT),
		JA(L_NOCOUNT),
		LABEL(L_COUNT),
		STX(BPF_W, BPF_REG_10, BPF_REG_9, -4),
		MAP_LOOKUP(st->stats_fd, -4),
		JMP_IMM(BPF_JEQ, BPF_REG_0, 0, L_NOCOUNT),
		INC_DW(BPF_REG_0, 0),
		LABEL(L_NOCOUNT),
		MOV32_REG(BPF_REG_1, BPF_REG_7),
		ALU32_IMM(BPF_AND, BPF_REG_1, TIDS - 1),
		STX(BPF_W, BPF_REG_10, BPF_REG_1, -8),
		MAP_LOOKUP(st->tids_fd, -8),
		JMP_IMM(BPF_JEQ, BPF_REG_0, 0, L_OUT),
		MOV64_REG(BPF_REG_6, BPF_REG_0),
		STX(BPF_W, BPF_REG_6, BPF_REG_9, 8),
		STX(BPF_W, BPF_REG_6, BPF_REG_7, 12),
		/* the clock last, so that the time excludes our own work */
		CALL(BPF_FUNC_ktime_get_ns),
		STX(BPF_DW, BPF_REG_6, BPF_REG_0, 0),
		LABEL(L_OUT),
		MOV64_IMM(BPF_REG_0, 0),
		EXIT(),
	};
	int n = 0;
	memcpy(p, a, sizeof(a));
	n += (int)WT_ARRAY_SIZE(a);
	if (st->btf) {
		memcpy(p + n, abi_btf, sizeof(abi_btf));
		n += (int)WT_ARRAY_SIZE(abi_btf);
	} else {
		memcpy(p + n, abi, sizeof(abi));
		n += (int)WT_ARRAY_SIZE(abi);
	}
	memcpy(p + n, tail, sizeof(tail));
	n += (int)WT_ARRAY_SIZE(tail);
	return asm_fix(p, n);
}

int bpf_prog_exit(struct bpf_insn *p, const struct bpf_prog_params *st)
{
	struct bpf_insn a[] = {
		OUR_TASK_ONLY(st),
		/* the clock first, so that the time excludes our own work */
		CALL(BPF_FUNC_ktime_get_ns),
		MOV64_REG(BPF_REG_8, BPF_REG_0),
		MOV32_REG(BPF_REG_1, BPF_REG_7),
		ALU32_IMM(BPF_AND, BPF_REG_1, TIDS - 1),
		STX(BPF_W, BPF_REG_10, BPF_REG_1, -4),
		MAP_LOOKUP(st->tids_fd, -4),
		JMP_IMM(BPF_JEQ, BPF_REG_0, 0, L_OUT),
		MOV64_REG(BPF_REG_9, BPF_REG_0),
		LDX(BPF_W, BPF_REG_1, BPF_REG_9, 12),
		MOV32_REG(BPF_REG_2, BPF_REG_7),
		JMP_REG(BPF_JEQ, BPF_REG_1, BPF_REG_2, L_MATCH),
		/* tid 0: this slot never saw an entry: a call in progress at start */
		JMP_IMM(BPF_JEQ, BPF_REG_1, 0, L_OUT),
		/* another thread with the same tid % TIDS took the slot */
		MOV64_IMM(BPF_REG_1, LOST_SLOT),
		JA(L_LOST),
		LABEL(L_MATCH),
		LDX(BPF_DW, BPF_REG_1, BPF_REG_9, 0),
		JMP_IMM(BPF_JEQ, BPF_REG_1, 0, L_OUT),
		ST(BPF_DW, BPF_REG_9, 0, 0),
		ALU64_REG(BPF_SUB, BPF_REG_8, BPF_REG_1),
		LDX(BPF_W, BPF_REG_1, BPF_REG_9, 8),
		STX(BPF_W, BPF_REG_10, BPF_REG_1, -8),
		MAP_LOOKUP(st->stats_fd, -8),
		JMP_IMM(BPF_JEQ, BPF_REG_0, 0, L_OUT),
		MOV64_REG(BPF_REG_9, BPF_REG_0),
		INC_DW(BPF_REG_9, 0),
		INC_DW(BPF_REG_9, 16),
		LDX(BPF_DW, BPF_REG_1, BPF_REG_9, 24),
		ALU64_REG(BPF_ADD, BPF_REG_1, BPF_REG_8),
		STX(BPF_DW, BPF_REG_9, BPF_REG_1, 24),
		LDX(BPF_DW, BPF_REG_1, BPF_REG_6, 8), /* ret */
		JMP_IMM(BPF_JLT, BPF_REG_1, -4095, L_OUT),
		LDX(BPF_DW, BPF_REG_2, BPF_REG_9, 8),
		ALU64_IMM(BPF_ADD, BPF_REG_2, 1),
		STX(BPF_DW, BPF_REG_9, BPF_REG_2, 8),
		NEG64(BPF_REG_1),
		ALU64_IMM(BPF_AND, BPF_REG_1, 0xfff),
		LDX(BPF_W, BPF_REG_2, BPF_REG_10, -8),
		ALU64_IMM(BPF_LSH, BPF_REG_2, 12),
		ALU64_REG(BPF_OR, BPF_REG_2, BPF_REG_1),
		STX(BPF_W, BPF_REG_10, BPF_REG_2, -12),
		MAP_LOOKUP(st->errs_fd, -12),
		JMP_IMM(BPF_JEQ, BPF_REG_0, 0, L_ERRINS),
		INC_DW(BPF_REG_0, 0),
		JA(L_OUT),
		LABEL(L_ERRINS),
		ST(BPF_DW, BPF_REG_10, -24, 1),
		LD_MAP(BPF_REG_1, st->errs_fd),
		MOV64_REG(BPF_REG_2, BPF_REG_10),
		ALU64_IMM(BPF_ADD, BPF_REG_2, -12),
		MOV64_REG(BPF_REG_3, BPF_REG_10),
		ALU64_IMM(BPF_ADD, BPF_REG_3, -24),
		MOV64_IMM(BPF_REG_4, BPF_NOEXIST),
		CALL(BPF_FUNC_map_update_elem),
		JMP_IMM(BPF_JEQ, BPF_REG_0, 0, L_OUT),
		/* another CPU inserted it meanwhile, or the map is full */
		MAP_LOOKUP(st->errs_fd, -12),
		JMP_IMM(BPF_JEQ, BPF_REG_0, 0, L_ERRLOST),
		INC_DW(BPF_REG_0, 0),
		JA(L_OUT),
		/* the errno map is full: this error's errno is lost, and said so */
		LABEL(L_ERRLOST),
		MOV64_IMM(BPF_REG_1, LOST_SLOT),
		LABEL(L_LOST),
		STX(BPF_W, BPF_REG_10, BPF_REG_1, -8),
		MAP_LOOKUP(st->stats_fd, -8),
		JMP_IMM(BPF_JEQ, BPF_REG_0, 0, L_OUT),
		INC_DW(BPF_REG_0, 0),
		LABEL(L_OUT),
		MOV64_IMM(BPF_REG_0, 0),
		EXIT(),
	};
	memcpy(p, a, sizeof(a));
	return asm_fix(p, (int)WT_ARRAY_SIZE(a));
}
// clang-format on

#endif
