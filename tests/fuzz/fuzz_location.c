/*
 * fuzz_location: the DWARF location evaluator (location.c) on hand-built
 * expressions. Input: a register-valid mask (4), the CFA (8), a count of
 * ops (1), then each op as atom (1), number (8), number2 (8), offset (2);
 * the rest is the target's memory (address A reads byte A of it, through a
 * memfd standing for /proc/PID/mem). Register i holds 8 * i. A located
 * value is then read, as the locals view would.
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "core/vars/vars_int.h"

#define OP_BYTES 19

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int memfd = -1;
	struct locals_frame f;
	struct vars_loc_ctx c;
	struct lval out;
	Dwarf_Op ops[64];
	unsigned char buf[LX_MAX_READ];

	if (size < 13)
		return 0;
	if (memfd < 0 && (memfd = memfd_create("fuzz-mem", 0)) < 0)
		__builtin_trap();
	memset(&f, 0, sizeof(f));
	memcpy(&f.frame.regs_valid, data, 4);
	memcpy(&f.frame.cfa, data + 4, 8);
	for (int i = 0; i < STACK_NREGS; i++)
		f.frame.regs[i] = 8u * (unsigned)i;
	size_t n = data[12] % 64, pos = 13;
	if (n > (size - pos) / OP_BYTES)
		n = (size - pos) / OP_BYTES;
	for (size_t i = 0; i < n; i++, pos += OP_BYTES) {
		uint16_t off;
		ops[i].atom = data[pos];
		memcpy(&ops[i].number, data + pos + 1, 8);
		memcpy(&ops[i].number2, data + pos + 9, 8);
		memcpy(&off, data + pos + 17, 2);
		ops[i].offset = off;
	}
	if (ftruncate(memfd, 0) < 0 || pwrite(memfd, data + pos, size - pos, 0) < 0)
		__builtin_trap();

	memset(&c, 0, sizeof(c));
	c.f = &f;
	c.memfd = memfd;
	c.phys_scope = -1;   /* no DW_AT_frame_base */
	c.cfa_tried = true;  /* no module CFI: the CFA is the frame's, or unknown */
	memset(&out, 0, sizeof(out));
	if (vars_loc_eval_ops(&c, ops, n, &out) == 0 && out.kind != LV_NONE)
		vars_lval_read(&c, &out, sizeof(buf), buf, sizeof(buf));
	/* vars_loc_eval_location shifts by the register number: it must not be negative. */
	if (out.kind == LV_REG && out.reg < 0)
		__builtin_trap();
	return 0;
}
